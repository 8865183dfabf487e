"""The timeline page's filters: they narrow the chronology, keep their state in the URL, and undo cleanly.

The expected events come from the content model, not from the page, so a filter
that hides the wrong events, or a template that writes the wrong data attributes,
fails here.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from timeline.engine import check

from .conftest import CONTENT

pytestmark = pytest.mark.browser

EVENTS = check(CONTENT).timeline.events
ALL = [event.id for event in sorted(EVENTS, key=lambda event: event.sort_key)]


def expected(predicate) -> list[str]:
    """Ids of the events the predicate keeps, in chronological order."""
    return [event.id for event in sorted(EVENTS, key=lambda event: event.sort_key) if predicate(event)]


def shown(page) -> list[str]:
    """Ids of the events a reader can see, in the order they appear."""
    return page.locator("article.event:visible").evaluate_all("nodes => nodes.map(node => node.id)")


def filters(page):
    """The filter form: labels are looked up inside it, since events are labelled by their titles too."""
    return page.locator("#filters")


def status(page) -> str:
    return page.locator("#filter-status").inner_text()


def query(page) -> str:
    return page.evaluate("location.search")


def test_without_a_query_every_event_is_shown_and_counted(open_page) -> None:
    page = open_page("").page
    assert page.locator("#filters").is_visible(), "the script should reveal the filter form"
    assert shown(page) == ALL
    assert status(page) == f"Showing all {len(ALL)} events."


def test_a_tag_in_the_url_shows_only_that_topic_and_opens_the_panel(open_page) -> None:
    page = open_page("?tag=cnil").page
    want = expected(lambda event: "cnil" in {tag.key for tag in event.tags})
    assert 0 < len(want) < len(ALL)
    assert shown(page) == want
    assert status(page) == f"Showing {len(want)} of {len(ALL)} events."
    assert page.locator("#filter-panel").get_attribute("open") is not None, (
        "a filtered link should show why events are missing"
    )
    assert page.locator("select[name=tag]").input_value() == "cnil"


def test_years_with_no_matching_event_are_hidden(open_page) -> None:
    page = open_page("?tag=cnil").page
    want_years = {event.date.year for event in EVENTS if "cnil" in {tag.key for tag in event.tags}}
    visible_years = page.locator("section.year:visible h2").all_inner_texts()
    assert sorted(int(re.sub(r"\D", "", year)) for year in visible_years) == sorted(want_years)


def test_choosing_filters_updates_the_url_and_survives_a_reload(open_page) -> None:
    page = open_page("").page
    page.get_by_text("Filter the timeline").click()
    filters(page).get_by_label("Country").select_option("FR")
    filters(page).get_by_label("From").select_option("2022")
    want = expected(lambda event: event.value("jurisdiction") == "FR" and event.date.year >= 2022)
    assert want, "the content should have French events from 2022 on"
    assert shown(page) == want
    assert query(page) == "?jurisdiction=FR&from=2022"

    page.reload()
    assert shown(page) == want, "the filtered view should survive a reload"
    assert filters(page).get_by_label("Country").input_value() == "FR"
    assert filters(page).get_by_label("From").input_value() == "2022"
    assert status(page) == f"Showing {len(want)} of {len(ALL)} events."


def test_year_range_and_authority_combine(open_page) -> None:
    authority = next(
        event.value("authority")
        for event in EVENTS
        if "ico" in {tag.key for tag in event.tags} and event.value("authority")
    )
    page = open_page("").page
    page.get_by_text("Filter the timeline").click()
    filters(page).get_by_label("Authority").select_option(authority)
    filters(page).get_by_label("To", exact=True).select_option("2021")
    want = expected(lambda event: event.value("authority") == authority and event.date.year <= 2021)
    assert want
    assert shown(page) == want


def test_newest_first_reverses_the_chronology_and_is_kept_in_the_url(open_page) -> None:
    page = open_page("").page
    page.get_by_text("Filter the timeline").click()
    filters(page).get_by_label("Newest first").check()
    assert shown(page) == list(reversed(ALL))
    assert query(page) == "?order=newest"
    assert status(page) == f"Showing all {len(ALL)} events, newest first."
    page.reload()
    assert shown(page) == list(reversed(ALL))
    filters(page).get_by_label("Newest first").uncheck()
    assert shown(page) == ALL, "unticking should restore the chronological order"


def test_clear_filters_shows_everything_and_empties_the_url(open_page) -> None:
    page = open_page("?tag=fine&order=newest").page
    assert len(shown(page)) < len(ALL)
    page.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/timeline/$"))  # the reset is handled a tick later
    assert shown(page) == ALL
    assert status(page) == f"Showing all {len(ALL)} events."


def test_an_unknown_value_in_the_url_is_ignored_rather_than_hiding_everything(open_page) -> None:
    page = open_page("?tag=no-such-topic&jurisdiction=ZZ").page
    assert shown(page) == ALL
    assert page.locator("select[name=tag]").input_value() == ""


def test_the_status_is_announced_to_screen_readers(open_page) -> None:
    page = open_page("").page
    live = page.locator("#filter-status")
    assert live.get_attribute("role") == "status"
    page.get_by_text("Filter the timeline").click()
    filters(page).get_by_label("Topic").select_option("garante")
    want = expected(lambda event: "garante" in {tag.key for tag in event.tags})
    assert live.inner_text() == f"Showing {len(want)} of {len(ALL)} events."


def test_without_javascript_the_form_stays_hidden_and_topics_link_to_their_pages(open_page) -> None:
    page = open_page("?tag=cnil", javascript=False).page
    assert not page.locator("#filters").is_visible(), "a form that cannot work should not be shown"
    assert shown(page) == ALL
    topic = page.locator("a[href$='tags/cnil/']").first
    assert topic.is_visible()
