"""/kb: moderators only, safe reloads, and what moderators see."""

from __future__ import annotations

import os

import pytest

from bot.advisor import Advisor
from bot.discord import watch
from tests import fakes
from tests.conftest import twin_topics

KB_COMMANDS = ["kb reload", "kb history", "kb search", "kb stats", "kb unanswered"]
OPTIONS = {"kb search": {"query": "when to take ck"}}


@pytest.mark.parametrize("name", KB_COMMANDS)
async def test_members_without_the_role_are_refused_politely(bot, name):
    i = fakes.interaction(bot, guild=True, roles=("Member", "Verified"))
    assert not await fakes.invoke(bot, name, i, **OPTIONS.get(name, {}))
    assert len(i.screen.shown()) == 1
    assert i.screen.last.ephemeral is True and "moderators" in i.screen.last.content


@pytest.mark.parametrize("name", KB_COMMANDS)
async def test_kb_is_refused_in_dms_even_to_an_admin_elsewhere(bot, name):
    i = fakes.interaction(bot)
    assert not await fakes.invoke(bot, name, i, **OPTIONS.get(name, {}))


async def test_a_non_moderator_cannot_reload_and_the_knowledge_is_unchanged(bot):
    before, digest = bot.holder.current, bot.holder.current.knowledge.digest
    i = fakes.interaction(bot, guild=True, roles=("Member",))
    assert not await fakes.invoke(bot, "kb reload", i)
    assert bot.holder.current is before and bot.holder.current.knowledge.digest == digest
    assert await bot.store.reloads(None, everywhere=True) == []


async def test_the_mod_role_by_name_or_id_and_administrators_may_reload(tmp_path, kb_copy):
    bot = await fakes.make_bot(tmp_path / "m.db", Advisor.load(kb_copy), kb_copy, mod_role="424242")
    role = fakes.Person().as_member(roles=("Helpers",)).roles[0]
    role.id = 424242
    by_id = fakes.interaction(bot, guild=True)
    by_id.user.roles = [role]
    admin = fakes.interaction(bot, guild=True, admin=True)
    by_name = fakes.interaction(bot, guild=True, roles=("moderator",))
    assert await fakes.invoke(bot, "kb reload", by_id)
    assert await fakes.invoke(bot, "kb reload", admin)
    assert not await fakes.invoke(bot, "kb reload", by_name)  # MOD_ROLE is now the id
    bot.settings.mod_role = "Moderator"
    by_name = fakes.interaction(bot, guild=True, roles=("moderator",))
    assert await fakes.invoke(bot, "kb reload", by_name)  # names match case-insensitively
    assert by_id.screen.sent[0].kind == "defer"  # acknowledged before the slow part
    assert "No changes found" in by_id.screen.last.content and by_id.screen.last.ephemeral
    history = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb history", history)
    assert history.screen.last.content.count("✅") == 3
    await bot.store.close()


async def test_a_broken_edit_is_refused_with_its_errors_and_the_old_knowledge_keeps_answering(
    tmp_path, kb_copy
):
    bot = await fakes.make_bot(tmp_path / "m.db", Advisor.load(kb_copy), kb_copy)
    topics = kb_copy / "topics.yaml"
    topics.write_text(topics.read_text().replace("    keywords:", "    kewords:", 1))
    before = bot.holder.current
    i = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb reload", i)
    text = i.screen.text()
    assert "Reload refused" in text and "previous knowledge is still serving" in text
    assert "topics.yaml:" in text and "kewords" in text
    assert all(s.ephemeral and len(s.content) <= 2000 for s in i.screen.shown())
    assert bot.holder.current is before

    ask = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "ask", ask, question="when should i take step 2 ck")
    assert ask.screen.last.embed.title == before.knowledge.topic("ck-timing").title
    record = (await bot.store.reloads(None, everywhere=True))[0]
    assert record["ok"] is False and record["errors"] and "(" in record["who"]

    topics.write_text(topics.read_text().replace("    kewords:", "    keywords:", 1))
    fixed = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb reload", fixed)
    assert "✅" in fixed.screen.last.content and bot.holder.current is not before
    await bot.store.close()


async def test_many_errors_are_split_to_fit(tmp_path, kb_copy):
    bot = await fakes.make_bot(tmp_path / "m.db", Advisor.load(kb_copy), kb_copy)
    topics = kb_copy / "topics.yaml"
    topics.write_text(topics.read_text().replace("    keywords:", "    kewords:"))
    i = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb reload", i)
    shown = i.screen.shown()
    assert 1 < len(shown) <= 5 and all(len(s.content) <= 2000 for s in shown)
    await bot.store.close()


async def test_search_shows_top_hits_with_scores(bot):
    i = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb search", i, query="when to take ck")
    text = i.screen.last.content
    assert text.startswith("```") and "ck-timing" in text and "/ask answers with ck-timing" in text
    refused = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb search", refused, query="best pizza")
    assert "/ask refuses" in refused.screen.last.content
    bot.holder.current = twin_topics(bot.holder.current, "step1-failure", "own-the-story")
    tie = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb search", tie, query="should i hide my failed attempt from programs")
    assert "/ask answers with step1-failure + own-the-story (near tie)" in tie.screen.last.content


async def test_unanswered_groups_most_frequent_first_and_stats(bot):
    questions = ["how does soap work", "how does SOAP work??", "how does soap work @everyone"]
    for q in [*questions, "best pizza in town"]:
        await fakes.invoke(bot, "ask", fakes.interaction(bot, guild=True), question=q)
    await fakes.invoke(
        bot, "ask", fakes.interaction(bot, guild=True), question="when should i take step 2 ck"
    )
    i = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb unanswered", i)
    lines = i.screen.last.content.splitlines()
    assert lines[0].startswith("3× ") and "soap" in lines[0].lower() and lines[1].startswith("1× ")
    assert "@everyone" not in i.screen.last.content  # escaped, and nobody pinged anyway
    stats = fakes.interaction(bot, guild=True, admin=True)
    await fakes.invoke(bot, "kb stats", stats)
    text = stats.screen.last.content
    assert "1 · 0 · 0  ck-timing" in text and "4 of 5 (80%)" in text


async def test_empty_history_and_unanswered(bot):
    for name in ("kb history", "kb unanswered"):
        i = fakes.interaction(bot, guild=True, admin=True)
        await fakes.invoke(bot, name, i)
        assert "No " in i.screen.last.content


async def test_the_file_watcher_reloads_on_change_and_refuses_a_broken_one(tmp_path, kb_copy):
    bot = await fakes.make_bot(tmp_path / "w.db", Advisor.load(kb_copy), kb_copy, kb_watch=True)
    seen = watch.stamp(kb_copy)
    assert await watch.check_once(bot, seen) == seen and await bot.store.reloads(None, everywhere=True) == []
    before = bot.holder.current
    topics = kb_copy / "topics.yaml"
    topics.write_text(topics.read_text().replace("    keywords:", "    kewords:", 1))
    os.utime(topics, ns=(1, 1))
    seen = await watch.check_once(bot, seen)
    assert bot.holder.current is before
    record = (await bot.store.reloads(None, everywhere=True))[0]
    assert record["who"] == "file watcher" and record["ok"] is False
    topics.write_text(topics.read_text().replace("    kewords:", "    keywords:", 1))
    await watch.check_once(bot, seen)
    assert bot.holder.current is not before
    assert [r["ok"] for r in await bot.store.reloads(None, everywhere=True)] == [True, False]
    await bot.store.close()


# -- each server's records are its own ---------------------------------------------------------
SERVER_B = 2_000_000_000_000_000_002


def in_server(i, server: int):
    """`i` moved to another server (the fakes' default is fakes.GUILD_ID)."""
    i.guild_id = server
    i.guild.id = server
    return i


async def test_a_moderator_in_another_server_sees_none_of_this_servers_records(tmp_path, kb_copy):
    bot = await fakes.make_bot(tmp_path / "x.db", Advisor.load(kb_copy), kb_copy)
    # Server A: refused questions, a matched one with a vote, and a reload by its moderator.
    for q in ["how does soap work", "how does soap work?", "best pizza in town"]:
        await fakes.invoke(bot, "ask", fakes.interaction(bot, guild=True), question=q)
    asked = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "ask", asked, question="when should i take step 2 ck")
    voter = fakes.interaction(bot, guild=True, message=True)
    await fakes.press(bot, f"pa:vote:{asked.id}:ck-timing:+1", voter)
    mod_a = fakes.interaction(bot, fakes.Person(name="ModeratorA"), guild=True, admin=True)
    await fakes.invoke(bot, "kb reload", mod_a)
    # A question in DMs: for the operator's command line only.
    await fakes.invoke(bot, "ask", fakes.interaction(bot), question="a secret dm question")

    def mod_b():
        return in_server(fakes.interaction(bot, guild=True, admin=True), SERVER_B)

    shown = {}
    for name in ("kb unanswered", "kb stats", "kb history"):
        i = mod_b()
        await fakes.invoke(bot, name, i)
        shown[name] = i.screen.text()
    assert "No unanswered questions yet." in shown["kb unanswered"]
    assert "soap" not in shown["kb unanswered"] and "secret" not in shown["kb unanswered"]
    assert "ck-timing" not in shown["kb stats"] and "No questions yet." in shown["kb stats"]
    assert "No reloads recorded yet." in shown["kb history"]
    assert "ModeratorA" not in "".join(shown.values())

    # Server A's moderator sees A's records, and not the DM question.
    seen = {}
    for name in ("kb unanswered", "kb stats", "kb history"):
        i = fakes.interaction(bot, guild=True, admin=True)
        await fakes.invoke(bot, name, i)
        seen[name] = i.screen.text()
    assert "soap" in seen["kb unanswered"] and "secret" not in seen["kb unanswered"]
    assert "1 · 1 · 0  ck-timing" in seen["kb stats"] and "3 of 4 (75%)" in seen["kb stats"]
    assert "ModeratorA" in seen["kb history"]
    # The operator sees everything, DMs included.
    everything = await bot.store.unanswered(None, everywhere=True)
    assert "a secret dm question" in [r["question"] for r in everything]
    await bot.store.close()


async def test_a_reload_is_logged_without_the_moderators_name_or_id(tmp_path, kb_copy, caplog):
    """The history keeps who reloaded (for that server's moderators, removable by /forget); the
    log, which nobody can /forget, names no one."""
    import logging

    bot = await fakes.make_bot(tmp_path / "m.db", Advisor.load(kb_copy), kb_copy)
    admin = fakes.interaction(bot, guild=True, admin=True)
    with caplog.at_level(logging.DEBUG, logger="bot"):  # the bot's own log (libraries are capped
        assert await fakes.invoke(bot, "kb reload", admin)  # by setup_logging, tested apart)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "reloaded by a moderator" in logged
    assert str(admin.user.id) not in logged and str(admin.user) not in logged
    await bot.store.close()
