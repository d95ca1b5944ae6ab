"""The Discord bot: resources injected, cogs and persistent components installed, commands
synced only when asked (or to the GUILD_ID development server), and one error path (the member
sees a short apology, the log gets the traceback)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import ask, interview_views, profile, topics
from bot.discord.access import allowed_here, server_allowed
from bot.discord.ask import AskCog
from bot.discord.dm import DirectMessagesCog
from bot.discord.interview import InterviewCog
from bot.discord.moderation import ModerationCog
from bot.discord.mydata import MyDataCog
from bot.discord.privacy import PrivacyCog
from bot.discord.profile import ProfileCog
from bot.discord.respond import apologise, reply
from bot.discord.topics import TopicsCog
from bot.discord.watch import watch_knowledge
from bot.holder import AdvisorHolder, ReloadResult
from bot.semantic import embedder
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
#: What setup_hook syncs: "auto" = a copy in GUILD_ID when set, else nothing (commands stay as
#: last synced); "global" = the global commands (`run --sync`); "off" (`python -m bot sync`).
StartSync = Literal["auto", "global", "off"]


def bot_intents() -> discord.Intents:
    """Only what the features need, nothing privileged: `guilds` (application commands, and
    joining and leaving servers) and `dm_messages` (answers typed in the bot's DMs: their
    content arrives without the privileged message_content intent). No server messages, no
    typing, no members, no presences."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.dm_messages = True
    return intents


class PrelimTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every command and autocomplete: nothing in a server outside ALLOWED_GUILDS."""
        return await allowed_here(interaction)

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
        *,
        start_sync: StartSync = "auto",
        **options: Any,
    ) -> None:
        # The bot never joins voice: no start-up warnings about voice libraries it doesn't need.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=PrelimTree,
            **options,
        )
        self.start_sync: StartSync = start_sync
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
        for cog in (
            AskCog,
            InterviewCog,
            ProfileCog,
            TopicsCog,
            PrivacyCog,
            MyDataCog,
            DirectMessagesCog,
            ModerationCog,
        ):
            await self.add_cog(cog(self))
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        log.info("starting: %s", self.describe_shards())
        await super().start(token, reconnect=reconnect)

    async def setup_hook(self) -> None:
        await self.install()
        # The word embeddings are read on first use (~0.2 s): read them now, off the event
        # loop, so the first member's question doesn't wait for them.
        self._warm = asyncio.create_task(asyncio.to_thread(embedder), name="embeddings")
        if self.settings.kb_watch:
            self._watcher = asyncio.create_task(watch_knowledge(self), name="kb-watch")
        await self.sync_at_start()

    async def sync_at_start(self) -> None:
        """No global sync on every start (discord.py's advice: sync when commands change).
        With `run --sync`, the global commands; otherwise, with GUILD_ID, a copy of them in that
        server only (development: changes show there at once)."""
        guild_id = self.settings.guild_id
        if self.start_sync == "global":
            if guild_id:
                log.warning(
                    "run --sync: commands synced globally, so no copy is made in GUILD_ID %s "
                    "(they would show twice there)",
                    guild_id,
                )
            try:
                count = await self.sync_commands()
                log.info("synced %d global commands (they can take up to an hour to appear)", count)
            except discord.HTTPException as exc:  # the bot still starts, with the last commands
                log.warning("could not sync the commands globally (HTTP %s)", exc.status)
        elif self.start_sync == "auto" and guild_id:
            try:
                count = await self.sync_commands(guild_id)
                log.info("synced %d commands to server %s (GUILD_ID)", count, guild_id)
            except discord.Forbidden:
                log.warning(
                    "could not sync commands to GUILD_ID %s: is the bot in that server, invited "
                    "with the applications.commands scope?",
                    guild_id,
                )
        elif self.start_sync == "auto":
            log.info(
                "commands not synced on start; after changing them run: python -m bot sync "
                "(or python -m bot run --sync)"
            )

    async def sync_commands(self, guild_id: int | None = None) -> int:
        """Publish the commands: globally (every server, within an hour), or, given a server
        id, a copy of the global commands in that server only (instant). Returns how many."""
        if guild_id is None:
            return len(await self.tree.sync())
        guild = discord.Object(id=guild_id)
        self.tree.copy_global_to(guild=guild)
        return len(await self.tree.sync(guild=guild))

    async def clear_guild_commands(self, guild_id: int) -> None:
        """Remove the copy of the commands made in one server (the global ones stay)."""
        guild = discord.Object(id=guild_id)
        self.tree.clear_commands(guild=guild)
        await self.tree.sync(guild=guild)

    def serves(self, guild_id: int) -> bool:
        return server_allowed(self.settings.allowed_guilds, guild_id)

    async def leave_if_not_allowed(self, guild: discord.Guild) -> bool:
        """Leave a server that is not in ALLOWED_GUILDS (logging its id only); True if left."""
        if self.serves(guild.id):
            return False
        log.warning("leaving server %s: it is not in ALLOWED_GUILDS", guild.id)
        try:
            await guild.leave()
        except discord.HTTPException as exc:
            log.warning("could not leave server %s (HTTP %s)", guild.id, exc.status)
        return True

    async def on_guild_join(self, guild: discord.Guild, /) -> None:
        await self.leave_if_not_allowed(guild)

    async def on_ready(self) -> None:
        log.info("ready: %s, in %d servers", self.describe_shards(), len(self.guilds))
        for guild in list(self.guilds):
            await self.leave_if_not_allowed(guild)

    def describe_shards(self) -> str:
        """Which gateway shards this process runs, for the log."""
        if not isinstance(self, discord.AutoShardedClient):
            return "one gateway connection (no sharding)"
        count, ids = self.shard_count, self.shard_ids
        if count is None:
            return "as many shards as Discord recommends, all in this process"
        mine = ids if ids is not None else range(count)
        return f"shards {','.join(map(str, mine))} of {count}"

    async def on_message(self, message: discord.Message, /) -> None:
        """Ignored: everything goes through slash commands and components. (The default would
        treat "@bot words" as a prefix command and log "command not found" with the words.)"""

    async def reload_knowledge(
        self, who: str, member: str | None = None, guild: str | None = None
    ) -> ReloadResult:
        """Reload the knowledge (one at a time, off the event loop) and record it, in the
        server it was asked from (`guild`; None for the file watcher). A broken copy is refused
        by the holder and the old knowledge keeps serving. `member` lets /forget remove the
        moderator's name from the history later."""
        async with self._reload_lock:
            # The check itself runs in a child process stopped at holder.timeout; this outer
            # limit also covers loading what it checked, so the lock is always released.
            limit = self.holder.timeout + RELOAD_GRACE
            try:
                result = await asyncio.wait_for(asyncio.to_thread(self.holder.reload), limit)
            except TimeoutError:
                result = self.holder.abandon(limit)
            await self.store.record_reload(
                who,
                result.digest,
                result.counts,
                result.ok,
                result.errors,
                member=member,
                guild=guild,
            )
        # The log names no one: a moderator's name is member data (it stays in the history,
        # where /forget can remove it). The file watcher is not a member and is named.
        by = "the file watcher" if member is None else "a moderator"
        if result.ok:
            log.info("knowledge reloaded by %s (%s)", by, result.digest)
        else:
            log.warning("reload by %s refused:\n%s", by, "\n".join(result.errors))
        return result

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        await super().close()


class ShardedPrelimBot(PrelimBot, commands.AutoShardedBot):
    """The same bot over several gateway shards in one process (SHARD_COUNT set): all of them,
    or the slice SHARD_IDS, the other shards running in other processes over one shared
    database. Interactions are answered on whichever shard receives them."""


def shard_options(settings: Settings) -> dict[str, Any]:
    """The client class's sharding arguments. SHARD_COUNT unset: one connection (discord.py
    advises sharding only past ~1,000 servers; Discord requires it at 2,500); "auto": as many
    shards as Discord recommends, all here; N: N shards, all here or those in SHARD_IDS."""
    if not isinstance(settings.shard_count, int):
        return {}
    options: dict[str, Any] = {"shard_count": settings.shard_count}
    if settings.shard_ids:
        options["shard_ids"] = list(settings.shard_ids)
    return options


def create_bot(
    holder: AdvisorHolder, store: Store, settings: Settings, *, start_sync: StartSync = "auto"
) -> PrelimBot:
    """The bot over already-open resources; nothing touches the network until `start`."""
    cls = PrelimBot if settings.shard_count is None else ShardedPrelimBot
    return cls(
        holder,
        store,
        Interviews(store),
        settings,
        start_sync=start_sync,
        **shard_options(settings),
    )


#: Libraries whose DEBUG logs carry members' words or ids: discord.py (gateway payloads:
#: interaction tokens, DM text), aiosqlite and asyncpg (each SQL statement with its parameters:
#: Discord ids, answers, questions). They never log below INFO, whatever LOG_LEVEL says.
QUIET_LOGGERS = ("discord", "aiosqlite", "asyncpg")


def setup_logging(level: str) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(level)))
