"""Progress on stderr for long runs (`python -m bot bench`): a line per finished section, and a
bar while a long one runs. On a terminal the bar redraws in place; elsewhere (CI logs, pipes)
only the finished lines are printed, so a log is not flooded. stdout stays the result alone."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 24


class Progress:
    """Reports to `stream` (stderr by default); `started` is when the run began."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.started = self.section_started = time.perf_counter()
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def done(self, text: str) -> None:
        """A finished section: `[  12.3 s] text` (time since the run began)."""
        now = time.perf_counter()
        self._clear()
        self.stream.write(f"[{now - self.started:7.1f} s] {text}\n")
        self.stream.flush()
        self.section_started = now

    def bar(self, items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
        """`items`, drawing `label [#####.....] 12/40` as they are consumed."""
        if total is None:
            total = len(items) if hasattr(items, "__len__") else 0  # type: ignore[arg-type]
        last = 0.0
        for n, item in enumerate(items, 1):
            yield item
            now = time.perf_counter()
            if self.live and total and (now - last > 0.1 or n == total):
                last = now
                filled = WIDTH * n // total
                self.stream.write(
                    f"\r{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {n}/{total}"
                    f" {now - self.section_started:5.1f} s"
                )
                self.stream.flush()
        self._clear()

    def _clear(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")


class Rows(list):
    """The benchmark's table rows; each one is reported as soon as it is measured."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def append(self, row: tuple[str, ...]) -> None:  # type: ignore[override]
        super().append(row)
        measure, result, target, verdict = (*row, "", "", "")[:4]
        extra = f" (target {target}: {verdict})" if target else ""
        self.progress.done(f"{measure}: {result}{extra}")
