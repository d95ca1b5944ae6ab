"""/kb: moderator tools (reload, history, search, stats, unanswered).

Each server sees only its own records: the questions refused, votes, asks and reloads made in
that server (questions asked in DMs only reach the operator's `python -m bot kb unanswered`).

Hidden from members with `default_permissions(manage_guild)` AND checked in code on every use
(`interaction_check`), because server admins can grant the command to anyone in the server's
Integrations settings. There is no autocomplete under /kb: autocomplete runs without checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord import limits
from bot.discord.access import is_moderator
from bot.discord.respond import member_key, reply, server_of
from bot.holder import ReloadResult
from bot.unanswered import group_questions

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

NOT_A_MODERATOR = (
    "Sorry, the /kb commands are for this server's moderators. "
    "Members can use /ask, /topics and /plan."
)
MAX_MESSAGES = 5  # a report longer than this points to the command line instead
SHOWN = 20


@app_commands.guild_only()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_guild=True)
class ModerationCog(
    commands.GroupCog, group_name="kb", group_description="Moderators: manage the knowledge base"
):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if is_moderator(interaction, self.bot.settings.mod_role):
            return True
        await reply(interaction, ephemeral=True, content=NOT_A_MODERATOR)
        return False

    @app_commands.command(
        name="reload", description="Re-read the knowledge files (a broken edit is refused)"
    )
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # loading takes a second
        user = interaction.user
        result = await self.bot.reload_knowledge(
            f"{user} ({user.id})", member=member_key(user), guild=server_of(interaction)
        )
        await send_all(interaction, reload_report(result))

    @app_commands.command(name="history", description="The last knowledge reloads")
    async def history(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.reloads(server_of(interaction), limit=10)
        if not rows:
            await reply(interaction, ephemeral=True, content="No reloads recorded yet.")
            return
        lines = []
        for r in rows:
            counts = ", ".join(f"{n} {kind}" for kind, n in r["counts"].items())
            line = f"{'✅' if r['ok'] else '❌'} {r['at']} by {r['who']}: {r['digest']} ({counts})"
            if r["errors"]:
                line += f", {len(r['errors'])} error(s)"
            lines.append(line)
        await send_all(interaction, lines)

    @app_commands.command(name="search", description="Which topics a question matches, with scores")
    @app_commands.describe(query="A question as a member would type it")
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 300]
    ) -> None:
        advisor = self.bot.holder.current
        topics, refusals = advisor.knowledge.topics, advisor.knowledge.out_of_scope
        lines = []
        for hit in advisor.index.search(query, limit=5):
            if hit.topic < len(topics):
                entry = f"{topics[hit.topic].id} · {topics[hit.topic].title}"
            else:
                entry = f"{refusals[hit.topic - len(topics)].id} (out of scope)"
            lines.append(f"{hit.score:.2f}  {entry}")
        answer = advisor.ask(query)
        verdict = (
            f"answers with {answer.entry}"
            if answer.matched
            else ("small talk" if answer.kind == "smalltalk" else "refuses")
        )
        if answer.also is not None:
            verdict += f" + {answer.also.entry} (near tie)"
        lines.append(f"→ /ask {verdict} (confidence {answer.score:.2f})")
        await send_all(interaction, ["```", *(limits.truncate(x, 200) for x in lines), "```"])

    @app_commands.command(
        name="stats", description="Asks and votes per topic, and the share of refused questions"
    )
    async def stats(self, interaction: discord.Interaction) -> None:
        entries = await self.bot.store.entry_stats(server_of(interaction))
        days = await self.bot.store.refusal_share(server_of(interaction), 7)
        lines = ["**Topics** (asks · 👍 · 👎)"]
        lines += [f"{e['asks']} · {e['up']} · {e['down']}  {e['entry']}" for e in entries[:SHOWN]]
        if not entries:
            lines.append("No questions yet.")
        lines.append("**Refused questions, last 7 days**")
        lines += [
            f"{d['day']}: {d['refused']} of {d['asked']} ({d['refused'] / d['asked']:.0%})"
            for d in days
            if d["asked"]
        ] or ["No questions yet."]
        await send_all(interaction, lines)

    @app_commands.command(
        name="unanswered", description="Questions I couldn't answer, grouped, most frequent first"
    )
    async def unanswered(self, interaction: discord.Interaction) -> None:
        rows = await self.bot.store.unanswered(server_of(interaction))
        groups = group_questions(rows, self.bot.holder.current.index.normaliser)
        if not groups:
            await reply(interaction, ephemeral=True, content="No unanswered questions yet.")
            return
        lines = [f"{g.count}× {member_text(g.example)}" for g in groups[:SHOWN]]
        await send_all(interaction, lines, more="python -m bot kb unanswered")


def member_text(text: str, limit: int = 200) -> str:
    """A member's words shown to moderators: shortened, and unable to format or mention."""
    return discord.utils.escape_mentions(
        discord.utils.escape_markdown(limits.truncate(text, limit))
    )


def reload_report(result: ReloadResult) -> list[str]:
    """What a moderator sees after a reload, one line per problem."""
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    if result.ok:
        head = "✅ Knowledge reloaded" if result.changed else "✅ No changes found"
        lines = [f"{head} ({counts}; digest {result.digest})."]
        if result.warnings:
            lines.append(f"{len(result.warnings)} warning(s):")
            lines += [f"- {w}" for w in result.warnings]
        return lines
    return [
        f"❌ Reload refused: {len(result.errors)} problem(s). "
        f"The previous knowledge is still serving ({counts}).",
        *(f"- {e}" for e in result.errors),
    ]


async def send_all(
    interaction: discord.Interaction, lines: Iterable[str], more: str = "python -m bot kb check"
) -> None:
    """Lines as ephemeral messages of at most 2000 characters; past MAX_MESSAGES, the command
    line (`more`) shows the rest."""
    chunks = limits.split("\n".join(lines), limits.CONTENT)
    if len(chunks) > MAX_MESSAGES:
        chunks = [*chunks[: MAX_MESSAGES - 1], f"…and more: run `{more}` to see everything."]
    for chunk in chunks:
        await reply(interaction, ephemeral=True, content=chunk)
