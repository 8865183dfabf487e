"""Rendered pieces of pages kept with the version of what they show, so each is made once.

The engine gives every event a version (its model's digest and what
supersedes it) and keeps one store per site: between the updates of
`serve` in memory, between builds in the cache folder. A piece is made again
when its event's version, or that of an event it shows, is not the one it
was made with. Without versions (a render outside the engine) nothing is
kept past the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from timeline.model import Event


class Fragments:
    def __init__(self) -> None:
        self.context = ""
        self.versions: dict[str, object] = {}
        self._kept: dict[tuple[str, str], tuple[tuple, str]] = {}

    @classmethod
    def restore(cls, context: str, kept: dict) -> Fragments:
        """The store as `kept` left it, under `context`."""
        store = cls()
        store.context, store._kept = context, kept
        return store

    @property
    def kept(self) -> dict[tuple[str, str], tuple[tuple, str]]:
        """Every piece by (kind, event id), with the versions it was made for."""
        return self._kept

    def begin(self, context: str, versions: dict[str, object]) -> None:
        """A new render: what was kept under another theme, options or timeline.yaml, or for events gone, is dropped."""
        if context != self.context:
            self._kept.clear()
        self.context, self.versions = context, versions
        gone = [key for key in self._kept if key[1] not in versions]
        for key in gone:
            del self._kept[key]

    def get(self, kind: str, event: Event, make: Callable[[], str], shows: Iterable[str] = ()) -> str:
        """The piece `kind` of `event`, made by `make()` unless kept for these versions."""
        if event.id not in self.versions:
            return make()
        version = (self.versions[event.id], *(self.versions.get(other) for other in shows))
        key = (kind, event.id)
        kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        text = make()
        self._kept[key] = (version, text)
        return text
