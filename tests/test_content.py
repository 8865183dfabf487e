"""The shipped Clearview AI content: valid, cited, and right on the key facts.

The figures and dates below are those of the verified fact sheet the content
was written from; a change to any of them in content/ must be a deliberate
correction, made here too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from timeline.bibliography import build_bibliography
from timeline.engine import check

CONTENT = Path(__file__).resolve().parent.parent / "content"

# id → (date made public, amount, currency)
KEY_EVENTS = {
    "2020-01-18-new-york-times-expose": ("2020-01-18", None, None),
    "2020-05-28-aclu-lawsuit": ("2020-05-28", None, None),
    "2020-07-09-ico-oaic-joint-investigation": ("2020-07-09", None, None),
    "2021-01-27-hamburg-dpa-deletion-order": ("2021-01-27", None, None),
    "2021-02-03-canadian-commissioners-findings": ("2021-02-03", None, None),
    "2021-02-11-imy-fines-swedish-police": ("2021-02-11", 2_500_000, "SEK"),
    "2021-11-03-oaic-determination": ("2021-11-03", None, None),
    "2021-11-29-ico-provisional-fine": ("2021-11-29", 17_000_000, "GBP"),
    "2021-12-07-alberta-order": ("2021-12-07", None, None),
    "2021-12-16-cnil-formal-notice": ("2021-12-16", None, None),
    "2022-03-09-garante-fine": ("2022-03-09", 20_000_000, "EUR"),
    "2022-05-09-aclu-settlement": ("2022-05-09", None, None),
    "2022-05-23-ico-final-fine": ("2022-05-23", 7_552_800, "GBP"),
    "2022-07-13-hellenic-dpa-fine": ("2022-07-13", 20_000_000, "EUR"),
    "2022-10-20-cnil-fine": ("2022-10-20", 20_000_000, "EUR"),
    "2023-05-08-aat-ruling": ("2023-05-08", None, None),
    "2023-05-10-cnil-overdue-penalty": ("2023-05-10", 5_200_000, "EUR"),
    "2023-05-10-austrian-dsb-decision": ("2023-05-10", None, None),
    "2023-10-17-uk-tribunal-overturns-ico-fine": ("2023-10-17", None, None),
    "2023-11-17-ico-seeks-permission-to-appeal": ("2023-11-17", None, None),
    "2024-08-21-oaic-closes-case": ("2024-08-21", None, None),
    "2024-09-03-dutch-ap-fine": ("2024-09-03", 30_500_000, "EUR"),
    "2024-10-28-ico-renews-appeal-to-upper-tribunal": ("2024-10-28", None, None),
    "2024-12-18-bc-supreme-court-upholds-order": ("2024-12-18", None, None),
    "2025-01-28-austrian-court-orders-dsb-to-reconsider": ("2025-01-28", None, None),
    "2025-03-20-bipa-class-settlement-approved": ("2025-03-20", 51_750_000, "USD"),
    "2025-05-08-alberta-court-upholds-order": ("2025-05-08", None, None),
    "2025-10-07-upper-tribunal-restores-ico-jurisdiction": ("2025-10-07", None, None),
    "2025-10-28-noyb-criminal-complaint": ("2025-10-28", None, None),
    "2026-02-18-bc-court-of-appeal-dismisses-appeal": ("2026-02-18", None, None),
}

# Where an action was made public after the decision's own date, the text says so.
DECISION_DATES = {
    "2021-02-03-canadian-commissioners-findings": "2 February 2021",
    "2021-11-03-oaic-determination": "14 October 2021",
    "2021-12-16-cnil-formal-notice": "26 November 2021",
    "2022-03-09-garante-fine": "10 February 2022",
    "2022-05-23-ico-final-fine": "18 May 2022",
    "2022-10-20-cnil-fine": "17 October 2022",
    "2023-05-10-cnil-overdue-penalty": "13 April 2023",
}

# The chains that make each case's history readable: (later, earlier it supersedes).
CHAINS = [
    ("2021-11-29-ico-provisional-fine", "2020-07-09-ico-oaic-joint-investigation"),
    ("2022-05-23-ico-final-fine", "2021-11-29-ico-provisional-fine"),
    ("2023-10-17-uk-tribunal-overturns-ico-fine", "2022-05-23-ico-final-fine"),
    ("2025-10-07-upper-tribunal-restores-ico-jurisdiction", "2023-10-17-uk-tribunal-overturns-ico-fine"),
    ("2022-10-20-cnil-fine", "2021-12-16-cnil-formal-notice"),
    ("2023-05-10-cnil-overdue-penalty", "2022-10-20-cnil-fine"),
    ("2023-05-08-aat-ruling", "2021-11-03-oaic-determination"),
    ("2024-08-21-oaic-closes-case", "2023-05-08-aat-ruling"),
    ("2025-05-08-alberta-court-upholds-order", "2021-12-07-alberta-order"),
    ("2026-02-18-bc-court-of-appeal-dismisses-appeal", "2024-12-18-bc-supreme-court-upholds-order"),
    ("2022-05-09-aclu-settlement", "2020-05-28-aclu-lawsuit"),
    ("2025-01-28-austrian-court-orders-dsb-to-reconsider", "2023-05-10-austrian-dsb-decision"),
]

# The original articles behind the five seed texts (never the rewritten copies).
SEED_ORIGINALS = [
    "https://www.theguardian.com/technology/2022/may/23/uk-data-watchdog-fines-facial-recognition-firm-clearview-ai-image-collection",
    "https://ico.org.uk/about-the-ico/media-centre/news-and-blogs/2022/05/ico-fines-facial-recognition-database-company-clearview-ai-inc/",
    "https://www.cnet.com/news/privacy/clearview-ai-told-to-delete-images-of-brits-scraped-illegally-from-social-media/",
    "https://nakedsecurity.sophos.com/2022/10/26/clearview-ai-image-scraping-face-recognition-service-hit-with-e20m-fine-in-france/",
    "https://www.bbc.co.uk/news/technology-61550776",
]


@pytest.fixture(scope="module")
def timeline():
    return check(CONTENT).timeline


def test_shipped_content_is_valid(run):
    result = run(["check"], cwd=CONTENT.parent)
    assert result.code == 0, result.err


def test_every_verified_event_is_on_the_timeline(timeline):
    assert sorted(KEY_EVENTS) == sorted(timeline.by_id)


@pytest.mark.parametrize("event_id", sorted(KEY_EVENTS))
def test_key_events_have_the_verified_dates_and_figures(timeline, event_id):
    date, amount, currency = KEY_EVENTS[event_id]
    event = timeline.by_id[event_id]
    assert event.date.iso == date
    if amount is None:
        assert event.value("amount") is None
    else:
        assert (event.value("amount").value, event.value("amount").currency) == (amount, currency)


def test_rough_figures_are_given_as_the_sources_give_them(timeline):
    assert timeline.by_id["2021-11-29-ico-provisional-fine"].value("amount").qualifier == "just over"
    assert timeline.by_id["2025-03-20-bipa-class-settlement-approved"].value("amount").qualifier == "about"
    assert timeline.by_id["2022-05-23-ico-final-fine"].value("amount").qualifier is None


@pytest.mark.parametrize(("event_id", "decided"), sorted(DECISION_DATES.items()))
def test_the_decision_date_is_given_where_it_differs(timeline, event_id, decided):
    event = timeline.by_id[event_id]
    assert decided in event.summary + event.body


@pytest.mark.parametrize(("later", "earlier"), CHAINS, ids=[later for later, _ in CHAINS])
def test_each_case_reads_as_a_chain(timeline, later, earlier):
    assert earlier in timeline.by_id[later].supersedes
    assert later in timeline.by_id[earlier].superseded_by


def test_the_uk_penalty_is_not_shown_as_final(timeline):
    assert timeline.by_id["2022-05-23-ico-final-fine"].value("status").value != "final"


# Events for which the fact sheet found no primary source (no regulator's
# notice, decision or judgment was seen): they rest on reporting until one is.
NO_PRIMARY_KNOWN = {
    "2020-01-18-new-york-times-expose",  # a news report itself, not an action
    "2020-07-09-ico-oaic-joint-investigation",  # the joint release was not found
    "2021-01-27-hamburg-dpa-deletion-order",  # the order is known through noyb and EPIC
    "2021-11-29-ico-provisional-fine",  # the ICO's 29 Nov 2021 release was not found
    "2021-12-07-alberta-order",  # Order P2021-12 known through Slaw and Miller Thomson
    "2022-05-09-aclu-settlement",
    "2023-05-10-austrian-dsb-decision",  # made public by noyb; the decision was not seen
    "2023-05-10-cnil-overdue-penalty",  # SAN-2023-005 known through GDPRhub and the press
    "2024-10-28-ico-renews-appeal-to-upper-tribunal",
    "2024-12-18-bc-supreme-court-upholds-order",  # 2024 BCSC 2311 known through law firms
    "2025-01-28-austrian-court-orders-dsb-to-reconsider",  # known through GDPRhub
    "2025-03-20-bipa-class-settlement-approved",
    "2025-05-08-alberta-court-upholds-order",  # 2025 ABKB 287 known through law firms
    "2025-10-28-noyb-criminal-complaint",
}


def test_every_event_cites_a_primary_source_where_one_is_known(timeline):
    without = {event.id for event in timeline.events if not any(s.kind == "primary" for s in event.sources)}
    assert without == NO_PRIMARY_KNOWN


def test_every_source_is_cited_and_every_citation_resolves(timeline):
    for event in timeline.events:
        text = event.summary + event.body
        cited = set(re.findall(r"@([A-Za-z0-9][A-Za-z0-9_-]*)", text))
        keys = {source.id for source in event.sources}
        assert keys <= cited, f"{event.id}: sources never cited: {sorted(keys - cited)}"
        assert all(source.kind in ("primary", "secondary") for source in event.sources), event.id


def test_the_seed_articles_are_cited_by_their_originals(timeline):
    urls = {source.url for event in timeline.events for source in event.sources}
    for url in SEED_ORIGINALS:
        assert url in urls, url


def test_the_bibliography_lists_each_source_once(timeline):
    entries = build_bibliography(timeline)
    urls = [entry.url for entry in entries]
    assert len(urls) == len(set(urls))
    assert set(urls) == {source.url for event in timeline.events for source in event.sources}
    # The ICO's May 2022 release is cited by more than one event, and listed once.
    ico = next(entry for entry in entries if entry.url == SEED_ORIGINALS[1])
    assert len({citation.event.id for citation in ico.citations}) >= 1


@pytest.mark.parametrize(
    "wrong",
    [
        "£500,000",
        "£500000",
        "500,000 pounds",
        "3 April 2021",
        "2021-04-03",
        "four months",
        "apolog",
        "passport",
        "Info Commissioner",
        "Workplace of the",
        "Clearview Al ",
        "UK auditors",
        "survey requests",
        "€10 million",
        "€17m",
        "fourth country",
        "disguise",
        "£10 million more",
    ],
)
def test_no_claim_the_fact_sheet_marks_wrong_appears(wrong):
    for path in CONTENT.rglob("*.yaml"):
        assert wrong.lower() not in path.read_text(encoding="utf-8").lower(), f"{path.name}: {wrong}"


def test_no_source_the_fact_sheet_warns_against_is_cited():
    banned = ("oodaloop", "willkie", "thenextgentechinsider", "techwarrant", "dig.watch", "akiradata")
    for path in CONTENT.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert not any(name in text for name in banned), path.name


def test_the_published_bibliography_links_every_source_back_to_its_events(run, tmp_path, timeline):
    out = tmp_path / "site"
    assert run(["build", "--content", str(CONTENT), "--out", str(out)], cwd=CONTENT.parent).code == 0
    html = (out / "sources/index.html").read_text(encoding="utf-8")
    entries = build_bibliography(timeline)
    assert html.count('<li id="s-') == len(entries)
    for entry in entries:
        assert html.count(f'<cite><a href="{escape(entry.url)}"') == 1, entry.url
        for citation in entry.citations:
            anchor = f"{citation.event.id}-source-{citation.source.number}"
            assert f'href="../events/{citation.event.id}/#{anchor}"' in html
