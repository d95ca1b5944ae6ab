"""The Discord bot: resources injected, cogs and persistent items registered in setup_hook,
and one error path where the member sees a short apology and the log gets the traceback."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.items import DYNAMIC_ITEMS
from bot.discord.messages import reply
from bot.holder import AdvisorHolder
from bot.session import Interviews
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)
WATCH_SECONDS = 5.0


class PrelimBot(commands.Bot):
    def __init__(self, holder: AdvisorHolder, store: Store, settings: Settings) -> None:
        intents = discord.Intents.default()
        intents.message_content = False  # privileged; slash commands don't need it
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.holder, self.store, self.settings = holder, store, settings
        self.interviews = Interviews(store)
        self.tree.on_error = self.on_app_command_error
        self._watcher: asyncio.Task | None = None

    async def setup_hook(self) -> None:
        await self.add_cogs()
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        if self.settings.kb_watch:
            self._watcher = asyncio.create_task(self.watch_knowledge())
        if self.settings.guild_id:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        await self.tree.sync()

    async def add_cogs(self) -> None:
        from bot.discord.ask import AskCog
        from bot.discord.interview import InterviewCog
        from bot.discord.moderation import ModerationCog

        for cog in (AskCog(self), InterviewCog(self), ModerationCog(self)):
            await self.add_cog(cog)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            if not interaction.response.is_done():
                await reply(
                    interaction, ephemeral=True, content="Sorry, you can't use this command here."
                )
            return
        log.error(
            "command %s failed", getattr(interaction.command, "qualified_name", "?"), exc_info=error
        )
        try:
            await reply(
                interaction,
                ephemeral=True,
                content="Sorry, something went wrong on my side. Your saved answers are safe; please try again.",
            )
        except discord.HTTPException:
            log.warning("could not send the apology")

    async def watch_knowledge(self) -> None:
        """Reload when a knowledge file changes (KB_WATCH=true). Broken edits are refused as in /kb reload."""
        seen = _stamp(self.holder.directory)
        while True:
            await asyncio.sleep(WATCH_SECONDS)
            now = _stamp(self.holder.directory)
            if now == seen:
                continue
            seen = now
            result = await asyncio.to_thread(self.holder.reload)
            await self.store.record_reload(
                "file watcher", result.digest, result.counts, result.ok, result.errors
            )
            if result.ok:
                log.info("knowledge reloaded after a file change (%s)", result.digest)
            else:
                log.warning(
                    "knowledge change refused, previous knowledge still serving:\n%s",
                    "\n".join(result.errors),
                )

    async def close(self) -> None:
        if self._watcher:
            self._watcher.cancel()
        await super().close()


def _stamp(directory: Path) -> tuple:
    try:
        return tuple(
            sorted(
                (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.y*ml")
            )
        )
    except OSError:
        return ()


def create_bot(holder: AdvisorHolder, store: Store, settings: Settings) -> PrelimBot:
    return PrelimBot(holder, store, settings)


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # At DEBUG the discord library logs interaction tokens and DM content: never below INFO.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
