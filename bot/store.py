"""Per-member state in SQLite (aiosqlite): the only module that writes SQL.

One database file in WAL mode with a busy timeout; the schema is versioned with
`PRAGMA user_version` and migrated on open. Each interview answer is written (and committed)
the moment it is given, so a crash loses at most the answer being written. Members are
keyed by a string (`discord:<id>`, `console:<name>`); anything stored about a member outside
their own rows (unanswered questions, votes) carries only a salted hash of that key, and
`forget` removes both.

Moving to another database touches this module only: everything above it calls these methods.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

MIGRATIONS: tuple[str, ...] = (
    # 1: members, their interview answers, and the moderators' records
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE members (
        member TEXT PRIMARY KEY,
        status TEXT NOT NULL DEFAULT 'interview',
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE answers (
        member TEXT NOT NULL REFERENCES members(member) ON DELETE CASCADE,
        step TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (member, step)
    );
    CREATE TABLE asks (
        id INTEGER PRIMARY KEY,
        entry TEXT,
        matched INTEGER NOT NULL,
        score REAL NOT NULL,
        asked_at TEXT NOT NULL
    );
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        question TEXT NOT NULL,
        score REAL NOT NULL,
        place TEXT NOT NULL,
        member_hash TEXT,
        asked_at TEXT NOT NULL
    );
    CREATE TABLE votes (
        answer_id TEXT NOT NULL,
        member_hash TEXT NOT NULL,
        entry TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        voted_at TEXT NOT NULL,
        PRIMARY KEY (answer_id, member_hash)
    );
    CREATE TABLE reloads (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        digest TEXT,
        counts TEXT,
        ok INTEGER NOT NULL,
        errors TEXT
    );
    CREATE INDEX asks_at ON asks(asked_at);
    CREATE INDEX unanswered_member ON unanswered(member_hash);
    CREATE INDEX votes_member ON votes(member_hash);
    """,
    # 2: who reloaded, as a salted hash too, so /forget can remove a moderator's name from history
    """
    ALTER TABLE reloads ADD COLUMN member_hash TEXT;
    CREATE INDEX reloads_member ON reloads(member_hash);
    """,
)

BUSY_TIMEOUT_MS = 5000
LOCK_RETRIES = 5


def default_path() -> Path:
    return Path(os.environ.get("ADVISOR_DB") or "advisor.db")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Open with `await Store.open(path)`; close with `await store.close()`."""

    def __init__(self, db: aiosqlite.Connection, salt: str):
        self._db = db
        self._salt = salt
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path | None = None) -> Store:
        path = Path(path) if path else default_path()
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.row_factory = aiosqlite.Row
        await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await _migrate(db)
        salt = await _salt(db)
        return cls(db, salt)

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0])

    def member_hash(self, member: str) -> str:
        return hashlib.sha256(f"{self._salt}:{member}".encode()).hexdigest()[:32]

    # -- interview answers -----------------------------------------------------------------
    async def answers(self, member: str) -> dict[str, Any]:
        async with self._db.execute(
            "SELECT step, value FROM answers WHERE member = ?", (member,)
        ) as cur:
            rows = await cur.fetchall()
        return {row["step"]: json.loads(row["value"]) for row in rows}

    async def status(self, member: str) -> str | None:
        async with self._db.execute(
            "SELECT status FROM members WHERE member = ?", (member,)
        ) as cur:
            row = await cur.fetchone()
        return row["status"] if row else None

    async def save_answers(
        self, member: str, answers: dict[str, Any], status: str = "interview"
    ) -> None:
        """Make the stored answers exactly `answers` (a changed, added or removed step) in one
        transaction, so a crash leaves either the old or the new answers, never a mix."""

        async def write() -> None:
            now = _now()
            await self._db.execute(
                "INSERT INTO members (member, status, started_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(member) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
                (member, status, now, now),
            )
            await self._db.execute(
                f"DELETE FROM answers WHERE member = ? AND step NOT IN ({','.join('?' * len(answers))})",
                (member, *answers),
            )
            await self._db.executemany(
                "INSERT INTO answers (member, step, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(member, step) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at "
                "WHERE answers.value IS NOT excluded.value",
                [(member, step, json.dumps(value), now) for step, value in answers.items()],
            )

        await self._transaction(write)

    async def forget(self, member: str) -> None:
        """Delete everything stored about `member`, including rows keyed by their hash."""
        hashed = self.member_hash(member)

        async def write() -> None:
            await self._db.execute("DELETE FROM answers WHERE member = ?", (member,))
            await self._db.execute("DELETE FROM members WHERE member = ?", (member,))
            await self._db.execute("DELETE FROM unanswered WHERE member_hash = ?", (hashed,))
            await self._db.execute("DELETE FROM votes WHERE member_hash = ?", (hashed,))
            await self._db.execute(
                "UPDATE reloads SET who = '(deleted member)', member_hash = NULL WHERE member_hash = ?",
                (hashed,),
            )

        await self._transaction(write)

    async def export(self, member: str) -> dict[str, Any]:
        """Everything stored about `member`, as one JSON-ready document (provisional: the
        restructured store package replaces this)."""
        hashed = self.member_hash(member)
        answers = await self.answers(member)
        queries = {
            "unanswered": "SELECT question, place, asked_at FROM unanswered WHERE member_hash = ? ORDER BY id",
            "votes": "SELECT answer_id, entry, vote, voted_at FROM votes WHERE member_hash = ? ORDER BY voted_at",
            "reloads": "SELECT at, digest, ok FROM reloads WHERE member_hash = ? ORDER BY id",
        }
        found: dict[str, list[dict[str, Any]]] = {}
        for key, sql in queries.items():
            async with self._db.execute(sql, (hashed,)) as cur:
                found[key] = [dict(r) for r in await cur.fetchall()]
        return {"member": member, "status": await self.status(member), "answers": answers, **found}

    async def rows_about(self, member: str) -> int:
        """How many rows mention `member` anywhere (0 after `forget`)."""
        hashed = self.member_hash(member)
        total = 0
        for sql, arg in (
            ("SELECT COUNT(*) FROM members WHERE member = ?", member),
            ("SELECT COUNT(*) FROM answers WHERE member = ?", member),
            ("SELECT COUNT(*) FROM unanswered WHERE member_hash = ?", hashed),
            ("SELECT COUNT(*) FROM votes WHERE member_hash = ?", hashed),
            ("SELECT COUNT(*) FROM reloads WHERE member_hash = ?", hashed),
        ):
            async with self._db.execute(sql, (arg,)) as cur:
                total += (await cur.fetchone())[0]
        return total

    # -- questions, votes, reloads ---------------------------------------------------------
    async def record_ask(self, entry: str | None, matched: bool, score: float) -> None:
        async def write() -> None:
            await self._db.execute(
                "INSERT INTO asks (entry, matched, score, asked_at) VALUES (?, ?, ?, ?)",
                (entry, int(matched), score, _now()),
            )

        await self._transaction(write)

    async def record_unanswered(
        self, question: str, score: float, place: str, member: str | None
    ) -> None:
        hashed = self.member_hash(member) if member else None

        async def write() -> None:
            await self._db.execute(
                "INSERT INTO unanswered (question, score, place, member_hash, asked_at) VALUES (?, ?, ?, ?, ?)",
                (question[:1000], score, place, hashed, _now()),
            )

        await self._transaction(write)

    async def unanswered(self, limit: int = 1000) -> list[dict[str, Any]]:
        async with self._db.execute(
            "SELECT question, score, place, asked_at FROM unanswered ORDER BY id DESC LIMIT ?",
            (limit,),
        ) as cur:
            return [dict(r) for r in await cur.fetchall()]

    async def vote(self, answer_id: str, member: str, entry: str, vote: int) -> None:
        """One vote per member per answer; voting again changes it."""

        async def write() -> None:
            await self._db.execute(
                "INSERT INTO votes (answer_id, member_hash, entry, vote, voted_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(answer_id, member_hash) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (answer_id, self.member_hash(member), entry, vote, _now()),
            )

        await self._transaction(write)

    async def entry_stats(self) -> list[dict[str, Any]]:
        """Per entry: asks, up and down votes."""
        async with self._db.execute(
            "SELECT entry, COUNT(*) AS asks FROM asks WHERE matched = 1 GROUP BY entry"
        ) as cur:
            asks = {r["entry"]: r["asks"] for r in await cur.fetchall()}
        async with self._db.execute(
            "SELECT entry, SUM(vote = 1) AS up, SUM(vote = -1) AS down FROM votes GROUP BY entry"
        ) as cur:
            votes = {r["entry"]: (r["up"], r["down"]) for r in await cur.fetchall()}
        entries = sorted(set(asks) | set(votes), key=lambda e: (-asks.get(e, 0), e))
        return [
            {
                "entry": e,
                "asks": asks.get(e, 0),
                "up": votes.get(e, (0, 0))[0],
                "down": votes.get(e, (0, 0))[1],
            }
            for e in entries
        ]

    async def refusal_share(self, days: int = 7) -> list[dict[str, Any]]:
        """Per day for the last `days` days: questions asked and the share refused."""
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        async with self._db.execute(
            "SELECT substr(asked_at, 1, 10) AS day, COUNT(*) AS asked, SUM(matched = 0) AS refused "
            "FROM asks WHERE asked_at >= ? GROUP BY day ORDER BY day",
            (since,),
        ) as cur:
            return [dict(r) for r in await cur.fetchall()]

    async def record_reload(
        self,
        who: str,
        digest: str | None,
        counts: dict[str, int] | None,
        ok: bool,
        errors: list[str] | None = None,
        member: str | None = None,
    ) -> None:
        """Record a reload; `member` (the moderator's key) lets /forget blank their name later."""
        hashed = self.member_hash(member) if member else None

        async def write() -> None:
            await self._db.execute(
                "INSERT INTO reloads (at, who, digest, counts, ok, errors, member_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    who,
                    digest,
                    json.dumps(counts or {}),
                    int(ok),
                    json.dumps(errors or []),
                    hashed,
                ),
            )

        await self._transaction(write)

    async def reloads(self, limit: int = 10) -> list[dict[str, Any]]:
        async with self._db.execute(
            "SELECT at, who, digest, counts, ok, errors FROM reloads ORDER BY id DESC LIMIT ?",
            (limit,),
        ) as cur:
            rows = [dict(r) for r in await cur.fetchall()]
        for row in rows:
            row["counts"] = json.loads(row["counts"] or "{}")
            row["errors"] = json.loads(row["errors"] or "[]")
            row["ok"] = bool(row["ok"])
        return rows

    # -- plumbing ----------------------------------------------------------------------------
    async def _transaction(self, work: Callable[[], Awaitable[T]]) -> T:
        """Run `work` in one transaction; retry a locked database instead of failing."""
        async with self._write:
            for attempt in range(LOCK_RETRIES):
                try:
                    await self._db.execute("BEGIN IMMEDIATE")
                    try:
                        result = await work()
                    except BaseException:
                        await self._db.execute("ROLLBACK")
                        raise
                    await self._db.execute("COMMIT")
                    return result
                except sqlite3.OperationalError as exc:
                    if (
                        "locked" not in str(exc)
                        and "busy" not in str(exc)
                        or attempt == LOCK_RETRIES - 1
                    ):
                        raise
                    await asyncio.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")


async def _migrate(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA user_version") as cur:
        version = (await cur.fetchone())[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        await db.executescript(
            f"BEGIN IMMEDIATE; {script}; PRAGMA user_version = {number}; COMMIT;"
        )


async def _salt(db: aiosqlite.Connection) -> str:
    async with db.execute("SELECT value FROM meta WHERE key = 'salt'") as cur:
        row = await cur.fetchone()
    if row:
        return row[0]
    salt = secrets.token_hex(16)
    await db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)", (salt,))
    async with db.execute("SELECT value FROM meta WHERE key = 'salt'") as cur:
        return (await cur.fetchone())[0]
