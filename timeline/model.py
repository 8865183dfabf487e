"""Model stage: checked data becomes immutable Event and Timeline objects.

Construction only: every file reaching here passed the validate stage, so
nothing is checked again and nothing can fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from timeline.citations import reading_order
from timeline.dates import PartialDate
from timeline.fields import Field, field_value


@dataclass(frozen=True)
class Tag:
    key: str
    """Used in event files and in the tag page's URL."""
    label: str
    """What readers see."""
    description: str = ""


@dataclass(frozen=True)
class Source:
    number: int
    """The number readers see in [1]: sources are numbered in reading order (the first cited in the
    summary, then the body, is 1; those never cited follow as listed), and an event lists them so."""
    title: str
    publisher: str
    url: str
    published: PartialDate | None = None
    id: str | None = None
    """The citation key used as [@id] in the event's text."""
    author: str | None = None
    archive_url: str | None = None
    kind: str | None = None
    """`primary` (the original document: a decision, a paper, a letter) or `secondary` (reporting)."""
    quote: str | None = None
    position: int = 0
    """0-based index in the event file's `sources` list, where messages about it point."""


@dataclass(frozen=True)
class ImageFile:
    """An image in the project as the validate stage found it: what the build makes of it follows from this alone."""

    path: str
    """POSIX, relative to the content folder."""
    digest: str
    """Of the file's bytes: the published copies are named after it."""
    width: int
    height: int
    """Upright (after the camera's orientation is applied), in pixels."""
    transparent: bool = False
    """Has see-through pixels: its fallback is a PNG rather than a JPEG."""


@dataclass(frozen=True)
class Media:
    """A picture, a link card or a quotation shown with an event, or on the timeline's title."""

    kind: str
    """`image`, `video`, `audio`, `map`, `post`, `document`, `page` or `quote`."""
    file: str | None = None
    """An image in the project: a POSIX path relative to the content folder. Set once a remote image is fetched."""
    url: str | None = None
    """Where the item is (a link card, or a remote image not yet fetched) or where a fetched image came from."""
    alt: str = ""
    """Required for images: what the picture shows, for readers who cannot see it."""
    title: str = ""
    """A link card's text."""
    credit: str = ""
    caption: str = ""
    """Markdown, inline."""
    poster: str | None = None
    """A link card's picture: an image in the project, like `file`."""
    quote: str = ""
    """The words of a `quote`."""
    image: ImageFile | None = None
    """What `file` holds."""
    poster_image: ImageFile | None = None
    """What `poster` holds."""

    @property
    def local(self) -> bool:
        """Shown from the site's own copy: never from another origin."""
        return self.file is not None


@dataclass(frozen=True)
class Era:
    """A named period, drawn as a band on the overview."""

    label: str
    start: PartialDate
    end: PartialDate
    description: str = ""


@dataclass(frozen=True)
class Group:
    """A lane of the timeline that events belong to: a row of the overview."""

    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Event:
    id: str
    """The file stem: permanent, and the page's URL."""
    path: Path
    """The YAML file the event came from."""
    date: PartialDate
    title: str
    summary: str
    """Markdown, as written."""
    sources: tuple[Source, ...]
    end_date: PartialDate | None = None
    body: str = ""
    tags: tuple[Tag, ...] = ()
    values: tuple[tuple[Field, Any], ...] = ()
    """The timeline's declared fields this event has, in the order timeline.yaml declares them, with their typed values."""
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    """Derived: ids of the events that list this one in `supersedes`."""
    related: tuple[str, ...] = ()
    display_date: str | None = None
    """Plain text readers see instead of the formatted date ("Mid-1995"); the date still places and sorts the event."""
    order: int = 0
    """Among events of the same date, lower comes first (then the id)."""
    group: Group | None = None
    media: tuple[Media, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.date.sort_key, self.order, self.id)

    def value(self, name: str) -> Any:
        """The typed value of the declared field `name`, or None when the event does not have it."""
        return next((value for field, value in self.values if field.name == name), None)


@dataclass(frozen=True)
class Licence:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Timeline:
    title: str
    description: str
    language: str
    """BCP 47, e.g. `en-GB`; formatting uses it as a Babel locale."""
    tags: tuple[Tag, ...]
    events: tuple[Event, ...]
    """Oldest first; same date by `order`, then id."""
    fields: tuple[Field, ...] = ()
    """The fields the timeline declares beyond the core, in the order readers see them."""
    base_url: str | None = None
    theme: str = "default"
    repository: str | None = None
    branch: str = "main"
    licence: Licence | None = None
    events_per_page: int = 100
    """Past this many events the timeline and tag pages split into numbered pages."""
    intro: str = ""
    """Markdown shown under the title on the index (a TimelineJS title slide's text)."""
    media: tuple[Media, ...] = ()
    """The title's own media (a TimelineJS title slide's)."""
    eras: tuple[Era, ...] = ()
    groups: tuple[Group, ...] = ()
    by_id: dict[str, Event] = field(default_factory=dict, compare=False, repr=False)

    @property
    def locale(self) -> str:
        return self.language.replace("-", "_")


def event_from(
    path: Path,
    data: dict,
    vocabulary: dict[str, Tag],
    fields: tuple[Field, ...],
    images: dict[str, ImageFile] | None = None,
    groups: dict[str, Group] | None = None,
) -> Event:
    """The event of one checked file (`data` as the validate stage normalised it), not yet linked to others.

    `images`: the project's images the file names, by path, as the validate stage found them.
    `groups`: the lanes timeline.yaml declares, by key (the validate stage made sure `group` names one).
    """
    return Event(
        id=path.stem,
        path=path,
        date=PartialDate.parse(data["date"]),
        end_date=PartialDate.parse(data["end_date"]) if "end_date" in data else None,
        display_date=data["display_date"].strip() if "display_date" in data else None,
        order=data.get("order", 0),
        title=data["title"].strip(),
        summary=data["summary"],
        body=data.get("body", ""),
        tags=tuple(vocabulary[key] for key in data.get("tags", ())),
        values=tuple((field, field_value(field, data[field.name])) for field in fields if field.name in data),
        supersedes=tuple(data.get("supersedes", ())),
        related=tuple(data.get("related", ())),
        sources=_sources(data.get("sources", ()), (data["summary"], data.get("body", ""))),
        media=media_from(data.get("media", ()), images or {}),
        group=(groups or {}).get(data["group"]) if "group" in data else None,
    )


def superseded_by(events: list[Event]) -> dict[str, tuple[str, ...]]:
    """For each event some other supersedes: the ids of those others, in order."""
    later: dict[str, list[str]] = {}
    for event in events:
        for target in event.supersedes:
            later.setdefault(target, []).append(event.id)
    return {target: tuple(sorted(ids)) for target, ids in later.items()}


def assemble(
    settings: dict,
    vocabulary: dict[str, Tag],
    fields: tuple[Field, ...],
    events: list[Event],
    images: dict[str, ImageFile] | None = None,
    groups: dict[str, Group] | None = None,
    eras: tuple[Era, ...] = (),
) -> Timeline:
    """The timeline: its settings and its events in order, each knowing what supersedes it.

    `images`: those timeline.yaml's own media name, by path. `groups` and `eras` as the validate stage read them
    from timeline.yaml (eras in order of their start).
    """
    later = superseded_by(events)
    linked = [
        event
        if event.superseded_by == later.get(event.id, ())
        else replace(event, superseded_by=later.get(event.id, ()))
        for event in events
    ]
    linked.sort(key=lambda event: event.sort_key)
    licence = settings.get("licence")
    return Timeline(
        title=settings["title"],
        description=settings["description"],
        intro=settings.get("intro", ""),
        language=settings["language"],
        tags=tuple(vocabulary.values()),
        events=tuple(linked),
        fields=fields,
        base_url=settings.get("base_url"),
        theme=settings.get("theme", "default"),
        repository=settings.get("repository"),
        branch=settings.get("branch", "main"),
        licence=Licence(licence["name"], licence.get("url")) if licence else None,
        events_per_page=settings.get("events_per_page", 100),
        media=media_from(settings.get("media", ()), images or {}),
        eras=eras,
        groups=tuple((groups or {}).values()),
        by_id={event.id: event for event in linked},
    )


def _sources(items: list[dict], texts: tuple[str, ...]) -> tuple[Source, ...]:
    """The event's sources in reading order, numbered from 1 (timeline/citations.py)."""
    order = reading_order(texts, [item.get("id") or "" for item in items])
    return tuple(_source(number, items[position], position) for number, position in enumerate(order, 1))


def _source(number: int, data: dict, position: int) -> Source:
    published = data.get("published")
    return Source(
        number=number,
        title=data["title"],
        publisher=data["publisher"],
        url=data["url"],
        published=PartialDate.parse(published) if published else None,
        id=data.get("id"),
        author=data.get("author"),
        archive_url=data.get("archive_url"),
        kind=data.get("kind"),
        quote=data.get("quote"),
        position=position,
    )


# Where a link leads, by its host (the host itself or any subdomain) or by its path's extension.
# The hosts TimelineJS itself recognises (its MediaType.js) among them, so an import guesses as TimelineJS shows.
_KINDS_BY_HOST = {
    "video": (
        "youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "dailymotion.com", "dai.ly", "tiktok.com",
        "wistia.com", "vine.co",
    ),
    "audio": ("soundcloud.com", "spotify.com"),
    "map": ("openstreetmap.org", "osm.org", "maps.google.com", "maps.app.goo.gl"),
    "post": (
        "twitter.com", "x.com", "mastodon.social", "bsky.app", "instagram.com", "instagr.am", "facebook.com", "fb.com",
        "threads.net",
    ),
    "document": ("documentcloud.org", "docs.google.com", "drive.google.com"),
}  # fmt: skip
_KINDS_BY_EXTENSION = {
    ".mp3": "audio", ".ogg": "audio", ".oga": "audio", ".m4a": "audio", ".wav": "audio", ".aac": "audio",
    ".flac": "audio",
    ".mp4": "video", ".webm": "video", ".ogv": "video", ".mov": "video",
    ".pdf": "document",
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".gif": "image", ".webp": "image", ".svg": "image",
}  # fmt: skip


def media_kind(item: dict) -> str:
    """An item's kind: as written, else `quote`, `image` for a project file, else guessed from its URL."""
    if isinstance(item.get("kind"), str):
        return item["kind"]
    if "quote" in item:
        return "quote"
    url = item.get("url")
    if "file" in item or not isinstance(url, str):
        return "image"
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.lower()
    if (host.startswith("google.") or ".google." in f".{host}") and path.startswith("/maps"):
        return "map"
    for kind, hosts in _KINDS_BY_HOST.items():
        if any(host == known or host.endswith("." + known) for known in hosts):
            return kind
    if "/@" in path and host not in ("medium.com",):  # a Mastodon account's post: https://any.server/@name/123
        return "post"
    return _KINDS_BY_EXTENSION.get(PurePosixPath(path).suffix, "page")


def media_from(items: object, images: dict[str, ImageFile]) -> tuple[Media, ...]:
    """The media of checked items, each image with what the validate stage found of its file."""
    if not isinstance(items, list):
        return ()
    return tuple(
        Media(
            kind=media_kind(item),
            file=item.get("file"),
            url=item.get("url"),
            alt=item.get("alt", "").strip(),
            title=item.get("title", "").strip(),
            credit=item.get("credit", "").strip(),
            caption=item.get("caption", "").strip(),
            poster=item.get("poster"),
            quote=item.get("quote", "").strip(),
            image=images.get(item["file"]) if "file" in item else None,
            poster_image=images.get(item["poster"]) if "poster" in item else None,
        )
        for item in items
    )
