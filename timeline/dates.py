"""Dates written at the precision the sources support: a year, a month, a day or a time of day.

`datetime.date` cannot hold "July 2020" without inventing a day, and
dateutil's parser would invent one silently, so partial dates are their own
type: they keep their precision, sort before the days they contain
(2020-07 < 2020-07-09 < 2020-07-09T14:30+01:00) and format at that precision.

Years before the common era are written with a minus sign and at least four
digits, as ISO 8601's expanded years are, but counted as historians count:
`-0500` is 500 BC, and there is no year 0 (1 BC is followed by AD 1).
`datetime` cannot hold them, so the calendar arithmetic here is done on day
numbers of the proleptic Gregorian calendar, which covers every year.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache, total_ordering

from babel import Locale
from babel.dates import DateTimeFormat, format_date, format_skeleton, get_datetime_format, parse_pattern
from dateutil import parser as lenient

_NUMERIC = re.compile(r"^\s*([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})\s*$")

DATE_PATTERN = (
    "^(-[0-9]{4,11}|[0-9]{4})(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2}))?)?)?$"
)
"""Every accepted form, as the JSON Schemas write it: the parser below says which values are real dates."""

_PATTERN = re.compile(
    r"^(?P<year>-[0-9]{4,11}|[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})"
    r"(?:-(?P<day>[0-9]{2})"
    r"(?:T(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2}))?)?)?$"
)
# What a date with a time was probably meant to be, to say which part is wrong.
_LOOSE_TIME = re.compile(
    r"^(?P<date>-?[0-9]+(?:-[0-9]{1,2}){0,2})[T ](?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?P<offset>.*)$"
)
_OFFSET = re.compile(r"^(?:Z|[+-][0-9]{2}:[0-9]{2})$")

YEAR, MONTH, DAY, TIME = "year", "month", "day", "time"

EXPECTED = "a date like 2022-05-23, 2022-05 or 2022"

MAX_OFFSET_MINUTES = 14 * 60
"""UTC offsets in use run from -12:00 to +14:00."""

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAY_SECONDS = 86_400
_GREGORIAN_CYCLE = 400
"""The Gregorian calendar repeats every 400 years, weekdays included: a year moved by a multiple of it
keeps its months' lengths, so `datetime` and dateutil can work on a BCE year moved into their range."""


class InvalidDate(ValueError):
    """The text is not a date of the accepted forms, or names a day that does not exist."""


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, a day, or a time of day with its offset from UTC.

    The parts are those written: `month`, `day`, `hour`, `minute`, `second` and
    `offset` are None when not written (a time always has `offset`).
    """

    year: int
    """As written, and as historians count: 2022 is AD 2022, -500 is 500 BC. Never 0."""
    month: int | None = None
    """1 to 12."""
    day: int | None = None
    hour: int | None = None
    """0 to 23, only on a day; `minute` and `offset` are then set too."""
    minute: int | None = None
    second: int | None = None
    """Only when written (`14:30:05`); `14:30` leaves it None."""
    offset: int | None = None
    """The time's offset from UTC in minutes east (`+01:00` is 60, `Z` is 0)."""

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """`2022-05-23`, `2022-05`, `2022`, `-0500` (500 BC) or `2020-07-09T14:30+01:00`;
        raise InvalidDate naming what is wrong."""
        return _parse(text)

    @classmethod
    def of(
        cls,
        year: int,
        month: int | None = None,
        day: int | None = None,
        hour: int | None = None,
        minute: int | None = None,
        second: int | None = None,
        offset: int | None = None,
    ) -> PartialDate:
        """The date of separate parts (an importer's year, month and day cells), checked as `parse` checks
        its text: `of(-500)` is 500 BC; raise InvalidDate naming what is wrong."""
        if day is not None and month is None:
            raise InvalidDate(f"day {day} has no month: a day needs its month and year")
        text = f"{'-' if year < 0 else ''}{abs(year):04d}"
        text += "".join(f"-{part:02d}" for part in (month, day) if part is not None)
        if hour is not None:
            text += f"T{hour:02d}:{minute or 0:02d}" + (f":{second:02d}" if second is not None else "")
            text += "" if offset is None else _offset_text(offset)
        return _parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text)
        if not match:
            raise InvalidDate(_diagnosis(text))
        parts = match.groupdict()
        year = int(parts["year"])
        month, day, hour, minute, second = (
            int(parts[name]) if parts[name] else None for name in ("month", "day", "hour", "minute", "second")
        )
        if year == 0:
            raise InvalidDate(f"'{text}' has year 0, and there is none: 1 BC (-0001) is followed by AD 1 (0001)")
        if month is not None and not 1 <= month <= 12:
            raise InvalidDate(f"'{text}' has month {month:02d}; months run from 01 to 12")
        if day is not None:
            days = month_days(year, month)
            if not 1 <= day <= days:
                name = _MONTH_NAMES[month - 1]
                raise InvalidDate(f"'{text}' is not a real date: {name} {_year_words(year)} has {days} days")
        offset = None
        if hour is not None:
            if hour > 23 or minute > 59 or (second is not None and second > 59):
                raise InvalidDate(f"'{text}' is not a time of day: hours run from 00 to 23, minutes and seconds to 59")
            offset = _offset_minutes(text, parts["offset"])
        return cls(year, month, day, hour, minute, second, offset)

    @property
    def precision(self) -> str:
        """`year`, `month`, `day` or `time`."""
        return TIME if self.hour is not None else DAY if self.day else MONTH if self.month else YEAR

    @property
    def bce(self) -> bool:
        """Before the common era (BC)."""
        return self.year < 0

    @property
    def astronomical_year(self) -> int:
        """The year on a scale with a year 0: 1 BC is 0, 500 BC is -499, AD years are unchanged."""
        return self.year + 1 if self.year < 0 else self.year

    @property
    def iso(self) -> str:
        """The date as written (normalised): `2020-07`, `-0500`, `2020-07-09T14:30+01:00`, `...T14:30Z`."""
        text = self.date_iso
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            text += _offset_text(self.offset)
        return text

    @property
    def iso8601(self) -> str:
        """The date in ISO 8601's own count, which has a year 0: 500 BC is -0499, 1 BC is 0000.

        For formats that follow ISO 8601 to the letter (schema.org's temporalCoverage); `iso` keeps
        the historians' count the content is written in.
        """
        if not self.bce:
            return self.iso
        year = self.astronomical_year
        rest = self.iso[len(f"-{abs(self.year):04d}") :]  # month, day and time, as written
        return ("-" if year < 0 else "") + f"{abs(year):04d}" + rest

    @property
    def date_iso(self) -> str:
        """The date without its time of day: `2020-07-09`, `-0500-03`."""
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    @property
    def html_datetime(self) -> str | None:
        """The value for `<time datetime>`, or None where HTML has none: it knows no year before AD 1."""
        return None if self.bce else self.iso

    @property
    def slug(self) -> str:
        """The date as the start of a file name (an event id): `2020-07-09`, `0500-bc` for 500 BC."""
        return self.date_iso.lstrip("-") + ("-bc" if self.bce else "")

    @property
    def first_day(self) -> datetime.date:
        """The earliest day the date could mean, for AD dates only (`datetime` has no BC): see `start`."""
        return self.moved(0)

    @property
    def last_day(self) -> datetime.date:
        """The latest day the date could mean, for AD dates only (`datetime` has no BC): see `end`."""
        return self.moved(0, last=True)

    @property
    def start(self) -> int:
        """The first moment of the date, in seconds on one scale for every era: a time's instant,
        or the first day's midnight (as if in UTC)."""
        day = _day_number(self.astronomical_year, self.month or 1, self.day or 1) * _DAY_SECONDS
        return day if self.hour is None else day + self._seconds - self.offset * 60

    @property
    def end(self) -> int:
        """The last moment of the date, on the scale of `start`: a time's instant, or its last day's last second."""
        if self.hour is not None:
            return self.start
        month = self.month or 12
        day = self.day or month_days(self.year, month)
        return (_day_number(self.astronomical_year, month, day) + 1) * _DAY_SECONDS - 1

    def ends_before(self, other: PartialDate) -> bool:
        """Whether this date (an end) is over before `other` (a start) begins.

        A date without a time may be in any time zone: against a time, its days
        are taken to run from UTC+14 to UTC-12, so only a certain gap counts.
        """
        if (self.hour is None) == (other.hour is None):
            return self.end < other.start
        if self.hour is None:
            return self.end + 12 * 3600 < other.start
        return self.end < other.start - MAX_OFFSET_MINUTES * 60

    @property
    def _seconds(self) -> int:
        """The local time of day, in seconds."""
        return (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)

    @property
    def decimal_year(self) -> float:
        """Where the date starts on a continuous scale of years (2020.5 is 1 July 2020): the overview's x axis.

        Astronomical: 1 BC is 0.0 to 1.0, so the scale runs on without a gap across the era.
        """
        year = self.astronomical_year
        days = 366 if _leap(year) else 365
        into = _day_number(year, self.month or 1, self.day or 1) - _day_number(year, 1, 1)
        return year + (into + self._seconds / _DAY_SECONDS) / days

    @cached_property
    def sort_key(self) -> tuple[int, int, int, int]:
        """A year before its months, a month before its days, a day before its times; times by their instant."""
        time = -(1 << 30) if self.hour is None else self._seconds - self.offset * 60
        return (self.astronomical_year, self.month or 0, self.day or 0, time)

    def moved(self, cycles: int, *, last: bool = False) -> datetime.date:
        """The date's first day (or `last` day) moved `cycles` 400-year cycles later: the same calendar
        (month lengths, weekdays), in `datetime`'s range for a BC date moved by at least `cycles_to_ad`."""
        month = self.month or (12 if last else 1)
        day = self.day or (month_days(self.year, month) if last else 1)
        return datetime.date(self.astronomical_year + cycles * _GREGORIAN_CYCLE, month, day)

    @property
    def cycles_to_ad(self) -> int:
        """The fewest 400-year cycles that move the date to AD 1 or later (0 for an AD date)."""
        year = self.astronomical_year
        return 0 if year >= 1 else (_GREGORIAN_CYCLE - year) // _GREGORIAN_CYCLE

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key

    def format(self, locale: str) -> str:
        """The date at its precision in the given locale: `23 May 2022`, `July 2020`, `2021`, `500 BC`,
        `9 July 2020, 14:30 GMT+1` (the locale's own words and order, from Babel)."""
        if self.bce:
            text = _format_bce(self, locale)
        elif self.day:
            text = format_date(self.first_day, format="long", locale=locale)
        elif self.month:
            text = format_skeleton("yMMMM", self.first_day, locale=locale)
        else:
            text = str(self.year)
        if self.hour is None:
            return text
        zone = datetime.timezone(datetime.timedelta(minutes=self.offset))
        moment = datetime.datetime(2000, 1, 1, self.hour, self.minute, self.second or 0, tzinfo=zone)
        babel_locale = Locale.parse(locale)
        pattern = babel_locale.time_formats["short" if self.second is None else "medium"].pattern
        # The locale's GMT format: GMT+01:00, UTC+01:00 in French; plain GMT or UTC for Z.
        zone = "OOOO" if self.offset else "'" + (babel_locale.zone_formats["gmt"] % "").replace("'", "''") + "'"
        shown = parse_pattern(f"{pattern} {zone}").apply(moment, locale)
        combined = get_datetime_format("medium", locale=locale).replace("'", "")
        return combined.replace("{0}", shown).replace("{1}", text)

    def __str__(self) -> str:
        return self.iso


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _leap(astronomical_year: int) -> bool:
    return astronomical_year % 4 == 0 and (astronomical_year % 100 != 0 or astronomical_year % 400 == 0)


def month_days(year: int, month: int) -> int:
    """The days of a month of a year as written (-0500 is 500 BC), in the proleptic Gregorian calendar."""
    astronomical = year + 1 if year < 0 else year
    return 29 if month == 2 and _leap(astronomical) else _MONTH_DAYS[month - 1]


def _day_number(year: int, month: int, day: int) -> int:
    """Days from 1970-01-01 to a day of an astronomical year (H. Hinnant's days_from_civil): any era."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _year_words(year: int) -> str:
    return f"{-year} BC" if year < 0 else str(year)


def _offset_text(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _offset_minutes(text: str, written: str) -> int:
    if written == "Z":
        return 0
    hours, minutes = int(written[1:3]), int(written[4:6])
    total = hours * 60 + minutes
    if minutes > 59 or total > MAX_OFFSET_MINUTES or (written[0] == "-" and total > 12 * 60):
        raise InvalidDate(f"'{text}' has the UTC offset {written}; offsets run from -12:00 to +14:00 (Z is UTC)")
    return -total if written[0] == "-" else total


class _EraFormat(DateTimeFormat):
    """Babel's formatting of a stand-in AD date, with the BC year and era name put back."""

    def __init__(self, date: PartialDate, locale: str) -> None:
        super().__init__(date.moved(date.cycles_to_ad), locale)
        self.bc_year = -date.year

    def format_era(self, char: str, num: int) -> str:
        width = {3: "abbreviated", 4: "wide", 5: "narrow"}[max(3, num)]
        return self.locale.eras[width][0]

    def format_year(self, char: str, num: int) -> str:
        return self.format(self.bc_year, num)


def _format_bce(date: PartialDate, locale: str) -> str:
    """`500 BC`, `March 500 BC`, `15 March 44 BC`, in the locale's words and order (`500 av. J.-C.`)."""
    skeleton = "GyMMMMd" if date.day else "GyMMMM" if date.month else "Gy"
    pattern = Locale.parse(locale).datetime_skeletons.get(skeleton)
    if pattern is None:  # a locale without the skeleton
        pattern = parse_pattern({"GyMMMMd": "d MMMM y G", "GyMMMM": "MMMM y G", "Gy": "y G"}[skeleton])
    return pattern.format % _EraFormat(date, locale)


def _diagnosis(text: str) -> str:
    """Why `text` is not a date of the accepted forms, as exactly as can be told."""
    if text != text.upper() and _PATTERN.match(text.upper()):  # 2020-07-09t14:30z
        return f"'{text}' is not {EXPECTED} (did you mean {text.upper()}? T and Z are capitals)"
    if text.startswith(("\u2212", "\u2013")):  # a typographic minus or dash, from a word processor
        ascii_minus = "-" + text[1:]
        if _PATTERN.match(ascii_minus):
            return f"'{text}' starts with a typographic dash; write the plain minus sign: {ascii_minus}"
    timed = _LOOSE_TIME.match(text)
    if timed:
        date_part, offset = timed.group("date"), timed.group("offset")
        try:
            date = PartialDate.parse(date_part)
        except InvalidDate as invalid:
            return str(invalid)
        if date.day is None:
            missing = "-MM-DD" if date.month is None else "-DD"
            time = text[len(date_part) :]
            return (
                f"'{text}' has a time of day but no day; write {date_part}{missing}{time} with the day the time is on"
            )
        if " " in text:
            return f"'{text}' has a space before the time; write a T: {text.replace(' ', 'T', 1)}"
        if not offset:
            return (
                f"'{text}' has a time but no offset from UTC; add Z for UTC or the offset, like {text}Z or {text}+01:00"
            )
        if offset.startswith((".", ",")):
            whole = re.sub(r"[.,][0-9]*", "", text)
            return f"'{text}' has a fraction of a second; write whole seconds: {whole}"
        if not _OFFSET.match(offset):
            return f"'{text}' has the UTC offset '{offset}'; write Z or ±HH:MM, like +01:00 or -05:00"
        return f"'{text}' is not a time of day like 14:30 or 14:30:05"
    bare = re.match(r"^-([0-9]{1,3})((?:-[0-9]{2}){0,2})$", text)
    if bare:
        padded = f"-{int(bare.group(1)):04d}{bare.group(2)}"
        return (
            f"'{text}' has too few digits; a year before the common era has at least four: "
            f"write {padded} for {int(bare.group(1))} BC"
        )
    if re.match(r"^-0*$", text) or re.match(r"^-?0000(?:-|$)", text):
        return f"'{text}' has year 0, and there is none: 1 BC (-0001) is followed by AD 1 (0001)"
    era = re.match(r"^\s*([0-9]{1,11})\s*(?:BC|BCE|B\.C\.|B\.C\.E\.)\s*$", text, re.IGNORECASE)
    if era and int(era.group(1)):
        year = int(era.group(1))
        return f"'{text}' is not {EXPECTED} (did you mean -{year:04d}? -{year:04d} is {year} BC)"
    if text.startswith("-"):  # a BC date written loosely: the hint keeps the era
        guess = _lenient(text[1:]) if not _NUMERIC.match(text[1:]) else None
        return f"'{text}' is not {EXPECTED}" + (f" (did you mean -{guess.iso}?)" if guess else "")
    return f"'{text}' is not {EXPECTED}{_hint(text)}"


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
