"""TimelineJS3's format: the timeline as its JSON (timelinejs.json); `timelinejs_reader` reads it back for `import`.

https://timeline.knightlab.com/docs/json-format.html: a title slide (the
title, the intro and the title's media), the eras, and one slide per event.
Dates carry only the parts the event's date has (TimelineJS shows "2020" for a
year and "July 2020" for a month), a year before the common era as a negative
year (TimelineJS shows -500 as "500 BCE"), and a time of day as the hour and
minute written: TimelineJS's times are wall-clock times with no zone, and the
event's own offset is where its time was read. A display date is the slide's
`display_date`. The slides' text is the theme's (the default theme's
`timelinejs-text.html` gives the summary, its [@key] citations linking to the
sources themselves, the timeline's own fields and the numbered list of
sources, since the reader of a TimelineJS slide never sees this site's event
page), sanitised here as an event's text is.

A slide holds one media item: the event's first. A picture in the project is
given by its address on this site (`media_urls`, from the media module), so a
remote picture is given by its original address until it is fetched, and by
the site's copy after; a quotation is TimelineJS's blockquote.

`group` is the event's group when the timeline declares groups. Otherwise it
is the label of the event's first tag: tags come from the timeline's
vocabulary, so the same actor always makes the same group with a short label
("ICO (UK)"), whereas `authority` is free text ("CNIL, restricted committee"
and "CNIL, its chair" would be two groups). An event without either has no group.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from timeline.dates import PartialDate
from timeline.markdown import render_markdown, sanitise_html
from timeline.model import Era, Event, Media, Timeline

MediaURLs = Callable[[Media], tuple[str | None, str | None]]
"""Where the site publishes an item's picture and its poster, as TimelineJS must load them; None for either
when it is not in the project."""


def timelinejs_json(
    timeline: Timeline, render_text: Callable[[Event | None], str], media_urls: MediaURLs | None = None
) -> dict:
    """TimelineJS3's JSON data for the timeline; `render_text(event)` gives a slide's HTML text, the title slide's for None."""
    media_urls = media_urls or _not_published
    title: dict = {
        "text": {
            "headline": html.escape(timeline.title, quote=False),
            "text": str(render_markdown(timeline.intro) if timeline.intro else sanitise_html(render_text(None))),
        },
    }
    if timeline.media:
        title["media"] = _media(timeline.media[0], media_urls)
    data: dict = {"title": title}
    if timeline.eras:
        data["eras"] = [_era(era) for era in timeline.eras]
    data["events"] = [
        _slide(event, str(sanitise_html(render_text(event))), timeline, media_urls) for event in timeline.events
    ]
    return data


def timelinejs_slide(event: Event, text: str, timeline: Timeline, media_urls: MediaURLs | None = None) -> dict:
    """One event's slide, as `timelinejs_json` lists it, from the theme's text for it."""
    return _slide(event, str(sanitise_html(text)), timeline, media_urls or _not_published)


def _slide(event: Event, text: str, timeline: Timeline, media_urls: MediaURLs) -> dict:
    slide = {"unique_id": event.id, "start_date": _date(event.date)}
    if event.end_date is not None:
        slide["end_date"] = _date(event.end_date)
    if event.display_date:
        slide["display_date"] = html.escape(event.display_date, quote=False)
    slide["text"] = {"headline": html.escape(event.title, quote=False), "text": text}
    if event.media:
        slide["media"] = _media(event.media[0], media_urls)
    if event.group is not None:
        slide["group"] = event.group.label
    elif not timeline.groups and event.tags:
        slide["group"] = event.tags[0].label
    return slide


def _date(date: PartialDate) -> dict:
    """Only the parts the date has: TimelineJS accepts a year alone, or a year and month."""
    parts = {"year": date.year}
    if date.month:
        parts["month"] = date.month
    if date.day:
        parts["day"] = date.day
    # A time of day, as written where it happened (TimelineJS has no zones).
    if date.hour is not None:
        parts["hour"] = date.hour
        parts["minute"] = date.minute
        if date.second is not None:
            parts["second"] = date.second
    return parts


def _era(era: Era) -> dict:
    text = {"headline": html.escape(era.label, quote=False)}
    if era.description:
        text["text"] = f"<p>{html.escape(era.description, quote=False)}</p>"
    return {"start_date": _date(era.start), "end_date": _date(era.end), "text": text}


def _media(item: Media, media_urls: MediaURLs) -> dict:
    """TimelineJS's media object for one item: its address (or blockquote), credit, caption and alt text."""
    picture, poster = media_urls(item)
    if item.kind == "quote":  # who said it in <cite>, as TimelineJS's own quotations: shown "—Edith Clarke"
        cite = f"<cite>{html.escape(item.credit, quote=False)}</cite>" if item.credit else ""
        media = {"url": f"<blockquote>{html.escape(item.quote, quote=False)}{cite}</blockquote>"}
    else:  # the site's own copy once there is one; the original address before
        media = {"url": picture or item.url or ""}
    if item.credit and item.kind != "quote":
        media["credit"] = html.escape(item.credit, quote=False)
    if item.caption:
        media["caption"] = _inline(item.caption)
    if item.alt:
        media["alt"] = item.alt
    if item.title:
        media["title"] = item.title
    if poster:
        media["thumbnail"] = poster
    return media


def _inline(markdown: str) -> str:
    """Inline Markdown as sanitised HTML without its paragraph."""
    text = str(render_markdown(markdown))
    return text.removeprefix("<p>").removesuffix("</p>")


def _not_published(item: Media) -> tuple[None, None]:
    return None, None
