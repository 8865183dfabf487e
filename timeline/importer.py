"""`import`: a TimelineJS3 timeline (its JSON, or its spreadsheet as CSV) as one event file per slide.

Everything is read and checked before anything is written: a malformed file
or a row with an impossible date writes nothing. An event file that already
exists is never overwritten; it is reported and skipped, and the others are
written. What an event file has no place for (media, backgrounds, eras, the
title slide, times of day, display dates) is reported, row by row, and kept as
comments in the file; a TimelineJS group becomes a comment too, since tags must
come from the timeline's vocabulary.

Links in a slide's text become the event's sources (title: the link's text,
publisher: the site's host name), cited after the link. A slide without links
gets an empty source to fill in: until it is, `check` fails, as it should.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from timeline.dates import InvalidDate, PartialDate
from timeline.schema import EVENT_SCHEMA, modeline, url_problem
from timeline.slugs import slugify
from timeline.timelinejs import Note, Slide, TimelineJSError, read_csv, read_json, read_title

_WIDTH = 76
_KEEP = "\x00"  # a space that wrapping must not break: _CONTROL has removed every \x00 from the text


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Event files that already existed: not overwritten."""
    notes: list[str] = field(default_factory=list)
    """One line each: what could not be imported, and what is left to fill in."""
    incomplete: int = 0
    """Written files that `check` rejects until a source, summary or title is filled in."""
    failure: str | None = None
    """Why writing stopped part-way (a full disk, a read-only folder); None when it did not."""

    def summary(self, events_dir: Path) -> str:
        """`12 event files written into content/events; 9 need filling in before `timeline check` passes`."""
        count = len(self.written)
        parts = [f"{count} event file{'s' if count != 1 else ''} written into {events_dir}"]
        if self.incomplete:
            parts.append(
                f"{self.incomplete} need{'s' if self.incomplete == 1 else ''} filling in before `timeline check` passes"
            )
        if self.skipped:
            parts.append(
                f"{len(self.skipped)} not written because {'it exists' if len(self.skipped) == 1 else 'they exist'}"
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class _Source:
    key: str
    title: str
    publisher: str
    url: str


@dataclass(frozen=True)
class _Draft:
    """One slide as an event, not yet written."""

    slide: Slide
    date: PartialDate
    end_date: PartialDate | None
    title: str
    paragraphs: tuple[str, ...]
    """The summary's Markdown paragraphs, citations written in."""
    sources: tuple[_Source, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """A TimelineJS file read and mapped, before anything is written."""

    drafts: list[_Draft]
    notes: list[Note]
    title: tuple[str, str] | None
    """The title slide's headline and text, as plain text, when it has one."""


def prepare_import(source: Path) -> Prepared:
    """Read `source` and map every slide; raise TimelineJSError when the file or a slide's date is wrong.

    All or nothing: a rerun after the fix must not meet half an import.
    """
    slides, notes = read_slides(source)
    drafts, errors = [], []
    for slide in slides:
        try:
            drafts.append(_draft(slide))
        except InvalidDate as exc:
            errors.append(slide.error(str(exc)))
    if errors:
        raise TimelineJSError(errors)
    title = read_title(source)
    if title is not None:
        title = (_HTMLText.of(title[0]).plain(), _HTMLText.of(title[1]).plain())
    return Prepared(drafts, notes, title if title and title[0] else None)


def import_timelinejs(source: Path, content_dir: Path, prepared: Prepared | None = None) -> ImportReport:
    """Write content_dir/events/<date>-<slug>.yaml for every event slide of `source`.

    Raise TimelineJSError, writing nothing, when the file cannot be read or a
    slide's date cannot be written.
    """
    prepared = prepared or prepare_import(source)
    drafts, notes = prepared.drafts, list(prepared.notes)
    report = ImportReport()
    events_dir = content_dir / "events"
    schema = modeline(EVENT_SCHEMA, 2)
    taken: set[str] = set()
    for draft in drafts:
        path = events_dir / f"{_unique_name(draft, taken)}.yaml"
        order, label = draft.slide.order, draft.slide.label
        try:
            events_dir.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
                handle.write(_event_yaml(draft, source.name, schema))
        except FileExistsError:
            report.skipped.append(path)
            notes.append((order, f"{label}: {path} already exists: not overwritten"))
            continue
        except OSError as exc:
            report.failure = f"cannot write {path}: {exc.strerror or exc}"
            break
        report.written.append(path)
        notes.extend((order, f"{label}: {note}") for note in draft.notes)
        missing = [
            name
            for name, empty in (
                ("a title", not draft.title),
                ("a summary", not draft.paragraphs),
                ("a source", not draft.sources),
            )
            if empty
        ]
        if missing:
            report.incomplete += 1
            notes.append((order, f"{label}: fill in {_joined(missing)} in {path}; `timeline check` fails until then"))
    report.notes = [line for _, line in sorted(notes, key=lambda note: note[0])]  # in file order; stable within a slide
    return report


def read_slides(source: Path) -> tuple[list[Slide], list[Note]]:
    """The event slides of a TimelineJS JSON or CSV file, and report lines for what is not an event."""
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


def _draft(slide: Slide) -> _Draft:
    """Map one slide; raise InvalidDate naming the cell when its date cannot be written."""
    date = _partial_date(slide.start)
    end_date = _partial_date(slide.end) if slide.end else None
    if end_date is not None and end_date.last_day < date.first_day:
        raise InvalidDate(f"the end {end_date} is before the start {date}")
    notes = [f"{what} not imported: {_shorten(value)}" for what, value in slide.leftovers]
    if slide.group:
        notes.append(
            f"group not imported (tags come from the vocabulary in timeline.yaml; kept as a comment): {_shorten(slide.group)}"
        )
    title = _HTMLText.of(slide.headline).plain()
    text = _HTMLText.of(slide.text)
    sources: dict[str, _Source] = {}
    keys: set[str] = set()

    def cite(label: str, url: str) -> str | None:
        problem = url_problem(url) if re.match(r"https?://", url) else "is not an http or https address"
        if not problem and _CONTROL.search(url):
            problem = "contains control characters"
        if problem:
            notes.append(f"link not made a source: {_shorten(url)} {problem}")
            return None
        if url not in sources:
            key = _unique(slugify(label, limit=40) or "source", keys)
            host = urlsplit(url).hostname or ""
            sources[url] = _Source(key, label or url, host.removeprefix("www."), url)
        return sources[url].key

    paragraphs = text.markdown(cite)
    return _Draft(slide, date, end_date, title, tuple(paragraphs), tuple(sources.values()), tuple(notes))


def _partial_date(cells: tuple[tuple[str, str], ...]) -> PartialDate:
    """Year, month and day cells as a date at the precision they give; never a part they lack."""
    (year_name, year), (month_name, month), (day_name, day) = cells
    if not year:
        raise InvalidDate(f"{year_name}: a date needs at least a year")
    if day and not month:
        raise InvalidDate(f"{day_name}: a day ({day}) without a month; write the month too, or leave the day empty")
    number = _year(year_name, year)
    parts = [f"{number:04d}"]
    if month:
        parts.append(f"{_month(month_name, month):02d}")
    if day:
        parts.append(f"{_whole(day_name, day, 'a day of the month'):02d}")
    try:
        return PartialDate.parse("-".join(parts))
    except InvalidDate as exc:
        raise InvalidDate(f"{day_name if day else month_name}: {exc}") from None


def _year(name: str, cell: str) -> int:
    if re.fullmatch(r"-[0-9]+", cell):
        raise InvalidDate(f"{name}: year {cell} is before year 1, which a date here cannot be (YYYY from 0001 to 9999)")
    number = _whole(name, cell, "a year")
    if not 1 <= number <= 9999:
        raise InvalidDate(f"{name}: year {cell} cannot be written as YYYY (0001 to 9999)")
    return number


def _month(name: str, cell: str) -> int:
    from dateutil.parser import parserinfo  # only to read month names: July, Jul, Sept

    number = parserinfo().month(cell) if not cell.isdigit() else None
    number = number or _whole(name, cell, "a month from 1 to 12 (or its name)")
    if not 1 <= number <= 12:
        raise InvalidDate(f"{name}: '{cell}' is not a month from 1 to 12")
    return number


def _whole(name: str, cell: str, expected: str) -> int:
    """A spreadsheet's number: '07', ' 2020 ', '2,020' or '2020.0' (as TimelineJS itself reads them)."""
    cleaned = re.sub(r"[\s,]", "", cell)
    match = re.fullmatch(r"([0-9]+)(?:\.0*)?", cleaned)
    if not match:
        raise InvalidDate(f"{name}: '{cell}' is not {expected}")
    return int(match.group(1))


def _unique_name(draft: _Draft, taken: set[str]) -> str:
    """`<date>-<slug>` as `new` names files; two slides with one date and headline get -2, -3…"""
    return _unique(f"{draft.date.iso}-{slugify(draft.title) or 'event'}", taken)


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate


def _event_yaml(draft: _Draft, origin: str, schema: str) -> str:  # schema: the whole first line
    """The event file: fields in the order `new` writes them, left-over TimelineJS fields as comments."""
    slide = draft.slide
    lines = [
        schema,
        f"# Imported by `timeline import` from {_comment(origin)}, {slide.where}.",
    ]
    if slide.leftovers:
        lines.append("# Not imported (an event file has no place for them):")
        lines += [f"#   {what}: {_comment(value)}" for what, value in slide.leftovers]
    if slide.group:
        lines.append(
            f"# TimelineJS group: {_comment(slide.group)} (to tag the event, use keys from content/timeline.yaml)"
        )
    lines.append(f"date: '{draft.date.iso}'")
    if draft.end_date is not None:
        lines.append(f"end_date: '{draft.end_date.iso}'")
    lines.append(
        f"title: {_quoted(draft.title)}" + ("" if draft.title else "  # TimelineJS had no headline: write one")
    )
    if not draft.paragraphs:
        lines.append('summary: ""  # TimelineJS had no text: write a few sentences, citing a source as [@its-id]')
    else:  # one paragraph folds like the shipped events; several keep their blank lines
        lines.append("summary: >-" if len(draft.paragraphs) == 1 else "summary: |-")
        for index, paragraph in enumerate(draft.paragraphs):
            lines += ([""] if index else []) + [f"  {line}" for line in _wrap(paragraph)]
    lines.append("sources:")
    if not draft.sources:
        lines += [
            "  # TimelineJS gave no source: fill this in and cite it in the summary as [@source].",
            "  # `timeline check` fails until you do.",
            "  - id: source",
            '    title: ""',
            '    publisher: ""',
            '    url: ""',
        ]
    for source in draft.sources:
        lines += [
            f"  - id: {source.key}",
            f"    title: {_quoted(source.title)}",
            f"    publisher: {_quoted(source.publisher)}",
            f"    url: {_quoted(source.url)}",
        ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), as `new` writes titles."""
    return json.dumps(text, ensure_ascii=False)


def _comment(value: str) -> str:
    """One line of text that YAML and a terminal can take."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _shorten(value: str, limit: int = 80) -> str:
    value = _comment(value)
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# A word that would change what a Markdown line means if it began one: a
# heading, list item, thematic break or setext underline.
_LINE_START = re.compile(r"#{1,6}|[-+*]|[0-9]{1,9}[.)]|[-=_*]{2,}")


def _wrap(paragraph: str) -> list[str]:
    """Lines of about _WIDTH characters; a word that Markdown would read as block syntax at a line's start stays on the line before."""
    lines: list[str] = []
    for word in paragraph.split(" "):
        if lines and (len(lines[-1]) + 1 + len(word) <= _WIDTH or _LINE_START.fullmatch(word)):
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [line.replace(_KEEP, " ") for line in lines]


# Tags that end a paragraph, and tags whose content is not text.
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "td", "th", "tr", "ul",
}  # fmt: skip
_HIDDEN = {"script", "style", "template", "iframe", "object", "svg"}
# What YAML cannot hold (control characters, lone surrogates) and what a
# terminal should not be sent; whitespace among them becomes a space.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
# Marks that would make plain text Markdown: emphasis, code, links, raw HTML, entities.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>]|~(?=~)|(?<=~)~|&(?=#?[0-9A-Za-z]+;)")


class _HTMLText(HTMLParser):
    """A slide's HTML as paragraphs of text and links; every other tag is dropped and entities decoded.

    The standard library's tokenizer does the parsing; nothing is rendered, so
    no markup from the file can reach a page except as escaped text.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[tuple[str, str | None]]] = [[]]
        """Each paragraph's pieces of text, with the address of the link they are in."""
        self._href: str | None = None
        self._hidden = 0

    @classmethod
    def of(cls, html: str) -> _HTMLText:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a":
            self._href = (dict(attrs).get("href") or "").strip() or None

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self._break()
        elif tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.paragraphs[-1].append((data, self._href))

    def _break(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def plain(self) -> str:
        """All the text on one line, as a title."""
        return _comment(" ".join(text for paragraph in self.paragraphs for text, _ in paragraph))

    def markdown(self, cite: Callable[[str, str], str | None]) -> list[str]:
        """Markdown paragraphs: text escaped, links kept as [text](url) followed by the [@key] that `cite(text, url)` returns."""
        paragraphs = []
        for pieces in self.paragraphs:
            out, index = [], 0
            while index < len(pieces):
                text, href = pieces[index]
                index += 1
                if href is None:
                    out.append(_escape(_CONTROL.sub(" ", text)))
                    continue
                while index < len(pieces) and pieces[index][1] == href:  # one link, split by <b> or the like
                    text += pieces[index][0]
                    index += 1
                url = href.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E")
                label = _comment(text)
                key = cite(label, url)
                spaced = " " if text[:1].isspace() else ""
                if key is None:
                    out.append(spaced + _escape(label))
                else:
                    destination = f"<{url}>" if "(" in url or ")" in url else url
                    # _KEEP holds the link's words together when the summary is wrapped.
                    out.append(f"{spaced}[{_escape(label or url).replace(' ', _KEEP)}]({destination}) [@{key}]")
                out.append(" " if text[-1:].isspace() else "")
            paragraph = " ".join("".join(out).split())
            if paragraph:
                paragraphs.append(_escape_start(paragraph))
        return paragraphs


def _escape(text: str) -> str:
    return _MARKDOWN.sub(lambda mark: "\\" + mark.group(0), text)


def _escape_start(paragraph: str) -> str:
    """Escape a first word that Markdown would read as a heading, list item or rule: `1952\\.`, `\\-`."""
    first, _, rest = paragraph.partition(" ")
    if not _LINE_START.fullmatch(first):
        return paragraph
    first = first[:-1] + "\\" + first[-1] if first[0].isdigit() else "\\" + first
    return f"{first} {rest}" if rest else first
