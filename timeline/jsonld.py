"""schema.org descriptions of pages, as data for a JSON-LD block in the theme."""

from __future__ import annotations

from timeline.model import Event, Source, Timeline


def site_jsonld(timeline: Timeline) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": timeline.title,
        "description": timeline.description,
        "inLanguage": timeline.language,
    }
    if timeline.base_url:
        data["url"] = timeline.base_url
    if timeline.licence and timeline.licence.url:
        data["license"] = timeline.licence.url
    return data


def event_jsonld(event: Event, timeline: Timeline) -> dict:
    """An Article about the event, with the sources it cites as `citation`."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": event.title,
        "inLanguage": timeline.language,
        # ISO 8601's count of years: 500 BC is -0499 there.
        "temporalCoverage": event.date.iso8601 + (f"/{event.end_date.iso8601}" if event.end_date else ""),
        "citation": [_source(source) for source in event.sources],
        "isPartOf": {key: value for key, value in site_jsonld(timeline).items() if key != "@context"},
    }
    if timeline.base_url:
        data["url"] = f"{timeline.base_url}events/{event.id}/"
    # The place a timeline declares (its first country field) is the one schema.org can name.
    country = next((value for field, value in event.values if field.type == "country"), None)
    if country:
        data["spatialCoverage"] = {"@type": "Country", "identifier": country}
    return data


def _source(source: Source) -> dict:
    data = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url,
        "publisher": {"@type": "Organization", "name": source.publisher},
    }
    if source.published:
        data["datePublished"] = source.published.iso8601
    if source.author:
        data["author"] = {"@type": "Person", "name": source.author}
    return data
