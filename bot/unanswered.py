"""Group the questions the bot could not answer, so moderators see what to add first.

Questions are grouped greedily by token-set similarity after normalising (synonyms, typos),
most frequent group first: "12 people asked about SOAP" rather than twelve separate lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.matching import Normaliser
from bot.terminal import printable

SIMILAR = 60.0


@dataclass
class Group:
    example: str
    questions: list[str] = field(default_factory=list)
    key: str = ""
    last_asked: str = ""

    @property
    def count(self) -> int:
        return len(self.questions)


def group_questions(
    rows: Iterable[dict], normaliser: Normaliser, threshold: float = SIMILAR
) -> list[Group]:
    """`rows` have `question` and `asked_at`; returns groups, largest (then most recent) first."""
    groups: list[Group] = []
    for row in rows:
        text = row["question"]
        key = " ".join(sorted(set(normaliser.tokens(text)))) or text.lower().strip()
        best, best_score = None, threshold
        for group in groups:
            score = fuzz.token_set_ratio(key, group.key)
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            best = Group(example=text, key=key)
            groups.append(best)
        best.questions.append(text)
        best.last_asked = max(best.last_asked, row.get("asked_at") or "")
    groups.sort(key=lambda g: g.last_asked, reverse=True)  # ISO times sort as text
    groups.sort(key=lambda g: g.count, reverse=True)  # stable: most asked, then most recent
    return groups


def report_lines(groups: list[Group], limit: int) -> list[str]:
    """The groups as the terminal shows them (`python -m bot kb unanswered`): count and example,
    then up to three other wordings. Members wrote these, so control characters and escape
    sequences are removed and each question is kept to one line."""
    if not groups:
        return ["No unanswered questions yet."]
    lines = []
    for group in groups[:limit]:
        example = printable(group.example)
        lines.append(f"{group.count:>4}× {example}")
        others = dict.fromkeys(printable(q) for q in group.questions[1:4])
        lines += [f"        also: {other}" for other in others if other != example]
    return lines
