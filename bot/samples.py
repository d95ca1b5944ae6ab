"""Sample profiles used to check that every template renders, one per band and special case."""

from __future__ import annotations

from bot.profile import Profile

_BASE = {"step1_result": "pass", "step1_attempts": 1, "step2ck_attempts": 1, "visa": "j1"}

SAMPLE_PROFILES: dict[str, Profile] = {
    "ck-250": Profile(
        **_BASE, step2ck_score=250, us_letters=3, usce_months=6, usce_hands_on=True, yog=2024
    ),
    "ck-240": Profile(**_BASE, step2ck_score=240, goal="region"),
    "ck-230": Profile(**{**_BASE, "visa": "h1b"}, step2ck_score=230),
    "ck-219": Profile(**_BASE, step2ck_score=219, yog=2012),
    "ck-210": Profile(**_BASE, step2ck_score=210, goal="categorical_later"),
    "step1-fail-then-pass": Profile(**{**_BASE, "step1_attempts": 2}, step2ck_score=232),
    "step1-failed": Profile(
        step1_result="fail", step1_attempts=1, step2ck_score=None, step2ck_attempts=0, visa="either"
    ),
    "ck-two-attempts": Profile(
        **{**_BASE, "step2ck_attempts": 2, "visa": "none"}, step2ck_score=226
    ),
    # Optional answers given as none/no (the other samples leave most of them unknown).
    "ck-222-no-usce-no-letters": Profile(
        **_BASE, step2ck_score=222, usce_months=0, us_letters=0, yog=2019, goal="any_prelim"
    ),
    "ck-236-observer-usce": Profile(
        **_BASE, step2ck_score=236, usce_months=2, usce_hands_on=False, us_letters=1
    ),
    "ck-not-taken": Profile(
        step1_result="pass",
        step1_attempts=1,
        step2ck_score=None,
        step2ck_attempts=0,
        visa="j1",
        practice_score=221,
        uworld_percent=58,
    ),
}

#: Scores on each side of every band boundary.
SAMPLE_SCORES = (200, 214, 215, 224, 225, 234, 235, 244, 245, 260)
