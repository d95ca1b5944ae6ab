"""What a knowledge template may use, checked on its parsed form before it is ever compiled.

Knowledge templates are written by moderators, so they are treated as untrusted: a template may
read the documented context (score, band, profile, ...), the fields of those objects, a few
filters and tests, `if`/`for`/`set`, and the shipped partials. Anything else is refused with the
template line and a sentence a moderator can act on. The sandbox (`bot.render`) enforces the same
at render time; this check is what makes `kb check` refuse a template before it runs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import lru_cache

from jinja2 import TemplateError, nodes

#: Names a topic answer or out-of-scope reply may read (see README, moderator section).
ANSWER_NAMES = frozenset(
    {
        "score",
        "band",
        "profile",
        "bands",
        "by_failures",
        "failures_in_question",
        "failed",
        "score_source",
        "score_kind",
        "between",
    }
)
#: Names a plan rule's advice may read.
ADVICE_NAMES = frozenset({"profile", "band", "score_band", "facts", "bands"})
#: Always available: `range(...)` (capped) and `loop` inside a for loop.
BUILTIN_NAMES = frozenset({"range", "loop"})

#: Filters and tests a template may use; every filter here is bounded by the sandbox.
FILTERS = frozenset(
    {
        "trim", "lower", "upper", "capitalize", "title", "join", "format", "replace", "list",
        "select", "reject", "length", "count", "first", "last", "default", "d", "round", "int",
        "float", "abs", "string", "sort", "unique", "min", "max",
    }
)  # fmt: skip
TESTS = frozenset(
    {
        "none", "defined", "undefined", "number", "string", "integer", "float", "boolean",
        "true", "false", "even", "odd", "divisibleby", "in", "eq", "ne", "lt", "le", "gt",
        "ge", "equalto", "sameas", "sequence", "mapping", "lower", "upper",
        "==", "!=", "<", "<=", ">", ">=",
    }
)  # fmt: skip
#: Methods a template may call on text or on a mapping (none of them can grow text).
METHODS = frozenset(
    {
        "split", "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize",
        "startswith", "endswith", "get",
    }
)  # fmt: skip
LOOP_ATTRIBUTES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem", "nextitem"}
)
MAX_LOOP_DEPTH = 2

#: Statement and expression kinds a template may contain. Notably absent: macros, call blocks,
#: imports, extends/blocks, filter blocks, `with`, namespaces.
_NODES: tuple[type[nodes.Node], ...] = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.Name, nodes.Getattr,
    nodes.Getitem, nodes.Slice, nodes.If, nodes.CondExpr, nodes.Compare, nodes.Operand,
    nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos, nodes.Test, nodes.Filter, nodes.Pair,
    nodes.Keyword, nodes.List, nodes.Tuple, nodes.Dict, nodes.Concat, nodes.Add, nodes.Sub,
    nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow, nodes.Assign, nodes.AssignBlock,
    nodes.For, nodes.Include, nodes.Call,
)  # fmt: skip
_WHAT = {
    nodes.Macro: "macros ({% macro %})",
    nodes.CallBlock: "call blocks ({% call %})",
    nodes.Import: "imports ({% import %})",
    nodes.FromImport: "imports ({% from ... import %})",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.FilterBlock: "filter blocks ({% filter %})",
    nodes.With: "{% with %}",
    nodes.NSRef: "namespace attributes",
}


class UnsafeTemplateError(TemplateError):
    """A template that uses something templates may not use; `lineno` is its template line."""

    def __init__(self, message: str, lineno: int | None = None):
        super().__init__(message)
        self.lineno = lineno

    def __str__(self) -> str:
        return str(self.message)


@lru_cache(maxsize=1)
def attributes() -> frozenset[str]:
    """Every attribute a template may read: the fields of the band, the profile (with its
    derived facts), the plan and the program list, and the loop variables."""
    from bot.knowledge import Band, BandSpan
    from bot.planning import Plan, PlanPart, PlanPoint, Priority, Unknown
    from bot.profile import Profile, fact_specs
    from bot.programs import Program, ProgramList

    names = set(Band.model_fields) | set(Profile.model_fields) | set(Program.model_fields)
    names |= {n for n in dir(Profile) if isinstance(getattr(Profile, n, None), property)}
    names |= {n for n in dir(ProgramList) if isinstance(getattr(ProgramList, n, None), property)}
    names |= set(fact_specs())
    for cls in (Plan, PlanPart, PlanPoint, Priority, Unknown, ProgramList, BandSpan):
        names |= {f.name for f in dataclasses.fields(cls)}
    return frozenset(n for n in names | LOOP_ATTRIBUTES | METHODS if not n.startswith("_"))


def _list(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


def check_template(
    tree: nodes.Template, partials: frozenset[str], names: frozenset[str] | None = None
) -> None:
    """Raise UnsafeTemplateError at the first name, attribute, statement, filter, test or call
    in `tree` that templates may not use. `partials`: the template files it may include;
    `names`: the context names it may read besides what it sets itself (None: any, for the
    shipped template files). Inner parts are checked first, so `cycler.__init__` is refused for
    `cycler`, before what is done with it."""
    readable = None
    if names is not None:
        local = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        readable = names | BUILTIN_NAMES | local
    _Checker(partials, names or frozenset(), readable).visit(tree, None, 0)


@dataclasses.dataclass
class _Checker:
    partials: frozenset[str]
    documented: frozenset[str]
    readable: frozenset[str] | None

    def refuse(self, node: nodes.Node, message: str) -> UnsafeTemplateError:
        return UnsafeTemplateError(message, getattr(node, "lineno", None))

    def visit(self, node: nodes.Node, parent: nodes.Node | None, depth: int) -> None:
        if not isinstance(node, _NODES):
            what = _WHAT.get(type(node), f"'{type(node).__name__}' statements")
            raise self.refuse(node, f"{what} are not allowed in knowledge templates")
        inner = depth + 1 if isinstance(node, nodes.For) else depth
        if isinstance(node, nodes.For):
            self.check_For(node, depth)
        for child in node.iter_child_nodes():
            self.visit(child, node, inner)
        if isinstance(node, nodes.Name):
            self.check_Name(node, parent)
        else:
            check = getattr(self, f"check_{type(node).__name__}", None)
            if check is not None and not isinstance(node, nodes.For):
                check(node, depth)

    def check_Name(self, node: nodes.Name, parent: nodes.Node | None) -> None:
        if node.ctx != "load" or self.readable is None or node.name in self.readable:
            return
        shown = parent if isinstance(parent, nodes.Getattr) and parent.node is node else node
        raise self.refuse(
            node,
            f"templates may only use {_list(self.documented)} (and names they set "
            f"themselves); `{_describe(shown)}` is not allowed",
        )

    def check_Getattr(self, node: nodes.Getattr, depth: int) -> None:
        if node.attr not in attributes():
            raise self.refuse(
                node,
                f"`{_describe(node)}` is not allowed: templates may only read the documented "
                "fields of score, band, profile and the plan (e.g. band.label, profile.visa)",
            )

    def check_Getitem(self, node: nodes.Getitem, depth: int) -> None:
        key = node.arg
        if isinstance(key, nodes.Const) and isinstance(key.value, str) and key.value[:1] == "_":
            raise self.refuse(
                node, f"`{_describe(node)}` is not allowed: names starting with _ are private"
            )

    def check_Filter(self, node: nodes.Filter, depth: int) -> None:
        if node.name not in FILTERS:
            raise self.refuse(
                node, f"the filter '{node.name}' is not allowed; allowed filters: {_list(FILTERS)}"
            )
        self.no_star_args(node)
        if node.name in ("select", "reject") and node.args:
            test = node.args[0]
            if not (isinstance(test, nodes.Const) and test.value in TESTS):
                raise self.refuse(
                    node, f"'{node.name}' may use only the allowed tests: {_list(TESTS)}"
                )

    def check_Test(self, node: nodes.Test, depth: int) -> None:
        if node.name not in TESTS:
            raise self.refuse(
                node, f"the test 'is {node.name}' is not allowed; allowed tests: {_list(TESTS)}"
            )

    def check_Call(self, node: nodes.Call, depth: int) -> None:
        self.no_star_args(node)
        target = node.node
        if isinstance(target, nodes.Name) and target.name == "range":
            return
        if isinstance(target, nodes.Getattr) and target.attr in METHODS:
            return
        raise self.refuse(
            node,
            f"calling `{_describe(target)}` is not allowed; templates may call only range() "
            f"and the text methods {_list(METHODS)}",
        )

    def no_star_args(self, node: nodes.Call | nodes.Filter) -> None:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            raise self.refuse(node, "*args and **kwargs are not allowed in templates")

    def check_For(self, node: nodes.For, depth: int) -> None:
        if node.recursive:
            raise self.refuse(node, "recursive loops are not allowed in knowledge templates")
        if depth + 1 > MAX_LOOP_DEPTH:
            raise self.refuse(
                node, f"loops may be nested at most {MAX_LOOP_DEPTH} deep in a template"
            )

    def check_Include(self, node: nodes.Include, depth: int) -> None:
        name = node.template.value if isinstance(node.template, nodes.Const) else None
        if name not in self.partials:
            raise self.refuse(
                node,
                f"templates may include only the shipped partials ({_list(self.partials)})",
            )


def _describe(node: nodes.Node) -> str:
    """`cycler.__init__`-style text for a name, attribute or item chain."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        key = node.arg.value if isinstance(node.arg, nodes.Const) else "..."
        return f"{_describe(node.node)}[{key!r}]"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}(...)"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "..."
