"""Reading TimelineJS3's JSON and its spreadsheet CSV for `import`: slides as read, nothing mapped yet.

Reading keeps TimelineJS's own rules (ConfigFactory.js): spreadsheet columns
are found by name, a row without a year is not an event, the first `title` row
is the title slide and `era` rows are eras. A slide whose values are of the
wrong kind is reported on its own (`TimelineJSFile.errors`) and the others are
still read; only a file that cannot be read at all raises TimelineJSError.
`importer` decides what becomes of each slide.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # kept out of report lines: a terminal would act on them


class TimelineJSError(ValueError):
    """The data cannot be imported: every problem found, each a line naming the file and line or JSON path."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


Note = tuple[int, str]
"""A report line and its place in the file (row number or slide index), to list them in file order."""

Cell = tuple[str, str]
"""(column or JSON path, text as written): what a report names when the text is wrong."""


@dataclass(frozen=True)
class SlideDate:
    """A start or end date as read: year, month and day cells, a time of day, the date's own display text."""

    parts: tuple[Cell, Cell, Cell]
    time: Cell | None = None
    """`10:30 PM` (a spreadsheet's Time) or `14:30:05.250` (JSON's hour, minute, second and millisecond)."""
    display: str = ""
    """JSON's start_date.display_date: TimelineJS shows it instead of the date."""


@dataclass(frozen=True)
class SlideMedia:
    """A slide's media as read; credit and caption are HTML."""

    url: str
    credit: str = ""
    caption: str = ""
    thumbnail: str = ""
    alt: str = ""
    title: str = ""
    link: str = ""


@dataclass(frozen=True)
class Slide:
    """One TimelineJS slide (an event, the title slide or an era) as read: its cells or JSON values."""

    order: int
    """Its place in the file, for sorting report lines: the row number, or the index in `events`."""
    location: str
    """`women.csv:7` (the file and the row's first line) or `houston.json`."""
    where: str
    """`row 6` (a spreadsheet row, the header being row 1), `events[0]`, `eras[1]` or `title`."""
    start: SlideDate | None = None
    end: SlideDate | None = None
    display_date: str = ""
    """Shown instead of the dates (a spreadsheet's Display Date, a JSON slide's display_date)."""
    headline: str = ""
    text: str = ""
    """HTML, as TimelineJS takes it."""
    group: str = ""
    media: SlideMedia | None = None
    leftovers: tuple[tuple[str, str], ...] = ()
    """(what, value) of every non-empty field nothing here has a place for: backgrounds, autolink…"""

    @property
    def label(self) -> str:
        """How the report names the slide: `women.csv:7: row 6 (The First Computer)`."""
        return label(f"{self.location}: {self.where}", self.headline)

    def error(self, message: str) -> str:
        """`women.csv:7: error: row 6 (The First Computer): Month: …`."""
        return f"{label(f'{self.location}: error: {self.where}', self.headline)}: {message}"


@dataclass
class TimelineJSFile:
    """Everything read from one file."""

    events: list[Slide] = field(default_factory=list)
    title: Slide | None = None
    eras: list[Slide] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    """What is not a slide and is not imported (unknown columns, undated rows…)."""
    errors: list[Note] = field(default_factory=list)
    """Slides that cannot be read (a value of the wrong kind): each reported, the others still imported."""


def read_file(source: Path) -> TimelineJSFile:
    """The slides of a TimelineJS JSON or CSV file; TimelineJSError when the file as a whole cannot be read."""
    name = str(source)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise TimelineJSError([f"{name}: error: cannot read the file: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TimelineJSError(
            [f"{name}:{line}: error: the file is not UTF-8 text; export it again as UTF-8 (CSV UTF-8 in Excel)"]
        ) from None
    suffix = source.suffix.lower()
    as_json = suffix == ".json" or (suffix not in (".csv", ".tsv", ".txt") and text.lstrip().startswith(("{", "[")))
    return read_json(text, name) if as_json else read_csv(text, name)


# --- The spreadsheet, as CSV --------------------------------------------------

# The spreadsheet template's columns (header names compared without case or extra spaces).
_COLUMNS = (
    "year", "month", "day", "time", "end year", "end month", "end day", "end time", "display date",
    "headline", "text", "media", "media credit", "media caption", "media thumbnail", "alt text",
    "type", "group", "tag", "background",
)  # fmt: skip


def read_csv(text: str, name: str) -> TimelineJSFile:
    """The rows of a TimelineJS spreadsheet exported as CSV."""
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
    read = TimelineJSFile(notes=notes)
    for number, (line, row) in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank row: TimelineJS skips it too
        cells = {key: row[index].strip() if index < len(row) else "" for key, index in columns.items()}
        slide = _row_slide(cells, number, f"{name}:{line}")
        extra = [cell.strip() for cell in row[len(rows[0][1]) :] if cell.strip()]
        if extra:
            read.notes.append(
                (number, f"{slide.label}: cells right of the last column not imported: {shorten(' | '.join(extra))}")
            )
        kind = cells.get("type", "").lower()
        if kind == "title" and read.title is None:  # as in TimelineJS: later title rows are events
            read.title = slide
        elif kind == "era":
            read.eras.append(slide)
        elif slide.start is None:
            read.notes.append((number, f"{slide.label}: not imported: no Year (TimelineJS does not show it either)"))
        else:
            read.events.append(slide)
            if slide.end is None and (cells.get("end month") or cells.get("end day") or cells.get("end time")):
                read.notes.append(
                    (number, f"{slide.label}: end date not imported: End Month, Day or Time without an End Year")
                )
    return read


def _row_slide(cells: dict[str, str], number: int, location: str) -> Slide:
    def date(prefix: str) -> SlideDate | None:
        year = f"{prefix}Year".strip()
        if not cells.get(year.lower()):
            return None
        names = (year, f"{prefix}Month".strip(), f"{prefix}Day".strip())
        time = f"{prefix}Time".strip()
        return SlideDate(
            tuple((column, cells.get(column.lower(), "")) for column in names),  # type: ignore[arg-type]
            (time, cells[time.lower()]) if cells.get(time.lower()) else None,
        )

    url = cells.get("media", "")
    media = None
    if url:
        media = SlideMedia(
            url,
            credit=cells.get("media credit", ""),
            caption=cells.get("media caption", ""),
            thumbnail=cells.get("media thumbnail", ""),
            alt=cells.get("alt text", ""),
        )
    # A credit or caption without media has nothing to go with; a background has no place here.
    orphans = ("media credit", "media caption", "media thumbnail") if not url else ()
    leftovers = [(key, cells[key]) for key in (*orphans, "background") if cells.get(key)]
    return Slide(
        order=number,
        location=location,
        where=f"row {number}",
        start=date(""),
        end=date("End "),
        display_date=cells.get("display date", ""),
        headline=cells.get("headline", ""),
        text=cells.get("text", ""),
        group=cells.get("group") or cells.get("tag", ""),
        media=media,
        leftovers=tuple(leftovers),
    )


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


# --- The JSON -------------------------------------------------------------------

_KNOWN_SLIDE_FIELDS = {
    "start_date", "end_date", "text", "media", "group", "display_date", "background", "unique_id", "autolink", "type",
}  # fmt: skip
_TIME_PARTS = ("hour", "minute", "second", "millisecond")


def read_json(text: str, name: str) -> TimelineJSFile:
    """The slides of TimelineJS JSON: the title slide, the eras and the events."""
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
    read = TimelineJSFile()
    for key in sorted(set(data) - {"events", "title", "eras", "scale"}):
        read.notes.append((-1, f"{name}: {key}: not imported: {shorten(json.dumps(data[key], ensure_ascii=False))}"))
    if data.get("scale") not in (None, "human"):
        read.notes.append((-1, f"{name}: scale: not imported: {shorten(json.dumps(data['scale']))} (years are human)"))
    slides = [("title", -1, data.get("title"))] if data.get("title") is not None else []
    eras = data.get("eras") or []
    if not isinstance(eras, list):
        read.errors.append((-1, f"{name}: error: eras: expected a list, got {shorten(json.dumps(eras))}"))
        eras = []
    slides += [(f"eras[{index}]", -1, era) for index, era in enumerate(eras)]
    slides += [(f"events[{index}]", index, event) for index, event in enumerate(data["events"])]
    for path, order, value in slides:
        if not isinstance(value, dict):
            read.errors.append(
                (order, f"{name}: error: {path}: expected a slide object, got {shorten(json.dumps(value))}")
            )
            continue
        try:
            slide = _json_slide(value, order, name, path)
        except TypeError as exc:
            read.errors.append((order, f"{label(f'{name}: error: {path}', _text_of(value))}: {exc}"))
            continue
        if path == "title":
            read.title = slide
        elif path.startswith("eras"):
            read.eras.append(slide)
        elif slide.start is None:
            read.notes.append(
                (order, f"{slide.label}: not imported: no start_date with a year (TimelineJS does not show it either)")
            )
        else:
            read.events.append(slide)
    return read


def _json_slide(event: dict, order: int, name: str, path: str) -> Slide:
    """One slide; TypeError names a value of the wrong kind."""
    leftovers: list[tuple[str, str]] = []

    def date(key: str) -> SlideDate | None:
        value = _json_object(event, key)
        if not value or _json_scalar(value, "year", key) == "":
            return None
        time = None
        parts = [_json_scalar(value, part, key) for part in _TIME_PARTS]
        if any(parts):
            hour, minute, second, millisecond = parts
            written = f"{hour or 0}:{minute or 0}" + (f":{second or 0}" if second or millisecond else "")
            time = (f"{key}.hour", written + (f".{int(millisecond):03d}" if millisecond.isdigit() else ""))
        if _json_scalar(value, "format", key):
            leftovers.append((f"{key}.format", _json_scalar(value, "format", key)))
        cells = tuple((f"{key}.{part}", _json_scalar(value, part, key)) for part in ("year", "month", "day"))
        return SlideDate(cells, time, _json_scalar(value, "display_date", key))  # type: ignore[arg-type]

    start, end = date("start_date"), date("end_date")
    media_data = _json_object(event, "media")
    media = None
    if _json_scalar(media_data, "url", "media"):
        media = SlideMedia(
            **{
                key: _json_scalar(media_data, key, "media")
                for key in ("url", "credit", "caption", "thumbnail", "alt", "title", "link")
            }
        )
    background = _json_object(event, "background")
    for key in sorted(background):
        if _json_scalar(background, key, "background"):
            leftovers.append((f"background {key}", _json_scalar(background, key, "background")))
    for key in ("unique_id", "autolink"):
        if _json_scalar(event, key, ""):
            leftovers.append((key, _json_scalar(event, key, "")))
    leftovers += [
        (key, shorten(json.dumps(event[key], ensure_ascii=False))) for key in sorted(set(event) - _KNOWN_SLIDE_FIELDS)
    ]
    text = _json_object(event, "text")
    return Slide(
        order=order,
        location=name,
        where=path,
        start=start,
        end=end,
        display_date=_json_scalar(event, "display_date", ""),
        headline=_json_scalar(text, "headline", "text"),
        text=_json_scalar(text, "text", "text"),
        group=_json_scalar(event, "group", ""),
        media=media,
        leftovers=tuple(leftovers),
    )


def _json_object(parent: dict, key: str) -> dict:
    value = parent.get(key)
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{key}: expected an object, got {shorten(json.dumps(value))}")
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
        where = f"{path}.{key}" if path else key
        raise TypeError(f"{where}: expected text or a number, got {shorten(json.dumps(value))}")
    return value.strip()


def _text_of(slide: dict) -> str:
    """The slide's text.headline, for naming it in the report; '' when there is none."""
    text = slide.get("text")
    value = text.get("headline") if isinstance(text, dict) else None
    return value if isinstance(value, str) else ""


def label(where: str, headline_html: str) -> str:
    """`file:3: row 3 (Ada Lovelace)`: the headline as plain text, shortened."""
    headline = shorten(html.unescape(re.sub(r"<[^>]*>", " ", headline_html)), 40)
    return f"{where} ({headline})" if headline else where


def shorten(value: str, limit: int = 80) -> str:
    """One line for the report: whitespace collapsed, control characters dropped, at most `limit` characters."""
    value = _CONTROL.sub("", " ".join(value.split()))
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def fit(text: str, limit: int, what: str, notes: list[str]) -> str:
    """`text` cut at a word to at most `limit` characters (what the schema allows), the cut reported."""
    if len(text) <= limit:
        return text
    notes.append(f"{what} shortened to {limit} characters: {shorten(text)}")
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
