"""The console chat: the guided interview, then free questions, in a terminal.

A thin shell over `Interviews` (the same object the Discord views drive) and `Advisor`.
Input and output are injected, so tests drive it with a list of lines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot import interview
from bot.advisor import Advisor, PlanViewError, QuestionError
from bot.session import Interviews, Turn

HELP = (
    "Commands: 'plan' shows your priorities and plan sections ('plan full' the whole plan, "
    "'plan SECTION' one section, e.g. 'plan visa'), 'profile' your answers, 'restart' starts the questions again, "
    "'forget' deletes everything stored about you, 'quit' leaves. Anything else is a question for me."
)
PLAN_HELP = (
    "Type 'plan full' for the whole plan, or 'plan' and a section (a number or a name, e.g. "
    "'plan 3' or 'plan visa') for one part. Ask me anything about your score strategy."
)
INTERVIEW_HELP = "Type your answer. 'back' goes to the previous question, 'skip' skips an optional one, 'quit' leaves (your answers are kept)."

Reader = Callable[[str], str]
Writer = Callable[[str], None]


class ConsoleChat:
    def __init__(
        self,
        advisor: Advisor,
        interviews: Interviews,
        member: str,
        read: Reader = input,
        write: Writer = print,
    ):
        self.advisor, self.interviews, self.member = advisor, interviews, member
        self._read, self.write = read, write

    async def read(self, prompt: str) -> str | None:
        try:
            return await asyncio.to_thread(self._read, prompt)
        except (EOFError, KeyboardInterrupt):
            return None

    async def run(self) -> None:
        turn = await self.interviews.current(self.member)
        self.write(
            "Prelim Advisor: USMLE score strategy for non-US citizen IMGs aiming for a prelim IM year."
        )
        self.write(
            "Everything I say comes from one guide, and I'll tell you when it doesn't cover something."
        )
        if turn.answers and not turn.done:
            self.write("Welcome back! Let's carry on where you left off.")
        elif not turn.answers:
            self.write("First, a few questions so my advice fits you. " + INTERVIEW_HELP)
        if not turn.done:
            turn = await self.interview(turn)
            if turn is None:
                return
            self.show_plan(turn)
        else:
            self.write("Welcome back! Your answers are saved; type 'plan' to see your plan again.")
        await self.questions()

    async def interview(self, turn: Turn) -> Turn | None:
        while turn.step is not None:
            self.ask_step(turn)
            text = await self.read("> ")
            if text is None or text.strip().lower() in ("quit", "exit", "q"):
                self.write("Your answers so far are saved. Run 'python -m bot chat' to carry on.")
                return None
            if text.strip().lower() in ("help", "?"):
                self.write(INTERVIEW_HELP)
                continue
            turn = await self.interviews.enter(self.member, text)
        return turn

    def ask_step(self, turn: Turn) -> None:
        step = turn.step
        assert step is not None
        if turn.notice:
            self.write(turn.notice)
        if turn.error:
            self.write(f"Sorry, {turn.error[0].lower()}{turn.error[1:]}")
        self.write("")
        self.write(f"[{turn.progress_line}] {step.prompt}")
        if step.choices:
            self.write("  " + "   ".join(f"{i}) {c.label}" for i, c in enumerate(step.choices, 1)))
        elif step.hint:
            self.write(f"  ({step.hint})")
        if step.optional:
            self.write("  (optional: type 'skip' to leave it out)")

    def show_plan(self, turn: Turn, view: str = "priorities") -> None:
        """`view`: "priorities" (priorities and the section list), "full", or a section."""
        profile = turn.profile()
        if profile is None:
            self.write(
                "I couldn't build your plan from these answers; type 'restart' to answer again."
            )
            return
        try:
            text = self.advisor.render_plan(self.advisor.plan(profile), profile, view)
        except PlanViewError as exc:
            self.write(f"Sorry, {str(exc).removeprefix('section: ')}.")
            return
        self.write("")
        self.write(text)
        self.write("")
        if view == "priorities":
            self.write(PLAN_HELP)
        else:
            self.write("Ask me anything about your score strategy. " + HELP)

    async def questions(self) -> None:
        while True:
            text = await self.read("you> ")
            if text is None:
                return
            command = text.strip().lower()
            if command in ("quit", "exit", "q"):
                self.write("Good luck! Your answers are saved.")
                return
            if command in ("help", "?"):
                self.write(HELP)
            elif command == "plan" or command.startswith("plan "):
                view = command.removeprefix("plan").strip() or "priorities"
                self.show_plan(await self.interviews.current(self.member), view)
            elif command == "profile":
                turn = await self.interviews.current(self.member)
                for title, value in interview.summary(turn.answers):
                    self.write(f"- {title}: {value}")
            elif command == "restart":
                turn = await self.interviews.restart(self.member)
                turn = await self.interview(turn)
                if turn is None:
                    return
                self.show_plan(turn)
            elif command == "forget":
                confirm = await self.read("Delete all your answers? Type 'yes' to confirm: ")
                if confirm and confirm.strip().lower() in ("yes", "y"):
                    await self.interviews.store.forget(self.member)
                    self.write("Done: nothing about you is stored any more.")
                    return
                self.write("Nothing deleted.")
            elif command:
                await self.answer(text)

    async def answer(self, text: str) -> None:
        try:
            reply = await self.interviews.ask(self.advisor, self.member, text, "console")
        except QuestionError as exc:
            self.write(str(exc))
            return
        self.write(reply.reply)
