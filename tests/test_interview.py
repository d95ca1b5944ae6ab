import pytest

from bot import interview as iv
from bot.interview import AnswerError
from bot.typed import is_question


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
        ("step1_attempts", ["pass"], "two or three", "which number you meant"),
        ("step1_attempts", ["pass"], "0", "earlier answers"),
        ("step1_attempts", ["pass"], "none", "Please type a number (e.g. 1)"),
        ("step2ck_score", ["pass", "1", "yes"], "two three", "which number you meant"),
        ("step2ck_score", ["pass", "1", "yes"], "great", "Please type a number (e.g. 232)"),
        ("step2ck_score", ["pass", "1", "yes"], "400", "1 to 300"),
        ("step2ck_score", ["pass", "1", "yes"], "232.5", "whole number"),
        # a range is not a score: storing 235 for "mid 230s" would invent one
        ("step2ck_score", ["pass", "1", "yes"], "mid 230s", "anything from 233 to 237"),
        ("step2ck_score", ["pass", "1", "yes"], "230ish", "exact number (e.g. 232)"),
        ("visa", ["pass", "1", "yes", "232", "1", "skip"], "purple", "Please choose one of"),
        ("usce_months", ["pass", "1", "yes", "232", "1", "skip", "j1"], "-2", "0 or more"),
        ("usce_months", ["pass", "1", "yes", "232", "1", "skip", "j1"], "2-3 months", "(2 and 3)"),
        ("usce_months", ["pass", "1", "yes", "232", "1", "skip", "j1"], "8 weeks", "in months"),
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


def test_the_step_count_never_goes_down_as_branches_are_ruled_out():
    assert iv.progress({}) == (1, 12)  # the longest way through: 12 questions
    answers: dict = {}
    seen = []
    for text in ["not taken", "no", "skip", "skip", "j1", "0", "skip", "skip", "skip"]:
        seen.append(iv.progress(answers))
        answers = iv.answer(answers, iv.next_step(answers), text)
    assert [total for _, total in seen] == [12] * len(seen)
    assert [n for n, _ in seen] == list(range(1, len(seen) + 1))
    assert iv.next_step(answers) is None  # a shorter way finishes sooner


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


def answered(step_id: str, text: str, before: list[str] | None = None):
    answers = run(before or [])
    if iv.next_step(answers).id != step_id:
        answers = {**answers}
    return iv.answer(answers, iv.BY_ID[step_id], text, confirmed=True)[step_id]


@pytest.mark.parametrize(
    ("step_id", "text", "value"),
    [
        ("usce_months", "3 months", 3),
        ("usce_months", "none", 0),
        ("usce_months", "no", 0),
        ("usce_months", "1.5 years", 18),
        ("usce_months", "2,5", 2.5),
        ("us_letters", "2 letters", 2),
        ("us_letters", "zero", 0),
        ("us_letters", "one", 1),
        ("us_letters", "I don't have any", 0),
        ("us_letters", "not sure", None),
        ("practice_score", "haven't taken an NBME yet", None),
        ("practice_score", "NBME 228", 228),
        ("practice_score", "228 on uwsa", 228),
        ("practice_score", "uwsa 2: 228", 228),
        ("practice_score", "don't know", None),
        ("step2ck_score", "two thirty", 230),
        ("step2ck_score", "two-thirty-one", 231),
        ("step2ck_score", "my step 2 ck score is 241", 241),
        ("step1_attempts", "twice", 2),
        ("step1_attempts", "passed on my first attempt", 1),
        ("yog", "twenty twenty-one", 2021),
        ("yog", "graduated in 2019", 2019),
        ("uworld_percent", "62%", 62),
    ],
)
def test_numbers_are_read_as_people_type_them(step_id, text, value):
    before = {"step2ck_score": ["pass", "1", "yes"], "step1_attempts": ["pass"]}.get(step_id)
    got = answered(step_id, text, before)
    assert got == value and (
        value is None or type(got) is type(iv.parse_answer(iv.BY_ID[step_id], value))
    )


@pytest.mark.parametrize(
    ("step_id", "text", "value"),
    [
        ("step1_result", "yes I passed", "pass"),
        ("step1_result", "fai", "fail"),
        ("ck_status", "yes, I have a score", "taken"),
        ("ck_status", "n", "not_taken"),
        ("usce_hands_on", "y", True),
        ("usce_hands_on", "nope", False),
        ("goal", "categ", "categorical_later"),
        ("goal", "2", "region"),
        ("visa", "h-1b", "h1b"),
        ("usce_hands_on", "not sure", None),
        ("goal", "don't know", None),
    ],
)
def test_choices_by_number_name_prefix_or_in_a_sentence(step_id, text, value):
    assert iv.parse_answer(iv.BY_ID[step_id], text) == value


def test_two_choices_in_one_line_are_not_guessed():
    with pytest.raises(AnswerError, match="Please choose one of: 1\\) Passed"):
        iv.parse_answer(iv.BY_ID["step1_result"], "no, I failed")


def test_enter_or_skip_leaves_an_optional_step_unknown_not_zero():
    answers = run(["pass", "1", "yes", "232", "1", "", "j1", "skip", "", "skip", ""])
    assert iv.next_step(answers) is None
    assert answers["usce_months"] is None and answers["us_letters"] is None
    assert answers["practice_score"] is None and answers["goal"] is None
    summary = dict(iv.summary(answers))
    assert summary["US letters"] == "skipped (not given)"
    with pytest.raises(AnswerError, match="can't be skipped"):
        iv.answer({}, iv.BY_ID["step1_result"], "")


@pytest.mark.parametrize(
    ("step_id", "value", "says"),
    [
        ("step1_attempts", 4, "Did you mean 4 attempts at Step 1? (yes/no)"),
        ("step2ck_attempts", 11, "Did you mean 11 attempts at Step 2 CK?"),
        ("usce_months", 48, "Did you mean 48 months of US clinical experience?"),
        ("us_letters", 7, "Did you mean 7 US letters of recommendation?"),
        ("step2ck_score", 170, "Did you mean a Step 2 CK score of 170?"),
        ("practice_score", 150, "Did you mean a practice score of 150?"),
        ("yog", 2005, "Did you mean you graduated in 2005, 21 years ago?"),
        ("yog", 2028, "Did you mean you will graduate in 2028?"),
    ],
)
def test_unlikely_values_are_confirmed_before_saving(step_id, value, says):
    import datetime as dt

    today = dt.date(2026, 12, 7)
    step = iv.BY_ID[step_id]
    assert iv.unlikely(step, value, today).startswith(says)
    answers = {"step1_result": "pass", "ck_status": "taken", "step2ck_score": 230}
    with pytest.raises(iv.NeedsConfirmation) as info:
        iv.answer(answers, step, str(value), today=today)
    assert info.value.value == value
    assert iv.answer(answers, step, str(value), confirmed=True, today=today)[step_id] == value


@pytest.mark.parametrize(
    ("step_id", "value"),
    [("step1_attempts", 3), ("usce_months", 36), ("us_letters", 6), ("step2ck_score", 180),
     ("yog", 2011), ("yog", 2026)],
)  # fmt: skip
def test_usual_values_are_not_questioned(step_id, value):
    import datetime as dt

    assert iv.unlikely(iv.BY_ID[step_id], value, dt.date(2026, 12, 7)) is None


def test_changing_a_choice_re_asks_what_depends_on_it_and_only_that():
    answers = run(FULL)
    changed = iv.answer(answers, iv.BY_ID["step1_result"], "fail")
    assert iv.next_step(changed).id == "step1_attempts"  # "2 attempts" meant something else
    more = iv.answer(answers, iv.BY_ID["usce_months"], "6")
    assert iv.next_step(more) is None and more["usce_hands_on"] is True  # still applies: kept
    none = iv.answer(answers, iv.BY_ID["usce_months"], "0")
    assert "usce_hands_on" not in none  # no longer applies: dropped, never comes back unasked
    again = iv.answer(none, iv.BY_ID["usce_months"], "2")
    assert iv.next_step(again).id == "usce_hands_on"
    skipped = iv.answer(again, iv.BY_ID["usce_hands_on"], "skip")
    same = iv.answer(skipped, iv.BY_ID["usce_months"], "2")  # `change usce`, same months
    assert iv.next_step(same).id == "usce_hands_on"  # the skipped question comes back


@pytest.mark.parametrize(
    ("name", "step_id"),
    [("letters", "us_letters"), ("usce", "usce_months"), ("yog", "yog"), ("goal", "goal"),
     ("Year of graduation", "yog"), ("practice", "practice_score"), ("visa", "visa")],
)  # fmt: skip
def test_change_finds_a_step_by_its_short_name(name, step_id):
    assert iv.find_step(name).id == step_id
    assert iv.find_step("pizza") is None


@pytest.mark.parametrize(
    "line, asks",
    [
        ("ck 248 but i failed step 1, what should my letters say", True),
        ("2 months hands on, is that enough for prelim", True),
        ("passed, on the second attempt", False),
        ("i passed step 1, which took two tries", False),  # a relative clause, not a question
        ("failed once, then passed", False),
        # answers with a remark after them stay answers
        ("not yet, will take it in june", False),
        ("not yet, am sitting for it in june", False),
        ("3 months total, did not do any hands on", False),
        ("j1 for now, may need h1b later", False),
        ("i have 2 us letters, should get a third soon", False),
        ("passed, did it on first attempt in 2021", False),
        ("ck 248 but i failed step 1 what should my letters say", True),  # no comma
        ("ck 248 but i failed step 1, what should my letters say, pls help", True),
    ],
)
def test_a_line_ending_in_a_question_after_its_background_is_a_question(line, asks):
    assert is_question(line) is asks
