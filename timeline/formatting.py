"""Locale-aware text for templates: dates at their precision, money, countries.

Each function is memoised: a large timeline formats the same dates, amounts
and countries on every page that lists an event, and Babel is slow to start.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_currency, format_currency, format_decimal
from babel.units import format_unit
from dateutil.relativedelta import relativedelta

from timeline.dates import PartialDate
from timeline.fields import Field


@lru_cache(maxsize=1 << 16)
def format_partial_date(date: PartialDate, locale: str) -> str:
    """`23 May 2022`, `July 2020` or `2021`, in the timeline's language."""
    return date.format(locale)


@lru_cache(maxsize=1 << 16)
def format_year(year: int, locale: str) -> str:
    """A year as written in event files (-500 is 500 BC) as readers read it: `2021`, `500 BC`."""
    return PartialDate(year).format(locale)


@lru_cache(maxsize=1 << 16)
def format_day(day: datetime.date, locale: str) -> str:
    """A calendar day, `3 March 2025`, in the timeline's language."""
    return format_date(day, format="long", locale=locale)


@lru_cache(maxsize=1 << 16)
def format_money(value: int | Decimal, currency: str, locale: str) -> str:
    """The exact figure: `£7,552,800`; pence and cents only when the figure has them."""
    if isinstance(value, int):
        return format_currency(value, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False)
    return format_currency(value, currency, locale=locale)


@cache
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without its fraction digits (`#,##0.00 ¤` → `#,##0 ¤`)."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return re.sub(r"\.0+", "", pattern.split(";")[0])


@lru_cache(maxsize=1 << 16)
def format_money_compact(value: int | Decimal, currency: str, locale: str) -> str:
    """The short form where space is tight: `£7.55M`."""
    return format_compact_currency(value, currency, locale=locale, fraction_digits=2)


@lru_cache(maxsize=1 << 16)
def format_number(value: int | Decimal, locale: str) -> str:
    """A number with the language's separators: `1,234,567` or `1 234 567`."""
    return format_decimal(value, locale=locale)


def field_text(field: Field, value: Any, locale: str, events: Mapping[str, Any]) -> str:
    """A declared field's value as plain text in the timeline's language, whatever its type.

    `events`: the timeline's events by id, for a field that names another event (by its title).
    """
    if field.type == "choice":
        return value.label
    if field.type == "country":
        return country_name(value, locale)
    if field.type == "money":
        return format_money(value.value, value.currency, locale)
    if field.type == "number":
        return format_number(value, locale)
    if field.type == "date":
        return format_partial_date(value, locale)
    if field.type == "event":
        return events[value].title
    return value  # text and url: as written


@lru_cache(maxsize=1 << 16)
def country_name(code: str, locale: str) -> str:
    """`GB` → `United Kingdom`, in the timeline's language."""
    return Locale.parse(locale).territories.get(code, code)


@lru_cache(maxsize=1 << 16)
def format_interval(earlier: PartialDate, later: PartialDate, locale: str) -> str:
    """The time between two dates, at the coarser precision of the two: `1 year, 5 months`.

    relativedelta counts calendar months (31 January to 28 February is one
    month), which is how people say "six months later". Years run on across
    the era (1 BC to AD 1 is one year). Two times on the same day give hours
    and minutes. Returns '' for no gap.
    """
    delta = _calendar_delta(earlier, later)
    parts = []
    if delta.years:
        parts.append(format_unit(delta.years, "duration-year", length="long", locale=locale))
    if delta.months:
        parts.append(format_unit(delta.months, "duration-month", length="long", locale=locale))
    if not parts and delta.days:
        parts.append(format_unit(delta.days, "duration-day", length="long", locale=locale))
    if not parts and earlier.hour is not None and later.hour is not None:
        minutes = (later.start - earlier.start) // 60
        if minutes >= 60:
            parts.append(format_unit(minutes // 60, "duration-hour", length="long", locale=locale))
        if minutes % 60 and minutes > 0:
            parts.append(format_unit(minutes % 60, "duration-minute", length="long", locale=locale))
    return format_list(parts, style="unit", locale=locale) if parts else ""


def _calendar_delta(earlier: PartialDate, later: PartialDate) -> relativedelta:
    """Years, months and days between two dates, BC or AD: days only when both have a day."""
    if earlier.day is not None and later.day is not None:
        # Whole 400-year cycles keep the calendar: BC days are moved into datetime's range together.
        cycles = max(earlier.cycles_to_ad, later.cycles_to_ad)
        try:
            return relativedelta(later.moved(cycles), earlier.moved(cycles))
        except (ValueError, OverflowError):  # past AD 9999 once moved: thousands of years apart, days do not matter
            pass
    start = (earlier.astronomical_year, earlier.month or 1)
    end = (later.astronomical_year, later.month or 1)
    months = (end[0] - start[0]) * 12 + end[1] - start[1]
    if earlier.month is None or later.month is None:
        months -= months % 12
    return relativedelta(years=months // 12, months=months % 12)
