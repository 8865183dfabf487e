"""Without JavaScript the timeline is whole: every event and every citation is on the page and visible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

EVENTS = Path(__file__).resolve().parents[2] / "content" / "events"


def _shipped_sources() -> dict[str, list[str]]:
    """Each shipped event's id and the URLs of its sources, read from the YAML files."""
    return {
        path.stem: [source["url"] for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]]
        for path in sorted(EVENTS.glob("*.yaml"))
    }


@pytest.mark.parametrize("width", [375, 1280], ids=["375", "1280"])
def test_index_shows_every_event_and_citation_without_javascript(open_page, width: int) -> None:
    shipped = _shipped_sources()
    page = open_page("", width=width, javascript=False).page

    articles = page.locator("article.event")
    assert articles.count() == len(shipped), (
        f"the index shows {articles.count()} events; content/events has {len(shipped)}"
    )

    problems = []
    for event_id, urls in shipped.items():
        article = page.locator(f'article.event[id="{event_id}"]')
        if article.count() != 1:
            problems.append(f"{event_id}: {article.count()} articles with this id")
            continue
        if article.bounding_box() is None or not article.is_visible():
            problems.append(f"{event_id}: the event is hidden")
        items = article.locator("ol.citations > li")
        if items.count() != len(urls):
            problems.append(f"{event_id}: {items.count()} citations listed, the YAML has {len(urls)} sources")
        for index in range(items.count()):
            if not items.nth(index).is_visible():
                problems.append(f"{event_id}: citation {index + 1} is hidden")
        for url in urls:
            link = article.locator(f"ol.citations a[href={json.dumps(url)}]")
            if link.count() == 0:
                problems.append(f"{event_id}: no link to {url} in its citations")
            elif not link.first.is_visible():
                problems.append(f"{event_id}: the link to {url} is hidden")
    assert not problems, f"with JavaScript off, at {width}px:\n" + "\n".join(problems)
