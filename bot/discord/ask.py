"""/ask, /topics and /privacy: answers from the core, shown privately in servers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.advisor import MAX_QUESTION_CHARS, QuestionError
from bot.discord import limits
from bot.discord.items import topics_view, vote_view
from bot.discord.messages import answer_embed, is_private, member_key, privacy_embed, reply

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

MEMBER_COMMAND = (
    app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False),
    app_commands.allowed_installs(guilds=True, users=False),
)


def member_command(func):
    """Global, and usable in the bot's DMs as well as in servers."""
    for decorate in MEMBER_COMMAND:
        func = decorate(func)
    return func


class AskCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="ask", description="Ask a question about USMLE score strategy for a prelim IM year"
    )
    @app_commands.describe(question="Your question, e.g. 'is a 232 enough for prelim?'")
    @member_command
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 1000]
    ) -> None:
        member = member_key(interaction.user)
        profile = await self.bot.interviews.profile(member)
        try:
            answer = self.bot.holder.current.ask(question[:MAX_QUESTION_CHARS], profile)
        except QuestionError as exc:
            await reply(interaction, content=str(exc))
            return
        view = vote_view(interaction.id, answer.entry) if answer.matched and answer.entry else None
        await reply(interaction, embed=answer_embed(answer), view=view)
        await self.bot.store.record_ask(answer.entry, answer.matched, answer.score)
        if not answer.matched:
            place = "guild" if is_private(interaction) else "dm"
            await self.bot.store.record_unanswered(question, answer.score, place, member)

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        advisor = self.bot.holder.current
        topics = advisor.knowledge.topics
        if current.strip():
            hits = advisor.index.search(current, limit=limits.AUTOCOMPLETE)
            titles = [topics[h.topic].title for h in hits if h.topic < len(topics)]
        else:
            titles = [t.title for t in topics]
        return [
            app_commands.Choice(
                name=limits.clip(t, limits.OPTION_TEXT), value=limits.clip(t, limits.OPTION_TEXT)
            )
            for t in titles
        ][: limits.AUTOCOMPLETE]

    @app_commands.command(name="topics", description="Browse what I can answer, topic by topic")
    @member_command
    async def topics(self, interaction: discord.Interaction) -> None:
        topics = [(t.id, t.title) for t in self.bot.holder.current.knowledge.topics]
        shown = min(len(topics), limits.ROWS * limits.SELECT_OPTIONS)
        text = "Pick a topic to read what the guide says."
        if shown < len(topics):
            text += f" (Showing {shown} of {len(topics)}; use /ask for the rest.)"
        await reply(interaction, content=text, view=topics_view(topics))

    @app_commands.command(
        name="privacy", description="What I store about you, why, and how to delete it"
    )
    @member_command
    async def privacy(self, interaction: discord.Interaction) -> None:
        await reply(interaction, embed=privacy_embed())
