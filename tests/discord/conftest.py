from __future__ import annotations

import pytest

from tests import fakes
from tests.fakes import make_bot


@pytest.fixture
async def bot(tmp_path, advisor):
    """The real bot (cogs and persistent components installed) over a fresh database file."""
    b = await make_bot(tmp_path / "bot.db", advisor)
    yield b
    await b.store.close()


@pytest.fixture(autouse=True)
def nothing_discord_would_refuse():
    """Fail a test in which the bot sent anything Discord would refuse, even if the bot's
    error path caught the exception and apologised."""
    fakes.VIOLATIONS.clear()
    yield
    assert fakes.VIOLATIONS == []
