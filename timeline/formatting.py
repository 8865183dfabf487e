"""Locale-aware text for templates: dates at their precision, money, countries."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import format_compact_currency, format_currency

from timeline.dates import PartialDate


def format_partial_date(date: PartialDate, locale: str) -> str:
    """`23 May 2022`, `July 2020` or `2021`, in the timeline's language."""
    return date.format(locale)


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


def format_money_compact(value: int | Decimal, currency: str, locale: str) -> str:
    """The short form where space is tight: `£7.55M`."""
    return format_compact_currency(value, currency, locale=locale, fraction_digits=2)


def country_name(code: str, locale: str) -> str:
    """`GB` → `United Kingdom`, in the timeline's language."""
    return Locale.parse(locale).territories.get(code, code)
