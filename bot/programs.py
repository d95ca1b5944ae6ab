"""The optional program list moderators maintain in `knowledge/programs.yaml`.

The guide names no programs; this file is the server's own data. When present, the plan adds a
reach / match / safety list filtered by the member's visa (and states, when given), sorted by
the guide's definitions as far as the data allows:
- reach: the member's score is below the program's usual IMG range ("but you have other
  strengths" is for the member to judge);
- match: the score is around (within) that range;
- safety: "more IMG-friendly, community-heavy, less desirable locations": a community program
  the member's score is not below. A score above a program's range does not make it a safety.
Everything else (a non-community program with no range, or one whose range is below the score)
is listed as unsorted, for the member to check themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.knowledge import KnowledgeError, KnowledgeFileError, Problem, Slug, read_knowledge_file
from bot.profile import Profile
from bot.yamlread import YamlSyntaxError, load_located

FILE_NAME = "programs.yaml"
ProgramType = Literal["community", "university-affiliated", "university"]
VisaName = Literal["j1", "h1b"]


class Program(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: Slug
    name: Annotated[str, Field(min_length=2, max_length=100)]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    city: Annotated[str, Field(min_length=1, max_length=60)]
    type: ProgramType
    visas: list[VisaName] = []
    prelim_im: bool
    usual_ck_range: (
        tuple[Annotated[int, Field(ge=1, le=300)], Annotated[int, Field(ge=1, le=300)]] | None
    ) = None
    notes: Annotated[str, Field(max_length=300)] = ""
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    reviewed: dt.date

    @model_validator(mode="after")
    def _range_in_order(self) -> Program:
        if self.usual_ck_range and self.usual_ck_range[0] > self.usual_ck_range[1]:
            raise ValueError("usual_ck_range must be [lowest, highest]")
        return self


class ProgramFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    programs: list[Program]


@dataclass(frozen=True)
class ProgramList:
    reach: tuple[Program, ...]
    match: tuple[Program, ...]
    safety: tuple[Program, ...]
    unsorted: tuple[Program, ...] = ()

    @property
    def total(self) -> int:
        return len(self.reach) + len(self.match) + len(self.safety) + len(self.unsorted)


def load_programs(directory: str | Path) -> tuple[Program, ...]:
    """Programs from `directory/programs.yaml` (none when the file is absent), or KnowledgeError."""
    path = Path(directory) / FILE_NAME
    if not path.exists() and not path.is_symlink():
        return ()
    try:
        located = load_located(read_knowledge_file(path))
    except YamlSyntaxError as exc:
        raise KnowledgeError(
            [Problem(FILE_NAME, exc.line, None, None, f"{exc}, column {exc.column}")]
        ) from None
    except KnowledgeFileError as exc:
        raise KnowledgeError([Problem(FILE_NAME, None, None, None, str(exc))]) from None
    problems = [
        Problem(FILE_NAME, line, None, key, "this key appears twice in the same place")
        for line, key in located.duplicates
    ]
    try:
        parsed = ProgramFile.model_validate(located.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            entry = None
            if len(loc) >= 2 and loc[0] == "programs" and isinstance(loc[1], int):
                raw = located.data["programs"][loc[1]]
                entry = (
                    str(raw.get("id", f"#{loc[1] + 1}"))
                    if isinstance(raw, dict)
                    else f"#{loc[1] + 1}"
                )
            field = ".".join(map(str, loc[2:])) or None
            message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(Problem(FILE_NAME, located.line_of(loc), entry, field, message))
        raise KnowledgeError(problems) from None
    seen: set[str] = set()
    for i, program in enumerate(parsed.programs):
        if program.id in seen:
            problems.append(
                Problem(
                    FILE_NAME, located.line_of(("programs", i)), program.id, "id", "duplicate id"
                )
            )
        seen.add(program.id)
    if problems:
        raise KnowledgeError(problems)
    return tuple(parsed.programs)


def program_list(
    programs: tuple[Program, ...], profile: Profile, states: frozenset[str] = frozenset()
) -> ProgramList:
    """Prelim IM programs the member could apply to, split into reach / match / safety."""
    needs = {"j1": {"j1"}, "h1b": {"h1b"}, "either": {"j1", "h1b"}, "none": set()}[profile.visa]
    fitting = [
        p
        for p in programs
        if p.prelim_im and (not needs or needs & set(p.visas)) and (not states or p.state in states)
    ]
    score = profile.step2ck_score if profile.step2ck_score is not None else profile.practice_score
    reach, match, safety, unsorted = [], [], [], []
    for program in sorted(fitting, key=lambda p: p.name):
        low_high = program.usual_ck_range
        if low_high and score is not None and score < low_high[0]:
            reach.append(program)
        elif low_high and score is not None and score <= low_high[1]:
            match.append(program)
        elif program.type == "community":
            safety.append(program)
        else:
            unsorted.append(program)
    return ProgramList(tuple(reach), tuple(match), tuple(safety), tuple(unsorted))
