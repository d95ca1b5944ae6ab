import pytest

from tests.conftest import make_profile


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (300, "≥ 245–250"),
        (245, "≥ 245–250"),
        (244, "235–244"),
        (235, "235–244"),
        (234, "225–234"),
        (225, "225–234"),
        (224, "215–224"),
        (215, "215–224"),
        (214, "< 215 or multiple failures"),
        (1, "< 215 or multiple failures"),
    ],
)
def test_band_boundaries(advisor, score, label):
    assert advisor.knowledge.band_for(score).label == label


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("is a 214 enough for prelim?", "< 215"),
        ("is a 215 enough for prelim?", "215–224"),
        ("is a 224 enough for prelim?", "215–224"),
        ("is a 225 enough for prelim?", "225–234"),
        ("is a 234 enough for prelim?", "225–234"),
        ("is a 235 enough for prelim?", "235–244"),
        ("is a 244 enough for prelim?", "235–244"),
        ("is a 245 enough for prelim?", "≥ 245"),
    ],
)
def test_score_in_question_is_answered_from_its_band(advisor, question, label):
    answer = advisor.ask(question)
    assert answer.matched and f"**{label}" in answer.reply


def test_two_failures_put_any_score_in_the_last_band(advisor):
    assert advisor.knowledge.band_for(250, failures=2).id == "rescue"
    assert advisor.knowledge.band_for(250, failures=1).id == "very-competitive"
    p = make_profile(step2ck_score=240, step1_attempts=2, step2ck_attempts=2)
    assert advisor.plan(p).band.id == "rescue"


def test_not_taken_has_no_band(advisor):
    assert advisor.knowledge.band_for(None) is None
