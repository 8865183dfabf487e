"""Dates before the common era, times of day, display dates and same-date order, as readers see them.

tests/sites/eras is a small timeline with 753 BC (shown as "Traditionally 753 BC"),
45 and 44 BC, two events on 15 October 1582 ordered by `order`, and a time of day.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import edit


def build(run, project: Path):
    result = run(["build"], cwd=project)
    assert result.code == 0, result.err
    return result


def page(project: Path, relative: str) -> str:
    return (project / "site" / relative).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def eras(run, sample_site):
    project = sample_site("eras")
    build(run, project)
    return project


def test_bc_events_come_first_with_their_era_in_words(eras):
    html = page(eras, "index.html")
    headings = re.findall(r"<h2 id=\"y(-?[0-9]+)\">([^<]+)</h2>", html)
    assert headings == [("-753", "753 BC"), ("-45", "45 BC"), ("-44", "44 BC"), ("1582", "1582"), ("2001", "2001")]
    # HTML has no year before AD 1: a BC date keeps its value in <data>, never in <time datetime>.
    assert '<data class="date" value="-0044-03-15">15 March 44 BC</data>' in html
    assert '<data class="date" value="-0045-01-01">1 January 45 BC</data>' in html
    assert not re.search(r'datetime="-', html)
    # The year filters offer BC years by name, with the number the script compares.
    assert '<option value="-753">753 BC</option><option value="-45">45 BC</option>' in html


def test_display_date_is_shown_instead_of_the_date_which_still_places_the_event(eras):
    html = page(eras, "index.html")
    assert '<data class="date" value="-0753">Traditionally 753 BC</data>' in html
    assert html.index("Rome is founded") < html.index("The Julian calendar takes effect")
    event = page(eras, "events/0753-bc-rome/index.html")
    assert '<p class="event-date"><data class="date" value="-0753">Traditionally 753 BC</data></p>' in event
    assert '<meta name="description" content="Rome is founded, by tradition (Traditionally 753 BC)">' in event


def test_a_time_of_day_is_shown_with_its_offset_in_a_valid_datetime(eras):
    html = page(eras, "events/2001-09-09-unix-billennium/index.html")
    assert '<time datetime="2001-09-09T01:46:40Z">9 September 2001, 01:46:40 GMT</time>' in html


def titles(html: str) -> list[str]:
    return re.findall(r"<h3[^>]*><a [^>]*>([^<]+)</a></h3>", html)


def test_same_date_events_follow_their_order_then_their_id(eras, run):
    assert titles(page(eras, "index.html")) == [
        "Rome is founded, by tradition",
        "The Julian calendar takes effect",
        "Julius Caesar is killed on the Ides of March",
        "Poland adopts the Gregorian calendar",  # order 1
        "Italy, Spain and Portugal adopt the Gregorian calendar",  # order 2
        "Unix time reaches one billion seconds",
    ]
    edit(eras, "content/events/1582-10-15-poland.yaml", "order: 1\n", "")  # 0 comes first too
    edit(eras, "content/events/1582-10-15-italy-spain-portugal.yaml", "order: 2\n", "")  # same order: by id
    build(run, eras)
    listed = titles(page(eras, "index.html"))
    assert listed.index("Italy, Spain and Portugal adopt the Gregorian calendar") < listed.index(
        "Poland adopts the Gregorian calendar"
    )


def test_time_between_linked_events_counts_across_the_era(eras):
    html = text_of(page(eras, "events/0045-01-01-bc-julian-calendar/index.html"))
    assert "15 October 1582 (1,626 years, 9 months later): Italy, Spain and Portugal adopt" in html


def test_french_shows_bc_dates_and_times_in_french(eras, run):
    edit(eras, "content/timeline.yaml", "language: en-GB", "language: fr")
    build(run, eras)
    html = page(eras, "index.html")
    assert '<h2 id="y-44">44 av. J.-C.</h2>' in html
    assert "15 mars 44 av. J.-C.</data>" in html
    assert ">9 septembre 2001, 01:46:40 UTC</time>" in html
    assert "1\u202f626 ans et 9\xa0mois" in page(eras, "events/0045-01-01-bc-julian-calendar/index.html")


def test_the_data_keeps_dates_as_written_with_display_date_and_order(eras):
    data = json.loads(page(eras, "timeline.json"))
    events = {event["id"]: event for event in data["events"]}
    assert [event["id"] for event in data["events"]][:2] == ["0753-bc-rome", "0045-01-01-bc-julian-calendar"]
    rome = events["0753-bc-rome"]
    assert (rome["date"], rome["display_date"], rome["order"]) == ("-0753", "Traditionally 753 BC", 0)
    assert events["2001-09-09-unix-billennium"]["date"] == "2001-09-09T01:46:40Z"
    assert events["1582-10-15-poland"]["order"] == 1


def test_json_ld_counts_years_as_iso_8601_does(eras):
    html = page(eras, "events/0044-03-15-bc-ides-of-march/index.html")
    assert '"temporalCoverage": "-0043-03-15"' in html  # ISO 8601 has a year 0: 44 BC is -0043


def test_the_feed_gives_times_their_offset_and_bc_events_no_published_date(eras):
    feed = page(eras, "feed.xml")
    entries = dict(re.findall(r"<id>https://example.org/eras/events/([^/]+)/</id>(.*?)</entry>", feed, re.S))
    assert "<published>2001-09-09T01:46:40Z</published>" in entries["2001-09-09-unix-billennium"]
    assert "<published>" not in entries["0044-03-15-bc-ides-of-march"]
    assert "<updated>" in entries["0044-03-15-bc-ides-of-march"]  # Atom requires it


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("date: -500", "date: expected text, got the number -500; write the year with at least four digits, in quotes: '-0500' (500 BC)"),
        ("date: '-500'", "date: '-500' has too few digits; a year before the common era has at least four: write -0500 for 500 BC"),
        ("date: '0000'", "date: '0000' has year 0, and there is none: 1 BC (-0001) is followed by AD 1 (0001)"),
        ("date: 2020-07T14:30Z", "date: '2020-07T14:30Z' has a time of day but no day; write 2020-07-DDT14:30Z with the day the time is on"),
        ("date: 2020-07-09T14:30", "date: '2020-07-09T14:30' has a time but no offset from UTC; add Z for UTC or the offset, like 2020-07-09T14:30Z or 2020-07-09T14:30+01:00"),
        ("date: 2020-07-09T14:30+25:00", "date: '2020-07-09T14:30+25:00' has the UTC offset +25:00; offsets run from -12:00 to +14:00 (Z is UTC)"),
        ("date: '-0044'\norder: first", "order: expected a whole number, got 'first'"),
        ("date: '-0044'\ndisplay_date: ''", "display_date: must not be empty"),
    ],
)  # fmt: skip
def test_bad_dates_are_errors_at_their_line_and_column(run, sample_site, line, message):
    project = sample_site("eras")
    edit(project, "content/events/0044-03-15-bc-ides-of-march.yaml", "date: '-0044-03-15'", line)
    result = run(["check"], cwd=project)
    assert result.code == 1
    where = "content/events/0044-03-15-bc-ides-of-march.yaml"
    column = 15 if "display_date" in message else 8 if message.startswith("order") else 7
    row = 2 if message.startswith(("order", "display_date")) else 1
    assert f"{where}:{row}:{column}: error: {message}\n" in result.err


def test_unquoted_times_and_bc_years_reach_the_checks_as_written(run, sample_site):
    """The loader reads YAML 1.2 plain scalars: neither is turned into a timestamp or a number."""
    project = sample_site("eras")
    edit(project, "content/events/0044-03-15-bc-ides-of-march.yaml", "date: '-0044-03-15'", "date: -0044-03-15")
    edit(
        project,
        "content/events/2001-09-09-unix-billennium.yaml",
        "date: 2001-09-09T01:46:40Z",
        "date: 2001-09-09T02:46:40+01:00",
    )
    build(run, project)
    assert "15 March 44 BC" in page(project, "index.html")
    assert '<time datetime="2001-09-09T02:46:40+01:00">9 September 2001, 02:46:40 GMT+01:00</time>' in page(
        project, "index.html"
    )


def test_an_end_before_a_bc_start_is_an_error(run, sample_site):
    project = sample_site("eras")
    edit(
        project,
        "content/events/0044-03-15-bc-ides-of-march.yaml",
        "date: '-0044-03-15'",
        "date: '-0044-03-15'\nend_date: '-0045'",
    )
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert "end_date: '-0045' is before the event's date '-0044-03-15'" in result.err
    edit(project, "content/events/0044-03-15-bc-ides-of-march.yaml", "end_date: '-0045'", "end_date: '0001'")
    assert run(["check"], cwd=project).code == 0


def test_an_end_time_is_compared_by_its_instant(run, sample_site):
    project = sample_site("eras")
    path = "content/events/2001-09-09-unix-billennium.yaml"
    edit(project, path, "date: 2001-09-09T01:46:40Z", "date: 2001-09-09T01:46:40Z\nend_date: 2001-09-09T02:00+01:00")
    result = run(["check"], cwd=project)
    assert "end_date: '2001-09-09T02:00+01:00' is before the event's date '2001-09-09T01:46:40Z'" in result.err
    edit(project, path, "end_date: 2001-09-09T02:00+01:00", "end_date: 2001-09-09T03:00+01:00")
    assert run(["check"], cwd=project).code == 0


def test_new_names_a_bc_event_file_that_can_be_an_id(run, sample_site):
    project = sample_site("eras")
    result = run(["new", "Battle of Marathon", "--date=-0490-09"], cwd=project)
    assert result.code == 0, result.err
    assert result.out == "content/events/0490-09-bc-battle-of-marathon.yaml\n"
    text = (project / result.out.strip()).read_text(encoding="utf-8")
    assert "date: '-0490-09'\n" in text


def test_a_bc_file_name_must_say_bc(run, sample_site):
    project = sample_site("eras")
    (project / "content/events/0044-03-15-bc-ides-of-march.yaml").rename(
        project / "content/events/0044-03-15-ides.yaml"
    )
    result = run(["check"], cwd=project)
    assert (
        "warning: date: the file name starts with 0044-03-15 but the event's date is -0044-03-15; "
        "if the date is right, rename the file" in result.err
    )


def test_a_source_long_before_a_bc_event_is_measured_across_calendar_months(run, sample_site):
    project = sample_site("eras")
    path = "content/events/0044-03-15-bc-ides-of-march.yaml"
    url = "    url: https://example.com/encyclopaedia/ides-of-march"
    edit(project, path, url, f"{url}\n    published: '-0100'")
    result = run(["check"], cwd=project)
    assert result.code == 0
    assert (
        f"{path}:10:16: warning: sources[0].published: published -0100, 55 years and 2 months before the event "
        "(-0044-03-15); is it the right source, and are both dates right? [source-before-event]"
    ) in result.err
