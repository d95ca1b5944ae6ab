"""The advising core: checked knowledge, its search index and compiled templates, as one object.

`Advisor.load` builds everything or raises `KnowledgeError`; nothing half-loaded ever serves.
The CLI, the console chat and the Discord cogs all call `ask` and `plan` on an Advisor.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateError

from bot.compose import Draft, compose
from bot.errors import PlanViewError, QuestionError
from bot.knowledge import (
    ANSWER_LIMIT,
    BandSpan,
    Knowledge,
    KnowledgeError,
    OutOfScope,
    Problem,
    Topic,
    load_knowledge,
)
from bot.learned import cache_dir
from bot.matching import (
    ALSO_CONFIDENCE,
    MIN_CONFIDENCE,
    OUT_OF_SCOPE_CONFIDENCE,
    OUT_OF_SCOPE_MARGIN,
    SUGGEST_CONFIDENCE,
    Hit,
    Index,
    QuestionFacts,
    near_tie,
)
from bot.planning import Plan, build_plan
from bot.profile import Profile, parse_profile
from bot.programs import Program, load_programs, program_list
from bot.reading import MAX_ASKS, ApproxScore, Post, last_clause, read_post
from bot.render import TEMPLATES_DIR, compile_template, render_file, tidy, typeset
from bot.snapshot import Snapshot, safe_folder
from bot.template_rules import ADVICE_NAMES, ANSWER_NAMES, UnsafeTemplateError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = ROOT / "knowledge"
MAX_QUESTION_CHARS = 4000
MAX_SENTENCES = 12  # a weak long post is searched sentence by sentence, up to this many
_PLAIN_WORDS = re.compile(r"[a-z0-9]+")  # how `names` phrases are matched: whole words
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")
MIN_PART_WORDS = 12  # a near-tied second answer with less than this left to say is left out
LONG_POST_WORDS = 40  # a post longer than this…
LONG_POST_CONFIDENCE = 0.33  # …is answered only with a topic scoring at least this
LINE_CACHE = 20_000  # answer lines whose words are kept between questions
BLEND_LIMIT = 8  # entries compared when a question sentence is read with its post
ASK_WEIGHT = 0.3  # the question sentence's share of that reading
ASKS_WEIGHT = 0.7  # each question's share when a post asks several
CLAUSE_CONFIDENCE = 0.7  # a sentence's closing question ("…, what should my letters say") is
CLAUSE_LEAD = 1.5  # read alone only when it scores this much, and this many times the sentence
# A question about standing, chances or volume: the member's score is placed in the reply.
STANDING = re.compile(
    r"\b(chances?|odds|competitive|enough|stand|where (do|does|would) (i|it|that)|"
    r"good score|bad score|low score|too low|(is|was) (it|that|this|my \w+) (good|bad|ok|okay|low|"
    r"decent|enough|fine|weak|strong)|how (good|bad)|realistic|possible|safe|how many|"
    r"apply to|am i|rate|range|band|match with|can i match|worth|make up|compensate|cover|"
    r"offset|focus|emphasi[sz]e|highlight|sell (myself|me)|strategy|approach|play this|"
    r"what now|most important|important (for|to) me|matters? most|what (should|must|can) i do|"
    r"what else|need more|on its own|alone|selective|aim (for|at)|target|choose|"
    r"change my plan|worry|carry me|hurt me|(do|will) i need|have a shot|"
    r"how (do|will|would) (programs|pds|they) (see|view|look)|see me|classify|expect)\b"
)

# A post that speaks of failing an exam at all, told or asked about ("what if i fail", "a red
# flag on my record", "2nd attempt"): only such a post can be about failing one exam.
SPEAKS_OF_FAILING = re.compile(
    r"\b(fail\w*|flunk\w*|did ?n[o']?t pass|not pass\w*|retak\w*|retook|re-?sit\w*|"
    r"attempts?|red flags?|unsuccessful|second time|2nd time|first time|1st time|"
    r"(second|2nd|third|3rd) (try|go)|again)\b"
)

# "s1 pass first attempt", "passed step 1 on my first try": Step 1 told as passed first time.
_S1 = r"(?:step\s*(?:1|one|i)|s1)"
_FIRST = r"(?:on\s+(?:the\s+|my\s+)?)?(?:first|1st)\s+(?:attempt|try|time|go)"
FIRST_TRY_PASS = re.compile(
    rf"\b{_S1}\s*(?:-|:)?\s*(?:pass(?:ed)?|cleared)\s*{_FIRST}"
    rf"|\b(?:pass(?:ed)?|cleared)\s+(?:my\s+|the\s+)?{_S1}\s*{_FIRST}"
)

# A question about the member's chances: where their score stands is the answer, so it comes first.
CHANCES = re.compile(
    r"\b(my (chances?|odds)|chances? (for|of) me|how competitive am i|am i competitive|"
    r"where (do|would) i stand|realistic for me|do i (still |even )?have a (shot|chance)|"
    r"can i (still )?match)\b"
)


@dataclass(frozen=True)
class Route:
    """Where one question goes: a topic ("topic", `topic` its number), an out-of-scope entry
    ("outside", `topic` its number among them) or nothing ("none")."""

    kind: str
    confidence: float
    topic: int = -1
    hits: tuple[Hit, ...] = ()
    # (sentence, its closing question) when the route was read from that question alone
    focus: tuple[str, str] | None = None


def knowledge_dir() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR)


@dataclass(frozen=True)
class Answer:
    """A reply. `kind` tells callers what it is: "answer" (from a topic), "refusal" (the guide
    doesn't cover it; worth a moderator's look) or "smalltalk" (a greeting or thanks, answered in
    one line; `matched` is False, but it is not an unanswered question). Further parts (a second
    question in the same post, or a topic the question fits just as well) follow in `also`, each
    headed by its `label` and title; the reply names its sources once, at the end."""

    matched: bool
    entry: str | None
    title: str | None
    score: float
    body: str
    section: str | None = None
    section_title: str | None = None
    section_short: str | None = None  # the section's brief name: what the reply's source line cites
    suggestions: tuple[str, ...] = ()
    also: Answer | None = None  # the next part: a second question, or a near-tied topic
    kind: str = "answer"  # "answer" | "refusal" | "smalltalk"
    label: str = "Also relevant"  # heading prefix when this part follows another

    @property
    def parts(self) -> list[Answer]:
        out, part = [], self
        while part is not None:
            out.append(part)
            part = part.also
        return out

    @property
    def reply(self) -> str:
        text = self.body
        sources: list[str] = []
        for n, part in enumerate(self.parts):
            if n:
                heading = f"{part.label}: {part.title}" if part.label else part.title
                text += f"\n\n**{heading}**\n{part.body}"
            cited = part.section_short or (part.section_title or "").rsplit(" › ", 1)[-1]
            if cited and cited not in sources:
                sources.append(cited)
        if sources:
            text += "\n\nSource: guide › " + " · ".join(sources)
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "reply": self.reply,
            "entry": self.entry,
            "score": round(self.score, 4),
        }


@dataclass
class Advisor:
    knowledge: Knowledge
    index: Index
    answers: Templates
    advice: Templates
    templates_dir: str = str(TEMPLATES_DIR)
    warnings: list[Problem] = field(default_factory=list)
    programs: tuple[Program, ...] = ()
    headlines: Templates | None = None  # rule id -> its "Your priorities" line
    line_tokens: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(
        cls,
        directory: str | Path | None = None,
        *,
        verify: bool = False,
        templates_dir: str | Path = TEMPLATES_DIR,
    ) -> Advisor:
        """Load knowledge from `directory`; with `verify`, also render every answer and plan point
        for sample profiles, so a template that breaks on real data is refused before it serves."""
        directory = Path(directory) if directory else knowledge_dir()
        tdir = str(templates_dir)
        # faststart: the same inputs (files, templates, code, libraries) give the same Advisor;
        # a snapshot of a checked one skips reading, validating, indexing and checking again.
        snap = Snapshot.of(directory, Path(tdir), cache_dir())
        cached = snap.load(verified=verify)
        if isinstance(cached, cls):
            cached.warnings = [p for p in cached.stale_entries() if p.warning] if verify else []
            return cached
        knowledge = load_knowledge(directory)
        answers = Templates(tdir, {t.id: t.answer for t in knowledge.topics}, ANSWER_NAMES)
        answers.sources.update({o.id: o.reply for o in knowledge.out_of_scope})
        advice = Templates(tdir, {r.id: r.advice for r in knowledge.rules}, ADVICE_NAMES)
        headlines = Templates(
            tdir, {r.id: r.headline for r in knowledge.rules if r.headline}, ADVICE_NAMES
        )
        if verify:
            problems = answers.compile_all(knowledge, "answer") + advice.compile_all(
                knowledge, "advice"
            )
            problems += headlines.compile_all(knowledge, "headline")
            if problems:
                raise KnowledgeError(problems)
        programs = load_programs(directory)
        advisor = cls(
            knowledge, _NO_INDEX, answers, advice, tdir, programs=programs, headlines=headlines
        )
        if verify:  # templates first: a broken or runaway one is refused before any training
            problems = advisor.verify_templates()
            if problems:
                raise KnowledgeError(problems + advisor.stale_entries())
        advisor.index = build_index(knowledge, safe_folder(cache_dir()))
        if verify:
            problems = advisor.collisions() + advisor.stale_entries()
            if [p for p in problems if not p.warning]:
                raise KnowledgeError(problems)
            advisor.warnings = [p for p in problems if p.warning]
        snap.save(advisor, verified=verify)  # faststart
        return advisor

    # -- answering -------------------------------------------------------------------------
    def ask(self, question: str, profile: Profile | None = None) -> Answer:
        """The reply to `question`: the post is read (what is asked; what the member tells about
        themselves), each question routed to its topic, and the reply composed once from the
        answers, personalised with the score in the post or else the member's `profile`; or a
        refusal that says what the bot can help with; or one line for small talk."""
        if not isinstance(question, str) or not question.strip():
            raise QuestionError(
                "question: must not be empty; type a question about your USMLE score strategy"
            )
        post = read_post(question[:MAX_QUESTION_CHARS])
        if post.smalltalk:
            return self.smalltalk(post.smalltalk)
        facts = post.facts
        context = self.answer_context(
            facts.score, facts.score_kind, facts.multiple_failures, profile, failed=facts.failed
        )
        routes = self.fitting(self.route(post), facts)
        first = routes[0]
        if first.kind != "topic":
            return self.refusal(first, context)
        topics = [r for r in routes if r.kind == "topic"]
        return self.compose_answer(topics, context, post)

    def topic_answer(self, topic_id: str, profile: Profile | None = None) -> Answer | None:
        """One topic's answer, picked from a list rather than asked: composed as a reply to a
        question about it would be (the member's score placed when the topic is about standing
        or volume, related points labelled, each point once); None if there is no such topic."""
        topic = self.knowledge.topic(topic_id)
        if topic is None:
            return None
        context = self.answer_context(None, "ck", False, profile)
        return self.compose_parts([self.render_answer(topic, 1.0, context)], [topic], context, None)

    def route(self, post: Post) -> list[Route]:
        """Each question of the post to a topic (in the order asked, each topic once), or the
        refusal for the whole post. A question sentence is read together with the rest of the
        post (its background often says what "this" is), weighted towards the question."""
        framed = self.framed(post.text)
        if framed is not None:
            return [Route("outside", 1.0, framed)]
        whole_hits = self.search(post.text, limit=BLEND_LIMIT)
        whole = self.decide(whole_hits[:3], post.text)
        if whole.kind == "outside":
            return [whole]  # a post the guide doesn't cover is refused as a whole
        if len(post.asks) == 1 and post.asks[0] == post.text:
            focused = self.focused(post.text, whole_hits)
            if focused is None:
                return [whole]
            hits, clause = focused
            r = self.decide(blend(hits, whole_hits, ASK_WEIGHT)[:3], post.text)
            return [replace(r, focus=(post.text, clause))]
        routed: list[Route] = []
        for ask in post.asks[:MAX_ASKS]:
            alone = self.index.search(ask, limit=BLEND_LIMIT)
            focused = self.focused(ask, alone)
            if focused is not None:
                alone = focused[0]
            if not alone or alone[0].score < MIN_CONFIDENCE:
                alone = []  # a question that says little alone ("is my dream dead?") is read whole
            weight = ASK_WEIGHT if len(post.asks) == 1 else ASKS_WEIGHT
            hits = blend(alone, whole_hits, weight) if alone else whole_hits
            r = self.decide(hits[:3], post.text)
            if focused is not None:
                r = replace(r, focus=(ask, focused[1]))
            if r.kind != "topic" or any(r.topic == o.topic for o in routed):
                continue
            if routed and r.confidence < ALSO_CONFIDENCE:
                continue
            routed.append(r)
        if not routed:
            return [whole]
        return routed

    def focused(self, ask: str, hits: list[Hit]) -> tuple[list[Hit], str] | None:
        """The hits of the question `ask` ends with, when background comes first in the same
        sentence and that question clearly names its own topic ("ck 248 but i failed step 1,
        what should my letters say" is about letters, not the failure): its best hit is a topic,
        confident, different from the sentence's and well ahead of it. Else None. Returns the
        clause's hits and the clause."""
        clause = last_clause(ask)
        if clause is None:
            return None
        own = self.index.search(clause, limit=BLEND_LIMIT)
        if not own or own[0].topic >= len(self.knowledge.topics):
            return None
        best = hits[0] if hits else None
        if own[0].score < CLAUSE_CONFIDENCE or (
            best is not None
            and (best.topic == own[0].topic or own[0].score < CLAUSE_LEAD * best.score)
        ):
            return None
        return own, clause

    def fits(self, topic: Topic, facts: QuestionFacts) -> bool:
        """Whether a topic about one exam (tagged `step1` or `step2ck`, not both) fits the post:
        not when the post asks about preparing for or sitting the other exam and doesn't name
        this one ("what nbme should i hit before s1" is not the Step 2 CK practice targets;
        "passed s1, is uworld enough" names Step 1 only as a result, so it still may be); and a
        topic about failing one exam (tagged `failure`)
        not when the post tells the member failed only the other ("failed ck once, then 240" is
        not the Step 1 failure topic)."""
        exam = {"step1": "step1", "step2ck": "ck"}
        about = {exam[t] for t in topic.tags if t in exam}
        if len(about) == 1 and len(facts.exams) == 1 and not about & (facts.exams | facts.named):
            return False
        if "failure" not in topic.tags or not about:
            return True
        if not SPEAKS_OF_FAILING.search(facts.text):
            return False  # "211, what must i do if i still want to try" is not about a failure
        if about == {"step1"} and FIRST_TRY_PASS.search(facts.text):
            return False  # "s1 pass first attempt, what next": a clean record, not a failure
        return not (facts.failed_exams and not about & facts.failed_exams)

    def fitting(self, routes: list[Route], facts: QuestionFacts) -> list[Route]:
        """`routes` with a topic that doesn't fit the member's own failures (see `fits`)
        replaced by its best fitting alternative among the same hits, or left out; unchanged when
        nothing else fits."""
        topics = self.knowledge.topics
        out: list[Route] = []
        for r in routes:
            if r.kind != "topic" or self.fits(topics[r.topic], facts):
                out.append(r)
                continue
            other = next(
                (
                    h
                    for h in r.hits
                    if h.topic < len(topics)
                    and h.topic != r.topic
                    and h.score >= MIN_CONFIDENCE
                    and self.fits(topics[h.topic], facts)
                    and all(h.topic != o.topic for o in out)
                ),
                None,
            )
            if other is not None:
                out.append(replace(r, topic=other.topic, confidence=min(other.score, 1.0)))
        return out or routes

    def framed(self, text: str) -> int | None:
        """The out-of-scope entry whose `names` the post names (and none of its `unless`), e.g.
        a post about a prelim surgery year: it is refused as a whole, however many words it
        shares with a topic."""
        words = f" {' '.join(_PLAIN_WORDS.findall(text.lower()))} "
        for i, entry in enumerate(self.knowledge.out_of_scope):
            if any(f" {p} " in words for p in entry.names) and not any(
                f" {p} " in words for p in entry.unless
            ):
                return i
        return None

    def decide(self, hits: list[Hit], text: str) -> Route:
        """A topic, an out-of-scope entry, or nothing, for one question's hits."""
        topics = self.knowledge.topics
        best = hits[0] if hits else None
        confidence = min(best.score, 1.0) if best else 0.0
        outside = next((h for h in hits if h.topic >= len(topics)), None)
        # Out of scope wins a near tie: a refusal is better than a wrong-topic answer.
        if (
            outside is not None
            and best is not None
            and outside.score >= max(MIN_CONFIDENCE, best.score - OUT_OF_SCOPE_MARGIN)
        ):
            if outside.score < OUT_OF_SCOPE_CONFIDENCE:
                return Route("none", confidence, hits=tuple(hits))
            return Route("outside", confidence, outside.topic - len(topics), tuple(hits))
        # A long post matches many topics a little: its best topic must stand out more.
        needed = LONG_POST_CONFIDENCE if len(text.split()) > LONG_POST_WORDS else MIN_CONFIDENCE
        if best is None or best.score < needed:
            return Route("none", confidence, hits=tuple(hits))
        return Route("topic", confidence, best.topic, tuple(hits))

    def refusal(self, route: Route, context: dict[str, Any]) -> Answer:
        """The honest "not covered" reply: a named out-of-scope entry's, or the general one with
        the close topics. A score in the question never turns a refusal into its band: the score
        says who is asking, not what."""
        topics = self.knowledge.topics
        if route.kind == "outside":
            return self.out_of_scope(
                self.knowledge.out_of_scope[route.topic], route.confidence, context
            )
        hits = route.hits
        suggestions = tuple(
            topics[h.topic].title
            for h in hits
            if h.topic < len(topics) and h.score >= SUGGEST_CONFIDENCE
        )
        return self.fallback(route.confidence, suggestions)

    def compose_answer(
        self, routes: list[Route], context: dict[str, Any], post: Post | None
    ) -> Answer:
        """The composed reply for the routed topics; a near-tied topic of a lone question is
        added as "Also relevant"."""
        topics = self.knowledge.topics
        chosen = [topics[r.topic] for r in routes]
        confidences = [r.confidence for r in routes]
        labels = [""] * len(chosen)
        if len(routes) == 1:
            runner_up = near_tie(list(routes[0].hits), len(topics))
            if runner_up is not None and post is not None:
                runner_up = runner_up if self.fits(topics[runner_up.topic], post.facts) else None
            if runner_up is not None and topics[runner_up.topic].section != chosen[0].section:
                chosen.append(topics[runner_up.topic])
                confidences.append(min(runner_up.score, 1.0))
                labels.append("Also relevant")
        drafts = [
            self.render_answer(t, c, context) for t, c in zip(chosen, confidences, strict=True)
        ]
        if post is not None:
            # The reply is shaped by what is asked: background told in a question's own sentence
            # ("ck 248 after a step 1 fail, how much usce do i need") doesn't pick its lead point.
            text = post.text
            for r in routes:
                if r.focus is not None:
                    text = text.replace(r.focus[0], r.focus[1])
            post = replace(post, text=text)
        return self.compose_parts(drafts, chosen, context, post, labels)

    def compose_parts(
        self,
        drafts: list[Answer],
        chosen: list[Topic],
        context: dict[str, Any],
        post: Post | None,
        labels: list[str] | None = None,
    ) -> Answer:
        labels = labels or [""] * len(drafts)
        asked = " ".join(post.asks) if post else None
        standing = self.standing_line(chosen[0], context, drafts[0].body, asked)
        composed = compose(
            [Draft(d.body, extra=i > 0) for i, d in enumerate(drafts)],
            standing,
            self.relevance(post.text) if post else None,
            standing_first=bool(post and post.asks and CHANCES.search(post.asks[0])),
            asked_words=len(post.text.split()) if post else 0,
        ).bodies
        parts = [
            replace(d, body=body, label=label)
            for d, body, label in zip(drafts, composed, labels, strict=True)
        ]
        # A near-tied second topic that only repeats the first is left out.
        near_tied = len(parts) > 1 and labels[1] == "Also relevant"
        if near_tied and len(parts[1].body.split()) < MIN_PART_WORDS:
            parts = parts[:1]
        parts = [p for i, p in enumerate(parts) if i == 0 or p.body.strip()]
        answer = parts[-1]
        for part in reversed(parts[:-1]):
            answer = replace(part, also=answer)
        return answer

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        """Hits for the whole question; when those are too weak to answer, the best single
        sentence's hits if they are better: members often write their background first and ask
        at the end, or ask first and add a remark ("my cousin keeps telling me otherwise").
        A post that, read whole, is most like something the guide doesn't cover is not rescued
        by one of its sentences ("I am referring to those applying to residency.")."""
        hits = self.index.search(text, limit=limit)
        if hits and hits[0].score >= MIN_CONFIDENCE:
            return hits
        if hits and hits[0].topic >= len(self.knowledge.topics):
            return hits  # read whole, it is most like a question the guide doesn't cover
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        if len(sentences) < 2:
            return hits
        for sentence in sentences[:MAX_SENTENCES]:
            alone = self.index.search(sentence, limit=limit)
            if alone and (not hits or alone[0].score > hits[0].score):
                hits = alone
        return hits

    def render_answer(self, topic: Topic, confidence: float, context: dict[str, Any]) -> Answer:
        """The topic's answer, rendered from its template (composition comes after)."""
        body = tidy(self.answers[topic.id].render(**context))
        section = self.knowledge.sections[topic.section]
        return Answer(
            True,
            topic.id,
            typeset(topic.title),
            confidence,
            body,
            section.id,
            typeset(section.title),
            section.short,
        )

    def standing_line(
        self, topic: Topic, context: dict[str, Any], body: str, asked: str | None
    ) -> str | None:
        """One line placing the member's own score, only when it matters: the topic is about
        standing or volume, or the question asks about chances (the band's whole meaning); or
        the topic is the guide's advice for low scores and a real Step 2 CK score (not a
        practice one) is in a lower band (its first point); and never when the answer already
        places it."""
        band, between = context["band"], context.get("between")
        asks_standing = topic.shows_band or topic.score_fallback or bool(
            asked and STANDING.search(asked)
        )
        if band is None and between is not None:
            if not asks_standing or between.said in body:
                return None
            line = render_file("partials/band_between.txt.j2", self.templates_dir, **context)
            return typeset(line.strip()) or None
        if band is None:
            return None
        if typeset(band.summary) in body or f"**{band.label}**" in body:
            return None
        if asks_standing:
            brief = False
        elif topic.band_when_lower and band.lower and context.get("score_kind") == "ck":
            brief = True  # the score is why the advice is for them: its band's first point will do
        else:
            return None
        line = render_file("partials/band_line.txt.j2", self.templates_dir, **context, brief=brief)
        return typeset(line.strip()) or None

    def relevance(self, asked: str) -> Callable[[str], float]:
        """How much a line shares the question's words (canonical, weighted by rarity)."""
        normaliser, weight, known = self.index.normaliser, self.index.weight, self.line_tokens
        wanted = {t for t in normaliser.tokens(asked) if t in self.index.idf}

        def score(line: str) -> float:
            tokens = known.get(line)
            if tokens is None:
                tokens = known[line] = frozenset(normaliser.tokens(line))
                if len(known) > LINE_CACHE:
                    known.clear()
            return sum(weight(t) for t in tokens & wanted)

        return score

    def smalltalk(self, kind: str) -> Answer:
        examples = [t.title for t in self.knowledge.featured(4)]
        body = render_file("smalltalk.txt.j2", self.templates_dir, kind=kind, examples=examples)
        return Answer(False, None, None, 1.0, body.strip(), kind="smalltalk")

    def out_of_scope(self, entry: OutOfScope, confidence: float, context: dict[str, Any]) -> Answer:
        body = tidy(self.answers[entry.id].render(**context))
        more = render_file(  # with a lead, the reply is that one line: no list
            "fallback.txt.j2", self.templates_dir, suggestions=(), examples=(), lead=body
        )
        return Answer(False, None, None, confidence, more, kind="refusal")

    def answer_context(
        self,
        score: int | None,
        kind: str,
        multiple_failures: bool,
        profile: Profile | None,
        *,
        failed: bool = False,
    ) -> dict[str, Any]:
        """What an answer template may read. `failed`: the question tells of a failed attempt
        (the guide's low-score advice is for a Step 2 CK lower than ~225, *or a failure*)."""
        source = "question" if score is not None else None
        failures = profile.total_failures if profile else 0
        if multiple_failures:
            failures = max(failures, 2)
        between = self.between_bands(score) if failures < 2 else None
        if between is not None:
            score = None  # "mid 230s": its exact band is the member's to tell, not ours to pick
        elif score is None and profile is not None and profile.step2ck_score is not None:
            score, kind, source = profile.step2ck_score, "ck", "profile"
        elif score is None and profile is not None and profile.total_failures >= 2:
            source = "profile"  # the band comes from their failures, with no score yet
        if kind == "practice":
            band = self.knowledge.band_for(score)
        else:
            band = self.knowledge.band_for(score, failures)
        by_failures = bool(
            band is not None
            and band.multiple_failures
            and (score is None or (band.max is not None and score > band.max))
        )
        return {
            "score": score,
            "by_failures": by_failures,  # the band comes from repeated failures, not the score
            "failures_in_question": multiple_failures,
            # any failed attempt, told in the question or in the profile
            "failed": failed or multiple_failures or failures >= 1,
            "score_source": source,
            "score_kind": kind,
            "band": band,
            "profile": profile,
            "bands": self.knowledge.bands,
            # a score given as a range across two bands ("mid 230s"), else None
            "between": between,
        }

    def between_bands(self, score: int | None) -> BandSpan | None:
        """For a score given as a range ("mid 230s": 233–237) that spans two of the guide's bands:
        what the member said and the two bands; None for any other score."""
        if not isinstance(score, ApproxScore):
            return None
        lower, upper = self.knowledge.band_for(score.low), self.knowledge.band_for(score.high)
        if lower is None or upper is None or lower is upper:
            return None
        return BandSpan(score.said, lower, upper)

    def fallback(self, score: float = 0.0, suggestions: tuple[str, ...] = ()) -> Answer:
        examples = [t.title for t in self.knowledge.featured()]
        body = render_file(
            "fallback.txt.j2",
            self.templates_dir,
            suggestions=suggestions,
            examples=examples,
            lead=None,
        )
        return Answer(False, None, None, score, body, suggestions=suggestions, kind="refusal")

    # -- planning --------------------------------------------------------------------------
    def plan(
        self,
        profile: Profile | dict,
        today: dt.date | None = None,
        states: frozenset[str] = frozenset(),
    ) -> Plan:
        """The member's plan; with a program list, also their reach / match / safety programs
        (optionally only in `states`)."""
        if not isinstance(profile, Profile):
            profile = parse_profile(profile)
        plan = build_plan(self.knowledge, self.advice, profile, today, self.headlines)
        if self.programs:
            plan = replace(plan, programs=program_list(self.programs, profile, states))
        return plan

    def render_plan(self, plan: Plan, profile: Profile, view: str = "full") -> str:
        """The plan as text: `full` (priorities, then every section), `priorities` (priorities
        and the list of sections), or one section by its id, number or title (see Plan.part);
        PlanViewError names the sections when `view` matches none."""
        if view == "full":
            return render_file("plan.txt.j2", self.templates_dir, plan=plan, profile=profile)
        if view == "priorities":
            return render_file(
                "plan_priorities.txt.j2", self.templates_dir, plan=plan, profile=profile
            )
        part = plan.part(view)
        if part is None:
            names = ", ".join(p.title for p in plan.parts)
            raise PlanViewError(f"section: no plan section '{view}'; your plan has: {names}")
        return render_file(
            "plan_section.txt.j2",
            self.templates_dir,
            part=part,
            number=plan.parts.index(part) + 1,
            plan=plan,
            profile=profile,
        )

    # -- checking --------------------------------------------------------------------------
    def stale_entries(
        self, today: dt.date | None = None, months: int | None = None
    ) -> list[Problem]:
        """Warnings (not errors) for entries not reviewed within `months` (default
        $KB_REVIEW_MONTHS or 12): Match rules, visa rules and score norms change every year."""
        months = months if months is not None else int(os.environ.get("KB_REVIEW_MONTHS") or 12)
        today = today or dt.date.today()
        cutoff = today.replace(day=1) - dt.timedelta(days=round(months * 30.44))
        k = self.knowledge
        entries = [("bands", e) for e in k.bands] + [("topics", e) for e in k.topics]
        entries += [("rules", e) for e in k.rules] + [("out_of_scope", e) for e in k.out_of_scope]
        out = []
        for kind, entry in entries:
            if entry.reviewed < cutoff:
                file = k.origin.get((kind, entry.id), ("?", None))[0]
                out.append(
                    Problem(
                        file,
                        k.line_of(kind, entry.id, "reviewed"),
                        entry.id,
                        "reviewed",
                        f"last reviewed {entry.reviewed}, more than {months} months ago; "
                        "check it against the current guide and update the date",
                        warning=True,
                    )
                )
        return out

    def collisions(self) -> list[Problem]:
        """Example questions that the matcher sends to a different entry than their own: two
        entries whose examples collide would answer each other's questions."""
        k = self.knowledge
        entries = [("topics", t.id, t.examples) for t in k.topics]
        entries += [("out_of_scope", o.id, o.examples) for o in k.out_of_scope]
        problems = []
        for t in k.topics:  # an example a framing phrase would refuse
            for i, example in enumerate(t.examples):
                framed = self.framed(example)
                if framed is not None:
                    problems.append(
                        Problem(
                            k.file_of("topics", t.id, "examples", i),
                            k.line_of("topics", t.id, "examples", i),
                            t.id,
                            f"examples[{i}]",
                            f"'{example}' is refused: it names one of out_of_scope "
                            f"'{k.out_of_scope[framed].id}' names; add a phrase to its unless, "
                            "or make the name more specific",
                        )
                    )
        meanings = self.index.examples_meaning()  # one row an example, in this same order
        row = 0
        for position, (kind, entry_id, examples) in enumerate(entries):
            for i, example in enumerate(examples):
                meaning = meanings[row] if meanings is not None else None
                row += 1
                hits = self.index.search(example, limit=1, meaning=meaning)
                if hits and hits[0].topic != position:
                    other = entries[hits[0].topic][1]
                    file = k.file_of(kind, entry_id, "examples", i)
                    problems.append(
                        Problem(
                            file,
                            k.line_of(kind, entry_id, "examples", i),
                            entry_id,
                            f"examples[{i}]",
                            f"'{example}' is answered by '{other}' instead; make it (or theirs) more specific",
                        )
                    )
        return problems

    def verify(self) -> list[Problem]:
        """Render every answer and plan point for sample questions and profiles, and check that
        every example question finds its own entry."""
        return self.verify_templates() + self.collisions()

    def verify_templates(self) -> list[Problem]:
        """Render every answer and plan point for sample questions and profiles (in the bounded
        sandbox of bot.render: a runaway template stops at a limit and is reported)."""
        from bot.samples import SAMPLE_PROFILES, SAMPLE_SCORES

        problems: list[Problem] = []
        profiles: list[Profile | None] = [None, *SAMPLE_PROFILES.values()]
        contexts = [self.answer_context(s, "ck", False, None) for s in SAMPLE_SCORES]
        contexts += [self.answer_context(None, "ck", False, p) for p in profiles]
        contexts.append(self.answer_context(221, "practice", False, None))
        contexts.append(self.answer_context(240, "ck", False, None, failed=True))
        entries = [("topics", t.id) for t in self.knowledge.topics]
        entries += [("out_of_scope", o.id) for o in self.knowledge.out_of_scope]
        for kind, entry_id in entries:
            where, line = self.knowledge.origin.get((kind, entry_id), ("?", None))
            fieldname = "answer" if kind == "topics" else "reply"
            line = self.knowledge.line_of(kind, entry_id, fieldname) or line
            for context in contexts:
                try:
                    text = tidy(self.answers[entry_id].render(**context))
                except RENDER_ERRORS as exc:
                    problems.append(
                        Problem(
                            where, line, entry_id, fieldname, f"template fails to render: {exc}"
                        )
                    )
                    break
                if len(text) > ANSWER_LIMIT:
                    message = f"renders to {len(text)} characters; Discord allows {ANSWER_LIMIT} in one embed"
                    problems.append(Problem(where, line, entry_id, fieldname, message))
                    break
        for name, profile in SAMPLE_PROFILES.items():
            advice = _Tracking(self.advice)
            try:
                plan = build_plan(self.knowledge, advice, profile, None, self.headlines)
                if self.programs:
                    plan = replace(plan, programs=program_list(self.programs, profile))
                for view in ("full", "priorities", *(part.id for part in plan.parts)):
                    self.render_plan(plan, profile, view)
            except RENDER_ERRORS as exc:
                rule = advice.last if advice.rendering else None
                file, line = self.knowledge.origin.get(("rules", rule or ""), ("rules", None))
                line = self.knowledge.line_of("rules", rule, "advice") if rule else line
                problems.append(
                    Problem(
                        file,
                        line,
                        rule,
                        "advice" if rule else None,
                        f"plan for sample profile '{name}' fails to render: {exc}",
                    )
                )
        return problems


def blend(ask: list[Hit], whole: list[Hit], weight: float) -> list[Hit]:
    """Hits for a question sentence read with its post: each entry's score is `weight` of the
    sentence's and the rest the whole post's."""
    scores: dict[int, float] = {}
    for h in whole:
        scores[h.topic] = (1 - weight) * h.score
    for h in ask:
        scores[h.topic] = scores.get(h.topic, 0.0) + weight * h.score
    hits = [Hit(t, round(v, 9)) for t, v in scores.items()]
    hits.sort(key=lambda h: (-h.score, h.topic))
    return hits


#: What rendering a moderator's template can raise; each becomes a located problem.
RENDER_ERRORS = (
    TemplateError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    LookupError,
    RecursionError,
)


class _Tracking(Mapping[str, Any]):
    """Rule id -> advice template, remembering which rule's advice is rendering, so a failure
    inside a plan names its rule."""

    def __init__(self, templates: Templates):
        self.templates, self.last, self.rendering = templates, "", False

    def __getitem__(self, rule_id: str) -> Any:
        self.last, self.rendering = rule_id, True
        return _Watched(self, self.templates[rule_id])

    def __iter__(self):
        return iter(self.templates)

    def __len__(self) -> int:
        return len(self.templates)


@dataclass
class _Watched:
    tracking: _Tracking
    template: Template

    def render(self, **context: Any) -> str:
        text = self.template.render(**context)
        self.tracking.rendering = False
        return text


#: Stands in for the index while templates are verified, before the index is built.
_NO_INDEX: Any = None


def build_index(knowledge: Knowledge, cache: Path | None = None) -> Index:
    """The search index over topics then out-of-scope entries (in that order: a hit's number
    below len(topics) is a topic). Topics are found by their examples, title, keywords and the
    words of their answer; out-of-scope entries by their examples and title."""
    return Index.build(
        [t.examples for t in knowledge.topics] + [o.examples for o in knowledge.out_of_scope],
        [[t.title, *t.keywords, _plain(t.answer)] for t in knowledge.topics]
        + [[o.title] for o in knowledge.out_of_scope],
        knowledge.synonyms,
        cache,
    )


def _plain(template: str) -> str:
    """A template's words without its Jinja tags: the guide's own vocabulary for retrieval."""
    return re.sub(r"\{[{%#].*?[}%#]\}", " ", template, flags=re.S)


class Templates(Mapping[str, Template]):
    """Entry id -> compiled template, compiled on first use: a one-shot `ask` compiles one
    template, not all of them. `compile_all` (used when verifying) compiles every one and
    reports each error with its file, line and entry."""

    def __init__(
        self,
        templates_dir: str,
        sources: dict[str, str],
        names: frozenset[str] = ANSWER_NAMES,
    ):
        self.templates_dir, self.sources, self.names = templates_dir, sources, names
        self._compiled: dict[str, Template] = {}

    def __getitem__(self, entry_id: str) -> Template:
        """The entry's template, checked against what templates may use and compiled in the
        sandbox (bot.render); raises UnsafeTemplateError or a TemplateSyntaxError."""
        template = self._compiled.get(entry_id)
        if template is None:
            template = self._compiled[entry_id] = compile_template(
                self.sources[entry_id], self.templates_dir, self.names
            )
        return template

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def with_entries(self, extra: dict[str, str]) -> Templates:
        return Templates(self.templates_dir, {**self.sources, **extra}, self.names)

    def compile_all(self, knowledge: Knowledge, fieldname: str) -> list[Problem]:
        problems = []
        for entry_id in self.sources:
            try:
                self[entry_id]
            except TemplateError as exc:
                kind = next(
                    (
                        k
                        for k in ("topics", "out_of_scope", "rules")
                        if (k, entry_id) in knowledge.origin
                    ),
                    "?",
                )
                file, line = knowledge.origin.get((kind, entry_id), ("?", None))
                lineno = getattr(exc, "lineno", None)
                detail = f" (line {lineno} of the template)" if lineno else ""
                field_name = "reply" if kind == "out_of_scope" else fieldname
                line = knowledge.line_of(kind, entry_id, field_name) or line
                what = "not allowed" if isinstance(exc, UnsafeTemplateError) else "template error"
                problems.append(Problem(file, line, entry_id, field_name, f"{what}{detail}: {exc}"))
        return problems
