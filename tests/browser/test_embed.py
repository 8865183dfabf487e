"""Embeds in another site's page: frames as tall as their content, filters from the URL, foreign messages ignored."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A newspaper article</title></head>
<body>
<h1>An article about Clearview AI</h1>
<p>The British case:</p>
<div id="first" data-timeline-embed="{site}embed/?tags=ico" data-title="The ICO's case"></div>
<p>The French case:</p>
<div id="second" data-timeline-embed="{site}embed/?tags=cnil&amp;order=newest" data-title="The CNIL's case"></div>
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


def frame_of(page, holder: str):
    handle = page.locator(f"#{holder} iframe")
    handle.scroll_into_view_if_needed()
    frame = handle.element_handle().content_frame()
    frame.wait_for_load_state("load")
    return handle, frame


def fits(page, holder: str) -> tuple[float, float]:
    """(the frame's height in the host page, its document's height), once they agree or after 5 s."""
    handle, frame = frame_of(page, holder)
    for _ in range(50):
        outer = handle.evaluate("frame => frame.getBoundingClientRect().height")
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
        assert page.locator("#first iframe").evaluate("frame => frame.getBoundingClientRect().height") == fitted
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
