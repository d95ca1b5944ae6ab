"""The client: intents, mentions, persistent components, command sync, logging and the one
error path, all without the network."""

from __future__ import annotations

import logging
from unittest.mock import AsyncMock

import discord
import pytest
from discord import app_commands

from bot.discord import limits
from bot.discord.client import DYNAMIC_ITEMS, create_bot, setup_logging
from bot.discord.interview_views import NumberModal, submitted_text
from bot.discord.respond import APOLOGY
from bot.discord.views import SafeModal, SafeView
from bot.holder import AdvisorHolder
from bot.interview import BY_ID
from bot.settings import Settings
from bot.store import Store
from tests import fakes


def test_only_the_intents_the_features_need_and_no_mentions(bot):
    assert bot.intents.guilds and bot.intents.dm_messages
    enabled = {name for name, on in bot.intents if on}
    assert enabled == {"guilds", "dm_messages"}  # no server messages, typing, members…
    assert not bot.intents.message_content and not bot.intents.guild_messages
    assert not bot.intents.typing and not bot.intents.presences and not bot.intents.members
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()


def test_every_persistent_component_is_registered_once(bot):
    registered = bot._connection._view_store._dynamic_items
    assert set(registered.values()) == set(DYNAMIC_ITEMS)
    assert len(registered) == len(DYNAMIC_ITEMS)


def synced_to(bot) -> list[int | None]:
    """Where each tree.sync call published: a server id, or None for global."""
    return [
        c.kwargs["guild"].id if c.kwargs.get("guild") else None
        for c in bot.tree.sync.await_args_list
    ]


async def started(tmp_path, advisor, start_sync="auto", **settings):
    store = await Store.open(tmp_path / "s.db")
    bot = create_bot(
        AdvisorHolder(advisor), store, Settings(_env_file=None, **settings), start_sync=start_sync
    )
    bot.tree.sync = AsyncMock(return_value=[])
    return bot, store


async def test_a_plain_start_syncs_nothing(tmp_path, advisor, caplog):
    bot, store = await started(tmp_path, advisor)
    with caplog.at_level(logging.INFO):
        await bot.setup_hook()
    assert synced_to(bot) == [] and "python -m bot sync" in caplog.text
    assert len(bot._connection._view_store._dynamic_items) == len(DYNAMIC_ITEMS)
    await store.close()


async def test_with_guild_id_a_start_syncs_a_copy_there_only(tmp_path, advisor):
    bot, store = await started(tmp_path, advisor, guild_id=1234)
    await bot.setup_hook()
    assert synced_to(bot) == [1234]  # not globally too: they would show twice there
    assert {c.name for c in bot.tree.get_commands(guild=discord.Object(1234))} >= {"ask", "kb"}
    await store.close()


async def test_run_sync_syncs_globally_and_makes_no_copy(tmp_path, advisor):
    bot, store = await started(tmp_path, advisor, start_sync="global", guild_id=1234)
    await bot.setup_hook()
    assert synced_to(bot) == [None]
    assert bot.tree.get_commands(guild=discord.Object(1234)) == []
    await store.close()


async def test_a_forbidden_dev_server_sync_is_a_warning_not_a_crash(tmp_path, advisor, caplog):
    bot, store = await started(tmp_path, advisor, guild_id=99)
    bot.tree.sync = AsyncMock(side_effect=[fakes.forbidden(50001)])
    with caplog.at_level(logging.WARNING):
        await bot.setup_hook()
    assert "applications.commands" in caplog.text and bot.tree.sync.await_count == 1
    await store.close()


async def test_a_refused_global_sync_is_a_warning_and_the_bot_still_starts(
    tmp_path, advisor, caplog
):
    bot, store = await started(tmp_path, advisor, start_sync="global")
    bot.tree.sync = AsyncMock(side_effect=[fakes.forbidden(50001)])
    with caplog.at_level(logging.WARNING):
        await bot.setup_hook()
    assert "could not sync the commands globally (HTTP 403)" in caplog.text
    assert len(bot._connection._view_store._dynamic_items) == len(DYNAMIC_ITEMS)
    await store.close()


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")


async def test_a_debug_run_logs_no_member_text_ids_or_sql_parameters(tmp_path, advisor):
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    recorder = Recorder()
    try:
        setup_logging("DEBUG")
        root.addHandler(recorder)
        for name in ("discord", "discord.gateway", "aiosqlite", "asyncpg"):
            assert logging.getLogger(name).getEffectiveLevel() == logging.INFO, name
        assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
        bot = await fakes.make_bot(tmp_path / "debug.db", advisor)
        person = fakes.Person()
        await fakes.invoke(bot, "ask", fakes.interaction(bot, person), question="zebra-7431 soup")
        await fakes.invoke(
            bot, "ask", fakes.interaction(bot, person, guild=True), question="when to take ck"
        )
        await fakes.press(bot, "pa:iv:step1_result:0", fakes.interaction(bot, person))
        await bot.store.close()
        logging.getLogger("bot").debug("the recorder works")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name in ("discord", "aiosqlite", "asyncpg"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    text = "\n".join(recorder.lines)
    assert "the recorder works" in text  # DEBUG records were captured
    assert "zebra-7431" not in text and str(person.id) not in text
    assert "INSERT" not in text and "SELECT" not in text


def test_settings_never_show_the_token():
    token = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"
    settings = Settings(_env_file=None, discord_token=f"  {token}\n")
    assert token not in repr(settings) and token not in str(settings.model_dump())
    assert settings.discord_token.get_secret_value() == token  # surrounding blanks dropped


# -- the one error path ----------------------------------------------------------------------
def apologised(i) -> bool:
    last = i.screen.last
    return last.content == APOLOGY and last.ephemeral is True


async def test_a_failing_command_apologises_and_logs_the_traceback(bot, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(type(bot.holder.current), "ask", broken)
    i = fakes.interaction(bot, guild=True)
    with caplog.at_level(logging.ERROR):
        await fakes.invoke(bot, "ask", i, question="when to take ck")
    assert apologised(i) and "index exploded" not in i.screen.text()
    assert "RuntimeError: index exploded" in caplog.text and "Traceback" in caplog.text


async def test_a_failing_button_and_modal_apologise(bot, monkeypatch, caplog):
    monkeypatch.setattr(bot.interviews, "give", AsyncMock(side_effect=OSError("disk full")))
    pressed = fakes.interaction(bot, message=True)
    with caplog.at_level(logging.ERROR):
        await fakes.press(bot, "pa:iv:step1_result:0", pressed)
    assert apologised(pressed) and "OSError: disk full" in caplog.text
    submitted = fakes.interaction(bot, message=True)
    await fakes.submit(bot, "pa:num:step1_attempts", "1", submitted)
    assert apologised(submitted)


async def test_view_and_modal_on_error_apologise(bot, caplog):
    i = fakes.interaction(bot, guild=True, message=True)
    await SafeView().on_error(i, ValueError("view"), discord.ui.Button(label="x"))
    assert apologised(i)
    j = fakes.interaction(bot, guild=True, message=True)
    await NumberModal(BY_ID["step2ck_score"]).on_error(j, ValueError("modal"))
    assert apologised(j) and isinstance(NumberModal(BY_ID["yog"]), SafeModal)
    k = fakes.interaction(bot, guild=True)
    k.screen.done = True  # already answered: the apology is a followup
    await bot.tree.on_error(
        k, app_commands.CommandInvokeError(fakes.command(bot, "ask"), ValueError("late"))
    )
    assert k.screen.last.kind == "followup" and apologised(k)


async def test_an_autocomplete_failure_is_only_logged(bot, caplog):
    i = fakes.interaction(bot, kind=discord.InteractionType.autocomplete)
    with caplog.at_level(logging.ERROR):
        await bot.tree.on_error(
            i, app_commands.CommandInvokeError(fakes.command(bot, "ask"), KeyError("x"))
        )
    assert i.screen.sent == [] and "KeyError" in caplog.text


async def test_an_unanswered_check_failure_gets_a_short_refusal(bot):
    i = fakes.interaction(bot, guild=True)
    await bot.tree.on_error(i, app_commands.CheckFailure("no"))
    assert i.screen.last.ephemeral is True and "can't use" in i.screen.last.content


# -- the fakes themselves --------------------------------------------------------------------
async def test_the_fakes_refuse_what_discord_would_refuse(bot):
    i = fakes.interaction(bot)
    with pytest.raises(AssertionError):
        await i.response.send_message("hi")  # no allowed_mentions
    with pytest.raises(AssertionError):
        await i.followup.send(
            "x" * (limits.CONTENT + 1), allowed_mentions=discord.AllowedMentions.none()
        )
    fakes.VIOLATIONS.clear()


# -- the number modal: its input in a ui.Label ---------------------------------------------------
def test_the_number_modal_wraps_its_input_in_a_label_and_the_old_row_form_is_refused():
    payload = NumberModal(BY_ID["step2ck_score"]).to_dict()
    assert limits.modal_problems(payload) == []
    [label] = payload["components"]
    assert label["type"] == limits.LABEL and label["component"]["custom_id"] == "value"
    old = {
        **payload,
        "components": [{"type": 1, "components": [{**label["component"], "label": "Score"}]}],
    }
    assert any("ui.Label" in p for p in limits.modal_problems(old))
    long = {**payload, "components": [{**label, "label": "x" * 46}]}
    assert limits.modal_problems(long) == ["label text: 1-45 characters"]


def test_the_typed_value_is_read_from_a_label_and_from_an_old_action_row():
    assert submitted_text([fakes.label_submitted("232")]) == "232"
    row = {"type": 1, "components": [{"type": 4, "custom_id": "value", "value": "7"}]}
    assert submitted_text([row]) == "7"
    assert submitted_text([fakes.label_submitted("9", custom_id="other")]) == ""
