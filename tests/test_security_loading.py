"""A knowledge folder cannot wedge the bot: only ordinary files inside the folder are read, each
within a size cap, YAML aliases and deep nesting are refused with file and line, and a reload
whose check runs too long is abandoned (old knowledge serving, lock released)."""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
from pathlib import Path

import pytest

from bot.advisor import Advisor
from bot.checking import CheckReport
from bot.discord import client
from bot.holder import AdvisorHolder
from bot.knowledge import KnowledgeError, load_knowledge
from tests import fakes
from tests.conftest import run_bot

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
SLOW = "{% for i in range(300) %}{% for j in range(300) %}{% endfor %}{% endfor %}"


def problems(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(p) for p in caught.value.problems if not p.warning]


def test_files_that_could_hang_or_fill_memory_are_refused_by_kb_check_within_seconds(
    kb_copy, tmp_path
):
    (kb_copy / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(kb_copy / "pipe.yaml")
    (kb_copy / "bomb.yaml").write_text(BILLION_LAUGHS)
    (kb_copy / "big.yaml").write_text("# padding\n" * 300_000)  # 3 MB
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("synonyms:\n  step: [stp]\n")
    (kb_copy / "away.yaml").symlink_to(outside)
    started = time.monotonic()
    result = run_bot("kb", "check", str(kb_copy), timeout=60)
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout
    out = result.stdout
    assert "zero.yaml: is a link to /dev/zero, outside the knowledge folder" in out
    assert "pipe.yaml: is a named pipe (FIFO), not an ordinary file" in out
    assert re.search(r"bomb\.yaml:2: YAML aliases \(\*name\) are not allowed", out)
    assert "big.yaml: is larger than 2 MB" in out
    assert f"away.yaml: is a link to {outside}, outside the knowledge folder" in out
    assert "5 error(s)" in out
    assert took < 20, took


def test_a_link_that_stays_inside_the_folder_is_followed(kb_copy):
    (kb_copy / "extra").mkdir()
    (kb_copy / "synonyms.yaml").rename(kb_copy / "extra" / "synonyms.yaml")
    (kb_copy / "synonyms.yaml").symlink_to(kb_copy / "extra" / "synonyms.yaml")
    assert load_knowledge(kb_copy).synonyms


def test_the_file_size_cap_is_configurable(kb_copy, monkeypatch):
    monkeypatch.setenv("KB_MAX_FILE_MB", "0.05")  # topics.yaml is ~0.08 MB
    error = problems(kb_copy)[0]
    assert error.startswith("topics.yaml: is larger than 0.05 MB") and "KB_MAX_FILE_MB" in error
    monkeypatch.setenv("KB_MAX_FILE_MB", "2")
    assert load_knowledge(kb_copy).topics


def test_an_alias_bomb_is_refused_quickly_with_its_line(kb_copy):
    (kb_copy / "bomb.yaml").write_text(BILLION_LAUGHS)
    started = time.monotonic()
    [error] = problems(kb_copy)
    assert time.monotonic() - started < 2
    assert error.startswith("bomb.yaml:2: YAML aliases (*name) are not allowed")


def test_even_a_harmless_alias_is_refused(kb_copy):
    path = kb_copy / "synonyms.yaml"
    path.write_text(path.read_text() + "\n  stepone: &s [s1x]\n  steptwo: *s\n")
    [error] = problems(kb_copy)
    assert re.match(r"synonyms\.yaml:\d+: YAML aliases", error)


def test_deep_nesting_is_an_error_with_file_and_line_not_a_crash(kb_copy):
    (kb_copy / "deep.yaml").write_text("synonyms:\n  x: " + "[" * 900 + "]" * 900 + "\n")
    [error] = problems(kb_copy)
    assert error.startswith("deep.yaml:2: ") and "nested more than 50 levels" in error


# -- reloads that run too long ----------------------------------------------------------------
def slow_down(directory: Path) -> None:
    """Every topic answer made slow but valid: the whole check then takes far longer than the
    short limits below (each render stays within the per-render limits)."""
    path = directory / "topics.yaml"
    path.write_text(path.read_text().replace("    answer: |\n", f"    answer: |\n      {SLOW}\n"))


def test_a_reload_whose_check_runs_too_long_is_abandoned_and_the_next_one_works(kb_copy):
    original = (kb_copy / "topics.yaml").read_text()
    holder = AdvisorHolder(Advisor.load(kb_copy), kb_copy, timeout=2)
    before = holder.current
    slow_down(kb_copy)
    started = time.monotonic()
    result = holder.reload()
    took = time.monotonic() - started
    assert not result.ok and took < 10, took
    assert "checking took longer than 2 s and was stopped" in result.errors[0]
    assert holder.current is before and holder.current.ask("when should i take step 2 ck").matched

    (kb_copy / "topics.yaml").write_text(original.replace("2026-11-25", "2026-11-24", 1))
    holder.timeout = 60
    again = holder.reload()
    assert again.ok and again.changed and holder.current is not before


def test_files_changed_between_the_check_and_the_load_are_refused(kb_copy):
    holder = AdvisorHolder(Advisor.load(kb_copy), kb_copy)
    before = holder.current

    def check_then_edit(directory: Path, templates: str, timeout: float) -> CheckReport:
        report = CheckReport(True, "0123456789ab", {})
        path = directory / "topics.yaml"
        path.write_text(path.read_text().replace("2026-11-25", "2026-11-24", 1))
        return report

    holder.checker = check_then_edit
    result = holder.reload()
    assert not result.ok and "the files changed while they were being checked" in result.errors[0]
    assert holder.current is before


async def test_a_hung_kb_reload_releases_the_lock_and_old_knowledge_keeps_serving(
    tmp_path, kb_copy, monkeypatch
):
    """Even if a reload hangs outside the checked child (here, a checker that does not return
    until released), /kb reload answers within its limit, and the next /kb reload is not
    blocked; the hung one, when it finally returns, swaps nothing in."""
    bot = await fakes.make_bot(tmp_path / "r.db", Advisor.load(kb_copy), kb_copy)
    monkeypatch.setattr(client, "RELOAD_GRACE", 0.5)
    bot.holder.timeout = 0.5
    before = bot.holder.current
    release = threading.Event()
    calls = []

    def checker(directory: Path, templates: str, timeout: float) -> CheckReport:
        calls.append(directory)
        if len(calls) == 1:
            release.wait(60)
        return CheckReport(True, before.knowledge.digest, {})

    bot.holder.checker = checker
    reload, finished = bot.holder.reload, []
    bot.holder.reload = lambda: finished.append(reload()) or finished[-1]
    try:
        i = fakes.interaction(bot, guild=True, admin=True)
        started = time.monotonic()
        assert await fakes.invoke(bot, "kb reload", i)
        assert time.monotonic() - started < 10
        assert "took longer than 1 s and was abandoned" in i.screen.text()
        assert bot.holder.current is before
        bot.holder.timeout = 60  # the next reload has time to load for real
        second = fakes.interaction(bot, guild=True, admin=True)
        await asyncio.wait_for(fakes.invoke(bot, "kb reload", second), 120)
        assert "No changes found" in second.screen.last.content
        fresh = bot.holder.current
        assert fresh is not before  # the second reload swapped in what it loaded

        release.set()  # the abandoned reload finishes now, and swaps nothing in
        for _ in range(300):
            if len(finished) == 2:
                break
            await asyncio.sleep(0.1)
        assert not finished[1].ok and "abandoned" in finished[1].errors[0]
        assert bot.holder.current is fresh
        assert [r["ok"] for r in await bot.store.reloads(None, everywhere=True)] == [True, False]
    finally:
        release.set()
        await bot.store.close()


def test_a_linked_examples_folder_brings_no_file_from_outside(tmp_path):
    """examples/ linked to a folder elsewhere: its files are outside the knowledge folder even
    though no file is itself a link, and are refused, naming the file."""
    import shutil

    from bot.advisor import DEFAULT_KNOWLEDGE_DIR
    from bot.knowledge import KnowledgeError, load_knowledge

    kb = tmp_path / "kb"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, kb)
    outside = tmp_path / "elsewhere"
    shutil.move(str(kb / "examples"), outside)
    (kb / "examples").symlink_to(outside, target_is_directory=True)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb)
    assert any("outside the knowledge folder" in str(p) for p in caught.value.problems)
