"""Fuzzing every entry point that takes outside input: nothing crashes, errors are clear, and
nothing a member typed comes back able to ping anyone."""

import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import interview
from bot.advisor import QuestionError
from bot.interview import AnswerError
from bot.knowledge import KnowledgeError, load_knowledge
from bot.profile import ALLOWED, ProfileError, parse_profile

FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
field_values = st.dictionaries(
    st.sampled_from([*ALLOWED, "extra", "Step1_result"]), json_values, max_size=14
)

NASTY = [
    "",
    " ",
    "\u200b\u200b",
    "\u202e evil",
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@&1234>",
    "```py\nprint(1)\n```",
    "**bold** __u__ ||spoiler||",
    "'; DROP TABLE answers; --",
    "🙂" * 50,
    "a" * 10_000,
    "232" * 300,
    "\x00\x01\x02",
    "NaN",
    "-0",
    "1e309",
    "٢٣٢",
    "２３２",
]
questions = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.builds(lambda a, b: f"{a} is 232 enough {b}", st.sampled_from(NASTY), st.text(max_size=50)),
)


@FUZZ
@given(field_values)
def test_any_profile_json_is_valid_or_refused_with_field_lines(data):
    try:
        parse_profile(data)
    except ProfileError as exc:
        assert exc.problems
        for line in exc.problems:
            assert line.split(":")[0] in (*ALLOWED, "profile", "extra", "Step1_result"), line


@FUZZ
@given(st.sampled_from(interview.STEPS), st.one_of(st.text(max_size=60), st.sampled_from(NASTY)))
def test_any_interview_input_is_parsed_or_refused_clearly(step, text):
    try:
        interview.parse_answer(step, text)
    except AnswerError as exc:
        assert str(exc) and "Traceback" not in str(exc)


@FUZZ
@given(questions)
def test_any_question_is_answered_or_refused_and_never_pings(advisor, text):
    try:
        answer = advisor.ask(text)
    except QuestionError:
        assert not text.strip()
        return
    assert answer.reply and len(answer.body) <= 4096
    for ping in ("@everyone", "@here", "<@"):
        assert ping not in answer.reply
    json.dumps(answer.to_json())


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        action = rng.choice(["delete", "dup", "indent", "char", "key"])
        if action == "delete":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " + lines[i]
        elif action == "char" and lines[i]:
            j = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + rng.choice(":-[]{}'\"#&*!|>%@`\t") + lines[i][j + 1 :]
        elif action == "key":
            lines[i] = lines[i].replace(":", "x:", 1)
        if not lines:
            lines = [""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "name", ["topics.yaml", "bands.yaml", "rules.yaml", "synonyms.yaml", "sections.yaml"]
)
def test_mangled_knowledge_files_load_or_fail_with_located_errors(kb_copy, name):
    original = (kb_copy / name).read_text()
    rng = random.Random(name)
    for _ in range(25):
        (kb_copy / name).write_text(_mutate(original, rng))
        try:
            load_knowledge(kb_copy)
        except KnowledgeError as exc:
            assert exc.problems and all(str(p).startswith(p.file) for p in exc.problems)
