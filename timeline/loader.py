"""Load stage: read YAML files into plain values that remember where each was written.

PyYAML's own constructors are not used: they apply YAML 1.1 rules (`NO` is
False, `2022-05-23` a date, `0755` octal), keep the last of duplicate keys and
expand aliases without limit. Values are built here from the parser's events
instead, one pass without recursion, with YAML 1.2 core rules for plain
scalars and a line and column for every key and value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is ~8× faster; the pure-Python parser gives identical events.
    from yaml import CSafeLoader as _Parser

    HAS_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser

    HAS_LIBYAML = False

from timeline.errors import ContentError

MAX_FILE_BYTES = 1024 * 1024
"""Event files are a few kilobytes; anything over this is refused unread."""

MAX_DEPTH = 32
"""Deepest nesting a content file may use (events need four levels)."""

MAX_EVENT_FILES = 100_000
"""More files than this in content/events is refused before any is read."""

Position = tuple[int, int]
FieldPath = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
# Decimal integers only: no leading zero, so `0755` stays the text written.
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its data and where each value and key was written."""

    path: Path
    data: Any
    positions: dict[FieldPath, Position] = field(default_factory=dict)
    """Line and column (1-based) of each value, by its path of keys and indexes."""
    key_positions: dict[FieldPath, Position] = field(default_factory=dict)
    """Line and column of the key that holds each mapping value."""
    text: str = field(default="", repr=False)
    """The file as read, to locate a word inside a long value."""

    def where(self, path: FieldPath, *, key: bool = False) -> Position:
        """The position of `path`, or of its nearest ancestor that was written."""
        table = self.key_positions if key else self.positions
        while path:
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def locate(self, path: FieldPath, pattern: str) -> Position:
        """Where the regular expression `pattern` first matches inside the value at `path`
        (or the value's own position)."""
        line, column = self.where(path)
        start = 0
        for _ in range(line - 1):
            start = self.text.find("\n", start) + 1
        match = re.compile(pattern).search(self.text, start + column - 1)
        if match is None:
            return line, column
        found = match.start()
        line_start = self.text.rfind("\n", 0, found) + 1
        return self.text.count("\n", 0, found) + 1, found - line_start + 1

    def error(self, message: str, path: FieldPath = (), *, key: bool = False, at: Position | None = None) -> ContentError:
        """A ContentError for the value at `path` (or its key), or at an exact position."""
        line, column = at or self.where(path, key=key)
        return ContentError(message, path=self.path, line=line, column=column, field=field_name(path))


def field_name(path: FieldPath) -> str:
    """`('sources', 0, 'url')` → `sources[0].url`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def load_document(path: Path) -> Document:
    """Read one YAML file; raise ContentError for anything that is not plain, safe YAML."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(
            f"the file is {size:,} bytes; content files may be at most {MAX_FILE_BYTES:,} bytes",
            path=path,
            line=1,
            column=1,
        )
    return parse_document(path.read_bytes(), path)


def parse_document(raw: bytes, path: Path) -> Document:
    """Parse YAML bytes (UTF-8, with or without a BOM) into a Document."""
    text = _decode(raw, path)
    seen: list[yaml.ScalarEvent] = []  # the last scalar read, to explain a syntax error
    try:
        return _build(_remember_scalars(yaml.parse(text, Loader=_Parser), seen), path, text)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, path, seen[-1] if seen else None) from None


def _remember_scalars(events, seen: list):
    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            seen[:] = [event]
        yield event


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Editors count characters, not bytes: decode what precedes on the line.
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise ContentError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read); "
            "save it with UTF-8 encoding",
            path=path,
            line=raw.count(b"\n", 0, exc.start) + 1,
            column=column,
        ) from None


def _syntax_error(exc: yaml.YAMLError, text: str, path: Path, last: yaml.ScalarEvent | None) -> ContentError:
    """Say what went wrong where the contributor made the mistake, not where the parser gave up."""
    if isinstance(exc, yaml.reader.ReaderError):  # knows only its offset
        offset = exc.position
        message = f"a control character (U+{ord(text[offset]):04X}) that YAML does not allow; delete it"
        return _error_at(message, text, offset, path)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    offset = _offset(text, problem_mark.line, problem_mark.column) if problem_mark else 0
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    opening = _offset(text, context_mark.line, context_mark.column) if context_mark else 0

    if text[offset : offset + 1] == "\t":
        return _error_at("a tab character; YAML is indented with spaces only", text, offset, path)
    if "quoted scalar" in context and context_mark:
        quote = text[opening]
        return _error_at(f"invalid YAML: this quote is never closed; end the value with {quote}", text, opening, path)
    if "flow sequence" in context and context_mark:
        return _error_at("invalid YAML: this '[' is never closed; end the list with ']'", text, opening, path)
    if "flow mapping" in context and context_mark:
        return _error_at("invalid YAML: this '{' is never closed; end it with '}'", text, opening, path)
    if (
        last is not None
        and last.style in ("'", '"')
        and last.end_mark.line > last.start_mark.line
        and problem_mark is not None
        and problem_mark.line == last.end_mark.line
    ):
        # A quote closed by an apostrophe lines later: the parser stumbles
        # there, but the mistake is where the quoted value began.
        start = _offset(text, last.start_mark.line, last.start_mark.column)
        message = (
            f"invalid YAML: the quoted value that starts here runs on to line {last.end_mark.line + 1}; "
            f"close the quote on line {last.start_mark.line + 1}"
        )
        return _error_at(message, text, start, path)
    if problem == "mapping values are not allowed in this context":
        message = "invalid YAML: a colon followed by a space inside a value; put the whole value in quotes"
        return _error_at(message, text, offset, path)
    return _error_at(f"invalid YAML: {problem}" + (f" ({context})" if context else ""), text, offset, path)


def _error_at(message: str, text: str, offset: int, path: Path) -> ContentError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ContentError(message, path=path, line=line, column=column)


def _offset(text: str, line: int, column: int) -> int:
    """Character offset of a 0-based (line, column) mark."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return min(start + column, len(text))


class _Frame:
    """A mapping or sequence being filled while events stream past."""

    __slots__ = ("value", "path", "key", "key_mark")

    def __init__(self, value: dict | list, path: FieldPath) -> None:
        self.value = value
        self.path = path
        self.key: str | None = None
        self.key_mark: Position | None = None


def _position(event: yaml.Event) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _build(events, path: Path, text: str) -> Document:
    positions: dict[FieldPath, Position] = {}
    key_positions: dict[FieldPath, Position] = {}
    stack: list[_Frame] = []
    root: Any = None
    documents = 0

    def fail(message: str, event: yaml.Event) -> ContentError:
        line, column = _position(event)
        return ContentError(message, path=path, line=line, column=column)

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise fail("a file holds one event; remove the second '---' and what follows", event)
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            continue
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise fail("anchors and aliases (&name, *name) are not supported; write the value out", event)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _STR_TAG):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise fail(f"the YAML tag '{shown}' is not allowed; remove it and write a plain value", event)

        frame = stack[-1] if stack else None
        # In a mapping, scalars alternate between key and value.
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            if not isinstance(event, yaml.ScalarEvent):
                raise fail("a key must be plain text, not a list or mapping", event)
            if event.value in frame.value:
                first = key_positions[frame.path + (event.value,)]
                raise fail(f"duplicate key '{event.value}' (first written on line {first[0]}); keep one", event)
            frame.key, frame.key_mark = event.value, _position(event)
            continue

        if frame is None:
            child_path: FieldPath = ()
        elif isinstance(frame.value, dict):
            child_path = frame.path + (frame.key,)
            key_positions[child_path] = frame.key_mark
        else:
            child_path = frame.path + (len(frame.value),)
        positions[child_path] = _position(event)

        if isinstance(event, yaml.ScalarEvent):
            value: Any = _resolve(event, tag)
        elif isinstance(event, yaml.MappingStartEvent):
            value = {}
        else:
            value = []
        if frame is None:
            root = value
        elif isinstance(frame.value, dict):
            frame.value[frame.key] = value
            frame.key = None
        else:
            frame.value.append(value)
        if isinstance(value, (dict, list)):
            if len(stack) >= MAX_DEPTH:
                raise fail(f"the file nests more than {MAX_DEPTH} levels deep", event)
            stack.append(_Frame(value, child_path))

    if documents == 0 or root is None:
        raise ContentError("the file is empty", path=path, line=1, column=1)
    return Document(path=path, data=root, positions=positions, key_positions=key_positions, text=text)


def _resolve(event: yaml.ScalarEvent, tag: str | None) -> Any:
    """YAML 1.2 core schema for plain scalars; quoted, block and tagged values are text."""
    if event.style or tag is not None:  # libyaml reports plain style as ''
        return event.value
    return _plain(event.value)


def _plain(text: str) -> Any:
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT.match(text):
        # Past 30 digits it is no amount; a float keeps int() from refusing
        # 4,300+ digits, and the schema's maximum reports it.
        return int(text) if len(text) <= 30 else float(text)
    if _FLOAT.match(text) and not re.match(r"^[-+]?0[0-9]", text):
        return float(text)
    return text


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
    timeline = _load_checked(content_dir / "timeline.yaml", errors, required=True)
    events: list[Document] = []
    paths = _event_files(content_dir / "events", errors)
    for path in paths:
        document = _load_checked(path, errors, required=True)
        if document is not None:
            events.append(document)
    return Content(
        timeline=timeline,
        events=events,
        errors=errors,
        files=(content_dir / "timeline.yaml").exists() + len(paths),
        event_files=paths,
    )


def _load_checked(path: Path, errors: list[ContentError], *, required: bool) -> Document | None:
    try:
        if path.is_symlink():
            raise ContentError(
                "symbolic links are not followed in content; put the file itself here", path=path
            )
        if not path.is_file():
            if required:
                raise ContentError("the file is missing", path=path)
            return None
        return load_document(path)
    except ContentError as error:
        errors.append(error)
    except OSError as exc:
        errors.append(ContentError(f"cannot read the file: {exc.strerror}", path=path))
    return None


def _event_files(events_dir: Path, errors: list[ContentError]) -> list[Path]:
    """The event files, in name order; symbolic links and misnamed files are errors."""
    if events_dir.is_symlink() or not events_dir.is_dir():
        message = (
            "symbolic links are not followed in content; make it a real folder"
            if events_dir.is_symlink()
            else "the events folder is missing; create it and add one .yaml file per event"
        )
        errors.append(ContentError(message, path=events_dir))
        return []
    paths: list[Path] = []
    with os.scandir(events_dir) as entries:
        for count, entry in enumerate(entries, 1):
            if count > MAX_EVENT_FILES:
                errors.append(
                    ContentError(f"more than {MAX_EVENT_FILES:,} files in the events folder", path=events_dir)
                )
                return []
            name = entry.name
            if name.startswith(".") or not (name.endswith(".yaml") or name.endswith(".yml")):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                errors.append(
                    ContentError("symbolic links are not followed in content; put the file itself here", path=path)
                )
            elif name.endswith(".yml"):
                errors.append(ContentError(f"event files end in .yaml; rename it to {name[:-4]}.yaml", path=path))
            elif entry.is_file(follow_symlinks=False):
                paths.append(path)
    return sorted(paths)
