"""Reading a question: what it says beyond its words.

`read_question` cleans the text and pulls out a Step 2 CK (or practice) score ("is a 232
enough", "nbme 221") and repeated failures ("failed ck twice"); `mask_scores` replaces score-like
numbers with one token, so "is 232 enough" matches "is 219 enough".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SCORE_TOKEN = "zscore"
THRESHOLD_TOKEN = "zlimit"

_ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_NUMBER = re.compile(r"(?<![\d.,])(\d{3})(?![\d.,]*\d)")
_NOT_A_SCORE_AFTER = re.compile(
    r"^\s*(\+|%|percent|pct|programs?|progs?|programmes?|apps?|applications?|hours?|hrs?|days?|"
    r"weeks?|months?|usd|dollars?|\$|questions?|qs\b|q\b|blocks?|pages?|patients?|mg|ml|km|miles?)",
)
_NOT_A_SCORE_BEFORE = re.compile(
    r"(\$|apply to|applying to|applied to|top|\bfree|\buworld\s*%?|"
    r"\b(?:step\s*(?:1|one|i)|s1)\s*(?:score\s*)?(?:was|is|of|:|-|=)?)\s*$"  # an old Step 1 score
)
# "below 225", "over 240", "at least 235", "<215": a threshold the member asks about, not their score.
_THRESHOLD_BEFORE = re.compile(
    r"(\bbelow|\bunder|\bover|\babove|\bless than|\blower than|\bmore than|\bhigher than|"
    r"\bgreater than|\bat least|\bat most|\bmin(imum)?|\bmax(imum)?|\bsub|\bbtw|\bbetween|"
    r"\bbetween\s+\d{3}\s*(and|to|-|–)|[<>≤≥]=?|~)\s*$"
)
_PRACTICE_BEFORE = re.compile(
    r"(nbme|uwsa|practice|predict|self[\s-]?assess|mock|cbssa|free\s*120|sa\s*\d?|form\s*\d+)[^.?!]{0,18}$"
)
_PRACTICE_AFTER = re.compile(
    r"^\s*(\)|\()?\s*(on|in|from)?\s*(the\s+)?(nbme|uwsa|practice|predicted|mock|self)"
)
_NEGATION = re.compile(r"\b(never|no|zero|not|didn'?t|haven'?t|hasn'?t|without|0)\W+(\w+\W+)?$")
_MULTI_FAIL = re.compile(
    r"(fail\w*|flunk\w*)\W+(\w+\W+){0,3}?(twice|2\s*x|2\s*times|two\s*times|three\s*times|3\s*times|"
    r"multiple|several)|"
    r"(twice|two|2|multiple|several|three|3)\s+(\w+\s+)?(fails|failures|failed attempts)|"
    r"(multiple|several|many)\s+(attempts|tries)|"
    r"(3rd|third|4th|fourth)\s+(attempt|try|time)|"
    r"fail\w*\s+(usmle\s+)?(step\s*1|s1|step\s*one)\s*(once\s*)?(and|&|n|\+|,)\s*(step\s*2|s2|ck|step\s*two)"
    r"(?!\s*(ck\s*)?(score\s*)?(is\s*|was\s*|of\s*|=\s*|:\s*)?(\d|pass|first|1st))|"
    r"fail\w*\s+(usmle\s+)?(step\s*2|s2|ck)\s*(ck\s*)?(once\s*)?(and|&|n|\+|,)\s*(step\s*1|s1|step\s*one)"
    r"(?!\s*(score\s*)?(is\s*|was\s*|=\s*|:\s*)?(pass|first|1st))|"
    r"fail\w*\s+both"
)
# A failed USMLE attempt the asker tells of: "failed ck once", "step 1 failed once", "didn't pass
# step 1", "my step 1 fail", "i had a fail on ck". Only Step 1 and Step 2 CK (not a failed NBME,
# match, interview, rotation, CS or Step 3); not someone else's ("my friend failed step 1"), a maybe
# ("if i failed", "almost failed"), "never failed" (see _NEGATION), nor a failure spoken of in
# general ("how bad is a step 1 fail"): the noun needs "my", "i had a", "with a"…
_EXAM = (
    r"(?:usmle\s+)?(?:step\s*(?:1|one|i)\b|step\s*(?:2|two|ii)(?!\s*cs)(?:\s*ck)?|s[12]|2ck|ck"
    r"|boards?|usmle)"
)
_OWNED = r"(?:\bmy\s+|\b(?:i|i'?ve|i\s+have|i\s+had|got|had|have|with|after)\s+(?:a|an|one|1)\s+)"
_FAILED = re.compile(
    rf"\b(?:failed to pass|failed|flunked|didn'?t pass|did not pass)\s+"
    rf"(?:my\s+|the\s+|on\s+|in\s+)?(?:(?:first|1st|second|2nd)\s+(?:attempt\s+(?:of|on|at)\s+)?)?{_EXAM}"
    rf"|\b{_EXAM}\s+(?:got\s+|was\s+)?failed\b"
    rf"|{_OWNED}{_EXAM}\s+(?:fail|failure|failed attempt)s?\b(?!\s+rates?\b)"
    rf"|{_OWNED}fail(?:ure)?\s+(?:on|in)\s+(?:my\s+|the\s+)?{_EXAM}"
)
# Someone else's failure, or a maybe: the word right before (at most two words between).
_NOT_MINE = re.compile(
    r"\b(friends?|he|she|they|someone|somebody|people|brother|sister|colleagues?|classmates?|"
    r"seniors?|cousins?|others|if|almost|nearly)(?:\s+[\w']+){0,2}\s*$"
)


@dataclass(frozen=True)
class QuestionFacts:
    """What the question says beyond its words."""

    text: str
    score: int | None = None
    score_kind: str = "ck"  # "ck" | "practice"
    multiple_failures: bool = False
    failed: bool = False  # the asker tells of a failed attempt (one or more)
    failed_exams: frozenset[str] = frozenset()  # of "step1", "ck": which exams they failed
    exams: frozenset[str] = frozenset()  # of "step1", "ck": the exams it asks about sitting
    named: frozenset[str] = frozenset()  # of "step1", "ck": the exams it names at all


def clean_text(text: str) -> str:
    """NFKC, lower case, no zero-width or direction marks, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).lower()
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(text.split())


def _score_spans(text: str) -> list[tuple[re.Match[str], str]]:
    """Every number that reads as a USMLE score, with its kind: "threshold" after a comparison
    ("below 225", "at least 235"), "practice" when an NBME/UWSA word sits right before it (not
    before an earlier number) or right after it, else "ck"."""
    spans: list[tuple[re.Match[str], str]] = []
    previous_end = 0
    for m in _NUMBER.finditer(text):
        value = int(m.group(1))
        before = text[max(previous_end, m.start() - 30) : m.start()]
        after = text[m.end() : m.end() + 30]
        previous_end = m.end()
        if not 150 <= value <= 300 or _NOT_A_SCORE_AFTER.match(after):
            continue
        if _THRESHOLD_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            spans.append((m, "threshold"))
        elif not _NOT_A_SCORE_BEFORE.search(before):
            practice = bool(_PRACTICE_BEFORE.search(before) or _PRACTICE_AFTER.match(after))
            spans.append((m, "practice" if practice else "ck"))
    return spans


def repeated_failures(text: str) -> bool:
    """ "failed ck twice", "3rd attempt", "failed step 1 and step 2", but not "never failed"."""
    for m in _MULTI_FAIL.finditer(text):
        if not _NEGATION.search(text[max(0, m.start() - 16) : m.start()]):
            return True
    return False


def told_failures(text: str) -> list[str]:
    """The failures the asker tells of, as said ("failed ck", "my step 1 fail", "didn't pass
    step 1"); not "never failed", "what if i fail", "failed my nbme" or "my friend failed
    step 1"."""
    found = []
    for m in _FAILED.finditer(text):
        before = text[max(0, m.start() - 24) : m.start()]
        if not _NEGATION.search(before[-16:]) and not _NOT_MINE.search(before):
            found.append(m.group(0))
    return found


def exams_failed(failures: list[str]) -> frozenset[str]:
    """Which exams `failures` (from `told_failures`) name: "step1", "ck" (none for "usmle" or
    "boards" alone)."""
    found: set[str] = set()
    for said in failures:
        if _STEP1.search(said):
            found.add("step1")
        if _CK.search(said):
            found.add("ck")
    return frozenset(found)


def exams_named(text: str) -> frozenset[str]:
    """Which of Step 1 ("step1") and Step 2 CK ("ck") `text` names, in any role."""
    return _exams(text, asked=False)


def exams_asked(text: str) -> frozenset[str]:
    """Which of Step 1 ("step1") and Step 2 CK ("ck") the question is about preparing for or
    sitting: "what nbme should i hit before s1", "step 1 prep". An exam told as a result or as
    background ("passed step 1, is uworld enough", "after s1") doesn't count, and "step 1 and 2"
    is about both."""
    return _exams(text, asked=True)


def _exams(text: str, asked: bool) -> frozenset[str]:
    if _BOTH_EXAMS.search(text):
        return frozenset({"step1", "ck"})
    return frozenset(exam for exam, found in _EXAM_PATTERNS.items() if found[asked].search(text))


_STEP1 = re.compile(r"step\s*(?:1|one|i)\b|\bs1\b")
_STEP1_NAME = (  # "step i" only before a score or the exam's words; "the first step one should…" is not it
    r"\b(?:step\s*1|s1|step\s*one(?!\s+(?:should|must|can|would|could|is|of|has))"
    r"|step\s+i(?=\s*(?:\d|\(|score|exam|pass|fail|result|attempt|nbme|prep)))\b"
    r"(?!\s*(?:and|&|/|or)\s*(?:step\s*)?(?:2|two|ii)\b)"
)
_CK_NAME = r"\b(?:step\s*(?:2|two|ii)(?![\di])(?!\s*cs)(?:\s*ck)?|s2|2?ck)\b"
_BOTH_EXAMS = re.compile(r"\b(?:step\s*(?:1|one)|s1)\s*(?:and|&|/|or)\s*(?:step\s*)?(?:2|two|s2)\b")
# Preparing for or sitting an exam: "before sitting s1", "for step 1", "step 1 nbme", "ck prep".
_ABOUT_BEFORE = (
    r"\b(?:before|b4|bfr|for|sit|sitting|take|taking|book|booking|schedule|scheduling|prepare for|"
    r"preparing for|prep for|study for|studying for|ready for|aim on|target on)\s+(?:my\s+|the\s+)?"
)
_ABOUT_AFTER = (
    r"\s+(?:nbmes?|uwsa|prep|preparation|study|studying|qbank|resources?|exam date|practice|"
    r"self[\s-]?assessments?|target|readiness)\b"
)
_EXAM_PATTERNS = {  # exam: (named at all, asked about)
    exam: (re.compile(name), re.compile(rf"{_ABOUT_BEFORE}(?:{name})|(?:{name}){_ABOUT_AFTER}"))
    for exam, name in (("step1", _STEP1_NAME), ("ck", _CK_NAME))
}
_CK = re.compile(r"step\s*(?:2|two|ii)|\bs2|\b2?ck\b")


def read_question(text: str) -> QuestionFacts:
    """Pull a Step 2 CK (or practice) score and repeated failures out of the question.
    A real Step 2 CK score wins over a practice score mentioned alongside it."""
    text = clean_text(text)
    scores = [(int(m.group(1)), kind) for m, kind in _score_spans(text) if kind != "threshold"]
    chosen = next((s for s in scores if s[1] == "ck"), scores[0] if scores else None)
    multiple, failures = repeated_failures(text), told_failures(text)
    return QuestionFacts(
        text=text,
        score=chosen[0] if chosen else None,
        score_kind=chosen[1] if chosen else "ck",
        multiple_failures=multiple,
        failed=multiple or bool(failures),
        failed_exams=exams_failed(failures),
        exams=exams_asked(text),
        named=exams_named(text),
    )


def mask_scores(text: str) -> str:
    """Replace score-like numbers with one token, so "is 232 enough" matches "is 219 enough"."""
    out, last = [], 0
    for m, kind in _score_spans(text):
        token = THRESHOLD_TOKEN if kind == "threshold" else SCORE_TOKEN
        out.append(text[last : m.start()] + f" {token} ")
        last = m.end()
    out.append(text[last:])
    return "".join(out)
