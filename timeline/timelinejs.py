"""TimelineJS3's formats: the timeline as its JSON, and its JSON and spreadsheet CSV read for `import`.

https://timeline.knightlab.com/docs/json-format.html: a title slide and one
slide per event. Dates carry only the parts the event's date has (TimelineJS
shows "2020" for a year and "July 2020" for a month). The slides' text is the
theme's (the default theme's `timelinejs-text.html` gives the summary, its
[@key] citations linking to the sources themselves, the timeline's own fields
and the numbered list of sources, since the reader of a TimelineJS slide never
sees this site's event page), sanitised here as an event's text is.

`group` is the label of the event's first tag: tags come from the timeline's
vocabulary, so the same actor always makes the same group with a short label
("ICO (UK)"), whereas `authority` is free text ("CNIL, restricted committee"
and "CNIL, its chair" would be two groups). An event without tags has no group.

Reading keeps TimelineJS's own rules (ConfigFactory.js): spreadsheet columns
are found by name, a row without a year is not an event, the first `title` row
is the title slide and `era` rows are eras. Nothing is mapped here; `importer`
decides what becomes of each slide.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from timeline.dates import PartialDate
from timeline.markdown import sanitise_html
from timeline.model import Event, Timeline

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # kept out of report lines: a terminal would act on them


def timelinejs_json(timeline: Timeline, render_text: Callable[[Event | None], str]) -> dict:
    """TimelineJS3's JSON data for the timeline; `render_text(event)` gives a slide's HTML text, the title slide's for None."""
    return {
        "title": {
            "text": {
                "headline": html.escape(timeline.title, quote=False),
                "text": str(sanitise_html(render_text(None))),
            },
        },
        "events": [_slide(event, str(sanitise_html(render_text(event)))) for event in timeline.events],
    }


def timelinejs_slide(event: Event, text: str) -> dict:
    """One event's slide, as `timelinejs_json` lists it, from the theme's text for it."""
    return _slide(event, str(sanitise_html(text)))


def _slide(event: Event, text: str) -> dict:
    slide = {"unique_id": event.id, "start_date": _date(event.date)}
    if event.end_date is not None:
        slide["end_date"] = _date(event.end_date)
    slide["text"] = {"headline": html.escape(event.title, quote=False), "text": text}
    if event.tags:
        slide["group"] = event.tags[0].label
    return slide


def _date(date: PartialDate) -> dict:
    """Only the parts the date has: TimelineJS accepts a year alone, or a year and month."""
    parts = {"year": date.year}
    if date.month:
        parts["month"] = date.month
    if date.day:
        parts["day"] = date.day
    return parts


# --- Reading TimelineJS's JSON and its spreadsheet's CSV, for `import` -------


class TimelineJSError(ValueError):
    """The data cannot be imported: every problem found, each a line naming the file and line or JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


Note = tuple[int, str]
"""A report line and its place in the file (row number or slide index), to list them in file order."""


@dataclass(frozen=True)
class Slide:
    """One TimelineJS event slide as read: its cells or JSON values, nothing mapped yet."""

    order: int
    """Its place in the file, for sorting report lines: the row number, or the index in `events`."""
    location: str
    """`women.csv:7` (the file and the row's first line) or `houston.json`."""
    where: str
    """`row 6` (a spreadsheet row, the header being row 1) or `events[0]`."""
    start: tuple[tuple[str, str], ...]
    """(column or JSON path, text) for the year, month and day."""
    end: tuple[tuple[str, str], ...] = ()
    """The same for the end date; empty when there is none."""
    headline: str = ""
    text: str = ""
    """HTML, as TimelineJS takes it."""
    group: str = ""
    leftovers: tuple[tuple[str, str], ...] = ()
    """(what, value) of every non-empty field an event has no place for: media, background, times…"""

    @property
    def label(self) -> str:
        """How the report names the slide: `women.csv:7: row 6 (The First Computer)`."""
        return _label(f"{self.location}: {self.where}", self.headline)

    def error(self, message: str) -> str:
        """`women.csv:7: error: row 6 (The First Computer): Month: …`."""
        return f"{_label(f'{self.location}: error: {self.where}', self.headline)}: {message}"


# The spreadsheet template's columns (header names compared without case or extra spaces).
_COLUMNS = (
    "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date",
    "headline", "text", "media", "media credit", "media caption", "media thumbnail", "alt text",
    "type", "group", "tag", "background",
)  # fmt: skip
_CSV_LEFTOVERS = (
    ("time", "time of day"), ("end time", "end time of day"), ("display date", "display date"),
    ("media", "media"), ("media credit", "media credit"), ("media caption", "media caption"),
    ("media thumbnail", "media thumbnail"), ("alt text", "media alt text"), ("background", "background"),
)  # fmt: skip


def read_csv(text: str, name: str) -> tuple[list[Slide], list[Note]]:
    """The event rows of a TimelineJS spreadsheet exported as CSV, and report lines for what is not an event."""
    first_line = text.split("\n", 1)[0]
    # Google Sheets exports commas; a spreadsheet saved in some locales uses ; or tabs.
    delimiter = next(
        (d for d in ",;\t" if "year" in {_header(c) for c in next(csv.reader([first_line], delimiter=d), [])}), ","
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            rows.append((start, row))
    except csv.Error as exc:
        reason = "a quoted cell is never closed" if "end of data" in str(exc) else str(exc)
        raise TimelineJSError([f"{name}:{start}: error: malformed CSV in row {len(rows) + 1}: {reason}"]) from None
    if not rows:
        raise TimelineJSError([f"{name}: error: the file is empty; export the TimelineJS spreadsheet as CSV"])
    columns, notes = _columns(rows[0][1], name)
    slides, title_seen = [], False
    for number, (line, row) in enumerate(rows[1:], start=2):
        cells = {key: row[index].strip() if index < len(row) else "" for key, index in columns.items()}
        if not any(cell.strip() for cell in row):
            continue  # a blank row: TimelineJS skips it too
        where = f"row {number}"
        label = _label(f"{name}:{line}: {where}", cells.get("headline", ""))
        extra = [cell.strip() for cell in row[len(rows[0][1]) :] if cell.strip()]
        if extra:
            notes.append(
                (number, f"{label}: cells right of the last column not imported: {_shorten(' | '.join(extra))}")
            )
        kind = cells.get("type", "").lower()
        if kind == "title" and not title_seen:  # as in TimelineJS: later title rows are events
            title_seen = True
            notes.append((number, f"{label}: {_TITLE_NOTE}"))
        elif kind == "era":
            notes.append((number, f"{label}: {_ERA_NOTE}"))
        elif not cells.get("year"):
            notes.append((number, f"{label}: not imported: no Year (TimelineJS does not show it either)"))
        else:
            slides.append(
                Slide(
                    order=number,
                    location=f"{name}:{line}",
                    where=where,
                    start=tuple((column, cells.get(column.lower(), "")) for column in ("Year", "Month", "Day")),
                    end=tuple(
                        (column, cells.get(column.lower(), "")) for column in ("End Year", "End Month", "End Day")
                    )
                    if cells.get("end year")
                    else (),
                    headline=cells.get("headline", ""),
                    text=cells.get("text", ""),
                    group=cells.get("group") or cells.get("tag", ""),
                    leftovers=tuple((what, cells[key]) for key, what in _CSV_LEFTOVERS if cells.get(key)),
                )
            )
            if not cells.get("end year") and (cells.get("end month") or cells.get("end day")):
                notes.append((number, f"{label}: end date not imported: End Month or End Day without an End Year"))
    return slides, notes


def _header(cell: str) -> str:
    return " ".join(cell.replace("_", " ").split()).lower()


def _columns(header: list[str], name: str) -> tuple[dict[str, int], list[Note]]:
    columns: dict[str, int] = {}
    notes, problems = [], []
    for index, cell in enumerate(header):
        key = _header(cell.lstrip("\ufeff"))
        if not key:
            continue
        if key in columns:
            problems.append(
                f"{name}:1: error: the column {cell.strip()!r} appears twice (columns {columns[key] + 1} and {index + 1})"
            )
        elif key in _COLUMNS:
            columns[key] = index
        else:
            notes.append((1, f"{name}:1: column {cell.strip()!r} is not a TimelineJS column: not imported"))
    missing = [label for label in ("Year", "Headline") if label.lower() not in columns]
    if missing:
        found = ", ".join(cell.strip() for cell in header if cell.strip()) or "none"
        hint = (
            " (a TimelineJS 1 sheet with Start Date: copy its rows into the current template)"
            if "start date" in map(_header, header)
            else ""
        )
        problems.append(
            f"{name}:1: error: not a TimelineJS spreadsheet: no {' or '.join(missing)} column{hint}; "
            f"its columns are {found}, where TimelineJS's template has Year, Month, Day, Time, End Year, …, Headline, Text…"
        )
    if problems:
        raise TimelineJSError(problems)
    return columns, notes


_TITLE_NOTE = (
    "the title slide is not an event: `timeline init DIR --from FILE` makes it a new timeline's title and "
    "description; in an existing timeline they are in content/timeline.yaml"
)
_ERA_NOTE = "era not imported (eras have no place in this timeline)"
_MEDIA_FIELDS = ("url", "credit", "caption", "thumbnail", "alt", "title", "link", "link_target")
_KNOWN_SLIDE_FIELDS = {
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "background",
    "unique_id",
    "autolink",
    "type",
}


def read_title(source: Path) -> tuple[str, str] | None:
    """The title slide's headline and text (HTML, as TimelineJS holds them), or None when there is none."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if text.lstrip().startswith("{"):
        try:
            title = json.loads(text).get("title")
        except (json.JSONDecodeError, AttributeError):
            return None
        return (_text_of(title, "headline"), _text_of(title, "text")) if isinstance(title, dict) else None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return None
    headers = [_header(cell) for cell in rows[0]]
    for row in rows[1:]:
        cells = dict(zip(headers, (cell.strip() for cell in row), strict=False))
        if cells.get("type", "").lower() == "title":
            return cells.get("headline", ""), cells.get("text", "")
    return None


def read_json(text: str, name: str) -> tuple[list[Slide], list[Note]]:
    """The event slides of TimelineJS JSON, and report lines for the title slide, eras and the unknown."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TimelineJSError([f"{name}:{exc.lineno}:{exc.colno}: error: malformed JSON: {exc.msg}"]) from None
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise TimelineJSError(
            [
                f'{name}: error: not TimelineJS data: expected an object with an "events" list (https://timeline.knightlab.com/docs/json-format.html)'
            ]
        )
    problems: list[str] = []
    notes: list[Note] = []  # the title, eras and other keys first, whatever their place in the file
    slides: list[Slide] = []
    title = data.get("title")
    if isinstance(title, dict):
        notes.append((-1, f"{_label(f'{name}: title', _text_of(title, 'headline'))}: {_TITLE_NOTE}"))
    for index, era in enumerate(data.get("eras") or []):
        notes.append((-1, f"{_label(f'{name}: eras[{index}]', _text_of(era, 'headline'))}: {_ERA_NOTE}"))
    for key in sorted(set(data) - {"events", "title", "eras"}):
        notes.append((-1, f"{name}: {key}: not imported: {_shorten(json.dumps(data[key], ensure_ascii=False))}"))
    for index, event in enumerate(data["events"]):
        path = f"events[{index}]"
        if not isinstance(event, dict):
            problems.append(f"{name}: error: {path}: expected a slide object, got {_shorten(json.dumps(event))}")
            continue
        label = _label(f"{name}: {path}", _text_of(event, "headline"))
        try:
            slide = _json_slide(event, index, name)
        except TypeError as exc:
            problems.append(f"{name}: error: {exc}")
            continue
        if slide is None:
            notes.append(
                (index, f"{label}: not imported: no start_date with a year (TimelineJS does not show it either)")
            )
        else:
            slides.append(slide)
    if problems:
        raise TimelineJSError(problems)
    return slides, notes


def _json_slide(event: dict, index: int, name: str) -> Slide | None:
    """One slide, or None when it has no start date; TypeError names a value of the wrong kind."""
    path = f"events[{index}]"
    start, end = _json_object(event, "start_date", path), _json_object(event, "end_date", path)
    if not start or _json_scalar(start, "year", f"{path}.start_date") == "":
        return None
    leftovers: list[tuple[str, str]] = []
    for key, date in (("start_date", start), ("end_date", end)):
        time = ":".join(
            _json_scalar(date, part, f"{path}.{key}") for part in ("hour", "minute", "second", "millisecond")
        ).rstrip(":")
        if time.strip(":"):
            leftovers.append((f"{key.replace('_date', '')} time of day", time))
        for extra in ("display_date", "format"):
            if _json_scalar(date, extra, f"{path}.{key}"):
                leftovers.append((f"{key}.{extra}", _json_scalar(date, extra, f"{path}.{key}")))
    if _json_scalar(event, "display_date", path):
        leftovers.append(("display date", _json_scalar(event, "display_date", path)))
    media = _json_object(event, "media", path)
    for key in _MEDIA_FIELDS:
        if _json_scalar(media, key, f"{path}.media"):
            leftovers.append(("media" if key == "url" else f"media {key}", _json_scalar(media, key, f"{path}.media")))
    background = _json_object(event, "background", path)
    for key in sorted(background):
        if _json_scalar(background, key, f"{path}.background"):
            leftovers.append((f"background {key}", _json_scalar(background, key, f"{path}.background")))
    for key in ("unique_id", "autolink", "type"):
        if _json_scalar(event, key, path):
            leftovers.append((key, _json_scalar(event, key, path)))
    leftovers += [
        (key, _shorten(json.dumps(event[key], ensure_ascii=False))) for key in sorted(set(event) - _KNOWN_SLIDE_FIELDS)
    ]
    parts = ("year", "month", "day")
    end_year = _json_scalar(end, "year", f"{path}.end_date")
    text = _json_object(event, "text", path)
    return Slide(
        order=index,
        location=name,
        where=path,
        start=tuple((f"start_date.{part}", _json_scalar(start, part, f"{path}.start_date")) for part in parts),
        end=tuple((f"end_date.{part}", _json_scalar(end, part, f"{path}.end_date")) for part in parts)
        if end_year
        else (),
        headline=_json_scalar(text, "headline", f"{path}.text"),
        text=_json_scalar(text, "text", f"{path}.text"),
        group=_json_scalar(event, "group", path),
        leftovers=tuple(leftovers),
    )


def _json_object(parent: dict, key: str, path: str) -> dict:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{path}.{key}: expected an object, got {_shorten(json.dumps(value))}")
    return value


def _json_scalar(parent: dict, key: str, path: str) -> str:
    """A text or number as TimelineJS reads it ('' when absent); TypeError for lists and objects."""
    value = parent.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not isinstance(value, str):
        raise TypeError(f"{path}.{key}: expected text or a number, got {_shorten(json.dumps(value))}")
    return value.strip()


def _text_of(slide: object, key: str) -> str:
    """The slide's text.<key>, for naming it in the report; '' when there is none."""
    text = slide.get("text") if isinstance(slide, dict) else None
    value = text.get(key) if isinstance(text, dict) else None
    return value if isinstance(value, str) else ""


def _label(where: str, headline_html: str) -> str:
    """`file:3: row 3 (Ada Lovelace)`: the headline as plain text, shortened."""
    headline = _shorten(html.unescape(re.sub(r"<[^>]*>", " ", headline_html)), 40)
    return f"{where} ({headline})" if headline else where


def _shorten(value: str, limit: int = 80) -> str:
    """One line for the report: whitespace collapsed, control characters dropped, at most `limit` characters."""
    value = _CONTROL.sub("", " ".join(value.split()))
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
