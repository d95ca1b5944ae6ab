"""Who may use what, and where."""

from __future__ import annotations

from typing import TypeVar

import discord
from discord import app_commands

from bot.discord.respond import reply

T = TypeVar("T")
NOT_ENABLED = "Sorry, this bot isn't enabled for this server."


def server_allowed(allowed_guilds: list[int], guild_id: int | None) -> bool:
    """True in the bot's DMs, in any server when ALLOWED_GUILDS is empty, and in the listed
    servers; False in any other server."""
    return guild_id is None or not allowed_guilds or guild_id in allowed_guilds


async def allowed_here(interaction: discord.Interaction) -> bool:
    """Whether the bot serves this interaction's server; if not, the member gets one short
    ephemeral line (nothing about the bot's knowledge, members or other servers) and the
    caller does nothing else."""
    settings = getattr(interaction.client, "settings", None)
    if server_allowed(getattr(settings, "allowed_guilds", None) or [], interaction.guild_id):
        return True
    if (
        interaction.type is not discord.InteractionType.autocomplete
        and not interaction.response.is_done()
    ):
        await reply(interaction, ephemeral=True, content=NOT_ENABLED)
    return False


def member_command(func: T) -> T:
    """A global command members use in servers and in the bot's DMs (not in group DMs, and
    not as a user-installed app: the bot must share a server with the member to DM them)."""
    func = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)(func)
    return app_commands.allowed_installs(guilds=True, users=False)(func)


def is_moderator(interaction: discord.Interaction, mod_role: str) -> bool:
    """A server administrator, or a member with MOD_ROLE: its id (digits: matched by id only,
    since anyone can name a role after an id) or its name. Never in DMs.

    `default_permissions` only hides /kb by default: server admins can grant it to anyone in
    Integrations settings, so this is checked in code on every use."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    if interaction.permissions.administrator:
        return True
    wanted = mod_role.strip()
    if not wanted:
        return False
    if wanted.isdigit():  # a role id: exact, and not matched by a role *named* with those digits
        return any(role.id == int(wanted) for role in member.roles)
    return any(role.name.casefold() == wanted.casefold() for role in member.roles)
