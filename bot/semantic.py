"""Meaning, not only shared words: static word embeddings that tell the matcher that "how many
residencies should I send applications to" is close to "how many programs should I apply to".

The vectors are WordLlama's `l2_supercat` token embeddings (256 numbers per token, distilled
from a large language model), which the `wordllama` package ships inside its wheel: installing the
project installs them, and nothing is ever downloaded. A text's vector is the mean of its tokens'
vectors, normalised; two texts are as close as the cosine of their vectors. Embedding a question
costs about 0.05 ms.

The files are read here directly rather than through `wordllama.WordLlama.load()`: that loader
looks for its tokenizer in a folder the wheel doesn't have and then tries the network, and
importing `wordllama` configures the root logger. What is read is only the two data files the
wheel installs (a tokenizer definition and a safetensors array); nothing in them runs code.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MODEL = "l2_supercat"
DIM = 256
MAX_TOKENS = 256  # a question longer than this is embedded from its first tokens


class Embedder:
    """Texts to unit vectors: the mean of their tokens' vectors."""

    def __init__(self, tokenizer, table: np.ndarray):
        self.tokenizer = tokenizer
        self.table = table  # float16 (vocabulary, DIM): rows are widened only when used

    @classmethod
    def from_package(cls) -> Embedder | None:
        """The embedder from the installed `wordllama` wheel's files, or None when the package
        (or one of its files) is missing or unreadable: matching then works from words alone."""
        folder = _package_folder()
        if folder is None:
            return None
        tokenizer_file = folder / "tokenizers" / f"{MODEL}_tokenizer_config.json"
        weights_file = folder / "weights" / f"{MODEL}_{DIM}.safetensors"
        if not (tokenizer_file.is_file() and weights_file.is_file()):
            return None
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(tokenizer_file))
            # Set once, before any use: encoding never changes the tokenizer afterwards, so
            # threads may share it (the Rust tokenizer encodes through a shared reference).
            tokenizer.no_padding()
            tokenizer.enable_truncation(MAX_TOKENS)
            table = load_file(str(weights_file))["embedding.weight"]
        except Exception as exc:  # a broken install must not stop the bot: words alone
            log.warning(
                "word embeddings unreadable (%s): matching by words alone", type(exc).__name__
            )
            return None
        if table.ndim != 2 or table.shape[1] != DIM:
            log.warning("word embeddings have shape %s, not (n, %d): words alone", table.shape, DIM)
            return None
        return cls(tokenizer, table)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIM) float32 unit vectors; a text with no tokens gets zeros."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for i, enc in enumerate(encoded):
            ids = np.clip(np.asarray(enc.ids, dtype=np.int64), 0, len(self.table) - 1)
            if len(ids) == 0:
                continue
            vector = self.table[ids].astype(np.float32).mean(axis=0)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[i] = vector / norm
        return out


def _package_folder() -> Path | None:
    """Where `wordllama` is installed, found without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def embedder() -> Embedder | None:
    """The process's one embedder, read on first use (about 0.1 s)."""
    return Embedder.from_package()
