"""/plan, /profile and /forget: the guided interview (in DMs) and the member's own data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask import member_command
from bot.discord.items import forget_view, profile_view, send_plan
from bot.discord.messages import done_embed, member_key, profile_embed, reply, step_message

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

CLOSED_DMS = 50007
DMS_CLOSED_TEXT = (
    "I couldn't send you a DM: your DMs are closed for this server. To open them: tap the server name → "
    "Privacy Settings (or Settings → Privacy) → allow Direct Messages from server members. Then use /plan again, "
    "or open a DM with me and use /plan there."
)


class InterviewCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="plan", description="Answer a few questions (in DMs) and get your personal plan"
    )
    @member_command
    async def plan(self, interaction: discord.Interaction) -> None:
        turn = await self.bot.interviews.current(member_key(interaction.user))
        if interaction.guild_id is None:
            if turn.done:
                await reply(interaction, embed=done_embed())
                await send_plan(interaction, turn)
            else:
                await reply(interaction, **step_message(turn))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            if turn.done:
                await interaction.user.send(
                    embed=done_embed(), allowed_mentions=discord.AllowedMentions.none()
                )
                profile = turn.profile()
                advisor = self.bot.holder.current
                from bot.discord.messages import plan_chunks

                for chunk in plan_chunks(advisor.render_plan(advisor.plan(profile), profile)):
                    await interaction.user.send(
                        content=chunk, allowed_mentions=discord.AllowedMentions.none()
                    )
            else:
                await interaction.user.send(
                    allowed_mentions=discord.AllowedMentions.none(), **step_message(turn)
                )
        except discord.Forbidden as exc:
            text = (
                DMS_CLOSED_TEXT
                if exc.code == CLOSED_DMS
                else "I couldn't send you a DM. " + DMS_CLOSED_TEXT
            )
            await reply(interaction, ephemeral=True, content=text)
            return
        except discord.HTTPException:
            await reply(
                interaction,
                ephemeral=True,
                content="Discord didn't let me send the DM just now. Please try /plan again in a minute.",
            )
            return
        what = "your plan" if turn.done else "the questions"
        await reply(
            interaction,
            ephemeral=True,
            content=f"I've sent you a DM with {what}. Your answers stay private.",
        )

    @app_commands.command(
        name="profile", description="See your stored answers, change one, or get your plan again"
    )
    @member_command
    async def profile(self, interaction: discord.Interaction) -> None:
        turn = await self.bot.interviews.current(member_key(interaction.user))
        await reply(
            interaction,
            ephemeral=True,
            embed=profile_embed(turn.answers, turn.done),
            view=profile_view(turn.answers, turn.done),
        )

    @app_commands.command(name="forget", description="Delete everything I have stored about you")
    @member_command
    async def forget(self, interaction: discord.Interaction) -> None:
        await reply(
            interaction,
            ephemeral=True,
            content="This deletes all your answers, and any questions or votes linked to you. Are you sure?",
            view=forget_view(interaction.user.id),
        )
