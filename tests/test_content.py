"""The shipped Clearview AI content: valid, cited, and right on the key facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.pipeline import check

CONTENT = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="module")
def timeline():
    return check(CONTENT).timeline


def test_shipped_content_is_valid(run):
    result = run(["check"], cwd=CONTENT.parent)
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    "event_id, date, amount, currency",
    [
        ("2020-07-09-ico-oaic-joint-investigation", "2020-07-09", None, None),
        ("2021-11-29-ico-provisional-fine", "2021-11-29", 17_000_000, "GBP"),
        ("2022-05-23-ico-final-fine", "2022-05-23", 7_552_800, "GBP"),
        ("2022-10-20-cnil-fine", "2022-10-20", 20_000_000, "EUR"),
    ],
)
def test_key_events_have_the_verified_dates_and_figures(timeline, event_id, date, amount, currency):
    event = timeline.by_id[event_id]
    assert event.date.iso == date
    if amount is None:
        assert event.amount is None
    else:
        assert (event.amount.value, event.amount.currency) == (amount, currency)


def test_the_provisional_figure_is_given_as_the_sources_give_it(timeline):
    assert timeline.by_id["2021-11-29-ico-provisional-fine"].amount.qualifier == "just over"


def test_the_ico_case_reads_as_a_chain(timeline):
    assert timeline.by_id["2022-05-23-ico-final-fine"].supersedes == ("2021-11-29-ico-provisional-fine",)
    assert timeline.by_id["2021-11-29-ico-provisional-fine"].supersedes == ("2020-07-09-ico-oaic-joint-investigation",)
    assert timeline.by_id["2022-10-20-cnil-fine"].supersedes == ("2021-12-16-cnil-formal-notice",)


def test_every_event_cites_a_source_and_every_source_is_cited(timeline):
    for event in timeline.events:
        assert event.sources, event.id
        text = event.summary + event.body
        for source in event.sources:
            assert source.id and f"@{source.id}" in text, f"{event.id}: source {source.number} is never cited"


@pytest.mark.parametrize(
    "wrong",
    ["500,000", "500000", "3 April 2021", "2021-04-03", "four months", "apolog", "Info Commissioner", "Clearview Al "],
)
def test_no_claim_the_fact_sheet_marks_wrong_appears(wrong):
    for path in CONTENT.rglob("*.yaml"):
        assert wrong.lower() not in path.read_text(encoding="utf-8").lower(), f"{path.name}: {wrong}"
