"""The advisor currently serving, and safe reloads of it.

A reload first checks the folder completely in a child process that is stopped after its time
limit (`bot.checking`): a runaway template or file cannot pin the bot, and the caller's lock is
always released. Only when the child reports clean knowledge does this process load it (without
checking again), and only if its digest is the one the child checked (the files did not change
in between) does it replace the old one, in a single assignment. A broken edit, a timeout or a
folder that vanished leaves the old one serving.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.advisor import Advisor, knowledge_dir
from bot.checking import CheckReport, check_in_child, check_timeout
from bot.knowledge import KnowledgeError, Problem

Checker = Callable[[Path, str, float], CheckReport]


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
    #: Seconds the check of a reload may take (default: $KB_CHECK_TIMEOUT or 60).
    timeout: float = field(default_factory=check_timeout)
    checker: Checker = check_in_child
    _generation: int = field(default=0, repr=False)
    _swap: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reload(self) -> ReloadResult:
        """Check the folder in a child process, then load and swap in what it checked."""
        generation = self._generation
        report = self.checker(self.directory, self.current.templates_dir, self.timeout)
        if not report.ok:
            return self._refused(report.problems)
        try:
            fresh = Advisor.load(self.directory, templates_dir=self.current.templates_dir)
        except KnowledgeError as exc:
            return self._refused(tuple(exc.problems))
        except Exception as exc:  # anything unexpected must not take the bot down either
            return self._refused((self._problem(f"could not load: {type(exc).__name__}: {exc}"),))
        if fresh.knowledge.digest != report.digest:
            return self._refused(
                (
                    self._problem(
                        "the files changed while they were being checked; reload again "
                        "once the edit is finished"
                    ),
                )
            )
        fresh.warnings = list(report.warnings)
        with self._swap:
            if generation != self._generation:  # given up on by the caller meanwhile
                return self._refused((self._problem("the reload was abandoned"),))
            changed = fresh.knowledge.digest != self.current.knowledge.digest
            self.current = fresh
        return ReloadResult(
            True, fresh.knowledge.digest, counts_of(fresh), tuple(fresh.warnings), changed
        )

    def abandon(self, seconds: float) -> ReloadResult:
        """Give up on a reload still running (its result will not be swapped in) and say so."""
        with self._swap:
            self._generation += 1
        return self._refused(
            (
                self._problem(
                    f"the reload took longer than {seconds:g} s and was abandoned; "
                    "the previous knowledge keeps serving"
                ),
            )
        )

    def _problem(self, message: str) -> Problem:
        return Problem(str(self.directory), None, None, None, message)

    def _refused(self, problems: tuple[Problem, ...]) -> ReloadResult:
        return ReloadResult(False, self.current.knowledge.digest, counts_of(self.current), problems)
