"""From question text to the topic that answers it, or to a refusal.

The steps, each a small pure function:
1. `read_question` cleans the text and pulls out what matters beyond words: a score
   ("is a 232 enough"), whether it is a practice score ("nbme 221"), and repeated failures.
2. `Normaliser` turns text into canonical tokens: synonyms and texting spellings
   ("hw", "progs", "S2") become one word each, typos are corrected against the vocabulary.
3. `Index.search` scores every topic by IDF-weighted overlap with its example questions
   (an inverted index keeps this fast at ten thousand entries), blended with the probability a
   classifier trained on those examples gives it (`bot/learned.py`).
4. `decide` refuses when the best score is low: a wrong-topic answer is worse than a refusal.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.learned import Classifier, fingerprint

SCORE_TOKEN = "zscore"
THRESHOLD_TOKEN = "zlimit"
MIN_CONFIDENCE = 0.27
SUGGEST_CONFIDENCE = 0.25
OUT_OF_SCOPE_CONFIDENCE = 0.5  # a named "not covered" reply needs a clear match
OUT_OF_SCOPE_MARGIN = 0.01  # an out-of-scope match this close to the best topic means: refuse
NEAR_TIE = 0.95  # a second topic scoring this share of the best one is answered too,
ALSO_CONFIDENCE = 0.40  # if it also scores this much: two weak matches are a guess twice over
COVERAGE_WEIGHT = 0.7  # share of the score from the topic's whole vocabulary (vs its best example)
UNKNOWN_FACTOR = 1.0  # weight of a word no topic uses, relative to the rarest known word
TOPIC_WORD_FLOOR = 0.5  # centrality of a word found only in a topic's title, keywords or answer
UNKNOWN_CAP = 2.0  # unknown words weigh at most this many times the known ones
LEARNED_WEIGHT = 0.3  # share of a hit's score from the learned classifier (bot/learned.py)
LEARNED_MIN_ENTRIES = 10  # with fewer entries a softmax would call any question likely for one
LEARNED_MAX_ENTRIES = 150  # above this, training takes seconds to minutes: lexical matching alone
MIN_TYPO_LENGTH = 5  # shorter words are never corrected: one slip away from too many others
FULL_SCAN_UNDER = 10_000  # below this many examples, every example sharing a word is scored
CANDIDATE_FLOOR = 300  # above it: posting lists up to this long are always scanned
MAX_CANDIDATES = 700  # and beyond this, only the examples sharing the most rare words are scored
COMMON_SHARE = 40  # a word in more than 1/COMMON_SHARE of all examples finds no candidates alone

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "im",
        "i'm",
        "me",
        "my",
        "mine",
        "we",
        "our",
        "us",
        "you",
        "your",
        "yours",
        "he",
        "she",
        "it",
        "its",
        "they",
        "them",
        "their",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "have",
        "has",
        "had",
        "having",
        "will",
        "would",
        "can",
        "could",
        "shall",
        "may",
        "might",
        "must",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "to",
        "into",
        "onto",
        "about",
        "as",
        "and",
        "or",
        "but",
        "if",
        "so",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "very",
        "just",
        "really",
        "also",
        "too",
        "any",
        "some",
        "all",
        "each",
        "every",
        "much",
        "more",
        "most",
        "such",
        "own",
        "same",
        "other",
        "only",
        "not",
        "no",
        "yes",
        "ok",
        "okay",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "please",
        "pls",
        "anyone",
        "guys",
        "bro",
        "sis",
        "sir",
        "madam",
        "dear",
        "doctor",
        "dr",
        "get",
        "got",
        "getting",
        "gets",
        "go",
        "going",
        "gone",
        "went",
        "want",
        "wanna",
        "gonna",
        "know",
        "knew",
        "tell",
        "say",
        "said",
        "think",
        "thought",
        "feel",
        "like",
        "need",
        "needs",
        "one",
        "still",
        "even",
        "ever",
        "now",
        "again",
        "currently",
        "already",
        "lot",
        "lots",
        "kind",
        "sort",
        "thing",
        "things",
        "something",
        "anything",
        "someone",
        "u",
        "ur",
        "ya",
        "with",
        "without",
        "should",
        "shall",
        "wud",
        "would",
        "shd",
        "up",
        "out",
        "over",
        "under",
        "off",
        "down",
        "let",
        "lets",
        "make",
        "made",
        "take",
        "took",
        "taken",
        "give",
        "given",
        "nd",
        "n",
        "r",
        "y",
        "k",
        "im",
        "ive",
        "id",
        "dont",
        "cant",
        "wont",
        "isnt",
        "arent",
        "didnt",
        "doesnt",
        "hv",
        "hav",
        "tho",
        "though",
        "plz",
        "help",
        "question",
        "asking",
        "ask",
        "advice",
        "suggest",
        "suggestion",
        "suggestions",
        "regarding",
        "re",
        "hmm",
        "um",
        "uh",
        "well",
        "oh",
        "today",
        "tonight",
        "tomorrow",
        "yesterday",
        "everyone",
        "everybody",
        "guys",
        "folks",
        "fellas",
        "hows",
        "whats",
        "wassup",
        "sup",
        "lol",
        "haha",
        "hahaha",
        # courtesy and filler in a study server's help channel
        "doctors",
        "docs",
        "drs",
        "sirs",
        "maam",
        "mam",
        "seniors",
        "friends",
        "colleagues",
        "respected",
        "kindly",
        "greetings",
        "morning",
        "evening",
        "po",
        "bhai",
        "quick",
        "questions",
        "query",
        "urgent",
        "pleaseee",
        "plss",
        "thx",
        "thanku",
        "ty",
    ]
)
# Words that carry meaning in this domain although common in English.
KEEP = frozenset({"how", "many", "when", "what", "why", "should", "enough", "low", "take", "after"})

_ZERO_WIDTH = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
)
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\d.,])(\d{3})(?![\d.,]*\d)")
_NOT_A_SCORE_AFTER = re.compile(
    r"^\s*(\+|%|percent|pct|programs?|progs?|programmes?|apps?|applications?|hours?|hrs?|days?|"
    r"weeks?|months?|usd|dollars?|\$|questions?|qs\b|q\b|blocks?|pages?|patients?|mg|ml|km|miles?)",
)
_NOT_A_SCORE_BEFORE = re.compile(
    r"(\$|apply to|applying to|applied to|top|\bfree|\buworld\s*%?)\s*$"
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


@dataclass(frozen=True)
class QuestionFacts:
    """What the question says beyond its words."""

    text: str
    score: int | None = None
    score_kind: str = "ck"  # "ck" | "practice"
    multiple_failures: bool = False


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


def read_question(text: str) -> QuestionFacts:
    """Pull a Step 2 CK (or practice) score and repeated failures out of the question.
    A real Step 2 CK score wins over a practice score mentioned alongside it."""
    text = clean_text(text)
    scores = [(int(m.group(1)), kind) for m, kind in _score_spans(text) if kind != "threshold"]
    chosen = next((s for s in scores if s[1] == "ck"), scores[0] if scores else None)
    return QuestionFacts(
        text=text,
        score=chosen[0] if chosen else None,
        score_kind=chosen[1] if chosen else "ck",
        multiple_failures=repeated_failures(text),
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


_SUFFIXES = ("ing", "ed", "es", "s")


def stem(token: str) -> str:
    """A light stemmer, applied alike to questions and examples: "memorizing" = "memorize",
    "failed" = "fail", "scores" = "score". Crude, but consistent is what matters here."""
    if (
        len(token) <= 4
        or token.endswith(("ss", "us", "is"))
        or token in (SCORE_TOKEN, THRESHOLD_TOKEN)
    ):
        return (
            token[:-1]
            if len(token) == 4 and token.endswith("s") and token[-2] not in "sui"
            else token
        )
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            token = token[: -len(suffix)]
            break
    if token.endswith("e") and len(token) > 4:
        token = token[:-1]
    return token


class Normaliser:
    """Text -> canonical content tokens, using the knowledge's synonyms."""

    def __init__(self, synonyms: dict[str, str]):
        self.phrases = {tuple(k.split()): tuple(v.split()) for k, v in synonyms.items()}
        # Variants by their first word, longest first: each position tries only the phrases that
        # could start there.
        by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
        for variant, canonical in self.phrases.items():
            if variant:
                by_first[variant[0]].append((variant, canonical))
        self.by_first = {w: sorted(v, key=lambda p: -len(p[0])) for w, v in by_first.items()}
        self.vocab: frozenset[str] = frozenset()
        self._fuzzy_pool: dict[str, list[str]] = {}
        self._corrections: dict[str, str | None] = {}

    def set_vocabulary(self, vocab: Iterable[str]) -> None:
        """Known content words, for correcting typos; single-word synonym variants count too."""
        self.vocab = frozenset(vocab)
        variants = {k[0] for k in self.phrases if len(k) == 1}
        pool: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocab | variants):
            if len(word) >= 4 and not word.isdigit():
                pool[word[0]].append(word)
        self._fuzzy_pool = dict(pool)
        self._corrections = {}

    def tokens(self, text: str) -> list[str]:
        words = _WORD.findall(mask_scores(clean_text(text)))
        words = self._apply_synonyms(words)
        out = []
        for word in words:
            if word in (SCORE_TOKEN, THRESHOLD_TOKEN):
                out.append(word)
                continue
            if word.isdigit() or (word in STOPWORDS and word not in KEEP):
                continue
            word = self._correct(word)
            if word:
                out.append(word)
        return out

    def _apply_synonyms(self, words: list[str]) -> list[str]:
        out: list[str] = []
        i = 0
        while i < len(words):
            for variant, canonical in self.by_first.get(words[i], ()):
                if tuple(words[i : i + len(variant)]) == variant:
                    out.extend(canonical)
                    i += len(variant)
                    break
            else:
                out.append(words[i])
                i += 1
        return out

    def _correct(self, word: str) -> str | None:
        word = stem(word)
        if word in self.vocab or len(word) < MIN_TYPO_LENGTH or not self._fuzzy_pool:
            return word
        if word not in self._corrections:
            # A typo keeps the first letter and is one slip away (two in long words).
            most = 1 if len(word) <= 7 else 2
            pool = self._fuzzy_pool.get(word[0], ())
            hits = process.extract(word, pool, scorer=OSA.distance, score_cutoff=most, limit=8)
            if hits:
                nearest = min(h[1] for h in hits)
                fixed = max(
                    (h[0] for h in hits if h[1] == nearest), key=lambda c: fuzz.ratio(word, c)
                )
            else:
                fixed = word
            canonical = self.phrases.get((fixed,))
            self._corrections[word] = (
                stem(canonical[0]) if canonical and len(canonical) == 1 else fixed
            )
            if len(self._corrections) > 50_000:
                self._corrections.clear()
        return self._corrections[word]


@dataclass(frozen=True)
class Hit:
    topic: int
    score: float


def near_tie(hits: Sequence[Hit], n_topics: int) -> Hit | None:
    """The runner-up, when it is a topic (not an out-of-scope entry) that the question's words fit
    about as well as the best one: then the member gets both answers rather than a guess."""
    if len(hits) < 2 or hits[1].topic >= n_topics:
        return None
    if hits[1].score < max(ALSO_CONFIDENCE, NEAR_TIE * hits[0].score):
        return None
    return hits[1]


@dataclass(eq=False)
class Index:
    """IDF-weighted token overlap between a question and each entry's examples, blended with a
    classifier trained on those examples (`learned`, when the knowledge is of a size to train)."""

    normaliser: Normaliser
    n_topics: int
    idf: dict[str, float]
    unknown_weight: float
    examples: list[tuple[int, frozenset[str], float]]  # (topic, tokens, weight sum)
    postings: dict[str, list[int]] = field(default_factory=dict)
    centrality: list[dict[str, float]] = field(default_factory=list)  # per topic: word -> weight
    learned: Classifier | None = None
    shortest: dict[str, list[int]] = field(default_factory=dict)  # common word -> shortest examples
    posting_arrays: dict[str, np.ndarray] = field(default_factory=dict)  # big knowledge only

    @classmethod
    def build(
        cls,
        docs: Sequence[Sequence[str]],
        extra: Sequence[Sequence[str]],
        synonyms: dict[str, str],
        cache: Path | None = None,
    ) -> Index:
        """`docs[i]` are entry i's example questions; `extra[i]` its title and keywords. The
        learned classifier is read from (or saved to) the `cache` folder when one is given."""
        normaliser = Normaliser(synonyms)
        tokenised = [[normaliser.tokens(q) for q in doc] for doc in docs]
        extras = [[t for text in ex for t in normaliser.tokens(text)] for ex in extra]
        bags = [
            frozenset(t for q in doc for t in q) | frozenset(ex)
            for doc, ex in zip(tokenised, extras, strict=True)
        ]
        df: dict[str, int] = defaultdict(int)
        for bag in bags:
            for t in bag:
                df[t] += 1
        n = max(len(bags), 1)
        idf = {t: math.log(1 + n / c) for t, c in df.items()}
        index = cls(
            normaliser, len(bags), idf, unknown_weight=UNKNOWN_FACTOR * math.log(1 + n), examples=[]
        )
        for topic, doc in enumerate(tokenised):
            for toks in doc:
                tokset = frozenset(toks)
                if not tokset:
                    continue
                index.postings_add(len(index.examples), tokset)
                index.examples.append((topic, tokset, sum(idf[t] for t in tokset)))
        for topic, doc in enumerate(tokenised):
            # How central a word is to the topic: the share of its example questions using it,
            # with a floor for words only in its title, keywords or answer.
            counts: dict[str, int] = defaultdict(int)
            for q in doc:
                for t in set(q):
                    counts[t] += 1
            index.centrality.append(
                {
                    t: max((counts.get(t, 0) / max(len(doc), 1)) ** 0.5, TOPIC_WORD_FLOOR)
                    for t in bags[topic]
                }
            )
        index._prepare_big_search()
        normaliser.set_vocabulary(df)
        if LEARNED_MIN_ENTRIES <= len(bags) <= LEARNED_MAX_ENTRIES:
            labelled = [(topic, q) for topic, doc in enumerate(docs) for q in doc]
            index.learned = Classifier.cached(
                fingerprint(docs, extra, sorted(synonyms.items())),
                lambda: Classifier.train(
                    [normaliser.tokens(q) for _, q in labelled],
                    [clean_text(q) for _, q in labelled],
                    [topic for topic, _ in labelled],
                    len(bags),
                ),
                cache,
            )
        return index

    def _prepare_big_search(self) -> None:
        """In a big knowledge base: the posting lists as arrays, for summing candidates' partial
        scores in one vectorised pass; and for each word too common to find candidates alone, its
        MAX_CANDIDATES shortest examples, so a question made only of such words ("who is prelim
        im for?") is scored against those instead of every example that shares them."""
        if len(self.examples) < FULL_SCAN_UNDER:
            return
        common = max(CANDIDATE_FLOOR, len(self.examples) // COMMON_SHARE)
        sizes = np.array([total for _, _, total in self.examples])
        self.posting_arrays = {t: np.asarray(f, dtype=np.int32) for t, f in self.postings.items()}
        for token, ids in self.posting_arrays.items():
            if len(ids) > common:
                order = np.argsort(sizes[ids], kind="stable")[:MAX_CANDIDATES]
                self.shortest[token] = ids[order].tolist()

    def postings_add(self, example: int, tokens: frozenset[str]) -> None:
        for t in tokens:
            self.postings.setdefault(t, []).append(example)

    def weight(self, token: str) -> float:
        return self.idf.get(token, self.unknown_weight)

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        tokens = self.normaliser.tokens(text)
        query = frozenset(tokens)
        if not query or query <= KEEP:
            return []  # "how are you", "why?": question words alone are about nothing
        weights = {t: self.weight(t) for t in query}
        known = sum(w for t, w in weights.items() if t in self.idf)
        unknown = sum(weights.values()) - known
        # Words no topic uses count against a question, but only up to UNKNOWN_CAP times the
        # known ones: a long, chatty question about a real topic is still about that topic.
        total = known + min(unknown, UNKNOWN_CAP * known) if known else unknown
        best: dict[int, float] = {}
        for ex, shared in self._overlaps(query, weights):
            topic, _, ex_total = self.examples[ex]
            precision, recall = shared / total, shared / ex_total
            f = 2 * precision * recall / (precision + recall)
            if f > best.get(topic, 0.0):
                best[topic] = f
        share = COVERAGE_WEIGHT
        learned = (
            self.learned.probabilities(tokens, clean_text(text)) if self.learned and best else None
        )
        hits = []
        for topic, f in best.items():
            central = self.centrality[topic]
            coverage = sum(central.get(t, 0.0) * w for t, w in weights.items()) / total
            score = (1 - share) * f + share * coverage
            if learned is not None:
                score = (1 - LEARNED_WEIGHT) * score + LEARNED_WEIGHT * float(learned[topic])
            # Rounded: sums over sets run in hash order, and a last-bit difference must not
            # decide a tie differently from one run to the next.
            hits.append(Hit(topic, round(score, 9)))
        hits.sort(key=lambda h: (-h.score, h.topic))
        return hits[:limit]

    def _overlaps(
        self, query: frozenset[str], weights: dict[str, float]
    ) -> Iterable[tuple[int, float]]:
        """(example, weight of the words it shares with the query) for each candidate example.
        Below FULL_SCAN_UNDER examples, summed along the posting lists in one pass."""
        if len(self.examples) < FULL_SCAN_UNDER:
            shared: dict[int, float] = defaultdict(float)
            for t, w in weights.items():
                for ex in self.postings.get(t, ()):
                    shared[ex] += w
            return shared.items()
        return (
            (ex, sum(map(weights.__getitem__, self.examples[ex][1] & query)))
            for ex in self._candidates(query)
        )

    def _candidates(self, query: frozenset[str]) -> set[int] | list[int]:
        """Examples sharing a word with the query. In a big knowledge base, words in a large share
        of all examples (like "step2ck") only add weight to candidates found through rarer words,
        so a search stays fast at ten thousand entries. (Below FULL_SCAN_UNDER examples nothing is
        skipped: a common word like "program" may be the one a short question shares.)"""
        known = [t for t in query if t in self.postings]
        if not known:
            return set()
        common = max(CANDIDATE_FLOOR, len(self.examples) // COMMON_SHARE)
        selective = [t for t in known if len(self.postings[t]) <= common]
        if not selective:
            # Every example shares these words: the shortest ones fit the question best.
            return {ex for t in known for ex in self.shortest.get(t, self.postings[t])}
        if sum(len(self.postings[t]) for t in selective) <= MAX_CANDIDATES:
            return {ex for t in selective for ex in self.postings[t]}
        found = [self.posting_arrays[t] for t in selective]
        partial = np.bincount(
            np.concatenate(found),
            weights=np.repeat([self.idf[t] for t in selective], [len(f) for f in found]),
            minlength=len(self.examples),
        )
        shared = np.flatnonzero(partial)
        if len(shared) > MAX_CANDIDATES:
            shared = shared[np.argpartition(partial[shared], -MAX_CANDIDATES)[-MAX_CANDIDATES:]]
        return set(shared.tolist())
