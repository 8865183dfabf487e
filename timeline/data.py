"""The timeline as data for other programs: timeline.json, and oEmbed answers for embedding pages.

JSON is data, not markup, so it is built here; the oEmbed answer's `html`
(the snippet a CMS pastes) comes from the theme's embed-snippet.html.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from timeline.dates import DATE_PATTERN
from timeline.fields import Field
from timeline.images import picture
from timeline.model import Event, Media, Source, Timeline
from timeline.schema import schema_text

DATA_SCHEMA_PATH = "schema/timeline-data.schema.json"
"""Where the site publishes the schema timeline.json validates against."""

OEMBED_WIDTH, OEMBED_HEIGHT = 640, 720
"""The size a CMS reserves before embed.js fits the frame to its content."""


def timeline_data(timeline: Timeline, summary_html: Callable[[Event], str]) -> dict:
    """Every event with its sources and tags; addresses absolute when the site has a base URL."""
    base = timeline.base_url or ""
    data = timeline_head(timeline)
    data["events"] = [event_data(event, base, summary_html) for event in timeline.events]
    return data


def timeline_head(timeline: Timeline) -> dict:
    """timeline.json without its events."""
    base = timeline.base_url or ""
    return {
        "$schema": base + DATA_SCHEMA_PATH,
        "title": timeline.title,
        "description": timeline.description,
        "language": timeline.language,
        "url": timeline.base_url,
        "licence": {"name": timeline.licence.name, "url": timeline.licence.url} if timeline.licence else None,
        "tags": [{"key": tag.key, "label": tag.label, "description": tag.description} for tag in timeline.tags],
        "fields": [_declaration(field) for field in timeline.fields],
        "media": [media_data(item, base) for item in timeline.media],
    }


def event_data(event: Event, base: str, summary_html: Callable[[Event], str]) -> dict:
    return {
        "id": event.id,
        "url": f"{base}events/{event.id}/",
        "date": event.date.iso,
        "end_date": event.end_date.iso if event.end_date else None,
        "display_date": event.display_date,
        "order": event.order,
        "title": event.title,
        "summary": event.summary,
        "summary_html": str(summary_html(event)),
        "body": event.body or None,
        "tags": [tag.key for tag in event.tags],
        "fields": {field.name: field_data(field, value) for field, value in event.values},
        "supersedes": list(event.supersedes),
        "superseded_by": list(event.superseded_by),
        "related": list(event.related),
        "sources": [_source(source) for source in event.sources],
        "media": [media_data(item, base) for item in event.media],
    }


def media_data(item: Media, base: str) -> dict:
    """An image, link card or quotation; `image` and `poster`: the site's own copies (the largest)."""
    image = picture(item.image).src if item.image is not None else None
    poster = picture(item.poster_image).src if item.poster_image is not None else None
    return {
        "kind": item.kind,
        "url": item.url,
        "image": base + image.path if image else None,
        "width": image.width if image else None,
        "height": image.height if image else None,
        "alt": item.alt or None,
        "title": item.title or None,
        "credit": item.credit or None,
        "caption": item.caption or None,
        "poster": base + poster.path if poster else None,
        "quote": item.quote or None,
    }


_FIELD_DATA = {
    "text": {"type": "string"},
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "money": {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "currency", "qualifier"],
        "properties": {
            "value": {"type": "number", "minimum": 0},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "qualifier": {"type": ["string", "null"]},
        },
    },
    "number": {"type": "number"},
    "date": {"type": "string", "pattern": DATE_PATTERN},
    "url": {"type": "string"},
    "event": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
}


def data_schema(fields: tuple[Field, ...]) -> str:
    """The published schema of timeline.json, with the timeline's declared fields typed."""
    schema = json.loads(schema_text("data.schema.json"))
    properties = schema["definitions"]["event"]["properties"]["fields"]["properties"]
    for field in fields:
        typed = _FIELD_DATA.get(field.type) or {"enum": [choice.value for choice in field.choices]}
        properties[field.name] = {**typed, "title": field.label}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _declaration(field: Field) -> dict:
    declared = {"name": field.name, "label": field.label, "type": field.type, "filter": field.filter}
    if field.type == "choice":
        declared["choices"] = [{"value": choice.value, "label": choice.label} for choice in field.choices]
    return declared


def field_data(field: Field, value: Any) -> Any:
    """A declared field's value as JSON: text as written, money as {value, currency, qualifier}."""
    if field.type == "choice":
        return value.value
    if field.type == "money":
        number = value.value
        return {
            "value": number if isinstance(number, int) else float(number),
            "currency": value.currency,
            "qualifier": value.qualifier,
        }
    if field.type == "number":
        return value if isinstance(value, int) else float(value)
    if field.type == "date":
        return value.iso
    return value


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


def dumps_item(item: Any) -> str:
    """One item of a top-level list, as `dumps` writes it there: kept apart, and joined by `dumps_with`."""
    return json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def dumps_with(head: dict, key: str, items: list[str]) -> str:
    """`dumps({**head, key: [...]})` from items already written by `dumps_item`: the same bytes."""
    text = json.dumps({**head, key: []}, ensure_ascii=False, indent=1)
    end = "[]\n}"
    assert text.endswith(f'"{key}": {end}'), "the list goes last"
    if not items:
        return text + "\n"
    # One pass over the parts (tens of megabytes at 10,000 events), not one per concatenation.
    return "".join([text[: -len(end)], "[\n  ", ",\n  ".join(items), "\n ]\n}\n"])
