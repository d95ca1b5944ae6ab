"""The real-question banks keep their provenance: every question has the public URL it came
from, and every fact a right reply must hold is the guide's own wording."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real"
GUIDE = ROOT.parent / "shared" / "guide" / "step-score-strategy-prelim-im.txt"
BANKS = sorted(REAL.glob("*/*.yaml"))


def test_both_halves_exist():
    assert {p.parent.name for p in BANKS} == {"tuning", "independent"}


@pytest.mark.parametrize("path", BANKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_question_names_its_source(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [*data["on_topic"], *data["off_topic"]]
    assert items
    for item in items:
        assert item["q"].strip() and item["url"].startswith(("http://", "https://")), item
    for item in data["on_topic"]:
        assert item["facts"], item


@pytest.mark.skipif(not GUIDE.exists(), reason=f"the guide is not at {GUIDE}")
@pytest.mark.parametrize("path", BANKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fact_is_the_guides_own_wording(path):
    guide = GUIDE.read_text(encoding="utf-8")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [f for item in data["on_topic"] for f in item["facts"] if f not in guide]
    assert missing == []


def test_no_question_is_in_both_halves():
    seen: dict[str, Path] = {}
    for path in BANKS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in [*data["on_topic"], *data["off_topic"]]:
            key = " ".join(item["q"].lower().split())
            assert key not in seen, f"{path.name} repeats a question of {seen[key].name}"
            seen[key] = path
