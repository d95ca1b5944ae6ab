"""`python -m bot commands --json` and `python -m bot run`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys

EXIT_USAGE = 2


async def command_payloads() -> list[dict]:
    """The application-command payloads exactly as discord.py would send them. No token, no network."""
    from bot.advisor import Advisor
    from bot.discord.client import create_bot
    from bot.holder import AdvisorHolder
    from bot.settings import Settings
    from bot.store import Store

    store = await Store.open(":memory:")
    try:
        bot = create_bot(AdvisorHolder(Advisor.load()), store, Settings(discord_token=""))
        await bot.add_cogs()
        return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    finally:
        await store.close()


def cmd_commands(args: argparse.Namespace) -> int:
    print(json.dumps(asyncio.run(command_payloads()), indent=2, ensure_ascii=False))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bot.settings import Settings, token_problem

    try:
        settings = Settings()
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            print(f"error: {name}: {err['msg']}", file=sys.stderr)
        return EXIT_USAGE
    problem = token_problem(settings.discord_token)
    if problem:
        print(
            f"error: {problem}: set DISCORD_TOKEN in the environment or in .env "
            "(the console chat, `python -m bot chat`, works without one)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from bot.discord.client import setup_logging

    setup_logging(settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(settings))
    return 0


async def _run(settings) -> None:
    import discord

    from bot.advisor import Advisor
    from bot.discord.client import create_bot
    from bot.holder import AdvisorHolder
    from bot.store import Store

    holder = AdvisorHolder(
        Advisor.load(settings.knowledge_dir, verify=True), settings.knowledge_dir
    )
    store = await Store.open(settings.advisor_db)
    try:
        bot = create_bot(holder, store, settings)
        async with bot:
            try:
                await bot.start(settings.discord_token.get_secret_value())
            except discord.LoginFailure:
                print(
                    "error: Discord refused DISCORD_TOKEN: check it in the developer portal "
                    "(the console chat, `python -m bot chat`, works without one)",
                    file=sys.stderr,
                )
    finally:
        await store.close()
