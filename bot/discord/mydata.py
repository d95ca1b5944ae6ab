"""/mydata: everything stored about the member, in one JSON document, ephemeral."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import embeds
from bot.discord.access import member_command
from bot.discord.respond import member_key, reply

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

FILENAME = "prelim-advisor-my-data.json"


class MyDataCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="mydata", description="See everything I store about you, as a JSON file to keep"
    )
    @member_command
    async def mydata(self, interaction: discord.Interaction) -> None:
        data = await self.bot.store.export(member_key(interaction.user))
        document = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        await reply(
            interaction,
            ephemeral=True,
            embed=embeds.mydata_embed(data),
            file=discord.File(io.BytesIO(document), filename=FILENAME),
        )
