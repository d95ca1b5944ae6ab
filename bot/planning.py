"""Profile -> personal plan: every point comes from a knowledge rule and cites its guide section.

A plan opens with **Your priorities**: 3–5 one-line headlines of the points that matter most for
this profile (the rules' `headline`s, lowest `rank` first, at most PRIORITY_WORDS words), then its
sections, each point once. It also says once what an unknown answer (skipped, or left out of a
profile file) could add. Rendering (full, priorities only, one section) is in `bot/advisor.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bot.conditions import evaluate
from bot.knowledge import Band, Knowledge
from bot.profile import Profile, fact_values
from bot.programs import ProgramList

if TYPE_CHECKING:
    from jinja2 import Template


MIN_PRIORITIES, MAX_PRIORITIES = 3, 5
PRIORITY_WORDS = 100  # the whole "Your priorities" block, pointers included (the target is ≤ 120)
GENERAL_RANK = 80  # headlines ranked this or higher are general advice: only to reach the minimum

#: Optional answers the plan can use, as (what it is, the `change` word, what depends on it).
UNKNOWN_NOTES: dict[str, tuple[str, str, str]] = {
    "usce_months": ("your US clinical experience", "usce", "the guide's advice on USCE"),
    "usce_hands_on": ("whether your USCE was hands-on", "usce", "the guide's advice on USCE"),
    "us_letters": ("US letters", "letters", "the guide's advice on letters"),
    "yog": ("your year of graduation", "yog", "what PDs read from it"),
    "goal": ("your goal", "goal", "the guide's advice for your goal"),
    "practice_score": ("a practice score", "practice", "whether to rush or delay Step 2 CK"),
    "uworld_percent": ("your UWorld %", "uworld", "whether to rush or delay Step 2 CK"),
}


def words(text: str) -> int:
    """Words as a reader counts them: whitespace-separated tokens holding a letter or digit
    (a list bullet or a lone dash is not a word)."""
    return sum(1 for token in text.split() if re.search(r"\w", token))


@dataclass(frozen=True)
class PlanPoint:
    rule: str
    text: str
    section: str
    section_title: str
    section_short: str = ""


@dataclass(frozen=True)
class Priority:
    text: str
    rule: str
    part: str  # the plan section holding the point
    part_title: str
    part_number: int = 0  # its number in the plan (1-based)


@dataclass(frozen=True)
class Unknown:
    field: str
    what: str
    change: str  # the console's `change` word
    affects: str


@dataclass(frozen=True)
class PlanPart:
    id: str
    title: str
    points: tuple[PlanPoint, ...]


@dataclass(frozen=True)
class Plan:
    band: Band | None
    parts: tuple[PlanPart, ...]
    programs: ProgramList | None = None
    priorities: tuple[Priority, ...] = ()
    unknown: tuple[Unknown, ...] = ()

    def points(self) -> list[PlanPoint]:
        return [p for part in self.parts for p in part.points]

    def part(self, name: str) -> PlanPart | None:
        """A section by its id, its number in the plan, its title, or a clear start of either
        ("visa", "3", "step 2", "usce"); None when nothing (or more than one) fits."""
        key = " ".join(re.findall(r"[a-z0-9]+", name.lower()))
        if not key:
            return None
        if key.isdigit():
            n = int(key)
            return self.parts[n - 1] if 1 <= n <= len(self.parts) else None
        for part in self.parts:
            if key in (part.id.replace("-", " "), part.title.lower()):
                return part
        found = [
            part
            for part in self.parts
            if any(
                f" {key}" in f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))}"
                for text in (part.id.replace("-", " "), part.title)
            )
        ]
        return found[0] if len(found) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "band": {"id": self.band.id, "label": self.band.label} if self.band else None,
            "priorities": [
                {"text": p.text, "rule": p.rule, "section": p.part} for p in self.priorities
            ],
            "unknown": [u.field for u in self.unknown],
            "sections": [
                {
                    "id": part.id,
                    "title": part.title,
                    "points": [
                        {
                            "rule": p.rule,
                            "text": p.text,
                            "section": p.section,
                            "source": p.section_title,
                        }
                        for p in part.points
                    ],
                }
                for part in self.parts
            ],
            "programs": None
            if self.programs is None
            else {
                group: [p.name for p in getattr(self.programs, group)]
                for group in ("reach", "match", "safety", "unsorted")
            },
        }


def build_plan(
    knowledge: Knowledge,
    advice: Mapping[str, Template],
    profile: Profile,
    today: dt.date | None = None,
    headlines: Mapping[str, Template] | None = None,
) -> Plan:
    band = knowledge.band_for(profile.step2ck_score, profile.total_failures)
    facts = {**fact_values(profile, today), "band": band.id if band else None}
    score_band = knowledge.band_for(profile.step2ck_score)
    context = {
        "profile": profile,
        "band": band,
        "score_band": score_band,  # by the score alone, ignoring failed attempts
        "facts": facts,
        "bands": knowledge.bands,
    }
    by_part: dict[str, list[PlanPoint]] = {s.id: [] for s in knowledge.plan_sections}
    titles = {s.id: s.title for s in knowledge.plan_sections}
    candidates: list[tuple[int, int, Priority]] = []
    for order, rule in enumerate(knowledge.rules):  # already sorted by priority
        if rule.when is not None and not evaluate(rule.when, facts):
            continue
        text = advice[rule.id].render(**context).strip()
        if not text:
            continue
        section = knowledge.sections[rule.section]
        by_part[rule.plan_section].append(
            PlanPoint(rule.id, text, section.id, section.title, section.short or "")
        )
        if headlines is not None and rule.id in headlines:
            line = " ".join(headlines[rule.id].render(**context).split())
            if line:
                part = rule.plan_section
                candidates.append((rule.rank, order, Priority(line, rule.id, part, titles[part])))
    parts = tuple(
        PlanPart(s.id, s.title, tuple(by_part[s.id]))
        for s in knowledge.plan_sections
        if by_part[s.id]
    )
    numbers = {part.id: n for n, part in enumerate(parts, 1)}
    priorities = tuple(
        replace(p, part_number=numbers[p.part]) for p in choose_priorities(candidates)
    )
    return Plan(band, parts, priorities=priorities, unknown=unknowns(profile))


def choose_priorities(candidates: list[tuple[int, int, Priority]]) -> tuple[Priority, ...]:
    """The most urgent headlines (lowest rank), each text once, up to MAX_PRIORITIES and within
    PRIORITY_WORDS words together (a pointer to its section counted with each)."""
    chosen: list[Priority] = []
    total = 0
    for rank, _, priority in sorted(candidates, key=lambda c: (c[0], c[1])):
        if any(p.text == priority.text for p in chosen):
            continue
        cost = words(priority.text) + 2  # its number and its section pointer
        full = len(chosen) >= (MIN_PRIORITIES if rank >= GENERAL_RANK else MAX_PRIORITIES)
        if full or total + cost > PRIORITY_WORDS:
            break
        chosen.append(priority)
        total += cost
    return tuple(chosen)


def unknowns(profile: Profile) -> tuple[Unknown, ...]:
    """The optional answers the member didn't give that would change their plan: a practice
    score and UWorld % only matter before Step 2 CK, hands-on only with some USCE."""
    out = []
    for name in profile.unknown():
        if name in ("practice_score", "uworld_percent") and profile.ck_taken:
            continue
        if name == "usce_hands_on" and (profile.usce_months is None or profile.usce_months == 0):
            continue
        what, change, affects = UNKNOWN_NOTES[name]
        out.append(Unknown(name, what, change, affects))
    return tuple(out)
