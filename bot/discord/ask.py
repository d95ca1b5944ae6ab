"""/ask: a question answered by the core for the member's stored profile, with 👍 / 👎."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands, ui
from discord.ext import commands

from bot.advisor import QuestionError
from bot.discord import embeds, limits
from bot.discord.access import member_command
from bot.discord.respond import member_key, place, reply, server_of
from bot.discord.views import SafeView, bot_of, button, guarded

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

QUESTION_CHARS = 1000  # the store keeps the first 1000 characters of an unanswered question


class AskCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="ask", description="Ask about USMLE score strategy for a prelim IM year"
    )
    @app_commands.describe(question="Your question, e.g. 'is a 232 enough for prelim?'")
    @member_command
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, QUESTION_CHARS],
    ) -> None:
        member = member_key(interaction.user)
        try:
            answer = await self.bot.interviews.ask(
                self.bot.holder.current,
                member,
                question,
                place(interaction),
                guild=server_of(interaction),
            )
        except QuestionError as exc:
            await reply(interaction, content=str(exc))
            return
        view = vote_view(interaction.id, answer.entry) if answer.matched and answer.entry else None
        await reply(interaction, embeds=embeds.answer_embeds(answer), view=view)

    @ask.autocomplete("question")
    async def suggest(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Topic titles that match what is typed so far (the member may ignore them)."""
        advisor = self.bot.holder.current
        topics = advisor.knowledge.topics
        if current.strip():
            hits = advisor.index.search(current, limit=limits.AUTOCOMPLETE)
            titles = [topics[h.topic].title for h in hits if h.topic < len(topics)]
        else:  # the featured topics first: what the bot covers, across the guide
            titles = [t.title for t in (*advisor.knowledge.featured(), *topics)]
            titles = list(dict.fromkeys(titles))
        return [
            app_commands.Choice(
                name=limits.truncate(t, limits.CHOICE_TEXT),
                value=limits.truncate(t, limits.CHOICE_TEXT),
            )
            for t in titles[: limits.AUTOCOMPLETE]
        ]


class VoteButton(
    ui.DynamicItem[ui.Button],
    template=r"pa:vote:(?P<answer>\d{1,20}):(?P<entry>[a-z0-9][a-z0-9_.-]{0,59}):(?P<vote>[+-]1)",
):
    """👍 / 👎 under an answer: "pa:vote:{answer_id}:{entry}:{+1|-1}". One vote per member per
    answer; pressing again changes it."""

    def __init__(self, answer_id: str, entry: str, vote: int) -> None:
        super().__init__(
            button(
                f"pa:vote:{answer_id}:{entry}:{vote:+d}",
                emoji="👍" if vote > 0 else "👎",
                style=discord.ButtonStyle.secondary,
            )
        )
        self.answer_id, self.entry, self.vote = answer_id, entry, vote

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> VoteButton:
        return cls(match["answer"], match["entry"], int(match["vote"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await bot_of(interaction).store.vote(
            self.answer_id,
            member_key(interaction.user),
            self.entry,
            self.vote,
            guild=server_of(interaction),
        )
        await reply(interaction, ephemeral=True, content=embeds.VOTED[self.vote])


VOTE = VoteButton.__discord_ui_compiled_template__


def vote_view(answer_id: int | str, entry: str) -> SafeView | None:
    """The feedback buttons, or None if the ids would not make a valid custom_id."""
    custom_id = f"pa:vote:{answer_id}:{entry}:+1"
    if len(custom_id) > limits.CUSTOM_ID or not VOTE.fullmatch(custom_id):
        return None
    view = SafeView()
    view.add_item(VoteButton(str(answer_id), entry, +1))
    view.add_item(VoteButton(str(answer_id), entry, -1))
    return view
