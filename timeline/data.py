"""The timeline as data for other programs: timeline.json, and oEmbed answers for embedding pages.

JSON is data, not markup, so it is built here; the oEmbed answer's `html`
(the snippet a CMS pastes) comes from the theme's embed-snippet.html.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from timeline.model import Event, Source, Timeline

DATA_SCHEMA_PATH = "schema/timeline-data.schema.json"
"""Where the site publishes the schema timeline.json validates against."""

OEMBED_WIDTH, OEMBED_HEIGHT = 640, 720
"""The size a CMS reserves before embed.js fits the frame to its content."""


def timeline_data(timeline: Timeline, summary_html: Callable[[Event], str]) -> dict:
    """Every event with its sources and tags; addresses absolute when the site has a base URL."""
    base = timeline.base_url or ""
    data: dict = {
        "$schema": base + DATA_SCHEMA_PATH,
        "title": timeline.title,
        "description": timeline.description,
        "language": timeline.language,
        "url": timeline.base_url,
        "licence": {"name": timeline.licence.name, "url": timeline.licence.url} if timeline.licence else None,
        "tags": [{"key": tag.key, "label": tag.label, "description": tag.description} for tag in timeline.tags],
        "events": [_event(event, base, summary_html) for event in timeline.events],
    }
    return data


def _event(event: Event, base: str, summary_html: Callable[[Event], str]) -> dict:
    return {
        "id": event.id,
        "url": f"{base}events/{event.id}/",
        "date": event.date.iso,
        "end_date": event.end_date.iso if event.end_date else None,
        "title": event.title,
        "summary": event.summary,
        "summary_html": str(summary_html(event)),
        "body": event.body or None,
        "tags": [tag.key for tag in event.tags],
        "jurisdiction": event.jurisdiction,
        "authority": event.authority,
        "amount": _amount(event),
        "status": event.status,
        "supersedes": list(event.supersedes),
        "superseded_by": list(event.superseded_by),
        "related": list(event.related),
        "sources": [_source(source) for source in event.sources],
    }


def _amount(event: Event) -> dict | None:
    if event.amount is None:
        return None
    value = event.amount.value
    return {
        "value": value if isinstance(value, int) else float(value),
        "currency": event.amount.currency,
        "qualifier": event.amount.qualifier,
    }


def _source(source: Source) -> dict:
    return {
        "number": source.number,
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": source.published.iso if source.published else None,
        "author": source.author,
        "archive_url": source.archive_url,
        "kind": source.kind,
        "quote": source.quote,
    }


def oembed(timeline: Timeline, title: str, html: str) -> dict:
    """An oEmbed 1.0 `rich` answer (https://oembed.com/#section2.3.4) for one page."""
    answer = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": timeline.title,
        "html": html,
        "width": OEMBED_WIDTH,
        "height": OEMBED_HEIGHT,
    }
    if timeline.base_url:
        answer["provider_url"] = timeline.base_url
    return answer


def dumps(data: dict) -> str:
    """Stable, readable JSON: the same content gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
