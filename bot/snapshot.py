"""A digest-keyed snapshot of a loaded, checked Advisor, so the next start skips the work.

Loading the knowledge means reading and validating the YAML (pydantic), building the search index
(tokenising every example question) and, for `kb check`, the bot's start and `/kb reload`,
verifying it (rendering every answer for sample members and asking every example question). The
result depends only on its inputs, so it is kept, like the trained classifier, in the cache folder
(`ADVISOR_CACHE_DIR`, else `~/.cache/prelim-advisor/`) under a digest of *every* input:

- every file under the knowledge folder (subfolders too) and the templates folder, by content;
- every file of the `bot` package itself (its code and data), by content;
- the versions of Python and of the libraries whose behaviour shapes the result;
- the templates folder's path (the Advisor remembers where its templates are; it keeps nothing
  of the knowledge folder's, so an identical copy elsewhere is the same input), and the loader's
  file size cap (`KB_MAX_FILE_MB`);
- today's date: the check renders plans for sample members, and a plan depends on the date
  (years since graduation), so a check is redone once a day.

A changed file therefore always means a full load and check. A folder holding anything but ordinary
files (a link, a named pipe, a device) or a very large file is never snapshotted: the digest does
not open it, and the full load refuses (or, for a link inside the folder, follows) it itself. What the snapshot holds is only data
the bot built itself, pickled; it is read back only from a folder and file that belong to the
bot's user and that nobody else can write (a folder is created 0700, files are written 0600,
atomically). Anything else — missing, damaged, truncated, written by an older version, foreign,
group- or world-writable — is a miss, never an error: it only costs the time of a full load.

Verification is recorded with the snapshot: a snapshot saved by a plain load (`python -m bot
ask`) does not spare a later `kb check` its checks; one saved after a passing check does. Review
dates are never cached: `stale_entries` depends on today and runs on every verified load.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when what a snapshot holds changes shape
KEEP = 5  # snapshots kept in the cache folder, most recently used first
STALE_PARTIAL_SECONDS = 600  # a half-written cache file this old will never be finished
MAGIC = b"prelim-advisor-snapshot\n"
PACKAGE = Path(__file__).resolve().parent
#: Libraries whose versions can change what a load produces (validation, parsing, rendering,
#: tokenising, the classifier's arithmetic and file format).
LIBRARIES = (
    "pydantic",
    "pydantic_core",
    "jinja2",
    "markupsafe",
    "pyyaml",
    "numpy",
    "rapidfuzz",
    "wordllama",  # the example vectors (bot/semantic.py)
    "tokenizers",
)


def safe_folder(folder: Path | None, *, create: bool = True) -> Path | None:
    """`folder` when it is a real directory owned by this user that no one else can write
    (created 0700 when missing), else None: a cache anyone else can write could feed the bot
    data it never produced."""
    if folder is None:
        return None
    try:
        if create and not folder.exists():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not _owned_and_private(info):
        return None
    return folder


def _owned_and_private(info: os.stat_result) -> bool:
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def library_versions() -> list[str]:
    """`name-version` of each library in LIBRARIES, from the installed distributions' folder
    names (no import, no importlib.metadata: both cost more than the whole snapshot read)."""
    wanted = {name.replace("-", "_").lower() for name in LIBRARIES}
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                project = name.rsplit(".", 1)[0]
                if project.split("-", 1)[0].replace("-", "_").lower() in wanted:
                    found.add(project)
    return sorted(found)


#: Above this, a folder is not snapshotted (the full load reports what is wrong with it).
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024


class _NotSnapshotted(Exception):
    """A folder holding something other than ordinary files of a sane size."""


def _hash_tree(hasher: Any, root: Path, label: str, *, by_path: bool = True) -> None:
    """Every file under `root` (sorted relative path, then bytes); caches and editor litter
    (`__pycache__`, hidden files) are left out. Only ordinary files are read: a link, a named
    pipe, a device or an oversized file raises _NotSnapshotted before anything is opened, so the
    digest can never hang or fill memory (the full load then refuses or follows it itself)."""
    hasher.update(f"\0tree\0{label}\0{root if by_path else ''}\0".encode())
    if not root.is_dir():
        hasher.update(b"missing")
        return
    files = []
    total = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not d.startswith(".")]
        for name in names:
            if name.startswith(".") or name.endswith(".pyc"):
                continue
            path = Path(folder, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                raise _NotSnapshotted(path)
            total += info.st_size
            if total > MAX_TOTAL_BYTES:
                raise _NotSnapshotted(root)
            files.append(path)
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        data = path.read_bytes()
        rel = path.relative_to(root).as_posix().encode()
        hasher.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)


def digest(knowledge_dir: Path, templates_dir: Path) -> str | None:
    """The key of everything a loaded Advisor depends on (see the module docstring), or None
    when the folders hold anything but ordinary files of a sane size, or cannot be read."""
    hasher = hashlib.sha256()
    today = dt.date.today().isoformat()  # plans depend on the date (years since graduation)
    limit = os.environ.get("KB_MAX_FILE_MB", "")  # the loader's size cap decides what passes
    head = f"{FORMAT}\0{today}\0{limit}\0{sys.version}\0{'|'.join(library_versions())}"
    hasher.update(head.encode())
    try:
        _hash_tree(hasher, knowledge_dir.resolve(), "knowledge", by_path=False)
        _hash_tree(hasher, templates_dir.resolve(), "templates")
        _hash_tree(hasher, PACKAGE, "bot")
    except (_NotSnapshotted, OSError):
        return None
    return hasher.hexdigest()[:32]


@dataclass(frozen=True)
class Snapshot:
    """Where the snapshot of one set of inputs lives (or None: no usable cache folder)."""

    key: str | None
    folder: Path | None

    @classmethod
    def of(cls, knowledge_dir: Path, templates_dir: Path, folder: Path | None) -> Snapshot:
        key = digest(knowledge_dir, templates_dir)
        return cls(key, safe_folder(folder) if key else None)

    @property
    def path(self) -> Path | None:
        return self.folder / f"advisor-{self.key}.pickle" if self.folder and self.key else None

    def load(self, *, verified: bool) -> Any | None:
        """The Advisor saved for this key (when `verified`, only one saved after a passing
        check), or None on any kind of miss."""
        path = self.path
        if path is None:
            return None
        try:
            data = _read_private(path)
            head = MAGIC + (self.key or "").encode()
            flag, body = data[len(head) : len(head) + 2], data[len(head) + 2 :]
            if not data.startswith(head) or flag not in (b"V\n", b"L\n"):
                return None
            if verified and flag != b"V\n":
                return None
            advisor = pickle.loads(body)
            with contextlib.suppress(OSError):
                os.utime(path)  # pruning keeps the snapshots in use
            return advisor
        except FileNotFoundError:
            return None
        except Exception:  # damaged, truncated, foreign, from older code: all just a miss
            return None

    def save(self, advisor: Any, *, verified: bool) -> None:
        """Write `advisor` (without its compiled templates, which recompile on use) whole or
        not at all; failing to write only means the next start loads in full."""
        folder = self.folder
        if folder is None or self.key is None:
            return
        partial = None
        try:
            body = pickle.dumps(_portable(advisor), protocol=pickle.HIGHEST_PROTOCOL)
            handle, partial = tempfile.mkstemp(prefix=".advisor-", suffix=".tmp", dir=folder)
            with os.fdopen(handle, "wb") as out:  # mkstemp creates it 0600
                out.write(MAGIC + self.key.encode() + (b"V\n" if verified else b"L\n") + body)
            os.replace(partial, folder / f"advisor-{self.key}.pickle")
            partial = None
            _prune(folder)
        except Exception:  # unpicklable, disk full, read-only: only costs time next start
            pass
        finally:
            if partial:
                with contextlib.suppress(OSError):
                    os.unlink(partial)


def _read_private(path: Path) -> bytes:
    """The file's bytes, when it is a regular file (not a link) owned by this user and written
    by no one else; otherwise PermissionError (a miss)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned_and_private(info):
            raise PermissionError(f"{path}: not a private file of this user")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


def _portable(advisor: Any) -> Any:
    """A shallow copy of `advisor` whose template maps hold sources only: compiled Jinja
    templates cannot be pickled, and compiling one on first use takes a millisecond."""
    clone = copy.copy(advisor)
    for name, value in vars(advisor).items():
        if isinstance(getattr(value, "_compiled", None), dict):
            templates = copy.copy(value)
            templates._compiled = {}
            setattr(clone, name, templates)
    return clone


def _prune(folder: Path) -> None:
    prune(folder, "advisor-*.pickle", KEEP)


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Keep the `keep` most recently used cache files matching `pattern`, and remove half-written
    ones (".*.tmp") left by a process stopped mid-write, e.g. a console closed while it was
    still loading in the background."""
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for partial in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to remove
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
