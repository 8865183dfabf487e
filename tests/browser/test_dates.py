"""Dates before the common era in the browser: the year filters and the embed keep BC events,
and pages with BC dates, times and display dates pass axe-core (tests/sites/eras)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from timeline.cli import main

from .conftest import VIEWPORTS, _QuietHandler
from .test_accessibility import AXE_TAGS, _describe

pytestmark = pytest.mark.browser

ERAS = Path(__file__).resolve().parents[1] / "sites" / "eras" / "content"


@pytest.fixture(scope="module")
def eras_url(tmp_path_factory: pytest.TempPathFactory):
    """tests/sites/eras built with the default theme and served on a loopback port."""
    root = tmp_path_factory.mktemp("eras") / "site"
    assert main(["build", "--content", str(ERAS), "--out", str(root)]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def page_at(browser, eras_url):
    contexts = []

    def open_(path: str = "", *, width: int = 1280, color_scheme: str = "light", bypass_csp: bool = False):
        context = browser.new_context(viewport=VIEWPORTS[width], color_scheme=color_scheme, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.goto(eras_url + path)
        return page

    yield open_
    for context in contexts:
        context.close()


def shown(page) -> list[str]:
    return page.locator(".event-item:visible h3").all_inner_texts()


def test_a_from_year_before_the_common_era_keeps_what_follows_it(page_at) -> None:
    page = page_at("")
    page.get_by_text("Filter the timeline").click()
    page.locator("#filters").get_by_label("From").select_option(label="45 BC")
    assert page.evaluate("location.search") == "?from=-45"
    assert shown(page)[:2] == ["The Julian calendar takes effect", "Julius Caesar is killed on the Ides of March"]
    assert "Rome is founded, by tradition" not in shown(page)
    page.locator("#filters").get_by_label("To", exact=True).select_option(label="45 BC")
    assert shown(page) == ["The Julian calendar takes effect"]
    page.reload()
    assert shown(page) == ["The Julian calendar takes effect"], "the BC range should survive a reload"


def test_the_embed_shows_bc_events_without_a_from_year(page_at) -> None:
    page = page_at("embed/")
    assert page.locator(".event-item:visible").count() == 6
    filtered = page_at("embed/?from=-44")
    assert filtered.locator(".event-item:visible").count() == 4


PAGES = {"index": "", "bc-event": "events/0045-01-01-bc-julian-calendar/", "time": "events/2001-09-09-unix-billennium/"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_pages_with_bc_dates_and_times_pass_axe(axe_script, page_at, name: str, width: int, scheme: str) -> None:
    page = page_at(PAGES[name], width=width, color_scheme=scheme, bypass_csp=True)
    page.add_script_tag(path=str(axe_script))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    assert results["passes"]
    assert not results["violations"], _describe(results["violations"])
