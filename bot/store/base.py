"""The store's interface and everything both databases share.

`Store` holds every query the bot makes (written once, with `?` placeholders); a backend
supplies the connection, its migrations, and two primitives: `_fetch` (a read) and `_tx` (a
transaction that, given a member, is serialised with every other transaction about that member).
Members are keyed by a string (`discord:<id>`, `console:<name>`); anything stored about a member
outside their own rows (refused questions, votes, reloads) carries only a keyed hash of that key
(HMAC-SHA256), whose key never lives in the database, and `forget` removes it all.

Moderators' records carry the server they came from (`guild`: the id as text, `None` for DMs
and the console); every query that reads them takes that scope.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol

from bot.errors import StoreError

KEY_ENV = "ADVISOR_HASH_KEY"
KEY_FILE_ENV = "ADVISOR_HASH_KEY_FILE"
QUESTION_CHARS = 1000


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def default_target() -> str:
    """`ADVISOR_DB`, or `advisor.db` in the working folder."""
    return os.environ.get("ADVISOR_DB") or "advisor.db"


def is_postgres(target: str | Path) -> bool:
    return isinstance(target, str) and target.split("://", 1)[0] in ("postgresql", "postgres")


def sqlite_path(target: str | Path) -> Path:
    """A path, or a `sqlite:///relative` / `sqlite:////absolute` URL."""
    text = str(target)
    if text.startswith("sqlite://"):
        text = text.removeprefix("sqlite://")
        text = text[1:] if text.startswith("/") else text
    return Path(text)


def load_key(key_file: Path) -> bytes:
    """The member-hash key: `ADVISOR_HASH_KEY`, or else `key_file`, created (0600) if missing.

    Creation is atomic (a private temporary file linked into place), so processes starting at
    once all end up with the same key."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode()
    if os.environ.get(KEY_FILE_ENV):
        key_file = Path(os.environ[KEY_FILE_ENV])
    try:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, secrets.token_hex(32).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, key_file)
            except FileExistsError:
                pass  # another process made it first: use theirs
            finally:
                tmp.unlink()
        key = key_file.read_bytes().strip()
    except OSError as exc:
        raise StoreError(
            f"cannot read or create the member-hash key file {key_file}: "
            f"{exc.strerror or exc} (or set {KEY_ENV})"
        ) from None
    if len(key) < 16:
        raise StoreError(f"the member-hash key file {key_file} is empty or too short")
    return key


class Tx(Protocol):
    async def execute(self, sql: str, *args: Any) -> None: ...
    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]: ...


def _scope(guild: str | None, everywhere: bool) -> tuple[str, tuple[Any, ...]]:
    """A WHERE condition for one server's rows (`None`: DMs and the console), or all rows."""
    if everywhere:
        return "1 = 1", ()
    if guild is None:
        return "guild IS NULL", ()
    return "guild = ?", (str(guild),)


class Store:
    """Open with `await Store.open(target)` (a path, `sqlite:///…` or `postgresql://…`);
    close with `await store.close()`."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    async def open(
        cls, target: str | Path | None = None, *, hash_key: bytes | None = None
    ) -> Store:
        """The store at `target` (default `ADVISOR_DB`, else `./advisor.db`). Raises
        `StoreError` (one line, nothing left running) when it cannot be opened."""
        return await open_store(target, hash_key=hash_key)

    async def close(self) -> None:
        raise NotImplementedError

    async def schema_version(self) -> int:
        raise NotImplementedError

    # -- backend primitives ------------------------------------------------------------------
    async def _fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _tx(self, member: str | None = None) -> AbstractAsyncContextManager[Tx]:
        raise NotImplementedError

    def member_hash(self, member: str) -> str:
        return hmac.new(self._key, member.encode(), hashlib.sha256).hexdigest()[:32]

    # -- interview answers -------------------------------------------------------------------
    async def answers(self, member: str) -> dict[str, Any]:
        rows = await self._fetch("SELECT step, value FROM answers WHERE member = ?", member)
        return {row["step"]: json.loads(row["value"]) for row in rows}

    async def status(self, member: str) -> str | None:
        rows = await self._fetch("SELECT status FROM members WHERE member = ?", member)
        return rows[0]["status"] if rows else None

    async def save_changes(
        self,
        member: str,
        changed: Mapping[str, Any],
        removed: Iterable[str] = (),
        status: str = "interview",
    ) -> None:
        """Write only what changed: `changed` steps set, `removed` steps deleted, and the
        member's status, in one transaction serialised with `forget` for this member. Nothing
        read earlier is written back, so a `forget` that completes last always leaves 0 rows."""
        async with self._tx(member) as tx:
            await self._write_changes(tx, member, changed, removed, status)

    async def save_answers(
        self, member: str, answers: Mapping[str, Any], status: str = "interview"
    ) -> None:
        """Make the stored answers exactly `answers` (an import or a restart): the difference
        from what is stored is computed inside the transaction."""
        async with self._tx(member) as tx:
            rows = await tx.fetch("SELECT step FROM answers WHERE member = ?", member)
            removed = {r["step"] for r in rows} - set(answers)
            await self._write_changes(tx, member, answers, removed, status)

    async def _write_changes(
        self,
        tx: Tx,
        member: str,
        changed: Mapping[str, Any],
        removed: Iterable[str],
        status: str,
    ) -> None:
        stamp = now()
        await tx.execute(
            "INSERT INTO members (member, status, started_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (member) DO UPDATE SET status = excluded.status, "
            "updated_at = excluded.updated_at",
            member,
            status,
            stamp,
            stamp,
        )
        for step in removed:
            await tx.execute("DELETE FROM answers WHERE member = ? AND step = ?", member, step)
        for step, value in changed.items():
            await tx.execute(
                "INSERT INTO answers (member, step, value, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (member, step) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at WHERE answers.value <> excluded.value",
                member,
                step,
                json.dumps(value),
                stamp,
            )

    async def forget(self, member: str) -> None:
        """Delete everything stored about `member`, including rows keyed by their hash."""
        hashed = self.member_hash(member)
        async with self._tx(member) as tx:
            await tx.execute("DELETE FROM answers WHERE member = ?", member)
            await tx.execute("DELETE FROM members WHERE member = ?", member)
            await tx.execute("DELETE FROM unanswered WHERE member_hash = ?", hashed)
            await tx.execute("DELETE FROM votes WHERE member_hash = ?", hashed)
            await tx.execute(
                "UPDATE reloads SET who = '(deleted member)', member_hash = NULL "
                "WHERE member_hash = ?",
                hashed,
            )

    async def rows_about(self, member: str) -> int:
        """How many rows mention `member` anywhere (0 after `forget`)."""
        hashed = self.member_hash(member)
        total = 0
        for sql, arg in (
            ("SELECT COUNT(*) AS n FROM members WHERE member = ?", member),
            ("SELECT COUNT(*) AS n FROM answers WHERE member = ?", member),
            ("SELECT COUNT(*) AS n FROM unanswered WHERE member_hash = ?", hashed),
            ("SELECT COUNT(*) AS n FROM votes WHERE member_hash = ?", hashed),
            ("SELECT COUNT(*) AS n FROM reloads WHERE member_hash = ?", hashed),
        ):
            total += int((await self._fetch(sql, arg))[0]["n"])
        return total

    async def export(self, member: str) -> dict[str, Any]:
        """Everything stored about `member`, as one JSON-ready document (empty after
        `forget`). Rows about them elsewhere are found through the keyed hash."""
        hashed = self.member_hash(member)
        unanswered = await self._fetch(
            "SELECT question, asked_at, place, guild FROM unanswered WHERE member_hash = ? "
            "ORDER BY id",
            hashed,
        )
        votes = await self._fetch(
            "SELECT entry, vote, voted_at, guild FROM votes WHERE member_hash = ? "
            "ORDER BY voted_at, answer_id",
            hashed,
        )
        reloads = await self._fetch(
            "SELECT at, who, digest, ok, guild FROM reloads WHERE member_hash = ? ORDER BY id",
            hashed,
        )
        for row in reloads:
            row["ok"] = bool(row["ok"])
        return {
            "member": member,
            "status": await self.status(member),
            "answers": await self.answers(member),
            "unanswered": unanswered,
            "votes": votes,
            "reloads": reloads,
        }

    # -- questions, votes, reloads -----------------------------------------------------------
    async def record_ask(
        self, entry: str | None, matched: bool, score: float, guild: str | None = None
    ) -> None:
        async with self._tx() as tx:
            await tx.execute(
                "INSERT INTO asks (entry, matched, score, asked_at, guild) VALUES (?, ?, ?, ?, ?)",
                entry,
                int(matched),
                float(score),
                now(),
                _guild(guild),
            )

    async def record_unanswered(
        self,
        question: str,
        score: float,
        place: str,
        member: str | None,
        guild: str | None = None,
    ) -> None:
        hashed = self.member_hash(member) if member else None
        async with self._tx(member) as tx:
            await tx.execute(
                "INSERT INTO unanswered (question, score, place, member_hash, asked_at, guild) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                question[:QUESTION_CHARS],
                float(score),
                place,
                hashed,
                now(),
                _guild(guild),
            )

    async def unanswered(
        self, guild: str | None, *, everywhere: bool = False, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Refused questions, newest first: one server's (`guild`), those asked in DMs and the
        console (`None`), or all of them (`everywhere`, for the operator's command line)."""
        where, args = _scope(guild, everywhere)
        return await self._fetch(
            f"SELECT question, score, place, asked_at, guild FROM unanswered WHERE {where} "
            "ORDER BY id DESC LIMIT ?",
            *args,
            int(limit),
        )

    async def vote(
        self, answer_id: str, member: str, entry: str, vote: int, guild: str | None = None
    ) -> None:
        """One vote per member per answer; voting again changes it."""
        async with self._tx(member) as tx:
            await tx.execute(
                "INSERT INTO votes (answer_id, member_hash, entry, vote, voted_at, guild) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, member_hash) DO UPDATE "
                "SET vote = excluded.vote, voted_at = excluded.voted_at",
                str(answer_id),
                self.member_hash(member),
                entry,
                int(vote),
                now(),
                _guild(guild),
            )

    async def entry_stats(
        self, guild: str | None, *, everywhere: bool = False
    ) -> list[dict[str, Any]]:
        """Per entry, in one server (or everywhere): asks, up and down votes."""
        where, args = _scope(guild, everywhere)
        asks = {
            r["entry"]: int(r["asks"])
            for r in await self._fetch(
                f"SELECT entry, COUNT(*) AS asks FROM asks WHERE matched = 1 AND {where} "
                "GROUP BY entry",
                *args,
            )
        }
        votes = {
            r["entry"]: (int(r["up"]), int(r["down"]))
            for r in await self._fetch(
                "SELECT entry, SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END) AS up, "
                "SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) AS down "
                f"FROM votes WHERE {where} GROUP BY entry",
                *args,
            )
        }
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

    async def refusal_share(
        self, guild: str | None, days: int = 7, *, everywhere: bool = False
    ) -> list[dict[str, Any]]:
        """Per day for the last `days` days, in one server: questions asked and refused."""
        where, args = _scope(guild, everywhere)
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
        rows = await self._fetch(
            "SELECT substr(asked_at, 1, 10) AS day, COUNT(*) AS asked, "
            "SUM(CASE WHEN matched = 0 THEN 1 ELSE 0 END) AS refused "
            f"FROM asks WHERE asked_at >= ? AND {where} "
            "GROUP BY substr(asked_at, 1, 10) ORDER BY day",
            since,
            *args,
        )
        return [
            {"day": r["day"], "asked": int(r["asked"]), "refused": int(r["refused"])} for r in rows
        ]

    async def record_reload(
        self,
        who: str,
        digest: str | None,
        counts: dict[str, int] | None,
        ok: bool,
        errors: list[str] | None = None,
        member: str | None = None,
        guild: str | None = None,
    ) -> None:
        """Record a reload in the server it was made from (`None`: the operator or the file
        watcher); `member` (the moderator's key) lets /forget blank their name later."""
        hashed = self.member_hash(member) if member else None
        async with self._tx(member) as tx:
            await tx.execute(
                "INSERT INTO reloads (at, who, digest, counts, ok, errors, member_hash, guild) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                now(),
                who,
                digest,
                json.dumps(counts or {}),
                int(ok),
                json.dumps(errors or []),
                hashed,
                _guild(guild),
            )

    async def reloads(
        self, guild: str | None, *, everywhere: bool = False, limit: int = 10
    ) -> list[dict[str, Any]]:
        where, args = _scope(guild, everywhere)
        rows = await self._fetch(
            f"SELECT at, who, digest, counts, ok, errors, guild FROM reloads WHERE {where} "
            "ORDER BY id DESC LIMIT ?",
            *args,
            int(limit),
        )
        for row in rows:
            row["counts"] = json.loads(row["counts"] or "{}")
            row["errors"] = json.loads(row["errors"] or "[]")
            row["ok"] = bool(row["ok"])
        return rows


def _guild(guild: str | int | None) -> str | None:
    return None if guild is None else str(guild)


async def open_store(target: str | Path | None = None, *, hash_key: bytes | None = None) -> Store:
    """SQLite for a path or `sqlite:///…` (the default), PostgreSQL for `postgresql://…`."""
    target = default_target() if target is None or str(target) == "" else target
    if is_postgres(target):
        from bot.store.postgres import PostgresStore

        return await PostgresStore.connect(str(target), hash_key=hash_key)
    from bot.store.sqlite import SqliteStore

    return await SqliteStore.connect(sqlite_path(target), hash_key=hash_key)


__all__ = ["Store", "StoreError", "Tx", "load_key", "open_store"]
