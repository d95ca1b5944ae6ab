"""/kb: moderator tools. Hidden with default permissions AND checked in code, because Discord
ignores default permissions on subcommands and server admins can override them."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import limits
from bot.discord.messages import reply
from bot.holder import ReloadResult
from bot.render import split_message
from bot.unanswered import group_questions

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

NOT_A_MODERATOR = "Sorry, the /kb commands are for the server's moderators."
MAX_ERROR_MESSAGES = 5


def is_moderator(interaction: discord.Interaction, mod_role: str) -> bool:
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.administrator:
        return True
    return any(role.name == mod_role or str(role.id) == mod_role for role in member.roles)


def reload_report(result: ReloadResult) -> list[str]:
    """The moderator's view of a reload, split to fit Discord messages."""
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    if result.ok:
        head = (
            "✅ Knowledge reloaded" if result.changed else "✅ No changes found"
        ) + f" ({counts}; {result.digest})."
        if result.warnings:
            head += f"\n{len(result.warnings)} warning(s):\n" + "\n".join(
                f"- {w}" for w in result.warnings
            )
        return split_message(head, limits.CONTENT)[:MAX_ERROR_MESSAGES]
    text = (
        f"❌ Reload refused: {len(result.errors)} problem(s). The previous knowledge is still serving "
        f"({counts}).\n" + "\n".join(f"- {e}" for e in result.errors)
    )
    chunks = split_message(text, limits.CONTENT)
    if len(chunks) > MAX_ERROR_MESSAGES:
        chunks = chunks[: MAX_ERROR_MESSAGES - 1] + [
            "…and more: run `python -m bot kb check` to see them all."
        ]
    return chunks


class KnowledgeGroup(
    app_commands.Group,
    name="kb",
    description="Moderators: manage the knowledge base",
    guild_only=True,
    default_permissions=discord.Permissions(manage_guild=True),
):
    def __init__(self, bot: PrelimBot) -> None:
        super().__init__()
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if is_moderator(interaction, self.bot.settings.mod_role):
            return True
        await reply(interaction, ephemeral=True, content=NOT_A_MODERATOR)
        return False

    @app_commands.command(
        name="reload", description="Re-read the knowledge files (a broken edit is refused)"
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await asyncio.to_thread(self.bot.holder.reload)
        await self.bot.store.record_reload(
            str(interaction.user), result.digest, result.counts, result.ok, result.errors
        )
        for chunk in reload_report(result):
            await reply(interaction, ephemeral=True, content=chunk)

    @app_commands.command(name="history", description="The last knowledge reloads")
    async def history(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.reloads(10)
        if not rows:
            await reply(interaction, ephemeral=True, content="No reloads recorded yet.")
            return
        lines = [
            f"{'✅' if r['ok'] else '❌'} {r['at']} by {r['who']}: {r['digest']} "
            f"({r['counts'].get('topics', '?')} topics, {r['counts'].get('rules', '?')} rules)"
            + (f", {len(r['errors'])} error(s)" if r["errors"] else "")
            for r in rows
        ]
        await reply(
            interaction, ephemeral=True, content=limits.clip("\n".join(lines), limits.CONTENT)
        )

    @app_commands.command(
        name="search", description="Which topics a question would match, with scores"
    )
    @app_commands.describe(query="A question as a member would type it")
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 300]
    ) -> None:
        advisor = self.bot.holder.current
        topics = advisor.knowledge.topics
        hits = advisor.index.search(query, limit=5)
        lines = [
            f"{h.score:.2f}  {topics[h.topic].id if h.topic < len(topics) else 'out of scope'}"
            for h in hits
        ]
        answer = advisor.ask(query)
        lines.append(
            f"→ {'answers with ' + answer.entry if answer.matched else 'refuses'} "
            f"(confidence {answer.score:.2f})"
        )
        await reply(
            interaction,
            ephemeral=True,
            content=limits.clip("```\n" + "\n".join(lines) + "\n```", limits.CONTENT),
        )

    @app_commands.command(
        name="stats", description="Per-topic asks and votes, and the share of refused questions"
    )
    async def stats(self, interaction: discord.Interaction) -> None:
        entries = await self.bot.store.entry_stats()
        days = await self.bot.store.refusal_share(14)
        lines = ["**Topics** (asks, 👍, 👎)"]
        lines += [
            f"{e['asks']:>4}  +{e['up']} -{e['down']}  {e['entry']}" for e in entries[:20]
        ] or ["none yet"]
        lines.append("\n**Refused questions by day**")
        lines += [
            f"{d['day']}: {d['refused']}/{d['asked']} ({d['refused'] / d['asked']:.0%})"
            for d in days
        ] or ["none yet"]
        await reply(
            interaction, ephemeral=True, content=limits.clip("\n".join(lines), limits.CONTENT)
        )

    @app_commands.command(
        name="unanswered", description="Questions I couldn't answer, grouped, most frequent first"
    )
    async def unanswered(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.unanswered()
        groups = group_questions(rows, self.bot.holder.current.index.normaliser)
        if not groups:
            await reply(interaction, ephemeral=True, content="No unanswered questions yet.")
            return
        lines = [f"**{g.count}×** {limits.clip(g.example, 150)}" for g in groups[:20]]
        await reply(
            interaction, ephemeral=True, content=limits.clip("\n".join(lines), limits.CONTENT)
        )


class ModerationCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot
        self.group = KnowledgeGroup(bot)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)
