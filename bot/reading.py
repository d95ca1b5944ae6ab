"""Reading a post as a person would: what the member asks, and what they tell about themselves.

A post is usually some background ("2019 grad, CK 224, J-1, two observerships") and one or two
questions. `read_post` separates the two: the facts about the asker (a score, repeated failures)
personalise the reply but never choose the topic by themselves; the question sentences do. It also
recognises small talk ("hi", "thanks!!", "ok") and scores written in words or as ranges
("two thirty", "230ish", "low 220s", "mid 230s"). Pure functions, no knowledge needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.matching import QuestionFacts, clean_text, read_question
from bot.smalltalk import smalltalk_kind
from bot.typed import closing_clause, inner_question

MAX_ASKS = 3  # a post with more questions gets the first three answered

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9,
}  # fmt: skip
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SEP = r"[\s-]+"
_WORD_SCORE = re.compile(
    r"\b(?P<hundreds>one|two)(?:" + _SEP + r"hundred(?:" + _SEP + r"and)?)?" + _SEP
    + r"(?:(?P<tens>" + "|".join(_TENS) + r")(?:" + _SEP + r"(?P<unit>" + "|".join(_UNITS) + r"))?"
    + r"|(?P<teen>" + "|".join(_TEENS) + r"))\b"
)  # fmt: skip
# "230ish", "230-ish": within ISH_SPREAD either side
_ISH = re.compile(r"\b(\d{3})\s*-?\s*ish\b")
ISH_SPREAD = 2
# "low 220s", "mid 230s", "high 240's", "mid-230s"
_RANGE = re.compile(r"\b(low|lower|mid|middle|high|upper)[\s-]*(\d{2})0\s*'?s\b")
# (lowest, read as, highest) within the decade: "low 220s" is 220–223, read as 222
_RANGE_SPAN = {
    "low": (0, 2, 3), "lower": (0, 2, 3), "mid": (3, 5, 7), "middle": (3, 5, 7),
    "high": (7, 8, 9), "upper": (7, 8, 9),
}  # fmt: skip

# "ok?or should i…" splits after the "?"; "???" and "(…!?)" stay whole.
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=\?)(?=[^\W_])")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_QUESTION_START = re.compile(
    r"^(?:(?:and|but|so|also|or|ok|okay|now|then|pls|please|plz|kindly|guys|sir|bro)[\s,]+)*"
    r"(should|shud|shd|can|could|cn|will|would|wud|is|isn'?t|are|am|do|does|did|what|wat|wht|"
    r"whats|what'?s|how|hw|which|when|where|why|who|any|anyone|has|have|must|may)\b"
)
_QUESTION_CUE = re.compile(
    r"\b(should i|shud i|can i|could i|do i|does it|is it|is that|is this|am i|will i|would it|"
    r"what (should|do|are|is|can)|how (many|much|do|should|can|important|long|bad|does)|"
    r"any (advice|tips|suggestions?)|advise|wondering|want to know|need to know|"
    r"tell me|worth it|or not|chances)\b"
)
_GREETING_PREFIX = re.compile(
    r"^((hi|hello|hey|salam|assalamu alaikum|good (morning|evening|afternoon)|greetings|dear)"
    r"( (all|everyone|guys|sir|seniors|friends|doctors|team|bot|there))?[\s,.!:;-]*)+"
)
# "take the exam now or wait": which exam goes without saying when a practice score is given.
_EXAM_BY_CONTEXT = re.compile(
    r"\b(the|my|this) (exam|test)\b|\b(take|sit|book|write|give)( the| my| this)? (exam|test|it)\b"
)
_PRACTICE_WORD = re.compile(r"\b(nbmes?|uwsas?\d?|practice|self[\s-]?assessments?|mocks?|cbssa)\b")
_REAL_EXAM = re.compile(r"\b(ck|step\s*2|s2|real|actual|official|got|scored)\b")
# "never failed", "no fails": background that must not route a post to the failure topics.
_NEVER_FAILED = re.compile(
    r"\b(never|not|no|zero|didn'?t|haven'?t|without)\s+(any\s+)?(fail(ed|s|ures?)?)\b"
)
_NAMED_EXAM = re.compile(r"\b(step\s*(1|one|2|two|3)|s1|s2|ck|cs|comlex|usmle)\b")


class ApproxScore(int):
    """A score the member gave as a range ("low 220s", "230ish"): a number inside it for
    comparisons ("is it below 225?"), and their own words wherever it is shown ("With your low
    220s (215–224)"), never a number they didn't give. `low`..`high` is the range it stands for."""

    low: int
    high: int
    said: str

    def __new__(cls, value: int, low: int, high: int, said: str) -> ApproxScore:
        score = super().__new__(cls, value)
        score.low, score.high, score.said = low, high, said
        return score

    def __str__(self) -> str:
        return self.said

    __repr__ = __str__

    def __reduce__(self) -> tuple[Any, ...]:
        return (ApproxScore, (int(self), self.low, self.high, self.said))


@dataclass(frozen=True)
class Post:
    """A post read: the facts it gives about the asker, the question parts in the order asked,
    and whether it is only small talk ("greeting" | "thanks" | "ok" | "bye")."""

    text: str
    facts: QuestionFacts
    asks: tuple[str, ...]
    smalltalk: str | None = None

    @property
    def background(self) -> bool:
        """The post says more than it asks: some of its sentences are not questions."""
        return len(self.asks) == 1 and self.asks[0] != self.text


def spell_scores(text: str) -> str:
    """Scores in words or as ranges, as digits: "two thirty" → 230, "two-thirty-one" → 231,
    "230ish" → 230, "low 220s" → 222, "mid 230s" → 235, "high 240s" → 248."""

    def words(m: re.Match[str]) -> str:
        value = _UNITS[m["hundreds"]] * 100
        if m["teen"]:
            value += _TEENS[m["teen"]]
        else:
            value += _TENS[m["tens"]] + (_UNITS[m["unit"]] if m["unit"] else 0)
        return str(value) if 150 <= value <= 300 else m.group(0)

    text = _WORD_SCORE.sub(words, text)
    text = _ISH.sub(r"\1", text)
    return _RANGE.sub(lambda m: str(int(m[2]) * 10 + _RANGE_SPAN[m[1]][1]), text)


def approximations(text: str) -> dict[int, ApproxScore]:
    """The scores given as ranges in `text`, by the number `spell_scores` reads each as:
    "low 220s" → {222: 220–223}, "230ish" → {230: 228–232}."""
    found: dict[int, ApproxScore] = {}
    for m in _ISH.finditer(text):
        value = int(m[1])
        found[value] = ApproxScore(value, value - ISH_SPREAD, value + ISH_SPREAD, f"{value}ish")
    for m in _RANGE.finditer(text):
        decade = int(m[2]) * 10
        low, read, high = _RANGE_SPAN[m[1]]
        said = f"{m[1]} {decade}s"
        found[decade + read] = ApproxScore(decade + read, decade + low, decade + high, said)
    return found


def is_question(sentence: str) -> bool:
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s) or _QUESTION_CUE.search(s))


def question_parts(text: str) -> tuple[str, ...]:
    """The question sentences, in order; consecutive ones are kept together when the second
    only continues the first ("is it good? or should i retake?"). No question sentence: the
    whole text is the question."""
    body = _GREETING_PREFIX.sub("", text).strip() or text
    sentences = [s.strip() for s in _SENTENCE.split(body) if s and _LETTER_OR_DIGIT.search(s)]
    asks = [s for s in sentences if is_question(s)]
    asks = [s for s in asks if not _TAG_QUESTION.match(s)] or asks
    if not asks or len(sentences) == 1:
        return (body,)
    return tuple(asks)


# "Thoughts?", "any advice?", "what do you think?": a question about the rest of the post, not one
# of its own.
_TAG_QUESTION = re.compile(
    r"^(?:(?:and|so|also|ok|okay|please|pls|plz|kindly|guys|all)[\s,]+)*(?:"
    r"(?:(?:any|your|ur|what are your|what are ur|what're your)\s+)?(?:thoughts|advice|advise|"
    r"suggestions?|input|opinions?|ideas|help|tips|insight|feedback|guidance)(?:\s+on\s+this)?"
    r"(?:[\s,]+(?:please|pls|plz|guys|anyone|everyone|appreciated|is appreciated|"
    r"would be (?:great|appreciated)|(?:is|are|will be) (?:much |greatly |highly )?appreciated))*"
    r"|what do (?:you|y'?all|u) (?:guys |all )?think|wdyt|anyone|please help(?: me)?|help me(?: out)?"
    r"|(?:does )?anyone (?:have|got) (?:any )?(?:thoughts|advice|suggestions|input|ideas)"
    r")[\s?.!]*$"  # the whole sentence: "any advice on letters?" is a question of its own
)


def last_clause(ask: str) -> str | None:
    """The question a sentence ends with, when background comes first in the same sentence
    ("ck 248 but i failed step 1, what should my letters say" → "what should my letters say");
    None when the sentence is a question from its start or ends with no question clause. Looser
    than the interview's test (`typed.is_question`): any question opening will do, because the
    clause is only followed when its own search clearly names a topic."""
    if _QUESTION_START.match(ask):
        return None
    clause = closing_clause(ask)
    if clause is not None and _QUESTION_START.match(clause):
        return clause
    return inner_question(ask)  # no comma before it: "… failed step 1 what should my letters say"


def read_post(text: str) -> Post:
    """Read a post: facts about the asker from the whole text, the questions it asks."""
    plain = clean_text(text)
    cleaned = spell_scores(plain)
    facts = practice_in_context(read_question(cleaned))
    approx = approximations(plain)
    if facts.score is not None and facts.score in approx:
        facts = replace(facts, score=approx[facts.score])
    kind = smalltalk_kind(cleaned)
    if kind:
        return Post(cleaned, facts, (), kind)
    asks = tuple(_NEVER_FAILED.sub(" ", a) for a in question_parts(cleaned))
    if (
        facts.score is not None
        and facts.score_kind == "practice"
        and not _NAMED_EXAM.search(_strip_practice(cleaned))
        and _EXAM_BY_CONTEXT.search(cleaned)
    ):
        # "my nbme is 228 shud i take exam now or wait": with a practice score and no exam named,
        # the exam in question is Step 2 CK.
        asks = tuple(f"{a} step 2 ck" for a in asks)
        cleaned = f"{cleaned} step 2 ck"
    return Post(_NEVER_FAILED.sub(" ", cleaned), facts, asks)


def practice_in_context(facts: QuestionFacts) -> QuestionFacts:
    """ "my nbme scores are around 225": a practice word earlier in the same sentence, with no
    real exam named between it and the number, makes the score a practice score."""
    if facts.score is None or facts.score_kind != "ck":
        return facts
    for m in re.finditer(rf"(?<!\d){facts.score}(?!\d)", facts.text):
        before = re.split(r"[.?!\n]", facts.text[: m.start()])[-1][-60:]
        found = list(_PRACTICE_WORD.finditer(before))
        word = found[-1] if found else None
        if word and not _REAL_EXAM.search(before[word.end() :]):
            return replace(facts, score_kind="practice")
        break
    return facts


def _strip_practice(text: str) -> str:
    return re.sub(r"\b(nbme|uwsa|cbssa)\s*\w*", " ", text)
