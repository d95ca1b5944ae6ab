"""Raw gateway payloads through discord.py's own dispatch: the bot's registrations, custom_ids
and listeners work with the real library, and what it would POST to Discord is right."""

from __future__ import annotations

from bot.discord.interview_views import step_message
from bot.discord.respond import member_key
from tests import fakes

NO_PINGS = {"parse": []}
SLASH, COMPONENT, AUTOCOMPLETE, MODAL = 2, 3, 4, 5
EPHEMERAL = 1 << 6


def slash(name: str, **options: str) -> dict:
    return {
        "id": "9",
        "name": name,
        "type": 1,
        "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
    }


async def test_a_slash_command_and_its_autocomplete(bot):
    person = fakes.Person()
    async with fakes.Gateway(bot) as gateway:
        [(kind, sent)] = await gateway.deliver(
            gateway.payload(
                SLASH, slash("ask", question="when should i take ck"), person, guild_permissions="0"
            )
        )
        assert kind == "response" and sent["type"] == 4
        assert sent["data"]["flags"] & EPHEMERAL and sent["data"]["allowed_mentions"] == NO_PINGS
        embed = sent["data"]["embeds"][0]
        assert embed["title"] == bot.holder.current.knowledge.topic("ck-timing").title
        assert embed["footer"]["text"].startswith("Guide › ")

        typing = slash("ask", question="when shud i take ck")
        typing["options"][0]["focused"] = True
        [(_, choices)] = await gateway.deliver(gateway.payload(AUTOCOMPLETE, typing, person))
        assert choices["type"] == 8 and 0 < len(choices["data"]["choices"]) <= 25


async def test_kb_is_refused_to_a_member_and_allowed_to_an_administrator(bot):
    async with fakes.Gateway(bot) as gateway:
        member = gateway.payload(
            SLASH,
            {
                "id": "9",
                "name": "kb",
                "type": 1,
                "options": [{"name": "history", "type": 1, "options": []}],
            },
            fakes.Person(),
            guild_permissions="0",
        )
        [(_, refused)] = await gateway.deliver(member)
        assert "moderators" in refused["data"]["content"] and refused["data"]["flags"] & EPHEMERAL
        admin = dict(member, id="77", member={**member["member"], "permissions": "8"})
        [(_, allowed)] = await gateway.deliver(admin)
        assert "No reloads recorded yet" in allowed["data"]["content"]


async def test_buttons_and_the_modal_in_dms(bot):
    person = fakes.Person()
    member = member_key(person)
    first = step_message(await bot.interviews.current(member))["view"].to_components()
    async with fakes.Gateway(bot) as gateway:
        press = {"custom_id": "pa:iv:step1_result:0", "component_type": 2}
        [(_, edited)] = await gateway.deliver(
            gateway.payload(COMPONENT, press, person, message_components=first)
        )
        assert edited["type"] == 7 and edited["data"]["allowed_mentions"] == NO_PINGS
        assert await bot.store.answers(member) == {"step1_result": "pass"}

        second = step_message(await bot.interviews.current(member))["view"].to_components()
        enter = {"custom_id": "pa:iv:step1_attempts:enter", "component_type": 2}
        [(_, modal)] = await gateway.deliver(
            gateway.payload(COMPONENT, enter, person, message_components=second)
        )
        assert modal["type"] == 9 and modal["data"]["custom_id"] == "pa:num:step1_attempts"
        assert bot._connection._view_store._modals == {}  # discord.py keeps nothing for it

        assert modal["data"]["components"][0]["type"] == 18  # the input is in a ui.Label
        typed = {"custom_id": "pa:num:step1_attempts", "components": [fakes.label_submitted("2")]}
        [(_, after)] = await gateway.deliver(
            gateway.payload(MODAL, typed, person, message_components=second)
        )
        assert after["type"] == 7 and "Step 2 CK" in after["data"]["embeds"][0]["description"]
        assert await bot.store.answers(member) == {"step1_result": "pass", "step1_attempts": 2}

        vote = [
            {
                "type": 1,
                "components": [
                    {
                        "type": 2,
                        "style": 2,
                        "custom_id": "pa:vote:5:ck-timing:-1",
                        "emoji": {"name": "👎"},
                    }
                ],
            }
        ]
        [(_, thanks)] = await gateway.deliver(
            gateway.payload(
                COMPONENT,
                {"custom_id": "pa:vote:5:ck-timing:-1", "component_type": 2},
                person,
                message_components=vote,
            )
        )
        assert thanks["data"]["flags"] & EPHEMERAL
        assert (await bot.store.entry_stats(None, everywhere=True))[0]["down"] == 1
