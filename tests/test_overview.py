"""Eras and groups: how timeline.yaml declares them, the errors a contributor sees, and the overview readers see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import edit

from timeline.dates import PartialDate
from timeline.model import Era, Event, Group, Timeline
from timeline.overview import build_overview

GROUPS = """groups:
  - key: uk
    label: United Kingdom
  - key: eu
    label: European Union
eras:
  - label: The investigation
    start: 2020-07
    end: 2021
tags:"""

EVENT = """date: '{date}'
title: {title}
summary: Something happened.
group: {group}
checks: {{}}
"""


def _project(make_project, groups: str = GROUPS) -> Path:
    project = make_project(
        {
            "content/events/2021-03-01-eu-order.yaml": "date: '2021-03-01'\ntitle: An EU order\n"
            "summary: An order [@s].\ngroup: eu\nsources:\n  - id: s\n    title: Order\n"
            "    publisher: EDPB\n    url: https://example.com/order\n",
        }
    )
    edit(project, "content/timeline.yaml", "tags:", groups)
    edit(project, "content/events/2020-07-investigation.yaml", "tags: [ico]", "tags: [ico]\ngroup: uk")
    return project


def _index(run, project: Path) -> str:
    result = run(["build"], cwd=project)
    assert result.code == 0, result.err
    return (project / "site" / "index.html").read_text(encoding="utf-8")


def _x(text: str) -> float:
    return float(text.rstrip("%"))


def test_marks_are_placed_by_date_with_a_row_per_group_and_an_era_band(make_project, run) -> None:
    html = _index(run, _project(make_project))
    svg = html[html.index("<svg") : html.index("</svg>")]
    marks = re.findall(r'<a class="mark" href="#([^"]+)".*?<circle data-x="[^"]+" cx="([^"]+)" cy="([^"]+)"', svg, re.S)
    by_id = {id: (_x(cx), float(cy)) for id, cx, cy in marks}
    assert list(by_id) == ["2020-07-investigation", "2021-03-01-eu-order", "2022-05-23-final-fine"]
    xs = [x for x, _ in by_id.values()]
    assert xs == sorted(xs) and len(set(xs)) == 3, "a later date has a larger x"
    assert re.findall(r'<text class="row-label"[^>]*>([^<]+)</text>', svg) == [
        "United Kingdom",
        "European Union",
        "Other",
    ]
    assert by_id["2020-07-investigation"][1] < by_id["2021-03-01-eu-order"][1], "the UK row is above the EU row"
    band = re.search(r'<rect class="era-band" data-x="[^"]+" data-w="[^"]+" x="([^"]+)" width="([^"]+)"', svg)
    start, width = _x(band.group(1)), _x(band.group(2))
    assert start == pytest.approx(by_id["2020-07-investigation"][0], abs=0.01), "the era starts with July 2020"
    assert start < by_id["2021-03-01-eu-order"][0] < start + width < by_id["2022-05-23-final-fine"][0]
    assert "The investigation" in svg
    years = re.findall(r'<text class="tick-label[^"]*"[^>]*>(\d+)</text>', svg)
    assert years == ["2021", "2022"]
    # The list names the era where it begins, and each event its group.
    assert html.index("The investigation</strong>") < html.index('id="2020-07-investigation"')
    assert re.search(r'class="group-label">.*?United Kingdom</span>', html)
    assert 'data-group="eu"' in html and '<option value="eu">European Union</option>' in html


def test_past_the_threshold_the_overview_is_a_density_strip(make_project, run, monkeypatch) -> None:
    monkeypatch.setattr("timeline.overview.DENSITY_THRESHOLD", 2)
    html = _index(run, _project(make_project))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="mark"' not in svg
    bins = re.findall(r'<a href="#([^"]+)"><title>([^<]+)</title><rect x=', svg)
    assert ("2020-07-investigation", "1 event in 2020") in bins
    assert len(bins) == 3


def _timeline(years: list[str]) -> Timeline:
    events = tuple(
        Event(id=f"e{n}", path=Path(f"e{n}.yaml"), date=PartialDate.parse(year), title="t", summary="s", sources=())
        for n, year in enumerate(years)
    )
    return Timeline("T", "d", "en", (), events)


@pytest.mark.parametrize(
    ("years", "ticks"),
    [
        (["1815", "1985"], [1820, 1840, 1860, 1880, 1900, 1920, 1940, 1960, 1980]),
        (["2020-01", "2025-06"], [2020, 2021, 2022, 2023, 2024, 2025]),
    ],
)
def test_years_are_labelled_at_round_steps(years: list[str], ticks: list[int]) -> None:
    overview = build_overview(_timeline(years), lambda event: "")
    assert [tick.year for tick in overview.ticks] == ticks
    assert 2 <= sum(tick.major for tick in overview.ticks) <= 5


def test_each_mark_links_to_the_page_that_lists_it() -> None:
    overview = build_overview(_timeline(["2020", "2021"]), lambda event: "page/2/" if event.id == "e1" else "")
    assert [(mark.page, mark.event.id) for mark in overview.marks] == [("", "e0"), ("page/2/", "e1")]


def test_eras_and_groups_fill_the_model(make_project) -> None:
    from timeline.engine import check

    timeline = check(_project(make_project) / "content").timeline
    assert timeline.groups == (Group("uk", "United Kingdom"), Group("eu", "European Union"))
    assert timeline.eras == (Era("The investigation", PartialDate.parse("2020-07"), PartialDate.parse("2021")),)
    assert timeline.by_id["2020-07-investigation"].group == Group("uk", "United Kingdom")
    assert timeline.by_id["2022-05-23-final-fine"].group is None


@pytest.mark.parametrize(
    ("groups", "event_group", "expected"),
    [
        (
            GROUPS.replace("end: 2021", "end: 2020-03"),
            "uk",
            "content/timeline.yaml:61:10: error: eras[0].end: the era 'The investigation' ends (2020-03) before "
            "it starts (2020-07); swap them",
        ),
        (
            GROUPS.replace("start: 2020-07", "start: July 2020"),
            "uk",
            "content/timeline.yaml:60:12: error: eras[0].start: 'July 2020' is not a date like 2022-05-23, "
            "2022-05 or 2022 (did you mean 2020-07?)",
        ),
        (
            GROUPS.replace("key: eu", "key: uk"),
            "uk",
            "content/timeline.yaml:56:10: error: groups[1].key: the group 'uk' is declared twice (first on line 54)",
        ),
        (
            GROUPS,
            "ukk",
            "content/events/2020-07-investigation.yaml:5:8: error: group: 'ukk' is not a group of timeline.yaml "
            "(did you mean 'uk'?); the groups are uk, eu",
        ),
        (
            "tags:",
            "uk",
            "content/events/2020-07-investigation.yaml:5:8: error: group: 'uk' is not a group of timeline.yaml; "
            "timeline.yaml declares no groups: add one under `groups` (key and label) or remove `group`",
        ),
    ],
    ids=["era-ends-before-it-starts", "era-date-form", "group-twice", "unknown-group", "no-groups"],
)
def test_eras_and_groups_are_checked(make_project, run, groups: str, event_group: str, expected: str) -> None:
    project = make_project()
    edit(project, "content/timeline.yaml", "tags:", groups)
    edit(project, "content/events/2020-07-investigation.yaml", "tags: [ico]", f"tags: [ico]\ngroup: {event_group}")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert expected in result.err, result.err
