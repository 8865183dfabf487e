"""Markdown to safe HTML: GitHub's own engine, then an allow-list sanitiser.

cmarkgfm is cmark-gfm, the C library GitHub renders with: contributors see
what they saw in the pull request, and it runs in linear time on hostile
input. Its safe mode already drops raw HTML and `javascript:` links; nh3
(ammonia) then keeps only the tags, attributes and URL schemes listed here,
so a bug in either one alone cannot put script on a page.

Citations are the theme's: the caller passes `cite`, which gives the HTML of
each `[@key]` (the render stage renders the theme's `_citation.html`). It is
put into cmark's output, not into the Markdown, as cmark's safe mode would
drop it, and the sanitiser runs over the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

from timeline.citations import replace_citations

_TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "del", "sup", "sub",
    "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}

_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_OPTIONS = Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE

MAX_NESTING = 16
"""Quotes and lists inside each other, at most: the sanitiser's time grows with the square of the depth
(20,000 nested `>` take a second), and no real summary or body needs a sixteenth level."""
_CONTAINERS = re.compile(r"^(?:[ \t]{0,3}(?:>|[-+*](?=[ \t])|[0-9]{1,9}[.)](?=[ \t]))[ \t]*)+", re.M)
_MARKER = re.compile(r">|[-+*]|[0-9]{1,9}[.)]")


def nesting_depth(text: str) -> int:
    """How many quote and list markers open the most deeply nested line: `> - > x` is 3."""
    deepest = 0
    for match in _CONTAINERS.finditer(text):
        if match.end() - match.start() > deepest:  # a line's markers take at least one character each
            deepest = max(deepest, len(_MARKER.findall(match[0])))
    return deepest


def render_markdown(text: str, cite: Callable[[list[str]], str | None] | None = None) -> Markup:
    """Render Markdown to sanitised HTML; each citation `[@a]` or `[@a; @b]` becomes `cite(keys)`,
    unless that is None (an unknown key) or it stands in code, a link's text or an attribute."""
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    if cite is not None and "[@" in html:
        html = _insert_citations(html, cite)
    return sanitise_html(html)


def sanitise_html(html: str) -> Markup:
    """Keep only the allowed tags, attributes and URL schemes."""
    return Markup(_SAME_PAGE_REL.sub(r"\1", _CLEANER.clean(html).strip()))


_SAME_PAGE_REL = re.compile(r'(<a href="#[^"<>]*") rel="noopener noreferrer"')
"""The sanitiser gives every link `rel`; a link within the page (a citation's number) opens nothing to guard."""


# cmark escapes every `<` of the text and of attribute values, so in its
# output each `<…>` is a tag (or the comment left for raw HTML).
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([a-z0-9]+)")


def _insert_citations(html: str, cite: Callable[[list[str]], str | None]) -> str:
    """Citations in the text of cmark's HTML replaced; in code they are code, and a link cannot hold a link."""
    parts = _TAG.split(html)  # text, tag, text, …, text
    inside = {"code": 0, "a": 0}
    for index, part in enumerate(parts):
        if index % 2:
            tag = _TAG_NAME.match(part)
            if tag and tag.group(2) in inside:
                inside[tag.group(2)] += -1 if tag.group(1) else 1
        elif not any(inside.values()) and "[@" in part:
            parts[index] = replace_citations(part, cite)
    return "".join(parts)
