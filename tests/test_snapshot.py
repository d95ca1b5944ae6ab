"""The start-up snapshot (bot/snapshot.py): a hit skips the work, any changed input misses, and
a damaged, foreign or unsafe cache is only a miss."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

import bot.advisor as advisor_module
from bot import snapshot
from bot.advisor import Advisor
from bot.knowledge import KnowledgeError
from bot.learned import cache_dir
from bot.render import TEMPLATES_DIR

QUESTION = "hw many progs shud i apply 2 wit 221"
PROFILE = {
    "step1_result": "pass",
    "step1_attempts": 1,
    "step2ck_score": 221,
    "step2ck_attempts": 1,
    "visa": "j1",
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, advisor: Advisor) -> Path:
    """An empty cache folder of the test's own, except for the classifier the session already
    trained on the same knowledge (training it again in every test would only cost time)."""
    trained = os.environ["ADVISOR_CACHE_DIR"]
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    for model in Path(trained).glob("classifier-*.npz"):
        shutil.copy(model, folder)
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, target)
    return target


def snapshots(folder: Path) -> list[Path]:
    return sorted(folder.glob("advisor-*.pickle"))


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Calls of the full knowledge load from here on."""
    calls: list[Path] = []
    real = advisor_module.load_knowledge

    def counting(directory):
        calls.append(Path(directory))
        return real(directory)

    monkeypatch.setattr(advisor_module, "load_knowledge", counting)
    return calls


def test_second_load_is_read_from_the_snapshot_and_answers_the_same(kb_copy, cache, monkeypatch):
    fresh = Advisor.load(kb_copy, verify=True)
    assert len(snapshots(cache)) == 1
    loads = count_loads(monkeypatch)
    again = Advisor.load(kb_copy, verify=True)
    assert loads == []  # nothing read, validated, indexed or checked again
    assert again.ask(QUESTION).reply == fresh.ask(QUESTION).reply
    assert "120–150" in again.ask(QUESTION).reply
    assert again.plan(PROFILE).to_dict() == fresh.plan(PROFILE).to_dict()


def test_an_identical_copy_elsewhere_is_read_from_the_same_snapshot(kb_copy, tmp_path, cache, monkeypatch):
    Advisor.load(kb_copy, verify=True)
    moved = tmp_path / "elsewhere" / "knowledge"
    shutil.copytree(kb_copy, moved)
    loads = count_loads(monkeypatch)
    Advisor.load(moved, verify=True)
    assert loads == [] and len(snapshots(cache)) == 1


def test_cache_files_are_private(kb_copy, tmp_path, monkeypatch):
    cache = tmp_path / "new" / "cache"
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(cache))
    Advisor.load(kb_copy)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    (path,) = snapshots(cache)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(cache.glob(".advisor-*"))  # no temporary file left behind


def test_an_unchecked_snapshot_does_not_spare_the_check(kb_copy, cache, monkeypatch):
    Advisor.load(kb_copy)  # a one-shot ask: loaded, not checked
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == []
    Advisor.load(kb_copy, verify=True)
    assert loads == [kb_copy]  # the check ran in full
    Advisor.load(kb_copy, verify=True)
    assert loads == [kb_copy]  # and is remembered


def test_an_edit_that_breaks_a_template_is_always_caught(kb_copy, cache):
    Advisor.load(kb_copy, verify=True)
    topics = kb_copy / "topics.yaml"
    text = topics.read_text(encoding="utf-8")
    broken = text.replace("answer: |\n", "answer: |\n      {{ scroe }}\n", 1)
    assert broken != text
    topics.write_text(broken, encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        Advisor.load(kb_copy, verify=True)
    assert "scroe" in str(err.value)
    topics.write_text(text, encoding="utf-8")  # undone: the snapshot of the good state serves
    assert "120–150" in Advisor.load(kb_copy, verify=True).ask(QUESTION).reply


def test_review_dates_are_checked_on_every_load(kb_copy, cache, monkeypatch):
    assert not Advisor.load(kb_copy, verify=True).warnings
    monkeypatch.setenv("KB_REVIEW_MONTHS", "0")
    warned = Advisor.load(kb_copy, verify=True).warnings
    assert warned and all("last reviewed" in str(w) for w in warned)


# -- the digest covers every input --------------------------------------------------------------
def key(kb: Path, templates: Path = TEMPLATES_DIR) -> str:
    return snapshot.digest(kb, templates)


def test_digest_changes_with_a_knowledge_file(kb_copy):
    before = key(kb_copy)
    assert key(kb_copy) == before  # stable
    with (kb_copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("\n")
    assert key(kb_copy) != before


def test_digest_changes_with_a_file_in_a_knowledge_subfolder(kb_copy):
    before = key(kb_copy)
    (kb_copy / "examples").mkdir(exist_ok=True)
    (kb_copy / "examples" / "new-topic.yaml").write_text("- how do i\n", encoding="utf-8")
    assert key(kb_copy) != before


def test_digest_changes_with_a_renamed_file(kb_copy):
    before = key(kb_copy)
    (kb_copy / "synonyms.yaml").rename(kb_copy / "synonyms2.yaml")
    assert key(kb_copy) != before


def test_digest_changes_with_a_template(kb_copy, templates_copy):
    before = key(kb_copy, templates_copy)
    plan = templates_copy / "plan.txt.j2"
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert key(kb_copy, templates_copy) != before


def test_digest_changes_with_the_bots_own_code(kb_copy, tmp_path, monkeypatch):
    code = tmp_path / "bot"
    shutil.copytree(snapshot.PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(snapshot, "PACKAGE", code)
    before = key(kb_copy)
    (code / "matching.py").write_text(
        (code / "matching.py").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
    )
    assert key(kb_copy) != before


def test_digest_changes_with_a_library_version(kb_copy, monkeypatch):
    before = key(kb_copy)
    assert any(v.startswith("jinja2-") for v in snapshot.library_versions())
    monkeypatch.setattr(snapshot, "library_versions", lambda: ["jinja2-99.0"])
    assert key(kb_copy) != before


def test_digest_changes_with_the_date(kb_copy, monkeypatch):
    """Plans depend on the date (years since graduation): a day's check is not the next's."""
    before = key(kb_copy)

    class Later(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2031, 1, 1)

    monkeypatch.setattr(snapshot, "dt", SimpleNamespace(date=Later))
    assert key(kb_copy) != before


# -- a damaged or unsafe cache is a miss, never an error ----------------------------------------
@pytest.mark.parametrize(
    "damage",
    [b"", b"garbage", b"prelim-advisor-snapshot\n", None],
    ids=["empty", "garbage", "header-only", "truncated"],
)
def test_damaged_snapshot_is_a_miss_and_is_replaced(kb_copy, cache, damage, monkeypatch):
    Advisor.load(kb_copy)
    (path,) = snapshots(cache)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2] if damage is None else damage)
    loads = count_loads(monkeypatch)
    assert "120–150" in Advisor.load(kb_copy).ask(QUESTION).reply
    assert loads == [kb_copy]
    assert path.read_bytes()[:40] == good[:40]  # rewritten whole


def test_snapshot_for_other_inputs_is_not_used(kb_copy, cache, monkeypatch):
    Advisor.load(kb_copy)
    (path,) = snapshots(cache)
    with (kb_copy / "synonyms.yaml").open("a", encoding="utf-8") as f:
        f.write("\n")
    # a file renamed to the new key still carries the old key inside: refused
    path.rename(cache / f"advisor-{key(kb_copy)}.pickle")
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == [kb_copy]


def test_a_snapshot_others_can_write_is_not_read(kb_copy, cache, monkeypatch):
    Advisor.load(kb_copy)
    (path,) = snapshots(cache)
    path.chmod(0o666)
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == [kb_copy]


def test_a_linked_snapshot_is_not_read(kb_copy, cache, tmp_path, monkeypatch):
    Advisor.load(kb_copy)
    (path,) = snapshots(cache)
    elsewhere = tmp_path / "elsewhere.pickle"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == [kb_copy]


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_snapshot_owned_by_another_user_is_not_read(kb_copy, cache, monkeypatch):
    Advisor.load(kb_copy)
    (path,) = snapshots(cache)
    os.chown(path, 12345, -1)
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == [kb_copy]


def test_a_cache_folder_others_can_write_is_not_used(kb_copy, cache, monkeypatch):
    Advisor.load(kb_copy)
    cache.chmod(0o777)  # anyone could have replaced what is in it now
    before = sorted(p.name for p in cache.iterdir())
    loads = count_loads(monkeypatch)
    Advisor.load(kb_copy)
    assert loads == [kb_copy]  # its snapshot was not read
    assert sorted(p.name for p in cache.iterdir()) == before  # and nothing was written there


def test_no_cache_folder_means_no_snapshot(kb_copy, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", "")
    assert snapshot.Snapshot.of(kb_copy, TEMPLATES_DIR, cache_dir()).path is None


def test_unwritable_cache_folder_only_costs_time(kb_copy, cache, monkeypatch):
    cache.chmod(0o500)
    monkeypatch.setattr(snapshot.os, "replace", _refuse)
    assert "120–150" in Advisor.load(kb_copy).ask(QUESTION).reply
    assert snapshots(cache) == []


def _refuse(*_args, **_kwargs):
    raise PermissionError("read-only")


def test_a_pipe_a_device_link_or_a_huge_file_is_never_opened_for_the_digest(kb_copy, monkeypatch):
    """The digest runs before the bounded loader: it must not hang on a named pipe or read
    /dev/zero forever. Such a folder is simply not snapshotted; the full load refuses it."""
    os.mkfifo(kb_copy / "pipe.yaml")
    assert key(kb_copy) is None
    (kb_copy / "pipe.yaml").unlink()
    (kb_copy / "zero.yaml").symlink_to("/dev/zero")
    assert key(kb_copy) is None
    (kb_copy / "zero.yaml").unlink()
    assert key(kb_copy) is not None
    monkeypatch.setattr(snapshot, "MAX_FILE_BYTES", 1000)
    assert key(kb_copy) is None  # topics.yaml is larger than that


def test_the_loaders_size_cap_is_part_of_the_digest(kb_copy, monkeypatch):
    before = key(kb_copy)
    monkeypatch.setenv("KB_MAX_FILE_MB", "0.05")
    assert key(kb_copy) != before


def test_half_written_cache_files_left_by_a_stopped_process_are_removed(tmp_path):
    old, fresh = tmp_path / ".advisor-left.tmp", tmp_path / ".classifier-writing.tmp"
    old.write_bytes(b"x" * 100)
    fresh.write_bytes(b"y")
    stale = time.time() - snapshot.STALE_PARTIAL_SECONDS - 60
    os.utime(old, (stale, stale))
    snapshot.prune(tmp_path, "advisor-*.pickle", snapshot.KEEP)
    assert not old.exists() and fresh.exists()  # another process may still be writing that one
