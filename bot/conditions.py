"""Structured conditions on profile facts: data a moderator writes, never code that is run.

A condition is a mapping of fact name to tests, all of which must hold::

    step2ck_score: {lt: 225}
    step1_failures: {gte: 1}
    any:                       # at least one of these
      - visa: {in: [j1, either]}
      - goal: {eq: region}
    not: {ck_taken: {eq: true}}

Tests: eq, ne, in, not_in, lt, lte, gt, gte, is_null. A missing value (no Step 2 CK score yet,
or an optional answer the member skipped: unknown, not 0/false) makes every test on it false,
`ne` and `not_in` included; only `is_null: true` holds. So {us_letters: {lt: 2}} never fires for
a member who didn't say. (`not` still turns an unknown into true: write `not` only around tests
whose facts are known, or pair it with `is_null: false`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPS = ("eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "is_null")
GROUPS = ("any", "all", "not")


@dataclass(frozen=True)
class Fact:
    """A fact a condition may test: its kind and the values it can take."""

    kind: str  # "int" | "number" | "bool" | "choice"
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False
    describe: str = ""


def check_condition(cond: Any, facts: Mapping[str, Fact]) -> list[tuple[tuple, str]]:
    """Every problem in `cond` as (path inside the condition, message)."""
    if not isinstance(cond, dict) or not cond:
        return [
            (
                (),
                "a condition must be a mapping of fact names to tests, e.g. {step2ck_score: {lt: 225}}",
            )
        ]
    problems: list[tuple[tuple, str]] = []
    for name, tests in cond.items():
        if name in ("any", "all"):
            if not isinstance(tests, list) or not tests:
                problems.append(((name,), f"'{name}' takes a list of conditions"))
                continue
            for i, sub in enumerate(tests):
                problems += [((name, i, *p), m) for p, m in check_condition(sub, facts)]
        elif name == "not":
            problems += [(("not", *p), m) for p, m in check_condition(tests, facts)]
        elif name not in facts:
            problems.append(((name,), f"unknown profile field '{name}'; known: {', '.join(facts)}"))
        else:
            problems += [((name, *p), m) for p, m in _check_tests(name, tests, facts[name])]
    return problems


def _check_tests(name: str, tests: Any, fact: Fact) -> list[tuple[tuple, str]]:
    if not isinstance(tests, dict) or not tests:
        return [
            ((), f"tests for '{name}' must be a mapping like {{gte: 2}}; tests: {', '.join(OPS)}")
        ]
    problems = []
    for op, value in tests.items():
        if op not in OPS:
            problems.append(((op,), f"unknown test '{op}'; allowed: {', '.join(OPS)}"))
            continue
        message = _check_value(op, value, fact)
        if message:
            problems.append(((op,), f"{name} {op} {value!r}: {message}"))
    return problems


def _check_value(op: str, value: Any, fact: Fact) -> str | None:
    if op == "is_null":
        if not isinstance(value, bool):
            return "is_null takes true or false"
        return (
            None if fact.nullable else "this field always has a value, so is_null can never be true"
        )
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            return "takes a non-empty list"
        return next((m for v in value if (m := _check_scalar("eq", v, fact))), None)
    return _check_scalar(op, value, fact)


def _check_scalar(op: str, value: Any, fact: Fact) -> str | None:
    if fact.kind == "bool":
        if op not in ("eq", "ne", "in", "not_in"):
            return "a true/false field can only be tested with eq or ne"
        return None if isinstance(value, bool) else "must be true or false"
    if fact.kind == "choice":
        if op not in ("eq", "ne", "in", "not_in"):
            return "a choice can only be tested with eq, ne, in, not_in"
        return None if value in fact.choices else f"allowed values are {', '.join(fact.choices)}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "must be a number"
    if fact.kind == "int" and op in ("eq", "ne") and not float(value).is_integer():
        return "this field is a whole number"
    low, high = fact.low, fact.high
    never = (
        (
            op in ("eq",)
            and ((low is not None and value < low) or (high is not None and value > high))
        )
        or (op == "lt" and low is not None and value <= low)
        or (op == "lte" and low is not None and value < low)
        or (op == "gt" and high is not None and value >= high)
        or (op == "gte" and high is not None and value > high)
    )
    if never:
        return f"can never be true ({fact.describe or 'value out of range'})"
    return None


def evaluate(cond: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """True when `values` (fact name -> value) satisfy `cond`. `cond` must have passed checking."""
    for name, tests in cond.items():
        if name == "any":
            ok = any(evaluate(sub, values) for sub in tests)
        elif name == "all":
            ok = all(evaluate(sub, values) for sub in tests)
        elif name == "not":
            ok = not evaluate(tests, values)
        else:
            ok = all(_test(op, arg, values.get(name)) for op, arg in tests.items())
        if not ok:
            return False
    return True


def _test(op: str, arg: Any, value: Any) -> bool:
    if op == "is_null":
        return (value is None) == arg
    if value is None:
        return False  # unknown: no test on it holds
    if op == "ne":
        return value != arg
    if op == "not_in":
        return value not in arg
    if op == "eq":
        return value == arg
    if op == "in":
        return value in arg
    return {"lt": value < arg, "lte": value <= arg, "gt": value > arg, "gte": value >= arg}[op]
