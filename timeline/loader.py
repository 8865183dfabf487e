"""Load stage: read YAML files into plain values that remember where each was written.

PyYAML's own constructors are not used: they apply YAML 1.1 rules (`NO` is
False, `2022-05-23` a date, `0755` octal), keep the last of duplicate keys and
expand aliases without limit. Values are built here from the parser's events
instead, one pass without recursion, with YAML 1.2 core rules for plain
scalars and a line and column for every key and value.

Positions are only needed to report a problem, and most files have none:
they take more memory than the values, so a Document works them out from its
text on first use.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
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

MAX_ITEMS = 5_000
"""Most items one list or mapping may hold: far past any real tag vocabulary, and it
keeps a file of 100,000 tags from costing every later stage seconds."""


Position = tuple[int, int]
FieldPath = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL)?$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
# Decimal integers only: no leading zero, so `0755` stays the text written.
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_STR_TAG = "tag:yaml.org,2002:str"
_COMMENT = re.compile(r"[ \t]+(#[^\n]*)")


@dataclass(frozen=True)
class _Positions:
    values: dict[FieldPath, Position]
    keys: dict[FieldPath, Position]


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its data and where each value and key was written."""

    path: Path
    data: Any
    text: str = field(default="", repr=False)
    """The file as read: its positions are worked out from it, and a word is found inside a long value."""
    comment_after: dict[FieldPath, str] = field(default_factory=dict)
    """Empty values written `title: #CNIL fines`, by path: the comment that was meant as the value."""
    recorded: _Positions | None = field(default=None, repr=False, compare=False)
    """Positions recorded while parsing, when they were (else they are worked out on first use)."""

    @cached_property
    def _positions(self) -> _Positions:
        if self.recorded is not None:
            return self.recorded
        again = _build(yaml.parse(self.text, Loader=_Parser), self.path, self.text, record=True)
        assert again.recorded is not None
        return again.recorded

    @property
    def positions(self) -> dict[FieldPath, Position]:
        """Line and column (1-based) of each value, by its path of keys and indexes."""
        return self._positions.values

    @property
    def key_positions(self) -> dict[FieldPath, Position]:
        """Line and column of the key that holds each mapping value."""
        return self._positions.keys

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

    def error(
        self, message: str, path: FieldPath = (), *, key: bool = False, at: Position | None = None
    ) -> ContentError:
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
    return parse_document(read_content(path), path)


def read_content(path: Path) -> bytes:
    """A content file's bytes; ContentError when it is larger than any content file should be."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(
            f"the file is {size:,} bytes; content files may be at most {MAX_FILE_BYTES:,} bytes",
            path=path,
            line=1,
            column=1,
        )
    return path.read_bytes()


def parse_document(raw: bytes, path: Path) -> Document:
    """Parse YAML bytes (UTF-8, with or without a BOM) into a Document."""
    text = _decode(raw, path)
    try:
        try:
            return _build(yaml.parse(text, Loader=_Parser), path, text, record=False)
        except _PositionsNeeded:
            return _build(yaml.parse(text, Loader=_Parser), path, text)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text, path, _last_scalar(text)) from None


def _last_scalar(text: str) -> yaml.ScalarEvent | None:
    """The last scalar read before the parser stopped, to explain a syntax error (only a broken file pays for it)."""
    seen: list[yaml.ScalarEvent] = []
    try:
        for _ in _remember_scalars(yaml.parse(text, Loader=_Parser), seen):
            pass
    except yaml.YAMLError:
        pass
    return seen[-1] if seen else None


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
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read); save it with UTF-8 encoding",
            path=path,
            line=raw.count(b"\n", 0, exc.start) + 1,
            column=column,
        ) from None


_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML refuses to read (its `c-printable` set, negated)."""


def _syntax_error(exc: yaml.YAMLError, text: str, path: Path, last: yaml.ScalarEvent | None) -> ContentError:
    """Say what went wrong where the contributor made the mistake, not where the parser gave up."""
    if isinstance(exc, yaml.reader.ReaderError):
        # Its position counts bytes with libyaml and characters without it: find the character itself.
        found = _NOT_PRINTABLE.search(text)
        offset = found.start() if found else min(exc.position, max(len(text) - 1, 0))
        character = text[offset] if text else "\x00"
        message = f"a control character (U+{ord(character):04X}) that YAML does not allow; delete it"
        return _error_at(message, text, offset, path)
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    offset = _offset(text, problem_mark.line, problem_mark.column) if problem_mark else 0
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    opening = _offset(text, context_mark.line, context_mark.column) if context_mark else 0

    if text[offset : offset + 1] == "\t":
        return _error_at("a tab character; YAML is indented with spaces only", text, offset, path)
    if problem.startswith("exceeded maximum nesting depth"):  # libyaml's own limit, met before ours
        return _error_at(f"the file nests more than {MAX_DEPTH} levels deep", text, offset, path)
    if "quoted scalar" in context and (bad_escape := _bad_escape(problem, text, offset)):
        return _error_at(*bad_escape, path)
    if "quoted scalar" in context and context_mark:
        quote = text[opening]
        return _error_at(f"invalid YAML: this quote is never closed; end the value with {quote}", text, opening, path)
    # Before the bracket checks: ['it's'] is a quote closed early, not an unclosed '['.
    explained = _quote_closed_early(text, last, problem_mark) or _misindented(text, problem_mark)
    if explained:
        message, at = explained
        return _error_at(message, text, at, path)
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
    if problem.startswith("mapping values are not allowed"):  # libyaml adds "in this context"
        message = "invalid YAML: a colon followed by a space inside a value; put the whole value in quotes"
        return _error_at(message, text, offset, path)
    return _error_at(f"invalid YAML: {problem}" + (f" ({context})" if context else ""), text, offset, path)


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{0,2}|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|.?)", re.DOTALL)
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_UNSUPPORTED_ESCAPE = (
    "found unknown escape character",  # both parsers
    "did not find expected hexdecimal number",  # libyaml
    "expected escape sequence of",  # PyYAML's own parser
    "found invalid Unicode character escape code",  # libyaml: a surrogate, or past U+10FFFF
)


def _bad_escape(problem: str, text: str, offset: int) -> tuple[str, str, int] | None:
    """A backslash escape double quotes do not know (`\\q`, `\\U` without its digits, `\\ud800`).

    The parser gives up inside the quoted value, which reads like a quote never
    closed; the mistake is the escape, so name it.
    """
    if not problem.startswith(_UNSUPPORTED_ESCAPE):
        return None
    start = text.rfind("\\", 0, offset + 1)
    match = _ESCAPE.match(text, start) if start >= 0 else None
    if match is None:
        return None
    written, letter = match[0], match[1][:1]
    advice = "to write a backslash, double it (\\\\), or put the value in single quotes"
    if letter in _ESCAPE_DIGITS and len(written) == 2 + _ESCAPE_DIGITS[letter]:
        code = int(written[2:], 16)
        what = (
            "half of a UTF-16 surrogate pair, not a character"
            if 0xD800 <= code <= 0xDFFF
            else "past the last Unicode character"
        )
        message = f"invalid YAML: '{written}' is {what}; write the character itself instead of its escape"
    elif letter in _ESCAPE_DIGITS:
        digits = _ESCAPE_DIGITS[letter]
        found = f" (found '{written}')" if len(written) > 2 else ""
        message = f"invalid YAML: '\\{letter}' in double quotes must be followed by {digits} hexadecimal digits{found}; {advice}"
    else:
        message = f"invalid YAML: '{written}' is not an escape that double quotes know; {advice}"
    return message, text, start


# A line that starts with a field name and its colon: `  url: …`, `  - id: …`.
_KEY_LINE = re.compile(r"^[ \t]*(?:-[ \t]+)*[\w-]+[ \t]*:(?:[ \t]|\r?$)", re.MULTILINE)
# Where a quoted value was meant to end: a quote followed by the end of the
# line, a comment, a ',' ']' '}' of a list, or a key's colon.
_MEANT_CLOSE = r"(?=[ \t]*(?:$|#|[,\]}]|:[ \t]))"


def _quote_closed_early(text: str, last: yaml.ScalarEvent | None, mark) -> tuple[str, int] | None:
    """`'Clearview's fine'`: the apostrophe closed the quote, and the parser trips on the `s` after it."""
    if last is None or last.style not in ("'", '"') or mark is None or mark.line != last.end_mark.line:
        return None
    end = _offset(text, last.end_mark.line, last.end_mark.column)  # just after the closing quote
    if not text[end : end + 1].isalnum() or _swallows_keys(text, last):
        return None  # a value quoted on from lines above is explained by the caller
    quote, closing = last.style, end - 1
    opening = _offset(text, last.start_mark.line, last.start_mark.column)
    before = re.search(r"[\w-]*$", text[opening + 1 : closing])[0]
    after = re.match(r"\w*", text[end:])[0]
    where = f"in {before}{quote}{after}" if before else f"before {after}"
    if last.start_mark.line == last.end_mark.line:
        example = _requoted(_line_from(text, opening + 1).rstrip(), quote)
    else:  # the whole value spans lines: show the word alone
        example = _requoted(f"{before}{quote}{after}{quote}", quote)[1:-1]
    if quote == "'":
        fix = f"inside single quotes write it twice ({example}) or use double quotes"
    else:
        fix = f'inside double quotes write it as \\" ({example}) or use single quotes'
    return f"invalid YAML: the {quote} {where} ends the quoted text early; {fix}", closing


def _requoted(rest: str, quote: str) -> str:
    """The value as it should have been quoted, from the text after its opening quote."""
    close = re.search(re.escape(quote) + _MEANT_CLOSE, rest)
    inner = rest[: close.start()] if close else rest
    if quote == "'":  # '' already doubled stays as it is
        return "'" + inner.replace("''", "'").replace("'", "''") + "'"
    return '"' + re.sub(r'(?<!\\)"', r'\\"', inner) + '"'


def _swallows_keys(text: str, last: yaml.ScalarEvent) -> bool:
    """True when a quoted value runs over lines that look like fields: its quote was never closed."""
    if last.end_mark.line == last.start_mark.line:
        return False
    start = _offset(text, last.start_mark.line + 1, 0)
    end = _offset(text, last.end_mark.line, last.end_mark.column)
    return _KEY_LINE.search(text, start, end) is not None


def _misindented(text: str, mark) -> tuple[str, int] | None:
    """A field or '-' further left or right than the lines above allow, which the parser
    reports as a missing '-', a missing key or a colon inside a value."""
    if mark is None:
        return None
    start = _offset(text, mark.line, 0)
    line = _line_from(text, start)
    found = len(line) - len(line.lstrip(" "))
    item = line[found : found + 1] == "-"
    # The parser stopped at this line's key, '-' or colon; otherwise the mistake is elsewhere.
    if not (item or _KEY_LINE.match(line)) or mark.column not in (found, line.find(":")):
        return None
    levels = _open_levels(text[:start], item)
    if not levels or found in (column for _, column in levels):
        return None
    # The nearest column wins; of two as near, the deeper: the line above's own.
    path, expected = min(levels, key=lambda level: abs(level[1] - found))
    spaces = "space" if found == 1 else "spaces"
    message = (
        "invalid YAML: this line's indentation does not match the lines above it; "
        f"{_what_lines_up(path, item, expected)} (found {found} {spaces}, expected {expected})"
    )
    return message, start + found


def _open_levels(head: str, items: bool) -> list[tuple[FieldPath, int]]:
    """Columns where the next line may start, deepest first: the last field above and each
    field holding it (or, for a '-' line, each list item holding it)."""
    try:
        document = _build(yaml.parse(head, Loader=_Parser), Path(), head)
    except (yaml.YAMLError, ContentError):  # the lines above are broken too: say nothing clever
        return []
    last = next(reversed(document.positions if items else document.key_positions), ())
    if not last or (not items and _value_below_key(document, last)):
        return []  # `amount:` then a line read as its text: the mistake is above, not here
    levels = []
    for path in (last[:end] for end in range(len(last), 0, -1)):
        if items and isinstance(path[-1], int):
            line, column = document.positions[path]
            levels.append((path, _line_from(head, _offset(head, line - 1, 0))[: column - 1].rfind("-")))
        elif not items and isinstance(path[-1], str):
            levels.append((path, document.key_positions[path][1] - 1))
    return [level for level in levels if level[1] >= 0]


def _value_below_key(document: Document, path: FieldPath) -> bool:
    """True when the text of `path` starts on a line after its key without `|` or `>`."""
    value = document.data
    for part in path:
        value = value[part]
    (key_line, _), (line, column) = document.key_positions[path], document.positions[path]
    written = _line_from(document.text, _offset(document.text, line - 1, column - 1))
    return line != key_line and not isinstance(value, (dict, list)) and written[:1] not in ("|", ">")


def _what_lines_up(path: FieldPath, item: bool, expected: int) -> str:
    """`the fields of one source line up …`, named after what holds them."""
    if item:
        return f"the '-' that starts each {_one(path[:-1])} lines up under the one above"
    parent = path[:-1]
    if not parent:
        where = " at the start of the line" if expected == 0 else ""
        return f"the top-level fields line up under each other{where}"
    if isinstance(parent[-1], int):
        return f"the fields of one {_one(parent[:-1])} line up under each other, indented by spaces"
    return f"the fields inside '{parent[-1]}:' line up under each other, indented by spaces"


def _one(items: FieldPath) -> str:
    """What one item of the list at `items` is called: a source of `sources`."""
    return {"sources": "source", "tags": "tag"}.get(items[-1] if items else None, "list item")


def _line_from(text: str, start: int) -> str:
    """The rest of the line from `start`, without its newline."""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _error_at(message: str, text: str, offset: int, path: Path, field: str = "") -> ContentError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return ContentError(message, path=path, line=line, column=column, field=field)


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

    __slots__ = ("key", "key_mark", "path", "value")

    def __init__(self, value: dict | list, path: FieldPath) -> None:
        self.value = value
        self.path = path
        self.key: str | None = None
        self.key_mark: Position | None = None


def _position(event: yaml.Event) -> Position:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: invisible, they make text display in another order than it is written."""

_REFUSED_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
"""Bidirectional controls, and what no page or feed can carry: control characters other than
tab and line breaks, lone surrogates and the non-characters U+FFFE and U+FFFF (XML refuses
them, so one in a title would make feed.xml unreadable for every feed reader)."""

_YAML_ESCAPES = {
    "0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def _refused_character(event: yaml.ScalarEvent, text: str, path: Path, field: FieldPath, *, key: bool) -> ContentError:
    """Where the first refused character is in the file, written raw or as an escape (`"\\x1b"`).

    The reader refuses control characters written raw, but an escape reaches
    the value unseen. The character itself never goes into the message: a
    terminal would act on it.
    """
    character = _REFUSED_CHARACTER.search(event.value)[0]
    start = _offset(text, event.start_mark.line, event.start_mark.column)
    end = _offset(text, event.end_mark.line, event.end_mark.column)
    found = text.find(character, start, end)
    for escape in _ESCAPE.finditer(text, start, end) if found < 0 else ():
        if _unescaped(escape[1]) == character:
            found = escape.start()
            break
    code = f"U+{ord(character):04X}"
    where = "a key " if key else ""
    if _BIDI_CONTROL.match(character):
        name = unicodedata.name(character)
        message = f"{where}contains an invisible {name} ({code}), which makes text display in another order than it is written; remove it"
    else:
        if "\ud800" <= character <= "\udfff":
            kind = "half of a UTF-16 surrogate pair"
        else:
            kind = "a non-character" if character in "\ufffe\uffff" else "a control character"
        message = f"{where}contains {kind} ({code}) that no page or feed can show; remove it"
    # Not found when folded away from the text as written: the value's start then.
    return _error_at(message, text, found if found >= 0 else start, path, field_name(field))


def _unescaped(escape: str) -> str:
    """The character a YAML double-quoted escape (without its backslash) stands for, or ''."""
    if escape[:1] in _ESCAPE_DIGITS and len(escape) == 1 + _ESCAPE_DIGITS[escape[0]]:
        return chr(int(escape[1:], 16))
    return _YAML_ESCAPES.get(escape, "")


class _PositionsNeeded(Exception):
    """A problem found while not recording positions: parse again, recording them, to describe it."""


def _build(events, path: Path, text: str, *, record: bool = True) -> Document:
    """The file's values from its parser events; with `record`, where each key and value was written."""
    positions: dict[FieldPath, Position] = {}
    key_positions: dict[FieldPath, Position] = {}
    comment_after: dict[FieldPath, str] = {}
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
            if _REFUSED_CHARACTER.search(event.value):
                raise _refused_character(event, text, path, frame.path, key=True)
            if event.value in frame.value:
                if not record:
                    raise _PositionsNeeded
                first = key_positions[frame.path + (event.value,)]
                raise fail(f"duplicate key '{event.value}' (first written on line {first[0]}); keep one", event)
            frame.key = sys.intern(event.value)  # every file repeats the same few dozen keys
            if record:
                frame.key_mark = _position(event)
            continue

        if frame is not None and len(frame.value) >= MAX_ITEMS:
            what = "fields" if isinstance(frame.value, dict) else "items"
            raise fail(f"more than {MAX_ITEMS:,} {what} in one place; a content file holds far fewer", event)
        if frame is None:
            child_path: FieldPath = ()
        elif isinstance(frame.value, dict):
            child_path = frame.path + (frame.key,)
            if record:
                key_positions[child_path] = frame.key_mark
        else:
            child_path = frame.path + (len(frame.value),)
        if record:
            positions[child_path] = _position(event)

        if isinstance(event, yaml.ScalarEvent):
            if _REFUSED_CHARACTER.search(event.value):
                raise _refused_character(event, text, path, child_path, key=False)
            value: Any = _resolve(event, tag)
            if value is None and not event.value and (comment := _comment_after(text, event)):
                comment_after[child_path] = comment
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
    recorded = _Positions(positions, key_positions) if record else None
    return Document(path=path, data=root, text=text, comment_after=comment_after, recorded=recorded)


def _comment_after(text: str, event: yaml.ScalarEvent) -> str:
    """`#CNIL fines` when an empty value is followed on its line by a comment, else ''.

    A contributor who writes `title: #CNIL fines` meant a title; the schema can
    then say why the value is empty instead of only that it is.
    """
    match = _COMMENT.match(text, event.start_mark.index)
    return match[1].rstrip() if match else ""


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
