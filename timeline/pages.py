"""A page of the site before it is rendered: where it goes, what it shows, how to render it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    """A page that can be rendered, and what it shows.

    `deps` holds the ids of the events whose data appears on the page, and
    tokens for anything else it depends on (the year index, the filters'
    choices). A live preview re-renders a page only when its deps changed or
    one of the events in them did.
    """

    path: str
    deps: frozenset[str]
    render: Callable[[], str | bytes]
    """The page's text (written as UTF-8), or a file's bytes as they are (the search index's)."""
    local: bool = False
    """Rendered by the building process itself, never a worker: it fills the store of parts kept for the next run."""


def page_token(*parts: object) -> str:
    """A short stand-in for data a page shows besides events: it changes when the data does."""
    return "~" + hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
