import pytest

from bot.profile import ProfileError, parse_profile

GOOD = {
    "step1_result": "pass",
    "step1_attempts": 1,
    "step2ck_score": 232,
    "step2ck_attempts": 1,
    "visa": "j1",
}


def problems(data) -> list[str]:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    return info.value.problems


def test_a_left_out_optional_answer_is_unknown_not_zero():
    p = parse_profile(GOOD)
    assert (p.usce_months, p.usce_hands_on, p.us_letters, p.goal) == (None, None, None, None)
    assert p.practice_score is None and p.yog is None
    assert p.unknown() == [
        "practice_score",
        "uworld_percent",
        "usce_months",
        "usce_hands_on",
        "us_letters",
        "yog",
        "goal",
    ]
    given = parse_profile({**GOOD, "us_letters": 0, "usce_months": 0, "usce_hands_on": False})
    assert (given.us_letters, given.usce_months, given.usce_hands_on) == (0, 0, False)


def test_an_explicit_null_for_an_optional_answer_is_unknown_too():
    p = parse_profile({**GOOD, "us_letters": None, "goal": None})
    assert p.us_letters is None and p.goal is None


def test_full_profile_is_accepted():
    p = parse_profile(
        {
            **GOOD,
            "practice_score": 240,
            "uworld_percent": 67.5,
            "usce_months": 2.5,
            "usce_hands_on": True,
            "us_letters": 3,
            "yog": 2020,
            "goal": "categorical_later",
        }
    )
    assert p.uworld_percent == 67.5 and p.goal == "categorical_later"


def test_not_taken_ck_is_null_score():
    p = parse_profile({**GOOD, "step2ck_score": None, "step2ck_attempts": 0})
    assert not p.ck_taken


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("step1_result", "passed"),
        ("step1_result", 1),
        ("step1_result", None),
        ("step1_attempts", -1),
        ("step1_attempts", "1"),
        ("step1_attempts", 1.5),
        ("step1_attempts", True),
        ("step2ck_score", 0),
        ("step2ck_score", 301),
        ("step2ck_score", "two-thirty"),
        ("step2ck_score", "232"),
        ("step2ck_score", 232.5),
        ("step2ck_attempts", -1),
        ("step2ck_attempts", "one"),
        ("visa", "J-1"),
        ("visa", "h1"),
        ("visa", ""),
        ("practice_score", 0),
        ("practice_score", 400),
        ("practice_score", "230"),
        ("uworld_percent", -1),
        ("uworld_percent", 101),
        ("uworld_percent", "70%"),
        ("usce_months", -0.5),
        ("usce_months", "three"),
        ("usce_hands_on", "yes"),
        ("usce_hands_on", 1),
        ("us_letters", -2),
        ("us_letters", "2"),
        ("yog", 1949),
        ("yog", 2036),
        ("yog", "2019"),
        ("goal", "categorical"),
        ("goal", 3),
    ],
)
def test_each_bad_value_names_its_field_and_what_is_allowed(field, value):
    found = problems({**GOOD, field: value})
    assert len(found) == 1, found
    assert found[0].startswith(f"{field}: ")
    assert "got" in found[0]


def test_every_problem_is_reported_at_once():
    found = problems(
        {
            "step1_result": "maybe",
            "step2ck_score": "two-thirty",
            "visa": "j1",
            "yog": 1800,
            "colour": "red",
        }
    )
    fields = {line.split(":")[0] for line in found}
    assert fields == {
        "step1_result",
        "step2ck_score",
        "yog",
        "colour",
        "step1_attempts",
        "step2ck_attempts",
    }
    assert any("required" in line for line in found if line.startswith("step1_attempts"))


def test_unknown_field_is_an_error_not_ignored():
    found = problems({**GOOD, "step2_score": 240})
    assert len(found) == 1 and found[0].startswith("step2_score: unknown field")


@pytest.mark.parametrize("data", [[], "profile", 42, None])
def test_profile_must_be_an_object(data):
    assert problems(data)[0].startswith("profile:")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"step1_result": "pass", "step1_attempts": 0}, "step1_attempts"),
        ({"step1_result": "not_taken", "step1_attempts": 2}, "step1_attempts"),
        ({"step2ck_score": 230, "step2ck_attempts": 0}, "step2ck_attempts"),
        ({"step2ck_score": None, "step2ck_attempts": 1}, "step2ck_attempts"),
    ],
)
def test_attempts_must_agree_with_results(changes, field):
    found = problems({**GOOD, **changes})
    assert found and found[0].startswith(f"{field}: must be")


def test_failures_are_derived_from_attempts():
    p = parse_profile({**GOOD, "step1_attempts": 2, "step2ck_attempts": 2})
    assert (p.step1_failures, p.step2ck_failures, p.total_failures) == (1, 1, 2)
    failed = parse_profile(
        {
            **GOOD,
            "step1_result": "fail",
            "step1_attempts": 1,
            "step2ck_score": None,
            "step2ck_attempts": 0,
        }
    )
    assert failed.step1_failures == 1
