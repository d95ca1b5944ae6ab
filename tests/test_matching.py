"""Answer quality on user-style questions: the right facts, or an honest refusal."""

import re
from pathlib import Path

import pytest
import yaml

from bot import matching
from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor, QuestionError
from bot.bench import has_facts
from bot.matching import Hit, near_tie, read_question
from bot.profile import parse_profile
from tests.conftest import make_profile, twin_topics

BANK = yaml.safe_load((Path(__file__).parent / "data" / "questions.yaml").read_text())


def facts_ok(answer, facts) -> bool:
    return answer.matched and has_facts(answer.reply, facts)


def test_question_bank_is_big_enough():
    assert len(BANK["on_topic"]) >= 80 and len(BANK["off_topic"]) >= 25


DATA = Path(__file__).parent / "data"
BANKS = {
    path.relative_to(DATA).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in [
        DATA / "questions.yaml",
        *sorted(DATA.glob("tuning/*.yaml")),
        *sorted(DATA.glob("independent/*.yaml")),
    ]
}


def bank_misses(advisor, bank) -> tuple[list[str], list[str]]:
    misses = []
    for item in bank["on_topic"]:
        profile = parse_profile(item["profile"]) if item.get("profile") else None
        answer = advisor.ask(item["q"], profile)
        if not facts_ok(answer, item["facts"]):
            misses.append(f"{item['q']!r} -> {answer.entry} missing {item['facts']}")
    leaks = [f"{q!r} -> {a.entry}" for q in bank["off_topic"] if (a := advisor.ask(q)).matched]
    return misses, leaks


@pytest.mark.parametrize("name", BANKS)
def test_each_question_bank_gets_right_facts_or_refusals(advisor, name):
    """Every bank, including those written apart from the knowledge: at least 90% each way."""
    bank = BANKS[name]
    misses, leaks = bank_misses(advisor, bank)
    assert 1 - len(misses) / len(bank["on_topic"]) >= 0.90, "\n".join(misses)
    assert 1 - len(leaks) / len(bank["off_topic"]) >= 0.90, "\n".join(leaks)


def test_all_banks_together_reach_95_percent(advisor):
    on = off = on_total = off_total = 0
    for bank in BANKS.values():
        misses, leaks = bank_misses(advisor, bank)
        on_total, off_total = on_total + len(bank["on_topic"]), off_total + len(bank["off_topic"])
        on, off = (
            on + len(bank["on_topic"]) - len(misses),
            off + len(bank["off_topic"]) - len(leaks),
        )
    assert on / on_total >= 0.95 and off / off_total >= 0.95, (on, on_total, off, off_total)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        ("hw many progs shud i apply 2 wit 221", ["215–224", "120–150+"]),
        ("is a 232 enough for prelim?", ["225–234", "borderline"]),
        ("I got 219", ["215–224", "apply very broadly", "120–150+"]),
        ("when shud i take ck", ["mid-August"]),
        ("wat uworld % do i need", ["65–75%"]),
        ("how many LORs do i need", ["2–3"]),
        ("should i delay my ck to get a better score", ["slightly later"]),
    ],
)
def test_issue_examples(advisor, question, facts):
    answer = advisor.ask(question)
    assert facts_ok(answer, facts), answer.reply


@pytest.mark.parametrize(
    "question",
    [
        "metformin dose for a new diabetic",
        "best pizza in chicago",
        "who won the world cup",
        "asdkjh qwe zxc",
        "🙂🙂🙂",
        "how do I center a div in css",
        "write me a poem about spring",
    ],
)
def test_refusal_says_so_and_offers_what_it_can_do(advisor, question):
    answer = advisor.ask(question)
    assert not answer.matched and answer.entry is None
    assert any(word in answer.reply for word in ("can’t answer", "doesn’t", "don’t answer"))
    assert "I only know USMLE score strategy" in answer.reply  # and what it can help with
    assert answer.kind == "refusal"


def test_near_miss_is_refused_with_what_the_guide_does_not_cover(advisor):
    answer = advisor.ask("what is the usmle step 1 passing score")
    assert not answer.matched and "passing scores" in answer.reply


def test_stored_profile_personalises_the_answer(advisor):
    generic = advisor.ask("how many programs should i apply to")
    mine = advisor.ask("how many programs should i apply to", make_profile(step2ck_score=219))
    assert "219" in mine.reply and "120–150" in mine.reply
    assert "219" not in generic.reply


def test_score_in_question_beats_profile_score(advisor):
    answer = advisor.ask("is a 246 enough?", make_profile(step2ck_score=219))
    assert "≥ 245" in answer.reply


@pytest.mark.parametrize("question", ["", "   ", "\u200b"])
def test_blank_question_is_an_error(advisor, question):
    if question.strip():
        assert not advisor.ask(question).matched
    else:
        with pytest.raises(QuestionError):
            advisor.ask(question)


@pytest.mark.parametrize(
    ("text", "score", "kind"),
    [
        ("is a 232 enough", 232, "ck"),
        ("nbme 221 shud i delay", 221, "practice"),
        ("apply to 150 programs with 228?", 228, "ck"),
        ("uworld 68% enough?", None, "ck"),
        ("graduated 2015 ck 240", 240, "ck"),
        ("my uwsa2 was 238", 238, "practice"),
        ("hi", None, "ck"),
    ],
)
def test_score_extraction(text, score, kind):
    facts = read_question(text)
    assert facts.score == score and (score is None or facts.score_kind == kind)


@pytest.mark.parametrize(
    "question",
    [
        "failed ck twice then passed with 236, chances for prelim?",
        "Failed step 1 once and step 2 ck once, now I have a 226 pass. chances?",
    ],
)
def test_repeated_failures_in_the_question_use_the_last_band(advisor, question):
    assert "rescue mission" in advisor.ask(question).reply


@pytest.mark.parametrize(
    "question, band",
    [
        ("failed step 1 once, step 2 ck 241 first attempt. chances for prelim?", "235–244"),
        ("failed step 1 once & step 2 ck is 236", "235–244"),
        ("failed s1 once n ck 245", "≥ 245–250"),
    ],
)
def test_one_failure_beside_a_score_is_not_repeated_failures(advisor, question, band):
    reply = advisor.ask(question).reply
    assert f"**{band}** band" in reply and "more than one failed attempt" not in reply


@pytest.mark.parametrize(
    "text",
    [
        "ck below 225, do i have any chance at all",
        "is under 215 a rescue mission",
        "<225 ck chances",
        "between 225 and 234 what does it mean",
        "do i need at least 235",
    ],
)
def test_thresholds_are_not_the_members_score(text):
    assert read_question(text).score is None


def test_background_first_question_last_is_still_answered(advisor):
    question = (
        "i am from pakistan, graduated 2018, did 2 observerships. my nbme scores are around 225. "
        "kindly advise whether i should postpone my exam"
    )
    answer = advisor.ask(question)
    assert answer.matched and answer.entry == "ck-delay"
    assert "235" in answer.reply  # the practice score in the background still personalises it


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        (
            "is research needed for prelim im? my cousin in chicago keeps telling me different "
            "stories every week",
            "research",
        ),
        (
            "how many letters do i need? my brother is a surgeon back home and wants to write one",
            "letters",
        ),
    ],
)
def test_question_first_and_a_remark_after_is_still_answered(advisor, question, entry):
    assert advisor.ask(question).entry == entry


def test_equal_scores_rank_in_file_order_whatever_the_hash_seed():
    """Sums over sets run in hash order; a tie must not be decided by it."""
    from bot.matching import Index

    same = ["when should i take step 2 ck", "best time for ck exam"]
    index = Index.build([same, same, ["how many letters"]], [[], [], []], {})
    hits = index.search("when should i take ck")
    assert [h.topic for h in hits[:2]] == [0, 1] and hits[0].score == hits[1].score


def test_a_question_that_fits_two_topics_equally_gets_both_answers(advisor):
    twins = twin_topics(advisor, "step1-failure", "own-the-story")
    answer = twins.ask("should i hide my 221 and my failed attempt from programs")
    assert answer.entry == "step1-failure" and answer.also.entry == "own-the-story"
    title = advisor.knowledge.topic("own-the-story").title
    assert f"**Also relevant: {title}**\n{answer.also.body}" in answer.reply
    assert answer.reply.count("215–224") <= 1  # the score is placed once, if at all
    sources = re.findall(r"^Source: guide › .+$", answer.reply, flags=re.M)
    assert len(sources) == 1 and " · " in sources[0]  # one source line naming both sections
    assert set(answer.to_json()) == {"matched", "reply", "entry", "score"}  # the CLI contract


def test_no_second_answer_from_the_same_section(advisor):
    topics = advisor.knowledge.topics
    a, b = next((t, u) for t in topics for u in topics if t is not u and t.section == u.section)
    assert twin_topics(advisor, a.id, b.id).ask("should i hide my failed attempt from programs").also is None


@pytest.mark.parametrize(
    ("scores", "second"),
    [
        ([0.60, 0.57], True),  # exactly 95% of the best
        ([0.60, 0.5699], False),
        ([0.42, 0.41], True),
        ([0.41, 0.39], False),  # a near tie between two weak matches is no reason to say more
        ([0.60], False),
    ],
)
def test_near_tie_needs_a_close_and_confident_runner_up(scores, second):
    hits = [Hit(topic, score) for topic, score in enumerate(scores)]
    assert (near_tie(hits, n_topics=5) is not None) is second


def test_an_out_of_scope_runner_up_is_never_a_second_answer():
    assert near_tie([Hit(0, 0.6), Hit(7, 0.6)], n_topics=5) is None


def test_a_clear_winner_gets_one_answer(advisor):
    answer = advisor.ask("hw many progs shud i apply 2 wit 221")
    assert answer.entry == "application-volume" and answer.also is None
    assert "Also relevant" not in answer.reply


BIG_QUESTIONS = [
    "who is prelim IM for?",
    "hw many progs shud i apply 2 wit 221",
    "is a 232 enough for prelim?",
    "i worked full time n took care of family while studying, shud i mention it",
]


@pytest.mark.parametrize("max_candidates", [3, 40, 150, 700])
def test_big_knowledge_search_answers_like_the_full_scan(
    advisor, monkeypatch, max_candidates, no_snapshot
):
    """Above FULL_SCAN_UNDER examples only the most promising candidates are scored; forced on
    the shipped knowledge, that path must answer typical questions as the full scan does (and
    never fail, however few candidates it keeps)."""
    monkeypatch.setattr(matching, "FULL_SCAN_UNDER", 0)
    monkeypatch.setattr(matching, "CANDIDATE_FLOOR", 10)
    monkeypatch.setattr(matching, "MAX_CANDIDATES", max_candidates)
    big = Advisor.load(DEFAULT_KNOWLEDGE_DIR)
    assert big.index.shortest and big.index.posting_arrays
    bank = yaml.safe_load((DATA / "questions.yaml").read_text())
    for item in bank["on_topic"]:
        big.ask(item["q"])
    answers = [big.ask(q) for q in BIG_QUESTIONS]
    if max_candidates == 700:
        assert [a.entry for a in answers] == [advisor.ask(q).entry for q in BIG_QUESTIONS]


def test_a_stored_score_does_not_repeat_how_broadly_to_apply(advisor):
    """The band's advice is added to an answer only when the answer doesn't already carry it."""
    profile = make_profile(step2ck_score=221)
    reply = advisor.ask("hw many progs shud i apply 2", profile).reply
    assert reply.count("How broadly to apply (215–224)") == 1


@pytest.mark.parametrize(
    "text, failed",
    [
        ("failed ck once but got 240 on retake, what now", True),
        ("my step 1 fail, does it matter with ck 250?", True),
        ("didnt pass step 1 first time", True),
        ("failed to pass step 1 the first time", True),
        ("i had a failure on step 1, then 238", True),
        ("flunked my step2ck", True),
        ("failed ck twice", True),
        ("step 1 failed once, ck 229", True),
        ("i failed 2ck", True),
        ("i am an img who failed step1", True),
        ("how many apps do i need i failed ck", True),
        ("ck 240 with a step 1 fail", True),
        ("i never failed anything, ck 240", False),
        ("how bad is a step 1 fail", False),  # spoken of in general
        ("ck 232, is the risk of a ck failure too high to retake", False),
        ("failed step 2 cs", False),
        ("what if i fail ck?", False),
        ("what if i failed step 1, would programs care", False),
        ("i failed to match last year, ck 240", False),
        ("ck 245, failed the match last year", False),
        ("ck 250, failed my first nbme but fine now", False),
        ("my friend failed step 1 but i passed first try", False),
        ("almost failed step 1", False),
        ("failed step 3, ck 240", False),
        ("failed my interview at one program", False),
        ("what is the step 1 failure rate", False),
    ],
)
def test_a_failure_the_asker_tells_of_is_read(text, failed):
    assert read_question(text).failed is failed


@pytest.mark.parametrize(
    "text, exams",
    [
        ("failed ck once, then 240", {"ck"}),
        ("i failed step 1 then ck 240", {"step1"}),
        ("i failed 2ck", {"ck"}),
        ("failed usmle once", set()),  # which exam, not said
    ],
)
def test_which_exam_the_member_failed_is_read(text, exams):
    assert read_question(text).failed_exams == exams


@pytest.mark.parametrize(
    "text, asked, named",
    [
        ("wat nbme shud i hit b4 s1", {"step1"}, {"step1"}),
        ("step 1 prep tips", {"step1"}, {"step1"}),
        ("passed step 1, what resources should i use next", set(), {"step1"}),  # a result
        ("ck 231 after a step 1 pass", set(), {"step1", "ck"}),
        ("what uworld percent before step 1 and 2", {"step1", "ck"}, {"step1", "ck"}),
        ("step 2 cs prep", set(), set()),  # not Step 2 CK
        ("what is the next step i should take", set(), set()),  # "step i" here is not an exam
        ("the first step one should take", set(), set()),
    ],
)
def test_which_exams_a_question_asks_about_and_names_are_read(text, asked, named):
    facts = read_question(text)
    assert (facts.exams, facts.named) == (asked, named)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("my step 1 was 212 before p/f, how do i explain it", None),
        ("step 1 230 and ck 245", 245),
        ("passed step 1 and got 245 on ck", 245),
    ],
)
def test_an_old_step_1_score_is_not_read_as_step_2_ck(text, score):
    assert read_question(text).score == score


@pytest.mark.parametrize(
    "question, topic",
    [
        ("wat nbme score shud i get before sitting s1", "step1-prep"),
        ("what nbme level should i hit before sitting step 1?", "step1-prep"),
        ("what nbme score should i get before sitting ck", "ck-practice-targets"),
        # Step 1 told as a result: the question is about the next exam
        ("got my s1 pass, how many uworld passes", "ck-resources"),
        ("passed s1, what study mistakes do imgs make", "ck-pitfalls"),
        ("i passed step 1, should i delay my exam to score higher", "ck-delay"),
        ("just passed step 1, should i retake to raise my score", "ck-retake"),
        # both named: Step 1 is what the plan is about
        (
            "Step 1 is P/F now so I will study just enough to pass and save my energy for CK. ok?",
            "step1-prep",
        ),
    ],
)
def test_a_topic_about_one_exam_does_not_answer_a_question_about_the_other(
    advisor, question, topic
):
    assert advisor.ask(question).entry == topic


@pytest.mark.parametrize(
    ("question", "failure_topic"),
    [
        ("Sir, I got 211 and I have been working as a GP in my country for three years. "
         "What must I do if I still want to try?", False),
        ("what if i fail step 1", True),
        ("passed step 1 on the second attempt, how bad", True),
        ("how do pds see a step 1 fail", True),
    ],
)  # fmt: skip
def test_the_step_1_failure_topic_answers_only_a_post_that_speaks_of_failing(
    advisor, question, failure_topic
):
    """A member who never spoke of failing is not told "Pass after a failed attempt…"."""
    assert (advisor.ask(question).entry == "step1-failure") is failure_topic


@pytest.mark.parametrize(
    ("plural", "singular"),
    [("residencies", "residency"), ("specialties", "specialty"), ("countries", "country"),
     ("cities", "city"), ("studies", "study"), ("tried", "try"), ("scores", "score")],
)  # fmt: skip
def test_plurals_are_read_as_their_singular(advisor, plural, singular):
    """ "residencies" was an unknown word (weighing like the rarest one) beside "residency"."""
    tokens = advisor.index.normaliser.tokens
    assert tokens(plural) == tokens(singular)


def test_a_typo_corrected_to_a_filler_word_is_dropped(advisor):
    """ "advised" was corrected to "advise", a filler ("kindly advise"), and kept as a content
    word that no topic has."""
    assert advisor.index.normaliser.tokens("Would it be advised to apply to IM prelim") == [
        "apply",
        "prelim",
    ]


@pytest.mark.parametrize(
    "question", ["ck 242, s1 pass first attempt, what next", "passed step 1 on my first try, ck 230 next"]
)
def test_a_first_attempt_step_1_pass_is_not_answered_as_a_failure(advisor, question):
    """A clean record told in the post is never met with "Pass after a failed attempt…"."""
    reply = advisor.ask(question).reply
    assert "failed attempt" not in reply and "I failed Step 1" not in reply
