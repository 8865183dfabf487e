"""No page asks any other origin for anything, and every page forbids inline script through its CSP."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "index": "",
    "event": "events/2022-05-23-ico-final-fine/",
    "tag": "tags/ico/",
    "sources": "sources/",
    "embed": "embed/",
    "embed-event": "embed/events/2022-05-23-ico-final-fine/",
    "404": "404.html",
}
CASES = [pytest.param(name, id=name) for name in PAGES]

# Not requests to another host: the page's own inline data and blobs.
LOCAL_SCHEMES = {"data", "blob", "about"}


def _open_fully(open_page, name: str):
    """Open a page with JavaScript on, scroll to its end and let the network settle."""
    visit = open_page(PAGES[name], wait_until="networkidle")
    # Lazy images, fonts and scripts ask only when their part of the page is near the viewport.
    visit.page.mouse.wheel(0, 1_000_000)
    visit.page.wait_for_load_state("networkidle")
    return visit


@pytest.mark.parametrize("name", CASES)
def test_page_makes_no_request_to_another_origin(open_page, origin: str, name: str) -> None:
    visit = _open_fully(open_page, name)
    foreign = [
        url
        for url in visit.requests
        if urlsplit(url).scheme not in LOCAL_SCHEMES and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != origin
    ]
    assert visit.requests, "the browser recorded no request at all: is the recorder working?"
    assert not foreign, f"/timeline/{PAGES[name]} asked another origin than {origin}:\n" + "\n".join(foreign)


@pytest.mark.parametrize("name", [case for case in CASES if case.values[0] != "404"])
def test_everything_the_page_asks_for_exists(open_page, name: str) -> None:
    """A missing stylesheet or script is a broken page; a missing icon link sends browsers to the
    server root's /favicon.ico, outside the site, where a project site has nothing."""
    visit = _open_fully(open_page, name)
    assert not visit.failures, f"/timeline/{PAGES[name]} asked for files the site does not have:\n" + "\n".join(
        visit.failures
    )
    icon = visit.page.locator('head link[rel="icon"]')
    assert icon.count() == 1, "the page should name its icon"
    href = icon.evaluate("link => link.href")
    assert href.startswith(visit.page.url.split("/timeline/")[0] + "/timeline/"), f"the icon {href} is outside the site"
    assert visit.page.request.get(href).ok, f"the icon {href} is missing"


def _directives(policy: str) -> dict[str, list[str]]:
    """A CSP as {directive: [source, …]}; the first occurrence of a directive wins, as in browsers."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed.setdefault(words[0].lower(), [word.lower() for word in words[1:]])
    return parsed


@pytest.mark.parametrize("name", CASES)
def test_page_has_a_csp_that_forbids_inline_script(open_page, name: str) -> None:
    visit = open_page(PAGES[name])
    metas = visit.page.locator('head meta[http-equiv="Content-Security-Policy" i]')
    assert metas.count() == 1, (
        f'/timeline/{PAGES[name]} has {metas.count()} <meta http-equiv="Content-Security-Policy"> in its <head>; expected one'
    )
    policy = metas.get_attribute("content") or ""
    directives = _directives(policy)
    # Without script-src, default-src governs scripts; without either, any script runs.
    governing = "script-src" if "script-src" in directives else "default-src"
    assert governing in directives, f"the CSP {policy!r} has neither script-src nor default-src, so any script may run"
    assert "'unsafe-inline'" not in directives[governing], f"the CSP's {governing} allows 'unsafe-inline': {policy!r}"
