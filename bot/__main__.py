"""Command line: `python -m bot {ask,plan,chat,kb,commands,run,bench}`.

Imports are deferred to the command that needs them, so `ask` and `plan` start fast and never
import discord. Known problems print one `error:` line each and exit 2; no traceback reaches
the member.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, CliError, StoreError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except CliError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.code
    except StoreError as exc:  # the store closed everything it opened before raising
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except Exception as exc:  # the one last-resort path: short message, traceback only on request
        if os.environ.get("ADVISOR_DEBUG"):
            raise
        print(
            f"error: unexpected problem ({type(exc).__name__}: {exc}); set ADVISOR_DEBUG=1 for details",
            file=sys.stderr,
        )
        return EXIT_FAIL


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`... | head -1`): stop quietly, as other command-line
    tools do. stdout is pointed at /dev/null so the flush at exit can't complain again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, the status a shell reports for a tool stopped this way


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Prelim Advisor")
    sub = parser.add_subparsers(metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--profile", metavar="PROFILE.json", help="answer for this profile")
    ask.set_defaults(handler=cmd_ask)

    plan = sub.add_parser("plan", help="print the personal plan for a profile file")
    plan.add_argument("profile", metavar="PROFILE.json")
    plan.add_argument("--json", action="store_true")
    plan.set_defaults(handler=cmd_plan)

    chat = sub.add_parser("chat", help="console conversation: the interview, then questions")
    chat.add_argument("--member", help="whose answers to use (default: your user name)")
    chat.add_argument(
        "--profile",
        metavar="PROFILE.json",
        help="start with this profile's answers (skips the questions)",
    )
    chat.set_defaults(handler=cmd_chat)

    kb = sub.add_parser("kb", help="knowledge tools for moderators")
    kb_sub = kb.add_subparsers(metavar="KB_COMMAND")
    check = kb_sub.add_parser("check", help="validate knowledge files")
    check.add_argument("directory", nargs="?")
    check.add_argument(
        "--max-age-months",
        type=int,
        metavar="N",
        help="warn about entries not reviewed for N months (default 12, or $KB_REVIEW_MONTHS)",
    )
    check.add_argument("--json", action="store_true", help="print one JSON report")
    check.add_argument("--in-process", action="store_true", help=argparse.SUPPRESS)
    check.add_argument("--templates", metavar="DIR", help=argparse.SUPPRESS)
    check.set_defaults(handler=cmd_kb_check)
    unanswered = kb_sub.add_parser("unanswered", help="questions the bot could not answer, grouped")
    unanswered.add_argument("--limit", type=int, default=20, help="groups to show (default 20)")
    unanswered.set_defaults(handler=cmd_kb_unanswered)
    kb.set_defaults(handler=lambda _a: (kb.print_help(), EXIT_USAGE)[1])

    commands = sub.add_parser("commands", help="print the Discord application-command payloads")
    commands.add_argument("--json", action="store_true", help="as JSON (the only format)")
    commands.set_defaults(handler=lambda a: _discord_cli().cmd_commands(a))

    bench = sub.add_parser("bench", help="measure speed, scale and quality (no network, no token)")
    bench.add_argument(
        "--members", type=int, default=1000, help="concurrent interviews (default 1000)"
    )
    bench.add_argument(
        "--pg",
        metavar="URL",
        help="also run the interview soak on this PostgreSQL server (default: $ADVISOR_TEST_PG)",
    )
    bench.set_defaults(
        handler=lambda a: __import__("bot.bench", fromlist=["main"]).main(a.members, a.pg)
    )

    run = sub.add_parser("run", help="start the Discord bot (needs DISCORD_TOKEN)")
    run.add_argument(
        "--sync", action="store_true", help="sync the commands globally on start (after changes)"
    )
    run.set_defaults(handler=lambda a: _discord_cli().cmd_run(a))

    sync = sub.add_parser(
        "sync",
        help="publish the Discord commands and exit (needs DISCORD_TOKEN)",
        description="Without options: sync the commands globally (every server; can take up "
        "to an hour to show).",
    )
    sync.add_argument(
        "--guild",
        type=_server_id,
        action="append",
        metavar="ID",
        help="instead, copy the commands to this server only (shown at once; repeatable)",
    )
    sync.add_argument(
        "--clear-guild",
        type=_server_id,
        action="append",
        metavar="ID",
        help="remove the copy made in this server (the global commands stay; repeatable)",
    )
    sync.set_defaults(handler=lambda a: _discord_cli().cmd_sync(a))
    return parser


def _server_id(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a server id (digits only)")
    return int(text)


def _discord_cli():
    from bot.discord import cli

    return cli


def load_advisor(verify: bool = False):
    from bot.advisor import Advisor
    from bot.knowledge import KnowledgeError

    try:
        return Advisor.load(verify=verify)
    except KnowledgeError as exc:
        raise CliError(
            [
                "the knowledge files have problems (run: python -m bot kb check)",
                *map(str, exc.problems),
            ],
            EXIT_FAIL,
        ) from None


def read_profile(path: str):
    from bot.profile import ProfileError, parse_profile

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError([f"{path}: file not found"]) from None
    except IsADirectoryError:
        raise CliError([f"{path}: is a folder, not a profile file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(
            [f"{path}: cannot read file ({getattr(exc, 'strerror', None) or exc})"]
        ) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise CliError(
            [f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"]
        ) from None
    except ValueError as exc:
        raise CliError([f"{path}: {exc}"]) from None
    try:
        return parse_profile(data)
    except ProfileError as exc:
        raise CliError(exc.problems) from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed; use a number")


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.advisor import QuestionError

    profile = read_profile(args.profile) if args.profile else None
    advisor = load_advisor()
    try:
        answer = advisor.ask(args.question, profile)
    except QuestionError as exc:
        raise CliError([str(exc)]) from None
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(answer.reply)
    return EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    profile = read_profile(args.profile)
    advisor = load_advisor()
    plan = advisor.plan(profile)
    if args.json:
        print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(advisor.render_plan(plan, profile))
    return EXIT_OK


def cmd_chat(args: argparse.Namespace) -> int:
    import asyncio
    import shlex
    import signal

    from bot.console import AdvisorLoader, ConsoleChat
    from bot.session import Interviews
    from bot.store import Store

    profile = read_profile(args.profile) if args.profile else None
    advisor = AdvisorLoader(load_advisor)  # loads while the member reads the first prompt
    name = args.member or os.environ.get("USER") or "local"
    command = "python -m bot chat" + (f" --member {shlex.quote(name)}" if args.member else "")

    async def run() -> int:
        store = await Store.open()
        try:
            interviews, member = Interviews(store), f"console:{name}"
            returning = bool(await store.answers(member))
            if profile is not None:
                await interviews.import_profile(member, profile)
            chat = ConsoleChat(
                advisor,
                interviews,
                member,
                command=command,
                returning=returning,
                imported=args.profile if profile is not None else None,
            )
            code = await chat.run()
        finally:
            await store.close()
        if (failed := advisor.failure()) is not None:
            raise failed  # the knowledge is broken: say so even if no answer needed it
        return code

    # Ctrl-C stays a KeyboardInterrupt in the waiting prompt (asyncio.run would otherwise
    # only cancel the chat once Enter is pressed), so the chat can leave at once.
    previous = signal.signal(signal.SIGINT, _interrupt)
    try:
        return asyncio.run(run())
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_kb_check(args: argparse.Namespace) -> int:
    """Check the knowledge in a child process that is stopped after KB_CHECK_TIMEOUT seconds
    (`--in-process`: this is the child), then print every problem, or "ok" with the counts."""
    from bot.checking import check_here, check_in_child, knowledge_folder

    directory = Path(args.directory) if args.directory else knowledge_folder()
    if args.max_age_months is not None:
        os.environ["KB_REVIEW_MONTHS"] = str(args.max_age_months)
    if args.in_process:
        report = check_here(directory, args.templates)
    else:
        report = check_in_child(directory, args.templates)
    if args.json:
        print(report.to_json())
        return EXIT_OK if report.ok else EXIT_FAIL
    for problem in report.problems:
        print(problem)
    if not report.ok:
        print(f"{len(report.errors)} error(s) in {directory}")
        return EXIT_FAIL
    c = report.counts
    print(
        f"ok: {directory}: {c['topics']} topics, {c['rules']} rules, {c['bands']} bands, "
        f"{c['sections']} sections, {c['synonyms']} synonyms (digest {report.digest})"
    )
    return EXIT_OK


def cmd_kb_unanswered(args: argparse.Namespace) -> int:
    import asyncio

    from bot.store import Store
    from bot.unanswered import group_questions, report_lines

    advisor = load_advisor()

    async def rows() -> list[dict]:
        store = await Store.open()
        try:
            return await store.unanswered(None, everywhere=True)  # the operator sees all
        finally:
            await store.close()

    groups = group_questions(asyncio.run(rows()), advisor.index.normaliser)
    for line in report_lines(groups, args.limit):
        print(line)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
