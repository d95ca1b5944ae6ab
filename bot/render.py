"""Jinja2 rendering of replies, and splitting text to fit Discord's limits.

Autoescape is off (replies are plain text/markdown, not HTML) and undefined names are errors,
so a typo in a template fails the knowledge check instead of printing an empty gap.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"


@lru_cache(maxsize=4)
def environment(templates_dir: str = str(TEMPLATES_DIR)) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=False,
    )
    return env


def compile_template(source: str, templates_dir: str = str(TEMPLATES_DIR)) -> Template:
    return environment(templates_dir).from_string(source)


def render_file(name: str, templates_dir: str = str(TEMPLATES_DIR), **context: Any) -> str:
    return tidy(environment(templates_dir).get_template(name).render(**context))


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_QUOTED = re.compile(r'"([^"\n]*)"')


def typeset(text: str) -> str:
    """The guide's own typography: ’ for apostrophes and “ ” for quotes. Replies quote the guide,
    and a quotation should match it character for character ("don’t delay indefinitely")."""
    return _QUOTED.sub(r"“\1”", _APOSTROPHE.sub("’", text))


def tidy(text: str) -> str:
    """Trim trailing spaces, collapse runs of blank lines left by template logic, and set the
    guide's typography."""
    lines = [line.rstrip() for line in typeset(text).strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def split_message(text: str, limit: int = 2000) -> list[str]:
    """Split text into chunks of at most `limit` characters, at paragraph, then line, then word
    boundaries, so no chunk ends mid-sentence unless a single word is longer than `limit`."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = max(window.rfind("\n\n", 0, limit), -1)
        if cut <= 0:
            cut = window.rfind("\n", 0, limit)
        if cut <= 0:
            cut = window.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
