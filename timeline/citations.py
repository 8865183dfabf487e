"""Pandoc-style citations in event text: `[@key]` and `[@one; @two]`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

KEY = r"[A-Za-z0-9][A-Za-z0-9_-]*"
_GROUP = re.compile(rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]")
# For replacing: also the spaces before a group (at most one line break, so
# a citation never joins two paragraphs), as a numbered mark hugs its word.
_GROUP_WITH_SPACE = re.compile(rf"[ \t]*(?:\n[ \t]*)?{_GROUP.pattern}")
_KEY = re.compile(rf"@({KEY})")
# `[key]` without the @, not a Markdown link's text (`[text](url)` or `[text][ref]`).
_BARE = re.compile(rf"\[({KEY})\](?![(\[])")


def cited_keys(text: str) -> Iterator[str]:
    """Every key cited in `text`, in order, repeats included."""
    for group in _GROUP.finditer(text):
        yield from _KEY.findall(group.group(1))


def reading_order(texts: Iterable[str], keys: Sequence[str]) -> list[int]:
    """Positions in `keys` (an event's sources' ids, as listed) in the order a reader meets them.

    The first source cited in the texts (summary, then body) comes first, the
    next new one second, and so on; sources never cited follow in their
    listed order.
    """
    where = {key: index for index, key in reversed(list(enumerate(keys))) if key}
    order: list[int] = []
    for text in texts:
        for key in cited_keys(text):
            index = where.get(key)
            if index is not None and index not in order:
                order.append(index)
    return order + [index for index in range(len(keys)) if index not in order]


def bare_keys(text: str) -> Iterator[str]:
    """Bracketed words that would be citations with an @: `[ico-release]`."""
    for match in _BARE.finditer(text):
        yield match.group(1)


def replace_citations(text: str, cite: Callable[[list[str]], str | None]) -> str:
    """Replace each citation group with what `cite(keys)` returns for its keys, in the order written.

    A group `cite` returns None for (a key it does not know) is left as
    written; validation has already reported it.
    """

    def substitute(group: re.Match[str]) -> str:
        cited = cite(_KEY.findall(group.group(1)))
        return group.group(0) if cited is None else cited  # as written: its spaces too

    return _GROUP_WITH_SPACE.sub(substitute, text)
