"""Progress of long runs (bench): each finished row is printed at once, a bar only on a terminal."""

from __future__ import annotations

import io

from bot.progress import Progress, Rows


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_each_row_is_reported_as_soon_as_it_is_measured():
    out = io.StringIO()
    rows = Rows(Progress(out))
    rows.append(("answer latency, shipped", "p50 0.5 ms / p99 1.9 ms", "p99 ≤ 2 ms", "met"))
    assert (
        "answer latency, shipped: p50 0.5 ms / p99 1.9 ms (target p99 ≤ 2 ms: met)"
        in out.getvalue()
    )
    rows.append(("peak memory (RSS)", "900 MB", "", ""))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[1].endswith("peak memory (RSS): 900 MB")
    assert list(rows) == [
        ("answer latency, shipped", "p50 0.5 ms / p99 1.9 ms", "p99 ≤ 2 ms", "met"),
        ("peak memory (RSS)", "900 MB", "", ""),
    ]


def test_a_bar_is_drawn_on_a_terminal_only():
    log = io.StringIO()
    assert list(Progress(log).bar(range(5), "timing")) == [0, 1, 2, 3, 4]
    assert log.getvalue() == ""  # a CI log gets finished lines only
    term = Terminal()
    assert list(Progress(term).bar(range(5), "timing")) == [0, 1, 2, 3, 4]
    assert "timing [" in term.getvalue() and "5/5" in term.getvalue()
