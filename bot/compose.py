"""Composing a reply from its parts, once: no patching, and nothing said twice.

A reply is built from structured parts, in this order:
1. the answer to each question asked (one part per question, up to three; the first part is the
   answer to the first question), its core lines first, led by the point that answers what was
   asked ("what should my letters highlight" opens with what they should highlight);
2. only when the member's own score changes the advice or the question is about standing,
   chances or volume: one line placing their score ("With your 221 (215–224): …"), first when
   the question asks about chances;
3. at most `MAX_RELATED` related points for the whole reply (lines marked "Related" in the
   knowledge) that share enough of the question's words (more of a long post's), one when the
   reply is already long unless both are strongly related; a line that only says what the guide
   doesn't give ("The guide doesn't say how many programs to put in each group.") only when the
   question touches it;
4. the source, once, at the end (added by `Answer.reply`).

Every sentence is said once: a sentence already said by an earlier line or part is left out
(by its words, ignoring typography and markdown), and a line left empty is dropped. Pure text
functions; the Advisor renders the templates and calls `compose`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_RELATED = 2  # related points in a whole reply
RELATED_MIN = 1.5  # rarity-weighted words a related point must share with the question…
RELATED_WORDS = 20  # …when it is this long or shorter; a longer post needs proportionally more
RELATED_STRONG = 2.0  # a second related point this relevant is shown even in a long reply
UNKNOWN_MIN = 1.5  # rarity-weighted words a "the guide doesn't say…" note must share with it
RELATED_BUDGET = 90  # words: a reply this long gets one related point (a strong one may be second)
LEAD_MIN = 3.0  # rarity-weighted words a later point must share with the question to lead…
LEAD_RATIO = 2.0  # …and this many times as many as the opening point shares
RELATED_LEAD_RATIO = 2.05  # a related point (from elsewhere in the guide) must beat every core one
RELATED_LEAD_MIN = 4.5  # …and share at least this much with the question
EXTRA_BUDGET = 45  # words of a second or third part (a second question, or a near-tied topic)
NEAR_REPEAT = 0.85  # a sentence with this share of its words in one already said says it again…
NEAR_REPEAT_WORDS = 6  # …when it has at least this many words (a short one may differ in one)

# "Related:" or "Related (FAQ 1):"; never more words ("Related pitfall: …" would lose "pitfall").
_RELATED = re.compile(r"^\s*(?:-\s*)?(?:\*\*)?Related(?:\s*\([^)]*\))?:\s*(?:\*\*)?\s*", re.I)
# "- The guide doesn't say how often …": one clause of what the guide doesn't give. A line with
# more in it ("…; its score ranges are not official cutoffs") carries a hedge and always stays;
# "does not" / "gives no" lines are the guide's own scope statements and stay too.
_UNKNOWN = re.compile(r"^\s*(?:-\s*)?The guide doesn[’']t [^;]*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z*“\"(])")
_KEY_DROP = re.compile(r"[*_`“”\"'’‘()\[\]]|^\s*-\s*")
# A point that leans on the one before it ("In that case, …", "These letters…", "Do not rush to
# meet this deadline…") never leads; nor does a note of what the guide doesn't give.
_LEANS_BACK = re.compile(
    r"^\s*(?:-\s*)?(?:\*\*)?(?:(?:in that case|however|this|these|that|those|it|they|such|other|"
    r"instead|also|then|but|either way|otherwise)\b|.{0,40}\b(?:this|that|these|those) "
    r"(?:deadline|case|range|advice|list|score|exam)\b|the guide (?:doesn|does not|gives no))",
    re.I,
)
_WORDS = re.compile(r"[a-z0-9~+<>≥≤–%]+")
_CONNECTIVE = re.compile(r"^(?:either way|also|and|but|so|then|still|again|in short) ")
_NEGATION = frozenset(["not", "no", "never", "don", "doesn", "isn", "won", "without", "nor"])


@dataclass(frozen=True)
class Draft:
    """One topic's rendered answer, before composition."""

    body: str
    extra: bool = False  # a second or third part: shown shorter, no related points of its own


@dataclass(frozen=True)
class Composed:
    bodies: tuple[str, ...]  # one per draft, in order; "" for a draft with nothing new to say


def split_related(body: str) -> tuple[list[str], list[str]]:
    """(core lines, related lines) of a rendered answer. A related line is stored without its
    "Related:" label, which composition adds back."""
    core, related = [], []
    for line in body.splitlines():
        if not line.strip():
            continue
        m = _RELATED.match(line)
        if m:
            rest = line[m.end() :].strip()
            while (again := _RELATED.match(rest)) is not None:  # "Related: Related (FAQ 1): …"
                rest = rest[again.end() :].strip()
            if rest.count("**") % 2:  # the label took an opening ** with it
                rest = rest.replace("**", "")
            if rest:
                related.append(rest)
        else:
            core.append(line.rstrip())
    return core, related


def unasked_unknowns(core: list[str], relevance: Callable[[str], float] | None) -> list[str]:
    """The core lines without the one-sentence notes of what the guide doesn't give that share
    too little with the question: honest when asked, noise when not."""
    if relevance is None:
        return core
    return [
        line
        for line in core
        if not (_UNKNOWN.match(line) and len(sentences(line.strip())) == 1)
        or relevance(line) >= UNKNOWN_MIN
    ]


def key(sentence: str) -> str:
    """A sentence's words, for telling whether it was already said; a leading connective ("Either
    way, be brutally realistic…") does not make a said sentence new."""
    words = " ".join(_WORDS.findall(_KEY_DROP.sub(" ", sentence.lower())))
    return _CONNECTIVE.sub("", words)


def says_again(sentence: str, said: str) -> bool:
    """`sentence` (a key) is already in `said` (a key), word for word or in other words."""
    return sentence in said or near_repeat(sentence, said)


def near_repeat(sentence: str, said: str) -> bool:
    """`sentence` (a key) says `said` again in other words: "put your Step 1 story in context"
    after "put your Step score story in context, and emphasize growth". Never when one of them
    negates and the other doesn't."""
    words, before = set(sentence.split()), set(said.split())
    return (words & _NEGATION) == (before & _NEGATION) and _mostly_in(words, before)


def _mostly_in(words: set[str], before: set[str]) -> bool:
    """At least NEAR_REPEAT of `words` (NEAR_REPEAT_WORDS or more of them) are in `before`."""
    return len(words) >= NEAR_REPEAT_WORDS and len(words & before) >= NEAR_REPEAT * len(words)


class Said:
    """What a reply has said so far, sentence by sentence."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def seen(self, sentence: str) -> bool:
        k = key(sentence)
        if not k:
            return False
        if len(k.split()) < 3:  # a label or a fragment ("Yes.", "Step 1:") is never a repeat
            return False
        return any(says_again(k, s) for s in self.keys)

    def add(self, sentence: str) -> None:
        k = key(sentence)
        if k:
            self.keys.append(k)

    def covered(self, line: str) -> bool:
        """Nearly every word of `line` is already in the reply, spread over several of its
        sentences: a related point that only restates a list the reply gives item by item."""
        return _mostly_in(set(key(line).split()), {w for k in self.keys for w in k.split()})

    def fresh(self, line: str) -> str | None:
        """The line without the sentences already said (None when nothing is left); what is kept
        counts as said."""
        kept = []
        for sentence in sentences(line.strip()):
            if self.seen(sentence):
                continue
            kept.append(sentence)
        if not kept or not key(" ".join(kept).removeprefix("-")):
            return None
        for sentence in kept:
            self.add(sentence)
        text = " ".join(kept)
        if line.lstrip().startswith("- ") and not text.startswith("- "):
            text = "- " + text
        return text


def sentences(line: str) -> list[str]:
    """A line's sentences; never split inside **bold** or a quotation."""
    out, start = [], 0
    for m in _SENTENCE.finditer(line):
        before = line[: m.start()]
        if (
            before.count("**") % 2
            or before.count("“") != before.count("”")
            or before.count('"') % 2
        ):
            continue
        out.append(line[start : m.start()])
        start = m.end()
    out.append(line[start:])
    return [s for s in out if s.strip()]


def words(text: str) -> int:
    return len(text.split())


def units(lines: list[str]) -> list[list[str]]:
    """Lines grouped into points: a line that introduces a list ("…:") keeps its bullets."""
    out: list[list[str]] = []
    for line in lines:
        bullet = line.lstrip().startswith("- ")
        if bullet and out and out[-1][0].rstrip().endswith(":"):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def lead_with_the_answer(
    groups: list[list[str]], relevance: Callable[[str], float]
) -> list[list[str]]:
    """The point that answers the question first: a later point that shares far more of the
    question's words than the opening one is moved to the front (the rest keep their order)."""
    if len(groups) < 2:
        return groups
    scores = [0.0 if _LEANS_BACK.match(g[0]) else relevance(" ".join(g)) for g in groups]
    best = max(range(len(groups)), key=lambda i: (scores[i], -i))
    if best == 0 or scores[best] < LEAD_MIN or scores[best] < LEAD_RATIO * scores[0]:
        return groups
    lead = [groups[best][0].lstrip().removeprefix("- "), *groups[best][1:]]
    return [lead, *groups[:best], *groups[best + 1 :]]


def related_leads(
    groups: list[list[str]],
    related: list[str],
    relevance: Callable[[str], float],
    core_keys: list[str],
) -> tuple[list[list[str]], list[str]]:
    """A related point that answers the question far better than every core point leads the
    reply ("should I mention in my PS that programs take a risk sponsoring me?": the visa
    answer's example phrase), no longer labelled "Related". Never one that leans on a point
    before it, nor one that a core line of the reply (`core_keys`) says anyway."""
    if not related or not groups:
        return groups, related
    core_best = max(relevance(" ".join(g)) for g in groups)
    scores = [
        0.0 if _LEANS_BACK.match(p) or _said_in(p, core_keys) else relevance(p) for p in related
    ]
    best = max(range(len(related)), key=lambda i: (scores[i], -i))
    if scores[best] < RELATED_LEAD_MIN or scores[best] < RELATED_LEAD_RATIO * core_best:
        return groups, related
    point = related[best]
    lead = point[:1].upper() + point[1:]
    return [[lead], *groups], related[:best] + related[best + 1 :]


def _said_in(point: str, core_keys: list[str]) -> bool:
    k = key(point)
    return any(says_again(k, c) for c in core_keys)


def pick(groups: list[list[str]], budget: int | None, said: Said | None = None) -> list[list[str]]:
    """The points in order while the word `budget` lasts (the first always; all without one).
    Only what is new counts against it: a sentence the reply has `said` will be left out."""
    if budget is None:
        return groups
    chosen, used = [], 0
    for i, group in enumerate(groups):
        size = sum(
            words(s)
            for line in group
            for s in sentences(line.strip())
            if said is None or not said.seen(s)
        )
        if i == 0 or used + size <= budget:
            chosen.append(group)
            used += size
    return chosen


def compose(
    drafts: list[Draft],
    standing: str | None = None,
    relevance: Callable[[str], float] | None = None,
    standing_first: bool = False,
    asked_words: int = 0,
) -> Composed:
    """The reply's bodies, one per draft: each draft's new core points (chosen for the question
    within a word budget; extra parts get a smaller one), the standing line after the first
    part's opening point (before it when the question asks about chances: `standing_first`),
    and related points at the end of the first part while the reply is short enough.
    `asked_words`: the length of the post, whose words `relevance` counts. A long post shares
    some words with almost any point, so a related point must share proportionally more of them
    to count as related (a 60-word post: three times as much as a 20-word question)."""
    said = Said()
    bodies: list[list[str]] = []
    related_pool: list[str] = []
    splits = [split_related(draft.body) for draft in drafts]
    core_keys = [key(s) for core, _ in splits for line in core for s in sentences(line.strip())]
    for n, (draft, (core, related)) in enumerate(zip(drafts, splits, strict=True)):
        core = unasked_unknowns(core, relevance)
        groups = units(core)
        if n == 0 and relevance is not None:
            groups = lead_with_the_answer(groups, relevance)
            groups, related = related_leads(groups, related, relevance, core_keys)
        groups = pick(groups, EXTRA_BUDGET if draft.extra else None, said)
        if n == 0 and standing:
            at = 0 if standing_first else 1  # first, or after the opening point
            groups = [*groups[:at], [standing], *groups[at:]]
        lines = [kept for group in groups for line in group if (kept := said.fresh(line))]
        bodies.append(lines)
        if not draft.extra:
            related_pool += related
    total = sum(words(line) for body in bodies for line in body)
    if relevance is not None:
        # The related points that share the question's words, most shared first; one more only
        # while the reply is short.
        scored = [(relevance(p), i, p) for i, p in enumerate(related_pool)]
        least = RELATED_MIN * max(1.0, asked_words / RELATED_WORDS)
        ranked = sorted((x for x in scored if x[0] >= least), key=lambda x: (-x[0], x[1]))
        related_pool = [p for _, _, p in ranked]
        strong = {p for r, _, p in ranked if r >= RELATED_STRONG}
    else:
        strong = set()
    added = 0
    for point in related_pool:
        if added >= MAX_RELATED or (added and total >= RELATED_BUDGET and point not in strong):
            break
        kept = None if said.covered(point) else said.fresh(point)
        if kept:
            bodies[0].append(f"Related: {kept.removeprefix('- ')}")
            total += words(kept)
            added += 1
    return Composed(tuple("\n".join(body) for body in bodies))
