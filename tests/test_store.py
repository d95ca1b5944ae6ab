import asyncio
import sqlite3

from bot import interview as iv
from bot.session import Interviews
from bot.store import MIGRATIONS, Store


async def test_schema_is_versioned_and_wal(store, tmp_path):
    assert await store.schema_version() == len(MIGRATIONS)
    con = sqlite3.connect(tmp_path / "test.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_each_answer_is_on_disk_as_soon_as_it_is_given(tmp_path):
    path = tmp_path / "a.db"
    store = await Store.open(path)
    interviews = Interviews(store)
    await interviews.give("m1", "step1_result", "pass")
    await interviews.give("m1", "step1_attempts", "1")
    # Another connection (a new process, after a crash) sees both answers.
    rows = dict(
        sqlite3.connect(path)
        .execute("SELECT step, value FROM answers WHERE member='m1'")
        .fetchall()
    )
    assert rows == {"step1_result": '"pass"', "step1_attempts": "1"}
    await store.close()


async def test_interview_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "b.db"
    store = await Store.open(path)
    await Interviews(store).give("m", "step1_result", "fail")
    await store.close()
    store = await Store.open(path)
    turn = await Interviews(store).current("m")
    assert turn.step.id == "step1_attempts" and turn.answers == {"step1_result": "fail"}
    await store.close()


async def test_bad_answer_is_not_stored_and_same_step_is_asked_again(store):
    interviews = Interviews(store)
    turn = await interviews.give("m", "step1_result", "banana")
    assert turn.error and turn.step.id == "step1_result"
    assert await store.answers("m") == {}


async def test_forget_leaves_no_row_about_the_member(store):
    interviews = Interviews(store)
    await interviews.give("m", "step1_result", "pass")
    await store.record_unanswered("how do i cook rice", 0.1, "dm", "m")
    await store.vote("answer-1", "m", "ck-timing", 1)
    await interviews.give("other", "step1_result", "pass")
    assert await store.rows_about("m") > 0
    await store.forget("m")
    assert await store.rows_about("m") == 0
    assert await store.answers("other") == {"step1_result": "pass"}


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
    stats = {row["entry"]: row for row in await store.entry_stats()}
    assert (stats["ck-timing"]["up"], stats["ck-timing"]["down"], stats["ck-timing"]["asks"]) == (
        1,
        1,
        1,
    )
