"""Discord's limits, in one place, with the helpers the bot uses to stay inside them and a
checker for application-command payloads (used by the tests and `commands --json`)."""

from __future__ import annotations

import re
from typing import Any

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
ROW_COMPONENTS = 5
ROWS = 5
SELECT_OPTIONS = 25
OPTION_TEXT = 100
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
MODAL_INPUTS = 5
INPUT_LABEL = 45
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_CHOICES = 25
COMMAND_TOTAL = 8000
AUTOCOMPLETE = 25

NAME = re.compile(r"^[-_\w]{1,32}$")


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def command_problems(payload: dict[str, Any]) -> list[str]:
    """Every way one application-command payload breaks Discord's limits."""
    problems: list[str] = []
    name = payload.get("name", "")
    _check_name(name, problems, name)
    if payload.get("type", 1) == 1:
        _check_description(payload.get("description", ""), problems, name)
    _check_options(payload.get("options", []), problems, name)
    if _total(payload) > COMMAND_TOTAL:
        problems.append(
            f"{name}: {_total(payload)} characters in names, descriptions and choices (max {COMMAND_TOTAL})"
        )
    return problems


def _check_name(name: str, problems: list[str], where: str) -> None:
    if not NAME.match(name) or name != name.lower():
        problems.append(f"{where}: name {name!r} must be 1-32 lower-case letters, digits, - or _")


def _check_description(text: str, problems: list[str], where: str) -> None:
    if not 1 <= len(text) <= COMMAND_DESCRIPTION:
        problems.append(
            f"{where}: description must be 1-{COMMAND_DESCRIPTION} characters ({len(text)})"
        )


def _check_options(options: list[dict[str, Any]], problems: list[str], where: str) -> None:
    if len(options) > COMMAND_OPTIONS:
        problems.append(f"{where}: {len(options)} options (max {COMMAND_OPTIONS})")
    for option in options:
        here = f"{where} {option.get('name', '?')}"
        _check_name(option.get("name", ""), problems, here)
        _check_description(option.get("description", ""), problems, here)
        choices = option.get("choices") or []
        if len(choices) > COMMAND_CHOICES:
            problems.append(f"{here}: {len(choices)} choices (max {COMMAND_CHOICES})")
        for choice in choices:
            if not 1 <= len(str(choice.get("name", ""))) <= OPTION_TEXT:
                problems.append(f"{here}: choice name must be 1-{OPTION_TEXT} characters")
        _check_options(option.get("options", []), problems, here)


def _total(payload: dict[str, Any]) -> int:
    size = len(payload.get("name", "")) + len(payload.get("description", ""))
    for option in payload.get("options", []):
        size += _total(option)
        size += sum(
            len(str(c.get("name", ""))) + len(str(c.get("value", "")))
            for c in option.get("choices") or []
        )
    return size


def embed_problems(embed: dict[str, Any]) -> list[str]:
    """Every way one embed (as a dict) breaks Discord's limits."""
    problems = []
    if len(embed.get("title", "")) > EMBED_TITLE:
        problems.append("embed title too long")
    if len(embed.get("description", "")) > EMBED_DESCRIPTION:
        problems.append("embed description too long")
    fields = embed.get("fields", [])
    if len(fields) > EMBED_FIELDS:
        problems.append("too many embed fields")
    for f in fields:
        if len(f.get("name", "")) > FIELD_NAME or len(f.get("value", "")) > FIELD_VALUE:
            problems.append("embed field too long")
    if len(embed.get("footer", {}).get("text", "")) > EMBED_FOOTER:
        problems.append("embed footer too long")
    return problems


def embed_size(embed: dict[str, Any]) -> int:
    fields = embed.get("fields", [])
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields)
        + len(embed.get("footer", {}).get("text", ""))
        + len(embed.get("author", {}).get("name", ""))
    )
