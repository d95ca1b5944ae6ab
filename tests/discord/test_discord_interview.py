"""The DM interview: buttons and modals over the same core the console uses."""

import asyncio

from bot import interview
from bot.discord.items import (
    ChangeAnswerSelect,
    ChoiceButton,
    EnterButton,
    NavButton,
    ShowPlanButton,
)
from bot.discord.messages import member_key
from tests.discord.conftest import invoke, make_bot
from tests.fakes import FakeInteraction, FakeUser


async def press_choice(bot, user, step_id, label):
    step = interview.BY_ID[step_id]
    index = next(i for i, c in enumerate(step.choices) if c.label == label)
    i = FakeInteraction(bot, user, message=True)
    await ChoiceButton(step_id, index).callback(i)
    return i


async def enter_number(bot, user, step_id, text):
    i = FakeInteraction(bot, user, message=True)
    await EnterButton(step_id).callback(i)
    modal = i.last.modal
    assert modal is not None and len(modal.title) <= 45
    modal.value._value = text
    submit = FakeInteraction(bot, user, message=True)
    await modal.on_submit(submit)
    return submit


async def test_plan_in_a_server_continues_in_dms(bot):
    user = FakeUser()
    i = FakeInteraction(bot, user, guild=True)
    await invoke(bot, "plan", i)
    assert i.last.ephemeral and "DM" in i.last.content
    assert user.dms and "Step 1 of" in user.dms[0].embed.title
    assert any(cid.startswith("pa:iv:c:step1_result:") for cid in user.dms[0].custom_ids())


async def test_closed_dms_get_a_clear_message_where_plan_was_used(bot):
    user = FakeUser(dms_open=False)
    i = FakeInteraction(bot, user, guild=True)
    await invoke(bot, "plan", i)
    assert (
        i.last.ephemeral
        and "DMs are closed" in i.last.content
        and "Privacy Settings" in i.last.content
    )


async def test_full_interview_by_buttons_and_modals_ends_with_the_plan(bot):
    user = FakeUser()
    await press_choice(bot, user, "step1_result", "Passed")
    await enter_number(bot, user, "step1_attempts", "1")
    await press_choice(bot, user, "ck_status", "Yes, I have a score")
    shown = await enter_number(bot, user, "step2ck_score", "219")
    assert "Step 5 of" in shown.last.embed.title
    await enter_number(bot, user, "step2ck_attempts", "1")
    await NavButton("skip", "practice_score").callback(FakeInteraction(bot, user, message=True))
    await press_choice(bot, user, "visa", "J-1")
    await enter_number(bot, user, "usce_months", "0")
    await NavButton("skip", "us_letters").callback(FakeInteraction(bot, user, message=True))
    await NavButton("skip", "yog").callback(FakeInteraction(bot, user, message=True))
    last = await press_choice(bot, user, "goal", "Prelim IM, then categorical later")
    assert "All questions answered" in last.sent[0].embed.title
    plan = "\n".join(s.content for s in last.sent if s.kind == "followup")
    assert "120–150" in plan and "219" in plan
    assert all(len(s.content) <= 2000 for s in last.sent if s.kind == "followup")


async def test_bad_number_re_asks_the_same_step_with_the_problem(bot):
    user = FakeUser()
    await press_choice(bot, user, "step1_result", "Passed")
    shown = await enter_number(bot, user, "step1_attempts", "two")
    assert "whole number" in shown.last.embed.description and "Step 2 of" in shown.last.embed.title
    assert await bot.store.answers(member_key(user)) == {"step1_result": "pass"}


async def test_back_and_cancel(bot):
    user = FakeUser()
    await press_choice(bot, user, "step1_result", "Failed (not passed yet)")
    back = FakeInteraction(bot, user, message=True)
    await NavButton("back", "step1_attempts").callback(back)
    assert "Step 1 of" in back.last.embed.title
    cancel = FakeInteraction(bot, user, message=True)
    await NavButton("cancel", "step1_result").callback(cancel)
    assert "/plan" in cancel.last.content and cancel.last.view is None


async def test_interview_survives_a_restart(tmp_path, shipped_advisor):
    db = tmp_path / "restart.db"
    user = FakeUser()
    first = await make_bot(db, shipped_advisor)
    await press_choice(first, user, "step1_result", "Passed")
    await enter_number(first, user, "step1_attempts", "1")
    await first.store.close()
    second = await make_bot(db, shipped_advisor)  # a new process over the same database file
    shown = await press_choice(second, user, "ck_status", "Not yet")
    assert "Step 4 of" in shown.last.embed.title
    profile_answers = await second.store.answers(member_key(user))
    assert profile_answers == {
        "step1_result": "pass",
        "step1_attempts": 1,
        "ck_status": "not_taken",
    }
    await second.store.close()


async def test_200_members_at_once_never_mix(bot):
    users = [FakeUser() for _ in range(200)]

    async def run(n, user):
        await press_choice(bot, user, "step1_result", "Passed")
        await enter_number(bot, user, "step1_attempts", str(1 + n % 3))
        await press_choice(bot, user, "ck_status", "Yes, I have a score")
        await enter_number(bot, user, "step2ck_score", str(200 + n % 90))

    await asyncio.gather(*(run(n, u) for n, u in enumerate(users)))
    for n, user in enumerate(users):
        answers = await bot.store.answers(member_key(user))
        assert answers["step2ck_score"] == 200 + n % 90 and answers["step1_attempts"] == 1 + n % 3


async def test_profile_shows_answers_and_changes_one(bot):
    user = FakeUser()
    await bot.interviews.import_profile(
        member_key(user),
        __import__("tests.conftest", fromlist=["x"]).make_profile(step2ck_score=240),
    )
    i = FakeInteraction(bot, user, guild=True)
    await invoke(bot, "profile", i)
    assert i.last.ephemeral and "Step 2 CK score:** 240" in i.last.embed.description
    change = ChangeAnswerSelect()
    change.item._values = ["step2ck_score"]
    pick = FakeInteraction(bot, user, guild=True, message=True)
    await change.callback(pick)
    assert "Step 2 CK score" in pick.last.embed.description
    again = await enter_number(bot, user, "step2ck_score", "229")
    assert "All questions answered" in again.sent[0].embed.title
    plan = FakeInteraction(bot, user, guild=True, message=True)
    await ShowPlanButton().callback(plan)
    assert "229" in "\n".join(s.content or "" for s in plan.shown())
