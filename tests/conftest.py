from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from bot.profile import Profile
from bot.store import Store

BASE = {"step1_result": "pass", "step1_attempts": 1, "step2ck_attempts": 1, "visa": "j1"}


def make_profile(**fields) -> Profile:
    data = {**BASE, "step2ck_score": 230, **fields}
    return Profile(**data)


@pytest.fixture(scope="session")
def advisor() -> Advisor:
    return Advisor.load(DEFAULT_KNOWLEDGE_DIR, verify=True)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge, for tests that break it."""
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, target)
    return target


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "test.db")
    yield s
    await s.close()
