"""`python -m bot commands --json` and `python -m bot run`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from typing import Any

from bot.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CliError, StoreError


async def command_payloads() -> list[dict[str, Any]]:
    """The application-command payloads exactly as discord.py would send them on sync.

    No token, no network, no database and no knowledge: the cogs only use those when a
    command runs, so the bot is built over placeholders."""
    from bot.discord.client import PrelimBot
    from bot.settings import Settings

    settings = Settings.model_construct()  # defaults only: nothing read from env or .env
    bot = PrelimBot(None, None, None, settings)  # type: ignore[arg-type]
    await bot.install()
    tree = bot.tree
    return [cmd.to_dict(tree) for cmd in tree.get_commands()]


def cmd_commands(args: argparse.Namespace) -> int:
    from bot.discord.limits import command_problems

    payloads = asyncio.run(command_payloads())
    print(json.dumps(payloads))
    problems = [p for payload in payloads for p in command_problems(payload)]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return EXIT_FAIL if problems else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bot.settings import TOKEN_HELP, Settings, token_problem

    try:
        settings = Settings()
    except ValidationError as exc:
        # pydantic's messages name the field and the problem; the token is never in them
        # (a string is always a valid SecretStr), nor is any other input value.
        for err in exc.errors(include_input=False, include_url=False):
            name = ".".join(str(part) for part in err["loc"]).upper() or "settings"
            print(f"error: {name}: {err['msg']}", file=sys.stderr)
        return EXIT_USAGE
    problem = token_problem(settings.discord_token)
    if problem:
        print(f"error: {problem}: {TOKEN_HELP}", file=sys.stderr)
        return EXIT_USAGE

    from bot.discord.client import setup_logging

    setup_logging(settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        try:
            return asyncio.run(_run(settings))
        except StoreError as exc:  # nothing left running: the store closed what it opened
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAIL
    return EXIT_OK


async def _run(settings: Any) -> int:
    import discord

    from bot.advisor import Advisor
    from bot.discord.client import create_bot
    from bot.holder import AdvisorHolder
    from bot.knowledge import KnowledgeError
    from bot.settings import TOKEN_HELP
    from bot.store import Store

    try:
        advisor = Advisor.load(settings.knowledge_dir, verify=True)
    except KnowledgeError as exc:
        raise CliError(
            [
                f"the knowledge in {settings.knowledge_dir} has problems "
                "(run: python -m bot kb check)",
                *(str(p) for p in exc.problems if not p.warning),
            ],
            EXIT_FAIL,
        ) from None
    key = settings.advisor_hash_key.get_secret_value().strip().encode() or None
    store = await Store.open(settings.advisor_db, hash_key=key)
    try:
        bot = create_bot(AdvisorHolder(advisor, settings.knowledge_dir), store, settings)
        async with bot:
            try:
                await bot.start(settings.discord_token.get_secret_value())
            except discord.LoginFailure:
                print(f"error: Discord refused DISCORD_TOKEN: {TOKEN_HELP}", file=sys.stderr)
                return EXIT_USAGE
    finally:
        await store.close()
    return EXIT_OK
