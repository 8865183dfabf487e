"""What other programs read from the site: timeline.json and its schema, timelinejs.json (for
TimelineJS3), the Atom feed, the sitemap, robots.txt, and an oEmbed answer for every page.

Feeds, sitemaps and oEmbed need absolute addresses, so they are written only
when timeline.yaml (or --base-url) gives the site's address.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from jinja2 import Environment

from timeline.data import data_schema, dumps, dumps_item, dumps_with, event_data, oembed, timeline_head
from timeline.dates import PartialDate
from timeline.fragments import Fragments
from timeline.images import image_url, picture
from timeline.model import Event, Media, Timeline
from timeline.pages import PageSpec, page_token
from timeline.provenance import FileHistory
from timeline.schema import event_schema, timeline_schema
from timeline.timelinejs import MediaURLs, timelinejs_json, timelinejs_slide

FEED_ENTRIES = 50
"""The newest events a feed reader is given; the site and timeline.json have them all."""

PUBLISHED_SCHEMAS = {
    "schema/event.schema.json": "event.schema.json",
    "schema/timeline.schema.json": "timeline.schema.json",
    "schema/timeline-data.schema.json": "data.schema.json",
}


@dataclass(frozen=True)
class FeedEntry:
    event: Event
    published: str | None
    """RFC 3339; None for an event before the common era, which RFC 3339 cannot write (Atom allows no `published`)."""
    updated: str


def oembed_path(page_url: str) -> str | None:
    """`events/x/` → `oembed/events/x.json`; None for a page with no oEmbed answer (the 404)."""
    if page_url.endswith(".html") or page_url.startswith("embed/"):
        return None
    return "oembed/" + (page_url.rstrip("/") or "index") + ".json"


def embed_src(timeline: Timeline, page_url: str) -> str | None:
    """The embeddable view of a page: an event's card, a topic's events, or the whole timeline.

    Absolute from base_url; without one, the path inside the site, for the
    embedder to put the site's address before.
    """
    base = timeline.base_url or ""
    if page_url.startswith("events/"):
        return f"{base}embed/{page_url}"
    if page_url.startswith("tags/") and page_url.count("/") >= 2:
        return f"{base}embed/?tags={page_url.split('/')[1]}"
    return f"{base}embed/"


def timelinejs_data(env: Environment, timeline: Timeline) -> dict:
    """timelinejs.json's data, each slide's text rendered by the theme's `timelinejs-text.html`."""
    return timelinejs_json(timeline, _slide_text(env, timeline), _published(timeline))


def _published(timeline: Timeline) -> MediaURLs:
    """Where TimelineJS loads an item's picture and poster from: the site's own copies, at the site's address.

    TimelineJS resolves a relative address against the page that shows it, not against timelinejs.json, so
    without a base URL the addresses are relative to the site's root and hold only for a page at that root.
    """
    base = timeline.base_url or ""

    def urls(item: Media) -> tuple[str | None, str | None]:
        image = image_url(item)
        poster = picture(item.poster_image).src.path if item.poster_image is not None else None
        return (base + image if image else None, base + poster if poster else None)

    return urls


def _slide_text(env: Environment, timeline: Timeline) -> Callable[[Event | None], str]:
    template = env.get_template("timelinejs-text.html")
    return lambda event: template.render(timeline=timeline, event=event)


def data_pages(
    env: Environment,
    timeline: Timeline,
    histories: dict[str, FileHistory],
    listed: list[str],
    tag_keys: set[str],
    fragments: Fragments,
) -> Iterator[PageSpec]:
    """timeline.json, the schemas, robots.txt; with a base URL also the feed, sitemap and oEmbed answers.

    The two files that list every event are joined from each event's part,
    kept in `fragments`: after an edit only the edited event's part is made.
    """
    everything = frozenset({event.id for event in timeline.events} | {page_token("all", len(timeline.events))})
    summary = env.filters["summary_html"]
    base = timeline.base_url or ""

    def timeline_json() -> str:
        parts = [
            fragments.get("json", event, lambda event=event: dumps_item(event_data(event, base, summary)))
            for event in timeline.events
        ]
        return dumps_with(timeline_head(timeline), "events", parts)

    text = _slide_text(env, timeline)
    published = _published(timeline)

    def slides_json() -> str:
        title = timelinejs_json(dataclasses.replace(timeline, events=()), text, published)
        parts = [
            fragments.get(
                "timelinejs",
                event,
                lambda event=event: dumps_item(timelinejs_slide(event, text(event), timeline, published)),
                shows=_linked(event),
            )
            for event in timeline.events
        ]
        return dumps_with({key: value for key, value in title.items() if key != "events"}, "events", parts)

    yield PageSpec("timeline.json", everything, timeline_json, local=True)
    yield PageSpec("timelinejs.json", everything, slides_json, local=True)
    # The schemas as this timeline's files are checked against: composed with its declared fields.
    schemas = {
        "event.schema.json": lambda: event_schema(timeline.fields).text,
        "timeline.schema.json": lambda: timeline_schema().text,
        "data.schema.json": lambda: data_schema(timeline.fields),
    }
    for path, name in PUBLISHED_SCHEMAS.items():
        yield PageSpec(path, frozenset({"schema"}), schemas[name])
    robots = env.get_template("robots.txt")
    yield PageSpec("robots.txt", frozenset({"robots"}), lambda: robots.render(timeline=timeline))
    if not timeline.base_url:
        return

    feed = env.get_template("feed.xml")
    yield PageSpec("feed.xml", everything, lambda: feed.render(timeline=timeline, **_feed(timeline, histories)))
    sitemap = env.get_template("sitemap.xml")
    pages = [{"url": url, "changed": _changed(url, histories)} for url in listed]
    yield PageSpec("sitemap.xml", everything, lambda: sitemap.render(timeline=timeline, pages=pages))

    snippet = env.get_template("embed-snippet.html")
    titles = {f"events/{event.id}/": event.title for event in timeline.events}
    for url in listed:
        title = titles.get(url) or _list_title(timeline, url, tag_keys)
        deps = frozenset({url.split("/")[1]}) if url in titles else frozenset({page_token("oembed", url)})
        yield PageSpec(oembed_path(url), deps, lambda url=url, title=title: _oembed(timeline, snippet, url, title))


def _linked(event: Event) -> tuple[str, ...]:
    """The events whose titles an event's slide may show: those it names in its fields and links."""
    named = [value for field, value in event.values if field.type == "event"]
    return (*named, *event.supersedes, *event.related)


def _oembed(timeline: Timeline, snippet, url: str, title: str) -> str:
    html = snippet.render(
        src=embed_src(timeline, url), title=title, script=f"{timeline.base_url}static/embed.js"
    ).strip()
    return dumps(oembed(timeline, title, html))


def _list_title(timeline: Timeline, url: str, tag_keys: set[str]) -> str:
    parts = url.split("/")
    if parts[0] == "tags" and len(parts) > 2 and parts[1] in tag_keys:
        label = next(tag.label for tag in timeline.tags if tag.key == parts[1])
        return f"{label} – {timeline.title}"
    return timeline.title


def _feed(timeline: Timeline, histories: dict[str, FileHistory]) -> dict:
    newest = sorted(timeline.events, key=lambda event: event.sort_key, reverse=True)[:FEED_ENTRIES]
    entries, moments = [], []
    for event in newest:
        published = _moment(event.date)
        changed = histories.get(event.id).changed if event.id in histories else None
        known = [moment for moment in (published, _midnight(changed) if changed else None) if moment is not None]
        # Atom needs `updated`: a BC event git knows nothing of takes the feed's fallback, 1970.
        updated = max(known, default=_EPOCH)
        moments.append(updated)
        entries.append(FeedEntry(event, _timestamp(published) if published else None, _timestamp(updated)))
    return {"entries": entries, "updated": _timestamp(max(moments, default=_EPOCH))}


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _moment(date: PartialDate) -> datetime.datetime | None:
    """When an event starts, for Atom: its time with its offset, or midnight UTC; None before AD 1."""
    if date.bce:
        return None
    if date.hour is None or date.year == 1:  # AD 1 at +01:00 would be in year 0 in UTC, where datetime fails
        return _midnight(date.first_day)
    zone = datetime.timezone(datetime.timedelta(minutes=date.offset))
    day = date.first_day
    return datetime.datetime(day.year, day.month, day.day, date.hour, date.minute, date.second or 0, tzinfo=zone)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def _timestamp(moment: datetime.datetime) -> str:
    """RFC 3339, as Atom wants: a date only is not enough."""
    return moment.isoformat().replace("+00:00", "Z")


def _changed(url: str, histories: dict[str, FileHistory]) -> datetime.date | None:
    if url.startswith("events/"):
        history = histories.get(url.split("/")[1])
        return history.changed if history else None
    return None
