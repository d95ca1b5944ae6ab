"""A conversation in DMs: a member who types to the bot gets what the console would give.

During the interview a typed line answers the current step (buttons and modals still work);
a question is answered with the answers so far and the step asked again; `later` leaves the
questions. Otherwise a line is a question, answered as /ask would answer it, as a reply.
`plan`, `profile` and `help` do what the console commands do. Messages in servers, and
bots' messages, are ignored. Discord delivers DM text without the privileged message-content
intent (only the `dm_messages` intent). Member text is never logged.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.advisor import QuestionError
from bot.discord import embeds
from bot.discord.ask import vote_view
from bot.discord.interview_views import plan_messages, step_message
from bot.discord.profile import profile_message
from bot.discord.respond import APOLOGY, NONE, member_key

if TYPE_CHECKING:
    from bot.discord.client import PrelimBot
    from bot.session import Turn

log = logging.getLogger(__name__)

QUESTIONS_PER_MINUTE = 10
MAX_CHARS = 1000  # as /ask: the store keeps the first 1000 characters of a refused question


class RateLimit:
    """At most `limit` events per member in any `window` seconds (kept in memory)."""

    def __init__(self, limit: int = QUESTIONS_PER_MINUTE, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._told: dict[str, float] = {}

    def allow(self, member: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        seen = self._seen.setdefault(member, deque())
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True

    def should_tell(self, member: str, now: float | None = None) -> bool:
        """Say "slow down" once per window, not to every message."""
        now = time.monotonic() if now is None else now
        if now - self._told.get(member, -self.window) < self.window:
            return False
        self._told[member] = now
        return True


class DirectMessagesCog(commands.Cog):
    def __init__(self, bot: PrelimBot) -> None:
        self.bot = bot
        self.limit = RateLimit()

    @commands.Cog.listener("on_message")
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is not None:
            return  # servers stay silent; the bot never answers itself or other bots
        if not isinstance(message.channel, discord.DMChannel):
            return  # a server the bot hasn't cached yet, or a group DM: not a DM with us
        text = (message.content or "").strip()
        if not text:
            return
        try:
            await self.converse(message, text[:MAX_CHARS])
        except Exception as exc:
            log.error("a DM could not be answered (%s)", type(exc).__name__, exc_info=exc)
            try:
                await send(message, content=APOLOGY)
            except discord.HTTPException:
                log.warning("could not send the apology for a DM either")

    async def converse(self, message: discord.Message, text: str) -> None:
        interviews = self.bot.interviews
        member = member_key(message.author)
        command = " ".join(text.lower().strip(" .!?").split())
        if command in ("help", "commands"):
            await send(message, content=embeds.DM_HELP)
            return
        if command in ("plan", "continue", "resume", "start"):
            interviews.begin(member)
            await self.show(message, await interviews.current(member))
            return
        if command == "profile":
            await send(message, **profile_message(await interviews.current(member)))
            return
        turn = await interviews.current(member)
        if not interviews.answering(member, turn):
            await self.answer(message, text)
            return
        turn = await interviews.enter(member, text)
        if turn.paused:
            await send(message, content=embeds.LATER)
        elif turn.question:
            await self.answer(message, turn.question)
            await self.show(message, await interviews.current(member), reply=False)
        else:
            await self.show(message, turn)

    async def answer(self, message: discord.Message, question: str) -> None:
        """The answer /ask would give, with the member's stored profile, as a reply."""
        member = member_key(message.author)
        if not self.limit.allow(member):
            if self.limit.should_tell(member):
                await send(message, content=embeds.SLOW_DOWN.format(n=QUESTIONS_PER_MINUTE))
            return
        try:
            answer = await self.bot.interviews.ask(self.bot.holder.current, member, question, "dm")
        except QuestionError as exc:
            await send(message, content=str(exc))
            return
        view = vote_view(message.id, answer.entry) if answer.matched and answer.entry else None
        await send(message, embeds=embeds.answer_embeds(answer), view=view)

    async def show(self, message: discord.Message, turn: Turn, *, reply: bool = True) -> None:
        """The next step, or at the end the plan (one embed a message)."""
        if not turn.done:
            await send(message, reply=reply, **step_message(turn))
            return
        await send(message, reply=reply, embed=embeds.done_embed())
        for part in plan_messages(self.bot, turn):
            await send(message, reply=False, **part)


async def send(message: discord.Message, *, reply: bool = True, **kwargs: Any) -> None:
    """A reply to the member's message (or a plain message in the same DM), pinging no one."""
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if reply:
        await message.reply(allowed_mentions=NONE, mention_author=False, **kwargs)
    else:
        await message.channel.send(allowed_mentions=NONE, **kwargs)
