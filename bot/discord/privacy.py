"""/privacy: what is stored, why, for how long, and how to delete it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.access import member_command
from bot.discord.respond import reply

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot


class PrivacyCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="privacy", description="What I store about you, why, and how to delete it"
    )
    @member_command
    async def privacy(self, interaction: discord.Interaction) -> None:
        await reply(interaction, embed=embeds.privacy_embed())
