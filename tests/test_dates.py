"""Partial dates keep the precision the sources support."""

from __future__ import annotations

import pytest

from timeline.dates import InvalidDate, PartialDate


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
