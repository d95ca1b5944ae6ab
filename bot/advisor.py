"""The advising core: checked knowledge, its search index and compiled templates, as one object.

`Advisor.load` builds everything or raises `KnowledgeError`; nothing half-loaded ever serves.
The CLI, the console chat and the Discord cogs all call `ask` and `plan` on an Advisor.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateError

from bot.knowledge import (
    ANSWER_LIMIT,
    Knowledge,
    KnowledgeError,
    OutOfScope,
    Problem,
    Topic,
    load_knowledge,
)
from bot.learned import cache_dir
from bot.matching import (
    MIN_CONFIDENCE,
    OUT_OF_SCOPE_CONFIDENCE,
    OUT_OF_SCOPE_MARGIN,
    SUGGEST_CONFIDENCE,
    Hit,
    Index,
    near_tie,
    read_question,
)
from bot.planning import Plan, build_plan
from bot.profile import Profile, parse_profile
from bot.programs import Program, load_programs, program_list
from bot.render import TEMPLATES_DIR, compile_template, render_file, tidy, typeset
from bot.snapshot import Snapshot, safe_folder
from bot.template_rules import ADVICE_NAMES, ANSWER_NAMES, UnsafeTemplateError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE_DIR = ROOT / "knowledge"
MAX_QUESTION_CHARS = 4000
MAX_SENTENCES = 12  # a weak long post is searched sentence by sentence, up to this many
REPEATED_SHARE = 0.25  # a second answer with more of its lines already shown is left out
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def knowledge_dir() -> Path:
    return Path(os.environ.get("KNOWLEDGE_DIR") or DEFAULT_KNOWLEDGE_DIR)


class QuestionError(ValueError):
    """A question that cannot be asked (empty or blank)."""


@dataclass(frozen=True)
class Answer:
    matched: bool
    entry: str | None
    title: str | None
    score: float
    body: str
    section: str | None = None
    section_title: str | None = None
    suggestions: tuple[str, ...] = ()
    also: Answer | None = None  # a second topic the question fits just as well

    @property
    def reply(self) -> str:
        text = self.body
        if self.section_title:
            text += f"\n\nSource: guide › {self.section_title}"
        if self.also is not None:
            text += f"\n\n**Also relevant: {self.also.title}**\n{self.also.reply}"
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
        if verify:
            problems = answers.compile_all(knowledge, "answer") + advice.compile_all(
                knowledge, "advice"
            )
            if problems:
                raise KnowledgeError(problems)
        programs = load_programs(directory)
        advisor = cls(knowledge, _NO_INDEX, answers, advice, tdir, programs=programs)
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
        """The reply to `question`: the best topic's answer, personalised with the score in the
        question or else the member's `profile`, with a near-tied topic's answer under it; or a
        refusal that says what the bot can help with."""
        if not isinstance(question, str) or not question.strip():
            raise QuestionError(
                "question: must not be empty; type a question about your USMLE score strategy"
            )
        facts = read_question(question[:MAX_QUESTION_CHARS])
        hits = self.search(facts.text)
        best = hits[0] if hits else None
        confidence = min(best.score, 1.0) if best else 0.0
        context = self.answer_context(
            facts.score, facts.score_kind, facts.multiple_failures, profile
        )
        topics = self.knowledge.topics
        outside = next((h for h in hits if h.topic >= len(topics)), None)
        # Out of scope wins a near tie: a refusal is better than a wrong-topic answer.
        if (
            outside is not None
            and best is not None
            and outside.score >= max(MIN_CONFIDENCE, best.score - OUT_OF_SCOPE_MARGIN)
        ):
            if outside.score < OUT_OF_SCOPE_CONFIDENCE:
                return self.fallback(confidence)
            entry = self.knowledge.out_of_scope[outside.topic - len(topics)]
            return self.out_of_scope(entry, confidence, context)
        if best is None or best.score < MIN_CONFIDENCE:
            fallback = self.score_topic()
            if facts.score is not None and fallback and hits and hits[0].topic < len(topics):
                return self.render_answer(fallback, SUGGEST_CONFIDENCE, context)
            suggestions = tuple(
                topics[h.topic].title
                for h in hits
                if h.topic < len(topics) and h.score >= SUGGEST_CONFIDENCE
            )
            return self.fallback(confidence, suggestions)
        answer = self.render_answer(topics[best.topic], confidence, context)
        runner_up = near_tie(hits, len(topics))
        also = self.second_answer(answer, runner_up, context) if runner_up else None
        return replace(answer, also=also) if also else answer

    def second_answer(self, first: Answer, hit: Hit, context: dict[str, Any]) -> Answer | None:
        """The near-tied topic's answer, whole, to show under the first; none when it comes from
        the same guide section or mostly repeats the first (it would only add length)."""
        topic = self.knowledge.topics[hit.topic]
        if topic.section == first.section:
            return None
        second = self.render_answer(topic, min(hit.score, 1.0), context, lead=False)
        lines = [line.strip() for line in second.body.splitlines() if line.strip()]
        shown = {line.strip() for line in first.body.splitlines()}
        if sum(line in shown for line in lines) > REPEATED_SHARE * len(lines):
            return None
        return second

    def search(self, text: str) -> list[Hit]:
        """Hits for the whole question; when those are too weak to answer, the best single
        sentence's hits if they are better: members often write their background first and ask
        at the end, or ask first and add a remark ("my cousin keeps telling me otherwise")."""
        hits = self.index.search(text)
        if hits and hits[0].score >= MIN_CONFIDENCE:
            return hits
        sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
        if len(sentences) < 2:
            return hits
        for sentence in sentences[:MAX_SENTENCES]:
            alone = self.index.search(sentence)
            if alone and (not hits or alone[0].score > hits[0].score):
                hits = alone
        return hits

    def render_answer(
        self, topic: Topic, confidence: float, context: dict[str, Any], *, lead: bool = True
    ) -> Answer:
        """The topic's answer; when the question gave a score, it opens with that score's band
        (unless `lead` is off: a second answer under one that already did)."""
        body = tidy(self.answers[topic.id].render(**context))
        opening = self.band_lead(topic, context, body) if lead else None
        if opening:
            body = f"{opening}\n\n{body}"
        section = self.knowledge.sections[topic.section]
        return Answer(
            True,
            topic.id,
            typeset(topic.title),
            confidence,
            body,
            section.id,
            typeset(section.title),
        )

    def band_lead(self, topic: Topic, context: dict[str, Any], body: str) -> str | None:
        """Personal beats generic: an answer opens with what the asker's score means, unless it
        already says so. A score (or repeated failures) in the question gets the band's full
        advice, how broadly to apply included; a stored score gets one line naming the band."""
        band = context["band"]
        # The body is typeset (’ “ ”); so is what it is compared with.
        if band is None or typeset(band.summary) in body:
            return None
        if context["score_source"] == "question" or context["failures_in_question"]:
            parts = [render_file("partials/band.txt.j2", self.templates_dir, **context)]
            if typeset(band.apply) not in body:
                parts.append(render_file("partials/apply.txt.j2", self.templates_dir, **context))
            return "\n\n".join(parts)
        if context["score_source"] == "profile":
            lead = render_file("partials/band_line.txt.j2", self.templates_dir, **context)
            if topic.shows_band and typeset(band.apply) not in body:
                lead += "\n" + render_file("partials/apply.txt.j2", self.templates_dir, **context)
            return lead
        return None

    def score_topic(self) -> Topic | None:
        return next((t for t in self.knowledge.topics if t.score_fallback), None)

    def out_of_scope(self, entry: OutOfScope, confidence: float, context: dict[str, Any]) -> Answer:
        body = tidy(self.answers[entry.id].render(**context))
        examples = [t.title for t in self.knowledge.topics[:6]]
        more = render_file(
            "fallback.txt.j2", self.templates_dir, suggestions=(), examples=examples, lead=body
        )
        return Answer(False, None, None, confidence, more)

    def answer_context(
        self, score: int | None, kind: str, multiple_failures: bool, profile: Profile | None
    ) -> dict[str, Any]:
        source = "question" if score is not None else None
        if score is None and profile is not None and profile.step2ck_score is not None:
            score, kind, source = profile.step2ck_score, "ck", "profile"
        elif score is None and profile is not None and profile.total_failures >= 2:
            source = "profile"  # the band comes from their failures, with no score yet
        failures = profile.total_failures if profile else 0
        if multiple_failures:
            failures = max(failures, 2)
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
            "score_source": source,
            "score_kind": kind,
            "band": band,
            "profile": profile,
            "bands": self.knowledge.bands,
        }

    def fallback(self, score: float = 0.0, suggestions: tuple[str, ...] = ()) -> Answer:
        examples = [t.title for t in self.knowledge.topics[:8]]
        body = render_file(
            "fallback.txt.j2",
            self.templates_dir,
            suggestions=suggestions,
            examples=examples,
            lead=None,
        )
        return Answer(False, None, None, score, body, suggestions=suggestions)

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
        plan = build_plan(self.knowledge, self.advice, profile, today)
        if self.programs:
            plan = replace(plan, programs=program_list(self.programs, profile, states))
        return plan

    def render_plan(self, plan: Plan, profile: Profile) -> str:
        return render_file("plan.txt.j2", self.templates_dir, plan=plan, profile=profile)

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
        for position, (kind, entry_id, examples) in enumerate(entries):
            for i, example in enumerate(examples):
                hits = self.index.search(example, limit=1)
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
                plan = build_plan(self.knowledge, advice, profile)
                if self.programs:
                    plan = replace(plan, programs=program_list(self.programs, profile))
                self.render_plan(plan, profile)
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
