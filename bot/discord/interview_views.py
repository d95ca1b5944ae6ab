"""The guided interview as messages: one step per message, buttons for choices, a modal for
numbers, Back / Skip / Cancel, and the plan at the end.

Driven only by `bot.session.Interviews` and `bot.interview.STEPS`: every press asks the core
what to do and shows the `Turn` it returns. A press on an old message still does the right
thing because the core answers with the member's current turn.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import ui

from bot import interview
from bot.advisor import PlanViewError, QuestionError
from bot.discord import embeds, limits
from bot.discord.respond import member_key, place, reply, server_of, update
from bot.discord.views import SafeModal, SafeView, bot_of, button, guarded
from bot.session import Turn

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot
    from bot.planning import Plan

STEP = r"[a-z0-9_]{1,40}"
NUMBER_MODAL = re.compile(rf"pa:num:(?P<step>{STEP})")
NUMBER_INPUT = "value"
QUESTION_MODAL = re.compile(rf"pa:ask:(?P<step>{STEP})")
QUESTION_INPUT = "question"
QUESTION_CHARS = 1000


# -- what a turn looks like --------------------------------------------------------------------
def step_message(turn: Turn) -> dict[str, Any]:
    """The message for the member's current step (embed and buttons)."""
    return {"embed": embeds.step_embed(turn), "view": step_view(turn)}


def step_view(turn: Turn) -> SafeView:
    step = turn.step
    assert step is not None
    view = SafeView()
    if turn.confirm and turn.pending is not None:
        view.add_item(ConfirmButton(step.id, "yes", str(turn.pending)))
        view.add_item(ConfirmButton(step.id, "no", str(turn.pending)))
        return view
    if step.kind == "choice":
        for index, choice in enumerate(step.choices):
            view.add_item(ChoiceButton(step.id, index, choice.label))
    else:
        view.add_item(EnterButton(step.id, step.title))
    if interview.previous_step(turn.answers) is not None:
        view.add_item(NavButton(step.id, "back"))
    if step.optional:
        view.add_item(NavButton(step.id, "skip"))
    view.add_item(NavButton(step.id, "ask"))
    view.add_item(NavButton(step.id, "cancel"))
    return view


def plan_messages(bot: PrelimBot, turn: Turn) -> list[dict[str, Any]]:
    """The finished interview's plan, priorities first: your priorities and the list of sections
    (one embed each message), the last one carrying the menu to open a section (or the whole
    plan), to change an answer, or to start over."""
    profile = turn.profile()
    if profile is None:
        return [{"content": embeds.PLAN_FAILED, "view": plan_view(turn.answers)}]
    advisor = bot.holder.current
    plan = advisor.plan(profile)
    text = advisor.render_plan(plan, profile, "priorities")
    messages: list[dict[str, Any]] = [{"embed": e} for e in embeds.plan_embeds(text)]
    messages[-1]["view"] = plan_view(turn.answers, plan)
    return messages


def plan_view(answers: dict[str, Any], plan: Plan | None = None) -> SafeView:
    view = SafeView()
    if plan is not None and plan.parts:
        view.add_item(PlanSectionSelect(plan))
    view.add_item(ChangeAnswerSelect(answers))
    view.add_item(RestartButton())
    return view


async def show_turn(interaction: discord.Interaction, turn: Turn, *, edit: bool = True) -> None:
    """Show where the interview stands: edit the pressed message into the next step (or a new
    message when `edit` is False), and at the end send the plan."""
    show = update if edit else reply
    if not turn.done:
        await show(interaction, **step_message(turn))
        return
    await show(interaction, embed=embeds.done_embed(), view=None)
    for message in plan_messages(bot_of(interaction), turn):
        await reply(interaction, **message)


async def submit_number(interaction: discord.Interaction, step_id: str, text: str) -> None:
    """A number typed in the modal: the core parses and validates it; a bad value comes back
    as the same step with the reason."""
    turn = await bot_of(interaction).interviews.give(member_key(interaction.user), step_id, text)
    await show_turn(interaction, turn)


def submitted_text(components: list[dict[str, Any]], custom_id: str = NUMBER_INPUT) -> str:
    """The value of one text input in a modal_submit payload: inside a label
    (`{"type": 18, "component": {...}}`, what NumberModal sends), or inside an action row
    (`{"type": 1, "components": [...]}`, modals sent by older versions of the bot)."""
    for component in components:
        if component.get("custom_id") == custom_id and "value" in component:
            return str(component["value"])
        inner = component.get("components") or (
            [component["component"]] if "component" in component else []
        )
        found = submitted_text(inner, custom_id)
        if found:
            return found
    return ""


# -- the components ----------------------------------------------------------------------------
class ChoiceButton(
    ui.DynamicItem[ui.Button], template=rf"pa:iv:(?P<step>{STEP}):(?P<index>\d{{1,2}})"
):
    """One answer of a choice step: "pa:iv:{step_id}:{choice index}"."""

    def __init__(self, step_id: str, index: int, label: str | None = None) -> None:
        super().__init__(
            button(
                f"pa:iv:{step_id}:{index}",
                label or str(index + 1),
                style=discord.ButtonStyle.primary,
            )
        )
        self.step_id, self.index = step_id, index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> ChoiceButton:
        return cls(match["step"], int(match["index"]), item.label)

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        step = interview.BY_ID.get(self.step_id)
        if step is None or not 0 <= self.index < len(step.choices):
            turn = await interviews.current(member)  # a button from an older version of the bot
        else:
            turn = await interviews.give(member, step.id, step.choices[self.index].value)
        await show_turn(interaction, turn)


class EnterButton(ui.DynamicItem[ui.Button], template=rf"pa:iv:(?P<step>{STEP}):enter"):
    """Opens the modal for a number step (a modal can only open in answer to a press)."""

    def __init__(self, step_id: str, title: str | None = None) -> None:
        step = interview.BY_ID.get(step_id)
        title = title or (step.title if step else "answer")
        super().__init__(
            button(
                f"pa:iv:{step_id}:enter",
                f"Enter {title}",
                style=discord.ButtonStyle.primary,
                emoji="✏️",
            )
        )
        self.step_id = step_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> EnterButton:
        return cls(match["step"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        step = interview.BY_ID.get(self.step_id)
        if step is None or step.kind == "choice":
            turn = await bot_of(interaction).interviews.current(member_key(interaction.user))
            await show_turn(interaction, turn)
            return
        modal = NumberModal(step)
        # Stopped before sending, so discord.py doesn't keep it: it keys open modals by
        # custom_id alone, so two members typing the same step would take each other's entry,
        # and after a restart the submit would be dropped. Every submit instead reaches
        # InterviewCog.on_modal_submit, which reads the step from the custom_id.
        modal.stop()
        await interaction.response.send_modal(modal)


class NumberModal(SafeModal):
    """The form for a number step: "pa:num:{step_id}", one text input."""

    def __init__(self, step: interview.Step) -> None:
        super().__init__(
            title=limits.truncate(step.title, limits.MODAL_TITLE),
            timeout=None,
            custom_id=f"pa:num:{step.id}",
        )
        self.step = step
        # The input sits in a ui.Label (discord.py 2.6+), not in an action row with its own
        # label, which Discord has deprecated for modals.
        self.value: ui.TextInput = ui.TextInput(
            placeholder=limits.truncate(step.hint or "a number", limits.INPUT_PLACEHOLDER),
            custom_id=NUMBER_INPUT,
            max_length=20,
        )
        self.add_item(
            ui.Label(text=limits.truncate(step.title, limits.INPUT_LABEL), component=self.value)
        )

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await submit_number(interaction, self.step.id, self.value.value)


NAV = {
    "back": ("Back", "⬅️"),
    "skip": ("Skip", "⏭️"),
    "ask": ("Ask a question", "❓"),
    "cancel": ("Cancel", "✖️"),
}


class NavButton(
    ui.DynamicItem[ui.Button],
    template=rf"pa:iv:(?P<step>{STEP}):(?P<action>back|skip|ask|cancel)",
):
    def __init__(self, step_id: str, action: str) -> None:
        label, emoji = NAV[action]
        super().__init__(
            button(
                f"pa:iv:{step_id}:{action}",
                label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                row=4,
            )
        )
        self.step_id, self.action = step_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> NavButton:
        return cls(match["step"], match["action"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        if self.action == "ask":
            modal = QuestionModal(self.step_id)
            modal.stop()  # answered by InterviewCog.on_modal_submit, like the number modal
            await interaction.response.send_modal(modal)
            return
        if self.action == "cancel":
            interviews.pause(member)
            await update(interaction, content=embeds.PAUSED, embed=None, view=None)
            return
        if self.action == "back":
            turn = await interviews.back(member)
        else:
            turn = await interviews.skip(member, self.step_id)
        await show_turn(interaction, turn)


class QuestionModal(SafeModal):
    """ "Ask a question" during the interview: "pa:ask:{step_id}", one paragraph input."""

    def __init__(self, step_id: str) -> None:
        super().__init__(title="Ask a question", timeout=None, custom_id=f"pa:ask:{step_id}")
        self.question: ui.TextInput = ui.TextInput(
            placeholder="e.g. what is the difference between J-1 and H-1B?",
            custom_id=QUESTION_INPUT,
            style=discord.TextStyle.paragraph,
            max_length=QUESTION_CHARS,
        )
        self.add_item(ui.Label(text="Your question", component=self.question))


async def answer_question(interaction: discord.Interaction, text: str) -> None:
    """A question asked from the interview: the answer (with the answers so far), then the
    same step again, so the member carries on where they were."""
    bot = bot_of(interaction)
    member = member_key(interaction.user)
    try:
        answer = await bot.interviews.ask(
            bot.holder.current, member, text, place(interaction), guild=server_of(interaction)
        )
    except QuestionError as exc:
        await reply(interaction, content=str(exc))
    else:
        await reply(interaction, embeds=embeds.answer_embeds(answer))
    turn = await bot.interviews.current(member)
    if not turn.done:
        await reply(interaction, **step_message(turn))


class ConfirmButton(
    ui.DynamicItem[ui.Button],
    template=rf"pa:cf:(?P<step>{STEP}):(?P<answer>yes|no):(?P<value>-?[0-9.]{{1,12}})",
):
    """Yes / No to "Did you mean …?": "pa:cf:{step_id}:{yes|no}:{value}" (the value travels in
    the button, so the answer works after a restart too)."""

    def __init__(self, step_id: str, answer: str, value: str) -> None:
        yes = answer == "yes"
        shown = value.removesuffix(".0")
        super().__init__(
            button(
                f"pa:cf:{step_id}:{answer}:{value}",
                f"Yes, {shown}" if yes else "No, let me change it",
                style=discord.ButtonStyle.success if yes else discord.ButtonStyle.secondary,
            )
        )
        self.step_id, self.answer, self.value = step_id, answer, value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> ConfirmButton:
        return cls(match["step"], match["answer"], match["value"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        turn = await bot_of(interaction).interviews.confirm(
            member_key(interaction.user), self.step_id, self.value, self.answer == "yes"
        )
        await show_turn(interaction, turn)


class RestartButton(ui.DynamicItem[ui.Button], template=r"pa:plan:restart"):
    def __init__(self) -> None:
        super().__init__(
            button("pa:plan:restart", "Start over", emoji="🔁", style=discord.ButtonStyle.secondary)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> RestartButton:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        turn = await bot_of(interaction).interviews.restart(member_key(interaction.user))
        await reply(interaction, content=embeds.RESTARTED, **step_message(turn))


class PlanSectionSelect(ui.DynamicItem[ui.Select], template=r"pa:plan:open"):
    """Open one section of the member's plan, or the whole plan. The plan is rebuilt from the
    stored answers on each choice, so a menu on an old message shows the current plan."""

    def __init__(self, plan: Plan | None = None) -> None:
        options = [
            discord.SelectOption(
                label="Whole plan", value="full", description="Every section, each point once"
            )
        ]
        for number, part in enumerate(plan.parts if plan else (), 1):
            count = len(part.points)
            options.append(
                discord.SelectOption(
                    label=limits.truncate(f"{number}. {part.title}", limits.OPTION_TEXT),
                    value=part.id,
                    description=f"{count} point{'s' if count != 1 else ''}",
                )
            )
        super().__init__(
            ui.Select(
                custom_id="pa:plan:open",
                placeholder="Open a section of your plan…",
                options=options[: limits.SELECT_OPTIONS],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Select, match: re.Match[str], /
    ) -> PlanSectionSelect:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        turn = await bot.interviews.current(member_key(interaction.user))
        profile = turn.profile() if turn.done else None
        if profile is None:
            if turn.done:
                await reply(interaction, content=embeds.PLAN_FAILED)
            else:
                await reply(interaction, content=embeds.NO_PLAN_YET, **step_message(turn))
            return
        advisor = bot.holder.current
        plan = advisor.plan(profile)
        view = self.item.values[0] if self.item.values else "full"
        try:
            text = advisor.render_plan(plan, profile, view)
        except PlanViewError:  # that section is gone since an answer changed
            text = advisor.render_plan(plan, profile, "priorities")
        for embed in embeds.plan_embeds(text):
            await reply(interaction, embed=embed)


class ChangeAnswerSelect(ui.DynamicItem[ui.Select], template=r"pa:profile:change"):
    """Pick one answer to change: the core reopens that step and the interview asks it again."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        answers = answers or {}
        options = [
            discord.SelectOption(
                label=limits.truncate(step.title, limits.OPTION_TEXT),
                value=step.id,
                description=limits.truncate(
                    f"Now: {interview.describe(step, answers[step.id])}", limits.OPTION_TEXT
                )
                if step.id in answers
                else "Not answered yet",
            )
            for step in interview.applicable(answers)
        ][: limits.SELECT_OPTIONS]
        super().__init__(
            ui.Select(
                custom_id="pa:profile:change", placeholder="Change one answer…", options=options
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Select, match: re.Match[str], /
    ) -> ChangeAnswerSelect:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        step_id = self.item.values[0] if self.item.values else ""
        if step_id in interview.BY_ID:
            turn = await interviews.reopen(member, step_id)
        else:
            turn = await interviews.current(member)
        await show_turn(interaction, turn, edit=False)


class ShowPlanButton(ui.DynamicItem[ui.Button], template=r"pa:profile:plan"):
    def __init__(self) -> None:
        super().__init__(
            button("pa:profile:plan", "Show my plan", emoji="📋", style=discord.ButtonStyle.primary)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> ShowPlanButton:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        turn = await bot_of(interaction).interviews.current(member_key(interaction.user))
        if not turn.done:
            await reply(interaction, content=embeds.NO_PLAN_YET, **step_message(turn))
            return
        for message in plan_messages(bot_of(interaction), turn):
            await reply(interaction, **message)


ITEMS: tuple[type[ui.DynamicItem[Any]], ...] = (
    ChoiceButton,
    ConfirmButton,
    EnterButton,
    NavButton,
    RestartButton,
    PlanSectionSelect,
    ChangeAnswerSelect,
    ShowPlanButton,
)
