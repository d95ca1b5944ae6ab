"""The command payloads, checked independently against Discord's documented limits."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^[-_\w]{1,32}$")


def payloads() -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "commands", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DISCORD_TOKEN": ""},
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def check(option: dict, where: str, problems: list[str]) -> int:
    size = len(option["name"]) + len(option.get("description", ""))
    if not NAME.match(option["name"]) or option["name"] != option["name"].lower():
        problems.append(f"{where}: bad name")
    described = option.get("type", 1) in (1, 2) or "description" in option
    if described and not 1 <= len(option.get("description", "")) <= 100:
        problems.append(f"{where}: description length")
    if len(option.get("options", [])) > 25 or len(option.get("choices") or []) > 25:
        problems.append(f"{where}: too many options/choices")
    for sub in option.get("options", []):
        size += check(sub, f"{where} {sub['name']}", problems)
    return size


def test_every_payload_fits_discords_limits():
    problems: list[str] = []
    data = payloads()
    assert len(data) <= 100
    for command in data:
        if check(command, command["name"], problems) > 8000:
            problems.append(f"{command['name']}: over 8000 characters")
    assert problems == []


def test_member_commands_work_in_dms_and_kb_is_hidden_and_guild_only():
    by_name = {c["name"]: c for c in payloads()}
    for name in ("ask", "plan", "profile", "forget", "topics", "privacy"):
        assert by_name[name]["contexts"] == [0, 1] and by_name[name]["integration_types"] == [0]
    kb = by_name["kb"]
    assert kb["default_member_permissions"] == "32" or kb["default_member_permissions"] == 32
    assert kb["dm_permission"] is False
    assert {o["name"] for o in kb["options"]} == {
        "reload",
        "history",
        "search",
        "stats",
        "unanswered",
    }


def test_run_without_a_token_exits_2_with_one_line(tmp_path):
    secret = "MTIz.not-a-real.tokenvalue"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DISCORD_TOKEN": secret, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "DISCORD_TOKEN" in out.stderr and "python -m bot chat" in out.stderr
    assert secret not in out.stderr + out.stdout
    empty = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DISCORD_TOKEN": "", "PYTHONPATH": str(ROOT)},
    )
    assert empty.returncode == 2 and "not set" in empty.stderr
