"""Safe reload: a broken edit is refused with file and line, and the old knowledge keeps serving."""

import json

import pytest

from bot.advisor import Advisor
from bot.holder import AdvisorHolder


@pytest.fixture
def holder(kb_copy):
    return AdvisorHolder(Advisor.load(kb_copy, verify=True), kb_copy)


def break_file(directory, name, old, new):
    path = directory / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("name", "old", "new", "says"),
    [
        ("bands.yaml", "  - id: solid\n", "  - id: solid\n    label: [unclosed\n", "bands.yaml:"),
        ("topics.yaml", "    keywords:", "    keywrods:", "field 'keywrods'"),
        ("examples/ck-timing.yaml", "\n- ", "\n- [unclosed ", "examples/ck-timing.yaml:"),
        ("bands.yaml", "min: 225", "min: 222", "overlap"),
        ("rules.yaml", "  - id:", "  - priority: high\n    id:", "rules.yaml:"),
        (
            "topics.yaml",
            "    answer: |\n",
            "    answer: |\n      {{ cycler.__init__.__globals__ }}\n",
            "`cycler.__init__` is not allowed",
        ),
        ("synonyms.yaml", "synonyms:\n", "x: &x [1]\ny: *x\nsynonyms:\n", "YAML aliases"),
    ],
)
def test_broken_edit_is_refused_and_old_knowledge_keeps_serving(
    holder, kb_copy, name, old, new, says
):
    before = holder.current
    break_file(kb_copy, name, old, new)
    result = holder.reload()
    assert not result.ok
    assert any(says in e for e in result.errors), result.errors
    assert all(":" in e.split(" ")[0] for e in result.errors)  # file:line first
    assert holder.current is before
    assert holder.current.ask("when should i take step 2 ck").matched


def test_the_reload_is_checked_in_a_child_process_and_carries_its_warnings(holder, kb_copy):
    seen = []

    def checker(directory, templates, timeout):
        from bot.checking import check_in_child

        report = check_in_child(directory, templates, timeout)
        seen.append(report)
        return report

    holder.checker = checker
    break_file(kb_copy, "topics.yaml", "reviewed: 2026-11-25", "reviewed: 2020-01-01")
    result = holder.reload()
    assert result.ok and seen[0].digest == result.digest
    assert any("last reviewed 2020-01-01" in w for w in result.warnings)
    assert [str(w) for w in holder.current.warnings] == result.warnings


def test_colliding_example_is_refused(holder, kb_copy):
    topics = holder.current.knowledge.topics
    stolen = topics[1].examples[0]
    own = f"examples/{topics[0].id}.yaml"
    break_file(kb_copy, own, "\n- ", f"\n- {json.dumps(stolen)}\n- ")
    result = holder.reload()
    assert not result.ok and any("is answered by" in e for e in result.errors)


def test_good_edit_replaces_knowledge_in_one_swap(holder, kb_copy):
    old_digest = holder.current.knowledge.digest
    break_file(kb_copy, "topics.yaml", "reviewed: 2026-11-25", "reviewed: 2026-11-24")
    result = holder.reload()
    assert result.ok and result.changed and result.digest != old_digest
    assert holder.current.knowledge.digest == result.digest


def test_reload_without_changes_says_so(holder):
    result = holder.reload()
    assert result.ok and not result.changed


def test_review_age_warnings_do_not_fail(holder, kb_copy):
    break_file(kb_copy, "topics.yaml", "reviewed: 2026-11-25", "reviewed: 2020-01-01")
    result = holder.reload()
    assert result.ok and any("last reviewed 2020-01-01" in w for w in result.warnings)
