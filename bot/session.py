"""A member's interview over the store: one call per thing a member can do.

The console chat and the Discord views are both thin layers over `Interviews`; neither parses,
validates or stores answers itself. Each member has a lock, so a double-pressed button can't
interleave two writes, and members never wait on one another.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot import interview
from bot.interview import AnswerError, NeedsConfirmation, Step
from bot.profile import Profile, ProfileError
from bot.question import clean_text
from bot.smalltalk import smalltalk_kind
from bot.store import Store
from bot.typed import is_question

if TYPE_CHECKING:  # the interview runs without the knowledge loaded (the console's first prompt)
    from bot.advisor import Advisor, Answer


@dataclass(frozen=True)
class Turn:
    """Where a member's interview stands after an action."""

    answers: dict[str, Any]
    step: Step | None  # the next question, or None when complete
    error: str | None = None  # why the last input was refused (the same step is asked again)
    position: tuple[int, int] = (0, 0)
    notice: str | None = None
    confirm: str | None = None  # "Did you mean …? (yes/no)": nothing saved until answered
    pending: Any = None  # the value waiting for that yes
    question: str | None = None  # the input was a question: answer it, then ask the step again
    paused: bool = False  # the member left the questions for now (`later`)

    @property
    def done(self) -> bool:
        return self.step is None

    @property
    def progress_line(self) -> str:
        current, total = self.position
        return f"Step {current} of {total}" if self.step else "All questions answered"

    def profile(self) -> Profile | None:
        if not self.done:
            return None
        try:
            return interview.to_profile(self.answers)
        except ProfileError:
            return None


LATER = ("later", "stop questions", "stop the questions", "questions later", "pause")
YES = ("yes", "y", "yeah", "yep", "yup", "correct", "right", "sure", "ok")
NO = ("no", "n", "nope", "nah", "wrong")


@dataclass
class Interviews:
    """Members' interviews. Besides the store, it remembers (in memory only: a restart just
    asks again) a value waiting for "Did you mean …?", the step a member chose to change, and
    who left the questions for now."""

    store: Store
    _locks: weakref.WeakValueDictionary = field(default_factory=weakref.WeakValueDictionary)
    _pending: dict[str, tuple[str, Any]] = field(default_factory=dict)
    _changing: dict[str, str] = field(default_factory=dict)
    _paused: set[str] = field(default_factory=set)
    _started: set[str] = field(default_factory=set)

    def _lock(self, member: str) -> asyncio.Lock:
        lock = self._locks.get(member)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[member] = lock
        return lock

    async def current(self, member: str) -> Turn:
        """Where the member stands: the step being changed, else the next unanswered one."""
        answers = await self.store.answers(member)
        changing = interview.BY_ID.get(self._changing.get(member, ""))
        if changing is not None and changing in interview.applicable(answers):
            return _turn(answers, step=changing)
        return _turn(answers)

    async def give(self, member: str, step_id: str, value: Any, *, confirmed: bool = False) -> Turn:
        """Answer `step_id` (the current step, or an earlier one being changed). An unusual
        value is not saved until `confirmed`: the turn asks "Did you mean …?" first."""
        async with self._lock(member):
            answers = await self.store.answers(member)
            step = interview.BY_ID.get(step_id)
            self._pending.pop(member, None)
            if step is None or step not in interview.applicable(answers):
                return _turn(
                    answers, notice="That question no longer applies; here is where you are."
                )
            try:
                updated = interview.answer(answers, step, value, confirmed=confirmed)
            except AnswerError as exc:
                return _turn(answers, error=str(exc), step=step)
            except NeedsConfirmation as ask:
                self._pending[member] = (step.id, ask.value)
                return _turn(answers, step=step, confirm=ask.question, pending=ask.value)
            if self._changing.get(member) == step.id:
                del self._changing[member]
            self._paused.discard(member)
            return await self._save(member, updated, answers)

    async def enter(self, member: str, text: str) -> Turn:
        """What a member typed during the interview: yes/no to "Did you mean …?", `back`,
        `later`, Enter or `skip`, an answer, or a question (returned for the shell to answer
        with the answers so far; the same step is asked again)."""
        turn = await self.current(member)
        command = " ".join(text.lower().strip(" .!").split())
        pending = self._pending.pop(member, None)
        if pending is not None and turn.step is not None and pending[0] == turn.step.id:
            if command in YES:
                return await self.give(member, pending[0], pending[1], confirmed=True)
            if command in NO:
                return _turn(
                    turn.answers, step=turn.step, notice="No problem: please type it again."
                )
        if command in LATER:
            self.pause(member)
            return _turn(turn.answers, paused=True)
        if command == "back":
            return await self.back(member)
        if turn.step is None:
            return turn
        if is_question(text) or _greeting_not_answer(turn.step, text):
            return _turn(turn.answers, step=turn.step, question=text.strip())
        return await self.give(member, turn.step.id, text)

    async def confirm(self, member: str, step_id: str, value: Any, yes: bool) -> Turn:
        """The member's yes (save the unusual value) or no (ask the step again)."""
        if yes:
            return await self.give(member, step_id, value, confirmed=True)
        self._pending.pop(member, None)
        turn = await self.current(member)
        step = interview.BY_ID.get(step_id)
        if step is None or step not in interview.applicable(turn.answers):
            return turn
        return _turn(turn.answers, step=step, notice="No problem: please type it again.")

    def begin(self, member: str) -> None:
        """The member asked for the questions (/plan, `plan`): typed lines answer them."""
        self._started.add(member)
        self._paused.discard(member)

    def answering(self, member: str, turn: Turn) -> bool:
        """Whether what the member types now answers the interview (else it is a question):
        the questions are under way (begun, or some answers saved) and not left for `later`."""
        if turn.done or member in self._paused:
            return False
        return bool(turn.answers) or member in self._started or member in self._changing

    def pause(self, member: str) -> None:
        """The member leaves the questions for free questions; `resume` (or any answer) ends it."""
        self._paused.add(member)
        self._changing.pop(member, None)

    def resume(self, member: str) -> None:
        self._paused.discard(member)

    def paused(self, member: str) -> bool:
        return member in self._paused

    async def skip(self, member: str, step_id: str) -> Turn:
        async with self._lock(member):
            answers = await self.store.answers(member)
            step = interview.BY_ID.get(step_id)
            if step is None or step not in interview.applicable(answers):
                return _turn(
                    answers, notice="That question no longer applies; here is where you are."
                )
            try:
                updated = interview.skip(answers, step)
            except AnswerError as exc:
                return _turn(answers, error=str(exc), step=step)
            return await self._save(member, updated, answers)

    async def back(self, member: str) -> Turn:
        self._changing.pop(member, None)
        async with self._lock(member):
            answers = await self.store.answers(member)
            if interview.previous_step(answers) is None:
                return _turn(answers, notice="This is the first question.")
            return await self._save(member, interview.back(answers), answers)

    async def reopen(self, member: str, step_id: str) -> Turn:
        """Ask `step_id` again to change one answer. Nothing is saved until the new answer is
        given, so closing the question keeps the old answer."""
        answers = await self.store.answers(member)
        step = interview.BY_ID.get(step_id)
        if step is None or step not in interview.applicable(answers):
            return _turn(answers, notice="That question no longer applies; here is where you are.")
        self._changing[member] = step.id
        self._paused.discard(member)
        return _turn(answers, step=step)

    async def restart(self, member: str) -> Turn:
        """Clear the member's answers to start the questions again (their other data stays)."""
        self._changing.pop(member, None)
        self._pending.pop(member, None)
        self.begin(member)
        async with self._lock(member):
            await self.store.save_answers(member, {}, "interview")
            return _turn({})

    async def import_profile(self, member: str, profile: Profile) -> Turn:
        async with self._lock(member):
            answers = interview.answers_from_profile(profile)
            turn = _turn(answers)
            await self.store.save_answers(member, answers, "complete" if turn.done else "interview")
            return turn

    async def ask(
        self,
        advisor: Advisor,
        member: str,
        question: str,
        place: str,
        guild: str | None = None,
    ) -> Answer:
        """Answer with the member's profile, and record the ask (and a refusal, for the
        moderators' unanswered queue, with the member only as a keyed hash) in the server it
        was asked in (`guild`; None for DMs and the console)."""
        answer = advisor.ask(question, await self.profile(member))
        if answer.kind == "smalltalk":  # "hi", "thanks": not a question, answered or not
            return answer
        await self.store.record_ask(answer.entry, answer.matched, answer.score, guild)
        if answer.kind == "refusal":
            await self.store.record_unanswered(question, answer.score, place, member, guild)
        return answer

    async def profile(self, member: str) -> Profile | None:
        """The member's profile if their interview is complete (also while they change one
        answer: the saved answers count until the new one is given)."""
        return _turn(await self.store.answers(member)).profile()

    async def _save(
        self, member: str, answers: dict[str, Any], before: dict[str, Any] | None = None
    ) -> Turn:
        """Store `answers`, writing only what differs from `before` (the answers they were made
        from; read now if not given): never a stale copy of the whole set, so a `forget`
        racing this save can't be undone by it."""
        turn = _turn(answers)
        if before is None:
            before = await self.store.answers(member)
        changed = {k: v for k, v in answers.items() if k not in before or before[k] != v}
        removed = set(before) - set(answers)
        await self.store.save_changes(
            member, changed, removed, "complete" if turn.done else "interview"
        )
        return turn


def _greeting_not_answer(step: Step, text: str) -> bool:
    """ "hi" or "thanks!" typed at a step it doesn't answer: it gets its one friendly line, then
    the step again. "yes thanks" still answers a yes/no step."""
    if smalltalk_kind(clean_text(text)) not in ("greeting", "thanks"):
        return False
    try:
        return interview.parse_answer(step, text) is None
    except NeedsConfirmation:
        return False
    except AnswerError:
        return True


def _turn(
    answers: dict[str, Any],
    *,
    error: str | None = None,
    step: Step | None = None,
    notice: str | None = None,
    confirm: str | None = None,
    pending: Any = None,
    question: str | None = None,
    paused: bool = False,
) -> Turn:
    position = interview.progress(answers)
    steps = interview.applicable(answers)
    if step is not None and step in steps and step.id in answers:
        position = (steps.index(step) + 1, position[1])  # an answered step asked again
    return Turn(
        answers,
        step or interview.next_step(answers),
        error,
        position,
        notice,
        confirm,
        pending,
        question,
        paused,
    )
