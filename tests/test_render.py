import pytest
from jinja2.sandbox import SecurityError

from bot.render import compile_template, split_message, tidy, typeset
from tests.conftest import make_profile


def test_apostrophes_and_quotes_take_the_guides_typography():
    assert typeset("don't delay") == "don’t delay"
    assert typeset('do not rush Step 1 just to "get it done"') == (
        "do not rush Step 1 just to “get it done”"
    )


def test_typography_leaves_lone_marks_and_line_structure_alone():
    assert typeset("programs' lists") == "programs' lists"  # no letter after it: not guessed
    assert typeset('a "quote\nacross lines"') == 'a "quote\nacross lines"'
    assert tidy("line one  \n\n\n\nline two's\n") == "line one\n\nline two’s"


def test_split_message_keeps_every_chunk_within_the_limit():
    text = "\n\n".join(["word " * 300] * 5)
    chunks = split_message(text, 2000)
    assert all(len(c) <= 2000 for c in chunks)
    assert sum(c.count("word") for c in chunks) == 1500


def test_a_private_attribute_reached_by_a_computed_key_is_refused_when_rendering():
    """What the check cannot see (a key built at run time) the sandbox still refuses."""
    template = compile_template("{% set k = '__cl' ~ 'ass__' %}{{ profile[k] }}")
    with pytest.raises(SecurityError, match="unsafe"):
        template.render(profile=make_profile())
    fine = compile_template("{% set k = 'vi' ~ 'sa' %}{{ profile[k] }}")
    assert fine.render(profile=make_profile()) == "j1"


def test_lists_and_dicts_in_a_template_cannot_be_changed():
    with pytest.raises(Exception, match="not allowed|unsafe"):
        compile_template("{% set xs = [1] %}{{ xs.append(2) }}").render()
