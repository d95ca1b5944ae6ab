"""How the bot answers: every message goes through `reply` or `send_dm`, which never ping
anyone (AllowedMentions.none()), and every failure through `apologise`: the member sees one
short ephemeral apology, the log gets the traceback."""

from __future__ import annotations

import logging
from typing import Any

import discord

log = logging.getLogger(__name__)

NONE = discord.AllowedMentions.none()
APOLOGY = "Sorry, something went wrong on my side. Your saved answers are safe; please try again."


def member_key(user: discord.abc.Snowflake) -> str:
    """The store's key for a Discord member (the console uses `console:<name>`)."""
    return f"discord:{user.id}"


def in_server(interaction: discord.Interaction) -> bool:
    """True in a server, where replies are ephemeral; False in the bot's DMs."""
    return interaction.guild_id is not None


def place(interaction: discord.Interaction) -> str:
    """Where a question was asked, as the store records it."""
    return "guild" if in_server(interaction) else "dm"


def server_of(interaction: discord.Interaction) -> str | None:
    """The server whose records these are (its id as text); None in DMs."""
    return str(interaction.guild_id) if interaction.guild_id is not None else None


def _present(kwargs: dict[str, Any]) -> dict[str, Any]:
    # discord.py treats view=None / embed=None on a *new* message as an error or a no-op
    return {k: v for k, v in kwargs.items() if v is not None}


async def reply(
    interaction: discord.Interaction, *, ephemeral: bool | None = None, **kwargs: Any
) -> None:
    """Answer the interaction, or follow up if it was already answered (or deferred).
    Ephemeral in servers and normal in DMs unless `ephemeral` says otherwise."""
    ephemeral = in_server(interaction) if ephemeral is None else ephemeral
    kwargs = _present(kwargs)
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NONE, **kwargs)
    else:
        await interaction.response.send_message(
            ephemeral=ephemeral, allowed_mentions=NONE, **kwargs
        )


async def update(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Replace the message a component was pressed on; a new reply when there is none."""
    if interaction.message is not None and not interaction.response.is_done():
        kwargs.setdefault("content", None)
        await interaction.response.edit_message(allowed_mentions=NONE, **kwargs)
    else:
        await reply(interaction, **kwargs)


async def send_dm(user: discord.abc.User, **kwargs: Any) -> discord.Message:
    """A direct message; raises discord.Forbidden (code 50007) when the member's DMs are closed."""
    return await user.send(allowed_mentions=NONE, **_present(kwargs))


async def apologise(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """The one error path: log the traceback, show the member a short ephemeral apology."""
    log.error("%s failed", where, exc_info=error)
    if interaction.type is discord.InteractionType.autocomplete:
        return  # there is no message to answer an autocomplete with
    try:
        await reply(interaction, ephemeral=True, content=APOLOGY)
    except discord.HTTPException:
        log.warning("could not send the apology for %s either", where)
