"""The guided interview: its steps as data, and pure functions of the answers so far.

Answers are a plain dict of step id -> value (None means the member skipped an optional step).
`next_step(answers)` is the whole state machine: the console chat and the Discord views both
ask it what to show, parse the member's input with `parse_answer`, and store the result.
Values are validated by the profile's own rules, so the interview and a profile file can
never disagree about what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from bot.conditions import evaluate
from bot.matching import clean_text
from bot.profile import ALLOWED, Profile, consistency_problems, parse_profile

Answers = Mapping[str, Any]


class AnswerError(ValueError):
    """The member's input does not fit the step; the message says what is allowed."""


@dataclass(frozen=True)
class Choice:
    value: Any
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str
    title: str  # short, for progress lines, buttons and modal titles (≤ 45 characters)
    prompt: str
    kind: str  # "choice" | "int" | "number"
    choices: tuple[Choice, ...] = ()
    optional: bool = False
    when: Mapping[str, Any] | None = None
    hint: str = ""  # example input, e.g. "e.g. 232"
    field: str | None = None  # the profile field this fills (None for helper steps)

    @property
    def profile_field(self) -> str | None:
        return self.field if self.field is not None else (self.id if self.id in ALLOWED else None)


YES_NO = (
    Choice(True, "Yes", ("yes", "y", "yeah", "yep", "yup", "true", "ya", "ok", "sure")),
    Choice(False, "No", ("no", "n", "nope", "nah", "false", "not")),
)

STEPS: tuple[Step, ...] = (
    Step(
        "step1_result",
        "Step 1 result",
        "What is your USMLE Step 1 result?",
        "choice",
        (
            Choice("pass", "Passed", ("pass", "passed", "p", "cleared", "yes")),
            Choice("fail", "Failed (not passed yet)", ("fail", "failed", "f", "failure")),
            Choice(
                "not_taken",
                "Not taken yet",
                ("not taken", "not yet", "no", "nt", "havent", "haven't", "not"),
            ),
        ),
    ),
    Step(
        "step1_attempts",
        "Step 1 attempts",
        "How many times have you taken Step 1 (including the attempt you passed)?",
        "int",
        when={"step1_result": {"in": ["pass", "fail"]}},
        hint="e.g. 1",
    ),
    Step(
        "ck_status",
        "Step 2 CK taken?",
        "Have you taken Step 2 CK and got your score?",
        "choice",
        (
            Choice(
                "taken",
                "Yes, I have a score",
                ("yes", "y", "taken", "done", "have", "i have", "got it"),
            ),
            Choice(
                "not_taken",
                "Not yet",
                ("no", "n", "not yet", "not taken", "nope", "havent", "haven't"),
            ),
        ),
    ),
    Step(
        "step2ck_score",
        "Step 2 CK score",
        "What is your (latest) Step 2 CK score?",
        "int",
        when={"ck_status": {"eq": "taken"}},
        hint="e.g. 232",
    ),
    Step(
        "step2ck_attempts",
        "Step 2 CK attempts",
        "How many times have you taken Step 2 CK?",
        "int",
        when={"ck_status": {"eq": "taken"}},
        hint="e.g. 1",
    ),
    Step(
        "practice_score",
        "Latest practice score",
        "What was your latest NBME or UWSA practice score? (type skip if you have none)",
        "int",
        optional=True,
        hint="e.g. 228",
    ),
    Step(
        "uworld_percent",
        "UWorld % correct",
        "What is your UWorld Step 2 CK % correct so far? (type skip if you don't know)",
        "number",
        optional=True,
        when={"ck_status": {"eq": "not_taken"}},
        hint="e.g. 62",
    ),
    Step(
        "visa",
        "Visa",
        "Which visa will you need for residency?",
        "choice",
        (
            Choice("j1", "J-1", ("j1", "j 1", "j-1", "j")),
            Choice("h1b", "H-1B", ("h1b", "h 1b", "h-1b", "h1", "h 1", "h1 b", "h")),
            Choice(
                "either",
                "Either J-1 or H-1B",
                ("either", "both", "any", "j1 or h1b", "dont know", "not sure"),
            ),
            Choice(
                "none",
                "No sponsorship needed",
                ("none", "no", "no visa", "not needed", "green card"),
            ),
        ),
    ),
    Step(
        "usce_months",
        "US clinical experience",
        "How many months of US clinical experience (USCE) do you have?",
        "number",
        optional=True,
        hint="e.g. 3 (0 if none)",
    ),
    Step(
        "usce_hands_on",
        "Hands-on USCE?",
        "Was any of it hands-on (sub-internship, acting internship or equivalent), not only observing?",
        "choice",
        YES_NO,
        optional=True,
        when={"usce_months": {"gt": 0}},
    ),
    Step(
        "us_letters",
        "US letters",
        "How many letters of recommendation from US physicians do you have?",
        "int",
        optional=True,
        hint="e.g. 2 (0 if none)",
    ),
    Step(
        "yog",
        "Year of graduation",
        "What year did you (or will you) graduate from medical school?",
        "int",
        optional=True,
        hint="e.g. 2021",
    ),
    Step(
        "goal",
        "Your goal",
        "What is your main goal?",
        "choice",
        (
            Choice(
                "any_prelim", "Any prelim IM spot with a visa", ("any", "any prelim", "any spot")
            ),
            Choice(
                "region",
                "A prelim IM in a specific region",
                ("region", "specific region", "location"),
            ),
            Choice(
                "categorical_later",
                "Prelim IM, then categorical later",
                ("categorical", "categorical later", "convert"),
            ),
        ),
        optional=True,
    ),
)
BY_ID = {s.id: s for s in STEPS}
MAX_NUMBER_CHARS = 12


def applicable(answers: Answers) -> list[Step]:
    """The steps that apply given the answers so far, in order."""
    return [s for s in STEPS if s.when is None or evaluate(s.when, answers)]


def next_step(answers: Answers) -> Step | None:
    """The first step that applies and has no answer yet; None when the interview is complete."""
    return next((s for s in applicable(answers) if s.id not in answers), None)


def progress(answers: Answers) -> tuple[int, int]:
    """(number of the current step, total steps) for a "Step 3 of 9" line.

    A step whose condition rests on an unanswered step is counted, so the total only ever
    shrinks as answers rule branches out, never jumps up under the member."""
    steps = [s for s in STEPS if _may_apply(s, answers)]
    done = sum(1 for s in steps if s.id in answers)
    return min(done + 1, len(steps)), len(steps)


def _may_apply(step: Step, answers: Answers) -> bool:
    if step.when is None or evaluate(step.when, answers):
        return True
    return any(name not in answers for name in step.when)


def previous_step(answers: Answers) -> Step | None:
    """The step `back` returns to: the last answered step that still applies."""
    current = next_step(answers)
    steps = applicable(answers)
    end = steps.index(current) if current in steps else len(steps)
    return next((s for s in reversed(steps[:end]) if s.id in answers), None)


def back(answers: Answers) -> dict[str, Any]:
    """Answers with the previous step un-answered, so it is asked again."""
    step = previous_step(answers)
    return {k: v for k, v in answers.items() if step is None or k != step.id}


def skip(answers: Answers, step: Step) -> dict[str, Any]:
    if not step.optional:
        raise AnswerError(f"{step.title} is needed for your plan, so it can't be skipped.")
    return {**answers, step.id: None}


def answer(answers: Answers, step: Step, text: Any) -> dict[str, Any]:
    """Answers with `text` parsed into `step`, or AnswerError naming the problem."""
    value = parse_answer(step, text)
    updated = {**answers, step.id: value}
    field = step.profile_field
    if field:
        for problem in consistency_problems(profile_data(updated)):
            if problem.startswith(field + ":"):
                raise AnswerError(_friendly(problem.split(": ", 1)[1]))
    return updated


def parse_answer(step: Step, text: Any) -> Any:
    """Turn the member's input (typed text, or a button's value) into a valid value."""
    if step.kind == "choice":
        return _parse_choice(step, text)
    raw = clean_text(str(text)).strip().rstrip("%").strip()
    if len(raw) > MAX_NUMBER_CHARS:
        raise AnswerError(
            f"That's too long for {step.title}: please type just the number{_hint(step)}."
        )
    if step.kind == "int":
        if not re.fullmatch(r"[+-]?\d+", raw):
            raise AnswerError(f"Please type a whole number{_hint(step)}, using digits.")
        value: Any = int(raw)
    else:
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw.replace(",", ".")):
            raise AnswerError(f"Please type a number{_hint(step)}, using digits.")
        value = float(raw.replace(",", "."))
    field = step.profile_field
    if field:
        try:
            _adapter(field).validate_python(value, strict=True)
        except ValidationError:
            raise AnswerError(
                f"That doesn't look right: {step.title} must be {ALLOWED[field]}."
            ) from None
    return value


@cache
def _adapter(field: str) -> TypeAdapter:
    """A validator for one profile field, constraints included: the profile's own rules."""
    info = Profile.model_fields[field]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _parse_choice(step: Step, text: Any) -> Any:
    if not isinstance(text, str):
        for choice in step.choices:
            if text == choice.value and type(text) is type(choice.value):
                return choice.value
    said = clean_text(str(text)).strip(" .!?")
    said = re.sub(r"[^\w\s-]", "", said)
    if said.isdigit() and 1 <= int(said) <= len(step.choices):
        return step.choices[int(said) - 1].value
    for choice in step.choices:
        if said in (str(choice.value).lower(), choice.label.lower(), *choice.aliases):
            return choice.value
    options = ", ".join(f"{i}) {c.label}" for i, c in enumerate(step.choices, 1))
    raise AnswerError(f"Please choose one of: {options}.")


def _hint(step: Step) -> str:
    return f" ({step.hint})" if step.hint else ""


def _friendly(problem: str) -> str:
    for step in STEPS:
        problem = problem.replace(step.id, step.title)
    return f"That doesn't fit your earlier answers: {problem}."


def profile_data(answers: Answers) -> dict[str, Any]:
    """The profile fields these answers give, with the defaults a skipped step implies."""
    data: dict[str, Any] = {}
    for step in applicable(answers):
        field = step.profile_field
        if field and answers.get(step.id) is not None:
            data[field] = answers[step.id]
    if answers.get("step1_result") == "not_taken":
        data["step1_attempts"] = 0
    if answers.get("ck_status") == "not_taken":
        data.update(step2ck_score=None, step2ck_attempts=0)
    return data


def to_profile(answers: Answers) -> Profile:
    """The profile of a completed interview (ProfileError if something is missing or wrong)."""
    return parse_profile(profile_data(answers))


def answers_from_profile(profile: Profile) -> dict[str, Any]:
    """The interview answers that would produce `profile` (for importing a profile file)."""
    data = profile.model_dump()
    out: dict[str, Any] = {"ck_status": "taken" if profile.ck_taken else "not_taken"}
    for step in applicable({**data, **out}):
        field = step.profile_field
        if field and step.id not in out:
            out[step.id] = data[field]
    return out


def describe(step: Step, value: Any) -> str:
    """An answer as the member would say it (for summaries)."""
    if value is None:
        return "skipped"
    for choice in step.choices:
        if choice.value == value and type(choice.value) is type(value):
            return choice.label
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def summary(answers: Answers) -> list[tuple[str, str]]:
    """(title, answer) for every answered step that applies, in order."""
    return [(s.title, describe(s, answers[s.id])) for s in applicable(answers) if s.id in answers]
