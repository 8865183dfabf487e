"""Validate stage, part one: each file against its published JSON Schema.

The schemas are data (`timeline/schemas/*.json`, draft-07 so that editors'
YAML language server can use them). jsonschema finds every violation; this
module turns each into one message that names the bad value, says what was
expected and, where it can, suggests the fix. Checks that need a catalogue
(currency and country codes, real dates, safe URLs) are JSON Schema `format`s
so the schema stays the single description of a valid file.

Most files are valid, so each is first put to a compiled validator
(fastjsonschema, ten times faster); only a file it rejects goes through
jsonschema, whose errors carry what the messages need, and only then is
jsonschema imported. The compiled validator is Python code generated from
the schema; compiling it costs a tenth of a second in every process, so the
compiled code is kept in the cache folder by the schema's digest.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import marshal
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import fastjsonschema
from babel import Locale
from babel.numbers import list_currencies

from timeline import cache as records
from timeline.dates import InvalidDate, PartialDate
from timeline.errors import ContentError
from timeline.fields import Field, compose_event_schema
from timeline.loader import Document

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

EVENT_SCHEMA = "event.schema.json"
TAG_KEY_PATTERN = "^[a-z0-9][a-z0-9-]*$"
"""The pattern tag keys follow in both schemas."""
TIMELINE_SCHEMA = "timeline.schema.json"

# Codes people write that ISO 3166-1 spells otherwise.
_COUNTRY_ALIASES = {"UK": "GB", "EL": "GR"}

_TYPE_NAMES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a set of fields",
    "boolean": "true or false",
    "null": "nothing",
}


def schema_text(name: str) -> str:
    """The schema file as shipped: the timeline schema whole, the event schema's core."""
    return resources.files("timeline").joinpath("schemas", name).read_text(encoding="utf-8")


SCHEMAS_DIR = "schemas"
"""Where a project keeps its schemas (`timeline schemas`), beside its content folder."""


def modeline(schema_name: str, depth: int) -> str:
    """A content file's first line: its schema for editors, in the project's own schemas/ folder.

    `depth`: how far the file sits below the project (content/events/x.yaml: 2).
    Relative, so the line works for everyone who checks the project out.
    """
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMAS_DIR}/{schema_name}"


def project_schemas(fields: tuple[Field, ...]) -> dict[str, str]:
    """The schemas a project keeps in its schemas/ folder, by file name, composed with its fields."""
    return {EVENT_SCHEMA: event_schema(fields).text, TIMELINE_SCHEMA: timeline_schema().text}


@dataclass(frozen=True)
class Schema:
    """A JSON Schema as `check` validates with it and the project and the site publish it."""

    name: str
    """The file it is written to: event.schema.json or timeline.schema.json."""
    text: str
    """The schema itself, as JSON text."""
    date_fields: tuple[str, ...] = ()
    """Top-level fields that hold dates, where a bare year (`date: 2021`) means the year."""


@cache
def timeline_schema() -> Schema:
    """The schema of timeline.yaml: the same for every timeline."""
    return Schema(TIMELINE_SCHEMA, schema_text(TIMELINE_SCHEMA))


@lru_cache(maxsize=8)
def event_schema(fields: tuple[Field, ...] = (), *, open_ended: bool = False) -> Schema:
    """The schema of an event file: the core composed with the fields the timeline declares.

    `open_ended`: accept fields the core does not know, for when timeline.yaml
    is itself invalid and what it declares is unknown.
    """
    composed = compose_event_schema(json.loads(schema_text(EVENT_SCHEMA)), fields)
    if open_ended:
        composed["additionalProperties"] = True
    dates = ("date", "end_date", *(field.name for field in fields if field.type == "date"))
    return Schema(EVENT_SCHEMA, json.dumps(composed, indent=2, ensure_ascii=False) + "\n", dates)


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def _countries() -> frozenset[str]:
    return frozenset(code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha())


def _check_url(value: object) -> bool:
    return not isinstance(value, str) or url_problem(value) is None


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # \s: every character str.isspace() calls a space
# http(s), a plain host name, no credentials or port: what almost every source is, accepted without urlsplit.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?:[/?#]|$)")


def url_problem(url: str) -> str | None:
    """Why `url` may not be cited, or None: http(s), a host, no credentials, no spaces."""
    space = _SPACE_OR_CONTROL.search(url)
    if space is None and _PLAIN_WEB_URL.match(url):
        return None
    if space is not None:
        return "contains spaces or control characters; encode them (%20) or remove them"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "is not a valid web address"
    if parts.scheme not in ("http", "https"):
        return "is not a web address: only http:// and https:// links can be cited"
    if not parts.hostname:
        return "has no host name after the //"
    if parts.username is not None or parts.password is not None:
        return "contains a user name or password; link to the public page instead"
    return None


def _redact(url: str) -> str:
    """The URL with any password masked: error output ends up in public CI logs."""
    try:
        parts = urlsplit(url)
        if parts.password is not None:
            host = parts.netloc.rpartition("@")[2]
            return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()
    except ValueError:
        pass
    return url


def _check_date(value: object) -> bool:
    if isinstance(value, str):
        PartialDate.parse(value)  # InvalidDate carries the message
    return True


_FORMAT_CHECKS: dict[str, tuple[Callable[[object], bool], type[Exception] | tuple[()]]] = {
    "partial-date": (_check_date, InvalidDate),
    "currency": (lambda value: not isinstance(value, str) or value in _currencies(), ()),
    "country": (lambda value: not isinstance(value, str) or value in _countries(), ()),
    "web-url": (_check_url, ()),
}
"""The formats the schemas name, by name: each check and the error that carries its message."""


@lru_cache(maxsize=8)
def _validator(text: str) -> Draft7Validator:
    from jsonschema import Draft7Validator, FormatChecker  # only a rejected file needs it

    checker = FormatChecker(formats=())
    for name, (check, raises) in _FORMAT_CHECKS.items():
        checker.checks(name, raises=raises)(check)
    schema = json.loads(text)
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=checker)


def _passes(check: Callable[[object], bool]) -> Callable[[object], bool]:
    def format_passes(value: object) -> bool:
        try:
            return bool(check(value))
        except Exception:  # a format's own error (InvalidDate) means "no" here
            return False

    return format_passes


_FAST_FORMATS = {name: _passes(check) for name, (check, _) in _FORMAT_CHECKS.items()}
_FIRST_FUNCTION = re.compile(r"^def (\w+)\(", re.M)


@lru_cache(maxsize=8)
def _compiled(text: str) -> Callable[[Any], Any]:
    """The schema as Python code: a yes or no, with the same formats, and no defaults filled in."""
    key = hashlib.sha256(text.encode()).hexdigest()
    record = records.record_path("schema", key)
    kept = records.load(record, key)
    if isinstance(kept, tuple) and len(kept) == 2:
        name, code = kept[0], marshal.loads(kept[1])
    else:
        source = fastjsonschema.compile_to_code(json.loads(text), formats=_FAST_FORMATS, use_default=False)
        name = _FIRST_FUNCTION.search(source)[1]  # the schema's own function comes first; its references follow
        code = compile(source, f"<{key[:12]}.schema>", "exec")
        records.save(record, key, (name, marshal.dumps(code)))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # code fastjsonschema generated from the schema above
    return partial(namespace[name], custom_formats=_FAST_FORMATS)


def validate_document(document: Document, schema: Schema) -> list[ContentError]:
    """Every schema violation in `document`, one message each (bare years read as text)."""
    return validate_data(document, normalized(document.data, schema.date_fields), schema)


def validate_data(document: Document, data: Any, schema: Schema) -> list[ContentError]:
    """Every schema violation in `data` (the document's, or its normalised copy), placed in `document`."""
    try:
        _compiled(schema.text)(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema tells what is wrong
    # One message per value: a blank title fails minLength and pattern, a
    # misspelt currency its pattern and its format; the first kind listed wins.
    best: dict[tuple, ValidationError] = {}
    for error in _validator(schema.text).iter_errors(data):
        if error.validator in ("required", "additionalProperties"):
            key = (tuple(error.absolute_path), error.validator)
        else:
            key = (tuple(error.absolute_path), "")
        current = best.get(key)
        if current is None or _rank(error) < _rank(current):
            best[key] = error
    errors: list[ContentError] = []
    for error in best.values():
        errors.extend(_translate(error, document))
    return errors


def normalized(data: Any, date_fields: tuple[str, ...]) -> Any:
    """`data` with a bare year in a date field as text: a copy where that changes anything.

    `date: 2021` unquoted is read as a number; a date field means the year
    2021 (`date: 2022-05-23` unquoted already stays text, so the bare year
    should too). The document itself is left as it was read.
    """
    if not isinstance(data, dict) or not date_fields:
        return data
    copy = None
    for name in date_fields:
        if _bare_year(data.get(name)):
            copy = copy if copy is not None else dict(data)
            copy[name] = str(data[name])
    sources = data.get("sources")
    if isinstance(sources, list) and any(isinstance(s, dict) and _bare_year(s.get("published")) for s in sources):
        copy = copy if copy is not None else dict(data)
        copy["sources"] = [
            {**source, "published": str(source["published"])}
            if isinstance(source, dict) and _bare_year(source.get("published"))
            else source
            for source in sources
        ]
    return data if copy is None else copy


def _whole(value: object) -> bool:
    """A number that could be a year: `date: -500` or `date: 800`."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and value != 0


def _bare_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999


_PRIORITY = ("type", "minLength", "pattern", "enum", "format")


def _rank(error: ValidationError) -> int:
    return _PRIORITY.index(error.validator) if error.validator in _PRIORITY else len(_PRIORITY)


def _translate(error: ValidationError, document: Document) -> list[ContentError]:
    path = tuple(error.absolute_path)
    value = error.instance
    kind = error.validator
    if kind == "required":
        # A misspelt key (`titel`) is reported as unknown with a suggestion;
        # saying the real one is missing as well would be the same mistake twice.
        extras = [name for name in value if name not in error.schema.get("properties", {})]
        missing = [name for name in error.validator_value if name not in value and not _misspelt(name, extras)]
        return [document.error(_missing(name), path + (name,)) for name in missing]
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [name for name in value if name not in allowed]
        return [document.error(_unknown_field(name, allowed), path + (name,), key=True) for name in extras]
    if value is None and path in document.comment_after:
        return [document.error(_swallowed_by_comment(path, document.comment_after[path]), path)]
    return [document.error(_message(error, value), path)]


def _swallowed_by_comment(path: tuple, comment: str) -> str:
    """`title: #CNIL fines…` reads as an empty title and a comment: say so, with the fix."""
    key = next((part for part in reversed(path) if isinstance(part, str)), None)
    quoted = '"' + comment.replace("\\", "\\\\").replace('"', '\\"') + '"'
    written = f"{key}: {quoted}" if key else quoted
    where = f"after '{key}:' " if key else ""
    return f"is empty: the # {where}starts a comment, which YAML ignores; put the text in quotes: {written}"


def _misspelt(name: str, extras: list) -> bool:
    return any(suggest(str(extra), [name]) for extra in extras)


def _missing(name: str) -> str:
    if name == "sources":
        return "missing: every event needs at least one source (title, publisher, url)"
    return f"missing required field '{name}'"


def _unknown_field(name: object, allowed: list[str]) -> str:
    hint = suggest(str(name), allowed)
    listing = ", ".join(allowed)
    return f"unknown field '{name}'{hint}; fields allowed here: {listing}"


def suggest(value: str, choices) -> str:
    """` (did you mean 'x'?)` when one choice is close to `value`, else ``.

    Same letters in another order (`GPB` for `GBP`) beats difflib's ratio,
    which would rather offer `PAB`.
    """
    lowered = {choice.lower(): choice for choice in choices}
    key = value.lower()
    anagrams = sorted(choice for choice in lowered if sorted(choice) == sorted(key))
    close = anagrams or difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def describe(value: Any) -> str:
    """A value as a contributor would recognise it in their file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def _message(error: ValidationError, value: Any) -> str:
    kind, schema = error.validator, error.schema
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPE_NAMES[name] for name in names)
        if value is None:
            key = _last_key(error.absolute_path)
            return f"is empty; write {wanted} after '{key}:'" if key else f"is empty; expected {wanted}"
        hint = ""
        if "number" in names and isinstance(value, str):
            hint = _number_hint(value)
        elif "array" in names and isinstance(value, str) and value.strip():
            items = ", ".join(part.strip() for part in value.split(",") if part.strip())
            hint = f"; write a list in square brackets: [{items}]"
        elif "string" in names and schema.get("format") == "partial-date" and _whole(value):
            # `date: -500` or `date: 800`: a year needs four digits, and quotes keep them.
            year = int(value)
            example = f"-{-year:04d}" if year < 0 else f"{year:04d}"
            era = f" ({-year} BC)" if year < 0 else ""
            hint = f"; write the year with at least four digits, in quotes: '{example}'{era}"
        elif "string" in names and isinstance(value, (bool, int, float)):
            hint = "; put the value in quotes"
        return f"expected {wanted}, got {describe(value)}{hint}"
    if kind == "pattern":
        if error.validator_value == "\\S":
            return "must not be blank"
        if schema.get("format") == "partial-date" and isinstance(value, str):
            try:
                PartialDate.parse(value)
            except InvalidDate as invalid:  # says what was probably meant
                return str(invalid)
        expected = schema.get("patternErrorMessage", f"text matching {error.validator_value}")
        return f"{describe(value)} is not {expected}{_pattern_hint(schema, value)}"
    if kind == "format":
        return _format_message(error.validator_value, value, error.cause)
    if kind == "enum":
        choices = [str(choice) for choice in error.validator_value]
        what = schema.get("title", "value").lower()
        hint = suggest(str(value), choices)
        return f"{describe(value)} is not a known {what}{hint}; use one of: {', '.join(choices)}"
    if kind == "minItems":
        if tuple(error.absolute_path) == ("sources",):
            return "is empty: every event needs at least one source (title, publisher, url)"
        return f"needs at least {error.validator_value} item(s)"
    if kind == "maxItems":
        noun = {"tags": "tags", "sources": "sources", "supersedes": "events", "related": "events"}.get(
            _last_key(error.absolute_path), "items"
        )
        return f"lists {len(value):,} {noun}; at most {error.validator_value:,} are allowed"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is {len(value):,} characters long; at most {error.validator_value:,} are allowed"
    if kind == "maximum":
        return f"is too large to be an amount (over {error.validator_value:,.0f}); write the exact figure"
    if kind == "minimum":
        return f"{describe(value)} is below {error.validator_value}; amounts cannot be negative"
    if kind == "uniqueItems":
        return "lists the same value more than once"
    return error.message  # pragma: no cover - every keyword the schemas use is handled above


def _last_key(path) -> str | None:
    """The innermost field name of a path: `tags` for `tags[3]`."""
    return next((part for part in reversed(path) if isinstance(part, str)), None)


_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "US$": "USD", "¥": "JPY", "C$": "CAD", "A$": "AUD", "kr": "SEK"}
_MULTIPLIERS = {"k": 10**3, "thousand": 10**3, "m": 10**6, "mn": 10**6, "million": 10**6, "bn": 10**9, "billion": 10**9}
_WRITTEN_NUMBER = re.compile(
    r"(?:[A-Z]{3}|[£€$¥]|US\$|C\$|A\$)?\s*([0-9][0-9.,' _\u00a0\u202f]*)\s*"
    r"(k|thousand|m|mn|million|bn|billion)?\s*(?:[A-Z]{3}|[£€$¥])?",
    re.IGNORECASE,
)


def _number_hint(text: str) -> str:
    """`20,000,000`, `20.000.000`, `€20m`, `7.5 million` → the plain number to write instead."""
    match = _WRITTEN_NUMBER.fullmatch(text.strip())
    if not match:
        return ""
    digits, multiplier = match.group(1).strip(), _MULTIPLIERS.get((match.group(2) or "").lower(), 1)
    digits = re.sub(r"[' _\u00a0\u202f]", "", digits)
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", digits):  # 20.000.000: dots between thousands
        digits = digits.replace(".", "")
    digits = (
        digits.replace(",", "")
        if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", digits)
        else digits.replace(",", ".")
    )
    try:
        number = Decimal(digits) * multiplier
    except InvalidOperation:
        return ""
    plain = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
    return f"; write it as a plain number, without separators, words or currency signs: {plain}"


def _pattern_hint(schema: dict, value: Any) -> str:
    """What the contributor probably meant, for the text formats people get wrong most."""
    if not isinstance(value, str):
        return ""
    kind = schema.get("format")
    if kind == "country":
        return _country_hint(value)
    if kind == "currency":
        code = _SYMBOLS.get(value.strip()) or (
            value.strip().upper() if value.strip().upper() in _currencies() else None
        )
        return f" (did you mean '{code}'?)" if code else ""
    if schema.get("pattern") == TAG_KEY_PATTERN:
        if re.fullmatch(TAG_KEY_PATTERN, value.strip().lower()):
            return f" (did you mean '{value.strip().lower()}'?)"
        if re.search(r"[\s()]", value):
            return "; write the tag's key from timeline.yaml, not its label"
    return ""


def _country_hint(value: str) -> str:
    """`France`, `fr` or `UK` → ` (did you mean 'FR'?)`: names in English and the usual aliases."""
    text = value.strip()
    code = _COUNTRY_ALIASES.get(text.upper()) or (text.upper() if text.upper() in _countries() else None)
    code = code or _country_names().get(text.casefold())
    return f" (did you mean '{code}'?)" if code else ""


@cache
def _country_names() -> dict[str, str]:
    """Country names in English, folded for comparison → ISO code."""
    names = {name.casefold(): code for code, name in Locale.parse("en").territories.items() if code in _countries()}
    names.update({"uk": "GB", "great britain": "GB", "britain": "GB", "usa": "US", "united states of america": "US"})
    return names


def _format_message(name: str, value: Any, cause: BaseException | None) -> str:
    if name == "partial-date":
        return str(cause)
    if name == "currency":
        return f"{describe(value)} is not an ISO 4217 currency code{suggest(value, _currencies())}"
    if name == "country":
        if value in _COUNTRY_ALIASES:
            hint = f" (did you mean '{_COUNTRY_ALIASES[value]}'?)"
        else:
            hint = suggest(value, _countries())
        return f"{describe(value)} is not an ISO 3166-1 country code{hint}"
    if name == "web-url":
        return f"{describe(_redact(value))} {url_problem(value)}"
    return f"{describe(value)} is not a valid {name}"  # pragma: no cover
