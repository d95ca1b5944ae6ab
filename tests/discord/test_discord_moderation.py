"""/kb: moderators only, safe reload, and what moderators see."""

import shutil

from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from tests.discord.conftest import invoke, make_bot
from tests.fakes import FakeInteraction


async def test_non_moderator_cannot_reload(bot):
    before = bot.holder.current
    i = FakeInteraction(bot, guild=True, roles=("Member",))
    assert not await invoke(bot, "kb reload", i)
    assert i.last.ephemeral and "moderators" in i.last.content
    assert bot.holder.current is before and not await bot.store.reloads()


async def test_kb_is_refused_in_dms(bot):
    i = FakeInteraction(bot)
    assert not await invoke(bot, "kb stats", i)


async def test_moderator_role_or_admin_may_reload(bot):
    for kwargs in ({"roles": ("Moderator",)}, {"admin": True}):
        i = FakeInteraction(bot, guild=True, **kwargs)
        assert await invoke(bot, "kb reload", i)
        assert "No changes found" in i.last.content or "reloaded" in i.last.content
    history = FakeInteraction(bot, guild=True, admin=True)
    await invoke(bot, "kb history", history)
    assert history.last.content.count("✅") == 2


async def test_broken_edit_is_refused_with_errors_and_old_knowledge_keeps_serving(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, copy)
    bot = await make_bot(tmp_path / "m.db", Advisor.load(copy, verify=True), copy)
    path = copy / "topics.yaml"
    path.write_text(path.read_text().replace("    examples:", "    exmaples:", 1))
    before = bot.holder.current
    i = FakeInteraction(bot, guild=True, admin=True)
    await invoke(bot, "kb reload", i)
    text = "\n".join(s.content for s in i.shown())
    assert "Reload refused" in text and "topics.yaml:" in text and "exmaples" in text
    assert all(len(s.content) <= 2000 for s in i.shown())
    assert bot.holder.current is before
    ask = FakeInteraction(bot, guild=True)
    await invoke(bot, "ask", ask, question="when should i take step 2 ck")
    assert "mid-August" in ask.last.embed.description
    assert (await bot.store.reloads())[0]["ok"] is False
    await bot.store.close()


async def test_unanswered_and_stats_for_moderators(bot):
    for q in ["how does soap work", "how does SOAP work??", "best pizza"]:
        await invoke(bot, "ask", FakeInteraction(bot, guild=True), question=q)
    i = FakeInteraction(bot, guild=True, admin=True)
    await invoke(bot, "kb unanswered", i)
    assert i.last.content.splitlines()[0].startswith("**2×**")
    stats = FakeInteraction(bot, guild=True, admin=True)
    await invoke(bot, "kb stats", stats)
    assert "Refused questions by day" in stats.last.content


async def test_search_shows_scores(bot):
    i = FakeInteraction(bot, guild=True, admin=True)
    await invoke(bot, "kb search", i, query="when to take ck")
    assert "ck-timing" in i.last.content
