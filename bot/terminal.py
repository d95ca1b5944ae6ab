"""Text that members wrote, made safe to print in an operator's terminal.

A question is member input: raw, its escape sequences could recolour, retitle or clear the
operator's terminal, hide lines, or (in some terminals) write files. Control characters (C0,
DEL, C1 — ESC and CSI among them) and the bidirectional overrides that reorder what is shown
are removed; every printable character, in any script, and emoji (joiners included) stay.
"""

from __future__ import annotations

import re
import unicodedata

#: Whole escape sequences (CSI "ESC [" or 0x9B …, OSC "ESC ]" … BEL/ST, and two-character ones),
#: removed first so that no "[31m" debris is left behind.
ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]"
)

#: Bidirectional embeddings, overrides and isolates: they make text display in another order
#: than it is stored ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Characters that end a line.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def printable(text: str, *, one_line: bool = True) -> str:
    """`text` without control characters. With `one_line` (a question printed on one line),
    line breaks and tabs become one space each; otherwise newlines and tabs stay, other line
    breaks become newlines, and a carriage return (which lets text overwrite what was printed
    before it on the line) is dropped."""
    out: list[str] = []
    for char in ESCAPES.sub("", text):
        if char in LINE_BREAKS or char == "\t":
            if one_line:
                out.append(" ")
            elif char in "\t\n":
                out.append(char)
            elif char != "\r":
                out.append("\n")
            continue
        if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        out.append(char)
    return "".join(out)
