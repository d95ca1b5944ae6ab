"""Profile -> personal plan: every point comes from a knowledge rule and cites its guide section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.conditions import evaluate
from bot.knowledge import Band, Knowledge
from bot.profile import Profile, fact_values
from bot.programs import ProgramList

if TYPE_CHECKING:
    from jinja2 import Template


@dataclass(frozen=True)
class PlanPoint:
    rule: str
    text: str
    section: str
    section_title: str


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

    def points(self) -> list[PlanPoint]:
        return [p for part in self.parts for p in part.points]

    def to_dict(self) -> dict[str, Any]:
        return {
            "band": {"id": self.band.id, "label": self.band.label} if self.band else None,
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
    for rule in knowledge.rules:  # already sorted by priority
        if rule.when is not None and not evaluate(rule.when, facts):
            continue
        text = advice[rule.id].render(**context).strip()
        if not text:
            continue
        section = knowledge.sections[rule.section]
        by_part[rule.plan_section].append(PlanPoint(rule.id, text, section.id, section.title))
    parts = tuple(
        PlanPart(s.id, s.title, tuple(by_part[s.id]))
        for s in knowledge.plan_sections
        if by_part[s.id]
    )
    return Plan(band, parts)
