"""The bibliography: every cited URL once, with the events that cite it."""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from timeline.model import Event, Source, Timeline


@dataclass(frozen=True)
class Citation:
    event: Event
    source: Source
    """The event's own record of the source (its number, quote, archive link)."""


@dataclass(frozen=True)
class Entry:
    anchor: str
    """A stable fragment id derived from the URL."""
    url: str
    source: Source
    """The first citation's record, which gives the entry its title and publisher."""
    citations: tuple[Citation, ...]
    """Oldest event first."""


@dataclass(frozen=True)
class Publisher:
    """The sources of one publisher on a page of the bibliography, under its heading."""

    name: str
    entries: tuple[Entry, ...]

    @property
    def anchor(self) -> str:
        """A stable fragment id for the heading, derived from the name."""
        return "p-" + hashlib.sha256(self.name.encode()).hexdigest()[:12]


def collation_key(text: str) -> tuple[str, str]:
    """Alphabetical order as a reader expects it: accents and case set aside first (É with E), then kept."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return (plain.casefold(), text)


def by_publisher(entries: Sequence[Entry]) -> tuple[Publisher, ...]:
    """`entries` (in the bibliography's order) under a heading per publisher, in the same order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.source.publisher, []).append(entry)
    return tuple(Publisher(name, tuple(items)) for name, items in groups.items())


def build_bibliography(timeline: Timeline) -> tuple[Entry, ...]:
    """One entry per distinct URL, ordered by publisher, then date, then title."""
    by_url: dict[str, list[Citation]] = {}
    for event in timeline.events:  # events are in date order, so citations are too
        for source in event.sources:
            by_url.setdefault(source.url, []).append(Citation(event, source))
    entries = [
        Entry(
            anchor="s-" + hashlib.sha256(url.encode()).hexdigest()[:12],
            url=url,
            source=citations[0].source,
            citations=tuple(citations),
        )
        for url, citations in by_url.items()
    ]

    publisher_key = functools.cache(collation_key)  # a few publishers, named by thousands of sources

    def order(entry: Entry) -> tuple:
        published = entry.source.published
        return (
            publisher_key(entry.source.publisher),
            published.sort_key if published else (float("-inf"),),  # undated first, before any BC date
            entry.source.title.casefold(),
            entry.url,
        )

    return tuple(sorted(entries, key=order))
