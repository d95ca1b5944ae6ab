"""The store, on SQLite and (when ADVISOR_TEST_PG is reachable) PostgreSQL: one suite."""

import asyncio
import os
import random
import sqlite3
import stat

import pytest

from bot import interview as iv
from bot.session import Interviews
from bot.store import MIGRATIONS, Store
from tests.backends import TEST_KEY

FULL = ["pass", "1", "yes", "232", "1", "skip", "j1", "3", "yes", "2", "2019", "region"]


async def test_schema_is_versioned_and_reopening_migrates_nothing(store_target):
    store = await Store.open(store_target, hash_key=TEST_KEY)
    version = await store.schema_version()
    await store.close()
    reopened = await Store.open(store_target, hash_key=TEST_KEY)
    assert version >= 1 and await reopened.schema_version() == version
    await reopened.close()


async def test_sqlite_is_wal_with_secure_delete(tmp_path):
    store = await Store.open(tmp_path / "w.db", hash_key=TEST_KEY)
    assert await store.schema_version() == len(MIGRATIONS)
    assert (await store._fetch("PRAGMA secure_delete"))[0]["secure_delete"] == 1
    await store.close()
    con = sqlite3.connect(tmp_path / "w.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


async def test_each_answer_is_on_disk_as_soon_as_it_is_given(store_target):
    store = await Store.open(store_target, hash_key=TEST_KEY)
    interviews = Interviews(store)
    await interviews.give("m1", "step1_result", "pass")
    await interviews.give("m1", "step1_attempts", "1")
    # Another connection (a new process, after a crash) sees both answers.
    other = await Store.open(store_target, hash_key=TEST_KEY)
    assert await other.answers("m1") == {"step1_result": "pass", "step1_attempts": 1}
    await other.close()
    await store.close()


async def test_interview_survives_closing_and_reopening(store_target):
    store = await Store.open(store_target, hash_key=TEST_KEY)
    await Interviews(store).give("m", "step1_result", "fail")
    await store.close()
    store = await Store.open(store_target, hash_key=TEST_KEY)
    turn = await Interviews(store).current("m")
    assert turn.step.id == "step1_attempts" and turn.answers == {"step1_result": "fail"}
    await store.close()


async def test_bad_answer_is_not_stored_and_same_step_is_asked_again(store):
    interviews = Interviews(store)
    turn = await interviews.give("m", "step1_result", "banana")
    assert turn.error and turn.step.id == "step1_result"
    assert await store.answers("m") == {}


async def test_back_removes_the_last_answer_and_restart_clears_all(store):
    interviews = Interviews(store)
    for text in FULL[:4]:
        await interviews.enter("m", text)
    await interviews.back("m")
    assert sorted(await store.answers("m")) == ["ck_status", "step1_attempts", "step1_result"]
    await interviews.restart("m")
    assert await store.answers("m") == {} and await store.status("m") == "interview"


async def test_forget_leaves_no_row_about_the_member_and_export_is_empty(store):
    interviews = Interviews(store)
    for text in FULL:
        await interviews.enter("m", text)
    await store.record_unanswered("how do i cook rice", 0.1, "guild", "m", "42")
    await store.vote("answer-1", "m", "ck-timing", 1, "42")
    await store.record_reload("Mod (1)", "abc", {"topics": 1}, True, member="m", guild="42")
    await interviews.give("other", "step1_result", "pass")
    before = await store.export("m")
    assert before["status"] == "complete" and before["answers"]["step2ck_score"] == 232
    assert [r["question"] for r in before["unanswered"]] == ["how do i cook rice"]
    assert before["unanswered"][0]["guild"] == "42" and before["unanswered"][0]["asked_at"]
    assert [(v["entry"], v["vote"]) for v in before["votes"]] == [("ck-timing", 1)]
    assert before["reloads"][0]["digest"] == "abc" and before["reloads"][0]["ok"] is True
    assert await store.rows_about("m") > 0
    await store.forget("m")
    assert await store.rows_about("m") == 0
    assert await store.export("m") == {
        "member": "m",
        "status": None,
        "answers": {},
        "unanswered": [],
        "votes": [],
        "reloads": [],
    }
    assert await store.answers("other") == {"step1_result": "pass"}
    assert (await store.reloads("42"))[0]["who"] == "(deleted member)"


async def test_forget_racing_saves_never_brings_answers_back(store):
    """Forget and a save of the same member, racing: whichever commits last wins, and a save
    that commits after the forget writes only the answer it was given, never the earlier
    answers it read before the forget (which used to come back, 97 times in 1,500)."""
    interviews = Interviews(store)
    rng = random.Random(7)
    runs, emptied = 150, 0

    async def save(member: str, delay: float) -> None:
        await asyncio.sleep(delay)
        await interviews.enter(member, "skip")  # practice score: the next step

    async def forget(member: str, delay: float) -> None:
        await asyncio.sleep(delay)
        await store.forget(member)

    for n in range(runs):
        member = f"race{n}"
        for text in FULL[:5]:
            await interviews.enter(member, text)
        await asyncio.gather(save(member, rng.random() * 0.002), forget(member, rng.random() * 0.002))
        left = await store.answers(member)
        if left:  # the save committed last: its own answer only
            assert left == {"practice_score": None}, (n, left)
        else:  # the forget committed last: nothing at all
            assert await store.rows_about(member) == 0, n
            emptied += 1
        await store.forget(member)
        assert await store.rows_about(member) == 0
    assert 0 < emptied < runs  # both orders happened


async def test_forget_from_another_process_racing_saves_never_brings_answers_back(store_target):
    """The same race between two connections (two bot processes sharing one database): the
    database's own locking, not a lock in one process, keeps forget and a save apart."""
    saver = await Store.open(store_target, hash_key=TEST_KEY)
    forgetter = await Store.open(store_target, hash_key=TEST_KEY)
    interviews = Interviews(saver)
    rng = random.Random(11)
    emptied = 0
    for n in range(60):
        member = f"twin{n}"
        for text in FULL[:5]:
            await interviews.enter(member, text)

        async def later(delay: float, work):
            await asyncio.sleep(delay)
            await work

        await asyncio.gather(
            later(rng.random() * 0.003, interviews.enter(member, "skip")),
            later(rng.random() * 0.003, forgetter.forget(member)),
        )
        left = await forgetter.answers(member)
        assert left in ({}, {"practice_score": None}), (n, left)
        emptied += not left
    assert 0 < emptied < 60
    await saver.close()
    await forgetter.close()


def test_where_the_store_lives_is_read_from_the_target():
    from bot.store.base import is_postgres, sqlite_path

    assert sqlite_path("sqlite:////var/lib/advisor.db").as_posix() == "/var/lib/advisor.db"
    assert sqlite_path("sqlite:///data/advisor.db").as_posix() == "data/advisor.db"
    assert sqlite_path("advisor.db").as_posix() == "advisor.db"
    assert is_postgres("postgresql://u@h/db") and is_postgres("postgres://u@h/db")
    assert not is_postgres("postgresql.db") and not is_postgres("sqlite:///x.db")


async def test_many_members_interviewing_at_once_never_mix(store):
    interviews = Interviews(store)

    async def member(n: int) -> None:
        script = ["pass", "1", "yes", str(200 + n % 100), "1", "skip", "j1", str(n % 7)]
        for text in [*script, "skip", "skip", "skip", "skip"]:
            await interviews.enter(f"m{n}", text)

    await asyncio.gather(*(member(n) for n in range(200)))
    for n in range(200):
        profile = iv.to_profile(await store.answers(f"m{n}"))
        assert profile.step2ck_score == 200 + n % 100
        assert profile.usce_months == n % 7


async def test_votes_are_one_per_member_per_answer(store):
    await store.vote("a1", "m", "ck-timing", 1)
    await store.vote("a1", "m", "ck-timing", -1)
    await store.vote("a1", "n", "ck-timing", 1)
    await store.record_ask("ck-timing", True, 0.9)
    stats = {row["entry"]: row for row in await store.entry_stats(None)}
    assert (stats["ck-timing"]["up"], stats["ck-timing"]["down"], stats["ck-timing"]["asks"]) == (
        1,
        1,
        1,
    )


async def test_each_servers_records_are_its_own(store):
    await store.record_unanswered("cooking in server a", 0.1, "guild", "m", "111")
    await store.record_unanswered("cooking in dms", 0.1, "dm", "m", None)
    await store.record_ask("ck-timing", True, 0.9, "111")
    await store.record_ask(None, False, 0.1, "111")
    await store.vote("a1", "m", "ck-timing", 1, "111")
    await store.record_reload("ModA (1)", "abc", {}, True, member="discord:1", guild="111")
    assert [r["question"] for r in await store.unanswered("111")] == ["cooking in server a"]
    assert [r["question"] for r in await store.unanswered(None)] == ["cooking in dms"]
    assert await store.unanswered("222") == []
    assert len(await store.unanswered(None, everywhere=True)) == 2
    assert await store.entry_stats("222") == [] and await store.refusal_share("222") == []
    assert (await store.entry_stats("111"))[0] == {"entry": "ck-timing", "asks": 1, "up": 1, "down": 0}
    assert (await store.refusal_share("111"))[0]["refused"] == 1
    assert await store.reloads("222") == [] and await store.reloads(None) == []
    assert (await store.reloads("111"))[0]["who"] == "ModA (1)"


async def test_the_member_hash_is_keyed_and_the_key_is_not_in_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("ADVISOR_HASH_KEY", raising=False)
    monkeypatch.delenv("ADVISOR_HASH_KEY_FILE", raising=False)
    path = tmp_path / "k.db"
    store = await Store.open(path)
    await store.record_unanswered("q", 0.1, "dm", "discord:1")
    hashed = store.member_hash("discord:1")
    await store.close()
    key = (tmp_path / "k.db.key").read_bytes()
    assert len(key) >= 32 and key not in path.read_bytes()
    con = sqlite3.connect(path)
    assert con.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0  # no salt, no key
    assert con.execute("SELECT member_hash FROM unanswered").fetchone()[0] == hashed
    con.close()
    again = await Store.open(path)  # the same key file: the same hash, so forget still works
    assert again.member_hash("discord:1") == hashed
    await again.forget("discord:1")
    assert await again.rows_about("discord:1") == 0
    await again.close()
    monkeypatch.setenv("ADVISOR_HASH_KEY", "another key from the environment")
    other = await Store.open(path)
    assert other.member_hash("discord:1") != hashed
    await other.close()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
async def test_database_its_wal_shm_and_key_are_private(tmp_path, monkeypatch):
    monkeypatch.delenv("ADVISOR_HASH_KEY", raising=False)
    monkeypatch.delenv("ADVISOR_HASH_KEY_FILE", raising=False)
    old = os.umask(0o022)  # what most shells use: would make 0644 files
    try:
        store = await Store.open(tmp_path / "p.db")
        await store.record_ask(None, False, 0.1)
        names = ["p.db", "p.db-wal", "p.db-shm", "p.db.key"]
        modes = {n: stat.S_IMODE((tmp_path / n).stat().st_mode) for n in names}
        await store.close()
    finally:
        os.umask(old)
    assert modes == dict.fromkeys(names, 0o600)


async def test_an_old_database_is_migrated_and_its_salt_deleted(tmp_path):
    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        con.executescript(script)
    con.execute("PRAGMA user_version = 2")
    con.execute("INSERT INTO meta VALUES ('salt', 'abcdef')")
    con.execute(
        "INSERT INTO unanswered (question, score, place, member_hash, asked_at) "
        "VALUES ('old question', 0.1, 'dm', 'oldhash', '2026-01-01T00:00:00+00:00')"
    )
    con.commit()
    con.close()
    store = await Store.open(path, hash_key=TEST_KEY)
    assert await store.schema_version() == len(MIGRATIONS)
    assert [r["question"] for r in await store.unanswered(None)] == ["old question"]
    assert await store._fetch("SELECT * FROM meta") == []
    await store.close()
