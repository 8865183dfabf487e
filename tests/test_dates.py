"""Partial dates keep the precision the sources support."""

from __future__ import annotations

import pytest

from timeline.dates import InvalidDate, PartialDate
from timeline.formatting import format_interval


@pytest.mark.parametrize(
    ("text", "locale", "shown"),
    [
        ("2020-07", "en_GB", "July 2020"),
        ("2022-05-23", "en_GB", "23 May 2022"),
        ("2021", "en_GB", "2021"),
        ("2022-05-23", "en_US", "May 23, 2022"),
        ("2020-07", "fr_FR", "juillet 2020"),
    ],
)
def test_dates_are_shown_at_their_precision(text, locale, shown):
    assert PartialDate.parse(text).format(locale) == shown


def test_a_month_sorts_before_its_days_and_a_year_before_its_months():
    dates = [PartialDate.parse(text) for text in ("2020-07-09", "2021", "2020-07", "2020", "2020-06-30")]
    assert [date.iso for date in sorted(dates)] == ["2020", "2020-06-30", "2020-07", "2020-07-09", "2021"]


def test_partial_dates_are_not_completed():
    date = PartialDate.parse("2024-03")
    assert (date.day, date.precision, date.iso) == (None, "month", "2024-03")
    assert date.first_day.isoformat() == "2024-03-01"
    assert date.last_day.isoformat() == "2024-03-31"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-02-30", "'2022-02-30' is not a real date: February 2022 has 28 days"),
        ("2024-02-30", "'2024-02-30' is not a real date: February 2024 has 29 days"),
        ("2022-00", "'2022-00' has month 00; months run from 01 to 12"),
        (
            "03/04/2021",
            "'03/04/2021' is not a date like 2022-05-23, 2022-05 or 2022; it is ambiguous: write 2021-04-03 "
            "for 3 April 2021 (day first) or 2021-03-04 for 4 March 2021 (month first)",
        ),
        ("23/05/2022", "'23/05/2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-23?)"),
        ("05.05.2022", "'05.05.2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-05?)"),
        ("31/02/2022", "'31/02/2022' is not a date like 2022-05-23, 2022-05 or 2022"),
        ("2022-5-3", "'2022-5-3' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-03?)"),
        ("23 May 2022", "'23 May 2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-23?)"),
        ("May 23, 2022", "'May 23, 2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-23?)"),
        # The precision written is kept: a month is not completed to its first day.
        ("July 2020", "'July 2020' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2020-07?)"),
        ("23 May", "'23 May' is not a date like 2022-05-23, 2022-05 or 2022"),
        ("last Tuesday", "'last Tuesday' is not a date like 2022-05-23, 2022-05 or 2022"),
    ],
)
def test_invalid_dates_say_what_is_wrong(text, message):
    with pytest.raises(InvalidDate) as raised:
        PartialDate.parse(text)
    assert str(raised.value) == message


# Years before the common era, times of day, and the calendar arithmetic behind them.


@pytest.mark.parametrize(
    ("text", "locale", "shown"),
    [
        ("-0500", "en_GB", "500 BC"),
        ("-0500", "fr_FR", "500 av. J.-C."),
        ("-0500-03", "en_GB", "March 500 BC"),
        ("-0044-03-15", "en_GB", "15 March 44 BC"),
        ("-0044-03-15", "en_US", "March 15, 44 BC"),
        ("-0044-03-15", "fr_FR", "15 mars 44 av. J.-C."),
        ("-0001", "en_GB", "1 BC"),
        ("0800", "en_GB", "800"),
        ("2020-07-09T14:30+01:00", "en_GB", "9 July 2020, 14:30 GMT+01:00"),
        ("2020-07-09T14:30+01:00", "fr_FR", "9 juillet 2020, 14:30 UTC+01:00"),
        ("2020-07-09T14:30+01:00", "en_US", "July 9, 2020, 2:30\u202fPM GMT+01:00"),
        ("2020-07-09T14:30:05Z", "en_GB", "9 July 2020, 14:30:05 GMT"),
        ("2020-07-09T09:05-05:30", "fr_FR", "9 juillet 2020, 09:05 UTC-05:30"),
    ],
)
def test_bc_dates_and_times_are_shown_in_the_locale(text, locale, shown):
    assert PartialDate.parse(text).format(locale) == shown


def test_the_parts_are_those_written_with_bc_years_as_written():
    bc = PartialDate.parse("-0500-03-15")
    assert (bc.year, bc.month, bc.day, bc.hour, bc.offset, bc.bce) == (-500, 3, 15, None, None, True)
    assert (bc.iso, bc.precision, bc.astronomical_year) == ("-0500-03-15", "day", -499)
    timed = PartialDate.parse("2020-07-09T14:30:05-05:30")
    assert (timed.hour, timed.minute, timed.second, timed.offset) == (14, 30, 5, -330)
    assert (timed.iso, timed.date_iso, timed.precision) == ("2020-07-09T14:30:05-05:30", "2020-07-09", "time")
    assert PartialDate.parse("2020-07-09T14:30+00:00").iso == "2020-07-09T14:30Z"


def test_bc_years_sort_before_later_ones_and_times_within_their_day():
    texts = [
        "2020-07-09T14:00Z",
        "0001",
        "-0400",
        "2020-07-09",
        "-0001-12-31",
        "-0500",
        "2020-07-09T14:30+01:00",  # 13:30 UTC: before 14:00Z
        "-0500-06",
    ]
    ordered = [date.iso for date in sorted(PartialDate.parse(text) for text in texts)]
    assert ordered == [
        "-0500",
        "-0500-06",
        "-0400",
        "-0001-12-31",
        "0001",
        "2020-07-09",
        "2020-07-09T14:30+01:00",
        "2020-07-09T14:00Z",
    ]


def test_decimal_year_runs_on_across_the_era():
    assert PartialDate.parse("-0001").decimal_year == 0.0  # 1 BC is year 0 on the scale
    assert PartialDate.parse("0001").decimal_year == 1.0
    assert PartialDate.parse("-0500").decimal_year == -499.0
    assert PartialDate.parse("-0001-07-01").decimal_year == pytest.approx(182 / 366)  # 1 BC is a leap year
    assert PartialDate.parse("2020-07-01T12:00Z").decimal_year == pytest.approx(2020 + 182.5 / 366)


@pytest.mark.parametrize(
    ("text", "html", "iso8601", "slug"),
    [
        ("-0500", None, "-0499", "0500-bc"),
        ("-0001-03", None, "0000-03", "0001-03-bc"),
        ("-0044-03-15", None, "-0043-03-15", "0044-03-15-bc"),
        ("0800", "0800", "0800", "0800"),
        ("2020-07-09T14:30+01:00", "2020-07-09T14:30+01:00", "2020-07-09T14:30+01:00", "2020-07-09"),
    ],
)
def test_serialised_forms(text, html, iso8601, slug):
    """HTML's `datetime` has no year before AD 1; ISO 8601 counts a year 0; file names cannot start with '-'."""
    date = PartialDate.parse(text)
    assert (date.html_datetime, date.iso8601, date.slug) == (html, iso8601, slug)


def test_bc_leap_years_follow_the_proleptic_gregorian_calendar():
    assert PartialDate.parse("-0001-02-29").day == 29  # 1 BC = year 0, a leap year
    assert PartialDate.parse("-0005-02-29").day == 29  # 5 BC = year -4
    with pytest.raises(InvalidDate, match="February 4 BC has 28 days"):
        PartialDate.parse("-0004-02-29")


@pytest.mark.parametrize(
    ("earlier", "later", "locale", "gap"),
    [
        ("-0001-12-31", "0001-01-01", "en_GB", "1 day"),  # no year 0 between them
        ("-0001", "0001", "en_GB", "1 year"),
        ("-0500", "-0400", "en_GB", "100 years"),
        ("-0045-01-01", "-0044-03-15", "en_GB", "1 year, 2 months"),
        ("-0045-01-01", "1582-10-15", "en_GB", "1,626 years, 9 months"),
        ("-0045-01-01", "1582-10-15", "fr_FR", "1\u202f626 ans et 9\xa0mois"),
        ("-9000-01-01", "2020-01-01", "en_GB", "11,019 years"),
        ("-99999999999-02-28", "2020-01-01", "en_GB", "100,000,002,017 years, 11 months"),  # past datetime's range
        ("2020-07-09T14:30+01:00", "2020-07-09T17:45+01:00", "en_GB", "3 hours, 15 minutes"),
        ("2020-07-09T14:30+01:00", "2020-07-09T14:45+01:00", "fr_FR", "15 minutes"),
        ("2020-07-09T14:30+01:00", "2020-07-10T10:00Z", "en_GB", "1 day"),
    ],
)
def test_time_between_linked_events_across_the_era_and_within_a_day(earlier, later, locale, gap):
    assert format_interval(PartialDate.parse(earlier), PartialDate.parse(later), locale) == gap


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-500", "'-500' has too few digits; a year before the common era has at least four: write -0500 for 500 BC"),
        (
            "-44-03",
            "'-44-03' has too few digits; a year before the common era has at least four: write -0044-03 for 44 BC",
        ),
        ("0000", "'0000' has year 0, and there is none: 1 BC (-0001) is followed by AD 1 (0001)"),
        ("-0000", "'-0000' has year 0, and there is none: 1 BC (-0001) is followed by AD 1 (0001)"),
        ("500 BC", "'500 BC' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean -0500? -0500 is 500 BC)"),
        ("-0500-02-29", "'-0500-02-29' is not a real date: February 500 BC has 28 days"),
        (
            "2020-07T14:30+01:00",
            "'2020-07T14:30+01:00' has a time of day but no day; write 2020-07-DDT14:30+01:00 with the day the time is on",
        ),
        (
            "2020-07-09T14:30",
            "'2020-07-09T14:30' has a time but no offset from UTC; add Z for UTC or the offset, "
            "like 2020-07-09T14:30Z or 2020-07-09T14:30+01:00",
        ),
        (
            "2020-07-09T14:30+0100",
            "'2020-07-09T14:30+0100' has the UTC offset '+0100'; write Z or ±HH:MM, like +01:00 or -05:00",
        ),
        (
            "2020-07-09T14:30+15:00",
            "'2020-07-09T14:30+15:00' has the UTC offset +15:00; offsets run from -12:00 to +14:00 (Z is UTC)",
        ),
        (
            "2020-07-09T24:00Z",
            "'2020-07-09T24:00Z' is not a time of day: hours run from 00 to 23, minutes and seconds to 59",
        ),
        ("2020-07-09 14:30Z", "'2020-07-09 14:30Z' has a space before the time; write a T: 2020-07-09T14:30Z"),
        ("-0500-3", "'-0500-3' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean -0500-03?)"),
        ("44 B.C.", "'44 B.C.' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean -0044? -0044 is 44 BC)"),
        ("\u22120500", "'\u22120500' starts with a typographic dash; write the plain minus sign: -0500"),
        (
            "2020-07-09t14:30z",
            "'2020-07-09t14:30z' is not a date like 2022-05-23, 2022-05 or 2022 "
            "(did you mean 2020-07-09T14:30Z? T and Z are capitals)",
        ),
        (
            "2020-07-09T14:30:00.5+01:00",
            "'2020-07-09T14:30:00.5+01:00' has a fraction of a second; write whole seconds: 2020-07-09T14:30:00+01:00",
        ),
        ("2022-02-30T10:00Z", "'2022-02-30T10:00Z' is not a real date: February 2022 has 28 days"),
    ],
)
def test_bad_bc_years_and_times_say_what_is_wrong(text, message):
    with pytest.raises(InvalidDate) as raised:
        PartialDate.parse(text)
    assert str(raised.value) == message


def test_a_date_of_separate_parts_is_checked_like_text():
    assert PartialDate.of(-500).iso == "-0500"
    assert PartialDate.of(2020, 7, 9, 14, 30, offset=60).iso == "2020-07-09T14:30+01:00"
    with pytest.raises(InvalidDate, match="has a time but no offset from UTC"):
        PartialDate.of(2020, 7, 9, 14, 30)
    with pytest.raises(InvalidDate, match="has year 0"):
        PartialDate.of(0)


@pytest.mark.parametrize(
    ("end", "start", "before"),
    [
        ("2020-07-09", "2020-07-10", True),  # a day before: no time zone makes it the same day
        ("2020-07-09", "2020-07-09", False),
        ("2020-06", "2020-07-01", True),
        ("-0045", "-0044-03-15", True),
        ("-0044", "-0044-03-15", False),
        ("2020-07-09T14:00Z", "2020-07-09T14:30+01:00", False),  # 14:00 UTC is after 13:30 UTC
        ("2020-07-09T13:00Z", "2020-07-09T14:30+01:00", True),
        ("2020-07-09", "2020-07-10T01:00+05:00", False),  # 9 July in UTC-12 runs to 10 July 12:00 UTC
        ("2020-07-09", "2020-07-10T13:00Z", True),
        ("2020-07-10T08:00+14:00", "2020-07-10", False),  # 9 July 18:00 UTC: still 10 July at UTC+14
        ("2020-07-09T08:00Z", "2020-07-10", True),
    ],
)
def test_an_end_before_its_start_allows_for_time_zones_only_against_a_time(end, start, before):
    assert PartialDate.parse(end).ends_before(PartialDate.parse(start)) is before
