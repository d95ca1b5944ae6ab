"""A learned second opinion on which entry a question is about.

The lexical matcher (`matching.Index`) weighs the words a question shares with each entry's
example questions by how rare they are. It cannot learn which words actually tell two neighbouring
topics apart, nor that "safe bet" is about safety programs. This module trains a small multinomial
logistic regression on the same example questions, and `Index.search` blends its probability for
each entry with the lexical score. On question banks written after the knowledge, by authors who
never saw it, the blend answers several points more questions right (docs/benchmarks.md).

Features, each block TF-IDF weighted (sublinear counts) and scaled to unit length:
- the matcher's canonical words and neighbouring word pairs (synonyms applied, typos corrected);
- character 3- to 5-grams of each word of the cleaned text, which survive spelling slips and word
  forms that the canonical words miss ("programmes", "recomendation").

Training is deterministic: the same knowledge (with the same numpy) always gives the same model
and the same answers. Each epoch visits the examples in an order drawn from a hash of each example's
own text, not from a shuffle of the whole list, so adding three examples moves a handful of other
answers (a shuffle of a list one longer is a different shuffle: it moved ~20 of 4,000). Five
models, one per seed of that hash, are averaged into one, so no single seed decides a borderline
answer. It takes a few seconds at the shipped size, so a trained model is kept in a cache
folder under a fingerprint of everything it was trained from (`Classifier.cached`): a one-shot
`python -m bot ask` loads it in milliseconds, and any edit to the knowledge trains a new one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.snapshot import prune

CHAR_SIZES = (3, 4, 5)
MIN_CHAR_DF = 2  # a character n-gram in a single example is that example's noise, not a signal
EPOCHS = 3
BATCH = 32
LEARNING_RATE = 0.02
BETA1, BETA2 = 0.9, 0.999
L2 = 1e-5  # weight decay on the rows a batch touches; weak, as the examples are few and all meant
SEEDS = (0, 1, 2, 3, 4)  # one model per seed, averaged (see `Classifier.train`)
CACHE_VERSION = 2
CACHE_KEEP = 5  # trained models kept in the cache folder, most recently used first
# The code and word lists between knowledge text and features.
_CODE = (
    "learned.py",
    "matching.py",
    "question.py",
    "words.py",
    "data/stopwords.txt",
    "data/keep.txt",
)


def word_features(tokens: Sequence[str]) -> list[str]:
    """Canonical words and each pair of neighbouring words ("retake_impulsively")."""
    return [*tokens, *(f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))]


def char_features(text: str) -> list[str]:
    """Character n-grams inside each space-padded word: " ck?" -> " ck", "ck?", "k? ", " ck?"..."""
    out: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in CHAR_SIZES:
            out.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
            if len(padded) <= n:
                break
    return out


@dataclass(frozen=True)
class Block:
    """One TF-IDF block: feature -> (column, idf)."""

    table: dict[str, tuple[int, float]]

    @classmethod
    def fit(cls, docs: Sequence[Sequence[str]], offset: int, min_df: int = 1) -> Block:
        df = Counter(f for doc in docs for f in set(doc))
        n = len(docs)
        kept = sorted(f for f, c in df.items() if c >= min_df)
        return cls(
            {f: (offset + i, math.log((1 + n) / (1 + df[f])) + 1.0) for i, f in enumerate(kept)}
        )

    def vector(self, features: Sequence[str]) -> tuple[list[int], list[float]]:
        """(columns, values) of the features this block knows: 1 + log count, times idf, unit length."""
        counts = Counter(f for f in features if f in self.table)
        cols, vals = [], []
        for f, c in counts.items():
            col, idf = self.table[f]
            cols.append(col)
            vals.append((1.0 + math.log(c)) * idf)
        norm = math.sqrt(sum(v * v for v in vals)) or 1.0
        return cols, [v / norm for v in vals]


@dataclass(frozen=True, eq=False)
class Classifier:
    """Word and character TF-IDF blocks and a softmax layer over the knowledge's entries."""

    words: Block
    chars: Block
    weights: np.ndarray  # (features, entries)
    bias: np.ndarray  # (entries,)

    @classmethod
    def train(
        cls,
        token_docs: Sequence[Sequence[str]],
        texts: Sequence[str],
        labels: Sequence[int],
        n_entries: int,
    ) -> Classifier:
        """Fit on example questions: their canonical tokens, cleaned texts and entry numbers
        (0 to `n_entries` - 1)."""
        word_docs = [word_features(t) for t in token_docs]
        char_docs = [char_features(t) for t in texts]
        words = Block.fit(word_docs, 0)
        chars = Block.fit(char_docs, len(words.table), MIN_CHAR_DF)
        rows = [
            _join(words.vector(w), chars.vector(c))
            for w, c in zip(word_docs, char_docs, strict=True)
        ]
        kept = [i for i, (cols, _) in enumerate(rows) if len(cols)]
        n_features = len(words.table) + len(chars.table)
        kept_rows = [rows[i] for i in kept]
        kept_labels = np.asarray(labels, dtype=np.int64)[kept]
        keys = row_keys([texts[i] for i in kept])
        trained = [
            _softmax_regression(kept_rows, kept_labels, n_features, n_entries, seed, keys)
            for seed in SEEDS
        ]
        # A few epochs in one order leave a model that depends on the order: another seed answered
        # ~20 of 4,000 tuning questions differently. Averaging the weights of one model per seed
        # (the same as averaging their scores, the layer being linear) leaves no one order to
        # decide a borderline answer.
        weights = np.mean([w for w, _ in trained], axis=0)
        bias = np.mean([b for _, b in trained], axis=0)
        return cls(words, chars, weights, bias)

    @classmethod
    def cached(cls, key: str, train: Callable[[], Classifier], folder: Path | None) -> Classifier:
        """The model trained from inputs with fingerprint `key`: from `folder` when it holds a
        readable one, otherwise `train()`, saved there for next time. A cache that is missing,
        damaged, unreadable or unwritable only costs time; a damaged file is replaced."""
        path = folder / f"classifier-{key}.npz" if folder else None
        if path is not None:
            try:
                model = cls.load(path)
                os.utime(path)  # pruning keeps the models in use
                return model
            except FileNotFoundError:
                pass
            except Exception:  # truncated, empty, unreadable, foreign: all just a miss
                with contextlib.suppress(OSError):
                    path.unlink()
        model = train()
        if path is not None:
            try:
                model.save(path)
                _prune(folder)
            except OSError:
                pass
        return model

    def save(self, path: Path) -> None:
        """Written whole or not at all: to a temporary file first, then renamed into place."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".classifier-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(
                    out,
                    weights=self.weights,
                    bias=self.bias,
                    **_table_arrays("words", self.words),
                    **_table_arrays("chars", self.chars),
                )
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> Classifier:
        with np.load(path, allow_pickle=False) as data:
            words = _table("words", data, 0)
            chars = _table("chars", data, len(words.table))
            weights, bias = data["weights"], data["bias"]
        if (
            weights.shape[0] != len(words.table) + len(chars.table)
            or weights.shape[1:] != bias.shape
        ):
            raise ValueError("cached classifier does not fit its features")
        return cls(words, chars, weights, bias)

    def probabilities(self, tokens: Sequence[str], text: str) -> np.ndarray:
        """The probability of each entry, in entry order."""
        cols, vals = _join(
            self.words.vector(word_features(tokens)), self.chars.vector(char_features(text))
        )
        z = np.asarray(vals, dtype=np.float32) @ self.weights[cols] + self.bias
        z = np.exp(z - z.max())
        return z / z.sum()


def cache_dir() -> Path | None:
    """$ADVISOR_CACHE_DIR (empty: no cache), else prelim-advisor in the user's cache folder;
    none when there is no home folder to put it in."""
    chosen = os.environ.get("ADVISOR_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:
        return None
    return Path(base) / "prelim-advisor"


def fingerprint(*inputs: object) -> str:
    """A key for everything a model depends on: its training inputs, these settings, the code
    that turns text into features (so a tokeniser change never meets a stale model) and numpy's
    version (its random stream and file format)."""
    settings = [CACHE_VERSION, CHAR_SIZES, MIN_CHAR_DF, EPOCHS, BATCH, LEARNING_RATE, L2, SEEDS]
    blob = json.dumps([settings, _code_digest(), np.__version__, *inputs], default=list)
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


@functools.cache
def _code_digest() -> str:
    here = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((here / n).read_bytes() for n in _CODE)).hexdigest()


def _table_arrays(name: str, block: Block) -> dict[str, np.ndarray]:
    features = sorted(block.table, key=lambda f: block.table[f][0])
    return {
        f"{name}_features": np.array(features, dtype=str),
        f"{name}_idf": np.array([block.table[f][1] for f in features], dtype=np.float64),
    }


def _table(name: str, data: np.lib.npyio.NpzFile, offset: int) -> Block:
    features, idf = data[f"{name}_features"], data[f"{name}_idf"]
    if features.shape != idf.shape:
        raise ValueError("cached classifier is damaged")
    return Block(
        {str(f): (offset + i, float(w)) for i, (f, w) in enumerate(zip(features, idf, strict=True))}
    )


def _prune(folder: Path) -> None:
    prune(folder, "classifier-*.npz", CACHE_KEEP)


def _join(*parts: tuple[list[int], list[float]]) -> tuple[np.ndarray, np.ndarray]:
    cols = np.asarray([c for p in parts for c in p[0]], dtype=np.int64)
    vals = np.asarray([v for p in parts for v in p[1]], dtype=np.float32)
    return cols, vals


def _softmax_regression(
    rows: Sequence[tuple[np.ndarray, np.ndarray]],
    labels: np.ndarray,
    n_features: int,
    n_classes: int,
    seed: int,
    keys: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by mini-batch Adam on sparse rows, visiting the rows in
    the order of their `keys` mixed with the seed and epoch (an added row leaves the others'
    order as it was). Only the weight rows a batch touches are updated ("lazy" Adam), which keeps
    an epoch to a fraction of a
    second; a few epochs fit the examples as well as a full solver does."""
    weights = np.zeros((n_features, n_classes), dtype=np.float32)
    bias = np.zeros(n_classes, dtype=np.float32)
    moments = [np.zeros_like(weights), np.zeros_like(weights)]
    bias_moments = [np.zeros_like(bias), np.zeros_like(bias)]
    step = 0
    for epoch in range(EPOCHS):
        order = visit_order(keys, seed, epoch)
        for start in range(0, len(rows), BATCH):
            batch = order[start : start + BATCH]
            step += 1
            cols = np.concatenate([rows[i][0] for i in batch])
            vals = np.concatenate([rows[i][1] for i in batch])
            lengths = np.array([len(rows[i][0]) for i in batch])
            owner = np.repeat(np.arange(len(batch)), lengths)
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            z = np.add.reduceat(vals[:, None] * weights[cols], starts, axis=0) + bias
            z = np.exp(z - z.max(axis=1, keepdims=True))
            grad = z / z.sum(axis=1, keepdims=True)
            grad[np.arange(len(batch)), labels[batch]] -= 1.0
            grad /= len(batch)
            by_col = np.argsort(cols, kind="stable")
            sorted_cols = cols[by_col]
            first = np.flatnonzero(np.r_[True, sorted_cols[1:] != sorted_cols[:-1]])
            touched = sorted_cols[first]
            row_grad = np.add.reduceat((vals[:, None] * grad[owner])[by_col], first, axis=0)
            row_grad += L2 * weights[touched]
            correction = math.sqrt(1 - BETA2**step) / (1 - BETA1**step)
            weights[touched] -= _adam(moments, touched, row_grad, correction)
            bias -= _adam(bias_moments, slice(None), grad.sum(axis=0), correction)
    return weights, bias


def _adam(
    moments: list[np.ndarray], where: np.ndarray | slice, grad: np.ndarray, correction: float
) -> np.ndarray:
    first, second = moments
    first[where] = BETA1 * first[where] + (1 - BETA1) * grad
    second[where] = BETA2 * second[where] + (1 - BETA2) * grad * grad
    return LEARNING_RATE * correction * first[where] / (np.sqrt(second[where]) + 1e-8)


def visit_order(keys: np.ndarray, seed: int, epoch: int) -> np.ndarray:
    """The order an epoch visits the rows with these keys in: a row added or removed leaves the
    others in the same order relative to each other."""
    return np.argsort(_mix(keys ^ _mix(np.uint64(seed * 1000 + epoch + 1))), kind="stable")


def row_keys(texts: Sequence[str]) -> np.ndarray:
    """A 64-bit key per training row, from its own text alone (not its entry's number, which
    an added or reordered topic would change for every later one)."""
    return np.array(
        [
            int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            for t in texts
        ],
        dtype=np.uint64,
    )


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: keys to well-spread 64-bit numbers."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=np.uint64)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))
