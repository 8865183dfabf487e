"""Embeds in another site's page: frames sized to their content up to a cap, or fixed by data-height with the
timeline scrolling inside; a compact mode; frames named after their view; filters from the URL; foreign messages
ignored; a readable measure with headings larger than the text."""

from __future__ import annotations

import functools
import html
import http.server
import re
import threading

import pytest

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A newspaper article</title></head>
<body>
<h1>An article about Clearview AI</h1>
<p>The British case:</p>
<div id="first" data-timeline-embed="{site}embed/?tags=ico" data-title="The ICO's case" data-max-height="none"></div>
<p>The French case:</p>
<div id="second" data-timeline-embed="{site}embed/?tags=cnil&amp;order=newest" data-title="The CNIL's case"
  data-max-height="none"></div>
<p>The end of the article.</p>
<script src="{site}static/embed.js" async></script>
</body></html>
"""


@pytest.fixture
def host_url(tmp_path, site_url):
    """A page on another origin (localhost, not 127.0.0.1) that embeds two timelines."""
    (tmp_path / "article.html").write_text(HOST_PAGE.format(site=site_url), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/article.html"
    server.shutdown()
    server.server_close()


SIDEBAR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>A page with embeds</title></head>
<body>
<h1>The British case</h1>
<div id="fixed" data-timeline-embed="{site}embed/?tags=ico" data-height="400"></div>
<p id="after">The article goes on.</p>
<div id="auto" data-timeline-embed="{site}embed/?tags=ico"></div>
<div id="full" data-timeline-embed="{site}embed/?tags=ico" data-max-height="none"></div>
<div id="compact" data-timeline-embed="{site}embed/?tags=ico" data-mode="compact" data-max-height="none"></div>
<script src="{site}static/embed.js" async></script>
</body></html>
"""


def serve_page(directory, html: str):
    """Serve `html` as page.html from another origin (localhost, not 127.0.0.1); yields its URL."""
    (directory / "page.html").write_text(html, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/page.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sidebar_url(tmp_path, site_url):
    """A page on another origin with four embeds of ?tags=ico: data-height=400, default, no cap, compact."""
    yield from serve_page(tmp_path, SIDEBAR_PAGE.format(site=site_url))


def frame_of(page, holder: str):
    handle = page.locator(f"#{holder} iframe")
    handle.scroll_into_view_if_needed()
    frame = handle.element_handle().content_frame()
    frame.wait_for_load_state("load")
    return handle, frame


def fits(page, holder: str) -> tuple[float, float]:
    """(the height inside the frame's border in the host page, its document's height), once they agree or after 5 s."""
    handle, frame = frame_of(page, holder)
    for _ in range(50):
        outer = handle.evaluate("frame => frame.clientHeight")
        inner = frame.evaluate("() => document.documentElement.getBoundingClientRect().height")
        if abs(outer - inner) <= 2:
            break
        page.wait_for_timeout(100)
    return outer, inner


def test_two_embeds_each_fit_their_content_and_follow_a_filter_change(browser, host_url, site_url):
    context = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        page = context.new_page()
        page.goto(host_url)
        for holder, title in (("first", "The ICO's case"), ("second", "The CNIL's case")):
            handle, frame = frame_of(page, holder)
            assert handle.get_attribute("title") == title
            assert handle.get_attribute("loading") == "lazy"
            outer, inner = fits(page, holder)
            assert abs(outer - inner) <= 2, f"{holder}: frame {outer}px, content {inner}px"
            assert frame.evaluate("() => document.documentElement.scrollHeight <= innerHeight + 1"), "no scrollbar"

        _, second = frame_of(page, "second")
        years = second.locator("li.event-item:visible").evaluate_all(
            "items => items.map(item => Number(item.dataset.year))"
        )
        assert years and years == sorted(years, reverse=True), "order=newest"
        assert second.locator("li.event-item:visible").count() < second.locator("li.event-item").count()

        before, _ = fits(page, "first")
        page.locator("#first iframe").evaluate(f"frame => frame.src = '{site_url}embed/?tags=fine'")
        page.wait_for_timeout(300)
        after, inner = fits(page, "first")
        assert abs(after - inner) <= 2 and abs(after - before) > 50, (before, after, inner)
    finally:
        context.close()


def test_a_height_message_from_another_window_is_ignored(browser, host_url):
    context = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        page = context.new_page()
        page.goto(host_url)
        fitted, _ = fits(page, "first")
        # From the host page itself, and from a frame that is not one of the embeds.
        page.evaluate("window.postMessage({type: 'timeline-embed:height', height: 7}, '*')")
        page.evaluate(
            """() => { const rogue = document.createElement('iframe');
                 rogue.srcdoc = "<script>parent.postMessage({type: 'timeline-embed:height', height: 9}, '*')<\\/script>";
                 document.body.appendChild(rogue); }"""
        )
        page.evaluate("window.postMessage({type: 'timeline-embed:height', height: 'huge'}, '*')")
        page.wait_for_timeout(500)
        assert page.locator("#first iframe").evaluate("frame => frame.clientHeight") == fitted
    finally:
        context.close()


def test_an_embed_opens_at_one_event(browser, site_url):
    context = browser.new_context(viewport={"width": 600, "height": 500})
    try:
        page = context.new_page()
        page.goto(site_url + "embed/?event=2022-10-20-cnil-fine")
        current = page.locator("li.event-item.current")
        assert current.get_attribute("id") == "2022-10-20-cnil-fine"
    finally:
        context.close()


def test_without_javascript_the_embed_shows_every_event(browser, site_url, site_dir):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "embed/?tags=ico")
        events = len(list((site_dir / "events").iterdir()))
        assert page.locator("li.event-item:visible").count() == events
    finally:
        context.close()


def settled_height(page, holder: str) -> float:
    """The frame's height in the host page once it has stopped changing."""
    handle, _ = frame_of(page, holder)
    last = -1.0
    for _ in range(50):
        now = handle.evaluate("frame => frame.getBoundingClientRect().height")
        if now == last:
            return now
        last = now
        page.wait_for_timeout(150)
    return last


@pytest.mark.parametrize("width", [1280, 375])
def test_data_height_fixes_the_frame_and_the_timeline_scrolls_inside_it(browser, sidebar_url, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(sidebar_url)
        handle, frame = frame_of(page, "fixed")
        page.wait_for_timeout(500)  # time for any height message to (wrongly) resize it
        assert handle.evaluate("frame => frame.getBoundingClientRect().height") == 400
        box = handle.bounding_box()
        after = page.locator("#after").bounding_box()
        assert after["y"] - (box["y"] + box["height"]) < 40, "the host page's text follows the 400px frame"
        content = frame.evaluate("() => document.documentElement.scrollHeight")
        assert content > 1000 and frame.evaluate("() => innerHeight") <= 400
        frame.evaluate("() => window.scrollTo(0, 600)")
        assert frame.evaluate("() => scrollY") == 600, "the timeline scrolls inside the frame"

        # Without data-height the frame follows its content up to min(720px, 85% of the window).
        auto = settled_height(page, "auto")
        assert auto == min(720, 0.85 * 800)
        full = settled_height(page, "full")
        compact = settled_height(page, "compact")
        assert full > 1500 and compact < full / 3, (full, compact)

        foreign = [url for url in requests if not url.startswith((site_url, "http://localhost:"))]
        assert not foreign, f"requests to third parties: {foreign}"
    finally:
        context.close()


def test_compact_mode_shows_dates_and_titles_without_summaries(browser, site_url):
    context = browser.new_context(viewport={"width": 400, "height": 700})
    try:
        page = context.new_page()
        page.goto(site_url + "embed/?tags=ico&mode=compact")
        items = page.locator("li.event-item:visible")
        assert items.count() == 7
        first = items.first
        assert first.locator(".event-date").is_visible()
        link = first.locator("h2 a")
        assert link.is_visible() and "/events/" in link.get_attribute("href")
        assert page.locator(".summary:visible, .facts:visible, .embed-sources:visible").count() == 0
        # One event is one short row: a date and a title of a few lines at most.
        assert first.evaluate("item => item.getBoundingClientRect().height") < 120
    finally:
        context.close()


def test_a_frame_is_named_after_its_view(browser, sidebar_url, site_dir):
    """No data-title: the frame takes the embedded page's title, the same as the topic page's."""
    topic = (site_dir / "tags" / "ico" / "index.html").read_text(encoding="utf-8")
    expected = html.unescape(re.search(r"<title>(.*?)</title>", topic).group(1))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(sidebar_url)
        handle, frame = frame_of(page, "fixed")
        for _ in range(30):
            if handle.get_attribute("title") == expected:
                break
            page.wait_for_timeout(100)
        assert handle.get_attribute("title") == expected
        assert frame.title() == expected
        assert expected != "Timeline" and "ICO" in expected
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("mode", ["", "&mode=compact"])
def test_headings_are_larger_than_the_text_and_lines_stay_readable(browser, site_url, scheme, mode):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(site_url + "embed/?tags=ico" + mode)
        size = page.evaluate(
            """() => {
                const px = selector => parseFloat(getComputedStyle(document.querySelector(selector)).fontSize);
                return {body: px('body'), h1: px('h1'), h2: px('li:not([hidden]) h2'), date: px('.event-date')};
            }"""
        )
        assert size["h1"] > size["body"] and size["h2"] > size["body"] and size["h2"] > size["date"], size
        if not mode:
            summary = page.locator("li.event-item:visible .summary").first
            size["summary"] = summary.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")
            assert size["h2"] > size["summary"], size
        # The longest line any text can take: the text column's width, in the text's own ch.
        measure = page.evaluate(
            """() => {
                const text = document.querySelector('li:not([hidden]) h2');
                const probe = document.createElement('span');
                probe.style.cssText = 'position:absolute;visibility:hidden;width:1ch';
                document.body.appendChild(probe);
                const ch = probe.getBoundingClientRect().width;
                probe.remove();
                const column = document.querySelector('main').getBoundingClientRect().width;
                return {ch: column / ch, px: column};
            }"""
        )
        assert measure["ch"] <= 76 and measure["px"] <= 760, measure
    finally:
        context.close()
