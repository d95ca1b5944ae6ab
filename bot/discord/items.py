"""Persistent buttons, selects and the number modal.

Every component is a `DynamicItem` with a prefixed custom_id ("pa:...") registered in
`setup_hook`, and reads its state from the store each time, never from the view object: a bot
restart in the middle of an interview loses nothing, and the member carries on by pressing the
same buttons. Callbacks are thin: the core decides, these only show.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import ui

from bot import interview
from bot.discord import limits
from bot.discord.messages import (
    NONE,
    answer_embed,
    done_embed,
    member_key,
    plan_chunks,
    reply,
    step_message,
)

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot
    from bot.session import Turn

log = logging.getLogger(__name__)
STEP = r"[a-z0-9_]{1,40}"


def guarded(callback: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """One error path for components: the member gets a short apology, the log the traceback.
    (discord.py only logs errors from dynamic items, leaving the member with "interaction failed".)"""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> None:
        try:
            await callback(self, interaction, *args)
        except Exception:
            log.exception("component %s failed", getattr(self, "custom_id", type(self).__name__))
            await apologise(interaction)

    return wrapper


async def apologise(interaction: discord.Interaction) -> None:
    text = "Sorry, something went wrong on my side. Your saved answers are safe; please try again."
    try:
        await reply(interaction, ephemeral=True, content=text)
    except discord.HTTPException:
        log.warning("could not send the apology either")


def bot_of(interaction: discord.Interaction) -> PrelimBot:
    return interaction.client  # type: ignore[return-value]


async def show_turn(interaction: discord.Interaction, turn: Turn) -> None:
    """Show the interview's state by editing the message the member pressed (or replying)."""
    if not turn.done:
        message = step_message(turn)
        if interaction.message is not None and not interaction.response.is_done():
            await interaction.response.edit_message(allowed_mentions=NONE, content=None, **message)
        else:
            await reply(interaction, **message)
        return
    if interaction.message is not None and not interaction.response.is_done():
        await interaction.response.edit_message(
            allowed_mentions=NONE, content=None, embed=done_embed(), view=PlanActions()
        )
    else:
        await reply(interaction, embed=done_embed(), view=PlanActions())
    await send_plan(interaction, turn)


async def send_plan(interaction: discord.Interaction, turn: Turn) -> None:
    bot = bot_of(interaction)
    profile = turn.profile()
    if profile is None:
        await reply(
            interaction,
            content="I couldn't build a plan from these answers; use /plan to answer again.",
        )
        return
    advisor = bot.holder.current
    text = advisor.render_plan(advisor.plan(profile), profile)
    for chunk in plan_chunks(text):
        await interaction.followup.send(
            content=chunk, ephemeral=interaction.guild_id is not None, allowed_mentions=NONE
        )


class PlanActions(ui.View):
    """Under a finished plan: start over (persistent through DynamicItems)."""

    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(NavButton("restart", "plan"))


class ChoiceButton(
    ui.DynamicItem[ui.Button], template=rf"pa:iv:c:(?P<step>{STEP}):(?P<i>\d{{1,2}})"
):
    def __init__(self, step_id: str, index: int, label: str = "…") -> None:
        super().__init__(
            ui.Button(
                label=limits.clip(label, limits.BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=f"pa:iv:c:{step_id}:{index}",
            )
        )
        self.step_id, self.index = step_id, index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> ChoiceButton:
        return cls(match["step"], int(match["i"]), item.label or "…")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        step = interview.BY_ID.get(self.step_id)
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        if step is None or not 0 <= self.index < len(step.choices):
            turn = await interviews.current(member)
        else:
            turn = await interviews.give(member, self.step_id, step.choices[self.index].value)
        await show_turn(interaction, turn)


class EnterButton(ui.DynamicItem[ui.Button], template=rf"pa:iv:e:(?P<step>{STEP})"):
    """Opens the modal for a number (a modal can only open in answer to an interaction)."""

    def __init__(self, step_id: str, title: str = "answer") -> None:
        super().__init__(
            ui.Button(
                label=limits.clip(f"Enter {title}", limits.BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                emoji="✏️",
                custom_id=f"pa:iv:e:{step_id}",
            )
        )
        self.step_id = step_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> EnterButton:
        return cls(match["step"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        step = interview.BY_ID.get(self.step_id)
        if step is None or step.kind == "choice":
            await show_turn(
                interaction,
                await bot_of(interaction).interviews.current(member_key(interaction.user)),
            )
            return
        await interaction.response.send_modal(NumberModal(step))


class NumberModal(ui.Modal):
    def __init__(self, step: interview.Step) -> None:
        super().__init__(
            title=limits.clip(step.title, limits.MODAL_TITLE),
            timeout=None,
            custom_id=f"pa:iv:m:{step.id}",
        )
        self.step = step
        self.value: ui.TextInput = ui.TextInput(
            label=limits.clip(step.title, limits.INPUT_LABEL),
            placeholder=limits.clip(step.hint or "a number", limits.OPTION_TEXT),
            max_length=20,
        )
        self.add_item(self.value)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        try:
            turn = await bot_of(interaction).interviews.give(
                member_key(interaction.user), self.step.id, self.value.value
            )
            await show_turn(interaction, turn)
        except Exception as exc:
            await self.on_error(interaction, exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        log.error("modal %s failed", self.custom_id, exc_info=error)
        await apologise(interaction)


NAV_LABELS = {
    "back": ("Back", "⬅️"),
    "skip": ("Skip", "⏭️"),
    "cancel": ("Cancel", "✖️"),
    "restart": ("Start over", "🔁"),
}


class NavButton(
    ui.DynamicItem[ui.Button],
    template=rf"pa:iv:(?P<action>back|skip|cancel|restart):(?P<step>{STEP})",
):
    def __init__(self, action: str, step_id: str) -> None:
        label, emoji = NAV_LABELS[action]
        super().__init__(
            ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                row=4,
                custom_id=f"pa:iv:{action}:{step_id}",
            )
        )
        self.action, self.step_id = action, step_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> NavButton:
        return cls(match["action"], match["step"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        if self.action == "back":
            turn = await interviews.back(member)
        elif self.action == "skip":
            turn = await interviews.skip(member, self.step_id)
        elif self.action == "restart":
            turn = await interviews.restart(member)
        else:
            await interaction.response.edit_message(
                allowed_mentions=NONE,
                content="Paused. Your answers are saved: use /plan to carry on.",
                embed=None,
                view=None,
            )
            return
        await show_turn(interaction, turn)


class VoteButton(
    ui.DynamicItem[ui.Button],
    template=r"pa:vote:(?P<aid>\d{1,25}):(?P<entry>[a-z0-9_.-]{1,60}):(?P<v>up|down)",
):
    """👍 / 👎 under an answer: one vote per member per answer; voting again changes it."""

    def __init__(self, answer_id: str, entry: str, vote: str) -> None:
        super().__init__(
            ui.Button(
                emoji="👍" if vote == "up" else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"pa:vote:{answer_id}:{entry}:{vote}",
            )
        )
        self.answer_id, self.entry, self.vote = answer_id, entry, vote

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> VoteButton:
        return cls(match["aid"], match["entry"], match["v"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await bot_of(interaction).store.vote(
            self.answer_id, member_key(interaction.user), self.entry, 1 if self.vote == "up" else -1
        )
        await reply(
            interaction, ephemeral=True, content="Thanks for the feedback! It helps the moderators."
        )


def vote_view(answer_id: int | str, entry: str) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(VoteButton(str(answer_id), entry, "up"))
    view.add_item(VoteButton(str(answer_id), entry, "down"))
    return view


class ForgetButton(
    ui.DynamicItem[ui.Button], template=r"pa:forget:(?P<action>yes|no):(?P<uid>\d{1,25})"
):
    def __init__(self, action: str, user_id: int) -> None:
        yes = action == "yes"
        super().__init__(
            ui.Button(
                label="Delete everything" if yes else "Cancel",
                style=discord.ButtonStyle.danger if yes else discord.ButtonStyle.secondary,
                custom_id=f"pa:forget:{action}:{user_id}",
            )
        )
        self.action, self.user_id = action, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> ForgetButton:
        return cls(match["action"], int(match["uid"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.user_id

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if self.action == "yes":
            await bot_of(interaction).store.forget(member_key(interaction.user))
            text = "Done: everything stored about you has been deleted."
        else:
            text = "Nothing was deleted."
        await interaction.response.edit_message(
            allowed_mentions=NONE, content=text, embed=None, view=None
        )


def forget_view(user_id: int) -> ui.View:
    view = ui.View(timeout=None)
    view.add_item(ForgetButton("yes", user_id))
    view.add_item(ForgetButton("no", user_id))
    return view


class ChangeAnswerSelect(ui.DynamicItem[ui.Select], template=r"pa:profile:change"):
    """From /profile: pick one answer to change; the interview asks that step again."""

    def __init__(self, answers: dict[str, Any] | None = None) -> None:
        steps = interview.applicable(answers or {}) if answers is not None else interview.STEPS
        options = [
            discord.SelectOption(label=limits.clip(s.title, limits.OPTION_TEXT), value=s.id)
            for s in steps
        ][: limits.SELECT_OPTIONS]
        super().__init__(
            ui.Select(
                placeholder="Change one answer…", options=options, custom_id="pa:profile:change"
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Select, match: Any
    ) -> ChangeAnswerSelect:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        step_id = self.item.values[0] if self.item.values else ""
        interviews = bot_of(interaction).interviews
        member = member_key(interaction.user)
        if step_id not in interview.BY_ID:
            turn = await interviews.current(member)
        else:
            turn = await interviews.reopen(member, step_id)
        await show_turn(interaction, turn)


class ShowPlanButton(ui.DynamicItem[ui.Button], template=r"pa:profile:plan"):
    def __init__(self) -> None:
        super().__init__(
            ui.Button(
                label="Show my plan",
                emoji="📋",
                style=discord.ButtonStyle.primary,
                custom_id="pa:profile:plan",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: Any
    ) -> ShowPlanButton:
        return cls()

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        turn = await bot_of(interaction).interviews.current(member_key(interaction.user))
        if not turn.done:
            await show_turn(interaction, turn)
            return
        await interaction.response.defer(ephemeral=interaction.guild_id is not None, thinking=True)
        await send_plan(interaction, turn)


def profile_view(answers: dict[str, Any], complete: bool) -> ui.View:
    view = ui.View(timeout=None)
    if answers:
        view.add_item(ChangeAnswerSelect(answers))
    if complete:
        view.add_item(ShowPlanButton())
    return view


class TopicSelect(ui.DynamicItem[ui.Select], template=r"pa:topics:(?P<page>\d{1,2})"):
    """/topics: browse the knowledge by topic; each select holds up to 25 topics."""

    def __init__(self, page: int, titles: list[tuple[str, str]] | None = None) -> None:
        options = [
            discord.SelectOption(label=limits.clip(title, limits.OPTION_TEXT), value=topic_id)
            for topic_id, title in (titles or [("placeholder", "…")])
        ][: limits.SELECT_OPTIONS]
        first = page * limits.SELECT_OPTIONS + 1
        super().__init__(
            ui.Select(
                placeholder=f"Topics {first}–{first + len(options) - 1}",
                options=options,
                custom_id=f"pa:topics:{page}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Select, match: Any
    ) -> TopicSelect:
        return cls(int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        advisor = bot.holder.current
        topic = advisor.knowledge.topic(self.item.values[0]) if self.item.values else None
        if topic is None:
            await reply(
                interaction,
                content="That topic has changed since this menu was sent; use /topics again.",
            )
            return
        profile = await bot.interviews.profile(member_key(interaction.user))
        answer = advisor.render_answer(
            topic, 1.0, advisor.answer_context(None, "ck", False, profile)
        )
        await reply(interaction, embed=answer_embed(answer))


def topics_view(topics: list[tuple[str, str]]) -> ui.View:
    view = ui.View(timeout=None)
    size = limits.SELECT_OPTIONS
    for page in range(min(limits.ROWS, (len(topics) + size - 1) // size)):
        view.add_item(TopicSelect(page, topics[page * size : (page + 1) * size]))
    return view


DYNAMIC_ITEMS = (
    ChoiceButton,
    EnterButton,
    NavButton,
    VoteButton,
    ForgetButton,
    ChangeAnswerSelect,
    ShowPlanButton,
    TopicSelect,
)
