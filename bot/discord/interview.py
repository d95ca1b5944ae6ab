"""/plan: the guided interview. In a server it continues in DMs; in DMs it runs right there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.access import member_command
from bot.discord.interview_views import (
    NUMBER_MODAL,
    QUESTION_INPUT,
    QUESTION_MODAL,
    answer_question,
    plan_messages,
    step_message,
    submit_number,
    submitted_text,
)
from bot.discord.respond import apologise, in_server, member_key, reply, send_dm

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot
    from bot.session import Turn

DMS_CLOSED = 50007  # Discord's "Cannot send messages to this user"


log = logging.getLogger(__name__)


class InterviewCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="plan", description="Answer a few questions (in DMs) and get your personal plan"
    )
    @member_command
    async def plan(self, interaction: discord.Interaction) -> None:
        member = member_key(interaction.user)
        self.bot.interviews.begin(member)
        turn = await self.bot.interviews.current(member)
        messages = self.messages_for(turn)
        if not in_server(interaction):
            for message in messages:
                await reply(interaction, **message)
            return
        # Sending DMs goes over the network: acknowledge first (3-second rule).
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            for message in messages:
                sent = await send_dm(interaction.user, **message)
        except discord.Forbidden as exc:
            log.info("could not DM a member for /plan (403, code %s)", exc.code)
            text = embeds.DMS_CLOSED if exc.code == DMS_CLOSED else embeds.DM_FAILED
            await reply(interaction, ephemeral=True, content=text)
            return
        except discord.HTTPException as exc:
            log.warning("could not DM a member for /plan (HTTP %s, code %s)", exc.status, exc.code)
            await reply(interaction, ephemeral=True, content=embeds.DM_FAILED)
            return
        text = embeds.SENT_TO_DM.format(what="your plan" if turn.done else "the questions")
        link = getattr(sent, "jump_url", None)
        if isinstance(link, str):
            text += f" {link}"
        await reply(interaction, ephemeral=True, content=text)

    def messages_for(self, turn: Turn) -> list[dict[str, Any]]:
        if turn.done:
            return [{"embed": embeds.done_embed()}, *plan_messages(self.bot, turn)]
        return [step_message(turn)]

    @commands.Cog.listener("on_interaction")
    async def on_modal_submit(self, interaction: discord.Interaction) -> None:
        """Every number typed in the interview's modal, and every question asked from it,
        arrives here, before or after a restart: the step is in the modal's custom_id, the
        value in the payload."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})  # type: ignore[arg-type]
        custom_id = str(data.get("custom_id", ""))
        components = data.get("components") or []
        try:
            if match := NUMBER_MODAL.fullmatch(custom_id):
                await submit_number(interaction, match["step"], submitted_text(components))
            elif QUESTION_MODAL.fullmatch(custom_id):
                text = submitted_text(components, QUESTION_INPUT)
                await answer_question(interaction, text)
        except Exception as exc:
            await apologise(interaction, exc, f"modal {custom_id[:40]!r}")
