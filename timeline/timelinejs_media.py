"""A TimelineJS slide's media as a media item: a link card, a remote picture, or a quotation.

A remote address is kept as a reference, never downloaded here (`timeline
fetch-media` fetches pictures later). Its kind is guessed by `model.media_kind`,
which knows the hosts TimelineJS recognises. A `<blockquote>` is a quotation, its `<cite>` the
credit; an embedded post or frame becomes a card linking to it, so nothing
loads from another origin. Credits are plain text, captions inline Markdown.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from timeline.htmltext import to_inline_markdown, to_plain
from timeline.model import media_kind
from timeline.schema import url_problem
from timeline.timelinejs_reader import SlideMedia, fit, shorten


def media_items(media: SlideMedia | None, media_base: str | None) -> tuple[list[dict], list[str]]:
    """The slide's media as media items for YAML, and report lines for what could not be kept."""
    if media is None:
        return [], []
    notes: list[str] = []
    credit = to_plain(media.credit, line_break="; ")  # "Photo: A<br>Video: B" credits two
    links = re.findall(r"""href\s*=\s*["']?([^"'\s>]+)""", media.credit)
    if links:
        notes.append(f"media credit's link not kept (a credit is plain text): {shorten(' '.join(links))}")
    credit = fit(credit, 300, "media credit", notes)
    caption = to_inline_markdown(media.caption, lambda label, url: "" if not url_problem(url) else None)
    if len(caption) > 2000:  # cut Markdown would be broken Markdown: its words alone
        caption = fit(to_plain(media.caption), 2000, "media caption", notes)
    url = media.url.strip()
    item: dict = {}
    if url.startswith("<"):
        item = _html_media(url, credit, notes)
        if not item:
            return [], notes
    else:
        address = _address(url, media_base, notes)
        if address is None:
            return [], notes
        item = {"url": address, "kind": media_kind({"url": address})}
        title = fit(to_plain(media.title), 200, "media title", notes)
        if title:
            item["title"] = title
        if item["kind"] == "image":
            alt = to_plain(media.alt) or to_plain(media.caption)
            item["alt"] = fit(alt, 1000, "media alt text", notes)
            if alt and not media.alt:
                notes.append("media alt text taken from its caption, as TimelineJS does: say what the picture shows")
    if credit and "quote" not in item:
        item["credit"] = credit
    if caption:
        item["caption"] = caption
    if media.thumbnail:
        notes.append(
            f"media thumbnail not imported: {shorten(media.thumbnail)} (a card's poster is a picture in the project: "
            "save it in content/media and add it as poster:)"
        )
    if media.link:
        notes.append(f"media link not imported: {shorten(media.link)}")
    return [item], notes


def _address(url: str, media_base: str | None, notes: list[str]) -> str | None:
    """An absolute http(s) address for a media URL, or None with a note saying why not."""
    if url.startswith("//"):
        url = "https:" + url
    elif not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        if media_base is None:
            notes.append(
                f"media not imported: {shorten(url)} is a path on the site the timeline was published on; "
                "import again with --media-base https://that.site/ to keep it"
            )
            return None
        url = urljoin(media_base, url)
    problem = url_problem(url)
    if problem:
        notes.append(f"media not imported: {shorten(url)} {problem}")
        return None
    return url


def _html_media(markup: str, credit: str, notes: list[str]) -> dict:
    """TimelineJS's HTML media: a quotation, an embedded post, or a frame."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    quote = soup.find("blockquote")
    if quote is not None and "twitter-tweet" not in (quote.get("class") or []):
        cite = quote.find("cite")
        said = to_plain(cite.decode_contents()) if cite is not None else ""
        if cite is not None:
            cite.decompose()
        words = to_plain(quote.decode_contents())
        if not words:
            notes.append(f"media not imported: an empty quotation: {shorten(markup)}")
            return {}
        item = {"quote": fit(words, 2000, "quotation", notes)}
        if credit or said:
            item["credit"] = fit(credit or said, 300, "quotation's credit", notes)
        return item
    links = [tag.get("href", "") for tag in soup.find_all("a")] + [
        tag.get("src", "") for tag in soup.find_all("iframe")
    ]
    links = [link for link in links if link.startswith(("http://", "https://")) and not url_problem(link)]
    if links:
        notes.append(f"embedded media kept as a link card to {shorten(links[-1])}")
        item = {"url": links[-1], "kind": media_kind({"url": links[-1]})}
        if item["kind"] == "image":
            item["kind"] = "page"
        return item
    notes.append(f"media not imported: HTML that is not a quotation or a link: {shorten(markup)}")
    return {}
