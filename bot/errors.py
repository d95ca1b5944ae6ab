"""The errors every entry point turns into one `error:` line (never a traceback).

They live here, not in `bot.__main__`, so that code run as `python -m bot` (where that module is
`__main__`) and code importing `bot.__main__` raise and catch the very same classes.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """Known problems with what the user gave us: one line each, then exit `code`."""

    def __init__(self, problems: Sequence[str], code: int = EXIT_USAGE):
        super().__init__("; ".join(problems))
        self.problems, self.code = list(problems), code


class StoreError(Exception):
    """The database cannot be opened or used (corrupt, a folder, unwritable, disk full…).

    The message is one line meant for the operator; it never holds member data."""


class QuestionError(ValueError):
    """A question that cannot be asked (empty or blank)."""


class PlanViewError(ValueError):
    """A plan section that the member's plan doesn't have."""
