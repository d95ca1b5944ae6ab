"""The optional program list: checked like the rest of the knowledge, filtered by visa and state."""

import shutil
from pathlib import Path

import pytest

from bot.advisor import Advisor
from bot.knowledge import KnowledgeError
from bot.programs import load_programs, program_list
from tests.conftest import make_profile

FIXTURE = Path(__file__).parent / "data" / "programs" / "programs.yaml"


@pytest.fixture
def with_programs(kb_copy: Path) -> Path:
    shutil.copy(FIXTURE, kb_copy / "programs.yaml")
    return kb_copy


def names(programs) -> list[str]:
    return [p.name.split()[1] for p in programs]


def test_shipped_knowledge_has_no_program_data():
    assert not (Path(__file__).resolve().parents[1] / "knowledge" / "programs.yaml").exists()


def test_programs_are_filtered_by_visa_and_prelim_offer():
    programs = load_programs(FIXTURE.parent)
    j1 = program_list(programs, make_profile(visa="j1", step2ck_score=230))
    assert names(j1.match) == ["River"] and names(j1.safety) == ["Lakeside"] and not j1.reach
    h1b = program_list(programs, make_profile(visa="h1b", step2ck_score=230))
    assert names(h1b.reach) == ["Summit"] and names(h1b.match) == ["River"] and not h1b.safety
    assert "Valley" not in names(h1b.match + h1b.safety + h1b.reach + h1b.unsorted)  # no prelim IM


def test_programs_are_filtered_by_state():
    programs = load_programs(FIXTURE.parent)
    only_yy = program_list(
        programs, make_profile(visa="either", step2ck_score=250), frozenset({"YY"})
    )
    assert names(only_yy.match) == ["Summit"] and only_yy.total == 1


def test_score_sorts_reach_match_safety():
    programs = load_programs(FIXTURE.parent)
    high = program_list(programs, make_profile(visa="either", step2ck_score=250))
    assert names(high.safety) == ["Lakeside"] and names(high.match) == ["Summit"]
    # Above a university-affiliated program's range is not the guide's "safety" (IMG-friendly,
    # community-heavy, less desirable locations): the member checks it themselves.
    assert names(high.unsorted) == ["River"]


def test_plan_names_reach_match_safety_in_the_guides_words_and_not_as_guide_facts(with_programs):
    advisor = Advisor.load(with_programs, verify=True)
    texts = []
    for visa in ("h1b", "j1"):  # h1b: Summit is a reach; j1: Lakeside is a safety
        profile = make_profile(step2ck_score=230, visa=visa)
        texts.append(advisor.render_plan(advisor.plan(profile), profile))
    reach, safety = (t.split("Programs from this server’s list")[1] for t in texts)
    assert "below their usual IMG range, but you have other strengths" in reach
    assert "more IMG-friendly, community-heavy, less desirable locations" in safety
    for text in texts:
        programs = text.split("Programs from this server’s list")[1]
        assert "above their" not in programs.lower()
        assert "Every point comes from the guide" not in text
        assert "not from the guide" in programs


def test_plan_lists_programs_with_the_guide_count(with_programs):
    advisor = Advisor.load(with_programs, verify=True)
    profile = make_profile(step2ck_score=219, visa="j1")
    text = advisor.render_plan(advisor.plan(profile), profile)
    assert "Programs from this server’s list" in text and "Fictional Lakeside" in text
    assert "120–150+" in text.split("Programs from this server’s list")[1]


def test_broken_program_file_is_refused_with_file_and_line(with_programs):
    path = with_programs / "programs.yaml"
    path.write_text(
        path.read_text()
        .replace("    visas: [j1]\n", "    visa: [j1]\n")
        .replace("state: YY", "state: Yonder", 1)
    )
    with pytest.raises(KnowledgeError) as info:
        Advisor.load(with_programs, verify=True)
    text = str(info.value)
    assert "programs.yaml:" in text and "field 'visa'" in text and "field 'state'" in text
