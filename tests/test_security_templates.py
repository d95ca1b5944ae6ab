"""A knowledge file cannot reach the host or wedge the check: templates render in a bounded
sandbox, and `kb check` refuses what a template may not use with file, line, entry and field."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from bot.advisor import Advisor
from bot.knowledge import KnowledgeError
from bot.render import MAX_TEXT, TemplateLimitError, compile_template, environment
from bot.template_rules import ANSWER_NAMES, UnsafeTemplateError
from tests.conftest import make_profile, run_bot

ANSWER = "    answer: |\n"
ADVICE = "    advice: >-\n"


def plant(directory: Path, name: str, marker: str, payloads: list[str]) -> list[str]:
    """Put each payload at the start of a different entry's template (the n-th `marker`);
    returns those entries' ids."""
    path = directory / name
    text = path.read_text()
    starts = [m.start() for m in re.finditer(re.escape(marker), text)]
    assert len(starts) >= len(payloads)
    # The entries' ids from the text as it was: inserting a payload moves what follows it.
    ids = [re.findall(r"- id: (\S+)", text[:start])[-1] for start in starts[: len(payloads)]]
    for start, payload in reversed(list(zip(starts, payloads, strict=False))):
        at = start + len(marker)
        text = text[:at] + f"      {payload}\n" + text[at:]
    path.write_text(text)
    return ids


def refused(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        Advisor.load(directory, verify=True)
    return [str(p) for p in caught.value.problems if not p.warning]


def test_shell_command_in_an_answer_or_advice_is_refused_by_kb_check_and_never_run(
    kb_copy, tmp_path
):
    marker = tmp_path / "owned"
    shell = f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}"
    via_context = (
        f"{{{{ band.__class__.__init__.__globals__['os'].popen('touch {marker}').read() }}}}"
    )
    [topic] = plant(kb_copy, "topics.yaml", ANSWER, [shell])
    [rule] = plant(kb_copy, "rules.yaml", ADVICE, [via_context])
    result = run_bot("kb", "check", str(kb_copy), timeout=60)
    assert result.returncode == 1, result.stdout
    assert not marker.exists()
    lines = result.stdout.splitlines()
    topic_line = next(line for line in lines if f"entry '{topic}'" in line)
    assert re.match(rf"topics\.yaml:\d+: entry '{topic}': field 'answer': not allowed", topic_line)
    assert "`cycler.__init__` is not allowed" in topic_line
    assert "templates may only use band, bands, between, by_failures" in topic_line
    rule_line = next(line for line in lines if f"entry '{rule}'" in line)
    assert re.match(rf"rules\.yaml:\d+: entry '{rule}': field 'advice': not allowed", rule_line)
    assert "`band.__class__` is not allowed" in rule_line


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ("{{ ''.__class__.__mro__ }}", "`''.__class__` is not allowed"),
        ("{{ score.__class__.__mro__[1].__subclasses__() }}", "is not allowed"),
        ("{{ profile.model_copy() }}", "`profile.model_copy` is not allowed"),
        ("{{ '{0.__class__}'.format(band) }}", "`'{0.__class__}'.format` is not allowed"),
        ("{{ lipsum.__globals__ }}", "`lipsum.__globals__` is not allowed"),
        ("{{ range.__globals__ }}", "`range.__globals__` is not allowed"),
        ("{{ score.bit_length() }}", "`score.bit_length` is not allowed"),
        ("{{ band['__class__'] }}", "names starting with _ are private"),
        ("{{ bands|map(attribute='__class__')|list }}", "the filter 'map' is not allowed"),
        ("{% macro m() %}x{% endmacro %}", "macros ({% macro %}) are not allowed"),
        ("{% import 'plan.txt.j2' as p %}", "imports ({% import %}) are not allowed"),
        ("{% include '../knowledge/topics.yaml' %}", "may include only the shipped partials"),
        ("{% for x in bands recursive %}{{ loop(x) }}{% endfor %}", "recursive loops"),
    ],
)
def test_template_escapes_are_refused_with_what_is_allowed(kb_copy, payload, says):
    [topic] = plant(kb_copy, "topics.yaml", ANSWER, [payload])
    errors = refused(kb_copy)
    mine = [e for e in errors if f"entry '{topic}'" in e]
    assert mine and says in mine[0], errors
    assert "field 'answer': not allowed" in mine[0]


def test_the_refusal_names_the_context_a_template_may_use(kb_copy):
    [topic] = plant(kb_copy, "topics.yaml", ANSWER, ["{{ cycler }}"])
    [error] = [e for e in refused(kb_copy) if f"entry '{topic}'" in e]
    assert f"templates may only use {', '.join(sorted(ANSWER_NAMES))}" in error
    assert "`cycler` is not allowed" in error


def test_every_template_bomb_is_refused_by_kb_check_within_seconds(kb_copy):
    static = [
        "{% for i in range(9) %}{% for j in range(9) %}{% for k in range(9) %}{% endfor %}"
        "{% endfor %}{% endfor %}",
    ]
    runtime = [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ [0] * 10**9 }}",
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}" * 5,
        "{% set a = 'xxxxxxxxxx' %}" + "{% set a %}{{ a }}{{ a }}{% endset %}" * 40,
        "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a ~ a %}" * 40,
        "{% set a = 'xxxxxxxxxx' %}" + "{% set a = a|replace('x', a) %}" * 6,
        "{{ '%0999999999d'|format(1) }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ 2 ** (10 ** 9) }}",
        "{{ range(999)|join('x' * 999) }}",
    ]
    ids = plant(kb_copy, "topics.yaml", ANSWER, static)
    started = time.monotonic()
    result = run_bot("kb", "check", str(kb_copy), timeout=60)
    assert result.returncode == 1 and all(f"entry '{i}'" in result.stdout for i in ids)
    assert "loops may be nested at most 2 deep" in result.stdout
    assert time.monotonic() - started < 20

    (kb_copy / "topics.yaml").write_text(
        (Path(__file__).parent.parent / "knowledge" / "topics.yaml").read_text()
    )
    ids = plant(kb_copy, "topics.yaml", ANSWER, runtime)
    started = time.monotonic()
    result = run_bot("kb", "check", str(kb_copy), timeout=60)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout
    for entry in ids:
        assert f"entry '{entry}': field 'answer': template fails to render" in result.stdout, entry
    for says in ("range() may give at most 1,000", "at most 100,000 loop steps", "20,000"):
        assert says in result.stdout
    assert took < 20, took


def test_rendered_output_is_capped():
    template = compile_template("{% for i in range(1000) %}{{ 'x' * 999 }}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateLimitError, match="renders to more than 20,000 characters"):
        template.render()
    assert time.monotonic() - started < 1
    assert len(compile_template("{{ 'x' * 19000 }}").render()) == 19000 < MAX_TEXT


def test_an_answer_longer_than_an_embed_is_still_reported_as_too_long(kb_copy):
    [topic] = plant(kb_copy, "topics.yaml", ANSWER, ["{{ 'x' * 5000 }}"])
    [error] = [e for e in refused(kb_copy) if f"entry '{topic}'" in e]
    assert "Discord allows 4096" in error


def test_shipped_file_templates_render_in_the_sandbox_too(advisor):
    env = environment()
    assert type(env).__mro__[1].__name__ == "ImmutableSandboxedEnvironment"
    with pytest.raises(UnsafeTemplateError, match="not allowed"):
        env.from_string("{{ plan.__class__ }}")
    profile = make_profile(step2ck_score=221)
    text = advisor.render_plan(advisor.plan(profile), profile)
    assert "215–224" in text and "(your score: 221)" in text


def test_a_bomb_that_only_fires_for_one_member_stops_at_a_limit_at_answer_time(kb_copy):
    """The sandbox holds at run time too, not only in kb check: a template that is harmless for
    every sample member but explodes for one real one raises a limit error, quickly."""
    payload = "{% if profile and profile.us_letters == 7 %}{{ 'x' * 10**9 }}{% endif %}"
    plant(kb_copy, "topics.yaml", ANSWER, [payload])
    advisor = Advisor.load(kb_copy, verify=True)
    topic = advisor.knowledge.topics[0]
    context = advisor.answer_context(None, "ck", False, make_profile(us_letters=7))
    started = time.monotonic()
    with pytest.raises(TemplateLimitError):
        advisor.answers[topic.id].render(**context)
    assert time.monotonic() - started < 1
