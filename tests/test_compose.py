"""Composition: the answer first, the member's score placed only when it matters, each sentence
once, at most two related points, the source once; strong scores get no low-score advice."""

import re

import pytest

from bot.compose import Draft, compose, key, sentences, split_related
from tests.conftest import make_profile


def said_twice(reply: str) -> list[str]:
    seen, twice = set(), []
    for line in reply.splitlines():
        for sentence in sentences(line):
            k = key(sentence)
            if len(k.split()) >= 5 and k in seen:
                twice.append(sentence)
            seen.add(k)
    return twice


def test_no_sentence_appears_twice_in_any_reply(advisor):
    for topic in advisor.knowledge.topics:
        for question in (topic.title, f"ck 221 {topic.title}", f"i got 252. {topic.title}?"):
            reply = advisor.ask(question).reply
            assert said_twice(reply) == [], (question, reply)


def test_a_point_repeated_after_a_connective_is_said_once(advisor):
    reply = advisor.ask(
        "I failed Step 2 CK twice before passing. How should I think about my chances?"
    ).reply
    assert reply.count("brutally realistic about target programs") == 1, reply


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("will pds interview me with meh score but great lors", "For low Step score applicants"),
        ("how do i split my list into reach match and safety", "Consider dividing your list"),
        ("how to use the eras experiences section", "Use the experiences section"),
    ],
)
def test_the_reply_opens_with_the_point_that_answers_the_question(advisor, question, opening):
    assert advisor.ask(question).reply.startswith(opening)


@pytest.mark.parametrize(
    "question",
    [
        "what should my lors highlight",  # "These letters should highlight…" needs the line before
        "when will my step 2 score be released",  # "The guide doesn't give other dates…"
        "should i rush to meet the deadline with my nbme below target",  # "…this deadline…"
    ],
)
def test_a_point_that_leans_on_the_one_before_never_leads(advisor, question):
    first = advisor.ask(question).reply.splitlines()[0].lower()
    leaning = ("these", "this", "in that case", "however", "the guide doesn", "- ")
    assert not first.startswith(leaning) and "this deadline" not in first, first


def test_a_strong_score_does_not_get_the_low_score_usce_and_letters_advice(advisor):
    for question in ("ck 248, how much usce do i need", "ck 248, what should my letters say"):
        assert "With a low score" not in advisor.ask(question).reply, question
    assert "With a low score" in advisor.ask("ck 221, how much usce do i need").reply


@pytest.mark.parametrize(
    "question",
    [
        "ck 248 but i failed step 1. what should my letters say?",
        "failed ck once then got 248 on the retake. what should my letters say",
        "ck 248 after a step 1 fail. how much usce do i need?",
    ],
)
def test_a_strong_score_with_a_failure_gets_the_failure_advice(advisor, question):
    """The guide's low-score advice is for "lower than ~225, or you have a failure"."""
    reply = advisor.ask(question).reply
    assert "With a low score or a failure, rebuild credibility" in reply, reply


@pytest.mark.parametrize(
    "question, topic, opening",
    [
        ("ck 248 but i failed step 1, what should my letters say", "letters", "Aim for"),
        ("ck 248 after a step 1 fail, how much usce do i need", "usce", "Aim for **hands-on USCE"),
    ],
)
def test_background_and_question_in_one_sentence_answer_the_question(
    advisor, question, topic, opening
):
    """The closing question chooses the topic and the lead point, not the failure told first."""
    answer = advisor.ask(question)
    assert answer.entry == topic and answer.reply.startswith(opening), answer.reply


def test_a_failure_brings_back_only_the_guides_failure_advice_not_its_low_score_advice(advisor):
    """Only the guide's section B says "lower than ~225, or you have a failure"; its lines for
    "low Step score applicants" or "weaker scores" stay scoped to scores."""
    letters = advisor.ask("ck 250 but i failed step 1. what should my letters say?").reply
    assert "rebuild credibility" in letters and "For low Step score applicants" not in letters
    research = advisor.ask("failed step 1 once, ck 250. should i do research?").reply
    assert "weaker scores" not in research, research


def test_a_failure_in_the_profile_counts_like_one_in_the_question(advisor):
    failed = make_profile(step2ck_score=248, step1_result="pass", step1_attempts=2)
    assert "rebuild credibility" in advisor.ask("what should my letters say", failed).reply
    clean = make_profile(step2ck_score=248)
    assert "rebuild credibility" not in advisor.ask("what should my letters say", clean).reply


def test_a_score_bands_points_stay_under_it(advisor):
    reply = advisor.ask("ck 240, do i need a stronger overall application to stand out?").reply
    assert reply.index("235–244") < reply.index("Need stronger overall application")


def test_a_rescue_range_score_is_placed_once(advisor):
    reply = advisor.ask("can i match prelim with 212 on ck").reply
    assert reply.count("rescue mission") == 1 and reply.count("212") == 1, reply


def test_a_part_that_only_repeats_the_first_is_empty():
    first = "Apply very broadly.\n- Focus on community programs in less competitive areas."
    bodies = compose([Draft(first), Draft(first, extra=True)]).bodies
    assert bodies[0] and bodies[1] == ""


def test_a_second_parts_budget_counts_only_what_it_adds():
    """The second part's opening repeats the first part, so it is left out: its word budget is
    spent on the point after it, not on the repeat."""
    band = (
        "A Step 2 CK of 212 is in the < 215 or multiple failures band. Match in prelim IM is "
        "still possible, but this becomes a rescue mission, not a routine strategy."
    )
    advice = "- You must maximize every other part of your profile and be brutally realistic."
    bodies = compose([Draft(f"Own the story.\n{band}"), Draft(f"{band}\n{advice}", extra=True)])
    assert bodies.bodies[1] == advice


def test_a_doubled_related_label_is_shown_once():
    core, related = split_related("Apply broadly.\n- Related: Related (FAQ 1): many have matched.")
    assert core == ["Apply broadly."] and related == ["many have matched."]


def test_a_related_label_never_swallows_words_of_the_point():
    core, related = split_related(
        "- Related pitfall: studying only from notes.\n- Related (FAQ 3): delay."
    )
    assert core == ["- Related pitfall: studying only from notes."] and related == ["delay."]


def test_a_long_post_needs_more_in_common_with_a_related_point():
    """A 60-word post shares a word or two with almost anything: the point related to its two
    words of background is left out, though a short question sharing them gets it."""
    body = "Email programs politely.\n- Related: with a lower score you might receive fewer interviews."

    def relevance(line: str) -> float:
        return 2.0 if "interviews" in line else 0.0

    short = compose([Draft(body)], relevance=relevance, asked_words=12).bodies[0]
    long = compose([Draft(body)], relevance=relevance, asked_words=60).bodies[0]
    assert "Related: with a lower score" in short
    assert long == "Email programs politely."


def test_at_most_two_related_points_and_one_source(advisor):
    for topic in advisor.knowledge.topics:
        reply = advisor.ask(topic.title).reply
        assert reply.count("Related:") <= 2, topic.id
        assert len(re.findall(r"^Source: guide › ", reply, flags=re.M)) == 1, topic.id


@pytest.mark.parametrize(
    "question",
    [
        "with 236 should i still do research before applying?",
        "I got 231. What should my personal statement say about why I chose prelim?",
        "ck 224, how should i prepare for interview questions about my score?",
    ],
)
def test_a_score_given_as_context_does_not_open_the_reply(advisor, question):
    first_line = advisor.ask(question).reply.splitlines()[0]
    assert not first_line.startswith(("With your", "A Step 2 CK of", "**How broadly"))


@pytest.mark.parametrize(
    "question",
    [
        "ck 241, 2016 grad. what are my chances with an old YOG?",
        "I have 238 and only 1 US letter, do i have a shot?",
    ],
)
def test_a_question_about_chances_opens_with_where_the_score_stands(advisor, question):
    answer = advisor.ask(question)
    assert answer.entry not in ("score-check", "score-targets")  # the band is not the topic
    assert answer.reply.startswith("With your 2"), answer.reply


@pytest.mark.parametrize(
    ("question", "band"),
    [
        ("ck 221 what are my chances", "215–224"),
        ("how many programs should i apply to with 221", "215–224"),
        ("i have 247 but only average research, can the score cover for that?", "245–250"),
    ],
)
def test_the_score_is_placed_when_the_question_is_about_standing(advisor, question, band):
    assert band in advisor.ask(question).reply


@pytest.mark.parametrize(
    ("question", "placed"),
    [
        (
            "ck 219, can a strong prelim year help me get categorical later",
            "With your 219 (215–224): Low Step score match is still possible, but you must be "
            "highly strategic.",
        ),
        (
            "ck 228, prelim only or categorical too",
            "With your 228 (225–234): Borderline but still workable",
        ),
    ],
)
def test_advice_for_low_scores_places_a_lower_score_in_one_short_line(advisor, question, placed):
    reply = advisor.ask(question).reply
    assert placed in reply, reply
    assert reply.index(placed) > 0  # the answer comes first; the score is why it is for them
    assert "Apply very broadly" not in reply, reply  # the band's first point, not all of them


@pytest.mark.parametrize(
    "question",
    [
        "ck 252, can a strong prelim year help me get categorical later",
        "nbme 210 so far, can a strong prelim year get me categorical later",  # a practice score
        "my step 1 was 212 before p/f, how do i explain it in my personal statement",
    ],
)
def test_advice_for_low_scores_places_only_a_lower_step_2_ck_score(advisor, question):
    reply = advisor.ask(question).reply
    assert "With your" not in reply and "rescue mission" not in reply, reply


def test_a_strong_score_never_gets_low_score_advice(advisor):
    answer = advisor.ask("ck 252 can i get into university programs")
    assert "120–150" not in answer.reply and "**Community programs**" not in answer.reply
    assert "written for lower scores" in answer.reply  # and it says the guide gives none for 252
    for topic in advisor.knowledge.topics:
        if "fail" in topic.title.lower():
            continue  # "multiple failures" in the question puts anyone in the rescue range
        for question in (f"ck 252 {topic.title}", f"i got 248 on step 2. {topic.title}?"):
            reply = advisor.ask(question).reply
            assert "120–150" not in reply, (question, reply)
            assert "**Community programs**" not in reply, (question, reply)
            assert "Community hospitals" not in reply, (question, reply)


@pytest.mark.parametrize(
    ("question", "not_covered"),
    [
        ("can i start residency with only step 1 passed", "which exams must be passed"),
        ("do programs filter by number of publications", "filter on publications"),
        ("how do programs rank applicants", "rank lists"),
        ("how does the scramble work", "SOAP"),
        ("how does a sponsor help with my visa", "visa"),
    ],
)
def test_near_topic_questions_the_guide_does_not_answer_are_refused_honestly(
    advisor, question, not_covered
):
    answer = advisor.ask(question)
    assert answer.kind == "refusal" and "doesn’t" in answer.reply and not_covered in answer.reply


def test_a_post_most_like_an_uncovered_question_is_not_answered_from_one_of_its_sentences(
    advisor,
):
    # Read whole, it is about visa law (not covered); its last sentence alone reads like
    # "what is a prelim year", which used to answer it.
    post = (
        "As an attorney, which visa would you recommend an IMG to seek and what are the main "
        "differences? I am referring to those applying to residency."
    )
    assert advisor.ask(post).kind == "refusal"


@pytest.mark.parametrize(
    "question, shown",
    [
        ("how many letters do i need", False),
        ("do letters from my home country count", True),
        ("how many months of usce do i need", True),
    ],
)
def test_what_the_guide_doesnt_say_is_said_only_when_asked(advisor, question, shown):
    reply = advisor.ask(question).reply
    assert ("The guide doesn’t" in reply) == shown, reply


def test_the_application_volume_answer_gives_the_program_count_once(advisor):
    reply = advisor.ask("how many programs should i apply to with a 226").reply
    assert reply.count("120–150+") == 1 and reply.count("reach") <= 1


@pytest.mark.parametrize(
    "question",
    [
        "i failed ck once, passed 2nd time with 232. chances?",
        "ck 240, i failed step 1 once. rescue mission?",
    ],
)
def test_one_failure_and_a_higher_score_is_not_the_rescue_range(advisor, question):
    reply = advisor.ask(question).reply
    assert "rescue mission" not in reply and "brutally realistic" not in reply, reply
    assert "not in the guide’s **< 215 or multiple failures** range" in reply, reply


def test_a_point_said_again_in_other_words_is_said_once():
    body = (
        "- In the personal statement: put your Step score story in context (briefly, without "
        "excuses), and emphasize growth, resilience, and maturity.\n"
        "- Related: in your personal statement, put your Step 1 story in context (briefly, "
        "without excuses)."
    )
    reply = compose([Draft(body)], relevance=lambda line: 3.0).bodies[0]
    assert reply.count("story in context") == 1, reply


def test_a_negated_point_is_never_taken_for_a_repeat():
    body = (
        "- Programs will see your Step 2 CK score on the application.\n"
        "- Programs will not see your Step 2 CK score on the application."
    )
    reply = compose([Draft(body)]).bodies[0]
    assert "will not see" in reply and "will see" in reply, reply


def test_a_volume_answer_places_the_score_once(advisor):
    reply = advisor.ask("ck 219 failed step1 once, yog 2018, j1. how many programs?").reply
    assert reply.count("219") == 1, reply
    assert "120–150+" in reply


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Should I mention in my PS that programs take a risk sponsoring me?",
            "An example phrase for your personal statement",
        ),
        (
            "still recovering from step 1 fail shud i hurry ck",
            "If you are recovering from a Step 1 failure",
        ),
        (
            "shud i say in PS that i get prelim is service heavy",
            "Emphasize that you understand the service-heavy",
        ),
    ],
)
def test_a_related_point_that_answers_the_question_leads(advisor, question, opening):
    reply = advisor.ask(question).reply
    assert reply.startswith(opening), reply
    assert reply.count(opening) == 1, reply


def test_a_related_point_only_as_close_as_the_answer_does_not_lead(advisor):
    reply = advisor.ask("what shud my lor writers mention abt me").reply
    assert reply.startswith("Aim for **at least 2–3 strong letters"), reply


def test_a_topic_picked_from_the_list_is_composed_like_an_asked_one(advisor):
    answer = advisor.topic_answer("application-volume", make_profile(step2ck_score=219))
    assert answer.reply.count("219") == 1 and "120–150+" in answer.reply, answer.reply
    assert said_twice(answer.reply) == []
    for topic in advisor.knowledge.topics:
        reply = advisor.topic_answer(topic.id).reply
        assert "Related: Related" not in reply and "- Related" not in reply, (topic.id, reply)
        assert said_twice(reply) == [], (topic.id, reply)
    assert advisor.topic_answer("no-such-topic") is None


@pytest.mark.parametrize(
    "post",
    [
        "What is the diff. b/t a prelim surg spot and a categorical one? Do you get much OR exp. "
        "in a prelim spot? If you do prelim, can you then match to a gen surg?",
        "surgery prelim how many programs shd i apply",
        "I guess this is a general question about doing a prelim surgery year at a big "
        "institution. Im going into a residency after my PGY1, but how hard is the year?",
    ],
)
def test_a_post_about_a_surgery_prelim_year_is_refused_as_another_specialty(advisor, post):
    answer = advisor.ask(post)
    assert answer.kind == "refusal" and "other specialties" in answer.reply, answer.reply


@pytest.mark.parametrize(
    "post",
    [
        "whats the difference between designated and non-designated prelim",
        "Is a non designated prelim IM spot a dead end compared to a designated one? ck 238",
    ],
)
def test_a_post_about_designated_prelim_positions_says_the_guide_does_not_cover_them(advisor, post):
    answer = advisor.ask(post)
    assert answer.kind == "refusal" and "designated or non-designated" in answer.reply
    assert "switching internally into categorical IM (if positions open)" in answer.reply


def test_reapplying_to_the_same_program_is_not_read_as_switching_internally(advisor):
    answer = advisor.ask("can i reapply to the same program after going unmatched?")
    assert answer.entry != "prelim-to-categorical", answer.reply


@pytest.mark.parametrize(
    "question",
    [
        "I did a prelim surgery rotation but want prelim IM: do I need IM letters?",
        "can a strong prelim year help me match general surgery later?",
        "is a LOR from a general surgery attending ok for prelim year?",
        "i have usce in general surgery only, is that enough for prelim?",
        "gap of 3 yrs bc i was doing general surgery residency in india, will PDs see it as a red flag",
        "i didn't match general surgery last year, now applying prelim. how many programs?",
    ],
)
def test_a_post_naming_surgery_as_background_is_answered_as_usual(advisor, question):
    answer = advisor.ask(question)
    assert answer.matched, answer.reply


@pytest.mark.parametrize(
    "question", ["252 on ck do i still need research", "ck 241, is research needed for prelim?"]
)
def test_a_strong_score_asking_about_research_gets_no_weaker_score_advice(advisor, question):
    reply = advisor.ask(question).reply
    assert "weaker scores" not in reply and "research is generally less important" in reply, reply


def test_an_unknown_score_asking_about_research_gets_the_weaker_score_points(advisor):
    assert "even modest research can" in advisor.ask("does research matter for prelim im").reply


def test_a_strong_score_is_told_the_interview_advice_is_written_for_lower_scores(advisor):
    strong = advisor.ask("ck 252 what interview questions should i prepare for").reply
    assert strong.startswith("The guide writes its interview advice for a lower Step score"), strong
    assert "“Why preliminary medicine?”" in strong
    low = advisor.ask("ck 219 what interview questions should i prepare for").reply
    assert low.startswith("With a lower Step score, you might receive fewer interviews"), low


@pytest.mark.parametrize(
    "question",
    [
        "i matched prelim!! wat do attendings want from a prelim intern day to day",
        "If I write to programs directly, what should I talk about in the message?",
        "It's late November and I have zero interviews. What should I do?",
    ],
)
def test_a_related_point_that_only_shares_words_does_not_lead(advisor, question):
    first = advisor.ask(question).reply.splitlines()[0]
    assert not first.startswith(("Letters of recommendation from US attendings", "“While my")), (
        first
    )
    assert "fewer interviews" not in first, first


def test_a_point_a_later_part_says_in_full_is_not_led_with(advisor):
    reply = advisor.ask("is it ok to mention my step 1 fail in PS?").reply
    assert reply.count("story in context") == 1, reply


@pytest.mark.parametrize(
    "question",
    [
        "can prelim convert to categorical in same hospital",
        "after my prelim year can i convert to a categorical spot",
    ],
)
def test_a_question_about_staying_on_leads_with_switching_internally(advisor, question):
    reply = advisor.ask(question).reply
    assert reply.startswith(
        "A strong prelim year gives a better chance of: switching internally"
    ), reply


def test_a_rescue_range_member_asking_about_targets_hears_brutally_realistic_once(advisor):
    reply = advisor.ask("ck 208 what programs should i target").reply
    assert reply.count("brutally realistic about target programs") == 1, reply


def test_a_related_point_that_a_later_part_gives_item_by_item_is_left_out(advisor):
    reply = advisor.ask("should i email programs").reply
    assert reply.count("consider targeted, polite emails") == 1, reply


@pytest.mark.parametrize(
    "question", ["failed ck once, then 240. what should i do", "failed ck once then 240 what now"]
)
def test_a_ck_failure_gets_the_guides_failure_advice_and_no_step_1_answer(advisor, question):
    reply = advisor.ask(question).reply
    assert "With a failure, the guide says: do not panic and retake impulsively" in reply, reply
    assert "Step 1" not in reply, reply


def test_a_step_1_failure_still_gets_the_step_1_answer(advisor):
    answer = advisor.ask("i failed step 1, now ck 240, what now")
    assert answer.entry == "step1-failure", answer.reply
