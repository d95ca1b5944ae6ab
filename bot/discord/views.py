"""Base classes for components, and the error path they share.

Every button and select the bot sends is a `DynamicItem`: its custom_id ("pa:...") says what
it does, it is registered in `setup_hook`, and its callback reads state from the store, never
from the view object. So a press works the same after a restart. discord.py only *logs*
exceptions raised in dynamic items (View.on_error is not called for them), so their callbacks
are wrapped in `guarded`, which sends the member the same apology as `SafeView.on_error`,
`SafeModal.on_error` and the command tree's `on_error`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import ui

from bot.discord import limits
from bot.discord.access import allowed_here
from bot.discord.respond import apologise

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot

F = TypeVar("F", bound=Callable[..., Awaitable[None]])


def bot_of(interaction: discord.Interaction) -> PrelimBot:
    return interaction.client  # type: ignore[return-value]


def guarded(callback: F) -> F:
    """Run a component callback (only in a server the bot serves: ALLOWED_GUILDS); on any
    exception apologise to the member and log it."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction, *args: Any) -> None:
        try:
            if not await allowed_here(interaction):  # ALLOWED_GUILDS
                return
            await callback(self, interaction, *args)
        except Exception as exc:
            await apologise(interaction, exc, f"component {getattr(self, 'custom_id', self)!r}")

    return wrapper  # type: ignore[return-value]


class SafeView(ui.View):
    """A view that never times out (its items are persistent) and apologises on errors."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: ui.Item[Any], /
    ) -> None:
        await apologise(interaction, error, f"view item {item!r}")


class SafeModal(ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await apologise(interaction, error, f"modal {self.custom_id!r}")


def button(custom_id: str, label: str | None = None, **kwargs: Any) -> ui.Button:
    """A button whose label fits (≤ 80 characters)."""
    if label is not None:
        label = limits.truncate(label, limits.BUTTON_LABEL)
    return ui.Button(custom_id=custom_id, label=label, **kwargs)
