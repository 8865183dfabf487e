"""TimelineJS's HTML as this project's Markdown (markdownify), or as plain text.

Emphasis, code, lists, quotes and links are kept as Markdown; everything else
is text, escaped so that it stays text (a `*` or `1.` in the words never
becomes formatting). Nothing that loads from elsewhere survives: images become
their alt text, frames and scripts are dropped. The Markdown is rendered and
sanitised (nh3) like any event's text, so no markup from a file reaches a page
unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter, chomp

# What YAML cannot hold (control characters, lone surrogates) and what a
# terminal should not be sent; line breaks and tabs are HTML's whitespace.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
_HIDDEN = ("script", "style", "template", "iframe", "object", "embed", "svg", "video", "audio", "noscript")

Cite = Callable[[str, str], str | None]
"""`cite(label, url)`: the citation key a link is followed by, or None to keep only the link's words."""


class _Converter(MarkdownConverter):
    def __init__(self, cite: Cite | None) -> None:
        super().__init__(
            escape_misc=False,
            escape_asterisks=False,
            escape_underscores=False,
            heading_style="atx",
            bullets="-",
            newline_style="backslash",
            autolinks=False,
            wrap=True,  # a line break in the HTML is a space, as a browser shows it;
            wrap_width=None,  # `wrap` below makes the lines
        )
        self.cite = cite

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        href = (el.get("href") or "").strip()
        if not text or not href or self.cite is None:
            return f"{prefix}{text}{suffix}"
        key = self.cite(" ".join(el.get_text().split()), href)
        if key is None:
            return f"{prefix}{text}{suffix}"
        citation = f" [@{key}]" if key else ""
        return f"{prefix}[{text}]({destination(href)}){citation}{suffix}"

    def escape(self, text, parent_tags):
        """Marks that would make words Markdown escaped; a marker that would open a block only at a line's start."""
        if not text:
            return ""
        text = _MARKS.sub(r"\\\g<0>", text)
        return _BLOCK_START.sub(lambda mark: _escape_marker(mark.group(0)), text)

    def convert_img(self, el, text, parent_tags):
        return self.escape(el.get("alt") or "", parent_tags)


# Emphasis, code, links, raw HTML, entities and strikethrough: escaped wherever they are.
_MARKS = re.compile(r"[\\`*_\[\]<>]|~(?=~)|(?<=~)~|&(?=#?[0-9A-Za-z]+;)")
# A word that would change what a Markdown line means if it began one: a
# heading, list item, thematic break or setext underline.
LINE_START = re.compile(r"#{1,6}|[-+*=]|[0-9]{1,9}[.)]|[-=_*]{2,}")
_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+*=]+|[0-9]{1,9}[.)])(?=\s|$)")


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def destination(url: str) -> str:
    """A link's address as Markdown takes it: <…> around one with spaces or brackets."""
    url = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    return f"<{url}>" if re.search(r"[()\s]", url) else url


def to_markdown(html: str, cite: Cite | None = None) -> str:
    """Block Markdown for a slide's text; `cite` decides what each link becomes."""
    soup = BeautifulSoup(CONTROL.sub(" ", html), "html.parser")
    for tag in soup.find_all(_HIDDEN):
        tag.decompose()
    markdown = _Converter(cite).convert_soup(soup)
    # Runs of spaces (a link's space and the next word's) are one, except where they indent.
    lines = [re.sub(r"(?<=\S) {2,}", " ", line.rstrip()) for line in markdown.strip("\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_inline_markdown(html: str, cite: Cite | None = None) -> str:
    """Markdown on one line, as a caption takes it: paragraphs and breaks become spaces."""
    markdown = to_markdown(html, cite)
    return " ".join(line.rstrip("\\").strip() for line in markdown.split("\n") if line.strip())


def to_plain(html: str, line_break: str = " ") -> str:
    """The words of some HTML on one line, as a title or a credit takes them; `<br>` becomes `line_break`."""
    soup = BeautifulSoup(CONTROL.sub(" ", html), "html.parser")
    for tag in soup.find_all(_HIDDEN):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with(line_break)
    for tag in soup.find_all(["p", "div", "li", "blockquote", "cite"]):
        tag.insert_before(" ")
        tag.insert_after(" ")
    return " ".join(soup.get_text().split())


_LINK = re.compile(r"\[(?:\\.|[^\]\\\n])*\]\((?:<[^>\n]*>|[^)\s]*)\)")
_MARKER = re.compile(r"( *)(?:[-+*] |[0-9]{1,9}[.)] |> ?)?")


def wrap(markdown: str, width: int = 76) -> list[str]:
    """Lines of about `width` characters; list items keep their hanging indent, code blocks stay as they are.

    A word Markdown would read as a marker at a line's start (`-`, `1.`, `#`)
    is never moved to the start of a line.
    """
    lines: list[str] = []
    fenced = False
    markdown = _LINK.sub(lambda link: link.group(0).replace(" ", "\x00"), markdown)  # a link stays on one line
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or line.lstrip().startswith(("```", "|", "#")) or len(line) <= width:
            lines.append(line)
            continue
        prefix = _MARKER.match(line).group(0)
        hanging = "> " if prefix.strip() == ">" else " " * len(prefix)
        current = prefix
        for word in line[len(prefix) :].split(" "):
            breakable = not LINE_START.fullmatch(word)  # such a word stays on the line before
            if breakable and current.strip() and len(current) + 1 + len(word) > width and current != prefix:
                lines.append(current)
                current = hanging + word
            else:
                current += ("" if current in (prefix, hanging) else " ") + word
        lines.append(current)
    return [line.replace("\x00", " ") for line in lines]
