"""Matching by meaning: the embeddings install with the project, are read offline, bring a
member's own words to the right topic, and the bot still answers from words alone without them."""

import dataclasses
import socket

import numpy as np
import pytest

from bot import semantic
from bot.semantic import Embedder


def test_the_embeddings_come_with_the_package_and_load_without_the_network(monkeypatch):
    def no_network(*_args, **_kwargs):
        raise AssertionError("the embeddings tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    model = Embedder.from_package()
    assert model is not None
    vectors = model.embed(["how many programs should I apply to", ""])
    assert vectors.shape == (2, semantic.DIM)
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-3)
    assert not vectors[1].any()  # an empty text means nothing, not an error


def test_a_paraphrase_is_closer_than_an_unrelated_question():
    model = semantic.embedder()
    asked, paraphrase, other = model.embed(
        [
            "how many programs should I apply to",
            "what number of residencies should I send applications to",
            "how do I write my personal statement",
        ]
    )
    assert asked @ paraphrase > asked @ other + 0.1


@pytest.mark.parametrize(
    "question, entry",
    [
        (
            "do american doctors' recommendation letters weigh more than ones from back home",
            "letters",
        ),
        ("what is the stipend for a first year resident", "pay-hours"),  # out of scope: refused
    ],
)
def test_meaning_alone_finds_the_entry_a_question_shares_few_words_with(advisor, question, entry):
    ids = [t.id for t in advisor.knowledge.topics] + [o.id for o in advisor.knowledge.out_of_scope]
    assert ids[int(np.argmax(advisor.index.meaning(question)))] == entry


def test_meaning_brings_a_members_own_words_to_the_topic(advisor):
    words_only = dataclasses.replace(
        advisor, index=dataclasses.replace(advisor.index, vectors=None)
    )
    question = "is prelim a way for imgs to get into the us system"
    assert words_only.ask(question).entry != "what-is-prelim"
    assert advisor.ask(question).entry == "what-is-prelim"


def test_without_the_embeddings_questions_are_still_answered_from_words(advisor, monkeypatch):
    words_only = dataclasses.replace(
        advisor, index=dataclasses.replace(advisor.index, vectors=None)
    )
    assert words_only.index.meaning("how many programs should i apply to") is None
    assert words_only.ask("how many programs should i apply to with a 221").entry == (
        "application-volume"
    )
    monkeypatch.setattr(semantic, "_package_folder", lambda: None)
    semantic.embedder.cache_clear()
    try:
        assert semantic.embedder() is None
    finally:
        semantic.embedder.cache_clear()


def test_a_short_vague_sentence_is_matched_by_its_words_alone(advisor):
    # "chances for prelim?" means a little of everything: with one failure and a 241 in the
    # same post, the answer is about the failure, never the multiple-failures rescue advice.
    answer = advisor.ask("failed step 1 once, step 2 ck 241 first attempt. chances for prelim?")
    assert answer.entry == "step1-failure"
    assert "more than one failed attempt" not in answer.reply


def test_a_broken_embeddings_file_means_words_alone_not_a_stopped_bot(tmp_path, monkeypatch):
    (tmp_path / "tokenizers").mkdir()
    (tmp_path / "weights").mkdir()
    (tmp_path / "tokenizers" / f"{semantic.MODEL}_tokenizer_config.json").write_text("{broken")
    (tmp_path / "weights" / f"{semantic.MODEL}_{semantic.DIM}.safetensors").write_bytes(b"\0" * 16)
    monkeypatch.setattr(semantic, "_package_folder", lambda: tmp_path)
    assert Embedder.from_package() is None


def test_the_knowledge_check_reads_every_examples_meaning_as_a_question_would(advisor):
    examples = [q for t in advisor.knowledge.topics for q in t.examples]
    examples += [q for o in advisor.knowledge.out_of_scope for q in o.examples]
    at_once = advisor.index.examples_meaning()
    assert at_once.shape == (len(examples), len(advisor.knowledge.topics) + len(advisor.knowledge.out_of_scope))
    for row in range(0, len(examples), 150):
        assert np.allclose(at_once[row], advisor.index.meaning(examples[row]), atol=1e-5)
