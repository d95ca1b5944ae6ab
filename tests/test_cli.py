"""The command-line contract other tools rely on, run as real processes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_bot

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "step1_result": "pass",
    "step1_attempts": 1,
    "step2ck_score": 221,
    "step2ck_attempts": 1,
    "visa": "j1",
}


def cli(
    *args: str, env: dict | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess:
    return run_bot(*args, env=env, stdin=stdin, timeout=60)


def test_ask_json_has_exactly_the_contract_keys():
    out = cli("ask", "--json", "hw many progs shud i apply 2 wit 221")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"matched", "reply", "entry", "score"}
    assert (
        data["matched"] is True
        and isinstance(data["entry"], str)
        and isinstance(data["score"], float)
    )
    assert "120–150" in data["reply"]


def test_ask_refusal_in_json():
    data = json.loads(cli("ask", "--json", "best pizza in chicago").stdout)
    assert data["matched"] is False and data["entry"] is None
    assert "can’t answer" in data["reply"]


def test_ask_plain_prints_the_reply_and_its_source():
    out = cli("ask", "when should i take step 2 ck")
    assert out.returncode == 0
    assert "mid-August" in out.stdout and "Source: guide ›" in out.stdout


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_blank_question_exits_2_with_one_line(question):
    out = cli("ask", question)
    assert out.returncode == 2
    assert (
        out.stderr.strip().startswith("error: question:")
        and len(out.stderr.strip().splitlines()) == 1
    )
    assert "Traceback" not in out.stderr


def test_plan_text_and_json(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(GOOD))
    text = cli("plan", str(path))
    assert text.returncode == 0 and "120–150" in text.stdout
    data = json.loads(cli("plan", "--json", str(path)).stdout)
    assert data["band"]["label"] == "215–224"
    assert all(p["section"] and p["source"] for s in data["sections"] for p in s["points"])


def test_invalid_profile_lists_every_bad_field_and_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, "step2ck_score": "two-thirty", "visa": "J1", "yog": 1800}))
    out = cli("plan", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["step2ck_score", "visa", "yog"]
    assert all(line.startswith("error: ") for line in lines)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "file not found"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "profile: must be a JSON object"),
        ('{"step2ck_score": NaN}', "NaN is not allowed"),
    ],
)
def test_unreadable_profile_exits_2_cleanly(tmp_path, content, says):
    path = tmp_path / "p.json"
    if content is not None:
        path.write_text(content)
    out = cli("plan", str(path))
    assert out.returncode == 2 and says in out.stderr and "Traceback" not in out.stderr


def test_kb_check_passes_on_shipped_knowledge():
    out = cli("kb", "check")
    assert out.returncode == 0 and out.stdout.startswith("ok:")


def test_kb_check_fails_with_every_error_listed(kb_copy):
    text = (
        (kb_copy / "bands.yaml")
        .read_text()
        .replace("min: 245", "min: 246")
        .replace('summary: "Low Step', 'sumary: "Low Step')
    )
    (kb_copy / "bands.yaml").write_text(text)
    out = cli("kb", "check", str(kb_copy))
    assert out.returncode == 1
    assert "gap: no band covers scores 245–245" in out.stdout
    assert "field 'sumary'" in out.stdout and "bands.yaml:" in out.stdout


def test_ask_and_plan_do_not_import_discord():
    code = (
        "import sys; from bot.__main__ import main; main(['ask', 'is 232 enough']); "
        "assert 'discord' not in sys.modules, 'discord imported'"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr


def test_chat_runs_without_a_token_and_resumes_after_quitting(tmp_path):
    env = {"ADVISOR_DB": str(tmp_path / "chat.db"), "DISCORD_TOKEN": ""}
    first = cli("chat", "--member", "t", env=env, stdin="pass\n1\nquit\n")
    assert first.returncode == 0 and "Step 1 of" in first.stdout
    second = cli(
        "chat",
        "--member",
        "t",
        env=env,
        stdin="yes\n219\n1\nskip\nj1\n0\nskip\nskip\nskip\nhow many programs should i apply to\nquit\n",
    )
    assert "Welcome back" in second.stdout and "Step 3 of" in second.stdout
    assert "Your prelim IM score-strategy plan" in second.stdout
    assert "120–150" in second.stdout.split("Your prelim IM score-strategy plan")[1]


def test_chat_can_start_from_a_profile_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(GOOD))
    env = {"ADVISOR_DB": str(tmp_path / "p.db")}
    out = cli(
        "chat",
        "--member",
        "p",
        "--profile",
        str(path),
        env=env,
        stdin="how many programs should i apply to\nquit\n",
    )
    assert out.returncode == 0 and "120–150" in out.stdout
    assert "Welcome back" not in out.stdout and f"Your answers from {path} are loaded" in out.stdout


# -- output hygiene ------------------------------------------------------------------------------
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\r\u202e"


def test_kb_unanswered_prints_members_questions_without_control_characters(tmp_path):
    import asyncio

    from bot.store import Store

    async def record() -> None:
        store = await Store.open(tmp_path / "u.db")
        try:
            for _ in range(2):
                await store.record_unanswered(
                    f"how does {ESCAPES}soap\nwork ✓ 日本", 0.1, "guild", "discord:1"
                )
        finally:
            await store.close()

    asyncio.run(record())
    out = cli("kb", "unanswered", env={"ADVISOR_DB": str(tmp_path / "u.db")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["   2× how does  soap work ✓ 日本"]  # \r: a space
    assert not any(c in out.stdout for c in "\x1b\x07\x9b\r\u202e")


def test_printable_keeps_every_script_emoji_and_wanted_newlines():
    from bot.terminal import printable

    family = "👨\u200d👩\u200d👧"  # joiners are format characters, not controls: kept
    assert printable(f"ścieżka · 日本 · {family}") == f"ścieżka · 日本 · {family}"
    assert printable("a\x1b[31mb\x1b[0m\tc\x00d\x7f") == "ab cd"
    assert printable("line one\r\nline\u2028two\x1b]2;x\x1b\\", one_line=False) == (
        "line one\nline\ntwo"
    )


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "commands", "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # `| head -0`: the reader is gone before anything is written
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141
    assert stderr == ""  # no "unexpected problem", no "Exception ignored", no traceback


TOKEN_LIKE = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_run_with_a_missing_knowledge_dir_is_one_line(tmp_path):
    env = {"DISCORD_TOKEN": TOKEN_LIKE, "KNOWLEDGE_DIR": str(tmp_path / "nowhere")}
    out = run_bot("run", cwd=tmp_path, env=env, timeout=60)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("error: KNOWLEDGE_DIR: ") and "nowhere" in line
    assert "unexpected" not in line and TOKEN_LIKE not in out.stderr


def test_run_with_a_database_that_cannot_open_is_one_line(monkeypatch, tmp_path, capsys):
    from bot.__main__ import main
    from bot.errors import StoreError
    from bot.store import Store

    async def refuse(*args, **kwargs):
        raise StoreError(f"{tmp_path} is a folder, not a database file")

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN_LIKE)
    monkeypatch.setattr(Store, "open", refuse)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [f"error: ADVISOR_DB: {tmp_path} is a folder, not a database file"]
