"""The member's profile: its fields, their validation, and the facts derived from them.

Every outside profile (a JSON file, a stored interview, a test) goes through `parse_profile`,
which reports *every* bad field at once, each naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.conditions import Fact

Step1Result = Literal["pass", "fail", "not_taken"]
Visa = Literal["j1", "h1b", "either", "none"]
Goal = Literal["any_prelim", "region", "categorical_later"]

Score = Annotated[int, Field(ge=1, le=300)]
Count = Annotated[int, Field(ge=0)]

#: What each field accepts, in words a member or a script author can act on.
ALLOWED: dict[str, str] = {
    "step1_result": "one of pass, fail, not_taken",
    "step1_attempts": "a whole number 0 or more",
    "step2ck_score": "a whole number from 1 to 300, or null if Step 2 CK is not taken yet",
    "step2ck_attempts": "a whole number 0 or more",
    "visa": "one of j1, h1b, either, none",
    "practice_score": "a whole number from 1 to 300 (your latest NBME/UWSA)",
    "uworld_percent": "a number from 0 to 100",
    "usce_months": "a finite number 0 or more",
    "usce_hands_on": "true or false",
    "us_letters": "a whole number 0 or more",
    "yog": "a year from 1950 to 2035",
    "goal": "one of any_prelim, region, categorical_later",
}

REQUIRED = ("step1_result", "step1_attempts", "step2ck_score", "step2ck_attempts", "visa")
#: Optional answers: left out (or skipped in the interview) they are unknown, not 0/false.
OPTIONAL = (
    "practice_score",
    "uworld_percent",
    "usce_months",
    "usce_hands_on",
    "us_letters",
    "yog",
    "goal",
)


class ProfileError(ValueError):
    """A profile that cannot be used; `problems` holds one line per bad field."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class Profile(BaseModel):
    """A validated profile. Strict: "two-thirty" where a number belongs is an error, not a guess."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    step1_result: Step1Result
    step1_attempts: Count
    step2ck_score: Score | None
    step2ck_attempts: Count
    visa: Visa
    practice_score: Score | None = None
    uworld_percent: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    # Optional answers: None means unknown (skipped, or left out of a profile file), never 0/false.
    usce_months: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    usce_hands_on: bool | None = None
    us_letters: Count | None = None
    yog: Annotated[int, Field(ge=1950, le=2035)] | None = None
    goal: Goal | None = None

    @model_validator(mode="after")
    def _attempts_agree_with_results(self) -> Profile:
        problems = consistency_problems(self.model_dump())
        if problems:
            raise ValueError(" | ".join(problems))
        return self

    # Facts derived from the answers; plan rules and templates may use them by name.
    @property
    def ck_taken(self) -> bool:
        return self.step2ck_score is not None

    @property
    def step1_failures(self) -> int:
        if self.step1_result == "fail":
            return self.step1_attempts
        if self.step1_result == "pass":
            return max(self.step1_attempts - 1, 0)
        return 0

    @property
    def step2ck_failures(self) -> int:
        """Every CK attempt before the one that produced the reported score."""
        return max(self.step2ck_attempts - 1, 0) if self.ck_taken else 0

    @property
    def total_failures(self) -> int:
        return self.step1_failures + self.step2ck_failures

    def unknown(self) -> list[str]:
        """The optional answers this profile doesn't give (skipped or left out)."""
        return [name for name in OPTIONAL if getattr(self, name) is None]

    def years_since_graduation(self, today: dt.date | None = None) -> int | None:
        if self.yog is None:
            return None
        return (today or dt.date.today()).year - self.yog


def consistency_problems(data: dict[str, Any]) -> list[str]:
    """Cross-field checks: attempts must agree with the results they belong to."""
    problems = []
    result, attempts = data.get("step1_result"), data.get("step1_attempts")
    if result in ("pass", "fail") and attempts == 0:
        problems.append(f"step1_attempts: must be 1 or more when step1_result is {result}")
    if result == "not_taken" and isinstance(attempts, int) and attempts > 0:
        problems.append("step1_attempts: must be 0 when step1_result is not_taken")
    score, ck_attempts = data.get("step2ck_score"), data.get("step2ck_attempts")
    if isinstance(score, int) and ck_attempts == 0:
        problems.append("step2ck_attempts: must be 1 or more when step2ck_score is given")
    if score is None and isinstance(ck_attempts, int) and ck_attempts > 0:
        problems.append(
            "step2ck_attempts: must be 0 when step2ck_score is null (not taken yet); "
            "if you took it, give your latest score"
        )
    return problems


def parse_profile(data: Any) -> Profile:
    """Validate outside data into a Profile, or raise ProfileError listing every problem."""
    if not isinstance(data, dict):
        raise ProfileError(["profile: must be a JSON object with the profile fields"])
    problems = [
        f"{key}: unknown field; allowed fields are {', '.join(ALLOWED)}"
        for key in data
        if key not in ALLOWED
    ]
    problems += [f"{key}: required; {ALLOWED[key]}" for key in REQUIRED if key not in data]
    known = {k: v for k, v in data.items() if k in ALLOWED}
    try:
        profile = Profile.model_validate(known)
    except ValidationError as exc:
        problems += _describe(exc, known)
        problems += consistency_problems(known)  # also when other fields are bad: all at once
    else:
        if not problems:
            return profile
    raise ProfileError(_unique(problems))


def _describe(exc: ValidationError, data: dict[str, Any]) -> list[str]:
    out = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        if field in ALLOWED:
            if err["type"] == "missing":
                continue  # reported once, as "required"
            out.append(f"{field}: {ALLOWED[field]} (got {_show(data.get(field))})")
        elif err["type"] == "value_error":
            out.extend(str(err["ctx"]["error"]).split(" | "))
    return out


def _show(value: Any) -> str:
    import json

    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def fact_specs(band_ids: tuple[str, ...] = ()) -> dict[str, Fact]:
    """The facts plan-rule conditions may test, with the values each can take: the profile's
    own fields (kinds, bounds and choices read from `Profile`, never restated) plus derived ones."""
    specs = {name: _field_fact(name) for name in Profile.model_fields}
    specs.update(
        ck_taken=Fact("bool"),
        step1_failures=Fact("int", low=0, describe="failures are 0 or more"),
        step2ck_failures=Fact("int", low=0, describe="failures are 0 or more"),
        total_failures=Fact("int", low=0, describe="failures are 0 or more"),
        years_since_graduation=Fact("int", nullable=True),
        band=Fact("choice", choices=band_ids, nullable=True),
    )
    return specs


def _field_fact(name: str) -> Fact:
    info = Profile.model_fields[name]
    inner, nullable = info.annotation, False
    if get_origin(inner) in (Union, UnionType):
        nullable = type(None) in get_args(inner)
        inner = next(a for a in get_args(inner) if a is not type(None))
    metadata = list(info.metadata)
    if get_origin(inner) is Annotated:
        inner, *extra = get_args(inner)
        metadata += [m for item in extra for m in getattr(item, "metadata", [item])]
    if get_origin(inner) is Literal:
        return Fact("choice", choices=get_args(inner), nullable=nullable)
    if inner is bool:
        return Fact("bool", nullable=nullable)
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    kind = "int" if inner is int else "number"
    return Fact(kind, low, high, nullable=nullable, describe=f"{name}: {ALLOWED[name]}")


def fact_values(profile: Profile, today: dt.date | None = None) -> dict[str, Any]:
    """The profile's facts by name (all but `band`, which needs the knowledge's bands)."""
    values = profile.model_dump()
    values.update(
        ck_taken=profile.ck_taken,
        step1_failures=profile.step1_failures,
        step2ck_failures=profile.step2ck_failures,
        total_failures=profile.total_failures,
        years_since_graduation=profile.years_since_graduation(today),
    )
    return values
