"""The index's overview: where each event, era and group sits on a time-scaled strip.

Geometry only: positions as fractions of the strip's width (0 is its left
edge, 1 its right), rows, counts, labels and addresses. The theme's templates
draw it (as SVG in the default theme); nothing here writes markup.

Past `DENSITY_THRESHOLD` events one mark per event would weigh more than the
page it sits on, so the strip becomes a density strip: the span is cut into
bins and each bin shows how many events fall in it, linking to the first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from timeline.dates import PartialDate
from timeline.model import Era, Event, Group, Timeline

DENSITY_THRESHOLD = 300
"""Above this many events the overview shows binned counts instead of one mark per event."""
BINS = 80
"""How many bins the density strip cuts the span into."""
LANES = 3
"""Marks close in time within a row are spread over this many lanes, so that they do not cover each other."""
_CLOSE = 0.012
"""Two marks nearer than this (a fraction of the width) go in different lanes."""
_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)


@dataclass(frozen=True)
class Tick:
    x: float
    year: int
    major: bool
    """Labelled at every width; the others only where there is room."""


@dataclass(frozen=True)
class Band:
    """An era: where it starts and how wide it is."""

    era: Era
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    index: int
    group: Group | None
    """None: the events of no group (or the only row, when the timeline declares none)."""
    count: int


@dataclass(frozen=True)
class Mark:
    event: Event
    x: float
    end: float | None
    """Where an event with an end date ends."""
    row: int
    lane: int
    page: str
    """The index page that lists the event, relative to the site root: `` for the first, `page/2/` after."""


@dataclass(frozen=True)
class Bin:
    x: float
    width: float
    row: int
    count: int
    level: float
    """count / the fullest bin's count: 0 to 1."""
    start: int
    end: int
    """The years of its first and last event."""
    page: str
    target: str
    """The id of its first event, on `page` (an index page, like a mark's)."""


@dataclass(frozen=True)
class Overview:
    start: float
    end: float
    """The span drawn, in decimal years: the events' and eras' with a margin."""
    ticks: tuple[Tick, ...]
    bands: tuple[Band, ...]
    rows: tuple[Row, ...]
    marks: tuple[Mark, ...]
    bins: tuple[Bin, ...]
    total: int

    @property
    def dense(self) -> bool:
        return bool(self.bins)

    @property
    def first_year(self) -> int:
        return math.floor(self.start)

    @property
    def last_year(self) -> int:
        return math.floor(self.end)


def end_of(date: PartialDate) -> float:
    """Where a date ends on the decimal-year scale: a year ends a year after it starts."""
    start = date.decimal_year
    if date.precision == "year":
        return start + 1
    if date.precision == "month":
        return start + 1 / 12
    return start + 1 / 365


def build_overview(
    timeline: Timeline, page_of: Callable[[Event], str], threshold: int | None = None
) -> Overview | None:
    """The overview of every event; `page_of(event)` is the index page that lists it (`` or `page/2/`).

    None when there is nothing to place.
    """
    events = timeline.events
    if not events:
        return None
    threshold = DENSITY_THRESHOLD if threshold is None else threshold
    starts = [event.date.decimal_year for event in events]
    ends = [end_of(event.end_date) if event.end_date else start for event, start in zip(events, starts, strict=True)]
    low = min(starts + [era.start.decimal_year for era in timeline.eras])
    high = max(ends + [end_of(era.end) for era in timeline.eras])
    span = max(high - low, 1.0)
    margin = span * 0.03
    start, end = low - margin, low + span + margin
    width = end - start

    def x_of(year: float) -> float:
        return round((year - start) / width, 5)

    rows, row_of = _rows(timeline)
    bands = tuple(
        Band(era, x_of(era.start.decimal_year), round(x_of(end_of(era.end)) - x_of(era.start.decimal_year), 5))
        for era in timeline.eras
    )
    ticks = _ticks(start, end, x_of)
    if len(events) > threshold:
        bins = _bins(events, starts, row_of, x_of, page_of)
        return Overview(start, end, ticks, bands, rows, (), bins, len(events))
    marks = []
    last: dict[tuple[int, int], float] = {}
    for event, year, stop in zip(events, starts, ends, strict=True):
        x, row = x_of(year), row_of(event)
        lane = next((lane for lane in range(LANES) if last.get((row, lane), -1.0) <= x - _CLOSE), 0)
        last[(row, lane)] = x
        marks.append(Mark(event, x, x_of(stop) if event.end_date else None, row, lane, page_of(event)))
    return Overview(start, end, ticks, bands, rows, tuple(marks), (), len(events))


def _rows(timeline: Timeline) -> tuple[tuple[Row, ...], Callable[[Event], int]]:
    """A row per declared group some event is in, in the order declared, then one for the events of none."""
    counts: dict[str | None, int] = {}
    for event in timeline.events:
        key = event.group.key if event.group else None
        counts[key] = counts.get(key, 0) + 1
    groups: list[Group | None] = [group for group in timeline.groups if group.key in counts]
    if None in counts or not groups:
        groups.append(None)
    rows = tuple(Row(index, group, counts.get(group.key if group else None, 0)) for index, group in enumerate(groups))
    index = {(group.key if group else None): number for number, group in enumerate(groups)}
    return rows, lambda event: index[event.group.key if event.group else None]


def _ticks(start: float, end: float, x_of: Callable[[float], float]) -> tuple[Tick, ...]:
    """Years at a round step: at most 12 ticks, of which at most 5 (a coarser round step) are major."""
    span = end - start
    step = next((step for step in _STEPS if span / step <= 12), _STEPS[-1])
    major = next((step * times for times in (1, 2, 5, 10, 20, 50) if span / (step * times) <= 5), step * 100)
    first = math.ceil(start / step) * step
    ticks = []
    year = first
    while year <= end:
        if year != 0:  # there is no year 0
            ticks.append(Tick(x_of(year), year, year % major == 0))
        year += step
    return tuple(ticks)


def _bins(
    events: tuple[Event, ...],
    starts: list[float],
    row_of: Callable[[Event], int],
    x_of: Callable[[float], float],
    page_of: Callable[[Event], str],
) -> tuple[Bin, ...]:
    """Each row's events counted in BINS equal slices of the width; empty slices are left out."""
    found: dict[tuple[int, int], list[Event]] = {}
    for event, year in zip(events, starts, strict=True):
        slot = min(int(x_of(year) * BINS), BINS - 1)
        found.setdefault((row_of(event), slot), []).append(event)
    fullest = max(len(members) for members in found.values())
    return tuple(
        Bin(
            x=round(slot / BINS, 5),
            width=round(1 / BINS, 5),
            row=row,
            count=len(members),
            level=round(len(members) / fullest, 3),
            start=members[0].date.year,
            end=members[-1].date.year,
            page=page_of(members[0]),
            target=members[0].id,
        )
        for (row, slot), members in sorted(found.items())
    )
