"""Render stage: the model through the theme's templates into page texts.

Pure: it reads no content files and writes nothing. Each event's Markdown is
rendered once and the HTML reused on every page that shows the event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from jinja2 import Environment
from markupsafe import Markup

from timeline import formatting
from timeline.bibliography import build_bibliography
from timeline.markdown import render_markdown
from timeline.model import Event, Timeline


@dataclass(frozen=True)
class Year:
    """The events of one year, for the grouped timeline and its year index."""

    year: int
    events: tuple[Event, ...]


def source_anchor(event: Event, number: int) -> str:
    """Fragment id of an event's numbered source, the target of its [n] links."""
    return f"{event.id}-source-{number}"


class _EventHtml:
    """Each event's summary and body rendered once, on first use."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Markup] = {}

    def __call__(self, event: Event, field: str) -> Markup:
        key = (event.id, field)
        if key not in self._cache:

            def anchor(citation_key: str) -> tuple[int, str] | None:
                number = event.citation_number(citation_key)
                return None if number is None else (number, source_anchor(event, number))

            self._cache[key] = render_markdown(getattr(event, field), anchor)
        return self._cache[key]


def configure(env: Environment, timeline: Timeline) -> None:
    """Install the filters templates use; see docs for the contract."""
    locale = timeline.locale
    html = _EventHtml()
    env.filters.update(
        date=lambda value: formatting.format_partial_date(value, locale),
        money=lambda amount: formatting.format_money(amount.value, amount.currency, locale),
        money_compact=lambda amount: formatting.format_money_compact(amount.value, amount.currency, locale),
        country=lambda code: formatting.country_name(code, locale),
        summary_html=lambda event: html(event, "summary"),
        body_html=lambda event: html(event, "body"),
        source_anchor=source_anchor,
    )


def render_site(env: Environment, timeline: Timeline) -> Iterator[tuple[str, str]]:
    """Yield (output path, text) for every page of the site."""
    configure(env, timeline)
    years = tuple(
        Year(year, tuple(events)) for year, events in groupby(timeline.events, key=lambda event: event.date.year)
    )
    yield _page(env, "index.html", "index.html", timeline, years=years)

    events = timeline.events
    for index, event in enumerate(events):
        yield _page(
            env,
            "event.html",
            f"events/{event.id}/index.html",
            timeline,
            event=event,
            previous=events[index - 1] if index > 0 else None,
            next=events[index + 1] if index + 1 < len(events) else None,
        )

    yield _page(env, "sources.html", "sources/index.html", timeline, entries=build_bibliography(timeline))


def _page(env: Environment, template: str, path: str, timeline: Timeline, **context) -> tuple[str, str]:
    depth = path.count("/")
    url = path.removesuffix("index.html")
    return path, env.get_template(template).render(
        timeline=timeline,
        root="../" * depth or "./",
        page_url=url,
        canonical=(timeline.base_url + url) if timeline.base_url else None,
        **context,
    )
