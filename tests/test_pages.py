"""What a reader finds on each kind of page: topics, case chains, pages of a
long timeline, the 404 page, and the metadata other sites read."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.numbers import format_compact_currency
from conftest import tree


def build(run, project: Path, *args: str) -> Path:
    result = run(["build", *args], cwd=project)
    assert result.code == 0, result.err
    return project / "site"


def text(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def test_tags_link_to_topic_pages_that_list_their_events(run, sample_site):
    site = build(run, sample_site())
    index = text(site, "index.html")
    assert '<li><a href="./tags/fine/">Fine</a></li>' in index
    fine = text(site, "tags/fine/index.html")
    assert "<h1>Fine</h1>" in fine
    assert "1 event, oldest first." in fine
    assert 'id="2022-05-23-final-fine"' in fine
    assert 'id="2020-07-investigation"' not in fine
    topics = text(site, "tags/index.html")
    assert '<a href="../tags/ico/">ICO (UK)</a> <span class="count">(2)</span>' in topics


def test_a_tag_no_event_uses_gets_no_page(run, make_project):
    project = make_project()
    timeline = project / "content/timeline.yaml"
    timeline.write_text(timeline.read_text() + "  - key: unused\n    label: Unused\n")
    site = build(run, project)
    assert not (site / "tags/unused").exists()
    assert "Unused" not in text(site, "tags/index.html")


def test_each_event_shows_its_place_in_the_case_with_the_time_between(run, sample_site):
    site = build(run, sample_site())
    index = text(site, "index.html")
    assert (
        '<li class="chain-later">Followed by <a href="./events/2022-05-23-final-fine/">'
        "ICO fines the company £7,552,800</a>, 1 year, 10 months later</li>"
    ) in index
    assert (
        '<li class="chain-earlier">Follows <a href="./events/2020-07-investigation/">'
        "Regulators open an investigation</a>, 1 year, 10 months earlier</li>"
    ) in index


def test_amounts_have_an_exact_and_a_compact_form(run, sample_site):
    site = build(run, sample_site())
    html = text(site, "index.html")
    # The compact form is whatever Babel's CLDR data writes for the locale
    # (£7.55M, or £7.55m in a later release): it is not hard-coded here.
    compact = format_compact_currency(7552800, "GBP", locale="en_GB", fraction_digits=2)
    assert re.fullmatch(r"£7\.55\s?[A-Za-z]+", compact), compact
    exact = '<data class="amount-full" value="7552800 GBP">£7,552,800</data>'
    assert f'{exact}<span class="amount-compact">{compact}</span>' in html


def _events(count: int) -> dict[str, str]:
    files = {}
    for number in range(count):
        year = 2000 + number // 4
        files[f"content/events/{year}-{number:03d}-event.yaml"] = (
            f"date: '{year}'\ntitle: Event {number}\nsummary: Text [@s].\ntags: [fine]\n"
            f"sources:\n  - {{id: s, title: T{number}, publisher: P, url: 'https://example.com/{number}'}}\n"
        )
    return files


def test_a_long_timeline_splits_into_pages_with_navigation(run, make_project):
    project = make_project(_events(25))
    timeline = project / "content/timeline.yaml"
    timeline.write_text(timeline.read_text() + "events_per_page: 10\n")
    site = build(run, project)
    # 27 events: pages of 10, 10 and 7, on the timeline and on the "fine" topic (26 events).
    assert (site / "page/2/index.html").is_file()
    assert (site / "page/3/index.html").is_file()
    assert not (site / "page/4").exists()
    first, second = text(site, "index.html"), text(site, "page/2/index.html")
    assert first.count('<li class="event-item"') == 10
    assert second.count('<li class="event-item"') == 10
    assert text(site, "page/3/index.html").count('<li class="event-item"') == 7
    assert '<a href="../../page/3/" rel="next">Next</a>' in second
    assert '<a href="../../" rel="prev">Previous</a>' in second
    assert '<a href="../../page/2/" aria-current="page">2</a>' in second
    # The year index on every page reaches years on other pages.
    assert '<a href="./page/3/#y2006">2006 <span class="count">' in first
    assert (site / "tags/fine/page/3/index.html").is_file()
    assert "26 events, oldest first; page 2 of 3." in text(site, "tags/fine/page/2/index.html")


def test_404_page_links_from_the_site_root_path(run, sample_site):
    site = build(run, sample_site())
    html = text(site, "404.html")
    assert "<h1>Page not found</h1>" in html
    assert re.search(r'href="/minimal/static/style\.[0-9a-f]{10}\.css"', html)
    assert 'href="/minimal/sources/"' in html


def test_every_page_forbids_inline_script_and_third_party_requests(run, sample_site):
    site = build(run, sample_site())
    for name, data in tree(site).items():
        if name.endswith(".html"):
            html = data.decode()
            csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
            assert "script-src 'self'" in csp and "default-src 'self'" in csp, name
            # Only WebAssembly (Pagefind's search) may be allowed: never inline script or eval.
            assert not re.search(r"'unsafe-(inline|eval|hashes)'", csp), name
            assert '<meta name="referrer" content="no-referrer">' in html, name
            # Nothing is loaded from elsewhere: every script, image and
            # stylesheet is on the site (links to sources are not loads).
            loads = re.findall(r'<(?:script|img|iframe|source|video|audio)[^>]* src="([^"]+)"', html)
            loads += re.findall(r'<link rel="(?:stylesheet|icon|preload|modulepreload|manifest)" href="([^"]+)"', html)
            assert loads, name
            for url in loads:
                assert not url.startswith(("http:", "https:", "//")) or (name == "404.html" and url.startswith("/")), (
                    name,
                    url,
                )


def test_event_pages_describe_themselves_to_other_sites(run, sample_site):
    site = build(run, sample_site())
    html = text(site, "events/2022-05-23-final-fine/index.html")
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="ICO fines the company £7,552,800 – A minimal timeline">' in html
    assert '<meta property="og:url" content="https://example.org/minimal/events/2022-05-23-final-fine/">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Article"
    assert data["headline"] == "ICO fines the company £7,552,800"
    assert data["temporalCoverage"] == "2022-05-23"
    assert [item["url"] for item in data["citation"]] == [
        "https://example.com/ico/fine",
        "https://example.com/reuters/probe",
    ]
    assert data["isPartOf"]["name"] == "A minimal timeline"


def test_filters_are_offered_only_with_javascript(run, sample_site):
    site = build(run, sample_site())
    html = text(site, "index.html")
    assert '<form class="filters" id="filters" hidden>' in html
    assert re.search(r'<script src="\./static/timeline\.[0-9a-f]{10}\.js" defer></script>', html)
    assert '<option value="GB">United Kingdom</option>' in html
    assert (
        '<option value="Information Commissioner&#39;s Office">Information Commissioner&#39;s Office</option>' in html
    )
    assert '<select id="filter-jurisdiction" name="jurisdiction" data-field>' in html
    assert re.search(
        r'<select id="filter-from" name="from">\s*<option value="">Any year</option>\s*<option value="2020">2020</option><option value="2022">2022</option>',
        html,
    )
