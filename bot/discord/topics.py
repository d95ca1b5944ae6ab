"""/topics: browse what the guide covers, topic by topic (menus of at most 25, in pages)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands, ui
from discord.ext import commands

from bot.advisor import Advisor
from bot.discord import embeds, limits
from bot.discord.access import member_command
from bot.discord.ask import vote_view
from bot.discord.respond import member_key, reply, update
from bot.discord.views import SafeView, bot_of, button, guarded

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

MENUS_PER_PAGE = limits.ROWS - 1  # the last row holds ◀ / ▶ when there is more than one page
PER_PAGE = MENUS_PER_PAGE * limits.SELECT_OPTIONS


class TopicsCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot

    @app_commands.command(name="topics", description="Browse what I can answer, topic by topic")
    @member_command
    async def topics(self, interaction: discord.Interaction) -> None:
        await reply(interaction, **topics_page(self.bot.holder.current, 0))


def topics_page(advisor: Advisor, page: int) -> dict[str, Any]:
    """The /topics message for `page`: up to four menus of 25 topics, and ◀ / ▶ if needed."""
    topics = advisor.knowledge.topics
    pages = max(1, -(-len(topics) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = topics[page * PER_PAGE : (page + 1) * PER_PAGE]
    view = SafeView()
    for part in range(-(-len(shown) // limits.SELECT_OPTIONS)):
        chunk = shown[part * limits.SELECT_OPTIONS : (part + 1) * limits.SELECT_OPTIONS]
        options = [
            discord.SelectOption(
                label=limits.truncate(t.title, limits.OPTION_TEXT),
                value=t.id,
                description=limits.truncate(
                    advisor.knowledge.sections[t.section].title.split(" › ")[-1],
                    limits.OPTION_TEXT,
                ),
            )
            for t in chunk
        ]
        first = page * PER_PAGE + part * limits.SELECT_OPTIONS + 1
        view.add_item(TopicSelect(page, part, options, f"Topics {first}–{first + len(chunk) - 1}"))
    if pages > 1:
        view.add_item(PageButton(page - 1, "◀ Previous", disabled=page == 0))
        view.add_item(PageButton(page + 1, "Next ▶", disabled=page == pages - 1))
    text = f"Pick a topic to read what the guide says ({len(topics)} topics"
    text += f", page {page + 1} of {pages})." if pages > 1 else ")."
    return {"content": text, "view": view}


class TopicSelect(ui.DynamicItem[ui.Select], template=r"pa:topics:(?P<page>\d{1,3}):(?P<part>\d)"):
    def __init__(
        self,
        page: int,
        part: int,
        options: list[discord.SelectOption] | None = None,
        placeholder: str | None = None,
    ) -> None:
        super().__init__(
            ui.Select(
                custom_id=f"pa:topics:{page}:{part}",
                placeholder=placeholder,
                options=options or [discord.SelectOption(label="…", value="…")],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Select, match: re.Match[str], /
    ) -> TopicSelect:
        return cls(int(match["page"]), int(match["part"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = bot_of(interaction)
        profile = await bot.interviews.profile(member_key(interaction.user))
        topic_id = self.item.values[0] if self.item.values else ""
        answer = bot.holder.current.topic_answer(topic_id, profile)
        if answer is None or answer.entry is None:
            await reply(interaction, content=embeds.TOPIC_GONE)
            return
        await reply(
            interaction,
            embed=embeds.answer_embed(answer),
            view=vote_view(interaction.id, answer.entry),
        )


class PageButton(ui.DynamicItem[ui.Button], template=r"pa:topics:go:(?P<page>\d{1,3})"):
    def __init__(self, page: int, label: str = "Go", disabled: bool = False) -> None:
        super().__init__(
            button(
                f"pa:topics:go:{max(page, 0)}",
                label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                row=limits.ROWS - 1,
            )
        )
        self.page = max(page, 0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: ui.Button, match: re.Match[str], /
    ) -> PageButton:
        return cls(int(match["page"]))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await update(interaction, **topics_page(bot_of(interaction).holder.current, self.page))


ITEMS = (TopicSelect, PageButton)
