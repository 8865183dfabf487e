"""The TimelineJS3 export: the timeline as TimelineJS's JSON, as an embedder's page loads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import edit, timelinejs_export

from timeline.dates import PartialDate
from timeline.engine import check
from timeline.model import Era, Event, Group, Media, Source, Tag, Timeline
from timeline.timelinejs import timelinejs_json

CONTENT = Path(__file__).resolve().parent.parent / "content"


def _event(**fields) -> Event:
    values = {
        "id": "2022-05-23-fine",
        "path": Path("content/events/2022-05-23-fine.yaml"),
        "date": PartialDate(2022, 5, 23),
        "title": "A fine",
        "summary": "Fined [@a].",
        "sources": (Source(1, "Notice", "ICO", "https://example.com/a", id="a"),),
    }
    return Event(**{**values, **fields})


def _timeline(*events: Event) -> Timeline:
    return Timeline(title="T", description="D", language="en-GB", tags=(), events=events)


def _exported(project: Path) -> dict:
    return json.loads((project / "site/timelinejs.json").read_text(encoding="utf-8"))


def test_the_minimal_site_exports_exactly(run, sample_site):
    project = sample_site()
    assert run(["build"], cwd=project).code == 0
    assert _exported(project) == {
        "title": {"text": {"headline": "A minimal timeline", "text": "<p>Two events, used by the tests.</p>"}},
        "events": [
            {
                "unique_id": "2020-07-investigation",
                "start_date": {"year": 2020, "month": 7},
                "text": {
                    "headline": "Regulators open an investigation",
                    "text": '<p>The regulators opened a joint investigation<a href="https://example.com/reuters/probe" rel="noopener noreferrer">[1]</a>.</p>\n'
                    "<ul>\n<li><strong>Authority:</strong> ICO</li>\n<li><strong>Country:</strong> United Kingdom</li>\n"
                    "<li><strong>Status:</strong> Concluded</li>\n</ul>\n"
                    "<p>Sources:</p>\n<ol>\n"
                    '<li><a href="https://example.com/reuters/probe" rel="noopener noreferrer">Company probed by UK, Australia</a>, Reuters</li>\n'
                    "</ol>",
                },
                "group": "ICO (UK)",
            },
            {
                "unique_id": "2022-05-23-final-fine",
                "start_date": {"year": 2022, "month": 5, "day": 23},
                "text": {
                    "headline": "ICO fines the company £7,552,800",
                    "text": '<p>The ICO fined the company<a href="https://example.com/ico/fine" rel="noopener noreferrer">[1]</a>'
                    '<a href="https://example.com/reuters/probe" rel="noopener noreferrer">[2]</a>. Its notice is dated 18 May 2022'
                    '<a href="https://example.com/ico/fine" rel="noopener noreferrer">[1]</a>.</p>\n'
                    "<ul>\n<li><strong>Authority:</strong> Information Commissioner's Office</li>\n"
                    "<li><strong>Country:</strong> United Kingdom</li>\n<li><strong>Amount:</strong> £7,552,800</li>\n"
                    "<li><strong>Status:</strong> Appealed</li>\n</ul>\n"
                    "<p>Sources:</p>\n<ol>\n"
                    '<li><a href="https://example.com/ico/fine" rel="noopener noreferrer">ICO fines the company</a>, Information Commissioner\'s Office</li>\n'
                    '<li><a href="https://example.com/reuters/probe" rel="noopener noreferrer">Watchdog fines the company</a>, Reuters</li>\n'
                    "</ol>",
                },
                "group": "ICO (UK)",
            },
        ],
    }


@pytest.mark.parametrize(
    ("date", "end_date", "expected"),
    [
        (PartialDate(2020), None, {"start_date": {"year": 2020}}),
        (PartialDate(2020, 7), None, {"start_date": {"year": 2020, "month": 7}}),
        (PartialDate(2020, 7, 9), None, {"start_date": {"year": 2020, "month": 7, "day": 9}}),
        (
            PartialDate(2021),
            PartialDate(2023, 8),
            {"start_date": {"year": 2021}, "end_date": {"year": 2023, "month": 8}},
        ),
        (PartialDate(602), None, {"start_date": {"year": 602}}),
    ],
    ids=["year", "month", "day", "span", "early-year"],
)
def test_dates_carry_only_the_parts_they_have(date, end_date, expected):
    slide = timelinejs_export(_timeline(_event(date=date, end_date=end_date)))["events"][0]
    assert {key: slide[key] for key in ("start_date", "end_date") if key in slide} == expected


def test_group_is_the_first_tags_label_and_absent_without_tags():
    tagged = _event(tags=(Tag("cnil", "CNIL (France)"), Tag("fine", "Fine")))
    untagged = _event(id="2022-05-24-other")
    slides = timelinejs_export(_timeline(tagged, untagged))["events"]
    assert slides[0]["group"] == "CNIL (France)"
    assert "group" not in slides[1]
    assert all("media" not in slide for slide in slides)


def test_text_is_safe_html():
    hostile = _event(
        title="<script>alert(1)</script> & co",
        summary="Hi <img src=x onerror=alert(2)> [x](javascript:alert(3)) [@a]",
        sources=(Source(1, "<b>bold</b> [title]", "P & Q", "https://example.com/a?x=1&y=(2)", id="a"),),
    )
    data = timelinejs_export(
        Timeline(title="<i>T</i>", description="*not emphasis* <b>", language="en", tags=(), events=(hostile,))
    )
    slide = data["events"][0]["text"]
    assert slide["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    assert "<script" not in slide["text"]
    assert "onerror" not in slide["text"]
    assert "javascript:" not in slide["text"]
    assert '<a href="https://example.com/a?x=1&amp;y=(2)" rel="noopener noreferrer">[1]</a>' in slide["text"]
    assert "&lt;b&gt;bold&lt;/b&gt; [title]</a>, P &amp; Q</li>" in slide["text"]
    assert data["title"]["text"] == {"headline": "&lt;i&gt;T&lt;/i&gt;", "text": "<p>*not emphasis* &lt;b&gt;</p>"}


def test_an_unknown_citation_stays_as_written():
    slide = timelinejs_export(_timeline(_event(summary="Fined [@nobody].")))["events"][0]
    assert slide["text"]["text"].startswith("<p>Fined [@nobody].</p>")


def test_the_slides_text_is_what_render_text_gives_sanitised():
    data = timelinejs_json(
        _timeline(_event()),
        render_text=lambda event: f"<p onclick=alert(1)>{event.id if event else 'Title'}</p><script>alert(2)</script>",
    )
    assert data["title"]["text"] == {"headline": "T", "text": "<p>Title</p>"}
    assert data["events"][0]["text"] == {"headline": "A fine", "text": "<p>2022-05-23-fine</p>"}


def test_the_shipped_timeline_exports_every_event_in_order():
    timeline = check(CONTENT).timeline
    data = json.loads(json.dumps(timelinejs_export(timeline)))  # plain JSON values only
    assert [slide["unique_id"] for slide in data["events"]] == [event.id for event in timeline.events]
    final_fine = next(slide for slide in data["events"] if slide["unique_id"] == "2022-05-23-ico-final-fine")
    assert final_fine["start_date"] == {"year": 2022, "month": 5, "day": 23}
    assert final_fine["group"] == "United Kingdom"
    for slide, event in zip(data["events"], timeline.events, strict=False):
        for source in event.sources:
            assert f'href="{source.url.replace("&", "&amp;")}"' in slide["text"]["text"], (event.id, source.url)


def test_an_event_without_sources_has_no_list_of_sources():
    slide = timelinejs_export(_timeline(_event(summary="Fined.", sources=())))["events"][0]
    assert slide["text"]["text"] == "<p>Fined.</p>"


def test_a_french_timeline_exports_its_slides_in_french(run, sample_site):
    project = sample_site()
    edit(project, "content/timeline.yaml", "language: en-GB", "language: fr")
    assert run(["build"], cwd=project).code == 0
    text = _exported(project)["events"][1]["text"]["text"]
    # The labels are the timeline's own French ones; the colon and "Sources" come from the theme's catalogue.
    assert "<li><strong>Autorité :</strong> Information Commissioner's Office</li>" in text
    assert "<li><strong>Pays :</strong> Royaume-Uni</li>" in text
    assert "\n<p>Sources :</p>\n<ol>\n" in text
    assert "Sources:" not in text


def test_the_themes_templates_write_the_slides(run, make_project):
    project = make_project(
        {
            "templates/timelinejs-text.html": (
                "{% if event %}<h2>{{ event.date|date }}</h2>{{ event|summary_html(link_sources=true) }}"
                "<script>alert(1)</script>{% else %}<p>{{ timeline.title }}</p>{% endif %}"
            ),
            "templates/_citation.html": (
                "{% macro citation(event, links) %}{% for source, href in links %}"
                '<sup><a href="{{ href }}">{{ source.number }}</a></sup>{% endfor %}{% endmacro %}'
            ),
        }
    )
    assert run(["build"], cwd=project).code == 0
    data = _exported(project)
    assert data["title"]["text"]["text"] == "<p>A minimal timeline</p>"
    assert data["events"][0]["text"]["text"] == (
        "<h2>July 2020</h2><p>The regulators opened a joint investigation"
        '<sup><a href="https://example.com/reuters/probe" rel="noopener noreferrer">1</a></sup>.</p>'
    )


def test_media_eras_groups_and_display_dates_are_exported():
    picture = Media(
        kind="image",
        url="https://example.org/p.jpg",
        alt="A face",
        credit="Jane & co",
        caption="A *fine* [face](https://example.org/f)",
    )
    quote = Media(kind="quote", quote="Words <said>.", credit="Someone")
    local = Media(kind="image", file="media/letter.jpg", alt="The letter", url="https://example.org/letter.jpg")
    card = Media(kind="video", url="https://youtu.be/x", title="A talk", poster="media/poster.jpg")
    uk = Group("uk", "United Kingdom")
    events = (
        _event(id="a", date=PartialDate(-500), media=(quote,), group=uk),
        _event(id="b", date=PartialDate(1995, 7), display_date="Mid-1995 & after", media=(picture, card)),
        _event(id="c", media=(local,), tags=(Tag("fine", "Fine"),)),
        _event(id="d", media=(card,)),
    )
    timeline = Timeline(
        title="T", description="D", language="en", tags=(), events=events, groups=(uk,),
        intro="It *begins*.", media=(picture,),
        eras=(Era("Classical", PartialDate(-600), PartialDate(-400), "Old & gone"),),
    )  # fmt: skip
    published = {
        "media/letter.jpg": "https://site.example/media/ab12-960.jpg",
        "media/poster.jpg": "https://site.example/media/cd34-480.jpg",
    }

    def urls(item: Media) -> tuple[str | None, str | None]:
        return published.get(item.file), published.get(item.poster)

    data = timelinejs_json(timeline, lambda event: "", media_urls=urls)
    assert data["title"] == {
        "text": {"headline": "T", "text": "<p>It <em>begins</em>.</p>"},
        "media": {
            "url": "https://example.org/p.jpg",
            "credit": "Jane &amp; co",
            "caption": 'A <em>fine</em> <a href="https://example.org/f" rel="noopener noreferrer">face</a>',
            "alt": "A face",
        },
    }
    assert data["eras"] == [
        {
            "start_date": {"year": -600},
            "end_date": {"year": -400},
            "text": {"headline": "Classical", "text": "<p>Old &amp; gone</p>"},
        }
    ]
    a, b, c, d = data["events"]
    assert (a["start_date"], a["group"]) == ({"year": -500}, "United Kingdom")  # TimelineJS shows -500 as 500 BCE
    assert a["media"] == {"url": "<blockquote>Words &lt;said&gt;.<cite>Someone</cite></blockquote>"}
    assert b["display_date"] == "Mid-1995 &amp; after"
    assert b["media"]["url"] == "https://example.org/p.jpg"  # a slide shows one item: the first
    assert "group" not in b and "group" not in c  # the timeline declares groups: tags are not used as groups
    # A fetched picture is given from the site itself; a card's poster is its thumbnail.
    assert c["media"] == {"url": "https://site.example/media/ab12-960.jpg", "alt": "The letter"}
    assert d["media"] == {
        "url": "https://youtu.be/x",
        "title": "A talk",
        "thumbnail": "https://site.example/media/cd34-480.jpg",
    }
    # Without the site's copies, a picture is given by its original address.
    assert timelinejs_json(timeline, lambda event: "")["events"][2]["media"]["url"] == "https://example.org/letter.jpg"


def test_times_are_the_hour_and_minute_written():
    """TimelineJS's times have no zone: a slide shows the time as it was where it happened."""
    event = _event(date=PartialDate.parse("2020-07-09T14:30+01:00"), end_date=PartialDate.parse("2020-07-09T15:45:30Z"))
    slide = timelinejs_export(_timeline(event))["events"][0]
    assert slide["start_date"] == {"year": 2020, "month": 7, "day": 9, "hour": 14, "minute": 30}
    assert slide["end_date"] == {"year": 2020, "month": 7, "day": 9, "hour": 15, "minute": 45, "second": 30}


def test_the_intro_is_the_title_slides_text(run, sample_site):
    project = sample_site()
    edit(project, "content/timeline.yaml", "tags:\n", "intro: |-\n  Two *events*.\n\n  - one\n  - two\ntags:\n")
    assert run(["build"], cwd=project).code == 0
    assert (
        _exported(project)["title"]["text"]["text"]
        == "<p>Two <em>events</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )
