"""The knowledge base: its schema, and loading `knowledge/*.yaml` into one immutable object.

The entries members read live in the top-level files; the example questions that route a question
to an entry live apart, one file per entry and one question a line: `examples/<topic-id>.yaml`
for topics and `examples/out_of_scope/<id>.yaml` for out-of-scope entries.

Every problem is collected (not just the first) and names the file, line, entry and field,
so a moderator can fix a whole edit in one go. Loading either returns complete, checked
knowledge or raises `KnowledgeError`; it never returns something half-built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.conditions import check_condition
from bot.profile import fact_specs
from bot.yamlread import Located, YamlSyntaxError, load_located

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]
#: Lower-case words matched whole in a post ("general surgery", "prelim surg").
Phrase = Annotated[str, Field(pattern=r"^[a-z0-9]+( [a-z0-9]+)*$", max_length=60)]

#: Topics a refusal lists ("I can help with, for example:"); more marked `featured` is an error.
MAX_FEATURED = 8
#: Discord's embed description limit; an answer must fit in one embed.
ANSWER_LIMIT = 4096
#: Largest knowledge file read, in MB, unless $KB_MAX_FILE_MB says otherwise (topics.yaml: ~0.08).
MAX_FILE_MB = 2.0


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Section(_Strict):
    """A section of the guide that entries cite."""

    id: Slug
    title: Text
    short: Annotated[str, Field(min_length=1, max_length=40)] | None = None  # plans cite with it


class Entry(_Strict):
    id: Slug
    section: Slug
    reviewed: dt.date


class Band(Entry):
    """A Step 2 CK score band. `min`/`max` are inclusive; `multiple_failures` marks the band
    that also applies, whatever the score, to members with two or more failed attempts."""

    label: Text
    min: Annotated[int, Field(ge=1, le=300)] | None = None
    max: Annotated[int, Field(ge=1, le=300)] | None = None
    multiple_failures: bool = False
    # Below the guide's key principle ("Step 2 CK ~235+ usually opens more prelim IM doors; below
    # that, you must compensate"): its advice for low Step scores is advice for this band.
    lower: bool = False
    summary: Text
    meaning: list[Text] = Field(min_length=1)
    apply: Text

    def contains(self, score: int) -> bool:
        return (self.min is None or score >= self.min) and (self.max is None or score <= self.max)


@dataclass(frozen=True)
class BandSpan:
    """A score the member gave as a range that spans two bands ("mid 230s": 233–237): what they
    said, and the bands either side (templates read it as `between`)."""

    said: str
    lower: Band
    upper: Band


class Topic(Entry):
    title: Annotated[str, Field(min_length=3, max_length=100)]
    examples: list[Text] = []  # read from examples/<id>.yaml (at least MIN_EXAMPLES of them)
    keywords: list[Text] = []
    answer: Text
    tags: list[Slug] = []
    score_fallback: bool = False
    shows_band: bool = False
    # Advice the guide gives for low Step scores: a member whose score is in a `lower` band gets
    # one short line placing it (their score is why the advice is for them).
    band_when_lower: bool = False
    featured: bool = False  # listed when the bot can't answer: "I can help with, for example:"


class OutOfScope(_Strict):
    """Questions that look like ours but that the guide does not answer (passing scores, fees,
    named programs...). Matching one refuses with `reply`, instead of a wrong-topic answer."""

    id: Slug
    title: Annotated[str, Field(min_length=3, max_length=100)]
    examples: list[Text] = []  # read from examples/out_of_scope/<id>.yaml
    reply: Text
    reviewed: dt.date
    # A post naming one of `names` is this entry's whatever else it says, unless it also names
    # one of `unless`: for posts framed by something the guide doesn't cover ("prelim surgery")
    # that otherwise share many words with a topic.
    names: Annotated[list[Phrase], Field(max_length=50)] = []
    unless: Annotated[list[Phrase], Field(max_length=50)] = []


class PlanSection(_Strict):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=256)]


class Rule(Entry):
    plan_section: Slug
    when: dict[str, Any] | None = None
    advice: Text
    priority: int = 50
    headline: Annotated[str, Field(min_length=1, max_length=300)] | None = (
        None  # for "Your priorities"
    )
    rank: int = 100  # among headlines: lower comes first

    @field_validator("when", mode="before")
    @classmethod
    def _mapping(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, dict):
            raise ValueError(
                "must be a mapping of profile fields to tests, e.g. {us_letters: {lt: 2}}"
            )
        return value


KINDS: dict[str, type[BaseModel]] = {
    "sections": Section,
    "bands": Band,
    "topics": Topic,
    "plan_sections": PlanSection,
    "rules": Rule,
    "out_of_scope": OutOfScope,
}
TOP_LEVEL = (*KINDS, "synonyms")
#: Where each kind's example questions live, relative to the knowledge folder, and how many
#: an entry needs at least.
EXAMPLES: dict[str, tuple[str, int]] = {
    "topics": ("examples", 5),
    "out_of_scope": ("examples/out_of_scope", 3),
}
#: Fields read from their own files, never written inside an entry.
FROM_FILES = frozenset({"examples"})


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.entry:
            parts.append(f"entry '{self.entry}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        prefix = "warning: " if self.warning else ""
        return f"{prefix}{': '.join(parts)}: {self.message}"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Knowledge:
    """Everything the advisor knows. Immutable; a reload builds a new one and swaps it whole."""

    sections: dict[str, Section]
    bands: tuple[Band, ...]
    topics: tuple[Topic, ...]
    plan_sections: tuple[PlanSection, ...]
    rules: tuple[Rule, ...]
    out_of_scope: tuple[OutOfScope, ...]
    synonyms: dict[str, str]  # variant phrase -> canonical phrase
    digest: str
    files: tuple[str, ...]
    origin: dict[tuple[str, str], tuple[str, int | None]] = field(default_factory=dict)
    field_lines: dict[tuple, int] = field(default_factory=dict)
    field_files: dict[tuple, str] = field(default_factory=dict)  # (kind, id, field) -> its file

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def featured(self, limit: int = MAX_FEATURED) -> list[Topic]:
        """What the bot can help with, for a member it couldn't answer: the topics marked
        `featured` (in file order), else the first ones."""
        marked = [t for t in self.topics if t.featured]
        return (marked or list(self.topics))[:limit]

    def band_for(self, score: int | None, failures: int = 0) -> Band | None:
        if failures >= 2:
            flagged = next((b for b in self.bands if b.multiple_failures), None)
            if flagged:
                return flagged
        if score is None:
            return None
        return next((b for b in self.bands if b.contains(score)), None)

    def line_of(self, kind: str, entry_id: str, *path: Any) -> int | None:
        """The line of a field inside an entry (e.g. one example), else the entry's line."""
        return (
            self.field_lines.get((kind, entry_id, *path))
            or self.origin.get((kind, entry_id), ("", None))[1]
        )

    def file_of(self, kind: str, entry_id: str, *path: Any) -> str:
        """The file holding a field of an entry: its examples file for `examples`."""
        if path and (kind, entry_id, path[0]) in self.field_files:
            return self.field_files[(kind, entry_id, path[0])]
        return self.origin.get((kind, entry_id), ("?", None))[0]


def load_knowledge(directory: str | Path) -> Knowledge:
    """Load and check every `*.yaml` file in `directory`, or raise KnowledgeError."""
    directory = Path(directory)
    problems: list[Problem] = []
    raw: dict[str, list[tuple[str, Located, int]]] = {kind: [] for kind in TOP_LEVEL}
    files = _yaml_files(directory, problems)
    hasher = hashlib.sha256()
    for path in files:
        text = _read(path, problems)
        if text is None:
            continue
        hasher.update(path.name.encode() + b"\0" + text.encode())
        _collect(path.name, text, raw, problems)
    examples = _read_examples(directory, raw, problems, hasher)

    built: dict[str, list[tuple[BaseModel, str, int | None]]] = {k: [] for k in KINDS}
    field_lines: dict[tuple, int] = {}
    field_files: dict[tuple, str] = {}
    for kind, model in KINDS.items():
        for file, located, index in raw[kind]:
            entry = _build(model, kind, file, located, index, problems)
            if entry is not None and kind in EXAMPLES:
                entry = _with_examples(kind, entry, file, located, index, examples, problems)
                found = examples.get((kind, entry.id))
                if found:
                    field_files[(kind, entry.id, "examples")] = found.file
                    for i, line in enumerate(found.lines):
                        field_lines[(kind, entry.id, "examples", i)] = line
            if entry is not None:
                built[kind].append((entry, file, located.line_of((kind, index))))
                prefix = (kind, index)
                for path, line in located.lines.items():
                    if path[:2] == prefix and len(path) > 2:
                        field_lines[(kind, entry.id, *path[2:])] = line
    synonyms = _synonyms(raw["synonyms"], problems)
    _cross_check(built, synonyms, problems)
    for kind in ("sections", "bands", "topics", "rules"):
        if not built[kind]:
            problems.append(Problem(str(directory), None, None, None, f"no {kind} found"))

    errors = [p for p in problems if not p.warning]
    if errors:
        raise KnowledgeError(problems)
    entries = {k: [e for e, _, _ in v] for k, v in built.items()}
    return Knowledge(
        sections={s.id: s for s in entries["sections"]},  # type: ignore[attr-defined]
        bands=tuple(sorted(entries["bands"], key=_band_order)),  # type: ignore[arg-type]
        topics=tuple(entries["topics"]),  # type: ignore[arg-type]
        plan_sections=tuple(entries["plan_sections"]),  # type: ignore[arg-type]
        rules=tuple(sorted(entries["rules"], key=lambda r: r.priority)),  # type: ignore[attr-defined]
        out_of_scope=tuple(entries["out_of_scope"]),  # type: ignore[arg-type]
        synonyms=synonyms,
        digest=hasher.hexdigest()[:12],
        files=tuple(p.name for p in files),
        origin={(k, e.id): (f, line) for k, v in built.items() for e, f, line in v},  # type: ignore[attr-defined]
        field_lines=field_lines,
        field_files=field_files,
    )


def _knowledge_file(path: Path) -> bool:
    """A .yaml file that is not hidden: hidden files (editor backups, `.notes.yaml`) are not
    knowledge, and the start-up snapshot's digest leaves them out too."""
    return path.suffix in (".yaml", ".yml") and not path.name.startswith(".")


def _yaml_files(directory: Path, problems: list[Problem]) -> list[Path]:
    try:
        files = sorted(p for p in directory.iterdir() if _knowledge_file(p))
    except OSError as exc:
        problems.append(
            Problem(str(directory), None, None, None, f"cannot read folder: {exc.strerror}")
        )
        raise KnowledgeError(problems) from None
    if not files:
        problems.append(Problem(str(directory), None, None, None, "no .yaml files in this folder"))
        raise KnowledgeError(problems)
    return files


def _read(path: Path, problems: list[Problem], folder: Path | None = None) -> str | None:
    try:
        return read_knowledge_file(path, folder)
    except KnowledgeFileError as exc:
        problems.append(Problem(path.name, None, None, None, str(exc)))
        return None


class KnowledgeFileError(ValueError):
    """A knowledge file that is not read: not an ordinary file, a link out of the folder, too
    large, or not UTF-8 text. The message says which and what to do."""


def env_number(name: str, default: float) -> float:
    """A numeric setting from the environment: `default` when unset, blank or not a number."""
    raw = os.environ.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


def max_file_bytes() -> int:
    """The size cap for one knowledge file: $KB_MAX_FILE_MB (a number of MB), else 2 MB."""
    return int(max(env_number("KB_MAX_FILE_MB", MAX_FILE_MB), 0.001) * 1024 * 1024)


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not an ordinary file")
    return f"is {kind}, not an ordinary file; only ordinary files are read"


def read_knowledge_file(path: Path, folder: Path | None = None) -> str:
    """The text of one knowledge file, read without ever blocking or filling memory: only an
    ordinary file (never a pipe, device or socket, which could hang or never end), through a
    link only when it stays inside `folder` (default: the file's own folder), and at most
    `max_file_bytes()`. Raises KnowledgeFileError saying why a file is not read."""
    folder = Path(folder) if folder is not None else path.parent
    cap = max_file_bytes()
    try:
        # The real path, not only the file's own link: a linked folder (examples/ -> /etc)
        # must not bring files from outside either.
        target, inside = os.path.realpath(path), os.path.realpath(folder)
        if os.path.commonpath([target, inside]) != inside:
            raise KnowledgeFileError(
                f"is a link to {target}, outside the knowledge folder; only links that stay "
                "inside the folder are followed (copy the file in instead)"
            )
        problem = _not_regular(os.stat(path).st_mode)
        if problem:
            raise KnowledgeFileError(problem)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            problem = _not_regular(info.st_mode)  # replaced between the checks
            if problem:
                raise KnowledgeFileError(problem)
            data = handle.read(cap + 1)
    except OSError as exc:
        raise KnowledgeFileError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > cap:
        raise KnowledgeFileError(
            f"is larger than {cap / 2**20:.3g} MB, the most a knowledge file may hold; "
            "split it, or raise KB_MAX_FILE_MB"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeFileError(
            f"cannot read file: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8"
        ) from None


def _collect(file: str, text: str, raw: dict, problems: list[Problem]) -> None:
    if file == "programs.yaml":
        return  # optional program list, checked by its own schema
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        col = f", column {exc.column}" if exc.column else ""
        problems.append(Problem(file, exc.line, None, None, f"{exc}{col}"))
        return
    for line, key in located.duplicates:
        problems.append(
            Problem(
                file,
                line,
                None,
                key,
                "this key appears twice in the same place; the second would silently replace the first",
            )
        )
    data = located.data
    if data is None:
        problems.append(Problem(file, None, None, None, "file is empty"))
        return
    if not isinstance(data, dict):
        problems.append(
            Problem(
                file, 1, None, None, f"must be a mapping with keys among {', '.join(TOP_LEVEL)}"
            )
        )
        return
    for key, value in data.items():
        if key not in TOP_LEVEL:
            hint = _closest(str(key), TOP_LEVEL)
            problems.append(
                Problem(
                    file,
                    located.line_of((key,)),
                    None,
                    str(key),
                    f"unknown section{hint}; allowed: {', '.join(TOP_LEVEL)}",
                )
            )
        elif key == "synonyms":
            if not isinstance(value, dict):
                problems.append(
                    Problem(
                        file,
                        located.line_of((key,)),
                        None,
                        key,
                        "must map a canonical word to a list of variants",
                    )
                )
            else:
                raw[key].append((file, located, 0))
        elif not isinstance(value, list):
            problems.append(
                Problem(
                    file,
                    located.line_of((key,)),
                    None,
                    key,
                    "must be a list of entries (each starting with '- id: ...')",
                )
            )
        else:
            raw[key].extend((file, located, i) for i in range(len(value)))


def _build(
    model: type[BaseModel],
    kind: str,
    file: str,
    located: Located,
    index: int,
    problems: list[Problem],
) -> BaseModel | None:
    data = located.data[kind][index]
    entry_id = data.get("id") if isinstance(data, dict) else None
    label = str(entry_id) if entry_id is not None else f"#{index + 1}"
    if isinstance(data, dict) and FROM_FILES & data.keys():
        for name in sorted(FROM_FILES & data.keys()):
            folder = EXAMPLES.get(kind, ("examples", 0))[0]
            problems.append(
                Problem(
                    file,
                    located.line_of((kind, index, name)),
                    label,
                    name,
                    f"example questions live in their own file, {folder}/{entry_id}.yaml "
                    "(one question a line), not inside the entry",
                )
            )
        data = {k: v for k, v in data.items() if k not in FROM_FILES}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            fieldname = ".".join(map(str, loc)) or None
            line = located.line_of((kind, index, *loc))
            problems.append(Problem(file, line, label, fieldname, _message(err, model)))
        return None


def _message(err: dict, model: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        allowed = tuple(f for f in model.model_fields if f not in FROM_FILES)
        return f"unknown field{_closest(name, allowed)}; allowed: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch" and str(err["loc"][0]) in ("names", "unless"):
        return "use lower-case words of letters and digits, one space apart (e.g. general surgery)"
    if kind == "string_pattern_mismatch":
        return "use lower-case letters, digits, '-', '_' or '.' (e.g. application-volume)"
    if kind == "model_type" or kind == "dict_type":
        return "must be a mapping of field: value"
    return err["msg"]


@dataclass(frozen=True)
class _Examples:
    file: str  # relative to the knowledge folder, e.g. "examples/score-check.yaml"
    questions: list[str]
    lines: list[int | None]


def _read_examples(
    directory: Path, raw: dict, problems: list[Problem], hasher: Any
) -> dict[tuple[str, str], _Examples]:
    """Every examples file: (kind, entry id) -> its questions, each with its line. A file for an
    id that no entry has, or one that is not a plain list of questions, is a problem."""
    out: dict[tuple[str, str], _Examples] = {}
    for kind, (folder, _) in EXAMPLES.items():
        base = directory / folder
        if not base.is_dir():
            continue
        ids = {
            str(d.get("id"))
            for _, located, i in raw[kind]
            if isinstance(d := located.data[kind][i], dict)
        }
        for path in sorted(p for p in base.iterdir() if _knowledge_file(p) and p.is_file()):
            rel = f"{folder}/{path.name}"
            before = len(problems)
            text = _read(path, problems, directory)
            problems[before:] = [replace(p, file=rel) for p in problems[before:]]
            if text is None:
                continue
            hasher.update(rel.encode() + b"\0" + text.encode())
            entry_id = path.stem
            owner = "topics.yaml" if kind == "topics" else "out_of_scope.yaml"
            if entry_id not in ids:
                problems.append(
                    Problem(
                        rel,
                        None,
                        entry_id,
                        None,
                        f"no entry with id '{entry_id}' in {owner}{_closest(entry_id, ids)}; "
                        "an examples file is named after the entry it belongs to",
                    )
                )
                continue
            found = _example_list(rel, entry_id, text, problems)
            if found is not None:
                out[(kind, entry_id)] = found
    return out


def _example_list(rel: str, entry_id: str, text: str, problems: list[Problem]) -> _Examples | None:
    try:
        located = load_located(text)
    except YamlSyntaxError as exc:
        col = f", column {exc.column}" if exc.column else ""
        problems.append(Problem(rel, exc.line, entry_id, None, f"{exc}{col}"))
        return None
    data = located.data
    if data is None:
        return _Examples(rel, [], [])
    if not isinstance(data, list):
        problems.append(
            Problem(
                rel,
                1,
                entry_id,
                None,
                "must be a plain list of questions, one a line, each starting with '- '",
            )
        )
        return None
    questions, lines = [], []
    for i, item in enumerate(data):
        line = located.line_of((i,))
        if not isinstance(item, str) or not item.strip():
            problems.append(
                Problem(
                    rel,
                    line,
                    entry_id,
                    f"examples[{i}]",
                    "must be a question in words (put it in quotes if it starts with a "
                    "number or contains ': ')",
                )
            )
            continue
        questions.append(item)
        lines.append(line)
    return _Examples(rel, questions, lines)


def _with_examples(
    kind: str,
    entry: BaseModel,
    file: str,
    located: Located,
    index: int,
    examples: dict[tuple[str, str], _Examples],
    problems: list[Problem],
) -> BaseModel:
    folder, least = EXAMPLES[kind]
    found = examples.get((kind, entry.id))  # type: ignore[attr-defined]
    have = len(found.questions) if found else 0
    if have < least:
        where = found.file if found else file
        line = None if found else located.line_of((kind, index))
        hint = "" if found else f": add {folder}/{entry.id}.yaml, one question a line"  # type: ignore[attr-defined]
        problems.append(
            Problem(
                where,
                line,
                entry.id,  # type: ignore[attr-defined]
                "examples",
                f"needs at least {least} example questions (has {have}){hint}",
            )
        )
    return entry.model_copy(update={"examples": found.questions if found else []})


def _synonyms(items: list[tuple[str, Located, int]], problems: list[Problem]) -> dict[str, str]:
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for file, located, _ in items:
        for canonical, variants in located.data["synonyms"].items():
            line = located.line_of(("synonyms", canonical))
            canon = normalise_phrase(str(canonical))
            if not canon:
                problems.append(
                    Problem(
                        file,
                        line,
                        str(canonical),
                        None,
                        "a canonical word must contain letters or digits",
                    )
                )
                continue
            if not isinstance(variants, list) or not all(
                isinstance(v, str | int) for v in variants
            ):
                problems.append(
                    Problem(file, line, str(canonical), None, "must be a list of variant spellings")
                )
                continue
            for variant in variants:
                v = normalise_phrase(str(variant))
                if not v or v == canon:
                    continue
                if v in out and out[v] != canon:
                    problems.append(
                        Problem(
                            file,
                            line,
                            str(canonical),
                            None,
                            f"variant '{variant}' is also listed under '{owner[v]}'; a variant may mean only one thing",
                        )
                    )
                    continue
                out[v], owner[v] = canon, str(canonical)
    return out


def _cross_check(built: dict[str, list], synonyms: dict[str, str], problems: list[Problem]) -> None:
    for items in built.values():
        seen: dict[str, str] = {}
        for entry, file, line in items:
            if entry.id in seen:
                problems.append(
                    Problem(
                        file,
                        line,
                        entry.id,
                        "id",
                        f"duplicate id; already used in {seen[entry.id]}",
                    )
                )
            seen[entry.id] = f"{file}:{line}"
    featured = [(e, file, line) for e, file, line in built["topics"] if e.featured]
    for number, (entry, file, line) in enumerate(featured[MAX_FEATURED:], MAX_FEATURED + 1):
        problems.append(
            Problem(
                file,
                line,
                entry.id,
                "featured",
                f"at most {MAX_FEATURED} topics can be featured (a refusal lists them); "
                f"this is number {number}",
            )
        )
    section_ids = {e.id for e, _, _ in built["sections"]}
    plan_ids = {e.id for e, _, _ in built["plan_sections"]}
    band_ids = tuple(e.id for e, _, _ in built["bands"])
    facts = fact_specs(band_ids)
    for kind in ("bands", "topics", "rules"):
        for entry, file, line in built[kind]:
            if entry.section not in section_ids:
                problems.append(
                    Problem(
                        file,
                        line,
                        entry.id,
                        "section",
                        f"unknown guide section '{entry.section}'{_closest(entry.section, tuple(section_ids))}",
                    )
                )
    for rule, file, line in built["rules"]:
        if rule.plan_section not in plan_ids:
            problems.append(
                Problem(
                    file,
                    line,
                    rule.id,
                    "plan_section",
                    f"unknown plan section '{rule.plan_section}'; known: {', '.join(sorted(plan_ids))}",
                )
            )
        if rule.when is not None:
            for path, message in check_condition(rule.when, facts):
                problems.append(
                    Problem(file, line, rule.id, ".".join(map(str, ("when", *path))), message)
                )
    _check_bands([(b, f, ln) for b, f, ln in built["bands"]], problems)
    fallbacks = [(t, f, ln) for t, f, ln in built["topics"] if t.score_fallback]
    for topic, file, line in fallbacks[1:]:
        problems.append(
            Problem(
                file,
                line,
                topic.id,
                "score_fallback",
                f"only one topic may answer bare scores; '{fallbacks[0][0].id}' already does",
            )
        )


def _check_bands(bands: list[tuple[Band, str, int | None]], problems: list[Problem]) -> None:
    """Score bands must cover 1..300 exactly once: no gap and no overlap."""
    ranged = sorted(
        ((b.min or 1, b.max or 300, b, f, ln) for b, f, ln in bands), key=lambda t: t[:2]
    )
    for low, high, band, file, line in ranged:
        if low > high:
            problems.append(Problem(file, line, band.id, "min", f"min {low} is above max {high}"))
    expected = 1
    for low, high, band, file, line in ranged:
        if low > expected:
            problems.append(
                Problem(
                    file, line, band.id, "min", f"gap: no band covers scores {expected}–{low - 1}"
                )
            )
        elif low < expected:
            problems.append(
                Problem(
                    file,
                    line,
                    band.id,
                    "min",
                    f"overlap: scores {low}–{min(high, expected - 1)} are already in another band",
                )
            )
        expected = max(expected, high + 1)
    if ranged and expected <= 300:
        _, _, band, file, line = ranged[-1]
        problems.append(
            Problem(file, line, band.id, "max", f"gap: no band covers scores {expected}–300")
        )
    if sum(b.multiple_failures for b, _, _ in bands) > 1:
        band, file, line = next(t for t in bands if t[0].multiple_failures)
        problems.append(
            Problem(
                file,
                line,
                band.id,
                "multiple_failures",
                "only one band may be marked multiple_failures",
            )
        )


def _band_order(band: Band) -> int:
    return -(band.min or 0)


def _closest(name: str, options: Iterable[str]) -> str:
    from difflib import get_close_matches

    match = get_close_matches(name, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


_WORD = re.compile(r"[a-z0-9]+")


def normalise_phrase(text: str) -> str:
    """Lower-case words joined by single spaces; the form synonyms are stored and matched in."""
    return " ".join(_WORD.findall(text.lower()))
