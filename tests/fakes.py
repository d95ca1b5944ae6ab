"""Small fakes of discord.py objects, so the bot's real callbacks run with no network.

`interaction(...)` is a `MagicMock(spec=discord.Interaction)` whose response and followup
methods are AsyncMocks that record what the member would see on `i.screen`; every message is
checked as it is sent: AllowedMentions.none(), Discord's limits, one response per interaction.
`Person` is a Discord account whose DMs can be closed (discord.Forbidden, code 50007).
`press` / `submit` deliver a button press or modal submit by custom_id the way discord.py does,
through the bot's registered dynamic items and listeners.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
from discord import ui

from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from bot.discord.client import PrelimBot, create_bot
from bot.discord.limits import message_problems, modal_problems
from bot.holder import AdvisorHolder
from bot.settings import Settings
from bot.store import Store

_ids = itertools.count(1_100_000_000_000_000_000)
GUILD_ID = 1_000_000_000_000_000_001

#: Everything the fakes refused, even where the bot's error path caught the exception:
#: tests/discord/conftest.py fails any test that leaves something here.
VIOLATIONS: list[str] = []


def expect(condition: object, problem: object) -> None:
    """What Discord or discord.py would refuse: recorded, then raised."""
    if not condition:
        VIOLATIONS.append(str(problem))
        raise AssertionError(problem)


# -- what the member sees --------------------------------------------------------------------
@dataclass
class Sent:
    kind: str  # "send" | "edit" | "followup" | "modal" | "defer" | "dm"
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: ui.View | None = None
    ephemeral: bool | None = None
    allowed_mentions: discord.AllowedMentions | None = None
    modal: ui.Modal | None = None
    files: list[discord.File] = field(default_factory=list)

    @property
    def embed(self) -> discord.Embed | None:
        return self.embeds[0] if self.embeds else None

    @property
    def text(self) -> str:
        """Everything readable in the message: content, embed titles, bodies and footers."""
        parts = [self.content or ""]
        for e in self.embeds:
            parts += [e.title or "", e.description or "", e.footer.text or ""]
            parts += [f"{f.name}\n{f.value}" for f in e.fields]
        return "\n".join(parts)

    def components(self) -> list[dict[str, Any]]:
        return self.view.to_components() if self.view is not None else []

    def custom_ids(self) -> list[str]:
        return [
            c["custom_id"]
            for row in self.components()
            for c in row.get("components", [])
            if "custom_id" in c
        ]


class Screen:
    """Everything one interaction showed, in order."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.done = False

    @property
    def last(self) -> Sent:
        return self.shown()[-1]

    def shown(self) -> list[Sent]:
        return [s for s in self.sent if s.kind != "defer"]

    def text(self) -> str:
        return "\n".join(s.text for s in self.shown())


def check_message(kind: str, content: Any, kwargs: dict[str, Any]) -> Sent:
    """What discord.py and Discord would refuse, asserted; returns the recorded message."""
    allowed = kwargs.get("allowed_mentions")
    expect(allowed is not None, f"{kind} without allowed_mentions")
    expect(allowed.to_dict() == discord.AllowedMentions.none().to_dict(), allowed.to_dict())
    if kind in ("send", "followup", "dm", "reply"):
        expect("view" not in kwargs or kwargs["view"] is not None, "view=None on a new message")
    if kind not in ("dm", "reply"):
        expect(isinstance(kwargs.get("ephemeral", False), bool), "ephemeral must be a bool")
    else:
        expect("ephemeral" not in kwargs, "a channel message can't be ephemeral")
    expect(content is None or isinstance(content, str), f"content {content!r}")
    embeds = list(kwargs.get("embeds") or [])
    if kwargs.get("embed") is not None:
        embeds.append(kwargs["embed"])
    view = kwargs.get("view")
    components = view.to_components() if view is not None else []
    problems = message_problems(content, [e.to_dict() for e in embeds], components)
    expect(not problems, problems)
    expect(content or embeds or kind == "edit", "an empty message")
    files = list(kwargs.get("files") or []) + ([kwargs["file"]] if kwargs.get("file") else [])
    expect(len(files) <= 10, "more than 10 files")
    return Sent(kind, content, embeds, view, kwargs.get("ephemeral"), allowed, files=files)


# -- people ----------------------------------------------------------------------------------
def forbidden(code: int = 50007) -> discord.Forbidden:
    """The error Discord gives for a member whose DMs are closed."""
    response = MagicMock(status=403, reason="Forbidden")
    return discord.Forbidden(
        response, {"code": code, "message": "Cannot send messages to this user"}
    )


@dataclass
class Person:
    """A Discord account; `dms` records what the bot sent to it directly."""

    id: int = field(default_factory=lambda: next(_ids))
    name: str = "member"
    dms_open: bool = True
    dm_error: int = 50007
    dms: list[Sent] = field(default_factory=list)
    _mocks: dict[Any, MagicMock] = field(default_factory=dict, repr=False)

    async def _send(self, content: str | None = None, **kwargs: Any) -> MagicMock:
        if not self.dms_open:
            raise forbidden(self.dm_error)
        self.dms.append(check_message("dm", content, kwargs))
        return MagicMock(
            spec=discord.Message, jump_url=f"https://discord.com/channels/@me/{self.id}/1"
        )

    async def _create_dm(self) -> MagicMock:
        if not self.dms_open:
            raise forbidden(self.dm_error)
        return MagicMock(spec=discord.DMChannel, send=AsyncMock(side_effect=self._send))

    def _fill(self, mock: MagicMock) -> MagicMock:
        mock.id, mock.name, mock.bot = self.id, self.name, False
        mock.mention = f"<@{self.id}>"
        mock.send = AsyncMock(side_effect=self._send)
        mock.create_dm = AsyncMock(side_effect=self._create_dm)
        mock.__str__ = lambda _self: self.name
        return mock

    def as_user(self) -> MagicMock:
        """The account as discord.py gives it in DMs (built once: spec'd mocks are slow)."""
        if "user" not in self._mocks:
            self._mocks["user"] = self._fill(MagicMock(spec=discord.User))
        return self._mocks["user"]

    def as_member(self, *, admin: bool = False, roles: Sequence[str] = ()) -> MagicMock:
        """The account as a server member, with administrator rights or these roles."""
        key = (admin, tuple(roles))
        if key not in self._mocks:
            self._mocks[key] = self._member(admin, roles)
        return self._mocks[key]

    def _member(self, admin: bool, roles: Sequence[str]) -> MagicMock:
        member = self._fill(MagicMock(spec=discord.Member))
        member.guild_permissions = discord.Permissions(administrator=admin)
        member.roles = []
        for name in roles:
            role = MagicMock(spec=discord.Role)
            role.id, role.name = next(_ids), name
            member.roles.append(role)
        return member


# -- interactions ----------------------------------------------------------------------------
def interaction(
    client: Any,
    person: Person | None = None,
    *,
    guild: bool = False,
    admin: bool = False,
    roles: Sequence[str] = (),
    message: bool = False,
    kind: discord.InteractionType = discord.InteractionType.application_command,
    data: dict[str, Any] | None = None,
) -> MagicMock:
    """A fake interaction from `person`, in a server (`guild=True`) or in the bot's DMs."""
    person = person or Person()
    screen = Screen()
    i = MagicMock(spec=discord.Interaction)
    i.screen, i.person, i.client = screen, person, client
    i.id, i.type, i.data = next(_ids), kind, data or {}
    i.user = person.as_member(admin=admin, roles=roles) if guild else person.as_user()
    i.guild_id = GUILD_ID if guild else None
    i.guild = MagicMock(spec=discord.Guild, id=GUILD_ID) if guild else None
    # in a DM, Discord gives the member's permissions as those of a DM channel: no admin
    i.permissions = discord.Permissions(administrator=admin) if guild else discord.Permissions()
    i.message = MagicMock(spec=discord.Message) if message else None
    i.command = None

    def answer_once() -> None:
        expect(not screen.done, "the interaction was answered twice")
        screen.done = True

    async def send_message(content: str | None = None, **kwargs: Any) -> None:
        answer_once()
        screen.sent.append(check_message("send", content, kwargs))

    async def edit_message(**kwargs: Any) -> None:
        expect(i.message is not None, "edit_message without a message")
        answer_once()
        screen.sent.append(check_message("edit", kwargs.pop("content", None), kwargs))

    async def send_modal(modal: ui.Modal) -> None:
        answer_once()
        problems = modal_problems(modal.to_dict())
        expect(not problems, problems)
        screen.sent.append(Sent("modal", modal=modal))

    async def defer(*, ephemeral: bool = False, thinking: bool = False) -> None:
        answer_once()
        screen.sent.append(Sent("defer", ephemeral=ephemeral))

    async def followup(content: str | None = None, **kwargs: Any) -> None:
        expect(screen.done, "a followup before the interaction was answered")
        screen.sent.append(check_message("followup", content, kwargs))

    i.response = MagicMock(spec=discord.InteractionResponse)
    i.response.is_done = MagicMock(side_effect=lambda: screen.done)
    i.response.send_message = AsyncMock(side_effect=send_message)
    i.response.edit_message = AsyncMock(side_effect=edit_message)
    i.response.send_modal = AsyncMock(side_effect=send_modal)
    i.response.defer = AsyncMock(side_effect=defer)
    i.followup = MagicMock(spec=discord.Webhook)
    i.followup.send = AsyncMock(side_effect=followup)
    return i


# -- the bot ---------------------------------------------------------------------------------
async def make_bot(
    db_path: Path,
    advisor: Advisor | None = None,
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR,
    **settings: Any,
) -> PrelimBot:
    """A bot over a database file, installed (cogs and persistent components) but offline."""
    store = await Store.open(db_path)
    advisor = advisor or Advisor.load(knowledge_dir)
    config = Settings(_env_file=None, **{"discord_token": "", "mod_role": "Moderator", **settings})
    bot = create_bot(AdvisorHolder(advisor, knowledge_dir), store, config)
    await bot.install()
    return bot


def command(bot: PrelimBot, name: str) -> discord.app_commands.Command:
    found = bot.tree.get_command(name.split()[0])
    for part in name.split()[1:]:
        found = found.get_command(part)  # type: ignore[union-attr]
    assert isinstance(found, discord.app_commands.Command), name
    return found


async def invoke(bot: PrelimBot, name: str, i: MagicMock, **options: Any) -> bool:
    """Run a slash command as discord.py does: its checks, then its real callback; a refused
    check or an exception goes to the tree's on_error. False if a check refused."""
    cmd = command(bot, name)
    i.command = cmd
    if not await cmd._check_can_run(i):
        await bot.tree.on_error(i, discord.app_commands.CheckFailure(name))
        return False
    try:
        await cmd.callback(cmd.binding, i, **options)
    except Exception as exc:
        await bot.tree.on_error(i, discord.app_commands.CommandInvokeError(cmd, exc))
    return True


async def press(bot: PrelimBot, custom_id: str, i: MagicMock, values: Sequence[str] = ()) -> None:
    """A press on a component with `custom_id`, delivered as discord.py delivers it: through
    the dynamic items registered on the bot (so it works for messages sent before a restart)."""
    registered = bot._connection._view_store._dynamic_items  # what setup_hook registered
    i.type = discord.InteractionType.component
    i.message = i.message or MagicMock(spec=discord.Message)
    matches = [(p, f) for p, f in registered.items() if p.fullmatch(custom_id)]
    assert len(matches) == 1, f"{custom_id!r} matches {len(matches)} registered items"
    pattern, factory = matches[0]
    kind = discord.ComponentType.string_select if values else discord.ComponentType.button
    i.data = {"custom_id": custom_id, "component_type": kind.value, "values": list(values)}
    base: ui.Item[Any] = (
        ui.Select(custom_id=custom_id, options=[discord.SelectOption(label=v) for v in values])
        if values
        else ui.Button(custom_id=custom_id, label="?")
    )
    item = await factory.from_custom_id(i, base, pattern.fullmatch(custom_id))
    item._refresh_state(i, i.data)
    if await item.interaction_check(i):
        await item.callback(i)


async def submit(bot: PrelimBot, custom_id: str, value: str, i: MagicMock) -> None:
    """A modal submitted with `value` in its text input, delivered to the bot's listeners."""
    i.type = discord.InteractionType.modal_submit
    i.message = i.message or MagicMock(spec=discord.Message)
    i.data = {"custom_id": custom_id, "components": [label_submitted(value)]}
    for listener in bot.extra_events.get("on_interaction", []):
        await listener(i)


def label_submitted(value: str, custom_id: str = "value") -> dict[str, Any]:
    """One text input's value as Discord submits it from inside a label (ui.Label)."""
    return {
        "type": 18,
        "id": 1,
        "component": {"type": 4, "id": 2, "custom_id": custom_id, "value": value},
    }


def message(
    client: Any,
    person: Person | None = None,
    text: str = "",
    *,
    guild: bool = False,
    from_bot: bool = False,
) -> MagicMock:
    """A fake message `person` typed to the bot: in its DMs, or in a server (`guild=True`).
    What the bot answers lands on `m.screen`: replies (kind "reply") and plain messages in the
    same channel (kind "dm"), each checked like every other message."""
    person = person or Person()
    screen = Screen()
    m = MagicMock(spec=discord.Message)
    m.screen, m.person, m.id, m.content = screen, person, next(_ids), text
    m.author = person.as_member() if guild else person.as_user()
    if from_bot:
        m.author = MagicMock(spec=discord.User, id=next(_ids), bot=True)
    m.guild = MagicMock(spec=discord.Guild, id=GUILD_ID) if guild else None

    async def reply(content: str | None = None, **kwargs: Any) -> MagicMock:
        expect(kwargs.get("mention_author") is False, "a reply that pings the member")
        kwargs.pop("mention_author")
        screen.sent.append(check_message("reply", content, kwargs))
        return MagicMock(spec=discord.Message)

    async def send(content: str | None = None, **kwargs: Any) -> MagicMock:
        screen.sent.append(check_message("dm", content, kwargs))
        return MagicMock(spec=discord.Message)

    m.reply = AsyncMock(side_effect=reply)
    m.channel = MagicMock(spec=discord.TextChannel if guild else discord.DMChannel)
    m.channel.send = AsyncMock(side_effect=send)
    return m


async def type_message(bot: PrelimBot, m: MagicMock) -> Screen:
    """Deliver a typed message to the bot's `on_message` listeners, as the gateway would."""
    await bot.on_message(m)
    for listener in bot.extra_events.get("on_message", []):
        await listener(m)
    return m.screen


async def say(bot: PrelimBot, person: Person, text: str) -> Screen:
    """`person` types `text` in the bot's DMs; returns what the bot answered."""
    return await type_message(bot, message(bot, person, text))


def custom_id_of(sent: Sent, pattern: str) -> str:
    """The first custom_id in a message that matches `pattern`."""
    found = [c for c in sent.custom_ids() if re.fullmatch(pattern, c)]
    assert found, f"no component matching {pattern!r} in {sent.custom_ids()}"
    return found[0]


# -- the gateway: raw payloads through discord.py's own dispatch -----------------------------
USER_PAYLOAD = {"username": "member", "discriminator": "0", "avatar": None, "global_name": None}


class Gateway:
    """Delivers raw INTERACTION_CREATE payloads to the bot as Discord would, through
    discord.py's own parsing and dispatch (command tree, dynamic items, listeners), and records
    the responses discord.py would POST (`responses`: (kind, payload)) instead of sending them.
    Relies on discord.py 2.x internals (ConnectionState.parse_interaction_create and the
    webhook adapter), so it lives here, in the tests only."""

    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot
        self.responses: list[tuple[str, dict[str, Any]]] = []
        self._token: Any = None

    async def __aenter__(self) -> Gateway:
        from discord.webhook.async_ import async_context

        self._token = async_context.set(self)  # type: ignore[arg-type]
        self.bot.http.send_message = self._send_message  # type: ignore[method-assign]
        await self.bot._async_setup_hook()  # gives the bot its event loop, as login does
        state = self.bot._connection
        if state.user is None:  # logged in as the bot user (id 1)
            state.user = discord.ClientUser(
                state=state, data={**USER_PAYLOAD, "id": "1", "bot": True}
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        from discord.webhook.async_ import async_context

        async_context.reset(self._token)

    # the two adapter calls interaction responses and followups make
    async def create_interaction_response(self, interaction_id: int, token: str, **kw: Any) -> Any:
        self.responses.append(("response", kw["params"].payload))
        return {"interaction": {"id": str(interaction_id), "type": 2}, "resource": None}

    async def execute_webhook(self, webhook_id: int, token: str, **kw: Any) -> None:
        self.responses.append(("followup", kw.get("payload") or {}))

    async def _send_message(self, channel_id: int, *, params: Any) -> dict[str, Any]:
        """A message the bot posts in a channel (a DM reply): recorded, and echoed back."""
        self.responses.append(("message", params.payload))
        return self.message_payload(1, int(channel_id), params.payload.get("content") or "")

    @staticmethod
    def message_payload(
        author_id: int, channel_id: int, content: str, *, bot: bool = True
    ) -> dict[str, Any]:
        return {
            "id": str(next(_ids)),
            "channel_id": str(channel_id),
            "author": {**USER_PAYLOAD, "id": str(author_id), "bot": bot},
            "content": content,
            "embeds": [],
            "components": [],
            "attachments": [],
            "flags": 0,
            "timestamp": "2026-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": 0,
        }

    async def type_message(
        self, person: Person, text: str, *, guild: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        """A MESSAGE_CREATE from `person`: in the bot's DMs, or in a server channel."""
        before = len(self.responses)

        payload = self.message_payload(
            person.id, GUILD_ID + 1 if guild else person.id + 1, text, bot=False
        )
        if guild:
            payload["guild_id"] = str(GUILD_ID)
        await self._settle(lambda: self.bot._connection.parse_message_create(payload))  # type: ignore[arg-type]
        return self.responses[before:]

    async def deliver(self, payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Deliver one interaction; returns what the bot answered, once it has finished."""
        before = len(self.responses)

        await self._settle(lambda: self.bot._connection.parse_interaction_create(payload))  # type: ignore[arg-type]
        return self.responses[before:]

    @staticmethod
    async def _settle(dispatch: Any) -> None:
        """Run `dispatch` and wait (up to 10 s) for the tasks it started, and theirs, to finish;
        tasks that were already running (a long-lived loop) and timers are not waited for."""
        import asyncio

        already = asyncio.all_tasks()
        dispatch()
        deadline = asyncio.get_running_loop().time() + 10
        while True:
            started = {
                t
                for t in asyncio.all_tasks() - already
                if not t.done() and "timeout_task" not in t.get_coro().__qualname__
            }  # a view's timeout timer is not work the dispatch is doing
            started.discard(asyncio.current_task())
            left = deadline - asyncio.get_running_loop().time()
            if not started or left <= 0:
                return
            await asyncio.wait(started, timeout=left)

    @staticmethod
    def payload(
        kind: int,
        data: dict[str, Any],
        person: Person,
        *,
        guild_permissions: str | None = None,
        message_components: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE payload from `person`, in a server when `guild_permissions`
        is given (their permissions there, e.g. "0" or "8" for administrator), else in DMs."""
        user = {**USER_PAYLOAD, "id": str(person.id)}
        payload: dict[str, Any] = {
            "id": str(next(_ids)),
            "application_id": "1",
            "type": kind,
            "token": "interaction-token",
            "version": 1,
            "data": data,
            "entitlements": [],
            "authorizing_integration_owners": {},
            "app_permissions": "0",
            "locale": "en-US",
            "attachment_size_limit": 10_485_760,
        }
        if guild_permissions is None:
            payload.update(context=1, user=user, channel={"id": str(person.id + 1), "type": 1})
        else:
            payload.update(
                context=0,
                guild_id=str(GUILD_ID),
                channel={
                    "id": str(GUILD_ID + 1),
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "guild_id": str(GUILD_ID),
                },
                member={
                    "user": user,
                    "roles": [],
                    "permissions": guild_permissions,
                    "joined_at": "2026-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                },
            )
        if message_components is not None:
            # the bot's own message the component sits on
            channel = int(payload["channel"]["id"])
            payload["message"] = {
                **Gateway.message_payload(1, channel, ""),
                "components": message_components,
            }
        return payload
