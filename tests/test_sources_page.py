"""The sources page: a heading per publisher in alphabetical order, the sources under it, each
linking back to the events that cite it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from timeline.bibliography import build_bibliography, collation_key
from timeline.cli import main
from timeline.engine import check

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("sources") / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(out)]) == 0
    return (out / "sources/index.html").read_text(encoding="utf-8")


def sections(page: str) -> list[tuple[str, str]]:
    """(heading, its section's HTML) for each publisher, in page order."""
    found = re.findall(r'<section class="publisher"[^>]*>\s*<h2 id="p-[0-9a-f]+">(.*?)</h2>(.*?)</section>', page, re.S)
    return [(unescape(name), body) for name, body in found]


def test_a_heading_per_publisher_in_alphabetical_order(page):
    timeline = check(CONTENT).timeline
    publishers = {source.publisher for event in timeline.events for source in event.sources}
    names = [name for name, _ in sections(page)]
    assert sorted(names, key=collation_key) == names
    assert set(names) == publishers and len(names) == len(publishers)
    assert names.index("Garante per la protezione dei dati personali") < names.index("LaPresse")


def test_each_source_sits_under_its_publisher_with_its_back_links(page):
    timeline = check(CONTENT).timeline
    under = dict(sections(page))
    for entry in build_bibliography(timeline):
        body = under[entry.source.publisher]
        assert f'<li id="{entry.anchor}">' in body
        for citation in entry.citations:
            anchor = f"{citation.event.id}-source-{citation.source.number}"
            assert f'href="../events/{citation.event.id}/#{anchor}"' in body


def test_the_publisher_is_not_repeated_on_each_line(page):
    body = dict(sections(page))["LaPresse"]
    assert body.count("LaPresse") == 0


def test_alphabetical_order_sets_accents_and_case_aside():
    names = ["Zeit", "Économie", "ecology", "Ezine", "Eagle"]
    assert sorted(names, key=collation_key) == ["Eagle", "ecology", "Économie", "Ezine", "Zeit"]
