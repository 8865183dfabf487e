"""Model stage: checked data becomes immutable Event and Timeline objects.

Construction only: every file reaching here passed the validate stage, so
nothing is checked again and nothing can fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
    """1-based position in the event's list: the number readers see in [1]."""
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


def event_from(path: Path, data: dict, vocabulary: dict[str, Tag], fields: tuple[Field, ...]) -> Event:
    """The event of one checked file (`data` as the validate stage normalised it), not yet linked to others."""
    return Event(
        id=path.stem,
        path=path,
        date=PartialDate.parse(data["date"]),
        end_date=PartialDate.parse(data["end_date"]) if "end_date" in data else None,
        title=data["title"].strip(),
        summary=data["summary"],
        body=data.get("body", ""),
        tags=tuple(vocabulary[key] for key in data.get("tags", ())),
        values=tuple((field, field_value(field, data[field.name])) for field in fields if field.name in data),
        supersedes=tuple(data.get("supersedes", ())),
        related=tuple(data.get("related", ())),
        sources=tuple(_source(number, item) for number, item in enumerate(data.get("sources", ()), 1)),
    )


def superseded_by(events: list[Event]) -> dict[str, tuple[str, ...]]:
    """For each event some other supersedes: the ids of those others, in order."""
    later: dict[str, list[str]] = {}
    for event in events:
        for target in event.supersedes:
            later.setdefault(target, []).append(event.id)
    return {target: tuple(sorted(ids)) for target, ids in later.items()}


def assemble(settings: dict, vocabulary: dict[str, Tag], fields: tuple[Field, ...], events: list[Event]) -> Timeline:
    """The timeline: its settings and its events in order, each knowing what supersedes it."""
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
        by_id={event.id: event for event in linked},
    )


def _source(number: int, data: dict) -> Source:
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
    )
