"""Small fakes of discord.py objects, so the real callbacks run with no network.

`FakeInteraction` records what the member would see: every send, edit, modal and defer, with
its content, embeds, view, ephemeral flag and allowed_mentions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord

_ids = itertools.count(10**17)


@dataclass
class Sent:
    kind: str  # "send" | "edit" | "followup" | "modal" | "defer" | "dm"
    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    ephemeral: bool | None = None
    allowed_mentions: discord.AllowedMentions | None = None
    modal: discord.ui.Modal | None = None

    @property
    def text(self) -> str:
        parts = [self.content or ""]
        if self.embed is not None:
            parts += [
                self.embed.title or "",
                self.embed.description or "",
                self.embed.footer.text or "",
            ]
        return "\n".join(parts)

    def custom_ids(self) -> list[str]:
        if self.view is None:
            return []
        return [getattr(child, "custom_id", "") for child in self.view.children]


def assert_pings_nobody(allowed: discord.AllowedMentions | None) -> None:
    """Everything the bot sends must carry AllowedMentions.none(), so member text can't ping."""
    assert allowed is not None, "sent without allowed_mentions"
    assert allowed.to_dict() == discord.AllowedMentions.none().to_dict(), allowed


def forbidden(code: int = 50007) -> discord.Forbidden:
    response = MagicMock(status=403, reason="Forbidden")
    return discord.Forbidden(
        response, {"code": code, "message": "Cannot send messages to this user"}
    )


@dataclass
class FakeUser:
    id: int = field(default_factory=lambda: next(_ids))
    dms_open: bool = True
    dms: list[Sent] = field(default_factory=list)
    name: str = "member"

    async def send(self, content: str | None = None, **kwargs: Any) -> None:
        if not self.dms_open:
            raise forbidden()
        assert_pings_nobody(kwargs.get("allowed_mentions"))
        self.dms.append(
            Sent(
                "dm",
                content,
                kwargs.get("embed"),
                kwargs.get("view"),
                None,
                kwargs.get("allowed_mentions"),
            )
        )

    def __str__(self) -> str:
        return self.name


def fake_member(user: FakeUser, *, admin: bool = False, roles: tuple[str, ...] = ()) -> MagicMock:
    member = MagicMock(spec=discord.Member)
    member.id, member.name = user.id, user.name
    member.guild_permissions = discord.Permissions(administrator=admin)
    member.roles = [MagicMock(name=r, id=next(_ids)) for r in roles]
    for mock, role in zip(member.roles, roles, strict=True):
        mock.name = role
    member.send = user.send
    member.__str__ = lambda self: user.name
    return member


class FakeInteraction:
    """Enough of discord.Interaction for the bot's callbacks; `sent` holds what was shown."""

    def __init__(
        self,
        client: Any,
        user: FakeUser | None = None,
        *,
        guild: bool = False,
        admin: bool = False,
        roles: tuple[str, ...] = (),
        message: bool = False,
        values: list[str] | None = None,
    ):
        self.client = client
        self.fake_user = user or FakeUser()
        self.user = (
            fake_member(self.fake_user, admin=admin, roles=roles) if guild else self.fake_user
        )
        self.id = next(_ids)
        self.guild_id = 1234 if guild else None
        self.guild = MagicMock(id=1234) if guild else None
        self.message = MagicMock(spec=discord.Message) if message else None
        self.data = {"values": values or []}
        self.command = None
        self.sent: list[Sent] = []
        self._done = False

        self.response = MagicMock()
        self.response.is_done = lambda: self._done
        self.response.send_message = AsyncMock(side_effect=self._send)
        self.response.edit_message = AsyncMock(side_effect=self._edit)
        self.response.send_modal = AsyncMock(side_effect=self._modal)
        self.response.defer = AsyncMock(side_effect=self._defer)
        self.followup = MagicMock()
        self.followup.send = AsyncMock(side_effect=self._followup)

    def _record(self, kind: str, content: str | None, kwargs: dict) -> None:
        assert_pings_nobody(kwargs.get("allowed_mentions"))
        self.sent.append(
            Sent(
                kind,
                content,
                kwargs.get("embed"),
                kwargs.get("view"),
                kwargs.get("ephemeral"),
                kwargs.get("allowed_mentions"),
            )
        )

    async def _send(self, content: str | None = None, **kwargs: Any) -> None:
        assert not self._done, "interaction answered twice"
        self._done = True
        self._record("send", content, kwargs)

    async def _edit(self, content: str | None = None, **kwargs: Any) -> None:
        assert not self._done, "interaction answered twice"
        self._done = True
        self._record("edit", content, kwargs)

    async def _modal(self, modal: discord.ui.Modal) -> None:
        assert not self._done
        self._done = True
        self.sent.append(Sent("modal", modal=modal))

    async def _defer(self, **kwargs: Any) -> None:
        assert not self._done
        self._done = True
        self.sent.append(Sent("defer", ephemeral=kwargs.get("ephemeral")))

    async def _followup(self, content: str | None = None, **kwargs: Any) -> None:
        assert self._done, "followup before the interaction was answered"
        self._record("followup", content, kwargs)

    @property
    def last(self) -> Sent:
        return next(s for s in reversed(self.sent) if s.kind != "defer")

    def shown(self) -> list[Sent]:
        return [s for s in self.sent if s.kind != "defer"]
