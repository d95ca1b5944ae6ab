"""Typed DMs: questions answered as /ask would, the interview by typing, `plan`, `profile`,
`help`, `later`, a rate limit; and "Ask a question" / "Did you mean …?" on the step message."""

from __future__ import annotations

import logging

from bot.discord import embeds
from bot.discord.dm import QUESTIONS_PER_MINUTE, RateLimit
from bot.discord.respond import member_key
from tests import fakes
from tests.conftest import make_profile


def described(screen: fakes.Screen) -> str:
    return "\n".join(e.description or "" for s in screen.shown() for e in s.embeds)


async def test_a_typed_question_gets_the_ask_answer_as_a_reply(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=221))
    question = "how many programs should i apply to"
    typed = await fakes.say(bot, person, question)
    first = typed.shown()[0]
    assert first.kind == "reply" and "120–150" in first.embed.description
    assert {c.split(":")[-1] for c in first.custom_ids()} == {"+1", "-1"}  # 👍 / 👎

    i = fakes.interaction(bot, person)
    await fakes.invoke(bot, "ask", i, question=question)
    assert first.embed.description == i.screen.shown()[0].embed.description  # same as /ask


async def test_server_messages_and_bots_are_ignored(bot):
    person = fakes.Person()
    in_server = fakes.message(bot, person, "how many programs should i apply to", guild=True)
    assert (await fakes.type_message(bot, in_server)).sent == []
    from_bot = fakes.message(bot, person, "how many programs should i apply to", from_bot=True)
    assert (await fakes.type_message(bot, from_bot)).sent == []
    assert await bot.store.export(member_key(person)) == {
        "member": member_key(person),
        "status": None,
        "answers": {},
        "unanswered": [],
        "votes": [],
        "reloads": [],
    }


async def test_the_whole_interview_by_typing_in_dms(bot):
    person = fakes.Person()
    start = await fakes.say(bot, person, "plan")
    assert start.last.embed.title == "Step 1 of 12" and "type your answer" in start.last.text
    lines = ["yes I passed", "once", "yes", "two thirty one", "1", "NBME 228", "j1"]
    for line in lines:
        shown = await fakes.say(bot, person, line)
        assert "⚠️" not in shown.last.text, (line, shown.last.text)
    asked = await fakes.say(bot, person, "what is the difference between j1 and h1b?")
    assert asked.shown()[0].kind == "reply" and "Source" not in asked.shown()[0].text
    assert "sponsor" in asked.shown()[0].embed.description.lower()
    assert asked.last.kind == "dm" and "US clinical experience" in asked.last.embed.description
    await fakes.say(bot, person, "4 years")
    confirm = await fakes.say(bot, person, "")  # nothing typed: ignored
    assert confirm.sent == []
    confirm = (await fakes.say(bot, person, "ok")).last
    assert "Did you mean 48 months" not in confirm.text  # "ok" answered the confirmation
    for line in ["y", "none", "skip", "categ"]:
        shown = await fakes.say(bot, person, line)
    assert "All questions answered" in shown.shown()[0].embed.title
    assert "231" in described(shown)
    answers = await bot.store.answers(member_key(person))
    assert answers["usce_months"] == 48 and answers["us_letters"] == 0 and answers["yog"] is None
    assert answers["practice_score"] == 228 and answers["goal"] == "categorical_later"


async def test_an_unusual_typed_value_is_confirmed_first(bot):
    person = fakes.Person()
    await fakes.say(bot, person, "plan")
    await fakes.say(bot, person, "failed")
    shown = await fakes.say(bot, person, "11")
    assert "Did you mean 11 attempts at Step 1?" in shown.last.embed.description
    assert [c.split(":")[3] for c in shown.last.custom_ids()] == ["yes", "no"]
    assert "step1_attempts" not in await bot.store.answers(member_key(person))
    shown = await fakes.say(bot, person, "no")
    assert "please type it again" in shown.last.embed.description
    await fakes.say(bot, person, "1")
    assert (await bot.store.answers(member_key(person)))["step1_attempts"] == 1


async def test_later_leaves_the_questions_and_plan_comes_back(bot):
    person = fakes.Person()
    await fakes.say(bot, person, "plan")
    await fakes.say(bot, person, "pass")
    later = await fakes.say(bot, person, "later")
    assert later.last.content == embeds.LATER
    question = await fakes.say(bot, person, "1")  # a question now, not an answer
    assert "step1_attempts" not in await bot.store.answers(member_key(person))
    assert question.last.kind == "reply"
    back = await fakes.say(bot, person, "plan")
    assert "How many times have you taken Step 1" in back.last.embed.description
    await fakes.say(bot, person, "2")
    assert (await bot.store.answers(member_key(person)))["step1_attempts"] == 2


async def test_a_member_who_never_started_gets_answers_not_questions(bot):
    person = fakes.Person()
    shown = await fakes.say(bot, person, "pass")
    assert shown.last.kind == "reply" and await bot.store.answers(member_key(person)) == {}


async def test_profile_and_help_typed_in_a_dm(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=240))
    profile = await fakes.say(bot, person, "profile")
    assert "**Step 2 CK score:** 240" in profile.last.embed.description
    assert profile.last.custom_ids() == ["pa:profile:change", "pa:profile:plan"]
    helped = await fakes.say(bot, person, "help")
    assert helped.last.content == embeds.DM_HELP and "/mydata" in helped.last.content
    plan = await fakes.say(bot, person, "plan")
    assert "All questions answered" in plan.shown()[0].embed.title and "240" in described(plan)


async def test_a_change_chosen_from_the_menu_can_be_typed(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=240))
    change = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:profile:change", change, values=["us_letters"])
    shown = await fakes.say(bot, person, "3 letters")
    assert "All questions answered" in shown.shown()[0].embed.title
    assert (await bot.interviews.profile(member_key(person))).us_letters == 3


async def test_questions_are_rate_limited_politely(bot):
    person = fakes.Person()
    for _ in range(QUESTIONS_PER_MINUTE):
        assert (await fakes.say(bot, person, "is 230 enough")).last.kind == "reply"
    told = await fakes.say(bot, person, "is 230 enough")
    assert "up to 10 questions a minute" in told.last.content
    assert (await fakes.say(bot, person, "is 230 enough")).sent == []  # told once
    other = await fakes.say(bot, fakes.Person(), "is 230 enough")
    assert other.last.embeds  # per member


def test_the_rate_limit_frees_up_after_a_minute():
    limit = RateLimit(2, 60)
    assert limit.allow("m", 0) and limit.allow("m", 1) and not limit.allow("m", 2)
    assert limit.allow("m", 60.5) and not limit.allow("m", 60.6)


async def test_a_failure_apologises_and_never_logs_the_member_text(bot, caplog, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.interviews, "ask", broken)
    with caplog.at_level(logging.DEBUG):
        shown = await fakes.say(bot, fakes.Person(), "my secret score is 219, what now")
    assert "something went wrong" in shown.last.content
    assert "secret" not in caplog.text and "RuntimeError" in caplog.text


async def test_ask_a_question_button_answers_then_asks_the_same_step(bot):
    person = fakes.Person()
    i = fakes.interaction(bot, person)
    await fakes.invoke(bot, "plan", i)
    ask_id = fakes.custom_id_of(i.screen.last, r"pa:iv:step1_result:ask")
    press = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, ask_id, press)
    modal = press.screen.last.modal
    assert modal.custom_id == "pa:ask:step1_result" and modal.is_finished()
    submit = fakes.interaction(bot, person, message=True)
    submit.type = fakes.discord.InteractionType.modal_submit
    assert modal.to_dict()["components"][0]["type"] == 18  # the input is in a ui.Label
    submit.data = {
        "custom_id": "pa:ask:step1_result",
        "components": [fakes.label_submitted("is 230 enough", custom_id="question")],
    }
    for listener in bot.extra_events["on_interaction"]:
        await listener(submit)
    answer, again = submit.screen.shown()
    assert answer.embed.footer.text.startswith("Guide ›")
    assert again.embed.title == "Step 1 of 12" and "Step 1 result" in again.embed.description


async def test_did_you_mean_buttons_after_the_number_form(bot):
    person = fakes.Person()
    member = member_key(person)
    await bot.interviews.give(member, "step1_result", "fail")
    i = fakes.interaction(bot, person, message=True)
    await fakes.submit(bot, "pa:num:step1_attempts", "5", i)
    asked = i.screen.last
    assert "Did you mean 5 attempts at Step 1?" in asked.embed.description
    assert asked.custom_ids() == ["pa:cf:step1_attempts:yes:5", "pa:cf:step1_attempts:no:5"]
    assert "step1_attempts" not in await bot.store.answers(member)
    no = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:cf:step1_attempts:no:5", no)
    assert "please type it again" in no.screen.last.embed.description
    yes = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:cf:step1_attempts:yes:5", yes)
    assert (await bot.store.answers(member))["step1_attempts"] == 5
    assert yes.screen.last.embed.title == "Step 3 of 12"


async def test_mydata_shows_everything_and_nothing_after_forget(bot):
    import json

    person = fakes.Person()
    member = member_key(person)
    await bot.interviews.import_profile(member, make_profile(step2ck_score=240))
    await fakes.say(bot, person, "best pizza in town")
    await fakes.press(bot, "pa:vote:1:ck-timing:+1", fakes.interaction(bot, person, message=True))

    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "mydata", i)
    sent = i.screen.last
    assert (
        sent.ephemeral is True and "couldn't answer, linked to you:** 1" in sent.embed.description
    )
    document = json.loads(sent.files[0].fp.read())
    assert sent.files[0].filename.endswith(".json")
    assert document["member"] == member and document["status"] == "complete"
    assert document["answers"]["step2ck_score"] == 240
    assert [q["question"] for q in document["unanswered"]] == ["best pizza in town"]
    assert [v["entry"] for v in document["votes"]] == ["ck-timing"]

    press = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.press(bot, f"pa:forget:yes:{person.id}", press)
    after = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "mydata", after)
    assert "Nothing is stored about you" in after.screen.last.embed.description
    document = json.loads(after.screen.last.files[0].fp.read())
    assert document["answers"] == {} and document["unanswered"] == [] and document["votes"] == []
    assert document["status"] is None


async def test_privacy_mentions_mydata(bot):
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "privacy", i)
    assert "/mydata" in i.screen.last.embed.description


async def test_a_raw_dm_through_discord_py_is_answered_and_a_server_message_is_not(bot):
    person = fakes.Person()
    async with fakes.Gateway(bot) as gateway:
        [(kind, sent)] = await gateway.type_message(person, "when should i take ck")
        assert kind == "message" and sent["allowed_mentions"]["parse"] == []
        assert sent["allowed_mentions"].get("replied_user") is False
        assert "message_reference" in sent  # a reply to the member's message
        assert sent["embeds"][0]["footer"]["text"].startswith("Guide › ")
        assert await gateway.type_message(person, "when should i take ck", guild=True) == []
