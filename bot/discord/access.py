"""Who may use what, and where."""

from __future__ import annotations

from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


def member_command(func: T) -> T:
    """A global command members use in servers and in the bot's DMs (not in group DMs, and
    not as a user-installed app: the bot must share a server with the member to DM them)."""
    func = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)(func)
    return app_commands.allowed_installs(guilds=True, users=False)(func)


def is_moderator(interaction: discord.Interaction, mod_role: str) -> bool:
    """A server administrator, or a member with MOD_ROLE (its name, or its id). Never in DMs.

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
    return any(
        str(role.id) == wanted or role.name.casefold() == wanted.casefold() for role in member.roles
    )
