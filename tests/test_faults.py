"""Faults: a killed process, a locked database, knowledge that vanishes while serving."""

import asyncio
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from bot import interview
from bot.advisor import Advisor
from bot.errors import StoreError
from bot.holder import AdvisorHolder
from bot.session import Interviews
from bot.store import Store
from tests.backends import TEST_KEY
from tests.conftest import run_bot

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ["pass", "1", "yes", "232", "1", "skip", "j1", "3", "yes", "2", "2019", "region"]

WRITER = textwrap.dedent(f"""
    import asyncio, sys
    from bot.session import Interviews
    from bot.store import Store
    SCRIPT = {SCRIPT!r}
    async def main():
        store = await Store.open(sys.argv[1])
        interviews = Interviews(store)
        for round_ in range(len(SCRIPT)):
            for n in range(50):
                member = f"m{{n}}"
                turn = await interviews.current(member)
                if turn.step is None:
                    continue
                turn = await interviews.enter(member, SCRIPT[len(turn.answers)])
                print(member, len(turn.answers), flush=True)
    asyncio.run(main())
""")


def test_sigkill_during_writes_loses_at_most_the_answer_being_written(tmp_path):
    db = tmp_path / "kill.db"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    acknowledged: dict[str, int] = {}
    deadline = time.time() + 60
    lines = 0
    while lines < 170 and time.time() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        member, count = line.split()
        acknowledged[member] = int(count)
        lines += 1
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert lines >= 170, "writer never got going"
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()

    async def check() -> None:
        store = await Store.open(db)
        expected = {}
        for text in SCRIPT:
            step = interview.next_step(expected)
            expected = (
                interview.skip(expected, step)
                if text == "skip"
                else interview.answer(expected, step, text)
            )
        for member, count in acknowledged.items():
            answers = await store.answers(member)
            # Everything acknowledged is there; at most the one write in flight is beyond it.
            assert count <= len(answers) <= count + 1, (member, count, answers)
            assert all(expected[k] == v for k, v in answers.items())
        await store.close()

    asyncio.run(check())


async def test_locked_database_is_retried_not_reported(tmp_path):
    db = tmp_path / "locked.db"
    store = await Store.open(db, hash_key=TEST_KEY)
    blocker = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.5, lambda: blocker.execute("COMMIT")).start()
    turn = await Interviews(store).give("m", "step1_result", "pass")
    assert turn.error is None and await store.answers("m") == {"step1_result": "pass"}
    await store.close()
    blocker.close()


def test_knowledge_folder_vanishing_leaves_old_knowledge_serving(kb_copy):
    holder = AdvisorHolder(Advisor.load(kb_copy, verify=True), kb_copy)
    shutil.rmtree(kb_copy)
    result = holder.reload()
    assert not result.ok and "cannot read folder" in result.errors[0]
    assert holder.current.ask("when should i take step 2 ck").matched


def test_unreadable_knowledge_file_leaves_old_knowledge_serving(kb_copy):
    holder = AdvisorHolder(Advisor.load(kb_copy, verify=True), kb_copy)
    (kb_copy / "topics.yaml").write_bytes(b"\xff\xfe\x00 not utf-8")
    result = holder.reload()
    assert not result.ok and any("topics.yaml" in e for e in result.errors)
    assert holder.current.knowledge.topics and holder.current.ask("is 232 enough").matched


# -- a store that fails fast -------------------------------------------------------------------
def bad_databases(tmp_path: Path) -> dict[str, Path]:
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database, just text " * 200)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    return {"corrupt": corrupt, "folder": folder}


def sqlite_threads() -> int:
    """aiosqlite's connection threads alive now (not daemons: one left keeps a process alive)."""
    return sum("_connection_worker_thread" in t.name for t in threading.enumerate())


async def test_a_bad_database_raises_store_error_at_once_and_leaves_no_thread(tmp_path):
    threads = sqlite_threads()
    for kind, path in bad_databases(tmp_path).items():
        start = time.perf_counter()
        try:
            await Store.open(path, hash_key=TEST_KEY)
        except StoreError as exc:
            message = str(exc)
        else:
            raise AssertionError(f"{kind}: opened")
        assert time.perf_counter() - start < 1.0, kind
        assert str(path) in message and "\n" not in message, message
    await asyncio.sleep(0.1)  # a stopped thread takes a moment to end
    assert sqlite_threads() == threads


def test_every_command_that_opens_a_bad_database_exits_with_one_line(tmp_path):
    for kind, path in bad_databases(tmp_path).items():
        env = {"ADVISOR_DB": str(path)}
        for args, stdin in ((["kb", "unanswered"], None), (["chat", "--member", "x"], "quit\n")):
            start = time.perf_counter()
            done = run_bot(*args, env=env, stdin=stdin, timeout=60)
            took = time.perf_counter() - start
            errors = done.stderr.strip().splitlines()
            assert done.returncode == 1, (kind, args, done.stderr)
            assert len(errors) == 1 and errors[0].startswith("error: cannot "), (kind, errors)
            assert "Traceback" not in done.stderr and took < 30, (kind, args, took)


def test_run_with_a_bad_database_exits_with_one_line(tmp_path):
    token = "MTA" + "x" * 21 + ".Gabcde." + "y" * 27  # the shape of a token; never used
    done = run_bot("run", env={"ADVISOR_DB": str(tmp_path), "DISCORD_TOKEN": token}, timeout=90)
    errors = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert errors[-1].startswith("error: ADVISOR_DB: cannot open the database") and "Traceback" not in done.stderr


OPENER = textwrap.dedent("""
    import asyncio, sys
    from bot.session import Interviews
    from bot.store import Store
    async def main():
        store = await Store.open(sys.argv[1], hash_key=b"k" * 32)
        await Interviews(store).give(sys.argv[2], "step1_result", "pass")
        await store.close()
    asyncio.run(main())
""")


def test_four_processes_opening_a_fresh_store_at_once_all_succeed(store_target):
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, store_target, f"p{n}"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    results = [(c.wait(timeout=60), c.stderr.read()) for c in children]
    assert all(code == 0 for code, _ in results), results

    async def check() -> None:
        store = await Store.open(store_target, hash_key=b"k" * 32)
        for n in range(4):
            assert await store.answers(f"p{n}") == {"step1_result": "pass"}
        await store.close()

    asyncio.run(check())


async def test_an_unreachable_postgresql_server_is_one_line_quickly():
    start = time.perf_counter()
    try:
        await Store.open("postgresql://nobody@127.0.0.1:9/none", hash_key=TEST_KEY)
    except StoreError as exc:
        assert "cannot connect to the PostgreSQL database" in str(exc)
    else:
        raise AssertionError("opened")
    assert time.perf_counter() - start < 6


def test_an_unreachable_postgresql_url_is_one_line_from_the_command_line():
    env = {"ADVISOR_DB": "postgresql://nobody@127.0.0.1:9/none", "ADVISOR_HASH_KEY": "k" * 32}
    done = run_bot("kb", "unanswered", env=env)
    errors = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(errors) == 1, done.stderr
    assert errors[0].startswith("error: cannot connect to the PostgreSQL database")
