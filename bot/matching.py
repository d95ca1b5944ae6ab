"""From question text to the topic that answers it, or to a refusal.

The steps, each a small pure function, by concern:
1. Reading the question (`bot/question.py`): `read_question` cleans the text and pulls out what
   matters beyond words: a score ("is a 232 enough"), whether it is a practice score
   ("nbme 221"), and repeated failures.
2. Normalising words (`bot/words.py`): `Normaliser` turns text into canonical tokens: synonyms
   and texting spellings ("hw", "progs", "S2") become one word each, stopwords (data files in
   `bot/data/`) are dropped, typos are corrected against the vocabulary.
3. The index (here): `Index.search` scores every topic by IDF-weighted overlap with its example
   questions (an inverted index keeps this fast at ten thousand entries), blended with the
   probability a classifier trained on those examples gives it (`bot/learned.py`) and with how
   close in meaning the question is to its nearest example (`bot/semantic.py`): real members
   rarely use the examples' words.
4. `decide` refuses when the best score is low: a wrong-topic answer is worse than a refusal.

The names of steps 1 and 2 stay importable from here (`from bot.matching import read_question`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.learned import Classifier, fingerprint
from bot.question import (
    SCORE_TOKEN,
    THRESHOLD_TOKEN,
    QuestionFacts,
    clean_text,
    mask_scores,
    read_question,
    repeated_failures,
)
from bot.semantic import embedder
from bot.words import KEEP, MIN_TYPO_LENGTH, STOPWORDS, Normaliser, stem

__all__ = [
    "KEEP",
    "MIN_TYPO_LENGTH",
    "SCORE_TOKEN",
    "STOPWORDS",
    "THRESHOLD_TOKEN",
    "Hit",
    "Index",
    "Normaliser",
    "QuestionFacts",
    "clean_text",
    "mask_scores",
    "near_tie",
    "read_question",
    "repeated_failures",
    "stem",
]

MIN_CONFIDENCE = 0.29
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
SEMANTIC_WEIGHT = 0.40  # share of a hit's score from its nearest example in meaning
SEMANTIC_FLOOR = 0.3  # a cosine this low means unrelated: it adds nothing (1.0 adds the full share)
SEMANTIC_MIN_WORDS = 3  # below this many words ("chances for prelim?"), the average meaning of
#   a few common words is close to many topics at once: words alone decide
SEMANTIC_MAX_EXAMPLES = 20_000  # above this, example vectors cost too much memory: words alone
MEANING_BLOCK = 1_000  # examples compared with all the others at once in the knowledge check
FULL_SCAN_UNDER = 10_000  # below this many examples, every example sharing a word is scored
CANDIDATE_FLOOR = 300  # above it: posting lists up to this long are always scanned
MAX_CANDIDATES = 700  # and beyond this, only the examples sharing the most rare words are scored
COMMON_SHARE = 40  # a word in more than 1/COMMON_SHARE of all examples finds no candidates alone


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
    posting_arrays: dict[str, np.ndarray] = field(default_factory=dict)  # `postings` as arrays
    example_topics: np.ndarray | None = None  # each example's entry, as an array
    example_totals: np.ndarray | None = None  # each example's weight sum, as an array
    vectors: np.ndarray | None = None  # every example's meaning, entry by entry (bot/semantic.py)
    vector_starts: np.ndarray | None = None  # where each entry's rows begin in `vectors`

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
        index._prepare_arrays()
        index._prepare_big_search()
        index._embed_examples(docs)
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

    def _prepare_arrays(self) -> None:
        """The posting lists and each example's entry and weight sum as arrays: a search sums
        the shared word weights along them in one vectorised pass."""
        self.posting_arrays = {t: np.asarray(f, dtype=np.int32) for t, f in self.postings.items()}
        self.example_topics = np.array([topic for topic, _, _ in self.examples], dtype=np.intp)
        self.example_totals = np.array([total for _, _, total in self.examples], dtype=np.float64)

    def _prepare_big_search(self) -> None:
        """In a big knowledge base: for each word too common to find candidates alone, its
        MAX_CANDIDATES shortest examples, so a question made only of such words ("who is prelim
        im for?") is scored against those instead of every example that shares them."""
        if len(self.examples) < FULL_SCAN_UNDER:
            return
        common = max(CANDIDATE_FLOOR, len(self.examples) // COMMON_SHARE)
        for token, ids in self.posting_arrays.items():
            if len(ids) > common:
                order = np.argsort(self.example_totals[ids], kind="stable")[:MAX_CANDIDATES]
                self.shortest[token] = ids[order].tolist()

    def _embed_examples(self, docs: Sequence[Sequence[str]]) -> None:
        """Each example question as a vector, for meaning-based matching; skipped when the
        embeddings are not installed, an entry has no examples, or the knowledge is too big."""
        model = embedder()
        sizes = [len(doc) for doc in docs]
        if model is None or not all(sizes) or sum(sizes) > SEMANTIC_MAX_EXAMPLES:
            return
        # float32: numpy multiplies float16 without BLAS, ten times slower (4 MB for 4,000 examples)
        self.vectors = model.embed([clean_text(q) for doc in docs for q in doc])
        self.vector_starts = np.cumsum([0, *sizes[:-1]])

    def meaning(self, text: str) -> np.ndarray | None:
        """Per entry, how close `text` is in meaning to its nearest example (0 = unrelated, 1 =
        the same), or None without example vectors."""
        model = embedder() if self.vectors is not None else None
        if model is None:
            return None
        return self._closeness(self.vectors @ model.embed([clean_text(text)])[0])

    def examples_meaning(self) -> np.ndarray | None:
        """`meaning` of every example question at once (a row each, in entry order): what the
        knowledge check needs to ask every example, in one matrix product."""
        if self.vectors is None:
            return None
        rows = range(0, len(self.vectors), MEANING_BLOCK)  # a block at a time: bounded memory
        return np.concatenate(
            [self._closeness(self.vectors[i : i + MEANING_BLOCK] @ self.vectors.T) for i in rows]
        )

    def _closeness(self, cosines: np.ndarray) -> np.ndarray:
        nearest = np.maximum.reduceat(cosines, self.vector_starts, axis=-1).astype(np.float64)
        return np.clip((nearest - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR), 0.0, 1.0)

    def postings_add(self, example: int, tokens: frozenset[str]) -> None:
        for t in tokens:
            self.postings.setdefault(t, []).append(example)

    def weight(self, token: str) -> float:
        return self.idf.get(token, self.unknown_weight)

    def search(self, text: str, limit: int = 3, meaning: np.ndarray | None = None) -> list[Hit]:
        """The best `limit` entries for `text`, best first (`meaning`: the text's closeness to
        each entry when already known, see `examples_meaning`)."""
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
        best = self._best_example_fit(query, weights, total)
        share = COVERAGE_WEIGHT
        learned = (
            self.learned.probabilities(tokens, clean_text(text)) if self.learned and best else None
        )
        scores: dict[int, float] = {}
        for topic, f in best.items():
            central = self.centrality[topic]
            coverage = sum(central.get(t, 0.0) * w for t, w in weights.items()) / total
            score = (1 - share) * f + share * coverage
            if learned is not None:
                score = (1 - LEARNED_WEIGHT) * score + LEARNED_WEIGHT * float(learned[topic])
            scores[topic] = score
        if not best or len(query) < SEMANTIC_MIN_WORDS:
            meaning = None
        elif meaning is None:
            meaning = self.meaning(text)
        if meaning is not None:
            # Every entry gets its share of meaning (one sharing no word may still be close);
            # only the best `limit` become hits.
            blended = SEMANTIC_WEIGHT * meaning
            lexical = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
            blended[list(scores)] += (1 - SEMANTIC_WEIGHT) * lexical
            top = np.argsort(-blended, kind="stable")[: limit + 8]
            scores = {int(t): float(blended[t]) for t in top}
        # Rounded: sums over sets run in hash order, and a last-bit difference must not decide
        # a tie differently from one run to the next.
        hits = [Hit(topic, round(score, 9)) for topic, score in scores.items()]
        hits.sort(key=lambda h: (-h.score, h.topic))
        return hits[:limit]

    def _best_example_fit(
        self, query: frozenset[str], weights: dict[str, float], total: float
    ) -> dict[int, float]:
        """Per entry, the best F-measure of shared word weight between the query and one of its
        examples. Below FULL_SCAN_UNDER examples, summed along the posting lists as arrays (the
        same sums in the same order as one example at a time, in a fraction of the time)."""
        if len(self.examples) >= FULL_SCAN_UNDER:
            best: dict[int, float] = {}
            for ex, shared in self._overlaps(query, weights):
                topic, _, ex_total = self.examples[ex]
                precision, recall = shared / total, shared / ex_total
                f = 2 * precision * recall / (precision + recall)
                if f > best.get(topic, 0.0):
                    best[topic] = f
            return best
        assert self.example_topics is not None and self.example_totals is not None
        shared_all = np.zeros(len(self.examples))
        for t, w in weights.items():
            ids = self.posting_arrays.get(t)
            if ids is not None:
                shared_all[ids] += w  # an example is listed once per word: no repeats to lose
        found = np.flatnonzero(shared_all)
        if not len(found):
            return {}
        shared = shared_all[found]
        precision, recall = shared / total, shared / self.example_totals[found]
        fit = 2 * precision * recall / (precision + recall)
        per_topic = np.zeros(self.n_topics)
        np.maximum.at(per_topic, self.example_topics[found], fit)
        return {int(t): float(per_topic[t]) for t in np.flatnonzero(per_topic)}

    def _overlaps(
        self, query: frozenset[str], weights: dict[str, float]
    ) -> Iterable[tuple[int, float]]:
        """(example, weight of the words it shares with the query) for each candidate example of
        a big knowledge base (smaller ones score every example: `_best_example_fit`)."""
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
