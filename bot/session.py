"""A member's interview over the store: one call per thing a member can do.

The console chat and the Discord views are both thin layers over `Interviews`; neither parses,
validates or stores answers itself. Each member has a lock, so a double-pressed button can't
interleave two writes, and members never wait on one another.
"""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field
from typing import Any

from bot import interview
from bot.advisor import Advisor, Answer
from bot.interview import AnswerError, Step
from bot.profile import Profile, ProfileError
from bot.store import Store


@dataclass(frozen=True)
class Turn:
    """Where a member's interview stands after an action."""

    answers: dict[str, Any]
    step: Step | None  # the next question, or None when complete
    error: str | None = None  # why the last input was refused (the same step is asked again)
    position: tuple[int, int] = (0, 0)
    notice: str | None = None

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


@dataclass
class Interviews:
    store: Store
    _locks: weakref.WeakValueDictionary = field(default_factory=weakref.WeakValueDictionary)

    def _lock(self, member: str) -> asyncio.Lock:
        lock = self._locks.get(member)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[member] = lock
        return lock

    async def current(self, member: str) -> Turn:
        return _turn(await self.store.answers(member))

    async def give(self, member: str, step_id: str, value: Any) -> Turn:
        """Answer `step_id` (the current step, or an earlier one being changed)."""
        async with self._lock(member):
            answers = await self.store.answers(member)
            step = interview.BY_ID.get(step_id)
            if step is None or step not in interview.applicable(answers):
                return _turn(
                    answers, notice="That question no longer applies; here is where you are."
                )
            try:
                updated = interview.answer(answers, step, value)
            except AnswerError as exc:
                return _turn(answers, error=str(exc), step=step)
            return await self._save(member, updated)

    async def enter(self, member: str, text: str) -> Turn:
        """What a member typed at the current step: `back`, `skip`, or an answer."""
        turn = await self.current(member)
        command = text.strip().lower()
        if command == "back":
            return await self.back(member)
        if turn.step is None:
            return turn
        if command == "skip":
            return await self.skip(member, turn.step.id)
        return await self.give(member, turn.step.id, text)

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
            return await self._save(member, updated)

    async def back(self, member: str) -> Turn:
        async with self._lock(member):
            answers = await self.store.answers(member)
            if interview.previous_step(answers) is None:
                return _turn(answers, notice="This is the first question.")
            return await self._save(member, interview.back(answers))

    async def reopen(self, member: str, step_id: str) -> Turn:
        """Ask `step_id` again to change one answer. Nothing is saved until the new answer is
        given, so closing the question keeps the old answer."""
        answers = await self.store.answers(member)
        step = interview.BY_ID.get(step_id)
        if step is None or step not in interview.applicable(answers):
            return _turn(answers, notice="That question no longer applies; here is where you are.")
        return _turn(answers, step=step)

    async def restart(self, member: str) -> Turn:
        """Clear the member's answers to start the questions again (their other data stays)."""
        async with self._lock(member):
            return await self._save(member, {})

    async def import_profile(self, member: str, profile: Profile) -> Turn:
        async with self._lock(member):
            return await self._save(member, interview.answers_from_profile(profile))

    async def ask(self, advisor: Advisor, member: str, question: str, place: str) -> Answer:
        """Answer with the member's profile, and record the ask (and a refusal, for the
        moderators' unanswered queue, with the member only as a salted hash)."""
        answer = advisor.ask(question, await self.profile(member))
        if answer.kind == "smalltalk":  # "hi", "thanks": not a question, answered or not
            return answer
        await self.store.record_ask(answer.entry, answer.matched, answer.score)
        if answer.kind == "refusal":
            await self.store.record_unanswered(question, answer.score, place, member)
        return answer

    async def profile(self, member: str) -> Profile | None:
        """The member's profile if their interview is complete."""
        return (await self.current(member)).profile()

    async def _save(self, member: str, answers: dict[str, Any]) -> Turn:
        turn = _turn(answers)
        await self.store.save_answers(member, answers, "complete" if turn.done else "interview")
        return turn


def _turn(
    answers: dict[str, Any],
    *,
    error: str | None = None,
    step: Step | None = None,
    notice: str | None = None,
) -> Turn:
    position = interview.progress(answers)
    steps = interview.applicable(answers)
    if step is not None and step in steps and step.id in answers:
        position = (steps.index(step) + 1, position[1])  # an answered step asked again
    return Turn(answers, step or interview.next_step(answers), error, position, notice)
