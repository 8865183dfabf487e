"""Building a site: the pages a reader gets, and what a failed build leaves behind."""

from __future__ import annotations

import errno
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import SITES, tree


def build(run, project: Path, *args: str):
    return run(["build", *args], cwd=project)


def page(project: Path, relative: str) -> str:
    return (project / "site" / relative).read_text(encoding="utf-8")


class _Links(HTMLParser):
    """Collects href/src values and element ids of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_one_event_is_counted_as_one(run, sample_site):
    project = sample_site()
    *_, last = sorted((project / "content" / "events").glob("*.yaml"))  # the other names it: it goes first
    last.unlink()
    result = build(run, project)
    assert result.code == 0, result.err
    assert result.out.startswith("built 1 event into site/ (")
    assert build(run, project).out.startswith(
        "site/ is up to date: nothing has changed since the last build (1 event, "
    )


def test_build_writes_every_page(run, sample_site):
    project = sample_site()
    result = build(run, project)
    assert result.code == 0, result.err
    assert re.fullmatch(r"built 2 events into site/ \(\d+ files, [0-9.]+ s\)\n", result.out)
    files = set(tree(project / "site"))
    assert {
        "index.html",
        "events/2020-07-investigation/index.html",
        "events/2022-05-23-final-fine/index.html",
        "sources/index.html",
        "static/style.css",
        ".timeline-site",
    } <= files


def test_index_is_an_ordered_chronology_grouped_by_year(run, sample_site):
    project = sample_site()
    build(run, project)
    html = page(project, "index.html")
    assert '<html lang="en-GB" dir="ltr">' in html
    # Oldest first, each event an <article> in an <ol>, dated at its precision.
    first = html.index('<time datetime="2020-07">July 2020</time>')
    second = html.index('<time datetime="2022-05-23">23 May 2022</time>')
    assert first < second
    assert re.search(
        r'<h2 id="y2020">2020</h2>\s*<ol class="events">\s*<li class="event-item" data-tags="ico" data-field-authority="ICO" data-field-jurisdiction="GB" data-year="2020">\s*<article class="event" id="2020-07-investigation"',
        html,
    )
    assert '<a href="#y2022">2022 <span class="count">' in html
    assert "£7,552,800" in html


def test_citations_are_numbered_links_to_the_event_sources(run, sample_site):
    project = sample_site()
    build(run, project)
    html = page(project, "events/2022-05-23-final-fine/index.html")
    # [@ico; @news] becomes [1][2], each linking to the numbered source.
    assert (
        '<a href="#2022-05-23-final-fine-source-1">[1]</a><a href="#2022-05-23-final-fine-source-2">[2]</a>'
    ) in html
    assert '<li id="2022-05-23-final-fine-source-1">' in html
    assert 'href="https://web.archive.org/web/2022/https://example.com/ico/fine"' in html
    assert "That is unacceptable." in html
    assert "<table>" in html
    assert "<td>18 May 2022</td>" in html


def test_the_theme_writes_the_citation_marks(run, make_project):
    citation = (
        "{% macro citation(event, links) %}\n"
        '<sup>{% for source, href in links %}<a href="{{ href }}">{{ source.number }}</a>'
        "{% if not loop.last %}, {% endif %}{% endfor %}</sup>\n{% endmacro %}\n"
    )
    project = make_project({"templates/_citation.html": citation})
    assert build(run, project).code == 0
    for html in (page(project, "events/2022-05-23-final-fine/index.html"), page(project, "index.html")):
        assert (
            "The ICO fined the company<sup>"
            '<a href="#2022-05-23-final-fine-source-1">1</a>, '
            '<a href="#2022-05-23-final-fine-source-2">2</a></sup>. Its notice'
        ) in html
        assert "[1]" not in html


def test_a_citation_template_cannot_put_script_on_a_page(run, make_project):
    hostile = (
        "{% macro citation(event, links) %}<script>alert(1)</script>"
        '<a href="javascript:alert(2)" onclick="alert(3)">[{{ links[0][0].number }}]</a>{% endmacro %}'
    )
    project = make_project({"templates/_citation.html": hostile})
    assert build(run, project).code == 0
    html = page(project, "events/2022-05-23-final-fine/index.html")
    assert "alert(" not in html
    assert 'The ICO fined the company<a rel="noopener noreferrer">[1]</a>' in html


def test_a_citation_in_code_stays_as_written(run, make_project):
    project = make_project(
        {
            "content/events/2020-07-investigation.yaml": (
                "date: '2020-07'\ntitle: An investigation\n"
                "summary: |\n  Cite a source as `[@reuters]`, like this [@reuters].\n\n"
                "  ```\n  [@reuters]\n  ```\n"
                "sources:\n  - {id: reuters, title: T, publisher: P, url: 'https://example.com/r'}\n"
            )
        }
    )
    assert build(run, project).code == 0
    html = page(project, "events/2020-07-investigation/index.html")
    assert (
        "Cite a source as <code>[@reuters]</code>, like this"
        '<a href="#2020-07-investigation-source-1">[1]</a>.</p>\n'
        "<pre><code>[@reuters]\n</code></pre>"
    ) in html


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (None, "the theme has no _citation.html, whose citation(event, links) macro writes each [@key] citation"),
        ("<a>[1]</a>\n", "the theme's _citation.html has no citation(event, links) macro"),
    ],
    ids=["no-template", "no-macro"],
)
def test_a_theme_that_cannot_write_citations_is_an_error_that_says_so(run, make_project, citation, message):
    from timeline.themes import builtin_themes_dir

    settings = (SITES / "minimal/content/timeline.yaml").read_text(encoding="utf-8")
    project = make_project({"content/timeline.yaml": settings + "theme: bare\n"})
    shutil.copytree(builtin_themes_dir() / "default", project / "themes/bare")  # a copy with no parent
    template = project / "themes/bare/templates/_citation.html"
    if citation is None:
        template.unlink()
    else:
        template.write_text(citation, encoding="utf-8")
    result = build(run, project)
    assert result.code == 1
    assert re.search(r"themes/bare/templates/_macros\.html:\d+: template error: " + re.escape(message), result.err), (
        result.err
    )
    assert "Traceback" not in result.err


def test_event_page_shows_case_history_and_edit_link(run, sample_site):
    project = sample_site()
    build(run, project)
    later = page(project, "events/2022-05-23-final-fine/index.html")
    earlier = page(project, "events/2020-07-investigation/index.html")
    # The whole case, oldest first, with the time between steps and this event marked.
    history = re.search(r'<ol class="case">(.*?)</ol>', later, re.S).group(1)
    steps = re.findall(r"<li(?: class=\"current\" aria-current=\"step\")?>(.*?)</li>", history, re.S)
    assert [re.sub(r"<[^>]+>|\s+", " ", step).split() for step in steps] == [
        ["July", "2020", ":", "Regulators", "open", "an", "investigation", "Concluded"],
        [
            "23",
            "May",
            "2022",
            "(1",
            "year,",
            "10",
            "months",
            "later)",
            ":",
            "ICO",
            "fines",
            "the",
            "company",
            "£7,552,800",
            "Appealed",
        ],
    ]
    assert '<a href="../2020-07-investigation/">Regulators open an investigation</a>' in later
    assert '<a href="../2022-05-23-final-fine/">ICO fines the company £7,552,800</a>' in earlier
    assert 'href="https://github.com/example/minimal/edit/main/content/events/2022-05-23-final-fine.yaml"' in later
    assert 'rel="prev"' in later
    assert 'rel="next"' in earlier


def test_bibliography_lists_each_url_once_with_links_back(run, sample_site):
    project = sample_site()
    build(run, project)
    html = page(project, "sources/index.html")
    assert html.count('href="https://example.com/reuters/probe"') == 1
    assert 'href="../events/2020-07-investigation/#2020-07-investigation-source-1"' in html
    assert 'href="../events/2022-05-23-final-fine/#2022-05-23-final-fine-source-2"' in html
    assert "2 sources, each listed once" in html


def test_every_relative_link_resolves_inside_the_site(run, sample_site):
    """Links are relative, so the site works from a sub-path such as /project/."""
    project = sample_site()
    build(run, project)
    site = project / "site"
    # 404.html is served at any depth, so it alone links from the site's root path.
    pages = {path: _parse(path) for path in site.rglob("*.html") if path.name != "404.html"}
    checked = 0
    for path, parsed in pages.items():
        for link in parsed.links:
            if urlsplit(link).scheme or link.startswith("//"):
                continue
            assert not link.startswith("/"), f"{path}: root-relative link {link} breaks sub-path hosting"
            target, fragment = urldefrag(link)
            resolved = (path.parent / target).resolve() if target else path
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), f"{path.relative_to(site)}: {link} points nowhere"
            if fragment and resolved.suffix == ".html":
                assert fragment in pages[resolved].ids, f"{path.relative_to(site)}: #{fragment} missing"
            checked += 1
    assert checked > 20


def test_two_builds_are_byte_identical(run, sample_site, tmp_path):
    project = sample_site()
    assert build(run, project, "--out", str(tmp_path / "one")).code == 0
    assert build(run, project, "--out", str(tmp_path / "two")).code == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_pages_rendered_in_two_processes_are_the_same_bytes(run, sample_site, tmp_path, monkeypatch):
    """A small site rendered by two forked processes, as a large one is, against one process."""
    import timeline.writer

    project = sample_site()
    for processes in (2, 1):
        monkeypatch.setattr(timeline.writer, "_workers", lambda requested, pages, count=processes: count)
        assert build(run, project, "--out", str(tmp_path / str(processes))).code == 0
    assert tree(tmp_path / "2") == tree(tmp_path / "1")


def test_rebuild_replaces_the_site_and_leaves_no_temporary_folders(run, sample_site):
    project = sample_site()
    build(run, project)
    (project / "site" / "stale.html").write_text("old")
    assert build(run, project).code == 0
    assert not (project / "site" / "stale.html").exists()
    assert sorted(path.name for path in project.iterdir()) == ["content", "site"]


def test_invalid_content_leaves_the_previous_site_untouched(run, sample_site):
    project = sample_site()
    build(run, project)
    before = tree(project / "site")
    event = project / "content/events/2020-07-investigation.yaml"
    event.write_text(event.read_text().replace("date: '2020-07'", "date: '2020-13'"))
    result = build(run, project)
    assert result.code == 1
    assert result.err.startswith(
        "content/events/2020-07-investigation.yaml:1:7: error: date: '2020-13' has month 13; months run from 01 to 12\n"
    )
    assert tree(project / "site") == before
    assert sorted(path.name for path in project.iterdir()) == ["content", "site"]


@pytest.mark.parametrize(
    ("template", "expression", "message", "processes"),
    [
        ("sources.html", "no_such_variable", "'no_such_variable' is undefined", 1),
        ("tag.html", "1 / 0", "division by zero", 2),  # raised in a forked worker, told by the build
    ],
)
def test_template_error_names_the_template_line_and_keeps_the_old_site(
    run, make_project, monkeypatch, template, expression, message, processes
):
    import timeline.writer

    monkeypatch.setattr(timeline.writer, "_workers", lambda requested, pages, count=processes: count)
    project = make_project()
    build(run, project)
    before = tree(project / "site")
    (project / "templates").mkdir()
    (project / f"templates/{template}").write_text(
        f'{{% extends "!default/{template}" %}}\n{{% block main %}}\n{{{{ {expression} }}}}\n{{% endblock %}}\n'
    )
    result = build(run, project)
    assert result.code == 1
    assert re.search(rf"templates/{re.escape(template)}:3: template error: {re.escape(message)}", result.err), (
        result.err
    )
    assert "Traceback" not in result.err
    assert tree(project / "site") == before
    assert sorted(path.name for path in project.iterdir()) == ["content", "site", "templates"]


def test_a_site_template_overrides_one_block_of_the_theme(run, make_project):
    project = make_project(
        {
            "templates/sources.html": '{% extends "!default/sources.html" %}{% block main %}<p>Our own sources page</p>{% endblock %}'
        }
    )
    assert build(run, project).code == 0
    assert "<p>Our own sources page</p>" in page(project, "sources/index.html")
    assert re.search(
        r'<link rel="stylesheet" href="\.\./static/style\.[0-9a-f]{10}\.css">', page(project, "sources/index.html")
    )


def test_disk_full_midway_keeps_the_old_site(run, sample_site, monkeypatch):
    project = sample_site()
    build(run, project)
    before = tree(project / "site")
    written = []
    real_write = Path.write_bytes

    def failing_write(self, data):
        written.append(self)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    result = build(run, project, "--force")
    assert result.code == 1
    assert "error: cannot write the site: " in result.err
    assert "No space left on device" in result.err
    assert "Traceback" not in result.err
    assert tree(project / "site") == before
    assert sorted(path.name for path in project.iterdir()) == ["content", "site"]


def test_refuses_to_replace_a_folder_it_did_not_build(run, sample_site, tmp_path):
    project = sample_site()
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work")
    result = build(run, project, "--out", str(home))
    assert result.code == 1
    assert "refusing to replace a folder that timeline did not build" in result.err
    assert (home / "thesis.docx").read_text() == "years of work"


def test_builds_into_an_empty_folder(run, sample_site, tmp_path):
    project = sample_site()
    (tmp_path / "empty").mkdir()
    assert build(run, project, "--out", str(tmp_path / "empty")).code == 0
    assert (tmp_path / "empty/index.html").is_file()


def test_refuses_an_output_folder_that_holds_the_content(run, sample_site):
    project = sample_site()
    result = build(run, project, "--out", ".")
    assert result.code == 1
    assert "the output folder would contain the content" in result.err
    assert (project / "content/timeline.yaml").is_file()


def test_base_url_sets_canonical_links_but_pages_link_relatively(run, sample_site):
    project = sample_site()
    assert build(run, project, "--base-url", "https://news.example/clearview").code == 0
    html = page(project, "events/2020-07-investigation/index.html")
    assert '<link rel="canonical" href="https://news.example/clearview/events/2020-07-investigation/">' in html
    assert re.search(r'href="\.\./\.\./static/style\.[0-9a-f]{10}\.css"', html)


def test_unknown_theme_lists_the_available_ones(run, sample_site):
    project = sample_site()
    result = build(run, project, "--theme", "fancy")
    assert result.code == 1
    assert result.err.startswith("error: theme 'fancy' does not exist; available themes: default")


@pytest.mark.parametrize(
    ("field", "payload"),
    [
        ("summary", "Hello <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>"),
        ("body", "<iframe src=https://evil.example></iframe> [x](vbscript:msgbox) <a href='javascript:alert(4)'>y</a>"),
        ("title", "<script>alert(5)</script>"),
    ],
    ids=["summary", "body", "title"],
)
def test_script_in_content_never_reaches_a_page(run, make_project, field, payload):
    event = f"""date: '2021'
title: {'"' + payload + '"' if field == "title" else "Plain title"}
summary: {'"' + payload + '"' if field == "summary" else "Plain summary [@s]."}
body: {'"' + payload + '"' if field == "body" else "Plain body."}
sources:
  - {{id: s, title: T, publisher: P, url: 'https://example.com/'}}
"""
    project = make_project({"content/events/2021-hostile.yaml": event})
    result = build(run, project)
    assert result.code == 0, result.err
    for path in (project / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8").lower()
        # The only scripts: the theme's own file and JSON-LD data, whose text
        # cannot close its element.
        for tag, body in re.findall(r"(<script[^>]*>)(.*?)</script>", html, re.S):
            assert tag == '<script type="application/ld+json">' or re.fullmatch(
                r'<script src="(\./|(\.\./)+)static/(timeline|search|embed-frame)\.[0-9a-f]{10}\.js" defer>', tag
            ), (path, tag)
            assert "<" not in body, path
        assert html.count("<script") == html.count("</script>"), path
        assert "javascript:" not in html and "vbscript:" not in html, path
        assert "onerror" not in html, path
        assert "<iframe" not in html, path


def test_unquoted_dates_and_years_are_read_as_written(run, make_project):
    event = """date: 2021
end_date: 2021-03
title: Unquoted dates
summary: Both dates are unquoted [@s].
jurisdiction: NO
sources:
  - {id: s, title: T, publisher: P, url: 'https://example.com/', published: 2021}
"""
    project = make_project({"content/events/2021-unquoted.yaml": event})
    result = build(run, project)
    assert result.code == 0, result.err
    html = page(project, "events/2021-unquoted/index.html")
    assert '<time datetime="2021">2021</time> – <time datetime="2021-03">March 2021</time>' in html
    assert "<dd>Norway</dd>" in html


def test_a_second_build_into_the_same_site_is_refused_while_one_is_writing(run, sample_site):
    from timeline.writer import _only_build_into

    project = sample_site()
    assert build(run, project).code == 0
    before = tree(project / "site")
    with _only_build_into((project / "site").absolute()):
        result = build(run, project, "--force")
    assert result.code == 1
    assert (
        result.err
        == f"error: {(project / 'site').absolute()}: another build is writing this site; wait for it to finish and try again\n"
    )
    assert tree(project / "site") == before
    assert build(run, project, "--force").code == 0  # the lock went with the first build


def test_a_build_killed_outright_leaves_nothing_the_next_build_keeps(run, sample_site):
    project = sample_site()
    for leftover in (".site.tmp-k1ll3d", ".site.old-k1ll3d"):
        (project / leftover / "events").mkdir(parents=True)
        (project / leftover / "events" / "index.html").write_text("half a site")
    assert build(run, project).code == 0
    assert sorted(path.name for path in project.iterdir()) == ["content", "site"]


def test_sigterm_midway_stops_the_build_and_keeps_the_old_site(make_project, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    # The event page of this project renders slowly, so the build is caught while writing.
    slow = '{% extends "!default/event.html" %}{% block main %}{% for i in range(30000000) %}{% endfor %}{% endblock %}'
    project = make_project()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "timeline", "build"], cwd=project, env=env, check=True, capture_output=True)
    before = tree(project / "site")
    (project / "templates").mkdir()
    (project / "templates/event.html").write_text(slow)
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "build"], cwd=project, env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 30
    while not list(project.glob(".site.tmp-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(project.glob(".site.tmp-*")), "the build never started writing"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (130, "interrupted\n")
    assert sorted(path.name for path in project.iterdir()) == ["content", "site", "templates"]
    assert tree(project / "site") == before


def test_pages_link_fingerprinted_assets_and_the_plain_names_stay(run, sample_site):
    """A changed stylesheet gets a new address, so browsers may cache every copy for ever; embed.js keeps its name for other sites."""
    project = sample_site()
    assert build(run, project).code == 0
    html = page(project, "index.html")
    linked = re.search(r'<link rel="stylesheet" href="\./(static/style\.([0-9a-f]{10})\.css)">', html)
    assert linked, html
    site = project / "site"
    assert (site / linked[1]).read_bytes() == (site / "static/style.css").read_bytes()
    assert (site / "static/embed.js").is_file()
    import hashlib

    assert hashlib.sha256((site / "static/style.css").read_bytes()).hexdigest().startswith(linked[2])


def test_an_unknown_asset_names_the_template_and_the_files_there_are(run, make_project):
    project = make_project(
        {
            "templates/tags.html": '{% extends "!default/tags.html" %}\n{% block head %}<link href="{{ asset("nope.css") }}">{% endblock %}\n'
        }
    )
    result = build(run, project)
    assert result.code == 1
    assert re.search(
        r"templates/tags\.html:2: template error: asset\(\): the theme has no static file 'nope\.css' \(it has: embed-frame\.js, embed\.js, favicon\.svg, search\.js, style\.css, timeline\.js\)",
        result.err,
    ), result.err


def test_overriding_one_template_changes_only_the_pages_it_renders(run, make_project, tmp_path):
    plain = make_project()
    assert build(run, plain, "--out", str(tmp_path / "plain")).code == 0
    (plain / "templates").mkdir()
    (plain / "templates/tags.html").write_text(
        '{% extends "!default/tags.html" %}{% block main %}<h1>Our topics</h1>{% endblock %}', encoding="utf-8"
    )
    assert build(run, plain, "--out", str(tmp_path / "overridden")).code == 0
    before, after = tree(tmp_path / "plain"), tree(tmp_path / "overridden")
    assert before.keys() == after.keys()
    assert [path for path in before if before[path] != after[path]] == ["tags/index.html"]
    assert "<h1>Our topics</h1>" in after["tags/index.html"].decode()


@pytest.mark.parametrize("theme", ["default", "report"])
def test_each_shipped_theme_builds_the_shipped_content(run, theme, tmp_path):
    content = Path(__file__).resolve().parent.parent / "content"
    result = run(["build", "--content", str(content), "--out", str(tmp_path / theme), "--theme", theme], cwd=tmp_path)
    assert result.code == 0, result.err
    index = (tmp_path / theme / "index.html").read_text(encoding="utf-8")
    assert index.count('<li class="event-item"') == 30
    if theme == "report":
        assert '<p class="report-span">30 events, from 18 January 2020 to ' in index
        assert re.search(r'<link rel="stylesheet" href="\./static/report\.[0-9a-f]{10}\.css">', index)


def test_a_loop_of_extends_and_an_unknown_parent_are_errors_naming_the_themes(run, make_project):
    project = make_project({
        "themes/a/theme.yaml": "name: a\nextends: b\n", "themes/a/templates/.keep": "",
        "themes/b/theme.yaml": "name: b\nextends: a\n", "themes/b/templates/.keep": "",
        "themes/c/theme.yaml": "name: c\nextends: nowhere\n", "themes/c/templates/.keep": "",
    })  # fmt: skip
    result = build(run, project, "--theme", "a")
    assert (result.code, result.err) == (1, "error: theme 'a': the extends chain loops: a → b → a\n")
    result = build(run, project, "--theme", "c")
    assert (result.code, result.err) == (
        1,
        "error: theme 'nowhere' (extended by 'c') does not exist; available themes: a, b, c, default, report\n",
    )


def test_theme_in_timeline_yaml_chooses_the_theme(run, sample_site):
    project = sample_site()
    timeline = project / "content/timeline.yaml"
    timeline.write_text(timeline.read_text(encoding="utf-8") + "theme: report\n", encoding="utf-8")
    assert build(run, project).code == 0
    assert 'class="report-cover"' in page(project, "index.html")


def test_a_build_with_nothing_changed_leaves_the_site_as_it_is(run, sample_site):
    import os

    project = sample_site()
    first = build(run, project)
    assert first.code == 0
    files = re.search(r"\((\d+) files", first.out)[1]
    stamps = {path: path.stat().st_mtime_ns for path in (project / "site").rglob("*")}
    again = build(run, project)
    assert (again.code, again.out) == (
        0,
        f"site/ is up to date: nothing has changed since the last build (2 events, {files} files)\n",
    )
    assert {path: path.stat().st_mtime_ns for path in (project / "site").rglob("*")} == stamps

    event = project / "content/events/2020-07-investigation.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("open an investigation", "open an inquiry"), encoding="utf-8"
    )
    info = event.stat()
    os.utime(event, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    edited = build(run, project)
    assert edited.out.startswith("built 2 events")
    assert "open an inquiry" in page(project, "events/2020-07-investigation/index.html")
    assert build(run, project, "--force").out.startswith("built 2 events")


def test_a_check_with_nothing_changed_says_the_same(run, make_project):
    import os

    project = make_project()
    timeline = project / "content/timeline.yaml"
    timeline.write_text(
        timeline.read_text(encoding="utf-8").replace("no-archive: off", "no-archive: warning"), encoding="utf-8"
    )
    first = run(["check"], cwd=project)
    assert first.code == 0
    assert "[no-archive]" in first.err
    assert run(["check"], cwd=project) == first
    assert run(["check", "--strict"], cwd=project).code == 1  # the same warnings, judged strictly

    event = project / "content/events/2020-07-investigation.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("date: '2020-07'", "date: '2020-13'"), encoding="utf-8")
    info = event.stat()
    os.utime(event, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert run(["check"], cwd=project).code == 1
