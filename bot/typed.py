"""Reading what members type: numbers with a unit or label ("3 months", "NBME 228"), numbers
in words ("two thirty", "twenty twenty-one"), and whether a line is a question.

Forgiving about form, strict about meaning: a line with two different numbers in it ("2-3
months", "NBME 12 then 228 and 231") is not guessed at; the caller asks again.
Pure functions, no I/O: the interview (console and Discord alike) calls them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.question import clean_text

UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Words that stand for a count on their own ("passed on my first attempt", "took it twice").
COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3, "first": 1, "second": 2, "third": 3}
SCALE = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = {*UNITS, *TENS, *COUNT_WORDS, *SCALE}

#: Labels whose small number is a form or an exam, not the answer: "step 2", "NBME 12",
#: "UWSA 2", "form 9", "free 120". A three-digit number after NBME/UWSA is the score itself.
_LABELS = re.compile(
    r"\b(?:step|usmle)\s*(?:[123]|one|two|three)\b(?:\s*ck\b)?"
    r"|\b(?:nbme|uwsa|form|cms)\s*#?\s*\d{1,2}\b(?!\.\d)"
    r"|\bfree\s*120\b"
)
_DIGITS = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?|(?<=[a-z])\d+(?:\.\d+)?")

QUESTION_STARTS = frozenset(
    [
        "what",
        "whats",
        "how",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "should",
        "can",
        "could",
        "would",
        "will",
        "is",
        "are",
        "am",
        "does",
        "do",
        "did",
        "shall",
        "may",
        "might",
        "tell",
        "explain",
    ]
)
NOT_QUESTIONS = ("do not", "dont", "don't", "did not", "didnt", "didn't")
# Where a line's closing clause begins: "ck 248 but i failed step 1, what should my letters say".
_CLAUSE_BREAK = re.compile(r"[,;:]\s*|\s+-+\s+|\s+(?:but|so)\s+")
MIN_CLAUSE_WORDS = 3  # "what about letters" can ask something; "how?" alone says nothing
# A closing clause that is clearly a question, even typed as an interview answer: a question word,
# or an auxiliary with its subject ("is that enough"). Not "not yet, will take it in june" or
# "i passed step 1, which took two tries" (a relative clause).
_CLEAR_QUESTION = re.compile(
    r"^(what|whats|what's|how|why|"
    r"(is|are|am|do|does|should|shud|can|could|would|shall)\s+"
    r"(i|it|that|this|my|they|there|we|you|u|programs?|pds?|these|those|a|an|the)\b|"
    # "did it", "was it", "will it" open answers too ("passed, did it on the first attempt")
    r"(was|were|did|will)\s+(i|my|they|we|you|u|programs?|pds?)\b)"
)
# A question inside a line with no comma before it ("ck 248 but i failed step 1 what should my
# letters say"): a question word or "should i" followed by its subject.
_INNER_QUESTION = re.compile(
    r"\b(what|how)\s+(should|shud|do|does|can|could|would|will|is|are)\s+(i|my|we|u|you)\b"
    r"|\b(should|shud|can|could|do)\s+i\b"
)
# What a line may end with after its question: "…, what should my letters say, pls help".
_TRAILING_TAG = re.compile(
    r"\s*[,;:.!-]+\s*(?:(?:pls|plz|please|kindly)\s*)?(?:help|advise|thanks|thank you|thx|ty|pls|plz|"
    r"please)(?:\s+me)?[\s.!?]*$"
)


@dataclass(frozen=True)
class Numbers:
    """The numbers found in a line; `unclear` when number words could be read two ways."""

    values: tuple[float, ...]
    unclear: bool = False

    @property
    def distinct(self) -> list[float]:
        return sorted(set(self.values))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", clean_text(text).replace("-", " "))


def numbers_in(text: str) -> Numbers:
    """Every number in `text`, written in digits or in words, labels such as "step 2" or
    "NBME 12" left out."""
    t = clean_text(text)
    t = re.sub(r"(?<=\d),(?=\d{1,2}\b)", ".", t)  # 2,5 months
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)  # 1,000
    t = _LABELS.sub(" ", t)
    values: list[float] = [float(m.group()) for m in _DIGITS.finditer(t)]
    unclear = False
    tokens = re.findall(r"[a-z]+", t.replace("-", " "))
    for run in _runs(tokens):
        value = _words_value(run)
        if value is None:
            unclear = True
        else:
            values.append(float(value))
    return Numbers(tuple(values), unclear)


def _runs(tokens: list[str]) -> list[list[str]]:
    """Maximal runs of number words ("and" may join them: "two hundred and thirty")."""
    runs: list[list[str]] = []
    current: list[str] = []
    for i, token in enumerate(tokens):
        joins = token == "and" and current and i + 1 < len(tokens) and tokens[i + 1] in NUMBER_WORDS
        if token in NUMBER_WORDS:
            current.append(token)
        elif not joins:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    # "oh" alone is an exclamation, not a zero
    return [r for r in runs if r != ["oh"]]


def _words_value(run: list[str]) -> int | None:
    """The number a run of number words says, or None if it could be read two ways."""
    if len(run) == 1 and run[0] in COUNT_WORDS:
        return COUNT_WORDS[run[0]]
    if any(w in COUNT_WORDS for w in run):
        return None
    if any(w in SCALE for w in run):
        total = current = 0
        for w in run:
            if w in UNITS:
                current += UNITS[w]
            elif w in TENS:
                current += TENS[w]
            elif w == "hundred":
                current = (current or 1) * 100
            else:
                total, current = total + (current or 1) * 1000, 0
        return total + current
    groups: list[tuple[int, bool]] = []  # (value, written as two digits)
    i = 0
    while i < len(run):
        w, nxt = run[i], run[i + 1] if i + 1 < len(run) else None
        if w in TENS:
            if nxt is not None and 1 <= UNITS.get(nxt, 0) <= 9:
                groups.append((TENS[w] + UNITS[nxt], True))
                i += 2
                continue
            groups.append((TENS[w], True))
        elif w in ("oh", "zero") and groups and nxt is not None and 1 <= UNITS.get(nxt, 0) <= 9:
            groups.append((UNITS[nxt], True))  # "two oh five" = 205
            i += 2
            continue
        else:
            groups.append((UNITS[w], UNITS[w] >= 10))
        i += 1
    if len(groups) == 1:
        return groups[0][0]
    if len(groups) == 2:
        (first, _), (second, two_digits) = groups
        if 1 <= first <= 99 and two_digits:
            return first * 100 + second  # "two thirty" 230, "twenty twenty one" 2021
    return None


def is_question(text: str) -> bool:
    """A line that asks something ("what is the difference between j1 and h1b?"), as opposed
    to an answer ("not sure", "yes?"): three words or more, ending in "?" or opening with a
    question word."""
    t = clean_text(text).strip()
    found = words(t)
    if len(found) < 3:
        return False
    if t.endswith("?"):
        return True
    if found[0] in QUESTION_STARTS and not t.startswith(NOT_QUESTIONS):
        return True
    # "ck 248 but i failed step 1, what should my letters say": background, then the question
    if len(found) < 6:
        return False
    clause = closing_clause(t)
    return bool(clause is not None and _CLEAR_QUESTION.match(clause) or inner_question(t))


def inner_question(text: str) -> str | None:
    """The question that starts inside a line with no break before it ("ck 248 but i failed step
    1 what should my letters say" → "what should my letters say"), or None."""
    m = _INNER_QUESTION.search(text)
    if m is None or not text[: m.start()].strip():
        return None
    tail = text[m.start() :].strip()
    return tail if len(words(tail)) >= MIN_CLAUSE_WORDS else None


def closing_clause(text: str) -> str | None:
    """The clause a line ends with, after something else in the same sentence ("ck 248 but i
    failed step 1, what should my letters say" → "what should my letters say"), when it has at
    least MIN_CLAUSE_WORDS words; None otherwise. Whether it asks something is the caller's call."""
    text = _TRAILING_TAG.sub("", text) or text
    breaks = list(_CLAUSE_BREAK.finditer(text))
    if not breaks:
        return None
    clause = text[breaks[-1].end() :].strip()
    head = text[: breaks[-1].start()].strip()
    if not head or len(words(clause)) < MIN_CLAUSE_WORDS:
        return None
    return clause
