"""Regressions found in review: each is something a member or moderator would have hit."""

import pytest

from bot import interview
from bot.advisor import Advisor
from bot.interview import AnswerError
from bot.knowledge import KnowledgeError
from bot.profile import ProfileError, parse_profile
from bot.session import Interviews
from tests.conftest import make_profile


def test_real_ck_score_wins_over_a_practice_score_in_the_same_question(advisor):
    assert "(235–244)" in advisor.ask("uwsa2 245 ck 238, is that enough").reply
    reply = advisor.ask("nbme 221 and ck 240, how many programs").reply
    assert "235–244" in reply and "215–224" not in reply


def test_never_failed_is_not_multiple_failures(advisor):
    answer = advisor.ask("never failed, passed both steps first try, 240 enough?")
    assert answer.entry == "score-check"  # "never failed" is background, not the topic
    assert "**235–244**" in answer.reply and "rescue mission" not in answer.reply


@pytest.mark.parametrize("question", ["how are you", "what do you do", "why", "when?"])
def test_question_words_alone_are_refused(advisor, question):
    assert not advisor.ask(question).matched


@pytest.mark.parametrize(
    "question",
    [
        "eras fee for 230 ck",
        "how much is the ck exam fee if i got 230",
        "how much does ck cost, i got 230",
    ],
)
def test_out_of_scope_question_with_a_score_is_still_refused(advisor, question):
    assert not advisor.ask(question).matched


def test_failures_without_a_score_place_the_member_when_asked_about_chances(advisor):
    profile = parse_profile(
        {
            "step1_result": "fail",
            "step1_attempts": 2,
            "step2ck_score": None,
            "step2ck_attempts": 0,
            "visa": "j1",
        }
    )
    assert "< 215 or multiple failures" in advisor.ask("what are my chances", profile).reply
    research = advisor.ask("does research help", profile).reply
    assert research.startswith("For prelim IM, research")  # the answer first, not the band


async def test_reopening_an_answer_keeps_it_until_a_new_one_is_given(store):
    interviews = Interviews(store)
    await interviews.import_profile("m", make_profile(step2ck_score=240))
    turn = await interviews.reopen("m", "step2ck_score")
    assert turn.step.id == "step2ck_score"
    assert (await store.answers("m"))["step2ck_score"] == 240
    await interviews.give("m", "step2ck_score", "229")
    assert (await interviews.profile("m")).step2ck_score == 229


async def test_restart_clears_answers_but_not_votes(store):
    interviews = Interviews(store)
    await interviews.give("m", "step1_result", "pass")
    await store.vote("a1", "m", "ck-timing", 1)
    turn = await interviews.restart("m")
    assert turn.step.id == "step1_result" and await store.answers("m") == {}
    assert (await store.entry_stats(None, everywhere=True))[0]["up"] == 1


async def test_forget_removes_a_moderators_name_from_reload_history(store):
    await store.record_reload("Mod (123)", "abc", {"topics": 1}, True, member="discord:123")
    assert await store.rows_about("discord:123") == 1
    await store.forget("discord:123")
    assert await store.rows_about("discord:123") == 0
    assert (await store.reloads(None, everywhere=True))[0]["who"] == "(deleted member)"


def test_absurdly_long_number_is_refused_not_a_crash():
    with pytest.raises(AnswerError):
        interview.parse_answer(interview.BY_ID["step2ck_score"], "9" * 5000)


def test_infinite_numbers_and_all_problems_at_once():
    with pytest.raises(ProfileError) as info:
        parse_profile(
            {
                "step1_result": "pass",
                "step1_attempts": 0,
                "step2ck_score": "230",
                "step2ck_attempts": 1,
                "visa": "j1",
                "usce_months": float("inf"),
            }
        )
    fields = [p.split(":")[0] for p in info.value.problems]
    assert fields == ["step2ck_score", "usce_months", "step1_attempts"]


def test_impossible_date_is_a_located_error(kb_copy):
    path = kb_copy / "bands.yaml"
    path.write_text(path.read_text().replace("reviewed: 2026-11-25", "reviewed: 2026-02-30", 1))
    with pytest.raises(KnowledgeError) as info:
        Advisor.load(kb_copy)
    assert "bands.yaml:" in str(info.value) and "2026-02-30" in str(info.value)


def test_out_of_scope_reply_that_cannot_render_is_refused(kb_copy):
    path = kb_copy / "out_of_scope.yaml"
    path.write_text(
        path.read_text().replace(
            "    reply: The guide", "    reply: For {{ band.label }} the guide", 1
        )
    )
    with pytest.raises(KnowledgeError) as info:
        Advisor.load(kb_copy, verify=True)
    assert "out_of_scope.yaml" in str(info.value) and "reply" in str(info.value)


async def test_reopened_step_shows_its_own_position(store):
    interviews = Interviews(store)
    await interviews.import_profile("m", make_profile(step2ck_score=240))
    turn = await interviews.reopen("m", "step1_result")
    assert turn.progress_line.startswith("Step 1 of")
