"""When each event's file last changed, from the history of the repository holding it.

Readers of a record like this one ask how current an entry is. The answer
comes from git, in one `git log` for the whole events folder, so a build of
the same commit always prints the same dates. Outside a repository, or when
git is missing, no date is shown rather than a file's modification time,
which changes with every checkout and would make builds differ.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 120
"""Seconds: a whole history of tens of thousands of commits is read in a few."""


@dataclass(frozen=True)
class FileHistory:
    path: str
    """The file's path in its repository (or in the project, outside one), with / separators."""
    changed: datetime.date | None = None
    """The date of the last commit that touched the file; None when git cannot say."""


def file_histories(files: list[Path], project_dir: Path) -> dict[Path, FileHistory]:
    """Each file's repository path and last commit date."""
    if not files:
        return {}
    top = _git(files[0].parent, "rev-parse", "--show-toplevel")
    if top is None:
        return {path: FileHistory(_relative(path, project_dir)) for path in files}
    root = Path(top.strip())
    changed = _last_commits(root, files[0].parent)
    histories = {}
    for path in files:
        relative = _relative(path, root)
        histories[path] = FileHistory(relative, changed.get(relative))
    return histories


def _last_commits(root: Path, folder: Path) -> dict[str, datetime.date]:
    """Repository path → date of the newest commit touching it, for every file under `folder`."""
    log = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--no-renames",
        "--format=%x00%H %cs",
        "--name-only",
        "--",
        str(folder.resolve()),
    )
    if log is None:
        return {}
    boundary = _shallow_boundary(root)
    dates: dict[str, datetime.date] = {}
    unknown: set[str] = set()
    commit, date = "", None
    for line in log.splitlines():
        if line.startswith("\x00"):
            commit, _, day = line[1:].partition(" ")
            date = datetime.date.fromisoformat(day)
        elif line and line not in dates and line not in unknown:
            # In a shallow clone the oldest commit seems to add every file: its date says nothing.
            if commit in boundary:
                unknown.add(line)
            else:
                dates[line] = date
    return dates


def _shallow_boundary(root: Path) -> set[str]:
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() != "true":
        return set()
    shallow = _git(root, "rev-parse", "--git-path", "shallow")
    if shallow is None:
        return set()
    path = Path(shallow.strip())
    path = path if path.is_absolute() else root / path
    try:
        return set(path.read_text(encoding="ascii").split())
    except OSError:
        return set()


def _git(cwd: Path, *args: str) -> str | None:
    """git's output, or None when git is missing, fails, or `cwd` is not in a repository."""
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return completed.stdout if completed.returncode == 0 else None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
