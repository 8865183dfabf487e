"""Render stage: the model through the theme's templates into page texts.

Pure: it reads no content files and writes nothing. Each event's Markdown is
rendered once and the HTML reused on every page that shows the event.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, TemplateNotFound, TemplateRuntimeError
from jinja2.runtime import Macro
from markupsafe import Markup

from timeline import formatting
from timeline.bibliography import build_bibliography, by_publisher
from timeline.fields import Field
from timeline.fragments import Fragments
from timeline.history import build_cases
from timeline.i18n import direction, translations
from timeline.images import picture
from timeline.jsonld import event_jsonld, site_jsonld
from timeline.markdown import render_markdown
from timeline.model import Era, Event, Group, Media, Tag, Timeline
from timeline.overview import Overview, build_overview, end_of
from timeline.pages import PageSpec, page_token
from timeline.provenance import FileHistory
from timeline.syndication import data_pages, embed_src, oembed_path
from timeline.themes import asset_paths

SOURCES_PER_PAGE = 500


@dataclass(frozen=True)
class Year:
    """The events of one year on one page, for the grouped chronology."""

    year: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Page:
    """One page of a list that is split past a size: its items and its neighbours."""

    number: int
    items: tuple
    url: str
    """Relative to the site root: `` for the first index page, `page/2/` after."""
    urls: tuple[str, ...]
    """Every page's url, first to last, for the page navigation."""
    first: int = 1
    """The position of the page's first item in the whole list, from 1."""

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def paginate(items: Sequence, size: int, base: str) -> list[Page]:
    """Split `items` into pages at `base`, `base`page/2/, …; always at least one page."""
    chunks = [tuple(items[start : start + size]) for start in range(0, len(items), size)] or [()]
    urls = tuple(base if number == 1 else f"{base}page/{number}/" for number in range(1, len(chunks) + 1))
    return [
        Page(number, chunk, urls[number - 1], urls, (number - 1) * size + 1) for number, chunk in enumerate(chunks, 1)
    ]


@dataclass(frozen=True)
class Facet:
    """One declared field readers filter by, and the values some event has."""

    field: Field
    values: tuple[Any, ...]
    """Text and country codes in alphabetical order, choices in the order declared."""


@dataclass(frozen=True)
class Facets:
    """What the timeline's filters offer: only values some event has."""

    tags: tuple[Tag, ...]
    fields: tuple[Facet, ...]
    years: tuple[int, ...]
    groups: tuple[Group, ...] = ()
    """The declared groups some event is in, in the order declared."""


def build_facets(timeline: Timeline) -> Facets:
    used = {tag.key for event in timeline.events for tag in event.tags}
    grouped = {event.group.key for event in timeline.events if event.group}
    return Facets(
        tags=tuple(tag for tag in timeline.tags if tag.key in used),
        fields=tuple(_facet(timeline, field) for field in timeline.fields if field.filter),
        years=tuple(sorted({event.date.year for event in timeline.events})),
        groups=tuple(group for group in timeline.groups if group.key in grouped),
    )


def era_starts(timeline: Timeline) -> dict[str, tuple[Era, ...]]:
    """For each event that is the first within an era, the eras it opens (where the list names them)."""
    starts: dict[str, tuple[Era, ...]] = {}
    for era in timeline.eras:
        begin, stop = era.start.decimal_year, end_of(era.end)
        first = next(
            (event for event in timeline.events if end_of(event.date) > begin and event.date.decimal_year < stop), None
        )
        if first is not None:
            starts[first.id] = starts.get(first.id, ()) + (era,)
    return starts


def overview_token(overview: Overview | None) -> str:
    """What the overview shows, for the pages that draw it: it changes when a mark, a row or a label does."""
    if overview is None:
        return page_token("overview", None)
    return page_token(
        "overview",
        overview.start,
        overview.end,
        [(row.group, row.count) for row in overview.rows],
        [(band.era, band.x, band.width) for band in overview.bands],
        [
            (
                mark.event.id,
                mark.event.title,
                mark.event.date,
                mark.x,
                mark.end,
                mark.row,
                mark.lane,
                mark.page,
                mark.event.tags,
                mark.event.group,
                mark.event.values,
            )
            for mark in overview.marks
        ],
        overview.bins,
    )


def _facet(timeline: Timeline, field: Field) -> Facet:
    found = {value for event in timeline.events for named, value in event.values if named.name == field.name}
    if field.type == "choice":
        return Facet(field, tuple(choice for choice in field.choices if choice in found))
    return Facet(field, tuple(sorted(found, key=str.casefold)))


def by_year(events: Sequence[Event]) -> tuple[Year, ...]:
    return tuple(Year(year, tuple(group)) for year, group in groupby(events, key=lambda event: event.date.year))


class _ListedEvents:
    """An event as the timeline and topic pages list it, rendered once for each path to the site root.

    The same event appears on the timeline, on each of its topics' pages and
    in its year; its entry differs only by the relative path to the site root,
    and the pages that list events lie at three depths at most (`./`,
    `../../`, `../../../../`), so an entry is rendered at most three times,
    and kept in the engine's store of fragments until it or an event it
    shows (its case, its related events) changes.
    """

    def __init__(self, env: Environment, fragments: Fragments, cases: dict[str, tuple[Event, ...]]) -> None:
        self._env = env
        self._fragments = fragments
        self._cases = cases

    def __call__(self, event: Event, root: str, timeline: Timeline) -> Markup:
        def render() -> str:
            return str(self._env.get_template("_macros.html").module.event_item(event, root, timeline))

        linked = (value for field, value in event.values if field.type == "event")
        shows = (*(other.id for other in self._cases[event.id]), *event.related, *linked)
        return Markup(self._fragments.get(f"item {root}", event, render, shows=shows))


def source_anchor(event: Event, number: int) -> str:
    """Fragment id of an event's numbered source, the target of its [n] links."""
    return f"{event.id}-source-{number}"


class _EventHtml:
    """Each event's summary and body rendered once, on first use, its citations by the theme's `_citation.html`."""

    def __init__(self, env: Environment) -> None:
        self._env = env
        self._cache: dict[tuple[str, str, bool], Markup] = {}
        self._citation: Macro | None = None

    def __call__(self, event: Event, field: str, link_sources: bool = False) -> Markup:
        """`link_sources`: citations link to the sources' own addresses, for text shown away from the event's page."""
        key = (event.id, field, link_sources)
        if key not in self._cache:
            by_key = {source.id: source for source in event.sources if source.id}

            def cite(keys: list[str]) -> str | None:
                if not all(key in by_key for key in keys):
                    return None
                links = [
                    (source, source.url if link_sources else f"#{source_anchor(event, source.number)}")
                    for source in (by_key[key] for key in keys)
                ]
                # Stripped, so that no space the template leaves parts the mark from its word.
                return str(self._citation_macro()(event, links)).strip()

            self._cache[key] = render_markdown(getattr(event, field), cite)
        return self._cache[key]

    def _citation_macro(self) -> Macro:
        """The theme's `citation` macro; a macro, as a call costs a seventh of a template's render."""
        if self._citation is None:
            try:
                module = self._env.get_template("_citation.html").module
            except TemplateNotFound:
                raise TemplateRuntimeError(
                    "the theme has no _citation.html, whose citation(event, links) macro writes each [@key] "
                    "citation in an event's text; copy the default theme's (themes/default/templates/_citation.html)"
                ) from None
            self._citation = getattr(module, "citation", None)
            if self._citation is None:
                raise TemplateRuntimeError(
                    "the theme's _citation.html has no citation(event, links) macro, which writes each [@key] "
                    "citation in an event's text; see the default theme's (themes/default/templates/_citation.html)"
                )
        return self._citation


class _RenderState:
    """What the template functions read: the timeline being rendered and its caches.

    Jinja keeps an imported template (the theme's macros) with the filters and
    globals it was first rendered with, so the functions are installed once
    per environment and read this object, which each build (or preview
    rebuild) refills.
    """

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.reset(None, {}, Fragments())

    def reset(self, timeline: Timeline | None, histories: dict[str, FileHistory], fragments: Fragments) -> None:
        self.timeline = timeline
        self.locale = timeline.locale if timeline else "en"
        self.translations = translations(getattr(self.env, "theme_folders", ()), self.locale)
        self.assets = asset_paths(getattr(self.env, "theme_folders", ())) if timeline else {}
        self.histories = histories
        self.html = _EventHtml(self.env)
        self.cases = build_cases(timeline) if timeline else {}
        self.items = _ListedEvents(self.env, fragments, self.cases)
        self.era_starts = era_starts(timeline) if timeline else {}


def configure(
    env: Environment,
    timeline: Timeline,
    histories: dict[str, FileHistory] | None = None,
    fragments: Fragments | None = None,
) -> _RenderState:
    """Install the filters and globals templates use (docs/themes.md lists them).

    `histories`: each event's file in its repository and when it last changed, by event id.
    `fragments`: the store of rendered parts the engine keeps between renders.
    """
    state: _RenderState | None = env.globals.get("_timeline_state")
    if state is None:
        state = _RenderState(env)
        _install(env, state)
    state.reset(timeline, histories or {}, fragments or Fragments())
    return state


def _install(env: Environment, state: _RenderState) -> None:
    env.globals["_timeline_state"] = state
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        gettext=lambda message: state.translations.gettext(message),
        ngettext=lambda singular, plural, n: state.translations.ngettext(singular, plural, n),
        newstyle=True,
    )
    env.filters.update(
        date=lambda value: formatting.format_partial_date(value, state.locale),
        year=lambda year: formatting.format_year(year, state.locale),
        # An event's date as plain text: its display_date, or its date formatted.
        when=lambda event: event.display_date or formatting.format_partial_date(event.date, state.locale),
        day=lambda value: formatting.format_day(value, state.locale),
        money=lambda amount: formatting.format_money(amount.value, amount.currency, state.locale),
        money_compact=lambda amount: formatting.format_money_compact(amount.value, amount.currency, state.locale),
        country=lambda code: formatting.country_name(code, state.locale),
        number=lambda value: formatting.format_number(value, state.locale),
        field_text=lambda value, field: formatting.field_text(field, value, state.locale, state.timeline.by_id),
        interval=lambda earlier, later: formatting.format_interval(earlier, later, state.locale),
        summary_html=lambda event, link_sources=False: state.html(event, "summary", link_sources),
        markdown=lambda text: render_markdown(text),
        body_html=lambda event, link_sources=False: state.html(event, "body", link_sources),
        source_anchor=source_anchor,
        event_jsonld=lambda event: event_jsonld(event, state.timeline),
        picture=picture,
        caption_html=render_markdown,
        host=_host,
    )
    env.globals.update(
        case_of=lambda event: state.cases[event.id],
        related_outside_case=lambda event: [
            state.timeline.by_id[other]
            for other in event.related
            if state.timeline.by_id[other] not in state.cases[event.id]
        ],
        site_jsonld=lambda: site_jsonld(state.timeline),
        eras_from=lambda event: state.era_starts.get(event.id, ()),
        history_of=lambda event: state.histories.get(event.id) or FileHistory(f"content/events/{event.id}.yaml"),
        listed_event=lambda event, root, timeline: state.items(event, root, timeline),
        oembed_href=lambda page_url: _absolute(state.timeline, oembed_path(page_url)),
        embed_src=lambda page_url: embed_src(state.timeline, page_url),
        text_direction=lambda: direction(state.locale),
        asset=lambda name: _asset(state, name),
        first_image=_first_image,
    )


def _host(url: str) -> str:
    """The host a link card names: `www.youtube.com` → `youtube.com`."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _first_image(event: Event) -> Media | None:
    return next((item for item in event.media if item.image is not None), None)


def _asset(state: _RenderState, name: str) -> str:
    try:
        return state.assets[name]
    except KeyError:
        known = ", ".join(sorted(state.assets)) or "none"
        raise TemplateRuntimeError(f"asset(): the theme has no static file {name!r} (it has: {known})") from None


def _absolute(timeline: Timeline, path: str | None) -> str | None:
    return timeline.base_url + path if timeline.base_url and path is not None else None


def site_pages(
    env: Environment,
    timeline: Timeline,
    histories: dict[str, FileHistory] | None = None,
    fragments: Fragments | None = None,
) -> Iterator[PageSpec]:
    """Every page of the site, not yet rendered. `fragments`: the parts of pages kept between renders."""
    fragments = fragments or Fragments()
    state = configure(env, timeline, histories, fragments)
    events = timeline.events
    size = timeline.events_per_page
    cases = state.cases
    # An event and every event whose title or date appears beside it (its case, related events).
    shown_with = {
        event.id: frozenset({event.id, *(other.id for other in cases[event.id]), *event.related}) for event in events
    }

    def shown(event: Event) -> frozenset[str]:
        return shown_with[event.id]

    def listing(items: Sequence[Event], *tokens: str) -> frozenset[str]:
        return frozenset(tokens).union(*(shown_with[event.id] for event in items))

    # The year index on every page of the timeline points into the page that
    # holds the year's first event.
    pages = paginate(events, size, "")
    year_urls: dict[int, str] = {}
    year_counts: dict[int, int] = {}
    page_of: dict[str, str] = {}
    for page in pages:
        for event in page.items:
            year_urls.setdefault(event.date.year, page.url)
            year_counts[event.date.year] = year_counts.get(event.date.year, 0) + 1
            page_of[event.id] = page.url
    facets = build_facets(timeline)
    overview = build_overview(timeline, lambda event: page_of[event.id])
    eras = [(era, starts) for starts, eras_ in state.era_starts.items() for era in eras_]
    index_token = page_token("index", year_urls, year_counts, facets, len(pages), eras, overview_token(overview))
    for page in pages:
        yield _spec(
            env,
            "index.html",
            page.url,
            timeline,
            listing(page.items, index_token),
            pagination=page,
            years=by_year(page.items),
            year_urls=year_urls,
            year_counts=year_counts,
            facets=facets,
            overview=overview,
        )

    for index, event in enumerate(events):
        previous = events[index - 1] if index > 0 else None
        following = events[index + 1] if index + 1 < len(events) else None
        neighbours = {other.id for other in (previous, following) if other}
        yield _spec(
            env,
            "event.html",
            f"events/{event.id}/",
            timeline,
            frozenset(shown(event) | neighbours),
            event=event,
            previous=previous,
            next=following,
        )

    tagged = _events_by_tag(timeline)
    used = [tag for tag in timeline.tags if tagged[tag.key]]  # a tag no event uses gets no page
    counts = [(tag, len(tagged[tag.key])) for tag in used]
    yield _spec(
        env,
        "tags.html",
        "tags/",
        timeline,
        frozenset({page_token("tags", [(tag.key, n) for tag, n in counts])}),
        tags=counts,
    )
    for tag in used:
        tag_pages = paginate(tagged[tag.key], size, f"tags/{tag.key}/")
        token = page_token("tag", tag.key, len(tagged[tag.key]), len(tag_pages))
        for page in tag_pages:
            yield _spec(
                env,
                "tag.html",
                page.url,
                timeline,
                listing(page.items, token),
                tag=tag,
                pagination=page,
                years=by_year(page.items),
                total=len(tagged[tag.key]),
            )

    entries = build_bibliography(timeline)
    source_pages = paginate(entries, SOURCES_PER_PAGE, "sources/")
    for page in source_pages:
        cited = {citation.event.id for entry in page.items for citation in entry.citations}
        token = page_token("sources", len(entries), [entry.url for entry in page.items])
        yield _spec(
            env,
            "sources.html",
            page.url,
            timeline,
            frozenset(cited | {token}),
            pagination=page,
            entries=page.items,
            publishers=by_publisher(page.items),
            total=len(entries),
        )

    embed_pages = paginate(events, size, "embed/")
    for page in embed_pages:
        yield _spec(
            env,
            "embed.html",
            page.url,
            timeline,
            listing(page.items, page_token("embed", len(embed_pages))),
            events=page.items,
            pagination=page,
        )
    for event in events:
        yield _spec(
            env, "embed-event.html", f"embed/events/{event.id}/", timeline, frozenset(shown(event)), event=event
        )

    listed = [page.url for page in pages] + [f"events/{event.id}/" for event in events] + ["tags/"]
    listed += [url for tag in used for url in paginate(tagged[tag.key], size, f"tags/{tag.key}/")[0].urls]
    listed += list(source_pages[0].urls)
    yield from data_pages(
        env, timeline, histories or {}, listed, tag_keys={tag.key for tag in used}, fragments=fragments
    )

    # Served for any missing URL at any depth, so its links cannot be relative.
    root = urlsplit(timeline.base_url).path if timeline.base_url else "/"
    template = env.get_template("404.html")
    yield PageSpec(
        "404.html",
        frozenset({"404"}),
        lambda: template.render(timeline=timeline, root=root, page_url="404.html", canonical=None),
    )


def _events_by_tag(timeline: Timeline) -> dict[str, list[Event]]:
    tagged: dict[str, list[Event]] = {tag.key: [] for tag in timeline.tags}
    for event in timeline.events:
        for tag in event.tags:
            tagged[tag.key].append(event)
    return tagged


def _spec(env: Environment, template: str, url: str, timeline: Timeline, deps: frozenset[str], **context) -> PageSpec:
    """The page at `url` (relative to the site root, '' for the root)."""
    root = "../" * url.count("/") or "./"

    def render() -> str:
        return env.get_template(template).render(
            timeline=timeline,
            root=root,
            page_url=url,
            canonical=(timeline.base_url + url) if timeline.base_url else None,
            **context,
        )

    return PageSpec(url + "index.html", deps, render)
