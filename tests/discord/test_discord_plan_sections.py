"""The plan on Discord: the priorities embed first, with a menu to open each section or the
whole plan (a persistent component: it works on messages sent before a restart)."""

from __future__ import annotations

from bot.discord.respond import member_key
from tests import fakes
from tests.conftest import make_profile


async def finished(bot, **fields) -> tuple[fakes.Person, fakes.Screen]:
    person = fakes.Person()
    await bot.interviews.import_profile(member_key(person), make_profile(**fields))
    i = fakes.interaction(bot, person)
    await fakes.invoke(bot, "plan", i)
    return person, i.screen


def described(screen: fakes.Screen) -> str:
    return "\n".join(e.description for s in screen.shown() for e in s.embeds if e.description)


async def test_the_plan_opens_with_priorities_and_a_menu_of_its_sections(bot):
    _, screen = await finished(bot, step2ck_score=219, visa="h1b", us_letters=1)
    text = described(screen)
    assert "**Your priorities**" in text and "Apply very broadly (often 120–150+" in text
    assert "**1. Where you stand**" not in text  # sections open on request
    last = screen.shown()[-1]
    assert {"pa:plan:open", "pa:profile:change", "pa:plan:restart"} <= set(last.custom_ids())
    menu = next(
        c
        for row in last.components()
        for c in row["components"]
        if c.get("custom_id") == "pa:plan:open"
    )
    values = [o["value"] for o in menu["options"]]
    assert values[0] == "full" and "visa" in values and "standing" in values


async def test_choosing_a_section_shows_just_that_section(bot):
    person, _ = await finished(bot, step2ck_score=219, visa="h1b", us_letters=1)
    i = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:plan:open", i, values=["visa"])
    text = described(i.screen)
    assert "Visa**" in text and "H-1B" in text
    assert "Your priorities" not in text and "Where you stand" not in text


async def test_choosing_the_whole_plan_shows_every_section(bot):
    person, _ = await finished(bot, step2ck_score=219, visa="j1")
    i = fakes.interaction(bot, person, message=True, guild=True)
    await fakes.press(bot, "pa:plan:open", i, values=["full"])
    text = described(i.screen)
    assert "**1. Where you stand**" in text and "**Your priorities**" in text
    assert all(s.ephemeral for s in i.screen.shown())  # in a server, only the member sees it


async def test_the_menu_without_a_finished_interview_shows_where_the_member_is(bot):
    person = fakes.Person()
    i = fakes.interaction(bot, person, message=True)
    await fakes.press(bot, "pa:plan:open", i, values=["visa"])
    assert "isn't finished yet" in i.screen.last.content
    assert i.screen.last.embed.title.startswith("Step 1 of ")
