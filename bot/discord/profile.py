"""/profile and /forget: the member's own stored answers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands, ui
from discord.ext import commands

from bot.discord import embeds
from bot.discord.access import member_command
from bot.discord.interview_views import ChangeAnswerSelect, ShowPlanButton
from bot.discord.respond import NONE, member_key, reply, update
from bot.discord.views import SafeView, bot_of, button, guarded

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot
    from bot.session import Turn


class ProfileCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="profile", description="See your stored answers, change one, or get your plan again"
    )
    @member_command
    async def profile(self, interaction: discord.Interaction) -> None:
        turn = await self.bot.interviews.current(member_key(interaction.user))
        await reply(interaction, ephemeral=True, **profile_message(turn))

    @app_commands.command(name="forget", description="Delete everything I have stored about you")
    @member_command
    async def forget(self, interaction: discord.Interaction) -> None:
        view = SafeView()
        view.add_item(ForgetButton("yes", interaction.user.id))
        view.add_item(ForgetButton("no", interaction.user.id))
        await reply(interaction, ephemeral=True, content=embeds.FORGET_ASK, view=view)


def profile_message(turn: Turn) -> dict[str, Any]:
    """The member's answers, with the menu to change one and, when complete, the plan button
    (for /profile, and `profile` typed in a DM)."""
    view = None
    if turn.answers:
        view = SafeView()
        view.add_item(ChangeAnswerSelect(turn.answers))
        if turn.done:
            view.add_item(ShowPlanButton())
    return {"embed": embeds.profile_embed(turn.answers, turn.done), "view": view}


class ForgetButton(
    ui.DynamicItem[ui.Button], template=r"pa:forget:(?P<action>yes|no):(?P<user>\d{1,20})"
):
    """Confirm or cancel /forget. Only the member who asked can press it."""

    def __init__(self, action: str, user_id: int) -> None:
        yes = action == "yes"
        super().__init__(
            button(
                f"pa:forget:{action}:{user_id}",
                "Delete everything" if yes else "Cancel",
                style=discord.ButtonStyle.danger if yes else discord.ButtonStyle.secondary,
            )
        )
        self.action, self.user_id = action, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> ForgetButton:
        return cls(match["action"], int(match["user"]))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.user_id:
            return True
        await interaction.response.send_message(
            embeds.NOT_YOURS, ephemeral=True, allowed_mentions=NONE
        )
        return False

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        if self.action == "yes":
            bot = bot_of(interaction)
            member = member_key(interaction.user)
            await bot.store.forget(member)
            bot.interviews.pause(member)  # typed DMs are questions again, not answers
            text = embeds.FORGOTTEN
        else:
            text = embeds.NOT_FORGOTTEN
        await update(interaction, content=text, embed=None, view=None)


ITEMS = (ForgetButton,)
