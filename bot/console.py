"""The console chat: the guided interview, then free questions, in a terminal.

A thin shell over `Interviews` (the same object the Discord views drive) and `Advisor`.
Input and output are injected, so tests drive it with a list of lines; a reader that raises
KeyboardInterrupt or EOFError is Ctrl-C or Ctrl-D.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot import interview
from bot.errors import PlanViewError, QuestionError
from bot.session import Interviews, Turn

if TYPE_CHECKING:
    from bot.advisor import Advisor

HELP = (
    "Commands: 'plan' shows your priorities and the plan's sections (or carries on with the "
    "questions), 'plan full' the whole plan, 'plan SECTION' one section (e.g. 'plan visa'), "
    "'profile' your answers, "
    "'change STEP' changes one answer (e.g. 'change letters'), 'export' prints everything stored "
    "about you as JSON, 'restart' starts the questions again, 'forget' deletes everything stored "
    "about you, 'quit' leaves. Anything else is a question for me."
)
PLAN_HELP = (
    "Type 'plan full' for the whole plan, or 'plan' and a section (a number or a name, e.g. "
    "'plan 3' or 'plan visa') for one part. Ask me anything about your score strategy."
)
INTERVIEW_HELP = (
    "Type your answer ('3 months', 'none', 'NBME 228' are all fine). 'back' goes to the previous "
    "question, Enter or 'skip' skips an optional one, 'change STEP' changes an earlier answer, "
    "'later' leaves the questions for now so you can ask me anything, 'quit' leaves (your answers "
    "are kept). A question typed here gets an answer, then we carry on."
)
SAVED = "Your answers so far are saved. Run '{command}' to carry on."
KEPT = "Your answers so far are saved."
QUIT = ("quit", "exit", "q")
CONFIRM = ("yes", "y")

Reader = Callable[[str], str]
Writer = Callable[[str], None]


class Interrupted(Exception):
    """Ctrl-C at the prompt."""


class AdvisorLoader:
    """The advisor, loaded in a background thread while the member reads the first prompt.

    Importing the matcher and reading the knowledge take longer than everything else the
    console does before its first question, and the interview needs neither; the first answer
    or plan waits for the load if it hasn't finished. A load that fails raises its error there.
    """

    def __init__(self, load: Callable[[], Advisor]):
        self._load = load
        self._thread: threading.Thread | None = None
        self._advisor: Advisor | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="advisor-load", daemon=True)
            self._thread.start()

    @property
    def ready(self) -> bool:
        """Loaded (or failed): `get` returns at once."""
        return self._thread is not None and not self._thread.is_alive()

    def failure(self) -> BaseException | None:
        """Why the load failed, if it has already failed (never waits)."""
        return self._error if self.ready else None

    def get(self) -> Advisor:
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._advisor is not None
        return self._advisor

    def _run(self) -> None:
        try:
            self._advisor = self._load()
        except BaseException as exc:  # re-raised in the thread that needs the advisor
            self._error = exc


class ConsoleChat:
    def __init__(
        self,
        advisor: Advisor | AdvisorLoader,
        interviews: Interviews,
        member: str,
        read: Reader = input,
        write: Writer = print,
        *,
        command: str = "python -m bot chat",
        returning: bool | None = None,
        imported: str | None = None,
    ):
        """`command` is what carries on later (with the --member given); `returning` says
        whether the member had saved answers before this run (None: look in the store);
        `imported` names the profile file the answers just came from. An `AdvisorLoader`
        starts loading once the first prompt shows."""
        self._advisor, self.interviews, self.member = advisor, interviews, member
        self._read, self.write = read, write
        self.command, self.returning, self.imported = command, returning, imported

    @property
    def advisor(self) -> Advisor:
        if isinstance(self._advisor, AdvisorLoader):
            loader = self._advisor
            if not loader.ready:
                self.write("(One moment: reading the guide…)")
            try:
                self._advisor = loader.get()
            except KeyboardInterrupt:  # Ctrl-C while waiting for it: leave as at a prompt
                raise Interrupted from None
            except Exception:  # broken knowledge: the caller prints why; nothing given is lost
                self.write("")
                self.write(KEPT)
                raise
        return self._advisor

    async def read(self, prompt: str) -> str | None:
        """A line from the member; None at end of input (Ctrl-D). Ctrl-C raises Interrupted.
        Read on the event loop's own thread, so Ctrl-C lands in the waiting read at once
        (nothing else runs in a one-member console while it waits)."""
        if isinstance(self._advisor, AdvisorLoader):
            self._advisor.start()  # while the member reads and types
        try:
            return self._read(prompt)
        except EOFError:
            return None
        except KeyboardInterrupt:
            raise Interrupted from None

    async def run(self) -> int:
        """The conversation; 0 when the member leaves, 130 after Ctrl-C (answers are saved)."""
        try:
            await self._run()
        except Interrupted:
            self.write("")
            self.write(SAVED.format(command=self.command))
            return 130
        return 0

    async def _run(self) -> None:
        turn = await self.interviews.current(self.member)
        returning = bool(turn.answers) if self.returning is None else self.returning
        self.write(
            "Prelim Advisor: USMLE score strategy for non-US citizen IMGs aiming for a prelim IM year."
        )
        self.write(
            "Everything I say comes from one guide, and I'll tell you when it doesn't cover something."
        )
        if self.imported:
            self.write(f"Your answers from {self.imported} are loaded.")
        elif returning and not turn.done:
            self.write("Welcome back! Let's carry on where you left off.")
        elif not turn.answers:
            self.write("First, a few questions so my advice fits you. " + INTERVIEW_HELP)
        if not turn.done:
            ended = await self.interview(turn)
            if ended is None:
                return
            if ended.done:
                self.show_plan(ended)
        elif self.imported:
            self.write("Type 'plan' to see your plan, or ask me anything. " + HELP)
        elif returning:
            self.write("Welcome back! Your answers are saved; type 'plan' to see your plan again.")
        await self.questions()

    async def interview(self, turn: Turn) -> Turn | None:
        """Ask until the interview is done (the last turn), the member says `later` (a paused
        turn) or quits (None)."""
        while turn.step is not None:
            self.ask_step(turn)
            text = await self.read("> ")
            command = (text or "").strip().lower()
            if text is None or command in QUIT:
                self.write(SAVED.format(command=self.command))
                return None
            if command in ("help", "?"):
                self.write(INTERVIEW_HELP)
                continue
            if command == "profile":
                self.show_profile(turn)
                continue
            if command.split(" ", 1)[0] in ("change", "edit"):
                turn = await self.reopen(text) or turn
                continue
            turn = await self.interviews.enter(self.member, text)
            if turn.paused:
                self.write(
                    "OK, ask me anything. Type 'plan' when you want to carry on the questions."
                )
                return turn
            if turn.question:
                await self.answer(turn.question)
                self.write("Now, back to the questions.")
        return turn

    def ask_step(self, turn: Turn) -> None:
        step = turn.step
        assert step is not None
        if turn.confirm:
            self.write(turn.confirm)
            return
        if turn.notice:
            self.write(turn.notice)
        if turn.error:
            error = (
                turn.error
                if turn.error.startswith("I ")
                else turn.error[0].lower() + turn.error[1:]
            )
            self.write(f"Sorry, {error}")
        self.write("")
        self.write(f"[{turn.progress_line}] {step.prompt}")
        if step.choices:
            self.write("  " + "   ".join(f"{i}) {c.label}" for i, c in enumerate(step.choices, 1)))
        elif step.hint:
            self.write(f"  ({step.hint})")
        if step.id in turn.answers:
            self.write(f"  (now: {interview.describe(step, turn.answers[step.id])})")
        if step.optional:
            self.write("  (optional: press Enter or type 'skip' to leave it out)")

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

    def show_profile(self, turn: Turn) -> None:
        for title, value in interview.summary(turn.answers):
            self.write(f"- {title}: {value}")
        if not turn.answers:
            self.write("Nothing is stored about you yet.")

    async def reopen(self, text: str) -> Turn | None:
        """`change STEP`: that question again (None, with a message, if there is no such step)."""
        name = text.strip().split(" ", 1)[1] if " " in text.strip() else ""
        step = interview.find_step(name)
        if step is None:
            self.write(
                f"Which answer? Type e.g. 'change letters'. You can change: {interview.step_names()}."
            )
            return None
        turn = await self.interviews.reopen(self.member, step.id)
        if turn.step is None or turn.step.id != step.id:
            self.write(
                f"{step.title} doesn't apply to your answers, so there is nothing to change."
            )
            return None
        return turn

    async def questions(self) -> None:
        while True:
            text = await self.read("you> ")
            if text is None:
                self.write("Good luck! Your answers are saved.")
                return
            command = text.strip().lower()
            if command in QUIT:
                self.write("Good luck! Your answers are saved.")
                return
            if command in ("help", "?"):
                self.write(HELP)
            elif command in ("plan", "continue", "resume") or command.startswith("plan "):
                view = command.removeprefix("plan").strip() if command.startswith("plan") else ""
                turn = await self.interviews.current(self.member)
                if not turn.done and not await self.carry_on(turn):
                    return
                if turn.done:
                    self.show_plan(turn, view or "priorities")
            elif command == "profile":
                self.show_profile(await self.interviews.current(self.member))
            elif command.split(" ", 1)[0] in ("change", "edit"):
                turn = await self.reopen(text)
                if turn is not None and not await self.carry_on(turn, changed=True):
                    return
            elif command == "export":
                data = await self.interviews.store.export(self.member)
                self.write(json.dumps(data, ensure_ascii=False, indent=2))
            elif command == "restart":
                confirm = await self.read(
                    "Clear all your answers and start the questions again? Type 'yes' to confirm: "
                )
                if not (confirm and confirm.strip().lower() in CONFIRM):
                    self.write("Nothing changed.")
                    continue
                turn = await self.interviews.restart(self.member)
                if not await self.carry_on(turn):
                    return
            elif command == "forget":
                confirm = await self.read("Delete all your answers? Type 'yes' to confirm: ")
                if confirm and confirm.strip().lower() in CONFIRM:
                    await self.interviews.store.forget(self.member)
                    self.write("Done: nothing about you is stored any more.")
                    return
                self.write("Nothing deleted.")
            elif command:
                await self.answer(text)

    async def carry_on(self, turn: Turn, *, changed: bool = False) -> bool:
        """Run the questions from `turn`; False when the member quit."""
        self.interviews.resume(self.member)
        ended = await self.interview(turn)
        if ended is None:
            return False
        if ended.done:
            if changed:
                self.write("Saved. Type 'plan' to see your updated plan.")
            else:
                self.show_plan(ended)
        return True

    async def answer(self, text: str) -> None:
        try:
            reply = await self.interviews.ask(self.advisor, self.member, text, "console")
        except QuestionError as exc:
            self.write(str(exc))
            return
        self.write(reply.reply)
