"""/profile and /forget: the member's own stored answers."""

from __future__ import annotations

from bot.discord.respond import member_key
from tests import fakes
from tests.conftest import make_profile


async def test_profile_with_nothing_stored_says_how_to_start(bot):
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "profile", i)
    assert i.screen.last.ephemeral is True and "/plan" in i.screen.last.embed.description
    assert i.screen.last.view is None


async def test_profile_shows_answers_changes_one_and_shows_the_plan(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=240))
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "profile", i)
    sent = i.screen.last
    assert sent.ephemeral is True and "**Step 2 CK score:** 240" in sent.embed.description
    assert sent.custom_ids() == ["pa:profile:change", "pa:profile:plan"]
    options = sent.components()[0]["components"][0]["options"]
    assert {"label": "Step 2 CK score", "value": "step2ck_score"}.items() <= options[3].items()
    assert options[3]["description"] == "Now: 240"

    change = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.press(bot, "pa:profile:change", change, values=["step2ck_score"])
    asked = change.screen.last
    assert asked.kind == "send" and asked.ephemeral is True  # a new message, not an edit
    assert "Step 2 CK score" in asked.embed.description
    assert asked.custom_ids()[0] == "pa:iv:step2ck_score:enter"

    typed = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.submit(bot, "pa:num:step2ck_score", "229", typed)
    assert "All questions answered" in typed.screen.shown()[0].embed.title
    assert (await bot.interviews.profile(member_key(person))).step2ck_score == 229

    plan = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.press(bot, "pa:profile:plan", plan)
    assert all(s.ephemeral for s in plan.screen.shown())
    assert "229" in plan.screen.text()


async def test_show_my_plan_before_the_end_shows_where_the_member_is(bot):
    person = fakes.Person()
    await bot.interviews.give(member_key(person), "step1_result", "pass")
    i = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:profile:plan", i)
    assert "isn't finished" in i.screen.last.content
    assert i.screen.last.embed.title.startswith("Step 2 of ")


async def test_forget_asks_first_then_leaves_no_row(bot):
    person = fakes.Person()
    member = member_key(person)
    await bot.interviews.import_profile(member, make_profile())
    await fakes.invoke(bot, "ask", fakes.interaction(bot, person), question="best pizza in town")
    await fakes.press(bot, "pa:vote:1:ck-timing:+1", fakes.interaction(bot, person, message=True))
    assert await bot.store.rows_about(member) > 0

    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "forget", i)
    ask = i.screen.last
    assert ask.ephemeral is True and "Are you sure?" in ask.content
    assert ask.custom_ids() == [f"pa:forget:yes:{person.id}", f"pa:forget:no:{person.id}"]

    press = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.press(bot, f"pa:forget:yes:{person.id}", press)
    assert press.screen.last.kind == "edit" and "deleted" in press.screen.last.content
    assert press.screen.last.view is None
    assert await bot.store.rows_about(member) == 0


async def test_forget_cancel_keeps_everything(bot):
    person = fakes.Person()
    await bot.interviews.give(member_key(person), "step1_result", "pass")
    press = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, f"pa:forget:no:{person.id}", press)
    assert "Nothing was deleted" in press.screen.last.content
    assert await bot.store.answers(member_key(person)) == {"step1_result": "pass"}


async def test_nobody_else_can_press_my_forget_button(bot):
    me, other = fakes.Person(), fakes.Person()
    await bot.interviews.give(member_key(other), "step1_result", "pass")
    await bot.interviews.give(member_key(me), "step1_result", "pass")
    press = fakes.interaction(bot, other, message=True)
    await fakes.press(bot, f"pa:forget:yes:{me.id}", press)
    assert "someone else's" in press.screen.last.content and press.screen.last.ephemeral
    assert await bot.store.rows_about(member_key(me)) == 2
    assert await bot.store.rows_about(member_key(other)) == 2
