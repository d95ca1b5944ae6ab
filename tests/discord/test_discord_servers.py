"""Which servers the bot serves (ALLOWED_GUILDS), who moderates (MOD_ROLE), how it is sharded
(SHARD_COUNT / SHARD_IDS) and how commands are published (`python -m bot sync`): with the
fakes, no network."""

from __future__ import annotations

import argparse
import logging
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest
from discord.ext import commands
from pydantic import ValidationError

from bot.discord import cli
from bot.discord.access import NOT_ENABLED, is_moderator
from bot.discord.client import PrelimBot, ShardedPrelimBot, create_bot
from bot.holder import AdvisorHolder
from bot.settings import Settings
from tests import fakes

SLASH, COMPONENT = 2, 3
EPHEMERAL = 1 << 6
OTHER_SERVER = 2_000_000_000_000_000_002


@pytest.fixture
async def fenced(tmp_path, advisor):
    """A bot allowed only in OTHER_SERVER: the fakes' server (fakes.GUILD_ID) is not allowed."""
    bot = await fakes.make_bot(tmp_path / "f.db", advisor, allowed_guilds=[OTHER_SERVER])
    yield bot
    await bot.store.close()


def ask(question: str) -> dict:
    return {
        "id": "9",
        "name": "ask",
        "type": 1,
        "options": [{"name": "question", "type": 3, "value": question}],
    }


# -- ALLOWED_GUILDS ------------------------------------------------------------------------------
async def test_a_command_in_a_server_not_allowed_gets_one_line_and_nothing_else(fenced):
    person = fakes.Person()
    async with fakes.Gateway(fenced) as gateway:
        [(kind, sent)] = await gateway.deliver(
            gateway.payload(SLASH, ask("when should i take ck"), person, guild_permissions="8")
        )
    assert kind == "response" and sent["data"]["content"] == NOT_ENABLED
    assert sent["data"]["flags"] & EPHEMERAL and not sent["data"].get("embeds")
    # nothing recorded for that server either
    assert await fenced.store.unanswered(None, everywhere=True) == []


async def test_the_same_command_in_dms_and_in_an_allowed_server_is_answered(tmp_path, advisor):
    bot = await fakes.make_bot(tmp_path / "a.db", advisor, allowed_guilds=[fakes.GUILD_ID])
    person = fakes.Person()
    async with fakes.Gateway(bot) as gateway:
        [(_, in_server)] = await gateway.deliver(
            gateway.payload(SLASH, ask("when should i take ck"), person, guild_permissions="0")
        )
        [(_, in_dm)] = await gateway.deliver(gateway.payload(SLASH, ask("when to take ck"), person))
    title = bot.holder.current.knowledge.topic("ck-timing").title
    assert in_server["data"]["embeds"][0]["title"] == title
    assert in_dm["data"]["embeds"][0]["title"] == title
    await bot.store.close()


async def test_a_button_pressed_in_a_server_not_allowed_does_nothing_but_say_so(fenced):
    i = fakes.interaction(fenced, guild=True, message=True)
    await fakes.press(fenced, "pa:vote:5:ck-timing:+1", i)
    assert [s.content for s in i.screen.shown()] == [NOT_ENABLED]
    assert i.screen.last.ephemeral is True
    assert await fenced.store.entry_stats(None, everywhere=True) == []  # the vote was not recorded


async def test_in_dms_buttons_still_work_with_allowed_guilds_set(fenced):
    i = fakes.interaction(fenced, message=True)
    await fakes.press(fenced, "pa:iv:step1_result:0", i)
    assert NOT_ENABLED not in i.screen.text()
    assert await fenced.store.answers(f"discord:{i.person.id}") == {"step1_result": "pass"}


def guild(guild_id: int) -> MagicMock:
    g = MagicMock(spec=discord.Guild, id=guild_id)
    g.leave = AsyncMock()
    return g


async def test_it_leaves_a_server_not_allowed_on_join_and_at_ready_logging_only_the_id(
    fenced, caplog, monkeypatch
):
    stranger, home = guild(fakes.GUILD_ID), guild(OTHER_SERVER)
    with caplog.at_level(logging.INFO):
        await fenced.on_guild_join(stranger)
        await fenced.on_guild_join(home)
        monkeypatch.setattr(type(fenced), "guilds", property(lambda _self: [stranger, home]))
        await fenced.on_ready()
    assert stranger.leave.await_count == 2 and home.leave.await_count == 0
    assert f"leaving server {fakes.GUILD_ID}: it is not in ALLOWED_GUILDS" in caplog.text
    assert str(stranger.name) not in caplog.text  # the id, never the server's name or members


async def test_without_allowed_guilds_it_stays_everywhere(bot):
    stranger = guild(fakes.GUILD_ID)
    await bot.on_guild_join(stranger)
    assert stranger.leave.await_count == 0


@pytest.mark.parametrize(
    ("value", "expected"), [("", []), ("123", [123]), (" 1, 2 ,3", [1, 2, 3]), ("4,", [4])]
)
def test_allowed_guilds_is_a_comma_separated_list_of_ids(monkeypatch, value, expected):
    monkeypatch.setenv("ALLOWED_GUILDS", value)
    assert Settings(_env_file=None).allowed_guilds == expected


def test_allowed_guilds_must_include_the_development_server(monkeypatch):
    monkeypatch.setenv("ALLOWED_GUILDS", "1,2")
    monkeypatch.setenv("GUILD_ID", "3")
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None)
    [problem] = err.value.errors()
    assert problem["loc"] == ("allowed_guilds",) and "GUILD_ID 3" in problem["msg"]
    monkeypatch.setenv("GUILD_ID", "2")
    assert Settings(_env_file=None).allowed_guilds == [1, 2]


def test_a_bad_allowed_guilds_names_the_setting(monkeypatch):
    monkeypatch.setenv("ALLOWED_GUILDS", "my server")
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None)
    assert err.value.errors()[0]["loc"] == ("allowed_guilds",)


# -- MOD_ROLE by id ------------------------------------------------------------------------------
def test_mod_role_as_an_id_is_matched_by_id_never_by_a_role_named_like_it(bot):
    real = fakes.interaction(bot, guild=True, roles=("Helpers",))
    real.user.roles[0].id = 424242
    impostor = fakes.interaction(bot, guild=True, roles=("424242",))
    assert is_moderator(real, "424242") and not is_moderator(impostor, "424242")
    assert is_moderator(fakes.interaction(bot, guild=True, roles=("moderator",)), "Moderator")


# -- sharding ------------------------------------------------------------------------------------
def bot_for(advisor, **settings) -> PrelimBot:
    return create_bot(AdvisorHolder(advisor), None, Settings(_env_file=None, **settings))  # type: ignore[arg-type]


def test_unset_is_one_connection_without_sharding(advisor):
    bot = bot_for(advisor)
    assert type(bot) is PrelimBot and not isinstance(bot, commands.AutoShardedBot)
    assert bot.describe_shards() == "one gateway connection (no sharding)"


def test_auto_runs_as_many_shards_as_discord_recommends_here(advisor):
    bot = bot_for(advisor, shard_count="auto")
    assert isinstance(bot, ShardedPrelimBot) and isinstance(bot, commands.AutoShardedBot)
    assert bot.shard_count is None and bot.shard_ids is None  # asked of Discord at connect
    assert "as many shards as Discord recommends" in bot.describe_shards()


def test_a_count_alone_runs_every_shard_in_this_process(advisor):
    bot = bot_for(advisor, shard_count=4)
    assert isinstance(bot, ShardedPrelimBot) and bot.shard_count == 4 and bot.shard_ids is None
    assert bot.describe_shards() == "shards 0,1,2,3 of 4"


def test_a_count_and_ids_run_that_slice(monkeypatch, advisor):
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "2,3")
    bot = create_bot(AdvisorHolder(advisor), None, Settings(_env_file=None))  # type: ignore[arg-type]
    assert bot.shard_count == 4 and bot.shard_ids == [2, 3]
    assert bot.describe_shards() == "shards 2,3 of 4"
    assert bot.intents.guilds and not bot.intents.guild_messages  # same bot, same intents


@pytest.mark.parametrize(
    ("env", "field", "says"),
    [
        ({"SHARD_IDS": "0,1"}, "shard_ids", "needs SHARD_COUNT"),
        ({"SHARD_COUNT": "auto", "SHARD_IDS": "0"}, "shard_ids", "needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,2"}, "shard_ids", "from 0 to 1"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "1,1"}, "shard_ids", "twice"),
        ({"SHARD_COUNT": "0"}, "shard_count", "at least 1"),
        ({"SHARD_COUNT": "many"}, "shard_count", "whole number of shards, or auto"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "one"}, "shard_ids", "whole numbers"),
    ],
)
def test_bad_shard_settings_are_refused_naming_the_setting(monkeypatch, env, field, says):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None)
    [problem] = err.value.errors()
    assert problem["loc"] == (field,) and says in problem["msg"]


# -- python -m bot sync --------------------------------------------------------------------------
TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture
def offline(monkeypatch):
    """Login that runs setup_hook and nothing else; tree.sync recorded instead of sent."""

    async def login(self, token):
        await self.setup_hook()

    sync = AsyncMock(return_value=[object()] * 7)
    monkeypatch.setattr(PrelimBot, "login", login)
    monkeypatch.setattr(discord.app_commands.CommandTree, "sync", sync)
    return sync


def places(sync: AsyncMock) -> list[int | None]:
    return [c.kwargs["guild"].id if c.kwargs.get("guild") else None for c in sync.await_args_list]


async def test_sync_alone_publishes_globally_once_and_nothing_else(offline):
    settings = Settings(_env_file=None, discord_token=TOKEN, guild_id=55, kb_watch=True)
    done = await cli._sync(settings, [], [])
    assert places(offline) == [None]  # no GUILD_ID copy on the way
    assert done == ["synced 7 global commands (they can take up to an hour to appear)"]


async def test_sync_to_a_server_and_clearing_another(offline):
    settings = Settings(_env_file=None, discord_token=TOKEN)
    done = await cli._sync(settings, [11], [22])
    assert places(offline) == [22, 11]
    assert done == [
        "removed the commands' copy from server 22",
        "synced 7 commands to server 11 (shown at once)",
    ]


async def test_a_refused_sync_is_one_line(offline):
    offline.side_effect = fakes.forbidden(50001)
    with pytest.raises(cli.CliError) as err:
        await cli._sync(Settings(_env_file=None, discord_token=TOKEN), [11], [])
    [line] = err.value.problems
    assert "applications.commands" in line and TOKEN not in line


def test_sync_parses_repeatable_server_ids():
    from bot.__main__ import build_parser

    args = build_parser().parse_args(["sync", "--guild", "1", "--guild", "2", "--clear-guild", "3"])
    assert args.guild == [1, 2] and args.clear_guild == [3]
    assert build_parser().parse_args(["run", "--sync"]).sync is True
    with pytest.raises(SystemExit):
        build_parser().parse_args(["sync", "--guild", "my-server"])


def test_sync_needs_a_token(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DISCORD_TOKEN", "")
    with pytest.raises(cli.CliError) as err:
        cli.cmd_sync(argparse.Namespace(guild=None, clear_guild=None))
    assert err.value.problems[0].startswith("DISCORD_TOKEN is not set")


async def test_no_network_is_one_line_for_sync_and_for_run(monkeypatch, tmp_path, capsys, caplog):
    import aiohttp

    async def unreachable(self, token):
        raise aiohttp.ClientConnectionError("Cannot connect to host discord.com:443")

    monkeypatch.setattr(discord.Client, "login", unreachable)
    settings = Settings(
        _env_file=None,
        discord_token=TOKEN,
        advisor_db=str(tmp_path / "r.db"),
        shard_count=4,
        shard_ids="2,3",
    )
    with pytest.raises(cli.CliError) as err:
        await cli._sync(settings, [], [])
    assert err.value.problems == [
        "could not reach Discord (ClientConnectionError: Cannot connect to host discord.com:443)"
    ]
    with caplog.at_level(logging.INFO):
        assert await cli._run(settings) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: could not reach Discord (ClientConnectionError: Cannot connect to host "
        "discord.com:443)"
    ]
    assert "starting: shards 2,3 of 4" in caplog.text  # which shards this process runs
