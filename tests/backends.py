"""The two stores under test: SQLite always, PostgreSQL when `ADVISOR_TEST_PG` names a reachable
server (each test gets a throwaway schema, dropped afterwards)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
from collections.abc import AsyncIterator
from functools import cache
from pathlib import Path

import pytest

from bot.store import Store

PG_ENV = "ADVISOR_TEST_PG"
BACKENDS = ["sqlite", "postgres"]
TEST_KEY = b"test-key-" + b"0" * 32


@cache
def pg_problem() -> str | None:
    """Why PostgreSQL tests can't run here, or None when they can."""
    url = os.environ.get(PG_ENV)
    if not url:
        return f"PostgreSQL store tests need {PG_ENV}=postgresql://… (CI's .ci/run sets it)"
    try:
        import asyncpg
    except ImportError:
        return "asyncpg is not installed"

    async def probe() -> None:
        con = await asyncpg.connect(url, timeout=3)
        await con.close()

    try:  # in a thread of its own: the caller may be inside a running event loop
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as exc:  # noqa: BLE001 - any failure means: skip, saying why
        return f"{PG_ENV} is set but the server is not reachable ({type(exc).__name__}: {exc})"
    return None


def need(backend: str) -> None:
    if backend == "postgres" and pg_problem():
        pytest.skip(pg_problem())


def pg_schema() -> contextlib.AbstractAsyncContextManager[str]:
    """A URL whose connections use a fresh, empty schema; the schema is dropped afterwards."""
    from bot.store.postgres import throwaway_schema

    return throwaway_schema(os.environ[PG_ENV])


@contextlib.asynccontextmanager
async def target(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """Where a store of `backend` can be opened (a file, or a URL with its own schema)."""
    need(backend)
    if backend == "sqlite":
        yield str(tmp_path / "test.db")
    else:
        async with pg_schema() as url:
            yield url


@contextlib.asynccontextmanager
async def opened(backend: str, tmp_path: Path) -> AsyncIterator[Store]:
    async with target(backend, tmp_path) as where:
        store = await Store.open(where, hash_key=TEST_KEY)
        try:
            yield store
        finally:
            await store.close()
