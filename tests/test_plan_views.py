"""A plan people read: priorities first, short sections, each point once; the guide's hedges kept;
an answer the member didn't give is unknown, never 0 or false."""

import datetime as dt
import re
import statistics
from pathlib import Path

import pytest
import yaml

from bot import interview
from bot.advisor import PlanViewError
from bot.conditions import evaluate
from bot.planning import words
from bot.profile import parse_profile
from tests.conftest import make_profile

TODAY = dt.date(2026, 11, 25)
BANKS = sorted((Path(__file__).parent / "data" / "profiles").glob("*.yaml"))


def bank(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render(advisor, profile, view="full"):
    plan = advisor.plan(profile, today=TODAY)
    return plan, advisor.render_plan(plan, profile, view)


def priorities_block(text: str) -> str:
    return text.split("**Your priorities**", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_median_full_plan_is_600_words_or_fewer_on_every_profile_bank(advisor, path):
    counts = [words(render(advisor, parse_profile(i["profile"]))[1]) for i in bank(path)]
    assert statistics.median(counts) <= 600, sorted(counts)


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_every_plan_opens_with_3_to_5_priorities_in_120_words(advisor, path):
    for item in bank(path):
        plan, text = render(advisor, parse_profile(item["profile"]))
        assert text.index("**Your priorities**") < text.index("**1. ")
        block = priorities_block(text)
        lines = [line for line in block.splitlines() if re.match(r"\d\. ", line)]
        assert 3 <= len(lines) <= 5, (item["name"], block)
        assert words(block) <= 120, item["name"]
        # each priority points at the section that holds its point
        for priority in plan.priorities:
            assert priority.rule in {p.rule for p in plan.parts[priority.part_number - 1].points}


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_no_point_or_sentence_is_repeated_across_sections(advisor, path):
    for item in bank(path):
        plan, _ = render(advisor, parse_profile(item["profile"]))
        sentences = [
            s.strip().lower()
            for point in plan.points()
            for s in re.split(r"(?<=[.!?])\s+", point.text)
            if words(s) >= 6
        ]
        repeated = {s for s in sentences if sentences.count(s) > 1}
        assert not repeated, (item["name"], repeated)


def test_the_pds_know_nothing_paragraph_is_gone_from_every_plan(advisor):
    for path in BANKS:
        for item in bank(path):
            text = render(advisor, parse_profile(item["profile"]))[1]
            assert "know almost nothing about your medical school" not in text


def test_low_score_priorities_are_its_most_urgent_actions(advisor):
    profile = make_profile(step2ck_score=219, us_letters=0, usce_months=0, yog=2020)
    block = priorities_block(render(advisor, profile)[1])
    assert "Apply very broadly (often 120–150+ programs" in block
    assert "Do not panic and retake impulsively" in block
    assert "re-score" not in block  # nothing for a goal they don't have


def test_priorities_view_lists_the_sections_and_a_section_view_shows_only_it(advisor):
    profile = make_profile(step2ck_score=229, visa="h1b", us_letters=1, usce_months=2)
    plan, short = render(advisor, profile, "priorities")
    full = advisor.render_plan(plan, profile)
    assert "**Your priorities**" in short and "**Sections:**" in short
    for number, part in enumerate(plan.parts, 1):
        assert f"{number}. {part.title}" in short
    assert plan.points()[0].text not in short  # the points themselves are not shown
    assert words(short) < words(full) / 2
    visa = advisor.render_plan(plan, profile, "visa")
    assert visa.startswith("**") and "Visa**" in visa and "H-1B" in visa
    assert "Your priorities" not in visa and "Step 2 CK**" not in visa
    assert advisor.render_plan(plan, profile, "3") == advisor.render_plan(
        plan, profile, plan.parts[2].id
    )


def test_an_unknown_section_names_the_ones_the_plan_has(advisor):
    profile = make_profile(step2ck_score=229)
    plan = advisor.plan(profile, today=TODAY)
    with pytest.raises(PlanViewError) as info:
        advisor.render_plan(plan, profile, "hobbies")
    assert "no plan section 'hobbies'" in str(info.value) and "Where you stand" in str(info.value)


# ── fidelity to the guide (independent audit, issue 15 item 5) ───────────────────────────────


def test_a_235_practice_target_keeps_the_guides_condition(advisor):
    _, text = render(
        advisor, make_profile(step2ck_score=None, step2ck_attempts=0, practice_score=241)
    )
    assert "meets ≥ 235 predicted, the guide’s aim if your goal is ~235–245+ real score" in text
    assert "the target performance the guide wants" not in text


def test_uworld_alone_is_often_associated_never_the_target_met(advisor):
    _, text = render(
        advisor, make_profile(step2ck_score=None, step2ck_attempts=0, uworld_percent=71)
    )
    assert "often associated with a ~235+ outcome, but this is not guaranteed" in text
    assert "meets" not in text and "target performance the guide wants" not in text


@pytest.mark.parametrize("practice", [233, 234])
def test_a_practice_score_just_under_235_is_never_called_clearly_below(advisor, practice):
    """The guide's "clearly below your target range" stays the guide's condition ("if ..."):
    the plan never tells a 233–234 that they are clearly below."""
    _, text = render(
        advisor, make_profile(step2ck_score=None, step2ck_attempts=0, practice_score=practice)
    )
    assert "clearly below" in text
    for m in re.finditer(r"clearly below", text):
        assert re.search(
            r"\bif your (self-assessments|practice scores) are $", text[: m.start()], re.I
        )


def test_goal_region_says_nothing_the_guide_does_not(advisor):
    for score in (219, 240):
        _, text = render(advisor, make_profile(step2ck_score=score, goal="region"))
        assert "a prelim IM in a specific region" in text
        assert "how narrow" not in text and "be realistic about" not in text


def test_scoped_advice_is_not_given_to_strong_scores(advisor):
    """The guide gives the personal-statement and email signals "if your Step 2 CK is, for
    example, 215–230": a 250 doesn't get them; a 222 does."""
    _, high = render(advisor, make_profile(step2ck_score=250, visa="j1"))
    _, low = render(advisor, make_profile(step2ck_score=222, visa="j1"))
    for phrase in ("genuine understanding of the prelim role", "reason for interest in their"):
        assert phrase not in high and phrase in low


# ── unknown is not zero (issue 13 item 3) ────────────────────────────────────────────────────


def test_a_test_on_an_unknown_fact_is_false_except_is_null():
    values = {"us_letters": None}
    for cond in ({"lt": 2}, {"eq": 0}, {"ne": 2}, {"not_in": [3]}, {"gte": 0}):
        assert not evaluate({"us_letters": cond}, values), cond
    assert evaluate({"us_letters": {"is_null": True}}, values)
    assert evaluate({"us_letters": {"ne": 2}}, {"us_letters": 0})


def test_skipped_answers_are_unknown_not_zero_and_the_plan_says_once_what_they_would_add(advisor):
    answers = {
        "step1_result": "pass",
        "step1_attempts": 1,
        "ck_status": "taken",
        "step2ck_score": 229,
        "step2ck_attempts": 1,
        "practice_score": None,
        "visa": "j1",
        "usce_months": None,
        "us_letters": None,
        "yog": 2021,
        "goal": None,
    }
    profile = interview.to_profile(answers)
    assert (profile.us_letters, profile.usce_months, profile.goal) == (None, None, None)
    plan, text = render(advisor, profile)
    rules = {p.rule for p in plan.points()}
    assert not rules & {"letters-need-more", "usce-none", "goal-any-prelim"}
    assert "no US letters" not in text and "don’t have US clinical experience" not in text
    assert "any prelim IM spot" not in text
    for word in ("letters", "usce", "goal"):
        assert text.count(f"`change {word}`") == 1, word
    assert "`change practice`" not in text  # a practice score doesn't matter once CK is taken
    # the same answers given as zero/none do fire the advice
    plan0, text0 = render(advisor, profile.model_copy(update={"us_letters": 0, "usce_months": 0}))
    assert "You have no US letter" in text0 and "You don’t have US clinical experience" in text0
    assert "`change letters`" not in text0


def test_one_skipped_answer_gets_the_issues_sentence(advisor):
    profile = make_profile(
        step2ck_score=229, usce_months=2, usce_hands_on=True, yog=2021, goal="any_prelim"
    )
    _, text = render(advisor, profile)
    assert (
        "You didn’t give US letters: the guide’s advice on letters depends on it — `change letters`."
        in text
    )
