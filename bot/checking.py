"""The full knowledge check, run where it can be stopped: in a child process with a time limit.

`kb check`, `/kb reload` and the KB_WATCH watcher all check a knowledge folder this way. The child
(`python -m bot kb check --in-process --json DIR`) loads and verifies everything and prints one
JSON report; the parent waits at most `check_timeout()` seconds and otherwise kills it, so a
runaway file or template can never pin the bot or keep a reload lock. A clean report carries the
knowledge's digest: whoever loads the folder afterwards (without checking it again) compares
digests and refuses if the files changed in between.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.knowledge import KnowledgeError, Problem, env_number

ROOT = Path(__file__).resolve().parent.parent
#: Seconds a whole check may take, unless $KB_CHECK_TIMEOUT says otherwise.
CHECK_TIMEOUT = 60.0


def knowledge_folder() -> Path:
    """$KNOWLEDGE_DIR or the shipped folder: bot.advisor.knowledge_dir, without importing the
    advisor (the parent of a check stays light; the child does the work)."""
    return Path(os.environ.get("KNOWLEDGE_DIR") or ROOT / "knowledge")


def check_timeout() -> float:
    """$KB_CHECK_TIMEOUT seconds, else (or when not above 0) CHECK_TIMEOUT."""
    seconds = env_number("KB_CHECK_TIMEOUT", CHECK_TIMEOUT)
    return seconds if seconds > 0 else CHECK_TIMEOUT


@dataclass(frozen=True)
class CheckReport:
    """The outcome of a full check: clean (`ok`, with the digest of what was checked) or not,
    with every problem and warning."""

    ok: bool
    digest: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    def to_json(self) -> str:
        return json.dumps(
            {
                "ok": self.ok,
                "digest": self.digest,
                "counts": self.counts,
                "problems": [asdict(p) for p in self.problems],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> CheckReport:
        data = json.loads(text)
        return cls(
            bool(data["ok"]),
            data.get("digest"),
            {str(k): int(v) for k, v in data.get("counts", {}).items()},
            tuple(Problem(**p) for p in data.get("problems", [])),
        )


def check_here(directory: Path, templates_dir: str | Path | None = None) -> CheckReport:
    """The full check in this process (what the child runs)."""
    from bot.advisor import TEMPLATES_DIR, Advisor

    try:
        advisor = Advisor.load(directory, verify=True, templates_dir=templates_dir or TEMPLATES_DIR)
    except KnowledgeError as exc:
        return CheckReport(False, None, {}, tuple(exc.problems))
    k = advisor.knowledge
    counts = {
        "topics": len(k.topics),
        "rules": len(k.rules),
        "bands": len(k.bands),
        "sections": len(k.sections),
        "synonyms": len(k.synonyms),
        "out_of_scope": len(k.out_of_scope),
    }
    return CheckReport(True, k.digest, counts, tuple(advisor.warnings))


def check_in_child(
    directory: Path,
    templates_dir: str | Path | None = None,
    timeout: float | None = None,
) -> CheckReport:
    """The full check in a child process that is killed after `timeout` seconds (default
    `check_timeout()`); a timeout or a crash is a not-ok report saying so."""
    timeout = timeout if timeout is not None else check_timeout()
    command = [sys.executable, "-m", "bot", "kb", "check", "--in-process", "--json"]
    if templates_dir is not None:
        command += ["--templates", str(templates_dir)]
    command.append(str(directory))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("OMP_NUM_THREADS", "1")  # a check needs no thread pool
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child and reaped it
        return _failed(
            directory,
            f"checking took longer than {timeout:g} s and was stopped; a file or template may be "
            "too big or loop for too long (the limit is KB_CHECK_TIMEOUT)",
        )
    except OSError as exc:
        return _failed(directory, f"could not start the check: {exc.strerror or exc}")
    lines = done.stdout.strip().splitlines()
    try:
        return CheckReport.from_json(lines[-1])
    except (IndexError, ValueError, KeyError, TypeError):
        said = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return _failed(
            directory, f"the check stopped unexpectedly (exit status {done.returncode}): {said}"
        )


def _failed(directory: Path, message: str) -> CheckReport:
    return CheckReport(False, None, {}, (Problem(str(directory), None, None, None, message),))
