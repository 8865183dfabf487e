"""`import`: a TimelineJS3 timeline (its JSON, or its spreadsheet as CSV) as one event file per slide.

Each slide is mapped on its own: a slide that cannot be (an impossible date, a
value of the wrong kind) is reported with its row or JSON path and the field,
and the others are written. Only a file that cannot be read at all writes
nothing. An event file that already exists is never overwritten.

What each slide becomes: its dates (years before the common era as -0500, a
time of day with the zone given by --timezone, since TimelineJS's times carry
none), its display date, its place among slides of the same date (`order`),
its headline and its text as Markdown (links become the event's sources,
cited after the link), its media as a media item (a remote address stays a
reference: `timeline fetch-media` fetches it), and its group. The title
slide's text and media, the eras and the groups go into timeline.yaml, where
it does not have them already. What has no place (backgrounds, thumbnails)
is reported and kept as a comment in the event file.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from timeline.dates import InvalidDate, PartialDate
from timeline.htmltext import CONTROL, to_inline_markdown, to_markdown, to_plain, wrap
from timeline.schema import EVENT_SCHEMA, modeline, url_problem
from timeline.slugs import slugify
from timeline.timelinejs_reader import Note, Slide, SlideDate, SlideMedia, read_file, shorten


@dataclass(frozen=True)
class ImportOptions:
    timezone: str | None = None
    """Where the slides' times of day were written: an IANA zone (Europe/Paris), UTC, or an offset (+01:00)."""
    media_base: str | None = None
    """The address the timeline was published at, against which media paths like /img/x.jpg are read."""


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Event files that already existed: not overwritten."""
    notes: list[str] = field(default_factory=list)
    """One line each: what could not be imported, and what is left to fill in."""
    failed: int = 0
    """Slides that could not be imported, each reported in `notes`."""
    incomplete: int = 0
    """Written files that `check` rejects until a source, summary, title or alt text is filled in."""
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
        if self.failed:
            parts.append(f"{self.failed} slide{'s' if self.failed != 1 else ''} not imported (see above)")
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
    date: str
    """As the event file writes it: `2020-07-09`, `-0500`, `2020-07-09T14:30+01:00`."""
    end_date: str | None
    title: str
    markdown: str
    """The summary, citations written in."""
    sources: tuple[_Source, ...]
    media: tuple[dict, ...]
    display_date: str
    group: str | None
    notes: tuple[str, ...]
    comments: tuple[str, ...]
    """Lines kept as comments at the top of the file: what has no place in it."""
    order: int = 0
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """A TimelineJS file read and mapped, before anything is written."""

    drafts: list[_Draft]
    notes: list[Note]
    failed: int
    title: tuple[str, str] | None
    """The title slide's headline and a plain-text description, when it has a headline."""
    settings: dict
    """What timeline.yaml gets where it lacks it: `intro`, `media`, `eras`, `groups`."""


def prepare_import(source: Path, options: ImportOptions | None = None) -> Prepared:
    """Read `source` and map every slide; TimelineJSError only when the file as a whole cannot be read."""
    options = options or ImportOptions()
    read = read_file(source)
    notes: list[Note] = list(read.notes) + list(read.errors)
    failed = len(read.errors)
    drafts: list[_Draft] = []
    groups: dict[str, str] = {}  # label → key, in the order of first use
    for slide in read.events:
        try:
            draft = _draft(slide, options)
        except InvalidDate as exc:
            notes.append((slide.order, slide.error(str(exc))))
            failed += 1
            continue
        if slide.group:
            label = _fit(to_plain(slide.group), 80, "group", [])
            key = groups.setdefault(label, _unique(slugify(label, limit=40) or "group", set(groups.values())))
            draft = replace(draft, group=key)
        drafts.append(draft)
    drafts = _ordered(drafts)
    settings: dict = {}
    title = None
    if read.title is not None:
        headline = to_plain(read.title.headline)
        intro = to_markdown(read.title.text, lambda label, url: "" if not url_problem(url) else None)
        description = to_plain(read.title.text)
        if len(description) > 300:
            description = description[:299].rsplit(" ", 1)[0] + "…"
        if intro:
            settings["intro"] = intro
        media, media_notes = _media(read.title.media, options)
        if media:
            settings["media"] = media
        notes += [(-1, f"{read.title.label}: {note}") for note in media_notes]
        notes += [
            (-1, f"{read.title.label}: {what} not imported: {shorten(value)}") for what, value in read.title.leftovers
        ]
        title = (headline, description) if headline else None
    eras = []
    for era in read.eras:
        try:
            eras.append(_era(era))
        except InvalidDate as exc:
            notes.append((era.order, era.error(str(exc))))
            failed += 1
    if eras:
        settings["eras"] = eras
    if groups:
        settings["groups"] = [{"key": key, "label": label} for label, key in groups.items()]
    return Prepared(drafts, notes, failed, title, settings)


def import_timelinejs(
    source: Path, content_dir: Path, prepared: Prepared | None = None, options: ImportOptions | None = None
) -> ImportReport:
    """Write content_dir/events/<date>-<slug>.yaml for every event slide of `source`, and add to timeline.yaml."""
    prepared = _with_known_groups(prepared or prepare_import(source, options), content_dir / "timeline.yaml")
    notes = list(prepared.notes)
    report = ImportReport(failed=prepared.failed)
    events_dir = content_dir / "events"
    schema = modeline(EVENT_SCHEMA, 2)
    taken: set[str] = set()
    for draft in prepared.drafts:
        path = events_dir / f"{_unique(_file_name(draft), taken)}.yaml"
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
        if draft.missing:
            report.incomplete += 1
            notes.append(
                (order, f"{label}: fill in {_joined(list(draft.missing))} in {path}; `timeline check` fails until then")
            )
    if report.failure is None and prepared.settings:
        notes += [(-1, line) for line in _add_settings(content_dir / "timeline.yaml", prepared, source.name)]
    report.notes = [line for _, line in sorted(notes, key=lambda note: note[0])]  # in file order; stable within a slide
    return report


def _with_known_groups(prepared: Prepared, settings_path: Path) -> Prepared:
    """Groups timeline.yaml declares already, matched by label: their keys are used, not new ones."""
    try:
        declared = (yaml.safe_load(settings_path.read_text(encoding="utf-8")) or {}).get("groups") or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
        return prepared
    known = {
        str(group["label"]).casefold(): group["key"]
        for group in declared
        if isinstance(group, dict) and "label" in group and "key" in group
    }
    ours = {
        group["key"]: known.get(group["label"].casefold(), group["key"])
        for group in prepared.settings.get("groups", ())
    }
    if all(key == theirs for key, theirs in ours.items()):
        return prepared
    drafts = [replace(draft, group=ours[draft.group]) if draft.group else draft for draft in prepared.drafts]
    groups = [{**group, "key": ours[group["key"]]} for group in prepared.settings["groups"]]
    return replace(prepared, drafts=drafts, settings={**prepared.settings, "groups": groups})


# --- One slide -------------------------------------------------------------------


def _draft(slide: Slide, options: ImportOptions) -> _Draft:
    """Map one slide; raise InvalidDate naming the cell when its dates cannot be written."""
    notes: list[str] = []
    date = _date(slide.start, options, notes)
    end_date = _date(slide.end, options, notes) if slide.end else None
    if end_date is not None and _last(end_date) < _first(date):
        raise InvalidDate(f"the end {end_date} is before the start {date}")
    comments = [f"{what}: {_comment(value)}" for what, value in slide.leftovers]
    notes += [f"{what} not imported: {shorten(value)}" for what, value in slide.leftovers]
    display = to_plain(slide.display_date)
    if not display and slide.start and slide.start.display:
        display = to_plain(slide.start.display)
        end_display = to_plain(slide.end.display) if slide.end else ""
        if end_display:
            display = f"{display} – {end_display}"
        elif slide.end:
            notes.append(
                "start_date.display_date is shown instead of both dates: the end date is no longer in its text"
            )
    elif slide.end and slide.end.display and not display:
        notes.append(f"end_date.display_date not imported without a start one: {shorten(slide.end.display)}")
    display = _fit(display, 100, "display date", notes)
    title = to_plain(slide.headline)
    sources: dict[str, _Source] = {}
    keys: set[str] = set()

    def cite(label: str, url: str) -> str | None:
        problem = url_problem(url) if re.match(r"https?://", url) else "is not an http or https address"
        if not problem and CONTROL.search(url):
            problem = "contains control characters"
        if problem:
            notes.append(f"link not made a source: {shorten(url)} {problem}")
            return None
        if url not in sources:
            key = _unique(slugify(label, limit=40) or "source", keys)
            host = urlsplit(url).hostname or ""
            sources[url] = _Source(key, label or url, host.removeprefix("www."), url)
        return sources[url].key

    markdown = to_markdown(slide.text, cite)
    media, media_notes = _media(slide.media, options)
    notes += media_notes
    if slide.media and not media:
        comments.append(f"media: {_comment(slide.media.url)}")
    for when, date_ in (("start", slide.start), ("end", slide.end)):
        if date_ is not None and date_.time is not None and "T" not in ((end_date if when == "end" else date) or ""):
            comments.append(f"{when} time of day: {_comment(date_.time[1])}")
    comments += [f"media thumbnail: {_comment(slide.media.thumbnail)}"] if slide.media and slide.media.thumbnail else []
    missing = [
        name
        for name, empty in (("a title", not title), ("a summary", not markdown), ("a source", not sources))
        if empty
    ]
    if any(item.get("kind") == "image" and not item.get("alt") for item in media):
        missing.append("the picture's alt text")
    return _Draft(
        slide, date, end_date, title, markdown, tuple(sources.values()), tuple(media), display, None,
        tuple(notes), tuple(comments), missing=tuple(missing),
    )  # fmt: skip


def _ordered(drafts: list[_Draft]) -> list[_Draft]:
    """Slides of the same date keep the file's order (TimelineJS's too): `order` 1, 2, 3… among them."""
    counts: dict[str, int] = {}
    for draft in drafts:
        counts[draft.date] = counts.get(draft.date, 0) + 1
    seen: dict[str, int] = {}
    ordered = []
    for draft in drafts:
        if counts[draft.date] > 1:
            seen[draft.date] = seen.get(draft.date, 0) + 1
            draft = replace(draft, order=seen[draft.date])
        ordered.append(draft)
    return ordered


# --- Dates and times -----------------------------------------------------------


def _date(date: SlideDate, options: ImportOptions, notes: list[str]) -> str:
    """The date as an event file writes it, checked; a time of day only with a day and a zone."""
    (year_name, year), (month_name, month), (day_name, day) = date.parts
    if not year:
        raise InvalidDate(f"{year_name}: a date needs at least a year")
    if day and not month:
        raise InvalidDate(f"{day_name}: a day ({day}) without a month; write the month too, or leave the day empty")
    number = _year(year_name, year)
    parts = [f"{'-' if number < 0 else ''}{abs(number):04d}"]
    if month:
        parts.append(f"{_month(month_name, month):02d}")
    if day:
        parts.append(f"{_whole(day_name, day, 'a day of the month'):02d}")
    text = "-".join(parts)
    if number > 0:  # the date parser checks the day exists; years before 1 are the dates module's to check
        try:
            PartialDate.parse(text)
        except InvalidDate as exc:
            raise InvalidDate(f"{day_name if day else month_name}: {exc}") from None
    elif month and day and int(parts[2]) > _days_in(number, int(parts[1])):
        raise InvalidDate(
            f"{day_name}: {text} is not a real date: that month has {_days_in(number, int(parts[1]))} days"
        )
    if date.time is None:
        return text
    time_name, written = date.time
    hour, minute, second, millisecond = _time(time_name, written)
    where = f"{time_name} {written}"
    if not day:
        notes.append(f"time of day not imported: {where} (a time needs a day, and this date has none)")
        return text
    offset = _offset(options.timezone, number, int(parts[1]), int(parts[2]), hour, minute)
    if offset is None:
        hint = (
            "TimelineJS gives no time zone: import again with --timezone (e.g. --timezone Europe/Paris, or UTC) to keep it"
            if options.timezone is None
            else f"--timezone {options.timezone} cannot place a date before year 1: give an offset like +01:00"
        )
        notes.append(f"time of day not imported: {where} ({hint})")
        return text
    if millisecond:
        notes.append(f"milliseconds not imported: {where} (a time here has at most seconds)")
    clock = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")
    return f"{text}T{clock}{offset}"


def _year(name: str, cell: str) -> int:
    negative = cell.strip().startswith("-")
    number = _whole(name, cell.strip().removeprefix("-"), "a year")
    if number == 0:
        raise InvalidDate(f"{name}: there is no year 0: 1 BC is -1, AD 1 is 1")
    if number > 9999 and not negative:
        raise InvalidDate(f"{name}: year {cell} cannot be written as YYYY (up to 9999)")
    return -number if negative else number


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


def _days_in(year: int, month: int) -> int:
    """Days in a month of a year before the common era (proleptic Gregorian; 1 BC is a leap year)."""
    astronomical = year + 1
    leap = astronomical % 4 == 0 and (astronomical % 100 != 0 or astronomical % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{1,2}))?(?::(\d{1,2})(?:[.,](\d{1,3}))?)?$")


def _time(name: str, cell: str) -> tuple[int, int, int, int]:
    """TimelineJS's times (DateUtil.parseTime): `14:30`, `2:30 PM`, `1430`, `14.30`, `14:30:05.250`."""
    text = cell.strip()
    period = re.search(r"\s*([AaPp])\.?[Mm]\.?\s*$", text)
    if period:
        text = text[: period.start()].strip()
    compact = re.fullmatch(r"(\d{1,2})(\d{2})", text)
    match = _TIME.match(f"{compact.group(1)}:{compact.group(2)}" if compact else text)
    if not match:
        raise InvalidDate(f"{name}: '{cell}' is not a time of day like 14:30 or 2:30 PM")
    hour, minute, second = (int(part or 0) for part in match.groups()[:3])
    millisecond = int((match.group(4) or "0").ljust(3, "0"))
    if period:
        if not 1 <= hour <= 12:
            raise InvalidDate(f"{name}: '{cell}' has hour {hour}, which is not 1 to 12 with AM or PM")
        hour = hour % 12 + (12 if period.group(1).lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InvalidDate(f"{name}: '{cell}' is not a time of day: hours run 0 to 23, minutes and seconds 0 to 59")
    return hour, minute, second, millisecond


def zone_offset(zone: str) -> str | None:
    """A fixed offset as an event writes it (`Z`, `+01:00`) for UTC or ±HH:MM; None for a zone name."""
    if zone.upper() in ("UTC", "Z", "GMT"):
        return "Z"
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", zone)
    if match:
        return f"{match.group(1)}{match.group(2)}:{match.group(3)}"
    return None


def _offset(zone: str | None, year: int, month: int, day: int, hour: int, minute: int) -> str | None:
    """The offset from UTC of that moment in `zone` (summer time included); None when it cannot be known."""
    if zone is None:
        return None
    fixed = zone_offset(zone)
    if fixed is not None:
        return fixed
    if year < 1:
        return None
    from zoneinfo import ZoneInfo

    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _bounds(text: str) -> tuple[tuple[int, int, int], str]:
    date, _, time = text.partition("T")
    negative = date.startswith("-")
    numbers = [int(part) for part in date.lstrip("-").split("-")]
    numbers[0] = -numbers[0] if negative else numbers[0]
    return (numbers + [0, 0])[:3], (time[:8] if time else "")  # type: ignore[return-value]


def _first(text: str) -> tuple:
    (year, month, day), time = _bounds(text)
    return (year, month or 1, day or 1, time)


def _last(text: str) -> tuple:
    (year, month, day), time = _bounds(text)
    return (year, month or 12, day or 31, time or "99")


def _era(slide: Slide) -> dict:
    """An era for timeline.yaml; InvalidDate when it has no end or its dates are wrong."""
    if slide.start is None:
        raise InvalidDate("an era needs a start date with a year")
    if slide.end is None:
        raise InvalidDate("an era needs an end date: TimelineJS does not show it either")
    ignored: list[str] = []
    start, end = (_date(replace(date, time=None), ImportOptions(), ignored) for date in (slide.start, slide.end))
    if _last(end) < _first(start):
        raise InvalidDate(f"the end {end} is before the start {start}")
    label = to_plain(slide.headline)
    if not label:
        raise InvalidDate("an era needs a headline: it is its label")
    era = {"label": _fit(label, 80, "label", []), "start": start, "end": end}
    description = _fit(to_plain(slide.text), 500, "description", [])
    if description:
        era["description"] = description
    return era


# --- Media ---------------------------------------------------------------------

# TimelineJS's media types (MediaType.js), by what a reader meets there.
_KINDS = (
    ("video", r"youtube\.com|youtu\.be|vimeo\.com|dailymotion\.com|dai\.ly|vine\.co|tiktok\.com|wistia\.|\.(mp4|webm|ogv|mov)(\?|#|$)"),
    ("audio", r"soundcloud\.com|spotify\.com|\.(mp3|wav|m4a|ogg|oga|aac|flac)(\?|#|$)"),
    ("map", r"google\.[a-z.]+/maps|maps\.google\.|openstreetmap\.org"),
    ("post", r"(twitter|x)\.com/|instagram\.com|instagr\.am|bsky\.app|facebook\.com|mastodon\.|threads\.net"),
    ("document", r"\.pdf(\?|#|$)|documentcloud\.org|docs\.google\.com|drive\.google\.com"),
    ("image", r"\.(jpe?g|png|gif|webp|svg)(\?.*)?$"),
)  # fmt: skip


def guess_kind(url: str) -> str:
    """What an address leads to, as TimelineJS would show it; a page when nothing says otherwise."""
    path = url.split("#", 1)[0] if "wikipedia.org" in url or "wikimedia.org/wiki/" in url else url
    return next((kind for kind, pattern in _KINDS if re.search(pattern, path, re.IGNORECASE)), "page")


def _media(media: SlideMedia | None, options: ImportOptions) -> tuple[list[dict], list[str]]:
    """The slide's media as media items for YAML, and report lines for what could not be kept."""
    if media is None:
        return [], []
    notes: list[str] = []
    credit = to_plain(media.credit)
    links = re.findall(r"""href\s*=\s*["']?([^"'\s>]+)""", media.credit)
    if links:
        notes.append(f"media credit's link not kept (a credit is plain text): {shorten(' '.join(links))}")
    credit = _fit(credit, 300, "media credit", notes)
    caption = to_inline_markdown(media.caption, lambda label, url: "" if not url_problem(url) else None)
    if len(caption) > 2000:  # cut Markdown would be broken Markdown: its words alone
        caption = _fit(to_plain(media.caption), 2000, "media caption", notes)
    url = media.url.strip()
    item: dict = {}
    if url.startswith("<"):
        item = _html_media(url, credit, notes)
        if not item:
            return [], notes
    else:
        address = _address(url, options, notes)
        if address is None:
            return [], notes
        item = {"url": address, "kind": guess_kind(address)}
        title = _fit(to_plain(media.title), 200, "media title", notes)
        if title:
            item["title"] = title
        if item["kind"] == "image":
            alt = to_plain(media.alt) or to_plain(media.caption)
            item["alt"] = _fit(alt, 1000, "media alt text", notes)
            if alt and not media.alt:
                notes.append("media alt text taken from its caption, as TimelineJS does: say what the picture shows")
    if credit and "quote" not in item:
        item["credit"] = credit
    if caption:
        item["caption"] = caption
    if media.thumbnail:
        notes.append(
            f"media thumbnail not imported: {shorten(media.thumbnail)} (a card's poster is a picture in the project: "
            "save it in content/media and add it as poster:)"
        )
    if media.link:
        notes.append(f"media link not imported: {shorten(media.link)}")
    return [item], notes


def _address(url: str, options: ImportOptions, notes: list[str]) -> str | None:
    """An absolute http(s) address for a media URL, or None with a note saying why not."""
    if url.startswith("//"):
        url = "https:" + url
    elif not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        if options.media_base is None:
            notes.append(
                f"media not imported: {shorten(url)} is a path on the site the timeline was published on; "
                "import again with --media-base https://that.site/ to keep it"
            )
            return None
        url = urljoin(options.media_base, url)
    problem = url_problem(url)
    if problem:
        notes.append(f"media not imported: {shorten(url)} {problem}")
        return None
    return url


def _html_media(markup: str, credit: str, notes: list[str]) -> dict:
    """TimelineJS's HTML media: a quotation, an embedded post, or a frame."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    quote = soup.find("blockquote")
    if quote is not None and "twitter-tweet" not in (quote.get("class") or []):
        cite = quote.find("cite")
        said = to_plain(cite.decode_contents()) if cite is not None else ""
        if cite is not None:
            cite.decompose()
        words = to_plain(quote.decode_contents())
        if not words:
            notes.append(f"media not imported: an empty quotation: {shorten(markup)}")
            return {}
        item = {"quote": _fit(words, 2000, "quotation", notes)}
        if credit or said:
            item["credit"] = _fit(credit or said, 300, "quotation's credit", notes)
        return item
    links = [tag.get("href", "") for tag in soup.find_all("a")] + [
        tag.get("src", "") for tag in soup.find_all("iframe")
    ]
    links = [link for link in links if link.startswith(("http://", "https://")) and not url_problem(link)]
    if links:
        notes.append(f"embedded media kept as a link card to {shorten(links[-1])}")
        item = {"url": links[-1], "kind": guess_kind(links[-1])}
        if item["kind"] == "image":
            item["kind"] = "page"
        return item
    notes.append(f"media not imported: HTML that is not a quotation or a link: {shorten(markup)}")
    return {}


# --- Writing -------------------------------------------------------------------


def _file_name(draft: _Draft) -> str:
    """`<date>-<slug>` as `new` names files; 500 BC as `0500-bc-…` (a file name never starts with -)."""
    date = draft.date.split("T")[0]
    date = f"{date[1:]}-bc" if date.startswith("-") else date
    return f"{date}-{slugify(draft.title) or 'event'}"


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`…: two slides with one date and headline get their own files."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate


def _event_yaml(draft: _Draft, origin: str, schema: str) -> str:  # schema: the whole first line
    """The event file: fields in the order `new` writes them, what has no place in it as comments."""
    slide = draft.slide
    lines = [schema, f"# Imported by `timeline import` from {_comment(origin)}, {slide.where}."]
    if draft.comments:
        lines.append("# Not imported (an event file has no place for them):")
        lines += [f"#   {comment}" for comment in draft.comments]
    lines.append(f"date: '{draft.date}'")
    if draft.end_date is not None:
        lines.append(f"end_date: '{draft.end_date}'")
    if draft.display_date:
        lines.append(f"display_date: {_quoted(draft.display_date)}")
    if draft.order:
        lines.append(f"order: {draft.order}  # among the events of this date, as in the TimelineJS file")
    lines.append(
        f"title: {_quoted(draft.title)}" + ("" if draft.title else "  # TimelineJS had no headline: write one")
    )
    if not draft.markdown:
        lines.append('summary: ""  # TimelineJS had no text: write a few sentences, citing a source as [@its-id]')
    else:
        lines += _block("summary", draft.markdown)
    if draft.group:
        lines.append(f"group: {draft.group}")
    if draft.media:
        lines.append("media:")
        lines += _media_yaml(draft.media, "  ")
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


def _block(key: str, markdown: str, indent: str = "") -> list[str]:
    """A Markdown text as a YAML block: folded when it is one paragraph, literal when it has lines of its own."""
    folded = "\n" not in markdown
    lines = wrap(markdown)
    # A block whose first line is indented needs YAML told how far the block itself is.
    header = f"{indent}{key}: {'>' if folded else '|'}{'2' if lines[0].startswith(' ') else ''}-"
    return [header] + [f"{indent}  {line}" if line else "" for line in lines]


def _media_yaml(items: tuple[dict, ...] | list[dict], indent: str) -> list[str]:
    """Media items, one key a line; an image without alt text says so."""
    lines = []
    for item in items:
        for index, (key, value) in enumerate(item.items()):
            line = f"{indent}{'- ' if index == 0 else '  '}{key}: {value if key == 'kind' else _quoted(value)}"
            if key == "alt" and not value:
                line += "  # say what the picture shows: `timeline check` fails until you do"
            lines.append(line)
    return lines


def _add_settings(path: Path, prepared: Prepared, origin: str) -> list[str]:
    """Append to timeline.yaml what it lacks of `prepared.settings`; report lines for what it already has."""
    try:
        text = path.read_text(encoding="utf-8")
        current = yaml.safe_load(text) or {}
    except OSError as exc:
        return [
            f"{path}: cannot read it ({exc.strerror or exc}): add {_joined(list(prepared.settings))} to it yourself"
        ]
    except (UnicodeDecodeError, yaml.YAMLError):
        return [f"{path}: not YAML that can be read: add {_joined(list(prepared.settings))} to it yourself"]
    notes, lines = [], []
    settings = dict(prepared.settings)
    existing_groups = {item.get("key") for item in current.get("groups") or [] if isinstance(item, dict)}
    if "groups" in settings and "groups" in current:
        missing = [group for group in settings.pop("groups") if group["key"] not in existing_groups]
        for group in missing:
            notes.append(
                f"{path}: its groups lack {group['key']!r}: add `- {{key: {group['key']}, label: {_quoted(group['label'])}}}` "
                "to them; `timeline check` fails until then"
            )
    if "intro" in settings and re.sub(r"\\(.)", r"\1", settings["intro"]) == current.get("description"):
        settings.pop("intro")  # the description says it already (`init` made it from the title slide)
    if prepared.title and current.get("title") and current["title"] != prepared.title[0]:
        notes.append(f"{path}: the title stays {current['title']!r}; {origin}'s title slide says {prepared.title[0]!r}")
    for key in ("intro", "media", "eras"):
        if key in settings and key in current:
            notes.append(f"{path}: already has {key}: the ones of {origin} are not added")
            settings.pop(key)
    if not settings:
        return notes
    lines += ["", f"# Imported by `timeline import` from {_comment(origin)}."]
    if "intro" in settings:
        lines.append("# The title slide's text, shown under the title.")
        lines += _block("intro", settings["intro"])
    if "media" in settings:
        lines.append("# The title slide's media.")
        lines.append("media:")
        lines += _media_yaml(settings["media"], "  ")
    if "eras" in settings:
        lines.append("# Named periods, drawn as bands on the overview.")
        lines.append("eras:")
        for era in settings["eras"]:
            lines += [f"  - label: {_quoted(era['label'])}", f"    start: '{era['start']}'", f"    end: '{era['end']}'"]
            if "description" in era:
                lines.append(f"    description: {_quoted(era['description'])}")
    if "groups" in settings:
        lines.append("# The lanes events belong to (an event's `group`).")
        lines.append("groups:")
        for group in settings["groups"]:
            lines += [f"  - key: {group['key']}", f"    label: {_quoted(group['label'])}"]
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(("" if text.endswith("\n") else "\n") + "\n".join(lines) + "\n")
    except OSError as exc:
        return [*notes, f"{path}: cannot add the title slide, eras and groups: {exc.strerror or exc}"]
    return [*notes, f"{path}: added {_joined(list(settings))} from {origin}"]


def _fit(text: str, limit: int, what: str, notes: list[str]) -> str:
    """`text` cut at a word to at most `limit` characters (what the schema allows), the cut reported."""
    if len(text) <= limit:
        return text
    notes.append(f"{what} shortened to {limit} characters: {shorten(text)}")
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), as `new` writes titles."""
    return json.dumps(CONTROL.sub(" ", text), ensure_ascii=False)


def _comment(value: str) -> str:
    """One line of text that YAML and a terminal can take."""
    return " ".join(CONTROL.sub(" ", value).split())


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
