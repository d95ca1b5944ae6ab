from __future__ import annotations

import pytest

from bot.advisor import DEFAULT_KNOWLEDGE_DIR, Advisor
from bot.discord.client import create_bot
from bot.holder import AdvisorHolder
from bot.settings import Settings
from bot.store import Store


@pytest.fixture(scope="session")
def shipped_advisor() -> Advisor:
    return Advisor.load(DEFAULT_KNOWLEDGE_DIR, verify=True)


async def make_bot(db_path, advisor: Advisor, knowledge_dir=DEFAULT_KNOWLEDGE_DIR):
    store = await Store.open(db_path)
    bot = create_bot(
        AdvisorHolder(advisor, knowledge_dir),
        store,
        Settings(discord_token="", mod_role="Moderator", _env_file=None),
    )
    await bot.add_cogs()
    return bot


@pytest.fixture
async def bot(tmp_path, shipped_advisor):
    b = await make_bot(tmp_path / "bot.db", shipped_advisor)
    yield b
    await b.store.close()


def command(bot, name: str):
    """(app command, the object its callback is bound to)."""
    for cog in bot.cogs.values():
        for cmd in cog.walk_app_commands():
            if cmd.qualified_name == name:
                return cmd, cmd.binding if cmd.binding is not None else cog
    group = bot.tree.get_command(name.split()[0])
    if group is not None and " " in name:
        sub = group.get_command(name.split()[1])
        return sub, group
    raise KeyError(name)


async def invoke(bot, name: str, interaction, **options):
    """Run a slash command as discord.py would: checks first, then the callback."""
    cmd, binding = command(bot, name)
    if not await cmd._check_can_run(interaction):
        return False
    await cmd.callback(binding, interaction, **options)
    return True
