"""`python -m bot commands --json` and `python -m bot run`, as real processes.

The command payloads are checked by an independent reading of Discord's documented limits
(not bot.discord.limits), so a mistake there can't hide a mistake in the commands."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import run_bot

ROOT = Path(__file__).resolve().parents[2]
MEMBER_COMMANDS = {"ask", "plan", "profile", "forget", "topics", "privacy", "mydata"}
TOKEN_LIKE = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


def run(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    return run_bot(*args, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def payloads(tmp_path_factory) -> list[dict]:
    out = run("commands", "--json", cwd=tmp_path_factory.mktemp("cwd"))  # no .env, no token
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def valid_name(name: str) -> bool:
    """^[-_\\p{L}\\p{N}]{1,32}$, lower case where the letter has cases."""
    return (
        1 <= len(name) <= 32
        and all(c in "-_" or unicodedata.category(c)[0] in "LN" for c in name)
        and name == name.lower()
    )


def problems_in(option: dict, where: str, top: bool = False) -> tuple[list[str], int]:
    """(problems, characters counted towards the 8000 per command)."""
    problems: list[str] = []
    name, description = option.get("name", ""), option.get("description", "")
    if not valid_name(name):
        problems.append(f"{where}: name {name!r}")
    if (top and option.get("type", 1) == 1 or not top) and not 1 <= len(description) <= 100:
        problems.append(f"{where}: description of {len(description)} characters")
    size = len(name) + len(description)
    choices = option.get("choices") or []
    if len(choices) > 25:
        problems.append(f"{where}: {len(choices)} choices")
    for choice in choices:
        if not 1 <= len(choice["name"]) <= 100:
            problems.append(f"{where}: choice name")
        size += len(choice["name"]) + len(str(choice["value"]))
    if option.get("autocomplete") and choices:
        problems.append(f"{where}: autocomplete and choices together")
    options = option.get("options") or []
    if len(options) > 25:
        problems.append(f"{where}: {len(options)} options")
    names = [o["name"] for o in options]
    if len(set(names)) != len(names):
        problems.append(f"{where}: duplicate option names")
    required_seen_optional = False
    for sub in options:
        if sub.get("type") not in (1, 2):
            if not sub.get("required", False):
                required_seen_optional = True
            elif required_seen_optional:
                problems.append(f"{where}: a required option after an optional one")
        sub_problems, sub_size = problems_in(sub, f"{where} {sub.get('name')}")
        problems += sub_problems
        size += sub_size
    return problems, size


def test_every_payload_fits_discords_limits(payloads):
    assert 0 < len(payloads) <= 100
    problems = []
    for command in payloads:
        found, size = problems_in(command, command["name"], top=True)
        problems += found
        if size > 8000:
            problems.append(f"{command['name']}: {size} characters")
    assert problems == []
    assert len({c["name"] for c in payloads}) == len(payloads)


def test_the_payloads_are_exactly_what_discord_py_would_send(payloads):
    import asyncio

    from bot.discord.cli import command_payloads

    assert json.loads(json.dumps(asyncio.run(command_payloads()))) == payloads


def test_member_commands_are_global_and_allowed_in_bot_dms(payloads):
    by_name = {c["name"]: c for c in payloads}
    assert MEMBER_COMMANDS | {"kb"} == set(by_name)
    for name in MEMBER_COMMANDS:
        assert by_name[name]["contexts"] == [0, 1], name  # servers and the bot's DMs
        assert by_name[name]["integration_types"] == [0], name  # installed to servers
        assert by_name[name]["default_member_permissions"] is None, name


def test_kb_is_hidden_guild_only_and_has_no_autocomplete(payloads):
    kb = next(c for c in payloads if c["name"] == "kb")
    assert int(kb["default_member_permissions"]) == 1 << 5  # manage_guild
    assert kb["contexts"] == [0] and kb["dm_permission"] is False
    assert {o["name"] for o in kb["options"]} == {
        "reload",
        "history",
        "search",
        "stats",
        "unanswered",
    }
    flat = json.dumps(kb)
    assert '"autocomplete": true' not in flat  # autocomplete would run without the checks


@pytest.mark.parametrize(
    "token, why",
    [
        (None, "not set"),
        ("", "not set"),
        ("   ", "not set"),
        ("changeme", "does not look like a bot token"),
        ("abc.def", "does not look like a bot token"),
        (f"Bot {TOKEN_LIKE}", "without the 'Bot ' prefix"),
        (TOKEN_LIKE.replace(".", "!", 1), "does not look like a bot token"),
    ],
)
def test_run_without_a_usable_token_exits_2_with_one_line(tmp_path, token, why):
    env = {} if token is None else {"DISCORD_TOKEN": token}
    out = run("run", cwd=tmp_path, **env)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and out.stdout == ""
    assert why in lines[0] and "DISCORD_TOKEN" in lines[0] and ".env" in lines[0]
    assert "python -m bot chat" in lines[0]
    if token and token.strip():
        assert token.strip() not in out.stderr and token.split()[-1] not in out.stderr


def test_a_malformed_token_in_dotenv_is_refused_and_never_printed(tmp_path):
    secret = "s3cr3t-value-that-must-not-leak"
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={secret}\nLOG_LEVEL=debug\n")
    out = run("run", cwd=tmp_path)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert secret not in out.stderr + out.stdout


def test_a_malformed_setting_exits_2_naming_it_without_the_token(tmp_path):
    out = run("run", cwd=tmp_path, DISCORD_TOKEN=TOKEN_LIKE, GUILD_ID="my server")
    assert out.returncode == 2 and "GUILD_ID" in out.stderr
    assert TOKEN_LIKE not in out.stderr + out.stdout
