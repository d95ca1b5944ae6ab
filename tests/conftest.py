from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: the workers just check the knowledge side by side
    fcntl = None  # type: ignore[assignment]

from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from bot.matching import Index
from bot.profile import Profile
from tests.backends import BACKENDS, opened, target

# Trained classifiers and start-up snapshots go to a folder of this run's own, never the
# developer's cache. The parallel workers (pytest-xdist) inherit the folder the first process
# made, so the knowledge is trained and checked once per run; that process removes it.
if not os.environ.get("ADVISOR_TEST_CACHE_OWNER"):
    os.environ["ADVISOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="advisor-cache-")
    os.environ["ADVISOR_TEST_CACHE_OWNER"] = str(os.getpid())
    atexit.register(shutil.rmtree, os.environ["ADVISOR_CACHE_DIR"], True)

BASE = {"step1_result": "pass", "step1_attempts": 1, "step2ck_attempts": 1, "visa": "j1"}


def make_profile(**fields) -> Profile:
    data = {**BASE, "step2ck_score": 230, **fields}
    return Profile(**data)


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    # One parallel worker checks the knowledge while the others wait, then read its snapshot.
    with open(Path(os.environ["ADVISOR_CACHE_DIR"], ".session-lock"), "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        return Advisor.load(DEFAULT_KNOWLEDGE_DIR, verify=True)


@pytest.fixture
def no_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Full loads only: for tests that change the code's settings at run time, which the
    snapshot's digest (made from the files) cannot see."""
    from bot.snapshot import Snapshot

    monkeypatch.setattr(Snapshot, "load", lambda self, **_kw: None)
    monkeypatch.setattr(Snapshot, "save", lambda self, *_a, **_kw: None)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge, for tests that break it."""
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, target)
    return target


@pytest.fixture(params=BACKENDS)
async def store(request, tmp_path: Path):
    """A fresh store: SQLite, and PostgreSQL when ADVISOR_TEST_PG is reachable (else skipped
    with the reason)."""
    async with opened(request.param, tmp_path) as s:
        yield s


@pytest.fixture(params=BACKENDS)
async def store_target(request, tmp_path: Path):
    """Where a fresh store of each backend can be opened (a file path, or a URL)."""
    async with target(request.param, tmp_path) as where:
        yield where


ROOT = Path(__file__).resolve().parent.parent


def run_bot(
    *args: str,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` as a real process, without the developer's Discord settings."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "GUILD_ID")}
    environ.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
        input=stdin,
    )


def twin_topics(advisor: Advisor, first: str, second: str) -> Advisor:
    """`advisor` with an index in which two topics have the same one example, so no question can
    tell them apart (a near tie on demand)."""
    ids = [t.id for t in advisor.knowledge.topics] + [o.id for o in advisor.knowledge.out_of_scope]
    docs: list[list[str]] = [[] for _ in ids]
    docs[ids.index(first)] = docs[ids.index(second)] = ["should i hide my failed attempt from programs"]
    index = Index.build(docs, [[] for _ in ids], advisor.knowledge.synonyms)
    # Lexical scores alone: a classifier trained on one example with two labels leans to
    # whichever it saw last, and the tie must be exact.
    return dataclasses.replace(advisor, index=dataclasses.replace(index, learned=None))
