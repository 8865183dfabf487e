"""What other programs read: timeline.json against its published schema, the Atom feed through a
real feed parser, the sitemap, robots.txt, and an oEmbed answer behind every page's discovery link."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from unittest.mock import ANY

import feedparser
import pytest
from conftest import edit
from jsonschema import Draft7Validator

from timeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://example.github.io/timeline/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> Path:
    """The shipped record, built once."""
    out = tmp_path_factory.mktemp("record") / "site"
    assert main(["build", "--content", str(ROOT / "content"), "--out", str(out), "--base-url", BASE]) == 0
    return out


def test_timeline_json_validates_against_the_schema_it_names(record):
    data = json.loads((record / "timeline.json").read_text(encoding="utf-8"))
    assert data["$schema"] == BASE + "schema/timeline-data.schema.json"
    schema = json.loads((record / "schema/timeline-data.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in Draft7Validator(schema).iter_errors(data)]
    assert not errors, "\n".join(errors[:10])

    events = {event["id"]: event for event in data["events"]}
    assert len(events) == len(list((ROOT / "content/events").glob("*.yaml")))
    fine = events["2022-05-23-ico-final-fine"]
    assert fine["fields"] == {
        "authority": "Information Commissioner's Office (ICO)",
        "jurisdiction": "GB",
        "amount": {"value": 7552800, "currency": "GBP", "qualifier": None},
        "status": "appealed",
    }
    declared = {field["name"]: field for field in data["fields"]}
    assert declared["status"]["type"] == "choice" and declared["status"]["filter"] is False
    assert {"value": "partly-upheld", "label": "Partly upheld"} in declared["status"]["choices"]
    assert schema["definitions"]["event"]["properties"]["fields"]["properties"]["status"]["enum"][:2] == [
        "context",
        "filed",
    ]
    assert fine["url"] == BASE + "events/2022-05-23-ico-final-fine/"
    assert fine["supersedes"] == ["2021-11-29-ico-provisional-fine"]
    assert fine["sources"][0]["url"].startswith("https://ico.org.uk/")
    assert '<a href="#2022-05-23-ico-final-fine-source-1"' in fine["summary_html"]
    assert [event["date"] for event in data["events"]] == sorted(event["date"] for event in data["events"])


def test_the_editing_schemas_are_published_beside_the_data(record):
    """As the project keeps them (`timeline schemas`): the event schema composed with the record's fields."""
    for name in ("event.schema.json", "timeline.schema.json"):
        published = (record / "schema" / name).read_text(encoding="utf-8")
        assert published == (ROOT / "schemas" / name).read_text(encoding="utf-8")
    event = json.loads((record / "schema/event.schema.json").read_text(encoding="utf-8"))
    assert event["properties"]["amount"] == {"$ref": "#/definitions/money", "title": "Amount", "description": ANY}


def test_the_feed_reads_in_a_feed_parser(record):
    feed = feedparser.parse((record / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Clearview AI: the regulatory and legal record"
    assert feed.feed.link == BASE
    entries = feed.entries
    assert len(entries) == min(50, len(list((ROOT / "content/events").glob("*.yaml"))))
    dates = [entry.published_parsed for entry in entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    by_link = {entry.link: entry for entry in entries}
    fine = by_link[BASE + "events/2022-10-20-cnil-fine/"]
    assert fine.title.startswith("CNIL fines Clearview AI €20m")
    assert fine.id == BASE + "events/2022-10-20-cnil-fine/"
    assert "€20 million fine" in fine.summary
    assert {tag.term for tag in fine.tags} >= {"cnil", "fine"}
    # Citation marks point into the event's page, not into the feed.
    assert f'href="{BASE}events/2022-10-20-cnil-fine/#2022-10-20-cnil-fine-source-1"' in fine.summary


def test_the_sitemap_lists_every_page_and_only_pages_that_exist(record):
    tree = ElementTree.parse(record / "sitemap.xml")
    locations = [element.text for element in tree.iter(f"{SITEMAP}loc")]
    assert BASE in locations
    assert BASE + "events/2022-05-23-ico-final-fine/" in locations
    for location in locations:
        assert location.startswith(BASE)
        page = record / location.removeprefix(BASE) / "index.html"
        assert page.is_file(), location
    pages = {path.parent.relative_to(record).as_posix() for path in record.rglob("index.html")}
    listed = {location.removeprefix(BASE).rstrip("/") or "." for location in locations}
    assert pages - listed == {path for path in pages if path.startswith("embed")}, "every page but the embeds is listed"


def test_robots_txt_names_the_sitemap(record):
    assert (record / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    )


def test_every_page_links_an_oembed_answer_that_embeds_it(record):
    pages = [
        path for path in record.rglob("index.html") if not path.relative_to(record).as_posix().startswith("embed/")
    ]
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        match = re.search(
            r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)" title="([^"]*)">', html
        )
        assert match, f"{page}: no oEmbed discovery link"
        answer = json.loads((record / match.group(1).removeprefix(BASE)).read_text(encoding="utf-8"))
        assert answer["version"] == "1.0"
        assert answer["type"] == "rich"
        assert answer["width"] > 0
        assert answer["height"] > 0
        assert answer["provider_url"] == BASE
        src = re.search(r'data-timeline-embed="([^"]+)"', answer["html"]).group(1)
        embedded = src.removeprefix(BASE).split("?")[0]
        assert (record / embedded / "index.html").is_file(), f"{page}: embeds {src}, which is not built"
        assert f'<script src="{BASE}static/embed.js" async></script>' in answer["html"]


def test_an_event_embeds_its_card_and_a_topic_its_filtered_timeline(record):
    event = json.loads((record / "oembed/events/2022-10-20-cnil-fine.json").read_text(encoding="utf-8"))
    assert f'data-timeline-embed="{BASE}embed/events/2022-10-20-cnil-fine/"' in event["html"]
    topic = json.loads((record / "oembed/tags/cnil.json").read_text(encoding="utf-8"))
    assert f'data-timeline-embed="{BASE}embed/?tags=cnil"' in topic["html"]
    assert topic["title"] == "CNIL (France) – Clearview AI: the regulatory and legal record"


def test_the_site_shows_the_snippet_to_copy(record):
    html = (record / "events/2022-10-20-cnil-fine/index.html").read_text(encoding="utf-8")
    assert "<summary>Embed this event in your page</summary>" in html
    assert f"&lt;div data-timeline-embed=&#34;{BASE}embed/events/2022-10-20-cnil-fine/&#34;" in html


def test_without_a_base_url_only_what_needs_none_is_written(run, make_project):
    project = make_project()
    edit(project, "content/timeline.yaml", "base_url: https://example.org/minimal/\n", "")
    assert run(["build"], cwd=project).code == 0
    site = project / "site"
    assert (site / "timeline.json").is_file()
    assert (site / "embed/index.html").is_file()
    for missing in ("feed.xml", "sitemap.xml", "oembed"):
        assert not (site / missing).exists(), missing
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert "application/json+oembed" not in (site / "index.html").read_text(encoding="utf-8")
