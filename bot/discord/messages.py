"""What the member sees: embeds and views built from the core's results. No advising here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot import interview
from bot.discord import limits
from bot.render import split_message

if TYPE_CHECKING:
    from bot.advisor import Answer
    from bot.session import Turn

NONE = discord.AllowedMentions.none()
BRAND = discord.Colour.teal()
REFUSED = discord.Colour.light_grey()


def member_key(user: discord.abc.User) -> str:
    return f"discord:{user.id}"


def is_private(interaction: discord.Interaction) -> bool:
    """True in servers, where replies must be ephemeral; False in DMs."""
    return interaction.guild_id is not None


async def reply(
    interaction: discord.Interaction, *, ephemeral: bool | None = None, **kwargs: Any
) -> None:
    """Answer an interaction (or follow up if it was already answered), never pinging anyone."""
    ephemeral = is_private(interaction) if ephemeral is None else ephemeral
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NONE, **kwargs)
    else:
        await interaction.response.send_message(
            ephemeral=ephemeral, allowed_mentions=NONE, **kwargs
        )


def answer_embed(answer: Answer) -> discord.Embed:
    if answer.matched:
        embed = discord.Embed(
            title=limits.clip(answer.title or "Answer", limits.EMBED_TITLE),
            description=limits.clip(answer.body, limits.EMBED_DESCRIPTION),
            colour=BRAND,
        )
        embed.set_footer(text=limits.clip(f"Guide › {answer.section_title}", limits.EMBED_FOOTER))
    else:
        embed = discord.Embed(
            title="Not covered by the guide",
            description=limits.clip(answer.body, limits.EMBED_DESCRIPTION),
            colour=REFUSED,
        )
    return embed


def step_embed(turn: Turn) -> discord.Embed:
    step = turn.step
    assert step is not None
    lines = []
    if turn.notice:
        lines.append(f"ℹ️ {turn.notice}")
    if turn.error:
        lines.append(f"⚠️ {turn.error}")
    lines.append(f"**{step.prompt}**")
    if step.kind != "choice" and step.hint:
        lines.append(f"_{step.hint}_")
    embed = discord.Embed(title=turn.progress_line, description="\n\n".join(lines), colour=BRAND)
    footer = "Your answers are saved as you go. Back · Skip (optional questions) · Cancel"
    embed.set_footer(text=footer)
    return embed


def step_view(turn: Turn) -> discord.ui.View:
    from bot.discord import items

    step = turn.step
    assert step is not None
    view = discord.ui.View(timeout=None)
    if step.kind == "choice":
        for index, choice in enumerate(step.choices):
            view.add_item(items.ChoiceButton(step.id, index, choice.label))
    else:
        view.add_item(items.EnterButton(step.id, step.title))
    view.add_item(items.NavButton("back", step.id))
    if step.optional:
        view.add_item(items.NavButton("skip", step.id))
    view.add_item(items.NavButton("cancel", step.id))
    return view


def step_message(turn: Turn) -> dict[str, Any]:
    return {"embed": step_embed(turn), "view": step_view(turn)}


def done_embed() -> discord.Embed:
    return discord.Embed(
        title="All questions answered ✅",
        description="Here is your plan. Use /profile to change an answer, or /ask any time.",
        colour=BRAND,
    )


def plan_chunks(text: str) -> list[str]:
    return split_message(text, limits.CONTENT)


def profile_embed(answers: dict[str, Any], complete: bool) -> discord.Embed:
    embed = discord.Embed(title="Your answers", colour=BRAND)
    rows = interview.summary(answers)
    if not rows:
        embed.description = "Nothing stored yet. Use /plan to answer a few questions."
        return embed
    embed.description = "\n".join(f"**{title}:** {value}" for title, value in rows)
    if not complete:
        embed.set_footer(text="The interview isn't finished yet: use /plan to carry on.")
    else:
        embed.set_footer(
            text="Only you can see this. Change an answer below, or /forget to delete it all."
        )
    return embed


PRIVACY = """**What I store:** your interview answers (Step 1 and Step 2 CK results and attempts, practice scores, visa, US clinical experience, letters, year of graduation, goal), keyed by your Discord user id. Questions I couldn't answer and your 👍/👎 votes are kept only with a salted hash of your id, so moderators can improve the knowledge without seeing who asked.

**Why:** to give advice that fits your own scores, and to learn what the knowledge base is missing.

**Where and how long:** in this bot's own database, until you delete it. Nothing is shared or sold, and moderators can't read your answers through the bot. Replies in servers are only visible to you.

**How to delete it:** run /forget and confirm. Everything stored about you, including the hashed questions and votes, is deleted at once."""


def privacy_embed() -> discord.Embed:
    return discord.Embed(title="Privacy", description=PRIVACY, colour=BRAND)
