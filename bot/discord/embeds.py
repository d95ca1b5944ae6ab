"""What the member sees: embeds built from the core's results, and the Discord-only texts
(where to click, what is stored). No advising here: every answer and plan comes from the core."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot import interview
from bot.advisor import Answer
from bot.discord import limits
from bot.session import Turn

BRAND = discord.Colour.teal()
REFUSED = discord.Colour.light_grey()
WARNING = discord.Colour.orange()


def answer_embed(answer: Answer) -> discord.Embed:
    """An answer: the topic title, the body and the guide section it comes from; a refusal; or
    a one-line reply to small talk."""
    if answer.kind == "smalltalk":
        return discord.Embed(
            description=limits.truncate(answer.body, limits.EMBED_DESCRIPTION), colour=BRAND
        )
    if not answer.matched:
        embed = discord.Embed(
            title="Not covered by the guide",
            description=limits.truncate(answer.body, limits.EMBED_DESCRIPTION),
            colour=REFUSED,
        )
        embed.set_footer(text="Try /topics to browse what I know, or /plan for a personal plan.")
        return embed
    embed = discord.Embed(
        title=limits.truncate(answer.title or "Answer", limits.EMBED_TITLE),
        description=limits.truncate(answer.body, limits.EMBED_DESCRIPTION),
        colour=BRAND,
    )
    if answer.section_title:
        embed.set_footer(
            text=limits.truncate(f"Guide › {answer.section_title}", limits.EMBED_FOOTER)
        )
    return embed


def answer_embeds(answer: Answer) -> list[discord.Embed]:
    """One embed per part of the composed reply: the answer to the (first) question, then the
    answer to a second question, or a topic the question fits just as well ("Also relevant"),
    as long as they fit in one message (Discord's 6,000-character total)."""
    embeds = [answer_embed(answer)]
    total = len(embeds[0])
    for part in answer.parts[1:]:
        embed = answer_embed(part)
        heading = f"{part.label}: {part.title}" if part.label else (part.title or "Answer")
        embed.title = limits.truncate(heading, limits.EMBED_TITLE)
        if total + len(embed) > limits.EMBED_TOTAL:
            break
        embeds.append(embed)
        total += len(embed)
    return embeds


def step_embed(turn: Turn) -> discord.Embed:
    """One interview step: "Step 3 of 9", the prompt, and why the last input was refused."""
    step = turn.step
    assert step is not None, "a finished interview has no step to show"
    lines = []
    if turn.notice:
        lines.append(f"ℹ️ {turn.notice}")
    if turn.error:
        lines.append(f"⚠️ {turn.error}")
    lines.append(f"**{step.prompt}**")
    if step.id in turn.answers:
        lines.append(f"Now: {interview.describe(step, turn.answers[step.id])}")
    if turn.confirm:
        lines.append(f"❓ **{turn.confirm}**")
    elif step.kind != "choice":
        lines.append(
            f"Press **Enter {step.title}** or type it here in our DM"
            + (f" ({step.hint})." if step.hint else ".")
        )
    else:
        lines.append("Press a button, or type your answer here in our DM.")
    embed = discord.Embed(
        title=turn.progress_line,
        description=limits.truncate("\n\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=WARNING if turn.error else BRAND,
    )
    footer = (
        "Each answer is saved as you go. Ask a question at any time; "
        "Cancel stops here, /plan carries on later."
    )
    embed.set_footer(text=footer)
    return embed


def done_embed() -> discord.Embed:
    return discord.Embed(
        title="All questions answered ✅",
        description="Your priorities follow. Open a section (or the whole plan), change an "
        "answer or start over with the menus under them; "
        "/ask answers questions with your scores in mind.",
        colour=BRAND,
    )


def plan_embeds(text: str) -> list[discord.Embed]:
    """The rendered plan in embeds of at most 4096 characters: send one per message, which
    keeps each message under the 6000-character total too."""
    return [
        discord.Embed(description=chunk, colour=BRAND)
        for chunk in limits.split(text, limits.EMBED_DESCRIPTION)
    ]


def profile_embed(answers: Mapping[str, Any], complete: bool) -> discord.Embed:
    embed = discord.Embed(title="Your answers", colour=BRAND)
    rows = interview.summary(answers)
    if not rows:
        embed.description = "Nothing is stored about you. Use /plan to answer a few questions."
        return embed
    embed.description = limits.truncate(
        "\n".join(f"**{title}:** {value}" for title, value in rows), limits.EMBED_DESCRIPTION
    )
    if complete:
        embed.set_footer(text="Change one answer below, or use /forget to delete them all.")
    else:
        embed.set_footer(text="The interview isn't finished yet: /plan carries on where you left.")
    return embed


DM_HELP = (
    "Just type to me here. A question gets an answer from the guide, with your saved answers in "
    'mind. During the questions, type your answer ("3 months", "none", "NBME 228" are '
    "fine), `back`, `skip`, or `later` to stop for now.\n"
    "`plan`: the questions, or your plan when they are done · `profile`: your answers · "
    "`help`: this. /mydata shows everything I store about you; /forget deletes it."
)
LATER = "OK, the questions can wait: ask me anything. Type `plan` when you want to carry on."
SLOW_DOWN = (
    "You're asking faster than I can keep up with: I answer up to {n} questions a minute. "
    "Please wait a moment, then ask again."
)
PAUSED = "Paused. Your answers so far are saved: use /plan to carry on where you left off."
RESTARTED = "Your answers were cleared; here is the first question again."
SENT_TO_DM = "I've sent you a DM with {what}. Your answers stay between you and me."
DMS_CLOSED = (
    "I couldn't send you a DM: your direct messages are closed for this server. To open them, "
    "click the server's name → **Privacy Settings** → turn on **Direct Messages** (allow direct "
    "messages from server members), then use /plan again. You can also open a DM with me "
    "(click my name → Message) and use /plan there."
)
DM_FAILED = (
    "Discord didn't let me send you a DM just now. Please try /plan again in a minute, "
    "or open a DM with me and use /plan there."
)
FORGET_ASK = (
    "This deletes your interview answers, and the questions and votes linked to you. "
    "It can't be undone. Are you sure?"
)
FORGOTTEN = "Done: everything stored about you has been deleted."
NOT_FORGOTTEN = "Nothing was deleted."
NOT_YOURS = "These buttons belong to someone else's message."
NO_PLAN_YET = "Your interview isn't finished yet; here is where you are."
PLAN_FAILED = "I couldn't build a plan from these answers. Use /profile to check them."
VOTED = {1: "Thanks! Glad it helped. 👍", -1: "Thanks for telling me. The moderators will look. 👎"}
TOPIC_GONE = "That topic has changed since this menu was sent: use /topics again."

PRIVACY = """\
**What I store**
• Your interview answers (Step 1 and Step 2 CK results and attempts, practice scores, visa, \
US clinical experience, letters, year of graduation, goal), under your Discord user id.
• Questions I couldn't answer, and your 👍/👎 on answers, with only a keyed hash of your id, \
never your name or id. A server's moderators see the questions asked in that server (without who \
asked) to improve the guide; questions asked in DMs reach only the bot's operator.
• For each question, which topic answered it (without who asked), to count what is useful.

**Why**
To fit the advice to your scores, and to learn what the guide is missing.

**For how long**
Until you delete it. Nothing is shared or sold. Moderators can't read your answers through \
the bot, and my replies in servers are visible only to you.

**See it all**
/mydata shows everything stored about you, with a JSON file you can keep. /profile shows \
your answers and lets you change one.

**How to delete it**
Use /forget and confirm: your answers, and the questions and votes linked to you, are deleted \
at once."""


def mydata_embed(data: Mapping[str, Any]) -> discord.Embed:
    """A summary of the member's export; the attached JSON file holds all of it."""
    answers = data.get("answers") or {}
    status = {"complete": "complete", "interview": "under way"}.get(
        str(data.get("status")), "not started"
    )
    if not answers and not data.get("unanswered") and not data.get("votes"):
        text = "Nothing is stored about you. (The attached file says the same, in JSON.)"
    else:
        text = (
            f"**Interview:** {status}, {len(answers)} answer(s)\n"
            f"**Questions I couldn't answer, linked to you:** {len(data.get('unanswered') or [])}\n"
            f"**Your 👍/👎 votes:** {len(data.get('votes') or [])}\n\n"
            "The attached JSON file has all of it. /forget deletes it all."
        )
    return discord.Embed(title="Everything I store about you", description=text, colour=BRAND)


def privacy_embed() -> discord.Embed:
    return discord.Embed(title="Privacy: what I keep about you", description=PRIVACY, colour=BRAND)
