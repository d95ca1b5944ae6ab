"""The Discord bot: resources injected, cogs and persistent components installed, commands
synced, and one error path (the member sees a short apology, the log gets the traceback)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import ask, interview_views, profile, topics
from bot.discord.ask import AskCog
from bot.discord.interview import InterviewCog
from bot.discord.moderation import ModerationCog
from bot.discord.privacy import PrivacyCog
from bot.discord.profile import ProfileCog
from bot.discord.respond import apologise, reply
from bot.discord.topics import TopicsCog
from bot.discord.watch import watch_knowledge
from bot.holder import AdvisorHolder, ReloadResult
from bot.session import Interviews
from bot.settings import Settings
from bot.store import Store

log = logging.getLogger(__name__)

#: Every persistent component, registered in setup_hook so presses work after a restart.
DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    *interview_views.ITEMS,
    ask.VoteButton,
    *topics.ITEMS,
    *profile.ITEMS,
)
CANNOT_USE = "Sorry, you can't use this command here."
#: Seconds a reload may take beyond its check's limit (loading what was checked).
RELOAD_GRACE = 30.0


class PrelimTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            # a check that refuses answers the member itself; this covers any that didn't
            if not interaction.response.is_done():
                await reply(interaction, ephemeral=True, content=CANNOT_USE)
            return
        original = getattr(error, "original", error)
        command = getattr(interaction.command, "qualified_name", "?")
        await apologise(interaction, original, f"/{command}")


class PrelimBot(commands.Bot):
    def __init__(
        self,
        holder: AdvisorHolder,
        store: Store,
        interviews: Interviews,
        settings: Settings,
    ) -> None:
        intents = discord.Intents.default()  # nothing privileged: slash commands need no more
        intents.message_content = intents.members = intents.presences = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=PrelimTree,
        )
        self.holder, self.store, self.interviews, self.settings = (
            holder,
            store,
            interviews,
            settings,
        )
        self._reload_lock = asyncio.Lock()
        self._watcher: asyncio.Task[None] | None = None

    async def install(self) -> None:
        """Cogs and persistent components: everything but the network (tests call this)."""
        for cog in (AskCog, InterviewCog, ProfileCog, TopicsCog, PrivacyCog, ModerationCog):
            await self.add_cog(cog(self))
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def setup_hook(self) -> None:
        await self.install()
        if self.settings.kb_watch:
            self._watcher = asyncio.create_task(watch_knowledge(self), name="kb-watch")
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Global commands (they reach every server within minutes), plus a copy in GUILD_ID,
        which updates instantly, while developing."""
        if self.settings.guild_id:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to server %s", len(synced), guild.id)
            except discord.Forbidden:
                log.warning(
                    "could not sync commands to GUILD_ID %s: is the bot in that server, invited "
                    "with the applications.commands scope?",
                    guild.id,
                )
        synced = await self.tree.sync()
        log.info("synced %d global commands", len(synced))

    async def on_message(self, message: discord.Message, /) -> None:
        """Ignored: everything goes through slash commands and components. (The default would
        treat "@bot words" as a prefix command and log "command not found" with the words.)"""

    async def reload_knowledge(self, who: str, member: str | None = None) -> ReloadResult:
        """Reload the knowledge (one at a time, off the event loop) and record it. A broken
        copy is refused by the holder and the old knowledge keeps serving. `member` lets
        /forget remove the moderator's name from the history later."""
        async with self._reload_lock:
            # The check itself runs in a child process stopped at holder.timeout; this outer
            # limit also covers loading what it checked, so the lock is always released.
            limit = self.holder.timeout + RELOAD_GRACE
            try:
                result = await asyncio.wait_for(asyncio.to_thread(self.holder.reload), limit)
            except TimeoutError:
                result = self.holder.abandon(limit)
            await self.store.record_reload(
                who, result.digest, result.counts, result.ok, result.errors, member=member
            )
        if result.ok:
            log.info("knowledge reloaded by %s (%s)", who, result.digest)
        else:
            log.warning("reload by %s refused:\n%s", who, "\n".join(result.errors))
        return result

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        await super().close()


def create_bot(holder: AdvisorHolder, store: Store, settings: Settings) -> PrelimBot:
    """The bot over already-open resources; nothing touches the network until `start`."""
    return PrelimBot(holder, store, Interviews(store), settings)


def setup_logging(level: str) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    # At DEBUG discord.py logs gateway payloads: interaction tokens and DM content. Never that.
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
