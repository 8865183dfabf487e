"""Case histories: the events joined by `supersedes`, read as one chain."""

from __future__ import annotations

from timeline.model import Event, Timeline


def build_cases(timeline: Timeline) -> dict[str, tuple[Event, ...]]:
    """Each event's case: every event linked to it through `supersedes`, in
    either direction and at any distance, oldest first.

    An event that supersedes nothing and is superseded by nothing is a case
    of its own.
    """
    parent = {event.id: event.id for event in timeline.events}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # path halving keeps chains flat
            node = parent[node]
        return node

    for event in timeline.events:
        for earlier in event.supersedes:
            parent[root(event.id)] = root(earlier)
    members: dict[str, list[Event]] = {}
    for event in timeline.events:  # already oldest first
        members.setdefault(root(event.id), []).append(event)
    return {event.id: tuple(members[root(event.id)]) for event in timeline.events}
