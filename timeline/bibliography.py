"""The bibliography: every cited URL once, with the events that cite it."""

from __future__ import annotations

import hashlib
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

    def order(entry: Entry) -> tuple:
        published = entry.source.published
        return (
            entry.source.publisher.casefold(),
            published.sort_key if published else (float("-inf"),),  # undated first, before any BC date
            entry.source.title.casefold(),
            entry.url,
        )

    return tuple(sorted(entries, key=order))
