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

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from timeline.dates import InvalidDate, PartialDate
from timeline.htmltext import CONTROL, to_markdown, to_plain, wrap
from timeline.report import count_of
from timeline.schema import EVENT_SCHEMA, modeline, url_problem
from timeline.slugs import slugify
from timeline.timelinejs_dates import slide_date
from timeline.timelinejs_media import media_items
from timeline.timelinejs_reader import Note, Slide, fit, read_file, shorten


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
        parts = [f"{count_of(count, 'event file')} written into {events_dir}"]
        if self.incomplete:
            parts.append(
                f"{self.incomplete} need{'s' if self.incomplete == 1 else ''} filling in before `timeline check` passes"
            )
        if self.failed:
            parts.append(f"{count_of(self.failed, 'slide')} not imported (see above)")
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
            label = fit(to_plain(slide.group), 80, "group", [])
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
        media, media_notes = media_items(read.title.media, options.media_base)
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
    date = slide_date(slide.start, options.timezone, notes)
    end_date = slide_date(slide.end, options.timezone, notes) if slide.end else None
    if end_date is not None and PartialDate.parse(end_date).ends_before(PartialDate.parse(date)):
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
    display = fit(display, 100, "display date", notes)
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
    media, media_notes = media_items(slide.media, options.media_base)
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


def _era(slide: Slide) -> dict:
    """An era for timeline.yaml; InvalidDate when it has no end or its dates are wrong."""
    if slide.start is None:
        raise InvalidDate("an era needs a start date with a year")
    if slide.end is None:
        raise InvalidDate("an era needs an end date: TimelineJS does not show it either")
    ignored: list[str] = []
    start, end = (slide_date(replace(date, time=None), None, ignored) for date in (slide.start, slide.end))
    if PartialDate.parse(end).ends_before(PartialDate.parse(start)):
        raise InvalidDate(f"the end {end} is before the start {start}")
    label = to_plain(slide.headline)
    if not label:
        raise InvalidDate("an era needs a headline: it is its label")
    era = {"label": fit(label, 80, "label", []), "start": start, "end": end}
    description = fit(to_plain(slide.text), 500, "description", [])
    if description:
        era["description"] = description
    return era


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


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), as `new` writes titles."""
    return json.dumps(CONTROL.sub(" ", text), ensure_ascii=False)


def _comment(value: str) -> str:
    """One line of text that YAML and a terminal can take."""
    return " ".join(CONTROL.sub(" ", value).split())


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
