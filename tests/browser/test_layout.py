"""Responsive from 320 px: no page of the shipped site scrolls sideways on the narrowest phone."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

WIDEST_CHILDREN = """() => [...document.body.querySelectorAll('*')]
  .filter(node => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 5)
  .map(node => `<${node.tagName.toLowerCase()} class="${node.className}"> ${node.textContent.trim().slice(0, 60)}`)"""


def every_page(site_dir: Path) -> list[str]:
    """Each page's path under the site, as a browser asks for it."""
    pages = []
    for file in sorted(site_dir.rglob("*.html")):
        relative = file.relative_to(site_dir).as_posix()
        pages.append(relative.removesuffix("index.html"))
    return pages


def test_no_page_is_wider_than_a_320px_screen(browser, site_url: str, site_dir: Path) -> None:
    pages = every_page(site_dir)
    assert len(pages) > 30, "expected the index, every event, topic and source page"
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        too_wide = {}
        for path in pages:
            page.goto(site_url + path)
            if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
                too_wide[path] = page.evaluate(WIDEST_CHILDREN)
    finally:
        context.close()
    assert not too_wide, "pages that scroll sideways at 320px, with the elements sticking out:\n" + "\n".join(
        f"/{path}: {nodes}" for path, nodes in too_wide.items()
    )


def test_reduced_motion_turns_off_animation(open_page) -> None:
    visit = open_page("")
    visit.page.emulate_media(reduced_motion="reduce")
    durations = visit.page.evaluate(
        "[...document.querySelectorAll('*')].map(n => getComputedStyle(n))"
        ".filter(s => s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0).length"
    )
    assert durations == 0
