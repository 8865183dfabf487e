"""What the last successful `check` or `build` read and reported, so that the same run is not done twice.

A check's findings and a build's pages follow from what the run reads: the
content files, the theme's files, the tool's own code and libraries, the
options and, for the "last changed" dates, the repository's last commit.
When none of these changed since the last successful run (and, for a build,
its site is still there as it was left), running again could only give the
same result, so the recorded report is given instead.

Files are compared by modification time and size, as make does: an editor's
save changes both. (One input is not watched: a schema file that a content
file's first line names outside the project's `schemas/` folder.) The record is kept in the user's cache folder, never in
the project or the site, and losing it only costs one full run.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from timeline import __version__
from timeline.errors import ContentError

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
)
"""Libraries whose upgrade may change what a run reports or writes."""


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/timeline, else ~/.cache/timeline."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def fingerprint(content_dir: Path, *, theme_dirs: tuple[Path, ...] = (), options: dict | None = None) -> str:
    """A digest of everything a run with these options reads: equal digests, equal results."""
    digest = hashlib.sha256()
    digest.update(repr((__version__, sys.version, sorted((options or {}).items()))).encode())
    # schemas/: the schema-line check looks for the project's copy of the schemas.
    for folder in (content_dir, content_dir / "events", content_dir.parent / "schemas"):
        _stamp_entries(folder, digest)
    for folder in (Path(__file__).parent, *theme_dirs):
        _stamp_tree(folder, digest)
    for module in _library_files():
        _stamp_file(module, digest)
    if theme_dirs:  # a build: pages show when each file last changed in git
        digest.update(_last_commit(content_dir.parent).encode())
    return digest.hexdigest()


def site_stamp(out_dir: Path) -> str:
    """The site folder as the last build left it: a file added at its top, or a new build, changes it."""
    from timeline.writer import MARKER

    try:
        folder, marker = os.stat(out_dir), os.stat(out_dir / MARKER)
    except OSError:
        return ""
    return repr((folder.st_ino, folder.st_mtime_ns, marker.st_ino, marker.st_mtime_ns))


def recall(kind: str, where: tuple[Path, ...], inputs: str, site: str = "") -> dict | None:
    """The report recorded by the last successful run of `kind` on `where`, if its inputs were `inputs`."""
    try:
        record = json.loads(_record_path(kind, where).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("inputs") != inputs or record.get("site", "") != site:
        return None
    return record.get("report")


def remember(kind: str, where: tuple[Path, ...], inputs: str, report: dict, site: str = "") -> None:
    """Record a successful run; a cache folder that cannot be written only means no record."""
    path = _record_path(kind, where)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"inputs": inputs, "site": site, "report": report}, stream)
        os.replace(partial, path)
    except OSError:
        pass


def forget(kind: str, where: tuple[Path, ...]) -> None:
    """Drop the record: the next run is a full one."""
    with contextlib.suppress(OSError):
        _record_path(kind, where).unlink(missing_ok=True)


def findings_to_data(findings: list[ContentError]) -> list[dict]:
    return [
        {
            "message": f.message,
            "path": str(f.path),
            "line": f.line,
            "column": f.column,
            "field": f.field,
            "severity": f.severity,
            "check": f.check,
        }
        for f in findings
    ]


def findings_from_data(data: list[dict]) -> list[ContentError]:
    return [ContentError(item.pop("message"), **item) for item in (dict(item) for item in data)]


def _record_path(kind: str, where: tuple[Path, ...]) -> Path:
    name = hashlib.sha256(repr([kind, *(str(path.absolute()) for path in where)]).encode()).hexdigest()[:32]
    return cache_folder() / f"{kind}-{name}.json"


def _stamp_entries(folder: Path, digest) -> None:
    """Every entry of one folder (a stray file matters to a check too), with its stamp."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        digest.update(f"\0missing {folder}".encode())
        return
    digest.update(f"\0{folder}".encode())
    for entry in entries:
        try:
            info = entry.stat()  # follows a symbolic link: its target's edits count
        except OSError:
            digest.update(f"\0{entry.name} unreadable".encode())
            continue
        digest.update(f"\0{entry.name} {info.st_mode} {info.st_mtime_ns} {info.st_size}".encode())


def _stamp_tree(folder: Path, digest) -> None:
    for root, folders, names in os.walk(folder):
        folders.sort()
        folders[:] = [name for name in folders if name != "__pycache__"]
        for name in sorted(names):
            _stamp_file(os.path.join(root, name), digest)


def _stamp_file(path: str, digest) -> None:
    try:
        info = os.stat(path)
    except OSError:
        digest.update(f"\0{path} missing".encode())
        return
    digest.update(f"\0{path} {info.st_mtime_ns} {info.st_size}".encode())


def _library_files() -> list[str]:
    """Each library's main file, found without importing it: installing another version rewrites it."""
    files = []
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        files.append(spec.origin if spec is not None and spec.origin else f"{name} not installed")
    return files


def _last_commit(project_dir: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project_dir, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "no git"
    return done.stdout.strip() if done.returncode == 0 else "no commit"
