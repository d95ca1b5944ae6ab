"""/plan and the DM interview: buttons and modals over the same core as the console."""

from __future__ import annotations

import asyncio

from bot import interview
from bot.discord import limits
from bot.discord.respond import member_key
from tests import fakes
from tests.conftest import make_profile


# -- driving the interview the way a member does: by what is on screen -----------------------
class Member:
    """A member going through the interview in DMs, pressing what the last message shows."""

    def __init__(self, bot, person: fakes.Person | None = None):
        self.bot, self.person = bot, person or fakes.Person()
        self.screen: fakes.Sent | None = None
        self.last: fakes.Screen | None = None

    async def start(self) -> fakes.Sent:
        i = fakes.interaction(self.bot, self.person)
        await fakes.invoke(self.bot, "plan", i)
        self.last, self.screen = i.screen, i.screen.last
        return self.screen

    def step_id(self) -> str:
        return self.screen.custom_ids()[0].split(":")[2]

    async def press(self, pattern: str) -> fakes.Screen:
        custom_id = fakes.custom_id_of(self.screen, pattern)
        i = fakes.interaction(self.bot, self.person, message=True)
        await fakes.press(self.bot, custom_id, i)
        return self._saw(i)

    async def choose(self, label: str) -> fakes.Screen:
        step = interview.BY_ID[self.step_id()]
        index = next(n for n, c in enumerate(step.choices) if c.label == label)
        return await self.press(rf"pa:iv:{step.id}:{index}")

    async def type(self, value: str, bot=None) -> fakes.Screen:
        """Press "Enter …", then submit the modal it opens (to `bot`, after a restart)."""
        opened = await self.press(r"pa:iv:[a-z0-9_]+:enter")
        modal = opened.last.modal
        assert modal is not None and modal.is_finished()  # discord.py keeps no state for it
        i = fakes.interaction(bot or self.bot, self.person, message=True)
        await fakes.submit(bot or self.bot, modal.custom_id, value, i)
        return self._saw(i)

    def _saw(self, i) -> fakes.Screen:
        self.last = i.screen
        if i.screen.shown() and i.screen.shown()[0].kind != "modal":
            self.screen = i.screen.shown()[0]
        return i.screen


def plan_text(screen: fakes.Screen) -> str:
    return "\n".join(e.description for s in screen.shown() for e in s.embeds if e.description)


# -- tests -----------------------------------------------------------------------------------
async def test_plan_in_a_server_continues_in_dms(bot):
    person = fakes.Person()
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "plan", i)
    assert i.screen.sent[0].kind == "defer" and i.screen.sent[0].ephemeral is True
    assert i.screen.last.ephemeral is True and "I've sent you a DM" in i.screen.last.content
    first = person.dms[0]
    assert first.embed.title.startswith("Step 1 of ")
    assert "What is your USMLE Step 1 result?" in first.embed.description
    assert first.custom_ids() == [
        "pa:iv:step1_result:0",
        "pa:iv:step1_result:1",
        "pa:iv:step1_result:2",
        "pa:iv:step1_result:ask",
        "pa:iv:step1_result:cancel",
    ]


async def test_closed_dms_get_a_clear_message_where_plan_was_used(bot):
    person = fakes.Person(dms_open=False)
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "plan", i)
    text = i.screen.last.content
    assert i.screen.last.ephemeral is True
    assert "direct messages are closed" in text and "Privacy Settings" in text
    assert "allow direct messages from server members" in text and "/plan there" in text


async def test_other_dm_failures_say_to_try_again(bot):
    person = fakes.Person(dms_open=False, dm_error=50001)
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "plan", i)
    assert "try /plan again" in i.screen.last.content and i.screen.last.ephemeral


async def test_plan_in_dms_runs_right_there(bot):
    m = Member(bot)
    first = await m.start()
    assert first.kind == "send" and first.ephemeral is False
    assert first.embed.title.startswith("Step 1 of ") and not m.person.dms


async def test_full_interview_by_buttons_and_modals_ends_with_the_plan(bot):
    m = Member(bot)
    await m.start()
    await m.choose("Passed")
    shown = await m.type("1")
    assert shown.last.kind == "edit" and shown.last.embed.title.startswith("Step 3 of ")
    await m.choose("Yes, I have a score")
    assert m.screen.custom_ids()[0] == "pa:iv:step2ck_score:enter"
    assert "e.g. 232" in m.screen.embed.description
    await m.type("219")
    end = await answer_all_from_attempts(m, goal="Prelim IM, then categorical later")
    assert end.shown()[0].kind == "edit" and "All questions answered" in end.shown()[0].embed.title
    assert end.shown()[0].view is None  # the step's buttons are gone
    plan = plan_text(end)
    assert "219" in plan and "120–150" in plan
    assert {"pa:profile:change", "pa:plan:restart"} <= set(end.shown()[-1].custom_ids())
    profile = await bot.interviews.profile(member_key(m.person))
    assert profile is not None and profile.step2ck_score == 219 and profile.visa == "j1"


async def test_the_number_modal_fits_and_shows_the_hint(bot):
    m = Member(bot)
    await m.start()
    await m.choose("Passed")
    opened = await m.press(r"pa:iv:step1_attempts:enter")
    modal = opened.last.modal
    payload = modal.to_dict()
    assert payload["custom_id"] == "pa:num:step1_attempts" and len(payload["title"]) <= 45
    [label] = payload["components"]
    assert label["type"] == 18 and 1 <= len(label["label"]) <= 45  # ui.Label, not a row
    assert label["component"]["placeholder"] == "e.g. 1" and label["component"]["label"] is None


async def test_a_bad_number_re_asks_the_same_step_with_the_problem(bot):
    m = Member(bot)
    await m.start()
    await m.choose("Passed")
    shown = await m.type("lots")
    assert (
        shown.last.embed.title.startswith("Step 2 of ")
        and "Please type a number (e.g. 1)" in shown.last.embed.description
    )
    assert await bot.store.answers(member_key(m.person)) == {"step1_result": "pass"}
    shown = await m.type("1")
    assert shown.last.embed.title.startswith("Step 3 of ")


async def test_back_skip_only_when_optional_and_cancel_keeps_answers(bot):
    m = Member(bot)
    await m.start()
    await m.choose("Failed (not passed yet)")
    assert not any(c.endswith(":skip") for c in m.screen.custom_ids())  # attempts are needed
    back = await m.press(r"pa:iv:step1_attempts:back")
    assert back.last.embed.title.startswith("Step 1 of ")
    await m.choose("Not taken yet")
    await m.choose("Not yet")
    assert m.screen.custom_ids()[-3:] == [
        "pa:iv:practice_score:skip",
        "pa:iv:practice_score:ask",
        "pa:iv:practice_score:cancel",
    ]
    cancel = await m.press(r"pa:iv:practice_score:cancel")
    assert "/plan" in cancel.last.content and cancel.last.view is None
    assert cancel.last.embeds == []
    assert await bot.store.answers(member_key(m.person)) == {
        "step1_result": "not_taken",
        "ck_status": "not_taken",
    }
    resumed = await Member(bot, m.person).start()
    assert "NBME or UWSA" in resumed.embed.description  # /plan carries on where it stopped


async def test_a_press_on_an_old_message_gets_the_current_step(bot):
    m = Member(bot)
    await m.start()
    await m.choose("Passed")
    await m.type("1")
    await m.choose("Yes, I have a score")
    old = m.screen  # asks for the Step 2 CK score
    await m.press(r"pa:iv:step2ck_score:back")
    await m.choose("Not yet")  # the score no longer applies
    m.screen = old
    stale = await m.type("230")
    assert "no longer applies" in stale.last.embed.description
    assert "NBME or UWSA" in stale.last.embed.description
    assert "step2ck_score" not in await bot.store.answers(member_key(m.person))


async def test_the_interview_survives_a_restart(tmp_path, advisor):
    db = tmp_path / "restart.db"
    first = await fakes.make_bot(db, advisor)
    m = Member(first)
    await m.start()
    await m.choose("Passed")
    await m.type("1")
    await m.choose("Yes, I have a score")
    opened = await m.press(r"pa:iv:step2ck_score:enter")  # the modal is open…
    modal = opened.last.modal
    await first.store.close()  # …when the bot restarts

    second = await fakes.make_bot(db, advisor)  # a new process over the same file
    m.bot = second
    i = fakes.interaction(second, m.person, message=True)
    await fakes.submit(second, modal.custom_id, "219", i)
    m._saw(i)
    assert i.screen.last.embed.title.startswith("Step 5 of ")
    end = await answer_all_from_attempts(m)
    assert "All questions answered" in end.shown()[0].embed.title and "219" in plan_text(end)
    await second.store.close()


async def answer_all_from_attempts(
    m: Member, goal: str = "Any prelim IM spot with a visa"
) -> fakes.Screen:
    """From the Step 2 CK attempts to the end: J-1, no USCE, optional steps skipped."""
    await m.type("1")
    await m.press(r"pa:iv:practice_score:skip")
    await m.choose("J-1")
    await m.type("0")
    await m.press(r"pa:iv:us_letters:skip")
    await m.press(r"pa:iv:yog:skip")
    return await m.choose(goal)


async def test_200_members_at_once_never_mix_answers(bot):
    members = [Member(bot) for _ in range(200)]

    async def run(n: int, m: Member) -> None:
        await m.start()
        await m.choose("Passed")
        await m.type(str(1 + n % 3))
        await m.choose("Yes, I have a score")
        await m.type(str(200 + n % 90))
        await m.type(str(1 + n % 2))

    await asyncio.gather(*(run(n, m) for n, m in enumerate(members)))
    for n, m in enumerate(members):
        assert await bot.store.answers(member_key(m.person)) == {
            "step1_result": "pass",
            "step1_attempts": 1 + n % 3,
            "ck_status": "taken",
            "step2ck_score": 200 + n % 90,
            "step2ck_attempts": 1 + n % 2,
        }
        assert m.screen.embed.title.startswith("Step 6 of ")


async def test_plan_when_complete_shows_the_plan_with_change_and_start_over(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=240))
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "plan", i)
    assert "your plan" in i.screen.last.content
    assert "All questions answered" in person.dms[0].embed.title
    assert "240" in "\n".join(e.description for s in person.dms for e in s.embeds)
    assert {"pa:profile:change", "pa:plan:restart"} <= set(person.dms[-1].custom_ids())

    restart = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:plan:restart", restart)
    assert restart.screen.last.embed.title.startswith("Step 1 of ")
    assert await bot.store.answers(member_key(person)) == {}


async def test_every_plan_fits_discord_and_a_long_one_is_split(bot, monkeypatch):
    from bot.samples import SAMPLE_PROFILES

    for name, profile in SAMPLE_PROFILES.items():
        person = fakes.Person()
        await bot.interviews.import_profile(member_key(person), profile)
        i = fakes.interaction(bot, person)
        await fakes.invoke(bot, "plan", i)  # the fakes check every message's limits
        assert len(i.screen.shown()) >= 2, name

    paragraph = "- " + "word " * 150
    long_plan = "\n\n".join(f"**{n}.** {paragraph}" for n in range(60))  # ~46 000 characters
    monkeypatch.setattr(
        type(bot.holder.current), "render_plan", lambda self, p, pr, view="full": long_plan
    )
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile())
    i = fakes.interaction(bot, person)
    await fakes.invoke(bot, "plan", i)
    parts = [e.description for s in i.screen.shown()[1:] for e in s.embeds]
    assert len(parts) >= 12 and all(len(p) <= limits.EMBED_DESCRIPTION for p in parts)
    assert all(len(s.embeds) == 1 for s in i.screen.shown())
    assert " ".join("\n\n".join(parts).split()) == " ".join(long_plan.split())


async def test_rate_limited_dm_gives_a_clear_message_and_is_logged(bot, caplog):
    from unittest.mock import AsyncMock, MagicMock

    import discord

    person = fakes.Person()
    i = fakes.interaction(bot, person, guild=True)
    limited = discord.HTTPException(
        MagicMock(status=429, reason="Too Many Requests"), "rate limited"
    )
    i.user.send = AsyncMock(side_effect=limited)
    i.user.create_dm = AsyncMock(side_effect=limited)
    await fakes.invoke(bot, "plan", i)
    assert "try /plan again" in i.screen.last.content and i.screen.last.ephemeral
    assert any("HTTP 429" in r.getMessage() for r in caplog.records)
