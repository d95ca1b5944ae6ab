"""The learned classifier: it routes everyday paraphrases, is reproducible, and its cache only
ever saves time (a missing, damaged or unwritable cache gives the same answers)."""

import dataclasses

import numpy as np
import pytest

from bot import learned, matching
from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from bot.learned import Classifier, char_features, fingerprint, word_features


@pytest.mark.parametrize(
    "question, entry",
    [
        ("what counts as a safe bet program", "program-list"),
        ("can a great intern year make PDs forget my weak score", "prelim-to-categorical"),
        ("do the people who pick residents care where i studied", "pds-see"),
        ("which hands-on work in an american hospital counts", "usce"),
    ],
)
def test_everyday_wording_reaches_the_topic_that_answers_it(advisor, question, entry):
    assert advisor.ask(question).entry == entry


def test_the_classifier_changes_answers_only_by_blending_with_the_lexical_score(advisor):
    lexical = dataclasses.replace(advisor, index=dataclasses.replace(advisor.index, learned=None))
    assert lexical.ask("what counts as a safe bet program").entry != "program-list"
    assert lexical.ask("hw many progs shud i apply 2 wit 221").entry == "application-volume"


def test_features_cover_words_pairs_and_spelling():
    assert word_features(["retake", "impulsively"]) == [
        "retake",
        "impulsively",
        "retake_impulsively",
    ]
    grams = char_features("ck? programmes")
    assert " ck" in grams and "ck? " in grams and "gram" in grams


def test_training_is_reproducible():
    tokens = [["retake", "score"], ["visa", "sponsor"], ["retake", "again"], ["visa", "j1"]]
    texts = ["retake score", "visa sponsor", "retake again", "visa j1"]
    first = Classifier.train(tokens, texts, [0, 1, 0, 1])
    second = Classifier.train(tokens, texts, [0, 1, 0, 1])
    assert np.array_equal(first.weights, second.weights)
    assert first.probabilities(["retake"], "retake")[0] > 0.5


def test_fingerprint_changes_with_any_example():
    assert fingerprint([["is 232 enough"]]) == fingerprint([["is 232 enough"]])
    assert fingerprint([["is 232 enough"]]) != fingerprint([["is 233 enough"]])


def test_a_second_load_uses_the_cache_and_answers_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    first = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 1

    def no_training(*_args, **_kwargs):
        raise AssertionError("trained again although the cache holds this model")

    monkeypatch.setattr(Classifier, "train", no_training)
    second = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    question = "what counts as a safe bet program"
    assert second.ask(question).reply == first.ask(question).reply


def test_a_damaged_cache_is_retrained_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    expected = Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("what counts as a safe bet program").reply
    (cached,) = tmp_path.glob("classifier-*.npz")
    cached.write_bytes(b"not a model")
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("what counts as a safe bet program").reply == (
        expected
    )
    assert cached.stat().st_size > 1000  # rewritten whole


def test_no_cache_or_an_unwritable_one_still_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", "")
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("is a 232 enough for prelim?").matched
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocked))
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("is a 232 enough for prelim?").matched


def test_big_knowledge_is_served_by_the_lexical_matcher_alone(monkeypatch):
    monkeypatch.setattr(matching, "LEARNED_MAX_ENTRIES", 10)
    big = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    assert big.index.learned is None
    assert big.ask("hw many progs shud i apply 2 wit 221").entry == "application-volume"


def test_cache_keeps_only_the_newest_models(tmp_path):
    for n in range(learned.CACHE_KEEP + 3):
        (tmp_path / f"classifier-{n:02d}.npz").write_bytes(b"x")
    learned._prune(tmp_path)
    assert len(list(tmp_path.glob("classifier-*.npz"))) == learned.CACHE_KEEP
