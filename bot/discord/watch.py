"""KB_WATCH=true: reload the knowledge when its files change, by polling their mtimes.

Polling (every few seconds) needs no extra dependency and works on every filesystem. A broken
edit is refused exactly as with /kb reload: the old knowledge keeps serving."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

log = logging.getLogger(__name__)
INTERVAL = 3.0
WHO = "file watcher"

Stamp = tuple[tuple[str, int, int], ...]


def stamp(directory: Path) -> Stamp:
    """Relative path, mtime and size of every entry in the knowledge folder and its subfolders
    (the example questions live in `examples/`). Stat only: nothing is opened, so a pipe or device
    named like a knowledge file cannot block the watcher (the reload's check refuses it), and
    links to folders are not followed."""
    try:
        entries = []
        for root, _dirs, files in os.walk(directory, followlinks=False):
            for name in files:
                p = Path(root) / name
                try:
                    info = p.stat()
                except OSError:  # a dangling link, or gone meanwhile
                    continue
                entries.append(
                    (p.relative_to(directory).as_posix(), info.st_mtime_ns, info.st_size)
                )
        return tuple(sorted(entries))
    except OSError:
        return ()


async def check_once(bot: PrelimBot, seen: Stamp) -> Stamp:
    """Reload if the files changed since `seen`; returns what was seen now. A refused or
    abandoned reload is not retried until the files change again (a file that makes the check
    run out of time must not keep a core busy)."""
    now = stamp(bot.holder.directory)
    if now != seen:
        try:
            await bot.reload_knowledge(WHO)
        except Exception:  # a failed reload must not end the watching, nor be retried at once
            log.exception("knowledge watcher: reload failed; will try again on the next change")
    return now


async def watch_knowledge(bot: PrelimBot, interval: float = INTERVAL) -> None:
    seen = stamp(bot.holder.directory)
    while True:
        await asyncio.sleep(interval)
        seen = await check_once(bot, seen)
