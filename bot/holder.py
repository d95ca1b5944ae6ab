"""The advisor currently serving, and safe reloads of it.

A reload builds and fully checks a new Advisor first; only a clean one replaces the old,
in a single assignment. A broken edit (or a folder that vanished) leaves the old one serving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.advisor import Advisor, knowledge_dir
from bot.knowledge import KnowledgeError, Problem


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    digest: str
    counts: dict[str, int]
    problems: tuple[Problem, ...] = ()
    changed: bool = True

    @property
    def errors(self) -> list[str]:
        return [str(p) for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[str]:
        return [str(p) for p in self.problems if p.warning]


def counts_of(advisor: Advisor) -> dict[str, int]:
    k = advisor.knowledge
    return {
        "topics": len(k.topics),
        "rules": len(k.rules),
        "bands": len(k.bands),
        "out_of_scope": len(k.out_of_scope),
        "synonyms": len(k.synonyms),
    }


@dataclass
class AdvisorHolder:
    current: Advisor
    directory: Path = field(default_factory=knowledge_dir)

    def reload(self) -> ReloadResult:
        try:
            fresh = Advisor.load(
                self.directory, verify=True, templates_dir=self.current.templates_dir
            )
        except KnowledgeError as exc:
            return ReloadResult(
                False, self.current.knowledge.digest, counts_of(self.current), tuple(exc.problems)
            )
        except Exception as exc:  # anything unexpected must not take the bot down either
            problem = Problem(
                str(self.directory),
                None,
                None,
                None,
                f"could not load: {type(exc).__name__}: {exc}",
            )
            return ReloadResult(
                False, self.current.knowledge.digest, counts_of(self.current), (problem,)
            )
        changed = fresh.knowledge.digest != self.current.knowledge.digest
        self.current = fresh
        return ReloadResult(
            True, fresh.knowledge.digest, counts_of(fresh), tuple(fresh.warnings), changed
        )
