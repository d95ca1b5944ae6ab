"""Reading a post as a person would: what is asked, what the member tells about themselves,
scores in words, small talk."""

import pytest

from bot.reading import last_clause, read_post, spell_scores
from bot.session import Interviews


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("my ck is two thirty, good?", 230),
        ("got two-thirty-one on ck", 231),
        ("ck 230ish, chances?", 230),
        ("my nbmes are in the low 220s", 222),
        ("ck in the mid 230s", 235),
        ("two hundred and forty five on step 2", 245),
    ],
)
def test_scores_in_words_and_ranges_are_read(text, score):
    assert read_post(text).facts.score == score


@pytest.mark.parametrize(
    ("question", "said", "band", "invented"),
    [
        ("i got low 220s on ck, how many programs should i apply to", "low 220s", "215–224", "222"),
        ("ck 230ish, is that good?", "230ish", "225–234", "230 "),
        ("nbme in the high 240s, am i ready?", "high 240s", "≥ 245–250", "248"),
    ],
)
def test_a_score_given_as_a_range_is_shown_in_the_members_words(
    advisor, question, said, band, invented
):
    reply = advisor.ask(question).reply
    assert f"{said} ({band})" in reply or f"**{said}**" in reply
    assert invented not in reply  # never a number the member didn't give


@pytest.mark.parametrize(
    ("question", "lower", "upper"),
    [
        ("my ck is mid 230s, chances?", "225–234", "235–244"),
        ("mid 240s on step 2, is that enough?", "235–244", "≥ 245–250"),
        ("ck mid 230s, how many programs should i apply to", "225–234", "235–244"),
        ("got 225ish, should i retake", "215–224", "225–234"),
    ],
)
def test_a_range_across_two_bands_names_both_and_picks_neither(advisor, question, lower, upper):
    """"mid 230s" may be 233 or 237: the guide's ranges meet at 235, so the reply must not
    place the member in one of them."""
    reply = advisor.ask(question).reply
    assert "either side of" in reply and lower in reply and upper in reply
    assert "Your exact score decides" in reply or "your exact score decides" in reply
    assert " is in the **" not in reply and "With your" not in reply


def test_words_that_are_not_scores_stay_words():
    assert spell_scores("two months of usce and one letter") == "two months of usce and one letter"


def test_a_score_in_words_is_answered_with_its_range(advisor):
    answer = advisor.ask("my ck is two thirty, good?")
    assert answer.matched and "225–234" in answer.reply


@pytest.mark.parametrize(
    ("text", "kind"),
    [("hi", "greeting"), ("thanks!!", "thanks"), ("ok thanks", "thanks"), ("ok", "ok"),
     ("hello there, what can you do?", "greeting"), ("bye", "bye")],
)  # fmt: skip
def test_small_talk_gets_one_friendly_line_not_a_refusal(advisor, text, kind):
    assert read_post(text).smalltalk == kind
    answer = advisor.ask(text)
    assert answer.kind == "smalltalk" and not answer.matched
    assert "\n" not in answer.reply and "can’t answer" not in answer.reply
    assert "I can help with" not in answer.reply  # no list of eight topics
    if kind == "greeting":
        assert "Ask me about your USMLE score strategy" in answer.reply  # says what it can do


def test_a_greeting_before_a_question_is_not_small_talk(advisor):
    answer = advisor.ask("hi, is a 232 enough for prelim?")
    assert answer.kind == "answer" and answer.entry == "score-check"


async def test_small_talk_is_not_recorded_as_unanswered(advisor, store):
    interviews = Interviews(store)
    await interviews.ask(advisor, "m1", "thanks!!", "console")
    await interviews.ask(advisor, "m1", "best pizza in chicago", "console")
    unanswered = await store.unanswered(None)
    assert [u["question"] for u in unanswered] == ["best pizza in chicago"]


def test_background_facts_personalise_but_do_not_choose_the_topic(advisor):
    post = (
        "Hi all, 2019 grad from Pakistan, CK 224, J-1. I did two observerships… "
        "do observerships count the same as hands-on rotations?"
    )
    answer = advisor.ask(post)
    assert answer.entry == "usce"
    assert answer.reply.startswith("Aim for **hands-on USCE")  # the answer first, not the band


def test_a_score_mentioned_in_passing_does_not_open_the_reply(advisor):
    answer = advisor.ask(
        "I got 231. What should my personal statement say about why I chose prelim?"
    )
    assert answer.entry == "personal-statement"
    assert "225–234" not in answer.reply.splitlines()[0]


def test_a_post_with_two_questions_gets_both_in_the_order_asked(advisor):
    answer = advisor.ask("how many letters do i need? and does research matter for prelim?")
    assert [p.entry for p in answer.parts] == ["letters", "research"]
    assert answer.reply.index("2–3 strong letters") < answer.reply.index("research is generally")


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        (
            "does ck even matter if you pass??? i heard (from seniors!?) it doesnt. why?",
            ("does ck even matter if you pass???", "why?"),
        ),
        ("is 230 ok?or should i retake", ("is 230 ok?", "or should i retake")),
    ],
)
def test_runs_of_question_marks_are_one_question_not_several(text, asks):
    assert read_post(text).asks == asks


def test_the_exam_named_only_by_context_is_step_2_ck(advisor):
    post = read_post("my nbme is 228 shud i take exam now or wait")
    assert post.facts.score == 228 and post.facts.score_kind == "practice"
    answer = advisor.ask("my nbme is 228 shud i take exam now or wait")
    assert answer.entry == "ck-timing" and "Step 1 like it still has a score" not in answer.reply


def test_never_failed_is_background_not_a_failure(advisor):
    post = read_post("never failed, passed both steps first try, 240 enough?")
    assert "fail" not in post.text and not post.facts.multiple_failures


@pytest.mark.parametrize(
    "question",
    [
        "is it true that with ck < 225 a prelim match is basically impossible?",
        "222 ck what shud i do to match prelim",
        "is the goal to beat every other applicant?",
    ],
)
def test_a_reply_never_opens_with_a_bare_yes_the_question_may_not_want(advisor, question):
    # The question may lean either way ("is it impossible?"): the first sentence says the fact.
    assert not advisor.ask(question).reply.startswith("Yes"), question


@pytest.mark.parametrize(
    "sentence, clause",
    [
        ("ck 248 but i failed step 1, what should my letters say", "what should my letters say"),
        ("ck 230, j1 - how many programs should i apply to", "how many programs should i apply to"),
        ("2019 grad, ck 224, j-1, do observerships count", "do observerships count"),
        ("what should i do, any advice", None),  # a question from its start
        ("with 236 should i still do research before applying?",
         "should i still do research before applying?"),  # no break: where the question starts
        ("i got 231, what", None),  # too short to say what is asked
        ("ck 248 but i failed step 1 what should my letters say", "what should my letters say"),
        ("ck 248 but i failed step 1, what should my letters say, pls help", "what should my letters say"),
    ],
)
def test_a_sentences_closing_question_is_found(sentence, clause):
    assert last_clause(sentence) == clause


@pytest.mark.parametrize(
    "post, asks",
    [
        ("is it ok to delay ck? my nbme is 220. Thoughts?", ("is it ok to delay ck?",)),
        ("ck 231, j1. should i do research? any advice please", ("should i do research?",)),
        ("what do you think? should i retake", ("should i retake",)),
        ("ck 230. any advice?", ("any advice?",)),  # the only question: kept, read with the post
        ("should i delay ck? what are your thoughts?", ("should i delay ck?",)),
        ("is 3 months usce enough? anyone?", ("is 3 months usce enough?",)),
        # a question of its own that starts like one: both answered
        ("ck 240. should i do research? any advice on letters?", ("should i do research?", "any advice on letters?")),
        ("should i retake? thoughts on delaying my application?", ("should i retake?", "thoughts on delaying my application?")),
    ],
)
def test_a_closing_thoughts_or_any_advice_is_not_a_question_of_its_own(post, asks):
    assert read_post(post).asks == asks
