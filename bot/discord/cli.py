"""`python -m bot commands --json`, `python -m bot run` and `python -m bot sync`."""

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


def load_settings() -> Any:
    """The bot's settings with a usable-looking token, or a CliError with one line per
    problem (naming the setting, never showing the token or any other value)."""
    from pydantic import ValidationError

    from bot.settings import TOKEN_HELP, Settings, token_problem

    try:
        settings = Settings()
    except ValidationError as exc:
        # pydantic's messages name the field and the problem; the token is never in them
        # (a string is always a valid SecretStr), nor is any other input value.
        raise CliError(
            [
                f"{'.'.join(str(part) for part in err['loc']).upper() or 'settings'}: "
                f"{err['msg'].removeprefix('Value error, ')}"
                for err in exc.errors(include_input=False, include_url=False)
            ]
        ) from None
    problem = token_problem(settings.discord_token)
    if problem:
        raise CliError([f"{problem}: {TOKEN_HELP}"])
    return settings


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    from bot.discord.client import setup_logging

    setup_logging(settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        return asyncio.run(_run(settings, sync=getattr(args, "sync", False)))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    settings = load_settings()
    from bot.discord.client import setup_logging

    setup_logging(settings.log_level)
    for line in asyncio.run(_sync(settings, args.guild or [], args.clear_guild or [])):
        print(line)
    return EXIT_OK


async def _sync(settings: Any, guilds: list[int], clear: list[int]) -> list[str]:
    """Log in (no gateway connection), publish the commands as asked, log out. No knowledge
    and no database are needed: commands are read from the cogs."""
    import aiohttp
    import discord

    from bot.discord.client import PrelimBot
    from bot.settings import TOKEN_HELP

    settings = settings.model_copy(update={"kb_watch": False})
    bot = PrelimBot(None, None, None, settings, start_sync="off")  # type: ignore[arg-type]
    done: list[str] = []
    async with bot:
        try:
            await bot.login(settings.discord_token.get_secret_value())
            for guild_id in clear:
                await bot.clear_guild_commands(guild_id)
                done.append(f"removed the commands' copy from server {guild_id}")
            for guild_id in guilds:
                count = await bot.sync_commands(guild_id)
                done.append(f"synced {count} commands to server {guild_id} (shown at once)")
            if not guilds and not clear:
                count = await bot.sync_commands()
                done.append(
                    f"synced {count} global commands (they can take up to an hour to appear)"
                )
        except discord.LoginFailure:
            raise CliError([f"Discord refused DISCORD_TOKEN: {TOKEN_HELP}"]) from None
        except discord.Forbidden:
            raise CliError(
                [
                    *done,
                    "Discord refused the sync: is the bot in that server, invited with the "
                    "applications.commands scope?",
                ],
                EXIT_FAIL,
            ) from None
        except discord.HTTPException as exc:
            raise CliError(
                [*done, f"Discord refused the sync (HTTP {exc.status})"], EXIT_FAIL
            ) from None
        except (TimeoutError, OSError, aiohttp.ClientError) as exc:
            raise CliError([*done, unreachable(exc)], EXIT_FAIL) from None
    return done


def unreachable(exc: BaseException) -> str:
    """One line for a network failure (no connection, DNS, TLS, timeout)."""
    return f"could not reach Discord ({type(exc).__name__}: {exc})"


async def _run(settings: Any, sync: bool = False) -> int:
    import aiohttp
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
        # one line per problem (a missing folder is one line); each names its file and entry
        errors = [str(p) for p in exc.problems if not p.warning] or [str(exc)]
        raise CliError(
            [f"KNOWLEDGE_DIR: {errors[0]} (check with: python -m bot kb check)", *errors[1:]],
            EXIT_FAIL,
        ) from None
    key = settings.advisor_hash_key.get_secret_value().strip().encode() or None
    try:
        store = await Store.open(settings.advisor_db, hash_key=key)
    except StoreError as exc:
        raise CliError([f"ADVISOR_DB: {exc}"], EXIT_FAIL) from None
    try:
        bot = create_bot(
            AdvisorHolder(advisor, settings.knowledge_dir),
            store,
            settings,
            start_sync="global" if sync else "auto",
        )
        async with bot:
            try:
                await bot.start(settings.discord_token.get_secret_value())
            except discord.LoginFailure:
                print(f"error: Discord refused DISCORD_TOKEN: {TOKEN_HELP}", file=sys.stderr)
                return EXIT_USAGE
            except (TimeoutError, OSError, aiohttp.ClientError) as exc:
                print(f"error: {unreachable(exc)}", file=sys.stderr)
                return EXIT_FAIL
    finally:
        await store.close()
    return EXIT_OK
