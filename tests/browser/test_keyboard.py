"""Keyboard readers: every control is reached with Tab, in order, and shows where focus is."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {
    "index": "",
    "event": "events/2022-05-23-ico-final-fine/",
    "tag": "tags/ico/",
    "sources": "sources/",
    "embed": "embed/",
    "embed-event": "embed/events/2022-05-23-ico-final-fine/",
}

# Everything a keyboard user can act on. `summary` opens the filter panel.
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"

FOCUSED = """() => {
  const node = document.activeElement;
  if (!node || node === document.body) return null;
  const style = getComputedStyle(node);
  const key = node.id || node.getAttribute('href') || node.getAttribute('name') || node.textContent.trim().slice(0, 40);
  return {
    key: node.tagName.toLowerCase() + ' ' + key,
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    shadow: style.boxShadow !== 'none',
    visible: node.matches(':focus-visible'),
  };
}"""


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page or comes back round; return each focused control."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["key"] == seen[0]["key"]):
            break
        seen.append(focused)
    return seen


def reachable(page) -> set[str]:
    """The controls a reader can see and so must be able to reach."""
    return set(
        page.locator(FOCUSABLE).evaluate_all(
            """nodes => nodes
                 .filter(node => node.checkVisibility() && !node.closest('[hidden], details:not([open]) > :not(summary)'))
                 .map(node => node.tagName.toLowerCase() + ' ' + (node.id || node.getAttribute('href') || node.getAttribute('name') || node.textContent.trim().slice(0, 40)))"""
        )
    )


@pytest.mark.parametrize("name", PAGES)
def test_every_control_is_reached_and_visibly_focused(open_page, name: str) -> None:
    page = open_page(PAGES[name]).page
    if name == "index":
        page.locator("#filter-panel").evaluate("panel => panel.open = true")
    want = reachable(page)
    assert want, "the page should have links"
    seen = tab_through(page, limit=len(want) * 3 + 10)

    missed = want - {focused["key"] for focused in seen}
    assert not missed, f"not reachable with Tab on /{PAGES[name]}: {sorted(missed)[:10]}"
    unmarked = [f["key"] for f in seen if not f["visible"] or (f["outline"] < 2 and not f["shadow"])]
    assert not unmarked, f"focused without a visible focus ring on /{PAGES[name]}: {unmarked[:10]}"


def test_the_first_tab_offers_the_skip_link_and_it_moves_focus_to_the_content(open_page) -> None:
    page = open_page("").page
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.getAttribute('href')")
    assert skip == "#main"
    assert page.locator("a.skip-link").is_visible(), "the skip link should appear when focused"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("!!document.activeElement.closest('main')")
    assert inside, "after the skip link, Tab should continue inside the main content"


def test_the_filter_panel_opens_and_works_from_the_keyboard(open_page) -> None:
    page = open_page("").page
    summary = page.locator("#filter-panel summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#filter-panel").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "tag"
    page.keyboard.press("ArrowDown")  # a closed select changes value with the arrow keys
    assert page.evaluate("location.search").startswith("?tag=")
    assert page.locator("#filter-status").inner_text().startswith("Showing ")
