"""Discord's limits, in one place: the constants, the helpers the bot uses to stay inside them
(`truncate`, `split`), and checkers for what it sends (`message_problems`, `modal_problems`,
`command_problems`), used by `python -m bot commands` and by the tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.render import split_message

# messages
CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_AUTHOR = 256
EMBED_TOTAL = 6000  # all embeds of one message together
# components
ROWS = 5
ROW_COMPONENTS = 5
SELECT_OPTIONS = 25
OPTION_TEXT = 100  # select option label, value and description; placeholder
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
MODAL_INPUTS = 5
INPUT_LABEL = 45  # a label's text
LABEL_DESCRIPTION = 100
INPUT_PLACEHOLDER = 100
ACTION_ROW, TEXT_INPUT, TEXT_DISPLAY, LABEL = 1, 4, 10, 18
# application commands
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
COMMAND_CHOICES = 25
CHOICE_TEXT = 100
COMMAND_TOTAL = 8000  # names, descriptions and choices of one command, all levels
AUTOCOMPLETE = 25
COMMANDS = 100

# ^[-_\p{L}\p{N}]{1,32}$ ; Python's \w is letters, digits and "_".
NAME = re.compile(r"^[-\w]{1,32}$")
_SUBCOMMAND, _GROUP = 1, 2


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split(text: str, limit: int = CONTENT) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut between paragraphs where possible."""
    return split_message(text, limit) or [""]


# -- messages --------------------------------------------------------------------------------
def embed_problems(embed: dict[str, Any]) -> list[str]:
    """Every way one embed (as `Embed.to_dict()`) breaks Discord's limits."""
    problems = []
    for key, limit in (("title", EMBED_TITLE), ("description", EMBED_DESCRIPTION)):
        if len(embed.get(key) or "") > limit:
            problems.append(f"embed {key}: {len(embed[key])} characters (max {limit})")
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS:
        problems.append(f"embed: {len(fields)} fields (max {EMBED_FIELDS})")
    for f in fields:
        if not 1 <= len(f.get("name") or "") <= FIELD_NAME:
            problems.append(f"embed field name: 1-{FIELD_NAME} characters")
        if not 1 <= len(f.get("value") or "") <= FIELD_VALUE:
            problems.append(f"embed field value: 1-{FIELD_VALUE} characters")
    if len((embed.get("footer") or {}).get("text") or "") > EMBED_FOOTER:
        problems.append("embed footer too long")
    if len((embed.get("author") or {}).get("name") or "") > EMBED_AUTHOR:
        problems.append("embed author too long")
    return problems


def embed_size(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6000 per message."""
    return (
        len(embed.get("title") or "")
        + len(embed.get("description") or "")
        + sum(
            len(f.get("name") or "") + len(f.get("value") or "") for f in embed.get("fields") or []
        )
        + len((embed.get("footer") or {}).get("text") or "")
        + len((embed.get("author") or {}).get("name") or "")
    )


def message_problems(
    content: str | None = None,
    embeds: Iterable[dict[str, Any]] = (),
    components: Iterable[dict[str, Any]] = (),
) -> list[str]:
    """Every way one message (content, embed dicts, component rows as sent) breaks the limits."""
    problems = []
    if content is not None and len(content) > CONTENT:
        problems.append(f"content: {len(content)} characters (max {CONTENT})")
    embeds = list(embeds)
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds (max {EMBEDS})")
    for embed in embeds:
        problems += embed_problems(embed)
    total = sum(embed_size(e) for e in embeds)
    if total > EMBED_TOTAL:
        problems.append(f"embeds: {total} characters in one message (max {EMBED_TOTAL})")
    rows = list(components)
    if len(rows) > ROWS:
        problems.append(f"{len(rows)} component rows (max {ROWS})")
    for row in rows:
        children = row.get("components", [])
        if len(children) > ROW_COMPONENTS:
            problems.append(f"{len(children)} components in a row (max {ROW_COMPONENTS})")
        if any(c.get("type") == 3 for c in children) and len(children) > 1:
            problems.append("a select menu must be alone in its row")
        for child in children:
            problems += _component_problems(child)
    return problems


def _component_problems(child: dict[str, Any]) -> list[str]:
    problems = []
    custom_id = child.get("custom_id")
    if custom_id is not None and not 1 <= len(custom_id) <= CUSTOM_ID:
        problems.append(f"custom_id {custom_id!r}: 1-{CUSTOM_ID} characters")
    if len(child.get("label") or "") > BUTTON_LABEL:
        problems.append(f"button label: max {BUTTON_LABEL} characters")
    if len(child.get("placeholder") or "") > OPTION_TEXT:
        problems.append(f"placeholder: max {OPTION_TEXT} characters")
    options = child.get("options")
    if options is not None:
        if not 1 <= len(options) <= SELECT_OPTIONS:
            problems.append(f"select: {len(options)} options (1-{SELECT_OPTIONS})")
        for option in options:
            for key in ("label", "value", "description"):
                if len(option.get(key) or "") > OPTION_TEXT:
                    problems.append(f"select option {key}: max {OPTION_TEXT} characters")
        if len({o["value"] for o in options}) != len(options):
            problems.append("select option values must be unique")
    return problems


def modal_problems(payload: dict[str, Any]) -> list[str]:
    """Every way one modal (as `Modal.to_dict()`) breaks the limits. Inputs must be wrapped in
    a label (type 18, `ui.Label`): an input in an action row with its own label is the form
    Discord deprecated (discord.py 2.6)."""
    problems = []
    if not 1 <= len(payload.get("title") or "") <= MODAL_TITLE:
        problems.append(f"modal title: 1-{MODAL_TITLE} characters")
    if not 1 <= len(payload.get("custom_id") or "") <= CUSTOM_ID:
        problems.append(f"modal custom_id: 1-{CUSTOM_ID} characters")
    components = payload.get("components") or []
    if not 1 <= len(components) <= MODAL_INPUTS:
        problems.append(f"modal: {len(components)} components (1-{MODAL_INPUTS})")
    for component in components:
        kind = component.get("type")
        if kind == TEXT_DISPLAY:
            continue
        if kind != LABEL:
            problems.append(
                f"modal component of type {kind}: wrap each input in a label (ui.Label); "
                "inputs in action rows are deprecated"
            )
            continue
        if not 1 <= len(component.get("label") or "") <= INPUT_LABEL:
            problems.append(f"label text: 1-{INPUT_LABEL} characters")
        if len(component.get("description") or "") > LABEL_DESCRIPTION:
            problems.append(f"label description: max {LABEL_DESCRIPTION} characters")
        problems += _input_problems(component.get("component") or {})
    return problems


def _input_problems(item: dict[str, Any]) -> list[str]:
    problems = []
    if item.get("label") is not None:
        problems.append("an input inside a label must not have a label of its own")
    if not 1 <= len(item.get("custom_id") or "") <= CUSTOM_ID:
        problems.append(f"input custom_id: 1-{CUSTOM_ID} characters")
    if len(item.get("placeholder") or "") > INPUT_PLACEHOLDER:
        problems.append(f"input placeholder: max {INPUT_PLACEHOLDER} characters")
    return problems


# -- application commands --------------------------------------------------------------------
def command_problems(payload: dict[str, Any]) -> list[str]:
    """Every way one application-command payload breaks Discord's limits."""
    problems: list[str] = []
    name = payload.get("name", "")
    _check_name(name, problems, name)
    if payload.get("type", 1) == 1:
        _check_description(payload.get("description", ""), problems, name)
    _check_options(payload.get("options") or [], problems, name)
    total = _total(payload)
    if total > COMMAND_TOTAL:
        problems.append(f"{name}: {total} characters in names, descriptions and choices")
    return problems


def _check_name(name: str, problems: list[str], where: str) -> None:
    if not NAME.match(name) or name != name.lower():
        problems.append(f"{where}: name {name!r} must be 1-32 lower-case letters, digits, - or _")


def _check_description(text: str, problems: list[str], where: str) -> None:
    if not 1 <= len(text) <= COMMAND_DESCRIPTION:
        problems.append(f"{where}: description must be 1-{COMMAND_DESCRIPTION} characters")


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
            if not 1 <= len(str(choice.get("name", ""))) <= CHOICE_TEXT:
                problems.append(f"{here}: choice names must be 1-{CHOICE_TEXT} characters")
        if option.get("type") in (_SUBCOMMAND, _GROUP):
            _check_options(option.get("options") or [], problems, here)


def _total(payload: dict[str, Any]) -> int:
    size = len(payload.get("name", "")) + len(payload.get("description", ""))
    size += sum(
        len(str(c.get("name", ""))) + len(str(c.get("value", "")))
        for c in payload.get("choices") or []
    )
    return size + sum(_total(option) for option in payload.get("options") or [])
