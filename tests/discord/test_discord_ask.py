"""/ask, the 👍 / 👎 buttons, /topics and /privacy, through their real callbacks."""

from __future__ import annotations

import dataclasses
import re

import discord

from bot.discord.respond import member_key
from bot.discord.topics import PER_PAGE
from tests import fakes
from tests.conftest import make_profile, twin_topics

VOTE = r"pa:vote:\d{1,20}:[a-z0-9_.-]+:[+-]1"


async def test_ask_in_a_server_is_an_ephemeral_embed_with_its_source_and_votes(bot):
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "ask", i, question="hw many progs shud i apply 2 wit 221")
    sent = i.screen.last
    assert sent.kind == "send" and sent.ephemeral is True and sent.content is None
    assert sent.embed.title == bot.holder.current.knowledge.topic("application-volume").title
    assert "221" in sent.embed.description and "120–150" in sent.embed.description
    assert sent.embed.footer.text.startswith("Guide › ")
    ids = sent.custom_ids()
    assert [c.rsplit(":", 1)[1] for c in ids] == ["+1", "-1"]
    assert all(re.fullmatch(VOTE, c) and len(c) <= 100 for c in ids)
    assert ids[0] == f"pa:vote:{i.id}:application-volume:+1"
    assert await bot.store.entry_stats(None, everywhere=True) == [
        {"entry": "application-volume", "asks": 1, "up": 0, "down": 0}
    ]


async def test_ask_in_dms_is_a_normal_message_for_the_stored_profile(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=219))
    i = fakes.interaction(bot, person)
    await fakes.invoke(bot, "ask", i, question="how many programs should i apply to")
    assert i.screen.last.ephemeral is False
    assert "219" in i.screen.last.embed.description


async def test_a_refusal_is_an_embed_without_votes_and_is_recorded(bot):
    person = fakes.Person()
    i = fakes.interaction(bot, person, guild=True)
    question = "best pizza in chicago @everyone <@123> <@&456>"
    await fakes.invoke(bot, "ask", i, question=question)
    sent = i.screen.last
    assert sent.embed.title == "Not covered by the guide" and sent.custom_ids() == []
    assert sent.ephemeral is True
    assert "@everyone" not in sent.text and "<@" not in sent.text  # never echoed
    rows = await bot.store.unanswered(None, everywhere=True)
    assert rows[0]["question"] == question and rows[0]["place"] == "guild"
    assert await bot.store.rows_about(member_key(person)) == 1  # kept under a hash
    assert (await bot.store.refusal_share(None, everywhere=True))[0]["refused"] == 1

    dm = fakes.interaction(bot, person)
    await fakes.invoke(bot, "ask", dm, question="what's the weather like")
    assert (await bot.store.unanswered(None, everywhere=True))[0]["place"] == "dm"


async def test_a_blank_question_is_refused_with_the_reason(bot):
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "ask", i, question="   ")
    assert "must not be empty" in i.screen.last.content and i.screen.last.ephemeral
    assert await bot.store.entry_stats(None, everywhere=True) == []


async def test_autocomplete_offers_at_most_25_matching_titles(bot):
    cog = bot.get_cog("AskCog")
    i = fakes.interaction(bot, guild=True, kind=discord.InteractionType.autocomplete)
    everything = await cog.suggest(i, "")
    assert 0 < len(everything) <= 25
    featured = [t.title for t in bot.holder.current.knowledge.featured()]
    assert [c.name for c in everything[: len(featured)]] == featured  # what it covers, first
    assert len({c.name for c in everything}) == len(everything)
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in everything)
    typed = await cog.suggest(i, "when shud i take ck")
    assert typed and typed[0].name == bot.holder.current.knowledge.topic("ck-timing").title
    assert await cog.suggest(i, "x" * 5000) is not None


async def test_votes_one_per_member_per_answer_and_pressing_again_changes_it(bot):
    me, other = fakes.Person(), fakes.Person()
    for person, vote in ((me, "+1"), (me, "-1"), (other, "+1")):
        i = fakes.interaction(bot, person, guild=True, message=True)
        await fakes.press(bot, f"pa:vote:555:ck-timing:{vote}", i)
        assert i.screen.last.ephemeral is True and "Thanks" in i.screen.last.content
    stats = {s["entry"]: s for s in await bot.store.entry_stats(None, everywhere=True)}
    assert (stats["ck-timing"]["up"], stats["ck-timing"]["down"]) == (1, 1)


async def test_topics_menus_hold_at_most_25_and_a_pick_shows_the_answer(bot):
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(step2ck_score=219))
    i = fakes.interaction(bot, person, guild=True)
    await fakes.invoke(bot, "topics", i)
    sent = i.screen.last
    assert sent.ephemeral is True
    menus = [row["components"][0] for row in sent.components()]
    titles = [o["label"] for m in menus for o in m["options"]]
    assert len(titles) == len(bot.holder.current.knowledge.topics)
    assert all(len(m["options"]) <= 25 for m in menus)
    pick = fakes.interaction(bot, person, guild=True, message=True)
    await fakes.press(bot, menus[0]["custom_id"], pick, values=["application-volume"])
    answer = pick.screen.last
    assert answer.ephemeral is True and "219" in answer.embed.description
    assert answer.embed.footer.text.startswith("Guide › ") and len(answer.custom_ids()) == 2


async def test_a_topic_gone_since_the_menu_was_sent_says_so(bot):
    i = fakes.interaction(bot, guild=True, message=True)
    await fakes.press(bot, "pa:topics:0:0", i, values=["no-such-topic"])
    assert "/topics again" in i.screen.last.content


async def test_many_topics_are_paged(bot):
    advisor = bot.holder.current
    k = advisor.knowledge
    many = tuple(t.model_copy(update={"id": f"{t.id}-{n}"}) for n in range(4) for t in k.topics)
    bot.holder.current = dataclasses.replace(advisor, knowledge=dataclasses.replace(k, topics=many))
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "topics", i)
    first = i.screen.last
    assert len(first.components()) == 5 and "page 1 of 2" in first.content
    options = [o for row in first.components()[:4] for o in row["components"][0]["options"]]
    assert len(options) == PER_PAGE
    nxt = fakes.custom_id_of(first, r"pa:topics:go:1")
    turn = fakes.interaction(bot, guild=True, message=True)
    await fakes.press(bot, nxt, turn)
    second = turn.screen.last
    assert second.kind == "edit" and "page 2 of 2" in second.content
    rest = [o for row in second.components()[:-1] for o in row["components"][0]["options"]]
    assert len(rest) == len(many) - PER_PAGE


async def test_privacy_says_what_why_how_long_and_how_to_delete(bot):
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "privacy", i)
    text = i.screen.last.embed.description
    assert i.screen.last.ephemeral is True
    for needed in ("interview answers", "keyed hash", "/forget", "Until you delete it"):
        assert needed in text
    assert "Moderators can't read your answers" in text and "Nothing is shared" in text


def test_a_second_topic_is_a_second_embed_when_both_fit_one_message():
    from bot.advisor import Answer
    from bot.discord import embeds, limits

    def answer(title: str, length: int, also: Answer | None = None) -> Answer:
        return Answer(True, title.lower(), title, 0.5, "x" * length, "s", "Section", also=also)

    both = embeds.answer_embeds(answer("Letters", 1500, also=answer("Low scores", 1500)))
    assert [e.title for e in both] == ["Letters", "Also relevant: Low scores"]
    too_long = embeds.answer_embeds(answer("Letters", 4000, also=answer("Low scores", 4000)))
    assert [e.title for e in too_long] == ["Letters"]  # 8,000 characters cannot go in one message
    assert sum(len(e) for e in both) <= limits.EMBED_TOTAL


async def test_a_near_tie_is_answered_in_two_embeds_each_citing_its_section(bot):
    bot.holder.current = twin_topics(bot.holder.current, "step1-failure", "own-the-story")
    i = fakes.interaction(bot, guild=True)
    await fakes.invoke(bot, "ask", i, question="should i hide my failed attempt from programs")
    first, second = i.screen.last.embeds
    titles = {t.id: t.title for t in bot.holder.current.knowledge.topics}
    assert first.title == titles["step1-failure"]
    assert second.title == f"Also relevant: {titles['own-the-story']}"
    assert first.footer.text != second.footer.text and second.footer.text.startswith("Guide › ")
    assert i.screen.last.custom_ids()[0] == f"pa:vote:{i.id}:step1-failure:+1"
