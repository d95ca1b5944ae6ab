"""The learned classifier: it routes everyday paraphrases, is reproducible, and its cache only
ever saves time (a missing, damaged or unwritable cache gives the same answers)."""

import dataclasses
import os

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
    words_only = dataclasses.replace(advisor.index, learned=None, vectors=None)
    lexical = dataclasses.replace(advisor, index=words_only)
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
    first = Classifier.train(tokens, texts, [0, 1, 0, 1], 2)
    second = Classifier.train(tokens, texts, [0, 1, 0, 1], 2)
    assert np.array_equal(first.weights, second.weights)
    assert first.probabilities(["retake"], "retake")[0] > 0.5


def test_fingerprint_changes_with_any_example():
    assert fingerprint([["is 232 enough"]]) == fingerprint([["is 232 enough"]])
    assert fingerprint([["is 232 enough"]]) != fingerprint([["is 233 enough"]])


def test_a_second_load_uses_the_cache_and_answers_the_same(tmp_path, monkeypatch, no_snapshot):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    first = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 1

    def no_training(*_args, **_kwargs):
        raise AssertionError("trained again although the cache holds this model")

    monkeypatch.setattr(Classifier, "train", no_training)
    second = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    question = "what counts as a safe bet program"
    assert second.ask(question).reply == first.ask(question).reply


@pytest.mark.parametrize("damage", [b"not a model", b"", "truncated"])
def test_a_damaged_cache_is_retrained_not_an_error(tmp_path, monkeypatch, damage, no_snapshot):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    question = "what counts as a safe bet program"
    expected = Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask(question).reply
    (cached,) = tmp_path.glob("classifier-*.npz")
    whole = cached.read_bytes()
    cached.write_bytes(whole[: len(whole) // 2] if damage == "truncated" else damage)
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask(question).reply == expected
    assert cached.read_bytes() == whole  # replaced by a good one


def test_no_cache_or_an_unwritable_one_still_answers(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", "")
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("is a 232 enough for prelim?").matched
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(blocked))
    assert Advisor.load(DEFAULT_KNOWLEDGE_DIR).ask("is a 232 enough for prelim?").matched


def test_big_knowledge_is_served_by_the_lexical_matcher_alone(monkeypatch, no_snapshot):
    monkeypatch.setattr(matching, "LEARNED_MAX_ENTRIES", 10)
    big = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    assert big.index.learned is None
    assert big.ask("hw many progs shud i apply 2 wit 221").entry == "application-volume"


def test_cache_keeps_the_most_recently_used_models(tmp_path):
    for n in range(learned.CACHE_KEEP + 3):
        model = tmp_path / f"classifier-{n:02d}.npz"
        model.write_bytes(b"x")
        os.utime(model, (1_000_000 + n, 1_000_000 + n))
    learned._prune(tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("classifier-*.npz"))
    assert kept == [f"classifier-{n:02d}.npz" for n in range(3, learned.CACHE_KEEP + 3)]


def test_fingerprint_follows_the_feature_code(monkeypatch):
    before = fingerprint([["is 232 enough"]])
    monkeypatch.setattr(learned, "_code_digest", lambda: "other tokeniser")
    assert fingerprint([["is 232 enough"]]) != before


def test_too_few_entries_get_no_classifier(advisor):
    """With a handful of entries a softmax would call any question likely for one of them."""
    docs = [["how many programs should i apply to"], ["is a 232 enough"]]
    index = matching.Index.build(docs, [[], []], advisor.knowledge.synonyms)
    assert index.learned is None
    assert matching.Index.build([], [], {}).search("anything at all") == []


def test_kb_search_scores_match_what_ask_answers(advisor):
    """/kb search passes the raw question; the classifier must read it as /ask does."""
    question = "Can A Great Intern Year Make PDs Forget My Weak Score"
    assert advisor.search(question)[0].topic == advisor.search(question.lower())[0].topic


def test_an_added_example_leaves_the_others_training_order_alone():
    """A moderator adding one example must not reshuffle every other one: with a shuffle of the
    whole list, three added examples moved ~20 answers of 4,000; in hash order, a handful."""
    texts = [f"0:question number {n}" for n in range(300)]
    before = learned.row_keys(texts)
    after = learned.row_keys([*texts, "3:a new way to ask"])
    for seed, epoch in ((0, 0), (4, 2)):
        old = list(learned.visit_order(before, seed, epoch))
        new = [i for i in learned.visit_order(after, seed, epoch) if i < len(texts)]
        assert new == old
    assert list(learned.visit_order(before, 0, 0)) != list(learned.visit_order(before, 0, 1))
    assert list(learned.visit_order(before, 0, 0)) != list(learned.visit_order(before, 1, 0))
