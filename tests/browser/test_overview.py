"""The index as a reader first sees it: events on the first screen, the overview following filters and zoom,
deep links clear of the sticky bar, and the titles-only view."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from timeline.cli import main

pytestmark = pytest.mark.browser

DEEP = "2022-05-23-ico-final-fine"
CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_first_screen_shows_an_event_title(open_page, theme: str, width: int) -> None:
    if theme == "report":
        pytest.skip("the report opens with its cover, as a printed report does")
    page = open_page("", width=width).page
    height = page.viewport_size["height"]
    tops = page.locator("article.event h3").evaluate_all("nodes => nodes.map(n => n.getBoundingClientRect().bottom)")
    assert tops and min(tops) <= height, (
        f"the first event's title ends at {min(tops):.0f} px, below the {height} px screen"
    )


def test_the_title_is_said_once(open_page, theme: str) -> None:
    if theme == "report":
        pytest.skip("the report's cover names the timeline as a printed report does")
    page = open_page("").page
    assert page.locator("h1").count() == 1
    assert page.get_by_text(page.locator("h1").inner_text(), exact=True).count() == 1


@pytest.mark.parametrize("width", [375, 1280])
def test_a_deep_link_lands_with_the_title_visible(open_page, width: int) -> None:
    page = open_page(f"#{DEEP}", width=width).page
    page.wait_for_timeout(200)
    bar = page.locator("#year-index").bounding_box()
    title = page.locator(f"[id='{DEEP}'] h3").bounding_box()
    assert title["y"] >= bar["y"] + bar["height"] - 1, (
        f"title at {title['y']:.0f}, under the bar ending {bar['y'] + bar['height']:.0f}"
    )
    assert title["y"] + title["height"] <= page.viewport_size["height"]


def test_filtering_dims_marks_and_updates_year_counts(open_page, theme: str) -> None:
    page = open_page("?group=uk").page
    marks = page.locator("#overview a.mark")
    total = marks.count()
    off = page.locator("#overview a.mark.off").count()
    uk = page.locator('#overview a.mark[data-group="uk"]').count()
    assert uk and off == total - uk
    counts = dict(
        page.locator("#year-index li:visible").evaluate_all(
            "nodes => nodes.map(n => [n.dataset.year, n.querySelector('.count').textContent])"
        )
    )
    visible = page.locator("article.event:visible").evaluate_all(
        "nodes => nodes.map(n => n.closest('li').dataset.year)"
    )
    assert counts == {year: str(visible.count(year)) for year in set(visible)}
    assert "2026" not in counts  # no UK event in 2026: the year is hidden


def test_zoom_changes_the_view_and_resets(open_page) -> None:
    page = open_page("").page
    circle = page.locator("#overview a.mark circle").last
    before = circle.get_attribute("cx")
    page.get_by_role("button", name="Zoom in").click()
    assert circle.get_attribute("cx") != before
    page.get_by_role("button", name="Show all").click()
    assert circle.get_attribute("cx") == before
    page.locator("#overview a.mark").first.focus()
    page.keyboard.press("+")
    assert circle.get_attribute("cx") != before


def test_the_density_strip_zooms_and_resets(browser, tmp_path, monkeypatch) -> None:
    """Past the threshold the marks become bars on a grid, which carry no data-x: zoom reads their x and width."""
    monkeypatch.setattr("timeline.overview.DENSITY_THRESHOLD", 2)
    site = tmp_path / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(site)]) == 0
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        bar = page.locator("#overview .bins rect").last
        before = (bar.get_attribute("x"), bar.get_attribute("width"))
        page.get_by_role("button", name="Zoom in").click()
        assert float(bar.get_attribute("width").rstrip("%")) == pytest.approx(2 * float(before[1].rstrip("%")))
        assert bar.get_attribute("x") != before[0]
        page.get_by_role("button", name="Show all").click()
        assert (bar.get_attribute("x"), bar.get_attribute("width")) == before
    finally:
        page.close()
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def test_where_the_reader_is_is_shaded(open_page) -> None:
    page = open_page(f"#{DEEP}").page
    page.wait_for_timeout(200)
    here = page.locator("#overview .overview-here")
    assert here.get_attribute("display") is None
    assert float(here.get_attribute("width").rstrip("%")) > 0


@pytest.mark.parametrize("javascript", [True, False])
def test_titles_only_toggle(open_page, javascript: bool) -> None:
    page = open_page("", javascript=javascript).page
    summary = page.locator("article.event .summary").first
    expect(summary).to_be_visible()
    page.get_by_label("Titles only").check()
    expect(summary).to_be_hidden()
    expect(page.locator("article.event h3").first).to_be_visible()
    if javascript:
        page.reload()
        expect(page.get_by_label("Titles only")).to_be_checked()
        expect(summary).to_be_hidden()
