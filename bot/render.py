"""Jinja2 rendering of replies in a bounded sandbox, and splitting text to fit Discord's limits.

Knowledge templates are written by moderators, so every template renders in an
`ImmutableSandboxedEnvironment`: no private attributes, no calls beyond what `bot.template_rules`
allows, no mutation of lists or dicts. Rendering is bounded as well: `range()` gives at most
`MAX_RANGE` numbers, text and lists built by a template (`*`, `+`, `~`, `%`, `replace`, `join`,
`{% set %}` blocks) hold at most `MAX_TEXT` characters or items, loops run at most `MAX_STEPS`
steps per render, and a rendered reply longer than `MAX_TEXT` characters is an error, not a
memory bomb. Each limit raises `TemplateLimitError` with a sentence a moderator understands.

Autoescape is off (replies are plain text/markdown, not HTML) and undefined names are errors,
so a typo in a template fails the knowledge check instead of printing an empty gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import TemplateRuntimeError, TemplateSyntaxError
from jinja2.filters import do_join, do_replace
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.template_rules import attributes, check_template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"

#: Above Discord's limits (4,096 per embed), so it never cuts a reply that could be sent.
MAX_TEXT = 20_000
MAX_RANGE = 1_000
MAX_STEPS = 100_000
MAX_INT_BITS = 4_096
MAX_FORMAT_WIDTH = 100


class TemplateLimitError(TemplateRuntimeError):
    """A template went past one of the rendering limits."""


_steps: ContextVar[list[int] | None] = ContextVar("template_steps", default=None)


def _too_long(size: int) -> TemplateLimitError:
    return TemplateLimitError(
        f"a template may build at most {MAX_TEXT:,} characters of text or list items "
        f"(this one tried {size:,})"
    )


def _sized(value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_TEXT:
        raise _too_long(len(value))
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimitError("numbers this large are not allowed in templates")
    return value


def capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise TemplateLimitError(
            f"range() may give at most {MAX_RANGE:,} numbers in a template "
            f"(this one asked for {len(numbers):,})"
        )
    return numbers


_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_format(pattern: str) -> None:
    for width, precision in _FORMAT_SPEC.findall(pattern):
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                raise TemplateLimitError(
                    f"format widths above {MAX_FORMAT_WIDTH} (or '*') are not allowed in templates"
                )


def _join(parts: Iterable[Any]) -> str:
    out, size = [], 0
    for part in parts:
        text = str(part)
        size += len(text)
        if size > MAX_TEXT:
            raise _too_long(size)
        out.append(text)
    return "".join(out)


@pass_context
def _counted(context: Context, iterable: Any) -> Iterator[Any]:
    """Every for loop iterates through this (see `_bound_loops`): one render's loops may take at
    most MAX_STEPS steps in all. (pass_context also keeps Jinja from running it at compile time.)"""
    budget = _steps.get()
    local = [MAX_STEPS]
    for item in iterable:
        counter = budget if budget is not None else local
        counter[0] -= 1
        if counter[0] < 0:
            raise TemplateLimitError(
                f"a template may run at most {MAX_STEPS:,} loop steps for one reply"
            )
        yield item


def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    text, old_s, new_s = str(s), str(old), str(new)
    hits = text.count(old_s) if old_s else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    size = len(text) + hits * (len(new_s) - len(old_s))
    if size > MAX_TEXT:
        raise _too_long(size)
    return do_replace(eval_ctx, text, old_s, new_s, count)


def _join_filter(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if len(items) > MAX_TEXT:
        raise _too_long(len(items))
    size = sum(len(str(i)) for i in items) + len(str(d)) * max(len(items) - 1, 0)
    if size > MAX_TEXT:
        raise _too_long(size)
    return do_join(eval_ctx, items, d, attribute)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise TemplateRuntimeError("format: use positional or keyword arguments, not both")
    pattern = str(value)
    _check_format(pattern)
    return _sized(pattern % (kwargs or args))


_replace.jinja_pass_arg = do_replace.jinja_pass_arg  # type: ignore[attr-defined]
_join_filter.jinja_pass_arg = do_join.jinja_pass_arg  # type: ignore[attr-defined]


class _BoundedCode(CodeGenerator):
    """`a ~ b` joins through the environment's capped join instead of an unbounded one."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.join_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render with a fresh loop-step budget, stopping as soon as the text passes MAX_TEXT."""
        token = _steps.set([MAX_STEPS])
        stream = self.generate(*args, **kwargs)
        try:
            return _join_capped_output(stream)
        finally:
            stream.close()
            _steps.reset(token)


def _join_capped_output(stream: Iterator[str]) -> str:
    out, size = [], 0
    for piece in stream:
        size += len(piece)
        if size > MAX_TEXT:
            raise TemplateLimitError(
                f"renders to more than {MAX_TEXT:,} characters; replies must be far shorter"
            )
        out.append(piece)
    return "".join(out)


class SafeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox every template renders in, with the limits above."""

    code_generator_class = _BoundedCode
    template_class = BoundedTemplate
    intercepted_binops = frozenset({"+", "*", "**", "%", "//", "/", "-"})
    concat = staticmethod(_join)

    def __init__(self, templates_dir: str) -> None:
        super().__init__(
            loader=FileSystemLoader(templates_dir), undefined=StrictUndefined, autoescape=False
        )
        self.globals.clear()
        self.globals["range"] = capped_range
        self.filters["_counted"] = _counted
        self.filters["replace"] = _replace
        self.filters["join"] = _join_filter
        self.filters["format"] = _format
        self.partials = frozenset(
            f"partials/{p.name}" for p in Path(templates_dir, "partials").glob("*.j2")
        )

    @staticmethod
    def join_text(parts: Iterable[Any]) -> str:
        return _join(parts)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr in attributes() and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _before(operator, left, right)
        return _sized(self.binop_table[operator](left, right))

    def compile_checked(self, source: str, names: frozenset[str] | None) -> Template:
        """Parse, check against what templates may use (with the context `names` it may read),
        bound its loops, and compile."""
        try:
            tree = super()._parse(source, None, None)
        except TemplateSyntaxError:
            self.handle_exception(source=source)
        check_template(tree, self.partials, names)
        return self.from_string(_bound_loops(tree))

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every template is checked against `bot.template_rules` before it compiles, and its
        loops are counted."""
        tree = super()._parse(source, name, filename)
        check_template(tree, self.partials)
        return _bound_loops(tree)


def _before(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would pass the limits, before it is computed."""
    seqs = str | list | tuple
    size = 0
    if operator == "*" and isinstance(left, seqs) and isinstance(right, int):
        size = len(left) * right
    elif operator == "*" and isinstance(right, seqs) and isinstance(left, int):
        size = len(right) * left
    elif operator == "+" and isinstance(left, seqs) and isinstance(right, seqs):
        size = len(left) + len(right)
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
        if right > MAX_INT_BITS or left.bit_length() * right > MAX_INT_BITS:
            raise TemplateLimitError("numbers this large are not allowed in templates")
    elif operator == "%" and isinstance(left, str):
        _check_format(left)
    if size > MAX_TEXT:
        raise _too_long(size)


def _bound_loops(tree: nodes.Template) -> nodes.Template:
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, "_counted", [], [], None, None, lineno=loop.iter.lineno)
    return tree


@lru_cache(maxsize=4)
def environment(templates_dir: str = str(TEMPLATES_DIR)) -> SafeEnvironment:
    return SafeEnvironment(templates_dir)


def compile_template(
    source: str,
    templates_dir: str = str(TEMPLATES_DIR),
    names: frozenset[str] | None = None,
) -> Template:
    """A knowledge template, checked (`bot.template_rules`) and compiled in the sandbox; `names`
    are the context names it may read. Raises UnsafeTemplateError or TemplateSyntaxError."""
    return environment(templates_dir).compile_checked(source, names)


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
