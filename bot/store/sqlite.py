"""SQLite (aiosqlite): the default store, one file in WAL mode, for one process.

Opening fails fast: a corrupt file, a folder, an unwritable file or a full disk raises
`StoreError` with one line, and the connection (whose thread would keep the process alive) is
closed first. The file, and with it SQLite's `-wal` and `-shm` (created with the file's mode),
is private (0600); `secure_delete` overwrites deleted rows. Migrations run under
`BEGIN IMMEDIATE` with `user_version` read inside the transaction, so any number of processes
can open a fresh file at once. Every write is one `BEGIN IMMEDIATE` transaction, one at a time
per process and, through SQLite's write lock, across processes: that serialises a member's
saves with their `forget` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StoreError
from bot.store.base import Store, Tx, load_key

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
    # 2: who reloaded, as a hash too, so /forget can remove a moderator's name from history
    """
    ALTER TABLE reloads ADD COLUMN member_hash TEXT;
    CREATE INDEX reloads_member ON reloads(member_hash);
    """,
    # 3: each server's records are its own; the hash key leaves the database. Rows hashed
    # with the old salt stay, but nothing can link them to anyone once the salt is gone.
    """
    ALTER TABLE asks ADD COLUMN guild TEXT;
    ALTER TABLE unanswered ADD COLUMN guild TEXT;
    ALTER TABLE votes ADD COLUMN guild TEXT;
    ALTER TABLE reloads ADD COLUMN guild TEXT;
    CREATE INDEX asks_guild ON asks(guild, asked_at);
    CREATE INDEX unanswered_guild ON unanswered(guild, id);
    CREATE INDEX votes_guild ON votes(guild);
    CREATE INDEX reloads_guild ON reloads(guild, id);
    DELETE FROM meta WHERE key = 'salt';
    """,
)

BUSY_TIMEOUT_MS = 5000
LOCK_RETRIES = 8


class _SqliteTx:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def execute(self, sql: str, *args: Any) -> None:
        await self._db.execute(sql, args)

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async with self._db.execute(sql, args) as cur:
            return [dict(r) for r in await cur.fetchall()]


class SqliteStore(Store):
    def __init__(self, db: aiosqlite.Connection, key: bytes, path: Path) -> None:
        super().__init__(key)
        self._db = db
        self.path = path
        self._write = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path, *, hash_key: bytes | None = None) -> SqliteStore:
        if path.is_dir():
            raise StoreError(f"cannot open the database {path}: it is a folder, not a file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():  # created private; SQLite gives -wal and -shm its mode
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        except OSError as exc:
            raise StoreError(f"cannot create the database {path}: {exc.strerror or exc}") from None
        try:
            db = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        try:
            db.row_factory = aiosqlite.Row
            await db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await _retry_locked(lambda: db.execute("PRAGMA journal_mode = WAL"))
            await db.execute("PRAGMA synchronous = NORMAL")
            await db.execute("PRAGMA foreign_keys = ON")
            await db.execute("PRAGMA secure_delete = ON")
            await _migrate(db)
            key = hash_key or load_key(path.with_name(path.name + ".key"))
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.chmod(f"{path}{suffix}", 0o600)
        except (sqlite3.Error, OSError) as exc:
            with contextlib.suppress(Exception):
                await db.close()
            raise StoreError(f"cannot open the database {path}: {_reason(exc)}") from None
        except BaseException:  # StoreError from the key file, or a cancel: close all the same
            with contextlib.suppress(Exception):
                await db.close()
            raise
        return cls(db, key, path)

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        return int((await self._fetch("PRAGMA user_version"))[0]["user_version"])

    async def _fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        async with self._db.execute(sql, args) as cur:
            return [dict(r) for r in await cur.fetchall()]

    @contextlib.asynccontextmanager
    async def _tx(self, member: str | None = None) -> AsyncIterator[Tx]:
        """One write transaction. `member` needs no lock of its own here: SQLite lets one
        writer in at a time, so every transaction (about any member) is already serialised."""
        async with self._write:
            await _retry_locked(lambda: self._db.execute("BEGIN IMMEDIATE"))
            try:
                yield _SqliteTx(self._db)
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")


async def _retry_locked(start: Any) -> None:
    """Run `start()`; a database still locked after the busy timeout is retried, not reported."""
    for attempt in range(LOCK_RETRIES):
        try:
            await start()
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or attempt == LOCK_RETRIES - 1:
                raise
            await asyncio.sleep(0.05 * 2**attempt)


async def _migrate(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA user_version") as cur:
        if (await cur.fetchone())[0] >= len(MIGRATIONS):
            return
    await _retry_locked(lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        async with db.execute("PRAGMA user_version") as cur:
            version = (await cur.fetchone())[0]  # read inside: another process may have won
        for script in MIGRATIONS[version:]:
            for statement in script.split(";"):
                if statement.strip():
                    await db.execute(statement)
        await db.execute(f"PRAGMA user_version = {max(version, len(MIGRATIONS))}")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    await db.execute("COMMIT")


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "not a database" in text or "malformed" in text:
        return f"the file is damaged or not a database ({text})"
    return text
