"""Normalising words: text -> canonical content tokens.

Synonyms and texting spellings ("hw", "progs", "S2") become one word each, stopwords are dropped
(the lists are data: `bot/data/stopwords.txt`, and `bot/data/keep.txt` for the common words that
matter here), words are lightly stemmed, and typos are corrected against the vocabulary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.question import SCORE_TOKEN, THRESHOLD_TOKEN, clean_text, mask_scores

DATA = Path(__file__).resolve().parent / "data"
#: The files the word lists come from (the classifier's cache fingerprint covers them).
WORD_FILES = ("stopwords.txt", "keep.txt")
MIN_TYPO_LENGTH = 5  # shorter words are never corrected: one slip away from too many others


def read_words(name: str) -> frozenset[str]:
    """One word a line; blank lines and '#' comments ignored."""
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(
        word for line in text.splitlines() if (word := line.split("#", 1)[0].strip().lower())
    )


STOPWORDS = read_words("stopwords.txt")
# Words that carry meaning in this domain although common in English.
KEEP = read_words("keep.txt")
_WORD = re.compile(r"[a-z0-9]+")


_SUFFIXES = ("ing", "ed", "es", "s")


def stem(token: str) -> str:
    """A light stemmer, applied alike to questions and examples: "memorizing" = "memorize",
    "failed" = "fail", "scores" = "score", "residencies" = "residency". Crude, but consistent is
    what matters here."""
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
    if token.endswith(("ies", "ied")) and len(token) > 4:
        return token[:-3] + "y"  # "residencies" = "residency", "tried" would be "tri" otherwise
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
            if word and (word not in STOPWORDS or word in KEEP):
                out.append(word)  # a typo corrected to a filler word ("advised" → "ok") is dropped
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
