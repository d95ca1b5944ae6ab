"""Slash commands driven through their real callbacks with fake interactions."""

from bot.discord.items import ForgetButton, TopicSelect, VoteButton
from bot.discord.messages import member_key
from tests.discord.conftest import invoke
from tests.fakes import FakeInteraction, FakeUser


async def test_ask_in_a_server_is_ephemeral_embed_with_source_and_votes(bot):
    i = FakeInteraction(bot, guild=True)
    await invoke(bot, "ask", i, question="hw many progs shud i apply 2 wit 221")
    sent = i.last
    assert sent.ephemeral is True
    assert "120–150" in sent.embed.description and sent.embed.footer.text.startswith("Guide ›")
    assert [cid.split(":")[-1] for cid in sent.custom_ids()] == ["up", "down"]
    assert all(len(cid) <= 100 for cid in sent.custom_ids())


async def test_ask_in_dm_is_not_ephemeral_and_uses_the_stored_profile(bot):
    user = FakeUser()
    await bot.interviews.import_profile(
        member_key(user),
        __import__("tests.conftest", fromlist=["x"]).make_profile(step2ck_score=219),
    )
    i = FakeInteraction(bot, user)
    await invoke(bot, "ask", i, question="how many programs should i apply to")
    assert i.last.ephemeral is False and "219" in i.last.embed.description


async def test_refused_question_is_recorded_without_vote_buttons(bot):
    i = FakeInteraction(bot, guild=True)
    await invoke(bot, "ask", i, question="best pizza in chicago @everyone")
    assert i.last.embed.title == "Not covered by the guide" and not i.last.custom_ids()
    assert "@everyone" not in i.last.text
    rows = await bot.store.unanswered()
    assert rows[0]["question"] == "best pizza in chicago @everyone" and rows[0]["place"] == "guild"


async def test_autocomplete_offers_at_most_25_topic_titles(bot):
    cog = bot.get_cog("AskCog")
    i = FakeInteraction(bot, guild=True)
    choices = await cog.ask_autocomplete(i, "")
    assert 0 < len(choices) <= 25 and all(len(c.name) <= 100 for c in choices)
    typed = await cog.ask_autocomplete(i, "when shud i take ck")
    assert typed and "Step 2 CK" in typed[0].name or "CK" in typed[0].name


async def test_votes_are_stored_once_per_member(bot):
    user = FakeUser()
    for vote in ("up", "down"):
        i = FakeInteraction(bot, user, message=True)
        await VoteButton("111", "ck-timing", vote).callback(i)
        assert i.last.ephemeral is True and "Thanks" in i.last.content
    stats = {s["entry"]: s for s in await bot.store.entry_stats()}
    assert (stats["ck-timing"]["up"], stats["ck-timing"]["down"]) == (0, 1)


async def test_forget_asks_first_then_leaves_no_row(bot):
    user = FakeUser()
    await bot.interviews.give(member_key(user), "step1_result", "pass")
    await bot.store.record_unanswered("soap?", 0.1, "dm", member_key(user))
    i = FakeInteraction(bot, user, guild=True)
    await invoke(bot, "forget", i)
    assert i.last.ephemeral and "Are you sure" in i.last.content
    assert await bot.store.rows_about(member_key(user)) > 0
    press = FakeInteraction(bot, user, message=True)
    await ForgetButton("yes", user.id).callback(press)
    assert "deleted" in press.last.content and press.last.view is None
    assert await bot.store.rows_about(member_key(user)) == 0


async def test_forget_cancel_keeps_everything(bot):
    user = FakeUser()
    await bot.interviews.give(member_key(user), "step1_result", "pass")
    press = FakeInteraction(bot, user, message=True)
    await ForgetButton("no", user.id).callback(press)
    assert "Nothing was deleted" in press.last.content
    assert await bot.store.answers(member_key(user)) == {"step1_result": "pass"}


async def test_someone_else_cannot_press_my_forget_button(bot):
    assert not await ForgetButton("yes", 1).interaction_check(FakeInteraction(bot, FakeUser(id=2)))


async def test_topics_menu_and_pick(bot):
    i = FakeInteraction(bot, guild=True)
    await invoke(bot, "topics", i)
    selects = i.last.view.children
    assert selects and all(len(s.item.options) <= 25 for s in selects)
    picked = TopicSelect(0)
    picked.item._values = ["ck-timing"]
    pick = FakeInteraction(bot, guild=True, message=True)
    await picked.callback(pick)
    assert "mid-August" in pick.last.embed.description and pick.last.ephemeral


async def test_privacy_says_what_is_stored_and_how_to_delete(bot):
    i = FakeInteraction(bot)
    await invoke(bot, "privacy", i)
    assert "/forget" in i.last.embed.description and "salted hash" in i.last.embed.description
