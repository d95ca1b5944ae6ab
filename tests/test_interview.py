import pytest

from bot import interview as iv
from bot.interview import AnswerError


def run(inputs: list[str]) -> dict:
    """Answer the interview with typed inputs ('skip' skips), as the console does."""
    answers: dict = {}
    for text in inputs:
        step = iv.next_step(answers)
        assert step is not None, f"interview ended before input {text!r}"
        answers = iv.skip(answers, step) if text == "skip" else iv.answer(answers, step, text)
    return answers


FULL = ["pass", "1", "yes", "232", "1", "228", "j1", "4", "yes", "2", "2019", "categorical"]


def test_full_interview_builds_the_profile_typed_in():
    answers = run(FULL)
    assert iv.next_step(answers) is None
    p = iv.to_profile(answers)
    assert (p.step1_result, p.step2ck_score, p.practice_score, p.visa) == ("pass", 232, 228, "j1")
    assert (p.usce_months, p.usce_hands_on, p.us_letters, p.yog, p.goal) == (
        4,
        True,
        2,
        2019,
        "categorical_later",
    )


def test_no_ck_score_or_attempt_questions_when_ck_not_taken():
    answers = run(["pass", "1", "not yet"])
    assert iv.next_step(answers).id == "practice_score"
    answers = run(["pass", "1", "no", "skip", "61", "h1b", "0", "skip", "skip", "skip"])
    asked = set(answers)
    assert "step2ck_score" not in asked and "step2ck_attempts" not in asked
    p = iv.to_profile(answers)
    assert p.step2ck_score is None and p.step2ck_attempts == 0 and p.uworld_percent == 61


def test_no_step1_attempts_question_when_not_taken_and_no_hands_on_question_without_usce():
    answers = run(["not taken", "yes", "240", "1", "skip", "either", "0", "skip", "skip", "skip"])
    assert "step1_attempts" not in answers and "usce_hands_on" not in answers
    assert iv.to_profile(answers).step1_attempts == 0


def test_uworld_question_only_before_ck():
    assert "uworld_percent" not in run(FULL)


def test_next_step_is_a_pure_function_of_answers():
    answers = run(["fail", "2", "yes"])
    assert iv.next_step(answers) is iv.next_step(dict(answers))
    assert iv.next_step(answers).id == "step2ck_score"


@pytest.mark.parametrize(
    ("step", "before", "text", "says"),
    [
        ("step1_result", [], "maybe", "Please choose one of"),
        ("step1_attempts", ["pass"], "two", "whole number"),
        ("step1_attempts", ["pass"], "0", "earlier answers"),
        ("step2ck_score", ["pass", "1", "yes"], "two-thirty", "whole number"),
        ("step2ck_score", ["pass", "1", "yes"], "400", "1 to 300"),
        ("step2ck_score", ["pass", "1", "yes"], "232.5", "whole number"),
        ("visa", ["pass", "1", "yes", "232", "1", "skip"], "green", "Please choose one of"),
        ("usce_months", ["pass", "1", "yes", "232", "1", "skip", "j1"], "-2", "0 or more"),
        ("yog", ["pass", "1", "yes", "232", "1", "skip", "j1", "0", "0"], "1900", "1950 to 2035"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_problem(step, before, text, says):
    answers = run(before)
    current = iv.next_step(answers)
    assert current.id == step
    with pytest.raises(AnswerError) as info:
        iv.answer(answers, current, text)
    assert says in str(info.value)


def test_required_steps_cannot_be_skipped():
    with pytest.raises(AnswerError):
        iv.skip({}, iv.BY_ID["step1_result"])


def test_back_returns_to_previous_question_and_forgets_its_answer():
    answers = run(["pass", "2", "yes", "232"])
    previous = iv.back(answers)
    assert iv.next_step(previous).id == "step2ck_score"
    assert "step2ck_score" not in previous
    assert iv.back({}) == {}


def test_changing_an_earlier_answer_drops_answers_that_no_longer_apply_from_the_profile():
    answers = run(FULL)
    answers = iv.answer(answers, iv.BY_ID["ck_status"], "not yet")
    assert iv.next_step(answers).id == "uworld_percent"
    answers = iv.skip(answers, iv.next_step(answers))
    assert iv.to_profile(answers).step2ck_score is None


def test_progress_counts_down_as_branches_are_ruled_out():
    first, total = iv.progress({})
    assert first == 1 and total == len(iv.STEPS)
    current, smaller = iv.progress({"step1_result": "not_taken"})
    assert current == 2 and smaller == total - 1


def test_choices_accept_numbers_labels_and_common_words():
    step = iv.BY_ID["visa"]
    assert [iv.parse_answer(step, t) for t in ("1", "H-1B", "either", "No")] == [
        "j1",
        "h1b",
        "either",
        "none",
    ]
    assert iv.parse_answer(iv.BY_ID["usce_hands_on"], True) is True


def test_profile_round_trips_through_answers():
    p = iv.to_profile(run(FULL))
    assert iv.to_profile(iv.answers_from_profile(p)) == p


def test_step_titles_fit_a_discord_modal_title():
    assert all(len(s.title) <= 45 for s in iv.STEPS)
