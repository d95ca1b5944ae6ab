"""KB_WATCH=true: reload the knowledge when its files change, by polling their mtimes.

Polling (every few seconds) needs no extra dependency and works on every filesystem. A broken
edit is refused exactly as with /kb reload: the old knowledge keeps serving."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

log = logging.getLogger(__name__)
INTERVAL = 3.0
WHO = "file watcher"

Stamp = tuple[tuple[str, int, int], ...]


def stamp(directory: Path) -> Stamp:
    """Path, mtime and size of every file in the knowledge folder and its subfolders (the
    example questions live in `examples/`)."""
    try:
        return tuple(
            sorted(
                (p.relative_to(directory).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                for p in directory.rglob("*")
                if p.is_file()
            )
        )
    except OSError:
        return ()


async def check_once(bot: PrelimBot, seen: Stamp) -> Stamp:
    """Reload if the files changed since `seen`; returns what was seen now."""
    now = stamp(bot.holder.directory)
    if now != seen:
        await bot.reload_knowledge(WHO)
    return now


async def watch_knowledge(bot: PrelimBot, interval: float = INTERVAL) -> None:
    seen = stamp(bot.holder.directory)
    while True:
        await asyncio.sleep(interval)
        try:
            seen = await check_once(bot, seen)
        except Exception:  # a failed check must not end the watching
            log.exception("knowledge watcher failed; will try again")
