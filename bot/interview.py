"""The guided interview: its steps as data, and pure functions of the answers so far.

Answers are a plain dict of step id -> value (None means the member skipped an optional step).
`next_step(answers)` is the whole state machine: the console chat and the Discord views both
ask it what to show, parse the member's input with `parse_answer`, and store the result.
Values are validated by the profile's own rules, so the interview and a profile file can
never disagree about what is allowed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from bot import typed
from bot.conditions import evaluate
from bot.profile import ALLOWED, Profile, consistency_problems, parse_profile
from bot.question import clean_text
from bot.reading import approximations

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
    names: tuple[str, ...] = ()  # what members call it in `change NAME`
    count: bool = False  # "none", "no", "zero" mean 0
    months: bool = False  # "2 years" means 24 (months)
    usual: tuple[float | None, float | None] = (None, None)  # outside it: "Did you mean …?"
    usual_years_back: int | None = None  # a year: from this many years ago to this year
    confirm: str = ""  # "Did you mean {value} …?" for a value outside `usual`

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
        names=("step 1", "step1", "step 1 result"),
        choices=(
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
        names=("step 1 attempts", "step1 attempts", "attempts"),
        usual=(None, 3),
        confirm="Did you mean {value} attempts at Step 1?",
    ),
    Step(
        "ck_status",
        "Step 2 CK taken?",
        "Have you taken Step 2 CK and got your score?",
        "choice",
        names=("ck taken", "step 2 taken", "ck status"),
        choices=(
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
        names=("ck", "step 2", "step2", "step 2 ck", "ck score", "step 2 ck score", "score"),
        usual=(180, None),
        confirm="Did you mean a Step 2 CK score of {value}?",
    ),
    Step(
        "step2ck_attempts",
        "Step 2 CK attempts",
        "How many times have you taken Step 2 CK?",
        "int",
        when={"ck_status": {"eq": "taken"}},
        hint="e.g. 1",
        names=("ck attempts", "step 2 attempts", "step2 attempts"),
        usual=(None, 3),
        confirm="Did you mean {value} attempts at Step 2 CK?",
    ),
    Step(
        "practice_score",
        "Latest practice score",
        "What was your latest NBME or UWSA practice score? (Enter or skip if you have none)",
        "int",
        optional=True,
        hint="e.g. 228, or NBME 228",
        names=("practice", "practice score", "nbme", "uwsa"),
        usual=(180, None),
        confirm="Did you mean a practice score of {value}?",
    ),
    Step(
        "uworld_percent",
        "UWorld % correct",
        "What is your UWorld Step 2 CK % correct so far? (Enter or skip if you don't know)",
        "number",
        optional=True,
        when={"ck_status": {"eq": "not_taken"}},
        hint="e.g. 62",
        names=("uworld", "uworld percent", "uworld %"),
    ),
    Step(
        "visa",
        "Visa",
        "Which visa will you need for residency?",
        "choice",
        names=("visa",),
        choices=(
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
        hint="e.g. 3 months, or none",
        names=("usce", "usce months", "clinical experience", "us clinical experience", "months"),
        count=True,
        months=True,
        usual=(None, 36),
        confirm="Did you mean {value} months of US clinical experience?",
    ),
    Step(
        "usce_hands_on",
        "Hands-on USCE?",
        "Was any of it hands-on (sub-internship, acting internship or equivalent), not only observing?",
        "choice",
        YES_NO,
        optional=True,
        when={"usce_months": {"gt": 0}},
        names=("hands on", "hands on usce"),
    ),
    Step(
        "us_letters",
        "US letters",
        "How many letters of recommendation from US physicians do you have?",
        "int",
        optional=True,
        hint="e.g. 2 letters, or none",
        names=("letters", "us letters", "lors", "lor", "letters of recommendation", "us lors"),
        count=True,
        usual=(None, 6),
        confirm="Did you mean {value} US letters of recommendation?",
    ),
    Step(
        "yog",
        "Year of graduation",
        "What year did you (or will you) graduate from medical school?",
        "int",
        optional=True,
        hint="e.g. 2021",
        names=("yog", "graduation", "year of graduation", "graduation year", "year"),
        usual_years_back=15,
        confirm="Did you mean {when}?",
    ),
    Step(
        "goal",
        "Your goal",
        "What is your main goal?",
        "choice",
        names=("goal",),
        choices=(
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
MAX_ANSWER_CHARS = 80
#: Typed to leave an optional step out (Enter alone counts too).
SKIP_WORDS = frozenset({"skip", "pass on this", "-"})
#: Words that say "I don't know": an optional step stays unknown.
UNSURE = frozenset({"sure", "know", "idea", "remember", "idk", "unsure", "unknown", "na", "n/a"})
#: Words that say "none": 0 on a count ("I don't have any", "no letters yet"), unknown on an
#: optional score or year ("haven't taken an NBME").
NEGATIONS = frozenset(
    {"none", "no", "nope", "zero", "nil", "nothing", "not", "dont", "don't", "havent",
     "haven't", "didnt", "didn't", "never", "without"}
)  # fmt: skip
#: Plain yes/no words dropped when a line also names a choice ("yes, I passed").
PLAIN_YES = frozenset({"yes", "y", "yeah", "yep", "yup", "ok", "sure", "ya", "true"})


class NeedsConfirmation(Exception):
    """A possible but unusual value: ask "Did you mean …?" before saving it."""

    def __init__(self, question: str, value: Any):
        super().__init__(question)
        self.question, self.value = question, value


def applicable(answers: Answers) -> list[Step]:
    """The steps that apply given the answers so far, in order."""
    return [s for s in STEPS if s.when is None or evaluate(s.when, answers)]


def next_step(answers: Answers) -> Step | None:
    """The first step that applies and has no answer yet; None when the interview is complete."""
    return next((s for s in applicable(answers) if s.id not in answers), None)


def _longest_path() -> int:
    """The most steps any member can be asked: every branch tried (a few dozen at most)."""
    deciding = sorted({name for s in STEPS if s.when for name in s.when})
    options = [
        [c.value for c in BY_ID[name].choices] or [0, 1] if name in BY_ID else [None]
        for name in deciding
    ]
    return max(
        len(applicable(dict(zip(deciding, combo, strict=True))))
        for combo in itertools.product(*options)
    )


MAX_STEPS = _longest_path()


def progress(answers: Answers) -> tuple[int, int]:
    """(number of the current step, most steps there can be) for a "Step 3 of 12" line.

    The total is fixed (the longest way through), so it never drops under the member as
    branches are ruled out; a shorter way simply finishes sooner. The step number counts the
    answered steps that apply, so it only goes down when the member goes back."""
    done = sum(1 for s in applicable(answers) if s.id in answers)
    return min(done + 1, MAX_STEPS), MAX_STEPS


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
    """The step left out: stored as unknown (None), never as 0 or "no"."""
    if not step.optional:
        raise AnswerError(f"{step.title} is needed for your plan, so it can't be skipped.")
    return _with(answers, step, None)


def find_step(name: str) -> Step | None:
    """The step a member means by `name` in `change NAME`: its id, title or a short name."""
    said = " ".join(typed.words(name))
    for step in STEPS:
        if said in (step.id, step.id.replace("_", " "), step.title.lower(), *step.names):
            return step
    return None


def step_names() -> str:
    """The short names `change` accepts, for help texts."""
    return ", ".join(s.names[0] if s.names else s.id for s in STEPS)


def answer(
    answers: Answers,
    step: Step,
    text: Any,
    *,
    confirmed: bool = False,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Answers with `text` parsed into `step`: AnswerError naming the problem, or
    NeedsConfirmation for an unusual value not yet `confirmed`. Enter or "skip" skips an
    optional step."""
    if isinstance(text, str) and clean_text(text).strip(" .!") in ("", *SKIP_WORDS):
        return skip(answers, step)
    value = parse_answer(step, text)
    updated = _with(answers, step, value)
    field = step.profile_field
    if field and value is not None:
        for problem in consistency_problems(profile_data(updated)):
            if problem.startswith(field + ":"):
                raise AnswerError(_friendly(problem.split(": ", 1)[1]))
    if not confirmed and value is not None:
        question = unlikely(step, value, today)
        if question:
            raise NeedsConfirmation(question, value)
    return updated


def _with(answers: Answers, step: Step, value: Any) -> dict[str, Any]:
    """Answers with `step` set to `value`. When an earlier answer changes, the steps that
    depend on it are asked again only when needed: those that no longer apply are dropped
    (so an old answer never comes back unasked), those that follow a changed choice (Step 1
    attempts after the Step 1 result) are asked again, since their meaning changed, and so are
    those skipped before ("change usce" also asks the skipped hands-on question)."""
    updated = {**answers, step.id: value}
    if step.id not in answers:
        return updated
    changed = answers[step.id] != value
    for other in STEPS:
        if other.when is None or step.id not in other.when or other.id not in updated:
            continue
        if (
            not evaluate(other.when, updated)
            or (changed and step.kind == "choice")
            or updated[other.id] is None  # skipped before: asked again now the member is here
        ):
            del updated[other.id]
    return updated


def unlikely(step: Step, value: Any, today: dt.date | None = None) -> str | None:
    """The one-line "Did you mean …? yes/no" for a possible but unusual value, else None."""
    if not step.confirm or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    shown = describe(step, value)
    if step.usual_years_back is not None:
        year = (today or dt.date.today()).year
        if value > year:
            return step.confirm.format(when=f"you will graduate in {shown}") + " (yes/no)"
        if value < year - step.usual_years_back:
            ago = year - int(value)
            return (
                step.confirm.format(when=f"you graduated in {shown}, {ago} years ago") + " (yes/no)"
            )
        return None
    low, high = step.usual
    if (low is not None and value < low) or (high is not None and value > high):
        return step.confirm.format(value=shown) + " (yes/no)"
    return None


def parse_answer(step: Step, text: Any) -> Any:
    """Turn the member's input (typed text, or a button's value) into a valid value; None
    means unknown (an optional step the member doesn't know or has none of)."""
    if step.kind == "choice":
        return _parse_choice(step, text)
    if isinstance(text, int | float) and not isinstance(text, bool):
        value: Any = text
    else:
        value = _read_number(step, str(text))
        if value is None:
            return None
    if step.kind == "int":
        if float(value) != int(value):
            raise AnswerError(f"Please type a whole number{_hint(step)}.")
        value = int(value)
    else:
        value = float(value)
    field = step.profile_field
    if field:
        try:
            _adapter(field).validate_python(value, strict=True)
        except ValidationError:
            raise AnswerError(
                f"That doesn't look right: {step.title} must be {ALLOWED[field]}."
            ) from None
    return value


def _read_number(step: Step, text: str) -> float | None:
    said = clean_text(text).strip(" .!")
    if len(said) > MAX_ANSWER_CHARS:
        raise AnswerError(
            f"That's too long for {step.title}: please type just the number{_hint(step)}."
        )
    ranges = list(approximations(said).values())
    if ranges:  # "mid 230s" would be stored as a number the member never gave
        raise AnswerError(
            f"Please type the exact number{_hint(step)}: “{ranges[0].said}” could be anything "
            f"from {ranges[0].low} to {ranges[0].high}."
        )
    found = typed.numbers_in(said)
    if not found.values and not found.unclear:
        said_words = set(typed.words(said))
        if step.optional and said_words & UNSURE:
            return None
        if said_words & NEGATIONS:
            if step.count:
                return 0
            if step.optional:
                return None
    if found.unclear or len(found.distinct) > 1:
        shown = " and ".join(describe(step, v) for v in found.distinct)
        several = f" ({shown})" if len(found.distinct) > 1 else ""
        raise AnswerError(
            f"I couldn't tell which number you meant{several}: please type just one{_hint(step)}."
        )
    if not found.distinct:
        raise AnswerError(f"Please type a number{_hint(step)}.")
    value = found.distinct[0]
    if step.months and re.search(r"\b(weeks?|wks?)\b", said):
        raise AnswerError("Please give it in months (4 weeks is about 1 month), e.g. 2 months.")
    if step.months and re.search(r"\b(years?|yrs?)\b", said) and "month" not in said:
        value *= 12
    return value


@cache
def _adapter(field: str) -> TypeAdapter:
    """A validator for one profile field, constraints included: the profile's own rules."""
    info = Profile.model_fields[field]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _parse_choice(step: Step, text: Any) -> Any:
    """A choice by number ("2"), by name or a word for it ("J-1", "nope"), by a clear prefix
    ("categ"), or named in a sentence ("yes, I passed"); two different choices named in one
    line ("no, I failed") are not guessed at."""
    if not isinstance(text, str):
        for choice in step.choices:
            if text == choice.value and type(text) is type(choice.value):
                return choice.value
    said = clean_text(str(text)).strip(" .!?")
    said = re.sub(r"[^\w\s'-]", "", said).strip()
    if said.isdigit() and 1 <= int(said) <= len(step.choices):
        return step.choices[int(said) - 1].value
    names = {choice.value: _names(choice) for choice in step.choices}
    for value, known in names.items():
        if said in known:
            return value
    if step.optional and set(typed.words(said)) & UNSURE:
        return None  # "not sure": unknown, not a guess
    if len(said) >= 2:
        starts = {v for v, known in names.items() if any(n.startswith(said) for n in known)}
        if len(starts) == 1:
            return starts.pop()
    plain = " " + " ".join(typed.words(said)) + " "
    named = {
        value: {n for n in known if len(n) >= 2 and f" {n} " in plain}
        for value, known in names.items()
    }
    named = {v: found for v, found in named.items() if found}
    if len(named) > 1:  # "yes, I have a score": the plain yes goes with the named choice
        named = {v: found for v, found in named.items() if found - PLAIN_YES}
    if len(named) == 1:
        return next(iter(named))
    options = ", ".join(f"{i}) {c.label}" for i, c in enumerate(step.choices, 1))
    raise AnswerError(f"Please choose one of: {options} (the number is enough).")


def _names(choice: Choice) -> set[str]:
    return {str(choice.value).lower(), choice.label.lower(), *choice.aliases}


def _hint(step: Step) -> str:
    return f" ({step.hint})" if step.hint else ""


def _friendly(problem: str) -> str:
    for step in STEPS:
        problem = problem.replace(step.id, step.title)
    return f"That doesn't fit your earlier answers: {problem}."


def profile_data(answers: Answers) -> dict[str, Any]:
    """The profile fields these answers give: a skipped step is unknown (None) where the
    profile accepts that, else the profile's default."""
    data: dict[str, Any] = {}
    for step in applicable(answers):
        field = step.profile_field
        if field and answers.get(step.id) is not None:
            data[field] = answers[step.id]
        elif field and step.id in answers and _accepts_unknown(field):
            data[field] = None  # skipped: unknown, where the profile can say so
    if answers.get("step1_result") == "not_taken":
        data["step1_attempts"] = 0
    if answers.get("ck_status") == "not_taken":
        data.update(step2ck_score=None, step2ck_attempts=0)
    return data


@cache
def _accepts_unknown(field: str) -> bool:
    try:
        _adapter(field).validate_python(None, strict=True)
    except ValidationError:
        return False
    return True


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
    """An answer as the member would say it (for summaries); a skipped one is unknown."""
    if value is None:
        return "skipped (not given)"
    for choice in step.choices:
        if choice.value == value and type(choice.value) is type(value):
            return choice.label
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def summary(answers: Answers) -> list[tuple[str, str]]:
    """(title, answer) for every answered step that applies, in order."""
    return [(s.title, describe(s, answers[s.id])) for s in applicable(answers) if s.id in answers]
