"""The content folder: which files are read, and which are reported because they never would be.

content/timeline.yaml and content/events/*.yaml are the content. A file
that looks like content anywhere else (an event saved beside timeline.yaml,
a folder inside events/, `x.yaml.txt`) is an error, or its event would be
silently missing from the site.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from timeline import loader
from timeline.errors import ContentError
from timeline.loader import Document

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
"""An event id: its file name without .yaml, and the last part of its address."""

MAX_EVENT_FILES = 100_000
"""More files than this in content/events is refused before any is read."""


@dataclass(frozen=True)
class Content:
    """The files of one content folder, read and parsed."""

    timeline: Document | None
    events: list[Document]
    errors: list[ContentError]
    files: int = 0
    """Content files found, read or not: timeline.yaml and each event file."""
    event_files: list[Path] = field(default_factory=list)
    """Every event file found, including those that could not be read."""


def load_content(content_dir: Path) -> Content:
    """Read content/timeline.yaml and every content/events/*.yaml, collecting every error."""
    errors: list[ContentError] = []
    timeline = load_checked(content_dir / "timeline.yaml", errors, required=True)
    check_stray_files(content_dir, errors)
    events: list[Document] = []
    paths = event_files(content_dir / "events", errors)
    for path in paths:
        document = load_checked(path, errors, required=True)
        if document is not None:
            events.append(document)
    return Content(
        timeline=timeline,
        events=events,
        errors=errors,
        files=(content_dir / "timeline.yaml").exists() + len(paths),
        event_files=paths,
    )


def load_checked(path: Path, errors: list[ContentError], *, required: bool) -> Document | None:
    raw = read_checked(path, errors, required=required)
    if raw is None:
        return None
    return parse_checked(raw, path, errors)


def read_checked(path: Path, errors: list[ContentError], *, required: bool) -> bytes | None:
    """A content file's bytes; None, with the reason in `errors`, when it cannot or must not be read."""
    try:
        if path.is_symlink():
            raise ContentError("symbolic links are not followed in content; put the file itself here", path=path)
        if not path.is_file():
            if required:
                raise ContentError("the file is missing", path=path)
            return None
        return loader.read_content(path)
    except ContentError as error:
        errors.append(error)
    except OSError as exc:
        errors.append(ContentError(f"cannot read the file: {exc.strerror}", path=path))
    return None


def parse_checked(raw: bytes, path: Path, errors: list[ContentError]) -> Document | None:
    try:
        return loader.parse_document(raw, path)  # through the module: tests count what is parsed
    except ContentError as error:
        errors.append(error)
    return None


# Endings that show a file was meant as YAML: x.yml, x.YAML, x.yaml.txt (as
# Notepad and some upload forms save it), x.yaml.yaml. Editor leftovers end
# otherwise (x.yaml~, x.yaml.swp, x.yaml.orig) and are never matched.
_YAML_ENDING = re.compile(r"(?:\.(?:ya?ml|txt))*\.ya?ml(?:\.(?:ya?ml|txt))*$", re.IGNORECASE)


# Hidden files that are never content, whatever they end in: macOS's
# AppleDouble metadata (._x.yaml, beside each file on shared drives) and
# Emacs's lock links (.#x.yaml) while a file is being edited.
_METADATA_PREFIXES = ("._", ".#")


def _meant_name(name: str) -> str | None:
    """The name a YAML file was meant to have (`x.yaml.txt` → `x.yaml`); None for other files.

    Backups, notes and other dotfiles (README.md, .gitkeep, .DS_Store) give None
    and stay ignored: they sit beside the real file or were never content, and
    reporting them would fail every check run on a working copy. A hidden YAML
    file (`.x.yaml`) gives its name without the dots, as what was meant.
    """
    match = _YAML_ENDING.search(name)
    if match is None or name.startswith(_METADATA_PREFIXES):
        return None
    return name[: match.start()].lstrip(".") + ".yaml"


def check_stray_files(content_dir: Path, errors: list[ContentError]) -> None:
    """A YAML file beside timeline.yaml is never read: say so, or its event is silently missing."""
    if content_dir.is_symlink() or not content_dir.is_dir():
        return  # the missing timeline.yaml and events folder are reported already
    with os.scandir(content_dir) as entries:
        for entry in itertools.islice(entries, MAX_EVENT_FILES):
            meant = _meant_name(entry.name)
            if meant is None or entry.name == "timeline.yaml" or entry.name.startswith(".") or entry.is_dir():
                continue  # a project's own dotfiles (.pre-commit-config.yaml) may sit here
            message = (
                "this file is not read: rename it to timeline.yaml"
                if meant.lower() == "timeline.yaml"
                else "this file is not read: event files go in content/events/"
            )
            errors.append(ContentError(message, path=Path(entry.path)))


def event_files(events_dir: Path, errors: list[ContentError]) -> list[Path]:
    """The event files, in name order; symbolic links, folders and misnamed files are errors."""
    if events_dir.is_symlink() or not events_dir.is_dir():
        message = (
            "symbolic links are not followed in content; make it a real folder"
            if events_dir.is_symlink()
            else "the events folder is missing; create it and add one .yaml file per event"
        )
        errors.append(ContentError(message, path=events_dir))
        return []
    with os.scandir(events_dir) as scan:
        entries = list(itertools.islice(scan, MAX_EVENT_FILES + 1))
    if len(entries) > MAX_EVENT_FILES:
        errors.append(ContentError(f"more than {MAX_EVENT_FILES:,} files in the events folder", path=events_dir))
        return []
    names = {entry.name for entry in entries}
    found: list[str] = []
    for entry in entries:
        name = entry.name
        if not name.startswith(".") and name == _meant_name(name) and entry.is_file(follow_symlinks=False):
            found.append(name)  # the usual case: an event file, named as it should be
            continue
        error = _event_file_error(entry, names)
        if error is not None:
            errors.append(error)
    return [events_dir / name for name in sorted(found)]  # names sort as their paths do, without Path's cost


def _event_file_error(entry: os.DirEntry, names: set[str]) -> ContentError | None:
    """Why an entry of content/events cannot be read as an event, if it looks like one."""
    name, path = entry.name, Path(entry.path)
    meant = _meant_name(name)
    folder = not name.startswith(".") and entry.is_dir()
    if (meant is None or entry.is_dir()) and not folder:
        return None  # not content: a note, a dotfile, an editor's backup or a hidden folder
    if entry.is_symlink():
        return ContentError("symbolic links are not followed in content; put the file itself here", path=path)
    if folder:
        message = "folders inside content/events are not read; move its files up into content/events/"
        return ContentError(message, path=path)
    if name.startswith("."):  # `.yaml` too, which is its own meant name
        if meant in names and meant != name:
            fix = f"{meant} exists already: keep one, then delete {name}"
        elif ID_PATTERN.match(meant[:-5]):
            fix = f"rename it to {meant}"
        else:
            fix = "give it a name of lower-case letters, digits and hyphens, such as 2022-05-23-what-happened.yaml"
        return ContentError(f"this file is never read: a name starting with a dot hides it; {fix}", path=path)
    if meant == name:
        return None
    if meant in names:
        return ContentError(
            f"{name} and {meant} would both be the event '{meant[:-5]}'; "
            f"keep one: move what {name} adds into {meant}, then delete {name}",
            path=path,
        )
    return ContentError(f"event files end in .yaml; rename it to {meant}", path=path)
