"""The console's plan command: priorities and the section list first, then `plan full` or one
section on request."""

from bot.console import ConsoleChat
from bot.session import Interviews
from tests.test_console import scripted

# Step 1 passed once, CK 219 once, no practice score, J-1, no USCE, letters/YOG/goal skipped.
LOW_219 = ["pass", "1", "yes", "219", "1", "skip", "j1", "0", "skip", "skip", "skip"]


async def chat(advisor, store, lines: list[str]) -> list[str]:
    out: list[str] = []
    await ConsoleChat(advisor, Interviews(store), "console:p", scripted(lines), out.append).run()
    return out


async def test_after_the_interview_the_plan_opens_with_priorities_and_the_sections(advisor, store):
    out = await chat(advisor, store, [*LOW_219, "quit"])
    text = "\n".join(out)
    first = text.split("**Your priorities**", 1)[1]
    assert "Apply very broadly (often 120–150+ programs" in first
    assert "**Sections:** 1. Where you stand" in first and "plan full" in first
    assert "**1. Where you stand**" not in text  # the sections wait until asked for
    assert "`change letters`" in text  # skipped letters: said once what they would add


async def test_plan_full_and_plan_section(advisor, store):
    out = await chat(advisor, store, [*LOW_219, "plan full", "plan visa", "plan 2", "quit"])
    text = "\n".join(out)
    full = text.split("you> ")[0] if "you> " in text else text
    assert "**1. Where you stand**" in full and "**Your priorities**" in full
    visa = [block for block in out if block.startswith("**") and "Visa**" in block]
    assert visa and "J-1" in visa[-1] and "Your priorities" not in visa[-1]
    assert any(block.startswith("**2. ") for block in out)


async def test_an_unknown_plan_section_lists_the_sections(advisor, store):
    out = await chat(advisor, store, [*LOW_219, "plan hobbies", "quit"])
    line = next(o for o in out if "hobbies" in o)
    assert line.startswith("Sorry, no plan section 'hobbies'") and "Where you stand" in line
