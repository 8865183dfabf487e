"""Markdown to safe HTML: GitHub's own engine, then an allow-list sanitiser.

cmarkgfm is cmark-gfm, the C library GitHub renders with: contributors see
what they saw in the pull request, and it runs in linear time on hostile
input. Its safe mode already drops raw HTML and `javascript:` links; nh3
(ammonia) then keeps only the tags, attributes and URL schemes listed here,
so a bug in either one alone cannot put script on a page.
"""

from __future__ import annotations

import re

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


def render_markdown(text: str, citation_anchor=None) -> Markup:
    """Render Markdown to sanitised HTML; `[@key]` becomes a numbered link when
    `citation_anchor(key)` returns `(number, anchor)`."""
    if citation_anchor is not None:

        def link(key: str) -> str | None:
            target = citation_anchor(key)
            return None if target is None else f"[\\[{target[0]}\\]](#{target[1]})"

        text = replace_citations(text, link)
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
    return Markup(_CLEANER.clean(html).strip())
