"""Answers say what the guide says, for whom it says it (fidelity audit, issue 15 item 5)."""

from pathlib import Path

import yaml

from tests.conftest import make_profile

OUT_OF_SCOPE = Path(__file__).resolve().parents[1] / "knowledge" / "out_of_scope.yaml"


def test_delay_question_cautions_about_retakes_only_below_225_or_after_a_failure(advisor):
    assert (
        "retake impulsively" not in advisor.ask("should i delay for a better score, ck 250").reply
    )
    profile = make_profile(step2ck_score=250)
    assert "retake impulsively" not in advisor.ask("should i delay my application", profile).reply
    assert "retake impulsively" in advisor.ask("should i delay or retake, ck 218").reply
    failed = make_profile(step2ck_score=231, step2ck_attempts=2)
    assert (
        "retake impulsively (if allowed)"
        in advisor.ask("should i delay my application", failed).reply
    )


def test_low_score_overview_keeps_if_allowed(advisor):
    reply = advisor.ask("what are the two goals of a ck plan, i have 219")
    assert "retake impulsively (if allowed)" in reply.reply


def test_timeline_refusal_quotes_the_guide_on_emails():
    entry = next(
        e for e in yaml.safe_load(OUT_OF_SCOPE.read_text())["out_of_scope"]
        if e["id"] == "timeline-dates"
    )  # fmt: skip
    assert "is when to email" not in entry["reply"]
    assert "consider targeted, polite emails" in " ".join(entry["reply"].split())


def test_prelim_role_and_visa_emails_are_advice_for_lower_scores(advisor):
    def plan_text(score):
        profile = make_profile(step2ck_score=score, visa="j1")
        return advisor.render_plan(advisor.plan(profile), profile)

    high, low = plan_text(250), plan_text(220)
    assert "explicitly mention your genuine understanding" not in high
    assert "In emails to programs" not in high
    assert "explicitly mention your genuine understanding" in low
    assert "In emails to programs" in low


def test_resource_questions_get_the_core_resources_and_no_brand_comparison(advisor):
    for question in ("amboss or kaplan", "is boards and beyond enough"):
        answer = advisor.ask(question)
        assert answer.entry == "ck-resources", question
        assert "UWorld Step 2 CK (main Qbank)" in answer.reply
        assert "compares no other brands" in answer.reply


def test_heavy_on_ck_question_names_biostatistics_ethics_and_management(advisor):
    answer = advisor.ask("which subjects are heavy on CK")
    assert answer.matched and "biostatistics, ethics, and management" in answer.reply


def test_a_retake_question_with_a_failure_and_a_higher_score_says_the_advice_is_for_it(advisor):
    reply = advisor.ask("i failed ck once, then got 240 on the retake. should i retake again?").reply
    assert reply.startswith("**Do not panic and retake impulsively (if allowed).**"), reply
    assert "This advice is also for anyone with a failure, though your 240" in reply, reply
    plain = advisor.ask("ck 240, should i retake?").reply
    assert "retake advice is written for a Step 2 CK lower than ~225, or a failure" in plain, plain


def test_delaying_ck_so_programs_dont_see_the_score_hears_the_guide_on_hiding_scores(advisor):
    reply = advisor.ask("should i take ck late so programs dont see my score when i apply").reply
    assert "mid-August–early September" in reply and "do not hide scores" in reply, reply
    assert "hide" not in advisor.ask("when should my ck score be out").reply


def test_an_age_question_hears_that_the_guide_speaks_of_graduation_year_not_age(advisor):
    reply = advisor.ask("im 41 years old, is it too late to match prelim im?").reply
    assert "older grads may need to compensate more" in reply, reply
    assert "doesn’t talk about age" in reply, reply
    assert "about age" not in advisor.ask("does my yog matter").reply
    assert "about age" not in advisor.ask("how to explain 3 year gap").reply


def test_the_targeting_advice_keeps_the_guides_example_range_and_places_the_score_once(advisor):
    """The guide's targeting list is "if your Step 2 CK is, for example, 215–230": a 232 is told
    that example, not that the guide said it for 225–234; the score is placed once."""
    reply = advisor.ask("should I apply to university programs with 232").reply
    assert reply.startswith("If your Step 2 CK is, for example, 215–230, focus on:"), reply
    assert reply.count("(225–234)") == 1, reply


def test_a_score_inside_the_guides_215_230_example_is_told_the_program_count_directly(advisor):
    inside = advisor.ask("ck 229 how many programs should i apply to").reply
    assert "Your score is inside the guide’s example for its one program count" in inside, inside
    assert "above 230 it gives no count" not in inside
    above = advisor.ask("ck 232 how many programs should i apply to").reply
    assert "above 230 it gives no count" in above and "inside the guide" not in above, above


def test_multiple_failures_with_a_score_in_the_example_range_hear_where_the_count_comes_from(
    advisor,
):
    reply = advisor.ask("ck 229 after failing ck twice, how many programs").reply
    assert "the guide’s count comes with the example of a Step 2 CK of 215–230" in reply, reply
    assert "with a higher score, the guide gives no program count" not in reply


def test_a_question_about_img_friendly_states_hears_the_guide_names_none(advisor):
    assert "doesn’t name states" in advisor.ask("which states are img friendly").reply
