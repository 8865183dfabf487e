"""The one change detector: a file's stamp says whether it may have changed since it was last read.

A stamp is what the file system says of a file without reading it: its
modification and change times, size and inode. An editor's save, a
`git checkout` and a copy all change at least one; `touch -d` sets the
modification time back but not the change time. Where a stamp differs, the
file is read and its bytes' digest decides whether it really changed.

`check`, `build` and `serve` all ask here: the content files, the theme's
templates, static files and catalogues, the tool's own code and libraries.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from timeline import __version__

Stamp = tuple[int, int, int, int]
"""(modification time ns, change time ns, size, inode)."""

LIBRARIES = (
    "jinja2",
    "markupsafe",
    "yaml",
    "_yaml",
    "cmarkgfm",
    "nh3",
    "babel",
    "jsonschema",
    "fastjsonschema",
    "dateutil",
    "PIL",
)
"""Libraries whose upgrade may change what a run reports or writes."""


def of(info: os.stat_result) -> Stamp:
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


def file_stamp(path: str | Path) -> Stamp | None:
    """The file's stamp (following a symbolic link: its target's edits count), None when it cannot be read."""
    try:
        return of(os.stat(path))
    except OSError:
        return None


def file_names(folder: str | Path) -> set[str]:
    """The names of the files directly in `folder`, none when it cannot be read: one listing, not a stat per file."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_file()}
    except OSError:
        return set()


def folder_stamps(folder: str | Path, *, suffixes: tuple[str, ...] = ()) -> dict[str, Stamp]:
    """Each entry directly in `folder` (only names ending in `suffixes`, if given), by path.

    Plain strings, not Paths: 10,000 Paths cost a tenth of a second.
    """
    stamps: dict[str, Stamp] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if suffixes and not entry.name.endswith(suffixes):
                    continue
                try:
                    stamps[entry.path] = of(entry.stat())
                except OSError:
                    continue
    except OSError:
        pass
    return stamps


def tree_stamps(folders: Iterable[str | Path]) -> dict[str, Stamp]:
    """Every file under each folder, by path (compiled Python left out: it follows its source)."""
    stamps: dict[str, Stamp] = {}
    for folder in folders:
        for root, subfolders, names in os.walk(folder):
            subfolders[:] = [name for name in subfolders if name != "__pycache__"]
            for name in names:
                path = os.path.join(root, name)
                stamp = file_stamp(path)
                if stamp is not None:
                    stamps[path] = stamp
    return stamps


def digest(*parts: object) -> str:
    """A short digest of anything with a stable repr (stamps, options, text)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | Path) -> str:
    """The digest of a file's bytes, read once per version of the file."""
    stamp = file_stamp(path)
    return _file_digest(str(path), stamp)


@lru_cache(maxsize=1024)
def _file_digest(path: str, stamp: Stamp | None) -> str:
    return content_digest(Path(path).read_bytes())


@lru_cache(maxsize=1)
def tool() -> str:
    """The tool itself: its version, Python's, its own files and its libraries' (an upgrade changes what it makes)."""
    package = Path(__file__).parent
    files = sorted(tree_stamps([package]).items())
    libraries = []
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None and spec.origin else None
        libraries.append((name, origin, file_stamp(origin) if origin else None))
    return digest(__version__, sys.version, files, libraries)


def last_commit(project_dir: Path) -> str:
    """The repository's current commit: the pages show when each file last changed in it."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project_dir, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "no git"
    return done.stdout.strip() if done.returncode == 0 else "no commit"
