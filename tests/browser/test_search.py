"""Search: the box appears only with JavaScript, finds events through Pagefind's index fetched from the
site itself, follows the timeline's filters, and is accessible with its results showing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .test_accessibility import AXE_TAGS, _describe

pytestmark = pytest.mark.browser

CONTENT = Path(__file__).resolve().parents[2] / "content"
ONLY_IN_ONE_BODY = "MLex"
"""A word of one event's body (the Garante's fine) and of no other text in the content."""


def search(visit, term: str) -> list[str]:
    """Type `term` and wait for the announced count; the results' links, in order."""
    page = visit.page
    page.fill("#search-input", term)
    page.locator("#search-status").filter(has_text=re.compile(r"match")).wait_for(timeout=15_000)
    return [link.get_attribute("href") for link in page.locator("#search-results a").all()]


def test_the_word_is_in_one_event_only():
    files = [path for path in (CONTENT / "events").glob("*.yaml") if ONLY_IN_ONE_BODY in path.read_text("utf-8")]
    assert [path.stem for path in files] == ["2022-03-09-garante-fine"]
    assert ONLY_IN_ONE_BODY not in (CONTENT / "timeline.yaml").read_text("utf-8")


def test_a_word_of_one_body_finds_that_event(open_page):
    visit = open_page("")
    assert search(visit, ONLY_IN_ONE_BODY) == ["/timeline/events/2022-03-09-garante-fine/"]
    assert visit.page.locator("#search-status").text_content() == "1 event matches."
    assert visit.page.locator("#search-results mark").first.text_content() == ONLY_IN_ONE_BODY
    visit.page.locator("#search-results a").first.click()
    visit.page.wait_for_url("**/events/2022-03-09-garante-fine/")


def test_search_follows_the_topic_filter_and_back(open_page):
    visit = open_page("")
    everywhere = search(visit, "fine")
    assert "/timeline/events/2022-03-09-garante-fine/" in everywhere and len(everywhere) > 3
    visit.page.locator("#filter-panel summary").click()
    visit.page.select_option("#filter-tag", "italy")
    visit.page.locator("#search-status").filter(has_text=re.compile(r"^1 event")).wait_for(timeout=15_000)
    links = [link.get_attribute("href") for link in visit.page.locator("#search-results a").all()]
    assert links == ["/timeline/events/2022-03-09-garante-fine/"]
    visit.page.select_option("#filter-tag", "")
    visit.page.locator("#search-status").filter(has_text=f"{len(everywhere)} events").wait_for(timeout=15_000)


def test_escape_clears_the_search(open_page):
    visit = open_page("")
    assert search(visit, "fine")
    visit.page.locator("#search-input").press("Escape")
    assert visit.page.locator("#search-input").input_value() == ""
    assert visit.page.locator("#search-results").is_hidden()
    assert visit.page.locator("#search-status").text_content() == ""


def test_no_search_box_without_javascript(open_page):
    visit = open_page("", javascript=False)
    assert visit.page.locator("#search").count() == 1
    assert visit.page.locator("#search").is_hidden()
    assert visit.page.locator("#search-input").is_hidden()


def test_the_index_is_fetched_only_when_the_reader_searches_and_only_from_the_site(open_page, origin):
    visit = open_page("", wait_until="networkidle")
    assert not [url for url in visit.requests if "/pagefind/" in url], "the index was fetched before any search"
    search(visit, "Garante")
    visit.page.wait_for_load_state("networkidle")
    fetched = [url for url in visit.requests if "/pagefind/" in url]
    assert fetched and all(urlsplit(url).path.startswith("/timeline/pagefind/") for url in fetched)
    foreign = [
        url for url in visit.requests if urlsplit(url).scheme in ("http", "https") and not url.startswith(origin)
    ]
    assert not foreign
    assert not visit.failures


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_results_showing(axe_script, open_page, width, scheme):
    visit = open_page("", width=width, color_scheme=scheme, bypass_csp=True)
    assert search(visit, "fine")
    visit.page.add_script_tag(path=str(axe_script))
    results = visit.page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    assert not results["violations"], _describe(results["violations"])
