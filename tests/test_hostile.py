"""Untrusted content: every hostile input is rejected or neutralised; none crashes, leaks script or loses the site.

Anyone can open a pull request, so every content file is hostile until
checked. Each case here is either

- rejected: `check` and `build` exit 1 with an error naming the file and
  line, print no traceback, and the previous site is left byte for byte; or
- neutralised: the site builds, the payload reaches the reader as text, and
  nothing in any output file (HTML, JSON, the feed, the embeds, TimelineJS
  data) can run it: no script but the theme's, no event handler, no
  `javascript:` address, no element or attribute the plain site lacks.

The cases are generated from categories (YAML, schema, file names and ids,
limits, and payloads in every text field); the counts per category are
printed by `pytest -v`'s ids.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import tree

EVENT = "content/events/2021-hostile.yaml"
SOURCE = "sources:\n  - {id: s, title: T, publisher: P, url: 'https://example.com/s', kind: primary}\n"
PLAIN = "date: '2021'\ntitle: A plain title\nsummary: A plain summary [@s].\n" + SOURCE


# The fields the sample project's events use, declared on one line.
FIELDS = (
    "fields: [{name: authority, label: A, type: text}, {name: jurisdiction, label: C, type: country}, "
    "{name: amount, label: M, type: money}, {name: status, label: S, type: choice, "
    "choices: [{value: concluded, label: C}, {value: appealed, label: A}]}]\n"
)


def event(*lines: str, sources: str = SOURCE) -> str:
    """An event file: the given lines, then a valid source list (unless replaced)."""
    return "\n".join(lines) + "\n" + sources


# --- rejected ----------------------------------------------------------------

# Each case: the files written over the minimal sample project, and the
# location the first error must name.
REJECTED: dict[str, tuple[dict[str, str | bytes], str]] = {
    # YAML
    "yaml/unclosed-bracket": ({EVENT: event("date: '2021'", "title: [unclosed", "summary: x [@s].")}, f"{EVENT}:2:8:"),
    "yaml/unclosed-quote": ({EVENT: event("date: '2021'", "title: 'never closed", "summary: x [@s].")}, f"{EVENT}:"),
    "yaml/tab-indentation": ({EVENT: "date: '2021'\ntitle: T\nsummary: x [@s].\nsources:\n\t- id: s\n"}, f"{EVENT}:5:"),
    "yaml/not-utf8": ({EVENT: b"date: '2021'\ntitle: caf\xe9\nsummary: x [@s].\n" + SOURCE.encode()}, f"{EVENT}:2:"),
    "yaml/control-character-after-an-accent": (
        {EVENT: event("date: '2021'", "title: café\x01", "summary: x [@s].")},
        f"{EVENT}:2:12:",
    ),
    "yaml/nul-byte": ({EVENT: event("date: '2021'", "title: a\x00b", "summary: x [@s].")}, f"{EVENT}:2:"),
    "yaml/python-object-tag": (
        {
            EVENT: event(
                "date: '2021'", "title: !!python/object/apply:os.system ['touch /tmp/pwned']", "summary: x [@s]."
            )
        },
        f"{EVENT}:2:",
    ),
    "yaml/python-name-tag": (
        {EVENT: event("date: '2021'", "title: !!python/name:os.system", "summary: x [@s].")},
        f"{EVENT}:2:",
    ),
    "yaml/custom-tag": (
        {EVENT: event("date: '2021'", "title: !include /etc/passwd", "summary: x [@s].")},
        f"{EVENT}:2:",
    ),
    "yaml/billion-laughs": (
        {
            EVENT: "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
            + "".join(
                f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n"
                for n in range(8)
            )
        },
        f"{EVENT}:1:",
    ),
    "yaml/10000-deep-lists": ({EVENT: "title: " + "[" * 10_000 + "]" * 10_000 + "\n"}, f"{EVENT}:1:"),
    "yaml/10000-deep-mappings": ({EVENT: "title: " + "{a: " * 10_000 + "b" + "}" * 10_000 + "\n"}, f"{EVENT}:1:"),
    "yaml/duplicate-key": (
        {EVENT: event("date: '2021'", "title: One", "title: Two", "summary: x [@s].")},
        f"{EVENT}:3:",
    ),
    "yaml/two-documents": ({EVENT: PLAIN + "---\n" + PLAIN}, f"{EVENT}:6:"),
    "yaml/empty-file": ({EVENT: ""}, f"{EVENT}:1:"),
    "yaml/a-list-not-a-mapping": ({EVENT: "- date: '2021'\n- title: T\n"}, f"{EVENT}:1:"),
    "yaml/bidi-override-in-title": (
        {EVENT: event("date: '2021'", "title: Fine of \u202e000,02\u202c", "summary: x [@s].")},
        f"{EVENT}:2:16:",
    ),
    "yaml/bidi-isolate-in-summary": (
        {EVENT: event("date: '2021'", "title: T", "summary: x \u2067y\u2069 [@s].")},
        f"{EVENT}:3:12:",
    ),
    "yaml/bidi-escape-in-quote": (
        {EVENT: event("date: '2021'", 'title: "T \\u202e"', "summary: x [@s].")},
        f"{EVENT}:2:11:",  # the escape itself
    ),
    # Control characters the reader refuses raw, written as escapes instead.
    **{
        f"yaml/escaped-control-{name}": (
            {EVENT: event("date: '2021'", f'title: "Fine {escape} here"', "summary: x [@s].")},
            f"{EVENT}:2:14:",  # the backslash
        )
        for name, escape in {
            "ansi": "\\x1b[31m",
            "form-feed": "\\f",
            "nul": "\\0",
            "bell": "\\a",
            "delete": "\\x7f",
            "c1": "\\x9b",
            "next-line": "\\N",
            "non-character": "\\uffff",
        }.items()
    },
    "yaml/escaped-control-in-source": (
        {
            EVENT: "date: '2021'\ntitle: T\nsummary: x [@s].\nsources:\n  - {id: s, title: \"a\\eb\", publisher: P, url: 'https://example.org/'}\n"
        },
        f"{EVENT}:5:22:",
    ),
    "yaml/escaped-control-in-key": (
        {EVENT: event("date: '2021'", '"ti\\x07tle": T', "summary: x [@s].")},
        f"{EVENT}:2:4:",
    ),
    "yaml/unknown-escape": (
        {EVENT: event("date: '2021'", 'title: "C:\\qfolder"', "summary: x [@s].")},
        f"{EVENT}:2:11:",
    ),
    "yaml/lone-surrogate": ({EVENT: event("date: '2021'", 'title: "T \\ud800"', "summary: x [@s].")}, f"{EVENT}:2:11:"),
    "yaml/100000-tags": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "tags: [" + ", ".join(["ico"] * 100_000) + "]")},
        f"{EVENT}:4:",
    ),
    # schema
    "schema/missing-title": ({EVENT: event("date: '2021'", "summary: x [@s].")}, f"{EVENT}:1:"),
    "schema/title-is-a-list": ({EVENT: event("date: '2021'", "title: [a, b]", "summary: x [@s].")}, f"{EVENT}:2:"),
    "schema/title-is-a-number": ({EVENT: event("date: '2021'", "title: 12", "summary: x [@s].")}, f"{EVENT}:2:"),
    "schema/unknown-key": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "onload: alert(1)")},
        f"{EVENT}:4:",
    ),
    "schema/impossible-date": ({EVENT: event("date: '2021-02-30'", "title: T", "summary: x [@s].")}, f"{EVENT}:1:"),
    "schema/ambiguous-date": ({EVENT: event("date: 03/04/2021", "title: T", "summary: x [@s].")}, f"{EVENT}:1:"),
    "schema/end-before-start": (
        {EVENT: event("date: '2021-05'", "end_date: '2021-04'", "title: T", "summary: x [@s].")},
        f"{EVENT}:2:",
    ),
    "schema/negative-amount": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "amount: {value: -5, currency: EUR}")},
        f"{EVENT}:4:",
    ),
    "schema/unknown-currency": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "amount: {value: 5, currency: ZZZ}")},
        f"{EVENT}:4:",
    ),
    "schema/empty-sources": (
        {EVENT: event("date: '2021'", "title: T", "summary: x.", sources="sources: []\n")},
        f"{EVENT}:4:",
    ),
    **{
        f"schema/url-{name}": (
            {
                EVENT: event(
                    "date: '2021'",
                    "title: T",
                    "summary: x [@s].",
                    sources=f"sources:\n  - {{id: s, title: T, publisher: P, url: '{url}'}}\n",
                )
            },
            f"{EVENT}:5:",
        )
        for name, url in {
            "javascript": "javascript:alert(1)",
            "javascript-mixed-case": "JaVaScRiPt:alert(1)",
            "javascript-leading-space": " javascript:alert(1)",
            "data": "data:text/html,<script>alert(1)</script>",
            "vbscript": "vbscript:msgbox(1)",
            "file": "file:///etc/passwd",
            "credentials": "https://user:secret@example.com/",
            "relative": "/etc/passwd",
            "protocol-relative": "//evil.example/",
            "no-host": "https:///path",
        }.items()
    },
    "schema/archive-url-javascript": (
        {
            EVENT: event(
                "date: '2021'",
                "title: T",
                "summary: x [@s].",
                sources="sources:\n  - {id: s, title: T, publisher: P, url: 'https://example.com/', archive_url: 'javascript:alert(1)'}\n",
            )
        },
        f"{EVENT}:5:",
    ),
    "schema/timeline-title-missing": (
        {"content/timeline.yaml": "description: x\n" + FIELDS},
        "content/timeline.yaml:1:",
    ),
    "schema/tag-key-with-path": (
        {
            "content/timeline.yaml": "title: T\ndescription: D\nlanguage: en\ntags:\n  - {key: ../x, label: X}\n"
            + FIELDS
        },
        "content/timeline.yaml:5:",
    ),
    # ids: an event's id is its file name
    "ids/same-id-twice": ({EVENT: PLAIN, EVENT.replace(".yaml", ".yml"): PLAIN}, "content/events/2021-hostile.y"),
    "ids/windows-reserved-name": ({"content/events/con.yaml": PLAIN}, "content/events/con.yaml"),
    "ids/backslash-in-name": ({"content/events/2021-a\\b.yaml": PLAIN}, "content/events/2021-a\\b.yaml"),
    "ids/dots-in-name": ({"content/events/2021-...yaml": PLAIN}, "content/events/2021-...yaml"),
    "ids/bidi-in-name": ({"content/events/2021-\u202eabc.yaml": PLAIN}, "content/events/2021-\u202eabc.yaml"),
    # A file hidden by its leading dot would be an event that silently vanishes.
    "ids/hidden-name": ({"content/events/.2021-hidden.yaml": PLAIN}, "content/events/.2021-hidden.yaml"),
    "ids/only-an-ending": ({"content/events/.yaml": PLAIN}, "content/events/.yaml"),
    "ids/only-dots": ({"content/events/...yaml": PLAIN}, "content/events/...yaml"),
    "ids/dotted-windows-path": ({"content/events/..\\..\\x.yaml": PLAIN}, "content/events/..\\..\\x.yaml"),
    "ids/upper-case-name": ({"content/events/2021-Hostile.yaml": PLAIN}, "content/events/2021-Hostile.yaml"),
    "ids/link-to-a-path": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "related: ['../../etc/passwd']")},
        f"{EVENT}:4:",
    ),
    "ids/link-with-backslash": (
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", "supersedes: ['..\\\\x']")},
        f"{EVENT}:4:",
    ),
    "ids/source-id-with-markup": (
        {
            EVENT: event(
                "date: '2021'",
                "title: T",
                "summary: x [@s].",
                sources="sources:\n  - {id: '\"><script>', title: T, publisher: P, url: 'https://example.com/'}\n",
            )
        },
        f"{EVENT}:",
    ),
    # limits
    "limits/50-MB-file": ({EVENT: "title: " + "x" * 50_000_000 + "\n"}, EVENT),
    "limits/a-folder-named-like-an-event": (
        {"content/events/2021-folder.yaml/x.yaml": PLAIN},
        "content/events/2021-folder.yaml",
    ),
}


@pytest.mark.parametrize("case", REJECTED)
def test_hostile_input_is_rejected_with_its_file_and_line(run, make_project, case):
    files, where = REJECTED[case]
    project = make_project()
    assert run(["build"], cwd=project).code == 0
    site = tree(project / "site")
    for relative, data in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    started = time.perf_counter()
    for command in (["check"], ["build"]):
        result = run(command, cwd=project)
        assert result.code == 1, (command, result.out, result.err)
        assert "Traceback" not in result.err
        first = next(line for line in result.err.splitlines() if ": error: " in line)
        assert first.startswith(where), first
    assert time.perf_counter() - started < 10, "refused, but slowly"
    assert tree(project / "site") == site
    assert sorted(path.name for path in project.iterdir()) == ["content", "site"]


# --- neutralised ---------------------------------------------------------------

PAYLOADS = {
    "script-tag": "<script>alert('PWN')</script>",
    "script-close-open": "</script><script>alert('PWN')</script>",
    "img-onerror": "<img src=x onerror=alert('PWN')>",
    "svg-onload": "<svg onload=alert('PWN')><circle r=1 /></svg>",
    "iframe": "<iframe src='https://evil.example/PWN'></iframe>",
    "attribute-breakout": "\"'><b onmouseover=alert('PWN')>x</b>",
    "markdown-javascript-link": "[PWN](javascript:alert(1))",
    "markdown-entity-javascript-link": "[PWN](&#106;avascript:alert(1))",
    "markdown-data-link": "[PWN](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "markdown-image-onerror": '![PWN" onerror="alert(1)](https://example.com/x.png)',
    "html-entities": "&lt;script&gt;alert('PWN')&lt;/script&gt; &#60;script&#62;",
    "mutation-xss": "<math><mtext><table><mglyph><style><img src=x onerror=alert('PWN')>",
    "style-tag": "<style>body{background:url(javascript:alert('PWN'))}</style>",
    "html-comment": "<!-- PWN --><!--><script>alert(1)</script>-->",
    "meta-refresh": "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>PWN",
    "jinja-syntax": "{{ 7*7 }} {% raw %}PWN{% endraw %} ${7*7}",
}

# Every text field a contributor writes, and where it lives.
TEXT_FIELDS = (
    "title", "summary", "body", "authority", "source title", "publisher", "author", "quote",
    "tag label", "tag description", "timeline title", "timeline description",
    "field label", "field description", "choice label",
)  # fmt: skip


def _quoted(payload: str) -> str:
    """The payload as a YAML double-quoted scalar."""
    return json.dumps(payload, ensure_ascii=False)


def hostile_files(payload: str) -> dict[str, str]:
    """The sample project with `payload` in every text field at once."""
    q = _quoted(payload)
    q_marked = _quoted(payload + " [@s]")
    timeline = f"""title: {q}
description: {q}
language: en-GB
base_url: https://example.org/hostile/
checks: {{schema-line: 'off', no-archive: 'off', no-primary: 'off'}}
fields:
  - {{name: authority, label: {q}, type: text, filter: true, description: {q}}}
  - {{name: stage, label: Stage, type: choice, filter: true, choices: [{{value: done, label: {q}}}]}}
  - {{name: jurisdiction, label: Country, type: country}}
  - {{name: amount, label: Amount, type: money}}
  - {{name: status, label: Status, type: choice, choices: [{{value: concluded, label: Concluded}}, {{value: appealed, label: Appealed}}]}}
tags:
  - {{key: ico, label: {q}, description: {q}}}
  - {{key: fine, label: Fine}}
"""
    hostile = f"""date: '2021'
title: {q}
summary: {q_marked}
body: {q}
tags: [ico]
authority: {q}
stage: done
sources:
  - id: s
    title: {q}
    publisher: {q}
    author: {q}
    url: 'https://example.com/s'
    published: '2021'
    kind: primary
    quote: {q}
"""
    return {"content/timeline.yaml": timeline, EVENT: hostile}


class _Elements(HTMLParser):
    """Every element, attribute and script of a page (or an HTML fragment)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: set[str] = set()
        self.attributes: set[tuple[str, str]] = set()
        self.urls: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name in ("href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href") and value:
                self.urls.append(value)
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)


def _parse_html(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser


_THEME_SCRIPT = re.compile(r"^(\./|(\.\./)+|/|https://example\.org/hostile/)?static/[a-z-]+(\.[0-9a-f]{10})?\.js$")


def _assert_inert_html(text: str, where: str, allowed: _Elements) -> str:
    """The HTML holds no way to run script; return its text, to look for the payload's marker."""
    page = _parse_html(text)
    for attrs, body in page.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(body)  # data, and nothing but
            assert "</" not in body and "<!--" not in body, where
        else:
            assert _THEME_SCRIPT.match(attrs.get("src", "")) and not body.strip(), (where, attrs)
    events = {name for _, name in page.attributes if name.startswith("on")}
    assert not events, (where, events)
    for url in page.urls:
        scheme = re.sub(r"[\x00-\x20]", "", url).lower().split(":", 1)[0]
        assert scheme not in ("javascript", "vbscript", "data", "file"), (where, url)
    assert page.elements <= allowed.elements, (where, page.elements - allowed.elements)
    assert page.attributes <= allowed.attributes, (where, page.attributes - allowed.attributes)
    return " ".join(page.text)


def html_in_site(site: Path):
    """(where, HTML) for every page, and for the HTML carried inside JSON data and the feed."""
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        where = str(path.relative_to(site))
        data = path.read_bytes()
        if path.suffix == ".html":
            yield where, data.decode("utf-8")
        elif path.suffix == ".json":
            yield from _html_in_data(json.loads(data), where)
        elif path.suffix == ".xml":
            root = ElementTree.fromstring(data)  # well-formed
            for element in root.iter():
                if element.get("type") == "html" and element.text:
                    yield f"{where} <{element.tag}>", element.text


def _html_in_data(value, where: str):
    """Strings meant as HTML (`*_html`, oEmbed's `html`, TimelineJS's `text`); the rest is plain data."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and (key.endswith("html") or (key == "text" and "<" in item)):
                yield f"{where}.{key}", item
            else:
                yield from _html_in_data(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _html_in_data(item, f"{where}[{index}]")


def assert_site_inert(site: Path, allowed: _Elements) -> str:
    """Check every output file; return the text readers see on the event's page."""
    for where, html in html_in_site(site):
        _assert_inert_html(html, where, allowed)
    return _assert_inert_html(
        (site / "events/2021-hostile/index.html").read_text(encoding="utf-8"), "event page", allowed
    )


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    """The elements and attributes a plain build of the same project has: a payload may add none."""
    import os
    import shutil

    from conftest import SITES

    from timeline.cli import main

    project = tmp_path_factory.mktemp("plain") / "minimal"
    shutil.copytree(SITES / "minimal", project)
    for relative, text in hostile_files("PLAIN [x](https://example.com/x) *y*").items():
        (project / relative).write_text(text, encoding="utf-8")
    cwd, cache = os.getcwd(), os.environ.get("XDG_CACHE_HOME")
    try:
        os.chdir(project)
        os.environ["XDG_CACHE_HOME"] = str(project.parent / "cache")
        assert main(["build"]) == 0
    finally:
        os.chdir(cwd)
        if cache is None:
            os.environ.pop("XDG_CACHE_HOME")
        else:
            os.environ["XDG_CACHE_HOME"] = cache
    allowed = _Elements()
    for _, html in html_in_site(project / "site"):
        page = _parse_html(html)
        allowed.elements |= page.elements
        allowed.attributes |= page.attributes
    return allowed


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_in_every_text_field_is_built_inert(run, make_project, plain_site, payload):
    files = hostile_files(PAYLOADS[payload])
    opening = json.dumps(PAYLOADS[payload], ensure_ascii=False)[:-1]  # the quoted payload, as each field starts
    assert sum(text.count(opening) for text in files.values()) == len(TEXT_FIELDS)
    project = make_project(files)
    result = run(["build"], cwd=project)
    assert result.code == 0, result.err
    shown = assert_site_inert(project / "site", plain_site)
    # Neutralised, not dropped: the reader sees what was written, as text.
    assert "PWN" in shown or "alert" in shown or "7*7" in shown, shown


def test_yaml_1_1_booleans_octal_and_bare_dates_stay_as_written(run, make_project):
    project = make_project({
        EVENT: event("date: 2021", "title: yes", "summary: NO [@s].", "jurisdiction: NO", "authority: 0755"),
    })  # fmt: skip
    assert run(["build"], cwd=project).code == 0
    page = (project / "site/events/2021-hostile/index.html").read_text(encoding="utf-8")
    assert "<h1>yes</h1>" in page or ">yes</h1>" in page
    assert "Norway" in page
    assert "0755" in page


def test_a_byte_order_mark_is_read_as_nothing(run, make_project):
    project = make_project({EVENT: "\ufeff" + PLAIN})
    assert run(["build"], cwd=project).code == 0
    assert "A plain title" in (project / "site/events/2021-hostile/index.html").read_text(encoding="utf-8")


BOMBS = {
    "20000-open-brackets": "[" * 20_000,
    "20000-unclosed-links": "[a](" * 20_000,
    "nested-emphasis": "*a **" * 20_000,
    "20000-backticks": "`" * 20_000,
    "20000-nested-quotes": "> " * 20_000 + "x",
    "500000-nested-quotes": "> " * 500_000 + "x",
    "nested-lists": "- " * 20_000 + "x",
    "quotes-in-lists": "> 1. " * 10_000 + "x",
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_markdown_bomb_is_rendered_or_rejected_within_a_second(run, make_project, bomb):
    """Quadratic Markdown engines and sanitisers stall on these: each takes well under a second either way."""
    project = make_project(
        {EVENT: event("date: '2021'", "title: T", "summary: x [@s].", f"body: {_quoted(BOMBS[bomb])}")}
    )
    started = time.perf_counter()
    result = run(["build"], cwd=project)
    assert time.perf_counter() - started < 1.0
    if result.code:  # too deep (or too long): said once, at the body
        assert re.match(
            rf"{EVENT}:4:7: error: body: (quotes and lists are nested [0-9,]+ levels deep; at most 16 are shown, so "
            r"remove the extra '>' and list markers|is [0-9,]+ characters long; at most 100,000 are allowed)\n",
            result.err,
        ), result.err
    else:
        assert (project / "site/events/2021-hostile/index.html").is_file()


class _Policy(HTMLParser):
    """A page's security policy, referrer policy and outgoing links."""

    def __init__(self) -> None:
        super().__init__()
        self.csp: list[str] = []
        self.referrer: list[str] = []
        self.links: list[dict] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(attrs.get("content") or "")
        if tag == "meta" and attrs.get("name") == "referrer":
            self.referrer.append(attrs.get("content") or "")
        if tag == "a" and re.match(r"https?://", attrs.get("href") or ""):
            self.links.append(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/ld+json":
            self.inline_scripts += 1


def test_every_page_forbids_inline_script_sends_no_referrer_and_opens_links_apart(run, sample_site):
    project = sample_site()
    assert run(["build"], cwd=project).code == 0
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 10
    outgoing = 0
    for path in pages:
        page = _Policy()
        page.feed(path.read_text(encoding="utf-8"))
        where = path.relative_to(project / "site")
        assert len(page.csp) == 1, where
        directives = dict(
            (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in page.csp[0].split(";")) if part
        )
        # The timeline page allows WebAssembly (its search), never inline script or eval.
        allowed = ("'self' 'wasm-unsafe-eval'",) if where.name == "index.html" and "embed" not in where.parts else ()
        assert directives["script-src"] in ("'self'", *allowed) and directives["object-src"] == "'none'", (
            where,
            page.csp,
        )
        assert "unsafe" not in page.csp[0].replace("'wasm-unsafe-eval'", ""), where
        assert page.referrer == ["no-referrer"], where
        assert page.inline_scripts == 0, where
        for link in page.links:
            if not link["href"].startswith("https://example.org/minimal/"):  # the site's own address
                outgoing += 1
                assert {"noopener", "noreferrer"} <= set((link.get("rel") or "").split()), (where, link)
    assert outgoing > 10  # sources, licence, repository, history and edit links were all looked at
