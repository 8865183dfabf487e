"""A TimelineJS slide's date as an event file writes it: `2020-07`, `-0500`, `2020-07-09T14:30+01:00`.

The cells are read as TimelineJS reads them (a spreadsheet's `2,020`, `Jul`,
`2:30 PM`). A year before 1 is before the common era: TimelineJS shows -500 as
"500 BCE", and so does an event dated `-0500`; there is no year 0. A time of
day needs a day and a zone: TimelineJS's times carry none, so the zone is the
one the author gives (`--timezone`), with its summer time on that date.
"""

from __future__ import annotations

import datetime
import re

from timeline.dates import InvalidDate, PartialDate
from timeline.timelinejs_reader import SlideDate


def slide_date(date: SlideDate, timezone: str | None, notes: list[str]) -> str:
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
    if number > 0:  # the date parser says whether the day exists; a BC month's days are counted below
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
    offset = _offset(timezone, number, int(parts[1]), int(parts[2]), hour, minute)
    if offset is None:
        hint = (
            "TimelineJS gives no time zone: import again with --timezone (e.g. --timezone Europe/Paris, or UTC) to keep it"
            if timezone is None
            else f"--timezone {timezone} cannot place a date before year 1: give an offset like +01:00"
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
