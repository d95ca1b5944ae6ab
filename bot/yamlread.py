"""Read YAML while remembering the line of every value, so errors can point at it.

PyYAML silently keeps the last of two equal keys; here a duplicate key is an error, because a
moderator who pastes an entry twice must hear about it rather than lose one copy.

Knowledge files are untrusted input, so reading them is bounded: aliases (`*name`) are refused
(a "billion laughs" file expands a few lines into gigabytes), and values nested deeper than
`MAX_DEPTH` are an error with their line, never a RecursionError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[Any, ...]


@dataclass
class Located:
    """Plain Python data plus the 1-based line of each path inside it."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[int, str]] = field(default_factory=list)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 50  # libyaml when available: ~10× faster


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.line, self.column = line, column


def load_located(text: str) -> Located:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except RecursionError:
        raise YamlSyntaxError(
            f"YAML nested more than {MAX_DEPTH} levels deep", None, None
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlSyntaxError(f"YAML syntax error: {problem}", line, column) from None
    out = Located(data=None)
    if node is None:
        return out
    try:
        out.data = _convert(node, (), out, set())
    except _Alias:
        line, column = _first_alias(text)
        raise YamlSyntaxError(
            "YAML aliases (*name) are not allowed in knowledge files; write the value out in full",
            line,
            column,
        ) from None
    except _ValueAt as exc:
        raise YamlSyntaxError(f"YAML value error: {exc.problem}", exc.line, exc.column) from None
    return out


class _Alias(Exception):
    """A node reached twice: the document uses an alias."""


def _first_alias(text: str) -> tuple[int | None, int | None]:
    """Line and column of the first alias (only looked for once one was found)."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return None, None


class _ValueAt(Exception):
    """A scalar PyYAML can parse but not build (e.g. the date 2026-02-30), with its place."""

    def __init__(self, problem: str, node: yaml.Node):
        super().__init__(problem)
        self.problem, self.line, self.column = (
            problem,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
        )


def _convert(node: yaml.Node, path: Path_, out: Located, seen: set[int]) -> Any:
    out.lines[path] = node.start_mark.line + 1
    if id(node) in seen:
        raise _Alias()
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise _ValueAt(f"values are nested more than {MAX_DEPTH} levels deep", node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if key in result:
                out.duplicates.append((key_node.start_mark.line + 1, str(key)))
            result[key] = _convert(value_node, (*path, key), out, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out, seen) for i, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        try:
            return _CONSTRUCTOR.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            raise _ValueAt(f"{node.value!r} cannot be read ({reason})", node) from None
    # A mapping or list used as a key is invalid for us; show it as text.
    return str(node.value)
