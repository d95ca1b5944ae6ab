"""PostgreSQL (asyncpg): the store for several processes (shards, a second bot, a standby).

Chosen by `ADVISOR_DB=postgresql://…`. Same tables and queries as SQLite (the shared ones live
in `base.py`; `?` placeholders become `$n` here). Migrations run in one transaction under a
transaction-level advisory lock, so any number of processes can start at once. Every write
about a member first takes an advisory lock on that member inside its transaction, so a
`forget` and a save of the same member never interleave, while other members never wait.

The member-hash key must be the same in every process: set `ADVISOR_HASH_KEY` (or
`ADVISOR_HASH_KEY_FILE`); without either, `./advisor-hash.key` is created (0600) and used.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.errors import StoreError
from bot.store.base import Store, Tx, load_key

MIGRATIONS: tuple[str, ...] = (
    # 1: the SQLite schema at its version 3, in PostgreSQL's types
    """
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
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        entry TEXT,
        matched INTEGER NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        asked_at TEXT NOT NULL,
        guild TEXT
    );
    CREATE TABLE unanswered (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        question TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        place TEXT NOT NULL,
        member_hash TEXT,
        asked_at TEXT NOT NULL,
        guild TEXT
    );
    CREATE TABLE votes (
        answer_id TEXT NOT NULL,
        member_hash TEXT NOT NULL,
        entry TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        voted_at TEXT NOT NULL,
        guild TEXT,
        PRIMARY KEY (answer_id, member_hash)
    );
    CREATE TABLE reloads (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        digest TEXT,
        counts TEXT,
        ok INTEGER NOT NULL,
        errors TEXT,
        member_hash TEXT,
        guild TEXT
    );
    CREATE INDEX asks_guild ON asks(guild, asked_at);
    CREATE INDEX unanswered_member ON unanswered(member_hash);
    CREATE INDEX unanswered_guild ON unanswered(guild, id);
    CREATE INDEX votes_member ON votes(member_hash);
    CREATE INDEX votes_guild ON votes(guild);
    CREATE INDEX reloads_member ON reloads(member_hash);
    CREATE INDEX reloads_guild ON reloads(guild, id);
    """,
)

MIGRATION_LOCK = 0x50_72_65_6C_69_6D  # "Prelim": one advisory lock id for schema changes
CONNECT_TIMEOUT = 5.0
POOL_SIZE = 10
_PLACEHOLDER = re.compile(r"\?")


def to_dollar(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, …` (the shared SQL has no literal `?`)."""
    counter = itertools.count(1)
    return _PLACEHOLDER.sub(lambda _m: f"${next(counter)}", sql)


class _PgTx:
    def __init__(self, con: Any) -> None:
        self._con = con

    async def execute(self, sql: str, *args: Any) -> None:
        await self._con.execute(to_dollar(sql), *args)

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in await self._con.fetch(to_dollar(sql), *args)]


class PostgresStore(Store):
    def __init__(self, pool: Any, key: bytes) -> None:
        super().__init__(key)
        self._pool = pool

    @classmethod
    async def connect(cls, url: str, *, hash_key: bytes | None = None) -> PostgresStore:
        import asyncpg

        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=1,
                max_size=POOL_SIZE,
                timeout=CONNECT_TIMEOUT,
                reset=_keep_session,
            )
        except (OSError, TimeoutError, asyncpg.PostgresError, ValueError) as exc:
            raise StoreError(f"cannot connect to the PostgreSQL database: {_reason(exc)}") from None
        try:
            await _migrate(pool)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                await pool.close()
            if isinstance(exc, (OSError, asyncpg.PostgresError)):
                raise StoreError(
                    f"cannot prepare the PostgreSQL database: {_reason(exc)}"
                ) from None
            raise
        try:
            key = hash_key or load_key(Path("advisor-hash.key"))
        except BaseException:
            await pool.close()
            raise
        return cls(pool, key)

    async def close(self) -> None:
        await self._pool.close()

    async def schema_version(self) -> int:
        rows = await self._fetch("SELECT version FROM advisor_schema")
        return int(rows[0]["version"]) if rows else 0

    async def _fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        return [dict(r) for r in await self._pool.fetch(to_dollar(sql), *args)]

    @contextlib.asynccontextmanager
    async def _tx(self, member: str | None = None) -> AsyncIterator[Tx]:
        """One transaction; given a member, it first takes that member's advisory lock (held
        until commit), so this member's writes go one at a time across every process. BEGIN
        and the lock travel in one round trip (the lock id is a number computed here)."""
        start = (
            "BEGIN" if member is None else f"BEGIN; SELECT pg_advisory_xact_lock({lock_id(member)})"
        )
        async with self._pool.acquire() as con:
            await con.execute(start)
            try:
                yield _PgTx(con)
            except BaseException:
                await con.execute("ROLLBACK")
                raise
            await con.execute("COMMIT")


def lock_id(member: str) -> int:
    """A member's advisory-lock id: a signed 64-bit number from a hash of their key."""
    digest = hashlib.blake2b(f"member:{member}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


async def _keep_session(con: Any) -> None:
    """Nothing to reset when a connection goes back to the pool: the store never changes
    session state (no SET, no LISTEN; its advisory locks end with their transaction), so the
    default reset would only cost a round trip per query."""


async def _migrate(pool: Any) -> None:
    async with pool.acquire() as con, con.transaction():
        await con.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await con.execute("CREATE TABLE IF NOT EXISTS advisor_schema (version INTEGER NOT NULL)")
        version = await con.fetchval("SELECT version FROM advisor_schema")
        if version is None:
            await con.execute("INSERT INTO advisor_schema (version) VALUES (0)")
            version = 0
        for script in MIGRATIONS[version:]:
            await con.execute(script)
        if version < len(MIGRATIONS):
            await con.execute("UPDATE advisor_schema SET version = $1", len(MIGRATIONS))


@contextlib.asynccontextmanager
async def throwaway_schema(url: str) -> AsyncIterator[str]:
    """A URL whose connections use a new, empty schema, dropped afterwards (benchmarks,
    tests): nothing else in the database is touched."""
    import asyncpg

    schema = f"advisor_scratch_{secrets.token_hex(6)}"
    con = await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    try:
        await con.execute(f"CREATE SCHEMA {schema}")
        yield f"{url}{'&' if '?' in url else '?'}search_path={schema}"
    finally:
        await con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await con.close()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
