"""The knowledge files: every shipped file loads and renders; every kind of broken edit is
refused with the file, line, entry and field a moderator needs to fix it."""

from pathlib import Path

import pytest

from bot.advisor import Advisor
from bot.knowledge import KnowledgeError, load_knowledge
from bot.render import typeset

GUIDE = (
    Path(__file__).resolve().parents[2] / "shared" / "guide" / "step-score-strategy-prelim-im.txt"
)


def errors_for(directory) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        Advisor.load(directory, verify=True)
    return [str(p) for p in info.value.problems if not p.warning]


def edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_knowledge_loads_and_renders_for_every_sample(advisor):
    k = advisor.knowledge
    assert len(k.topics) >= 30 and len(k.rules) >= 30 and len(k.bands) == 5
    assert advisor.verify() == []


@pytest.mark.parametrize(
    "question, quotation",
    [
        (
            "should i push my whole application back a year for a better ck",
            "don’t delay indefinitely",
        ),
        ("ck 238 enough for selective programs?", "Need stronger overall application"),
        ("step 1 is pass fail so does it even matter", "Step 1 still matters"),
        ("how should i prepare for step 1", "just to “get it done”"),
        ("ck 219 what should i focus on", "Low Step score match is still possible"),
    ],
)
def test_replies_quote_the_guide_character_for_character(advisor, question, quotation):
    """Members (and moderators checking a reply against the guide) see the guide's own words,
    apostrophes and quotation marks included."""
    assert quotation in advisor.ask(question).reply
    if GUIDE.exists():
        assert quotation in GUIDE.read_text()


def test_every_section_of_the_guide_is_cited_by_some_entry(advisor):
    k = advisor.knowledge
    cited = (
        {t.section for t in k.topics} | {r.section for r in k.rules} | {b.section for b in k.bands}
    )
    assert set(k.sections) - cited <= {"closing"}


def test_every_topic_has_enough_realistic_examples(advisor):
    for topic in advisor.knowledge.topics:
        assert len(topic.examples) >= 5, topic.id


def test_no_number_in_knowledge_that_the_guide_does_not_state(advisor):
    """Every number a member could read must be one the guide states (or a year/list index)."""
    import re

    guide = GUIDE.read_text() if GUIDE.exists() else None
    if guide is None:
        pytest.skip("guide not beside the project")
    guide_numbers = set(re.findall(r"\d+", guide))
    k = advisor.knowledge
    texts = (
        [t.answer for t in k.topics]
        + [r.advice for r in k.rules]
        + [r.headline for r in k.rules if r.headline]
        + [o.reply for o in k.out_of_scope]
    )
    texts += [b.summary + " ".join(b.meaning) + b.apply for b in k.bands]
    for text in texts:
        prose = re.sub(r"\{[{%#].*?[}%#]\}", " ", text, flags=re.S)
        for number in re.findall(r"(?<![\w.])\d+(?![\w])", prose):
            assert number in guide_numbers, f"{number!r} is not in the guide: {prose[:120]!r}"


def test_misspelt_field_is_an_error_naming_file_line_entry_and_field(kb_copy):
    edit(kb_copy, "topics.yaml", "    keywords:", "    kewords:")
    found = errors_for(kb_copy)
    assert any(
        "topics.yaml:" in e and "field 'kewords'" in e and "did you mean 'keywords'" in e
        for e in found
    )


def test_yaml_syntax_error_gives_line_and_column(kb_copy):
    (kb_copy / "bands.yaml").write_text(
        (kb_copy / "bands.yaml").read_text() + "\n  - id: [broken\n"
    )
    found = errors_for(kb_copy)
    assert any(
        e.startswith("bands.yaml:") and "YAML syntax error" in e and "column" in e for e in found
    )


def test_duplicate_ids_are_refused(kb_copy):
    text = (kb_copy / "topics.yaml").read_text()
    first = text.index("  - id:")
    second = text.index("  - id:", first + 1)
    (kb_copy / "topics.yaml").write_text(text + "\n" + text[first:second])
    assert any("duplicate id" in e for e in errors_for(kb_copy))


def test_overlapping_bands_are_refused(kb_copy):
    edit(kb_copy, "bands.yaml", "min: 225", "min: 220")
    assert any("overlap: scores 220–224" in e and "bands.yaml:" in e for e in errors_for(kb_copy))


def test_rule_on_unknown_field_or_impossible_value_is_refused(kb_copy):
    path = kb_copy / "rules.yaml"
    path.write_text(
        path.read_text()
        + """
  - id: broken-one
    plan_section: step2ck
    section: ck-low-score
    reviewed: 2026-11-25
    when: {step2_score: {lt: 225}}
    advice: x
  - id: broken-two
    plan_section: step2ck
    section: ck-low-score
    reviewed: 2026-11-25
    when: {step2ck_score: {gt: 300}, visa: {eq: h1}}
    advice: x
"""
    )
    found = errors_for(kb_copy)
    assert any("broken-one" in e and "unknown profile field 'step2_score'" in e for e in found)
    assert any("broken-two" in e and "can never be true" in e for e in found)
    assert any("broken-two" in e and "allowed values are j1, h1b, either, none" in e for e in found)


def test_template_that_fails_to_render_is_refused(kb_copy):
    edit(
        kb_copy,
        "topics.yaml",
        "    answer: |\n",
        "    answer: |\n      {{ profile.no_such_field }}\n",
    )
    assert any("fails to render" in e or "template" in e for e in errors_for(kb_copy))


def test_unknown_guide_section_is_refused(kb_copy):
    edit(kb_copy, "topics.yaml", "section: score-ranges", "section: score-range")
    assert any(
        "unknown guide section 'score-range'" in e and "did you mean 'score-ranges'" in e
        for e in errors_for(kb_copy)
    )


def test_too_few_examples_is_refused(tmp_path, kb_copy):
    path = kb_copy / "out_of_scope.yaml"
    path.write_text("""out_of_scope:
  - id: tiny
    title: Tiny entry
    reviewed: 2026-11-25
    reply: The guide does not cover this.
""")
    for old in (kb_copy / "examples" / "out_of_scope").iterdir():
        old.unlink()
    (kb_copy / "examples" / "out_of_scope" / "tiny.yaml").write_text("- one\n")
    found = errors_for(kb_copy)
    assert any(
        e.startswith("examples/out_of_scope/tiny.yaml:") and "at least 3" in e and "(has 1)" in e
        for e in found
    )


def test_a_topic_with_fewer_than_five_examples_is_refused_naming_its_examples_file(kb_copy):
    path = kb_copy / "examples" / "ck-timing.yaml"
    path.write_text(
        "- when should i take ck\n- ck timing\n- is now a good time for ck\n- ck when\n"
    )
    found = errors_for(kb_copy)
    assert any(
        e.startswith("examples/ck-timing.yaml")
        and "entry 'ck-timing'" in e
        and "needs at least 5 example questions (has 4)" in e
        for e in found
    ), found


def test_a_topic_without_an_examples_file_says_which_file_to_add(kb_copy):
    (kb_copy / "examples" / "ck-timing.yaml").unlink()
    found = errors_for(kb_copy)
    assert any(
        e.startswith("topics.yaml:")
        and "entry 'ck-timing'" in e
        and "add examples/ck-timing.yaml" in e
        for e in found
    ), found


def test_an_examples_file_for_an_unknown_topic_is_refused(kb_copy):
    source = kb_copy / "examples" / "ck-timing.yaml"
    (kb_copy / "examples" / "ck-timming.yaml").write_text(source.read_text())
    found = errors_for(kb_copy)
    assert any(
        e.startswith("examples/ck-timming.yaml")
        and "no entry with id 'ck-timming' in topics.yaml" in e
        and "did you mean 'ck-timing'" in e
        for e in found
    ), found


def test_a_bad_example_line_names_file_line_and_index(kb_copy):
    path = kb_copy / "examples" / "ck-timing.yaml"
    lines = path.read_text().splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith("- "))
    lines.insert(number + 2, "- 232\n")
    path.write_text("".join(lines))
    found = errors_for(kb_copy)
    assert any(
        e.startswith(f"examples/ck-timing.yaml:{number + 3}:") and "field 'examples[2]'" in e
        for e in found
    ), found


def test_an_examples_file_that_is_not_a_list_is_refused(kb_copy):
    (kb_copy / "examples" / "ck-timing.yaml").write_text("examples:\n  - when should i take ck\n")
    found = errors_for(kb_copy)
    assert any(
        e.startswith("examples/ck-timing.yaml:1:") and "plain list of questions" in e for e in found
    ), found


def test_examples_written_inside_an_entry_are_pointed_to_their_file(kb_copy):
    edit(
        kb_copy,
        "topics.yaml",
        "    keywords:",
        "    examples: [when should i take ck]\n    keywords:",
    )
    found = errors_for(kb_copy)
    assert any(
        e.startswith("topics.yaml:") and "field 'examples'" in e and "examples/" in e for e in found
    ), found


def test_examples_are_read_from_their_files_one_question_a_line(advisor):
    """Each topic's examples are exactly its file's lines, in order, and a collision report
    points at the examples file and line a moderator must edit."""
    import yaml

    from bot.advisor import DEFAULT_KNOWLEDGE_DIR

    k = advisor.knowledge
    for topic in k.topics:
        path = DEFAULT_KNOWLEDGE_DIR / "examples" / f"{topic.id}.yaml"
        assert topic.examples == yaml.safe_load(path.read_text())
        assert k.file_of("topics", topic.id, "examples", 0) == f"examples/{topic.id}.yaml"
        first = k.line_of("topics", topic.id, "examples", 0)
        assert path.read_text().splitlines()[first - 1].startswith("- ")
    for entry in k.out_of_scope:
        path = DEFAULT_KNOWLEDGE_DIR / "examples" / "out_of_scope" / f"{entry.id}.yaml"
        assert entry.examples == yaml.safe_load(path.read_text())
    assert "examples:" not in (DEFAULT_KNOWLEDGE_DIR / "topics.yaml").read_text()


def test_an_edit_to_an_examples_file_changes_the_digest(kb_copy):
    from bot.knowledge import load_knowledge as load

    before = load(kb_copy).digest
    path = kb_copy / "examples" / "ck-timing.yaml"
    path.write_text(path.read_text() + "- is it time for ck yet\n")
    after = load(kb_copy)
    assert after.digest != before
    assert after.topic("ck-timing").examples[-1] == "is it time for ck yet"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path / "nope")
    assert "cannot read folder" in str(info.value)


def test_rule_headlines_are_one_short_line(advisor):
    """A priority is read at a glance: one sentence, at most 20 words besides its template
    tags."""
    import re

    from bot.planning import words

    headlines = [r for r in advisor.knowledge.rules if r.headline]
    assert len(headlines) >= 10
    for rule in headlines:
        plain = re.sub(r"\{[{%#].*?[}%#]\}", "", rule.headline, flags=re.S)
        assert words(plain) <= 20 and "\n" not in rule.headline.strip(), rule.id


def test_a_misspelt_rule_headline_is_an_error_naming_the_rule(kb_copy):
    edit(
        kb_copy,
        "rules.yaml",
        "    headline: Apply very broadly",
        "    headlnie: Apply very broadly",
    )
    found = errors_for(kb_copy)
    assert any(
        "rules.yaml:" in e and "field 'headlnie'" in e and "did you mean 'headline'" in e
        for e in found
    ), found


def test_the_file_watcher_sees_an_edit_to_an_examples_file(kb_copy):
    """KB_WATCH reloads when a moderator adds a way people ask, not only on top-level files."""
    import os

    from bot.discord import watch

    before = watch.stamp(kb_copy)
    path = kb_copy / "examples" / "ck-timing.yaml"
    path.write_text(path.read_text() + "- is it time for ck yet\n")
    os.utime(path, ns=(1, 1))
    after = watch.stamp(kb_copy)
    assert after != before
    assert any(name == "examples/ck-timing.yaml" for name, _, _ in after)


def test_a_names_phrase_must_be_plain_lower_case_words(kb_copy):
    edit(kb_copy, "out_of_scope.yaml", "names: [prelim surgery,", "names: [Prelim-Surgery!,")
    found = errors_for(kb_copy)
    assert any(
        "out_of_scope.yaml:" in e and "other-specialties" in e and "lower-case words" in e
        for e in found
    ), found


def test_a_topic_example_that_a_names_phrase_would_refuse_fails_the_check(kb_copy):
    with (kb_copy / "examples" / "letters.yaml").open("a", encoding="utf-8") as f:
        f.write("- would my prelim surgery year count as letters for prelim\n")
    with pytest.raises(KnowledgeError) as info:
        Advisor.load(kb_copy, verify=True)
    problems = [str(p) for p in info.value.problems]
    assert any(
        "examples/letters.yaml:" in p and "is refused" in p and "other-specialties" in p
        for p in problems
    ), problems


def test_hidden_files_in_the_knowledge_folder_are_not_knowledge(kb_copy):
    (kb_copy / ".notes.yaml").write_text("topics: [unclosed\n", encoding="utf-8")
    (kb_copy / "examples" / ".letters.yaml.swp.yaml").write_text("- [", encoding="utf-8")
    assert Advisor.load(kb_copy, verify=True).knowledge.topics  # loads, no error


def test_a_refusal_lists_the_featured_topics_across_the_guide(advisor):
    reply = advisor.ask("what is the best pizza in new york").reply
    listed = [line[2:] for line in reply.splitlines() if line.startswith("- ")]
    assert listed == [typeset(t.title) for t in advisor.knowledge.topics if t.featured]
    assert "Letters of recommendation (LORs)" in listed and "Writing the personal statement" in listed


def test_without_featured_topics_a_refusal_lists_the_first_ones(kb_copy):
    text = (kb_copy / "topics.yaml").read_text(encoding="utf-8").replace("    featured: true\n", "")
    (kb_copy / "topics.yaml").write_text(text, encoding="utf-8")
    advisor = Advisor.load(kb_copy)
    reply = advisor.ask("best pizza in new york?").reply
    listed = [ln[2:] for ln in reply.splitlines() if ln.startswith("- ")]
    assert listed == [typeset(t.title) for t in advisor.knowledge.topics[:8]]


def test_featured_must_be_true_or_false(kb_copy):
    edit(kb_copy, "topics.yaml", "    featured: true\n", "    featured: sometimes\n")
    found = errors_for(kb_copy)
    assert any("topics.yaml:" in e and "field 'featured'" in e for e in found), found


def test_more_featured_topics_than_a_refusal_lists_is_an_error(kb_copy):
    text = (kb_copy / "topics.yaml").read_text(encoding="utf-8")
    text = text.replace("    reviewed:", "    featured: true\n    reviewed:").replace(
        "    featured: true\n    featured: true\n", "    featured: true\n"
    )
    (kb_copy / "topics.yaml").write_text(text, encoding="utf-8")
    found = errors_for(kb_copy)
    assert any("field 'featured'" in e and "at most 8 topics" in e for e in found), found
