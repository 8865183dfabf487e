"""Citations are numbered in reading order: the first source a reader meets in the text is [1].

The event's source list, timeline.json and timelinejs.json give every
source the same number as the marks in the text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from timeline.citations import reading_order
from timeline.cli import main

CONTENT = Path(__file__).resolve().parent.parent / "content"
_MARK = re.compile(r'<a href="#([a-z0-9-]+)-source-(\d+)"[^>]*>\[(\d+)\]</a>')
_LISTED = re.compile(r'<li id="([a-z0-9-]+)-source-(\d+)"><cite><a href="([^"]+)"')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("citations") / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(out)]) == 0
    return out


def marks(site: Path, event_id: str) -> list[int]:
    """The numbers of the citation marks in the event's text, as a reader meets them."""
    html = (site / "events" / event_id / "index.html").read_text(encoding="utf-8")
    found = []
    for anchor_event, anchor, shown in _MARK.findall(html):
        assert anchor_event == event_id and anchor == shown
        found.append(int(shown))
    return found


def listed(site: Path, event_id: str) -> list[tuple[int, str]]:
    html = (site / "events" / event_id / "index.html").read_text(encoding="utf-8")
    return [(int(number), url) for anchor_event, number, url in _LISTED.findall(html) if anchor_event == event_id]


def first_seen(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(numbers))


def test_the_garante_event_cites_in_reading_order(site):
    assert marks(site, "2022-03-09-garante-fine") == [1, 2, 3, 2, 3, 2, 1, 3, 3]
    assert [url.split("/")[2] for _, url in listed(site, "2022-03-09-garante-fine")] == [
        "www.lapresse.it",
        "www.gpdp.it",
        "www.biometricupdate.com",
    ]


def test_the_aclu_event_starts_at_one(site):
    numbers = marks(site, "2020-05-28-aclu-lawsuit")
    assert numbers[:3] == [1, 1, 2]
    assert first_seen(numbers) == [1, 2]


@pytest.mark.parametrize("path", sorted((CONTENT / "events").glob("*.yaml")), ids=lambda path: path.stem)
def test_every_shipped_event_numbers_its_sources_as_they_are_met(site, path):
    numbers = marks(site, path.stem)
    assert numbers, "every shipped event cites its sources"
    assert first_seen(numbers) == list(range(1, len(first_seen(numbers)) + 1))
    sources = listed(site, path.stem)
    assert [number for number, _ in sources] == list(range(1, len(sources) + 1))


def test_the_data_files_number_sources_as_the_page_does(site):
    events = {
        event["id"]: event for event in json.loads((site / "timeline.json").read_text(encoding="utf-8"))["events"]
    }
    for event_id in ("2022-03-09-garante-fine", "2020-05-28-aclu-lawsuit", "2022-05-23-ico-final-fine"):
        page = listed(site, event_id)
        assert [(source["number"], source["url"]) for source in events[event_id]["sources"]] == page
    slides = json.loads((site / "timelinejs.json").read_text(encoding="utf-8"))["events"]
    garante = next(slide for slide in slides if "Italian regulator fines" in slide["text"]["headline"])
    ordered = re.findall(r'<li><a href="([^"]+)"', garante["text"]["text"])
    assert ordered == [url for _, url in listed(site, "2022-03-09-garante-fine")]


def test_reading_order_puts_uncited_sources_last():
    keys = ["a", "b", "c", "d", ""]
    assert reading_order(["Text [@c].", "Body [@a; @c] [@zz]."], keys) == [2, 0, 1, 3, 4]
    assert reading_order(["", ""], keys) == [0, 1, 2, 3, 4]
