"""Dates written at the precision the sources support: a year, a month or a day.

`datetime.date` cannot hold "July 2020" without inventing a day, and
dateutil's parser would invent one silently, so partial dates are their own
type: they keep their precision, sort before the days they contain
(2020-07 < 2020-07-09) and format at that precision.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache, total_ordering

from babel.dates import format_date, format_skeleton
from dateutil import parser as lenient

_NUMERIC = re.compile(r"^\s*([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})\s*$")

_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")

YEAR, MONTH, DAY = "year", "month", "day"

EXPECTED = "a date like 2022-05-23, 2022-05 or 2022"


class InvalidDate(ValueError):
    """The text is not a date of the accepted forms, or names a day that does not exist."""


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """`2022-05-23`, `2022-05` or `2022`; raise InvalidDate naming what is wrong."""
        return _parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text)
        if not match:
            raise InvalidDate(f"'{text}' is not {EXPECTED}{_hint(text)}")
        year, month, day = (int(part) if part else None for part in match.groups())
        if year == 0:
            raise InvalidDate(f"'{text}' has year 0; write a year like 2022")
        if month is not None and not 1 <= month <= 12:
            raise InvalidDate(f"'{text}' has month {month:02d}; months run from 01 to 12")
        if day is not None:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                name = datetime.date(year, month, 1).strftime("%B")
                raise InvalidDate(f"'{text}' is not a real date: {name} {year} has {days} days")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def iso(self) -> str:
        """The date as written: valid in `<time datetime>` at every precision."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def first_day(self) -> datetime.date:
        """The earliest day the date could mean."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        """The latest day the date could mean (for "end not before start")."""
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    @property
    def decimal_year(self) -> float:
        """Where the date starts on a continuous scale of years (2020.5 is 1 July 2020): the overview's x axis."""
        start = self.first_day
        days = 366 if calendar.isleap(self.year) else 365
        return self.year + (start.timetuple().tm_yday - 1) / days

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key

    def format(self, locale: str) -> str:
        """The date at its precision in the given locale: `23 May 2022`, `July 2020`, `2021`."""
        if self.day:
            return format_date(self.first_day, format="long", locale=locale)
        if self.month:
            return format_skeleton("yMMMM", self.first_day, locale=locale)
        return str(self.year)

    def __str__(self) -> str:
        return self.iso


def _hint(text: str) -> str:
    """What the contributor probably meant, for the error message only: never accepted as the date.

    `03/04/2021` is 3 April in Europe and 4 March in the US, so both readings
    are named; `23 May 2022` or `May 2022` can mean one thing, which is offered.
    """
    numeric = _NUMERIC.match(text)
    if numeric:
        first, second, year = (int(part) for part in numeric.groups())
        readings = {_day(year, second, first), _day(year, first, second)} - {None}
        if len(readings) == 2:
            day_first, month_first = _day(year, second, first), _day(year, first, second)
            return (
                f"; it is ambiguous: write {day_first.iso} for {_spoken(day_first)} (day first) "
                f"or {month_first.iso} for {_spoken(month_first)} (month first)"
            )
        if readings:
            return f" (did you mean {readings.pop().iso}?)"
        return ""
    guess = _lenient(text)
    return f" (did you mean {guess.iso}?)" if guess else ""


def _day(year: int, month: int, day: int) -> PartialDate | None:
    try:
        return PartialDate.parse(f"{year:04d}-{month:02d}-{day:02d}")
    except InvalidDate:
        return None


def _spoken(date: PartialDate) -> str:
    return f"{date.day} {datetime.date(date.year, date.month, 1).strftime('%B')} {date.year}"


def _lenient(text: str) -> PartialDate | None:
    """Read `23 May 2022`, `May 2022` or `2022/5/23` at the precision written, or None.

    dateutil fills a missing part from its default date; parsing against two
    different defaults shows which parts were really written.
    """
    if not re.search(r"[0-9]{4}", text) or len(text) > 40:
        return None
    try:
        one = lenient.parse(text, default=datetime.datetime(2000, 1, 1))
        two = lenient.parse(text, default=datetime.datetime(2004, 2, 2))
    except (ValueError, OverflowError):
        return None
    if one.year != two.year:
        return None
    if one.month != two.month:
        return PartialDate(one.year)
    if one.day != two.day:
        return PartialDate(one.year, one.month)
    return PartialDate(one.year, one.month, one.day)


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> PartialDate:
    """Parsed once per distinct text: a large timeline repeats its dates thousands of times."""
    return PartialDate._parse(text)
