"""`import`: TimelineJS's own example timelines (its JSON and its spreadsheet CSV) as event files."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import edit, timelinejs_export

from timeline.dates import PartialDate
from timeline.loader import load_document
from timeline.markdown import render_markdown
from timeline.model import Event, Source, Timeline

EXAMPLES = Path(__file__).parent / "interop" / "timelinejs"
ROOT = Path(__file__).parent.parent
EVENT_FILES = {
    "women_in_computing.csv": 10,
    "women_in_computing.json": 10,
    "my-own-timeline.csv": 10,
    "houston.json": 18,
    "eras.json": 20,
}


@pytest.fixture
def project(sample_site) -> Path:
    """The minimal sample project with TimelineJS's examples beside content/, and no events of its own."""
    folder = sample_site()
    shutil.rmtree(folder / "content" / "events")
    shutil.copytree(ROOT / "schemas", folder / "schemas")  # as `timeline schemas` writes them
    for example in EXAMPLES.iterdir():
        shutil.copy(example, folder / example.name)
    return folder


def _events(project: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted((project / "content/events").glob("*.yaml"))}


def _body(text: str) -> str:
    """The file without its first line, whose schema path depends on where the test runs."""
    assert text.startswith("# yaml-language-server: $schema=")
    return text.split("\n", 1)[1]


def test_the_spreadsheet_csv_is_imported(run, project):
    result = run(["import", "women_in_computing.csv"], cwd=project)
    assert result.code == 0, result.err
    assert result.out == "".join(
        f"content/events/{name}.yaml\n"
        for name in (
            "1815-12-10-ada-lovelace",
            "1948-03-14-edith-clarke-bucking-the-trend",
            "1943-07-and-the-women-who-made-it-work",
            "1943-06-05-the-first-computer",
            "1951-rozsa-peter-writes-recursion",
            "1952-grace-hopper-invents-the-compiler",
            "1956-contributions-to-space-exploration",
            "1958-the-first-phd-in-computer-science",
            "1972-karen-sparck-jones-makes-search-possible",
            "1985-the-mother-of-the-internet",
        )
    )
    report = result.err.splitlines()
    assert report[:3] == [
        "women_in_computing.csv:2: row 2 (Women in Computing): background not imported: "
        "https://upload.wikimedia.org/wikipedia/commons/1/17/World%27s_First_Computer%2C…",
        "content/timeline.yaml: the title stays 'A minimal timeline'; women_in_computing.csv's title slide says "
        "'Women in Computing'",
        "content/timeline.yaml: added intro from women_in_computing.csv",
    ]
    for line in (
        "women_in_computing.csv:3: row 3 (Ada Lovelace): media alt text taken from its caption, as TimelineJS does: "
        "say what the picture shows",
        "women_in_computing.csv:4: row 4 (Edith Clarke: Bucking the Trend): fill in a summary and a source in "
        "content/events/1948-03-14-edith-clarke-bucking-the-trend.yaml; `timeline check` fails until then",
        "women_in_computing.csv:5: row 5 (...And the women who made it work): background not imported: "
        "https://upload.wikimedia.org/wikipedia/commons/c/cd/ARL_ENIAC_02.png",
        # A cell with a line break: row 6 of the sheet starts on line 7 of the file.
        "women_in_computing.csv:7: row 6 (The First Computer): fill in a source in "
        "content/events/1943-06-05-the-first-computer.yaml; `timeline check` fails until then",
        "women_in_computing.csv:12: row 10 (The First PhD in Computer Science): fill in a source and the picture's "
        "alt text in content/events/1958-the-first-phd-in-computer-science.yaml; `timeline check` fails until then",
    ):
        assert line in report
    assert not any("row 3 (Ada Lovelace): fill in" in line for line in report)  # its links are its sources
    assert report[-1] == "10 event files written into content/events; 9 need filling in before `timeline check` passes"
    assert (
        (project / "content/timeline.yaml")
        .read_text(encoding="utf-8")
        .endswith("""\
  - key: fine
    label: Fine

# Imported by `timeline import` from women_in_computing.csv.
# The title slide's text, shown under the title.
intro: >-
  In this sample timeline, we'll walk you through what TimelineJS can do by
  looking at some of the more important contributions women have made to
  computer science.
""")
    )

    events = _events(project)
    assert (
        _body(events["1815-12-10-ada-lovelace.yaml"])
        == """\
# Imported by `timeline import` from women_in_computing.csv, row 3.
date: '1815-12-10'
end_date: '1852-11-27'
title: "Ada Lovelace"
summary: |-
  Women have been programming since before it was a thing. Take
  [Ada Lovelace](https://en.wikipedia.org/wiki/Ada_Lovelace) [@ada-lovelace]:
  Daughter of Lord Byron, she's often credited as the first computer
  programmer. Her work on
  [Charles Babbage's Analytical Engine](https://en.wikipedia.org/wiki/Analytical_Engine)
  [@charles-babbage-s-analytical-engine] contains notes of the first
  machine-implemented algorithm.

  This slide demonstrates a simple "image" media type.
media:
  - url: "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a4/Ada_Lovelace_portrait.jpg/713px-Ada_Lovelace_portrait.jpg"
    kind: image
    alt: "Portrait by Alfred Edward Chalon"
    credit: "Wikimedia Commons"
    caption: "[Portrait by Alfred Edward Chalon](https://en.wikipedia.org/wiki/Ada_Lovelace#/media/File:Ada_Lovelace_portrait.jpg)"
sources:
  - id: ada-lovelace
    title: "Ada Lovelace"
    publisher: "en.wikipedia.org"
    url: "https://en.wikipedia.org/wiki/Ada_Lovelace"
  - id: charles-babbage-s-analytical-engine
    title: "Charles Babbage's Analytical Engine"
    publisher: "en.wikipedia.org"
    url: "https://en.wikipedia.org/wiki/Analytical_Engine"
"""
    )
    assert _body(events["1943-07-and-the-women-who-made-it-work.yaml"]).startswith("""\
# Imported by `timeline import` from women_in_computing.csv, row 5.
# Not imported (an event file has no place for them):
#   background: https://upload.wikimedia.org/wikipedia/commons/c/cd/ARL_ENIAC_02.png
date: '1943-07'
end_date: '1946'
title: "...And the women who made it work"
""")
    assert """
media:
  - url: "https://www.youtube.com/watch?v=aPweFhhXFvY"
    kind: video
    credit: "Computer History Museum"
    caption: "Jean Bartik talks about the ENIAC women"
""" in events["1943-07-and-the-women-who-made-it-work.yaml"]
    # The only content of this slide was its media, a quotation: it arrives as one, with its <cite> as credit.
    assert _body(events["1948-03-14-edith-clarke-bucking-the-trend.yaml"]).endswith("""\
date: '1948-03-14'
title: "Edith Clarke: Bucking the Trend"
summary: ""  # TimelineJS had no text: write a few sentences, citing a source as [@its-id]
media:
  - quote: "There is no demand for women engineers, as such, as there are for women doctors; but there's always a demand for anyone who can do a good piece of work."
    credit: "Edith Clarke, first female professor of electrical engineering in the United States"
sources:
  # TimelineJS gave no source: fill this in and cite it in the summary as [@source].
  # `timeline check` fails until you do.
  - id: source
    title: ""
    publisher: ""
    url: ""
""")
    # An image without alt text or caption: the file says what to fill in.
    assert """
  - url: "https://www.women.cs.cmu.edu/ada/Resources/Women/pictures/mary_keller.png"
    kind: image
    alt: ""  # say what the picture shows: `timeline check` fails until you do
    credit: "The Ada Project"
""" in events["1958-the-first-phd-in-computer-science.yaml"]


def test_the_json_is_imported(run, project):
    result = run(["import", "eras.json"], cwd=project)
    assert result.code == 0, result.err
    report = result.err.splitlines()
    assert report[:4] == [
        "content/timeline.yaml: the title stays 'A minimal timeline'; eras.json's title slide says 'Eras Test'",
        "content/timeline.yaml: added intro and eras from eras.json",
        "eras.json: events[0] (Last great Roman-Persian War.): background opacity not imported: 50",
        "eras.json: events[0] (Last great Roman-Persian War.): background url not imported: "
        "https://upload.wikimedia.org/wikipedia/commons/a/a2/HumiliationValerianusHolbei…",
    ]
    assert (
        (project / "content/timeline.yaml")
        .read_text(encoding="utf-8")
        .endswith("""\
# Imported by `timeline import` from eras.json.
# The title slide's text, shown under the title.
intro: >-
  Events in the 7th century from
  https://en.wikipedia.org/wiki/Timeline\\_of\\_the\\_Middle\\_Ages
# Named periods, drawn as bands on the overview.
eras:
  - label: "Era Test 650-700"
    start: '0650'
    end: '0700'
  - label: "Era Test 600-650"
    start: '0600'
    end: '0650'
  - label: "Era Test 700-720"
    start: '0700'
    end: '0720'
""")
    )
    events = _events(project)
    assert len(events) == 20
    # Years before 1000 are written with four digits; two slides of one day keep their own names, and their order.
    assert {
        "0602-last-great-roman-persian-war.yaml",
        "0632-06-08-death-of-muhammed.yaml",
        "0632-06-08-accession-of-abu-bakr-as-first-caliph.yaml",
    } <= set(events)
    assert (
        "\norder: 1  # among the events of this date, as in the TimelineJS file\n"
        in events["0632-06-08-death-of-muhammed.yaml"]
    )
    assert "\norder: 2  # " in events["0632-06-08-accession-of-abu-bakr-as-first-caliph.yaml"]
    assert (
        _body(events["0627-12-12-battle-of-nineveh.yaml"]).split("sources:")[0]
        == """\
# Imported by `timeline import` from eras.json, events[4].
# Not imported (an event file has no place for them):
#   background url: https://upload.wikimedia.org/wikipedia/commons/thumb/9/93/Piero_della_Francesca_021.jpg/1024px-Piero_della_Francesca_021.jpg
date: '0627-12-12'
title: "Battle of Nineveh"
summary: >-
  The Byzantines, under Heraclius, crush the Persians.
media:
  - url: "https://en.wikipedia.org/wiki/Battle_of_Nineveh_(627)"
    kind: page
"""
    )

    result = run(["import", "houston.json"], cwd=project)
    assert result.code == 0, result.err
    events = _events(project)
    # <br/> in a headline is a space; <i> in the text is emphasis.
    assert 'title: "Whitney Houston 1963-2012"\n' in events["2012-02-11-whitney-houston-1963-2012.yaml"]
    assert "remade for the *Bodyguard* soundtrack" in events["1978-the-early-years.yaml"]
    assert (
        "houston.json: events[0] (A Musical Heritage): media not imported: /static/img/examples/houston/family.jpg is "
        "a path on the site the timeline was published on; import again with --media-base https://that.site/ to keep it"
        in result.err
    )
    # The timeline.yaml has its intro already, from eras.json: it is not replaced, and says so.
    assert "content/timeline.yaml: already has intro: the ones of houston.json are not added" in result.err


@pytest.mark.parametrize("example", EVENT_FILES, ids=list(EVENT_FILES))
def test_imported_files_fail_check_only_for_what_timelinejs_lacks(run, project, example):
    assert run(["import", example], cwd=project).code == 0
    result = run(["check"], cwd=project)
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    placeholders = re.compile(
        r"content/events/[^:]+:\d+:\d+: error: (sources\[0\]\.(title|publisher|url)|summary|media\[0\](\.alt)?): "
    )
    assert errors and all(placeholders.match(line) for line in errors), "\n".join(errors)
    assert len(_events(project)) == EVENT_FILES[example]


def test_existing_files_are_never_overwritten(run, project):
    assert run(["import", "houston.json"], cwd=project).code == 0
    edited = project / "content/events/1978-first-recording.yaml"
    edited.write_text("my edits", encoding="utf-8")
    (project / "content/events/1985-debut.yaml").unlink()

    result = run(["import", "houston.json"], cwd=project)
    assert result.code == 1
    assert result.out == "content/events/1985-debut.yaml\n"
    assert (
        "houston.json: events[1] (First Recording): content/events/1978-first-recording.yaml already exists: not overwritten"
        in result.err
    )
    assert "events[1] (First Recording): media" not in result.err  # a skipped slide reports nothing else
    assert result.err.endswith(
        "1 event file written into content/events; 1 needs filling in before `timeline check` passes; "
        "17 not written because they exist\n"
    )
    assert edited.read_text(encoding="utf-8") == "my edits"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "bad.json",
            '{"events": [\n  {"start_date": {"year": "2020"}}\n  {}\n]}',
            "bad.json:3:3: error: malformed JSON: Expecting ',' delimiter",
        ),
        (
            "list.json",
            "[]",
            'list.json: error: not TimelineJS data: expected an object with an "events" list (https://timeline.knightlab.com/docs/json-format.html)',
        ),
        (
            "parser_test.csv",
            None,
            "parser_test.csv:1: error: not a TimelineJS spreadsheet: no Year or Headline column; its columns are title, count, description, where TimelineJS's template has Year, Month, Day, Time, End Year, …, Headline, Text…",
        ),
        (
            "open.csv",
            'Year,Headline,Text\n2020,A,"never\nclosed\n',
            "open.csv:2: error: malformed CSV in row 2: a quoted cell is never closed",
        ),
        ("twice.csv", "Year,Headline,year\n", "twice.csv:1: error: the column 'year' appears twice (columns 1 and 3)"),
        ("empty.csv", "", "empty.csv: error: the file is empty; export the TimelineJS spreadsheet as CSV"),
        (
            "latin1.csv",
            "Year,Headline\n2020,Caf\xe9\n".encode("latin-1"),
            "latin1.csv:2: error: the file is not UTF-8 text; export it again as UTF-8 (CSV UTF-8 in Excel)",
        ),
        ("missing.json", None, "missing.json: error: cannot read the file: No such file or directory"),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "not-a-sheet",
        "unclosed-quote",
        "duplicate-column",
        "empty",
        "not-utf8",
        "missing",
    ],
)
def test_unreadable_input_writes_nothing(run, project, name, data, expected):
    if isinstance(data, bytes):
        (project / name).write_bytes(data)
    elif data is not None:
        (project / name).write_text(data, encoding="utf-8")
    result = run(["import", name], cwd=project)
    assert (result.code, result.out, result.err) == (1, "", f"{expected}\nnothing imported from {name}\n")
    assert not (project / "content/events").exists()


def test_a_folder_that_cannot_be_written_is_an_error(run, project):
    (project / "blocked").write_text("a file where the content folder should be", encoding="utf-8")
    result = run(["import", "houston.json", "--content", "blocked"], cwd=project)
    assert result.code == 1
    assert result.out == ""
    assert "error: cannot write blocked/events/1963-08-09-a-musical-heritage.yaml: Not a directory\n" in result.err
    assert result.err.endswith("0 event files written into blocked/events\n")


def test_usage_errors_exit_2(run, project):
    result = run(["import"], cwd=project)
    assert result.code == 2
    assert "the following arguments are required: FILE" in result.err
    result = run(["import", "--help"], cwd=project)
    assert result.code == 0
    assert "usage: timeline import [-h] [--timezone ZONE] [--media-base URL]" in result.out
    result = run(["import", "--timezone", "Mars/Olympus", "houston.json"], cwd=project)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: --timezone 'Mars/Olympus' is not a time zone: give a name like Europe/Paris or America/New_York, "
        "UTC, or an offset like +01:00\n"
    )
    result = run(["import", "--media-base", "timeline.knightlab.com", "houston.json"], cwd=project)
    assert (result.code, result.err) == (
        2,
        "error: --media-base 'timeline.knightlab.com' is not a web address starting with https:// or http://\n",
    )


def test_columns_are_found_by_name_and_cells_read_leniently(run, project):
    sheet = (
        " headline ;TEXT;Media;type;END_YEAR;year;Month;Day;Group;Time;Display Date\n"
        'Founded;"Opened its <a href=""https://example.org/a_(b)"">first office</a>.";pic.jpg;;;" 2,020 "; Jul ;07;Business;10:30;Summer 2020\n'
        "Title;Intro;;title;;;;;;;\n"
        "An era;;;era;2021;2020;;;;;\n"
        ";;;;;;;;;;\n"
        "Undated;x;;;;;;;;;\n"
    )
    (project / "sheet.csv").write_text(sheet, encoding="utf-8")
    result = run(["import", "sheet.csv", "--content", "elsewhere"], cwd=project)
    assert result.code == 0, result.err
    assert result.out == "elsewhere/events/2020-07-07-founded.yaml\n"
    assert result.err.splitlines() == [
        "elsewhere/timeline.yaml: cannot read it (No such file or directory): add intro, eras and groups to it yourself",
        "sheet.csv:2: row 2 (Founded): time of day not imported: Time 10:30 (TimelineJS gives no time zone: import "
        "again with --timezone (e.g. --timezone Europe/Paris, or UTC) to keep it)",
        "sheet.csv:2: row 2 (Founded): media not imported: pic.jpg is a path on the site the timeline was published "
        "on; import again with --media-base https://that.site/ to keep it",
        "sheet.csv:6: row 6 (Undated): not imported: no Year (TimelineJS does not show it either)",
        "1 event file written into elsewhere/events",
    ]
    text = (project / "elsewhere/events/2020-07-07-founded.yaml").read_text(encoding="utf-8")
    assert (
        _body(text)
        == """\
# Imported by `timeline import` from sheet.csv, row 2.
# Not imported (an event file has no place for them):
#   media: pic.jpg
#   start time of day: 10:30
date: '2020-07-07'
display_date: "Summer 2020"
title: "Founded"
summary: >-
  Opened its [first office](<https://example.org/a_(b)>) [@first-office].
group: business
sources:
  - id: first-office
    title: "first office"
    publisher: "example.org"
    url: "https://example.org/a_(b)"
"""
    )


@pytest.mark.parametrize(
    "text",
    [
        "Stars *are* not_emphasis, [@cite] is not a citation, <b>tags</b> &amp; `code` ~~stay~~ text.",
        "<p>1. Not a list</p><p># Not a heading</p><p>- Not an item</p><p>&gt; Not a quote</p>",
        "<p>" + " ".join(["word"] * 20) + " - + 1. ## === *** " + " ".join(["word"] * 20) + "</p>",
        "Backslash \\ and &amp;copy; stay as written; <script>alert(1)</script>gone.",
    ],
    ids=["inline-marks", "block-starts", "wrapped-block-starts", "backslash-entities-script"],
)
def test_text_stays_text_through_markdown(run, project, text):
    (project / "t.json").write_text(
        json.dumps({"events": [{"start_date": {"year": 2020}, "text": {"headline": "H", "text": text}}]}),
        encoding="utf-8",
    )
    assert run(["import", "t.json"], cwd=project).code == 0
    summary = load_document(project / "content/events/2020-h.yaml").data["summary"]
    assert _plain(str(render_markdown(summary))) == _plain(text)


def test_links_become_sources_once_each(run, project):
    text = (
        'See <a href="https://www.example.org/x">the <b>report</b></a>, <a href="https://www.example.org/x">again</a>, '
        '<a href="https://other.example/y">another report</a>, <a href="javascript:alert(1)">bad</a> and <a href="/relative">here</a>.'
    )
    (project / "t.json").write_text(
        json.dumps({"events": [{"start_date": {"year": 2020}, "text": {"headline": "Links", "text": text}}]}),
        encoding="utf-8",
    )
    result = run(["import", "t.json"], cwd=project)
    assert result.code == 0
    assert result.err.splitlines()[:2] == [
        "t.json: events[0] (Links): link not made a source: javascript:alert(1) is not an http or https address",
        "t.json: events[0] (Links): link not made a source: /relative is not an http or https address",
    ]
    data = load_document(project / "content/events/2020-links.yaml").data
    assert data["summary"] == (
        "See [the **report**](https://www.example.org/x) [@the-report], [again](https://www.example.org/x) [@the-report], "
        "[another report](https://other.example/y) [@another-report], bad and here."
    )
    assert data["sources"] == [
        {"id": "the-report", "title": "the report", "publisher": "example.org", "url": "https://www.example.org/x"},
        {
            "id": "another-report",
            "title": "another report",
            "publisher": "other.example",
            "url": "https://other.example/y",
        },
    ]


def test_characters_yaml_cannot_hold_never_reach_a_file(run, project):
    odd = "a\x07b\x85c\x9bd\ud800e\ufeff"
    slide = {
        "start_date": {"year": 2020},
        "text": {"headline": f"Head{odd}", "text": f'<a href="https://example.org/\x9b">{odd}</a> {odd}'},
        "media": {"caption": odd},
        "group": odd,
    }
    (project / "odd.json").write_text(json.dumps({"events": [slide]}), encoding="utf-8")
    result = run(["import", "odd.json"], cwd=project)
    assert result.code == 0, result.err
    text = (project / "content/events/2020-heada-b-c-d-e.yaml").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff]", text)
    data = load_document(project / "content/events/2020-heada-b-c-d-e.yaml").data
    assert (data["title"], data["summary"]) == (
        "Heada b c d e",
        "[a b c d e](https://example.org/) [@a-b-c-d-e] a b c d e",
    )


# --- Round trip: import TimelineJS's own examples, export, compare ---------------


@pytest.mark.parametrize("example", EVENT_FILES, ids=list(EVENT_FILES))
def test_import_then_export_round_trips_dates_titles_and_text(run, project, example):
    """Import then export gives back each slide's dates (at their precision), headline and text.

    The files lack sources where TimelineJS had none, so the timeline is built
    in memory from the files as the loader reads them, with a stand-in source.
    """
    assert run(["import", example], cwd=project).code == 0
    events = []
    for path in sorted((project / "content/events").glob("*.yaml")):
        data = load_document(path).data
        sources = tuple(
            Source(
                number,
                item["title"] or "stand-in",
                item["publisher"] or "stand-in",
                item["url"] or "https://example.invalid/",
                id=item["id"],
            )
            for number, item in enumerate(data["sources"], 1)
        )
        end = data.get("end_date")
        events.append(
            Event(
                path.stem,
                path,
                PartialDate.parse(data["date"]),
                data["title"],
                data["summary"],
                sources,
                PartialDate.parse(end) if end else None,
            )
        )
    timeline = Timeline("T", "D", "en", (), tuple(sorted(events, key=lambda event: event.sort_key)))
    exported = [
        (
            slide["start_date"],
            slide.get("end_date"),
            slide["text"]["headline"],
            _without_citations(slide["text"]["text"]),
        )
        for slide in timelinejs_export(timeline)["events"]
    ]
    original = [(start, end, headline, text) for start, end, headline, text in _original_slides(EXAMPLES / example)]
    assert sorted(map(_comparable, exported)) == sorted(map(_comparable, original))


def _original_slides(path: Path):
    """(start, end, headline, text) of every event slide, read without the importer: dates as TimelineJS's parts."""
    if path.suffix == ".json":
        slides = [
            (event["start_date"], event.get("end_date"), event["text"]["headline"], event["text"]["text"])
            for event in json.loads(path.read_text(encoding="utf-8"))["events"]
        ]
    else:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines(keepends=True)))
        slides = [
            (
                {"year": row["Year"], "month": row["Month"], "day": row["Day"]},
                {"year": row["End Year"], "month": row["End Month"], "day": row["End Day"]},
                row["Headline"],
                row["Text"],
            )
            for row in rows
            if row["Year"] and row["Type"] not in ("title", "era")
        ]
    yield from slides


def _comparable(slide: tuple) -> tuple:
    start, end, headline, text = slide
    return (
        _parts(start),
        _parts(end) if end and str(end.get("year", "")).strip() else None,
        _plain(headline),
        _plain(text),
    )


def _parts(date: dict) -> tuple[int, ...]:
    """A date's year, month and day as numbers, without the parts it lacks."""
    return tuple(int(date[part]) for part in ("year", "month", "day") if str(date.get(part, "")).strip())


def _without_citations(text: str) -> str:
    """The exported text without what the export adds: the [n] links and the list of sources."""
    summary = re.split(r"\n?<p>Sources:</p>", text)[0]  # an empty summary leaves no line before it
    return re.sub(r'<a href="[^"]*" rel="noopener noreferrer">\[\d+\]</a>', "", summary)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = False

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden = tag == "script"
        self.parts.append(" " if tag in ("p", "br", "li", "blockquote", "div") else "")

    def handle_endtag(self, tag) -> None:
        self.hidden = False
        self.parts.append(" " if tag in ("p", "br", "li", "blockquote", "div") else "")

    def handle_data(self, data) -> None:
        if not self.hidden:
            self.parts.append(data)


def _plain(markup: str) -> str:
    """What a reader sees of some HTML, on one line."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return " ".join(html.unescape("".join(parser.parts)).split())


# --- What each slide keeps: one feature at a time ------------------------------------


def _import_json(run, project: Path, events: list[dict], *options: str, **top) -> tuple:
    (project / "t.json").write_text(json.dumps({"events": events, **top}), encoding="utf-8")
    result = run(["import", "t.json", *options], cwd=project)
    return result, _events(project)


def _slide(headline: str = "H", start: dict | None = None, **more) -> dict:
    return {"start_date": start or {"year": 2020}, "text": {"headline": headline, "text": "Words."}, **more}


def test_a_bad_slide_is_reported_and_the_others_are_written(run, project):
    """A year -500 is a year (500 BC); a slide that cannot be read is reported with its field, and blocks nothing."""
    sheet = (
        "Year,Month,Day,Time,End Year,Headline\n2020,13,,,,Thirteenth\n2021,2,30,,,Leap\n-500,,,,,Ancient\n"
        "2020,,5,,,Dayless\n2022,,,,2021,Backwards\nMMXX,,,,,Roman\n0,,,,,Zero\n2020,6,1,25:00,,Late\n1950,6,,,,Fine\n"
    )
    (project / "dates.csv").write_text(sheet, encoding="utf-8")
    result = run(["import", "dates.csv"], cwd=project)
    assert result.code == 1
    assert result.out == "content/events/0500-bc-ancient.yaml\ncontent/events/1950-06-fine.yaml\n"
    assert result.err.splitlines() == [
        "dates.csv:2: error: row 2 (Thirteenth): Month: '13' is not a month from 1 to 12",
        "dates.csv:3: error: row 3 (Leap): Day: '2021-02-30' is not a real date: February 2021 has 28 days",
        "dates.csv:4: row 4 (Ancient): fill in a summary and a source in content/events/0500-bc-ancient.yaml; `timeline check` fails until then",
        "dates.csv:5: error: row 5 (Dayless): Day: a day (5) without a month; write the month too, or leave the day empty",
        "dates.csv:6: error: row 6 (Backwards): the end 2021 is before the start 2022",
        "dates.csv:7: error: row 7 (Roman): Year: 'MMXX' is not a year",
        "dates.csv:8: error: row 8 (Zero): Year: there is no year 0: 1 BC is -1, AD 1 is 1",
        "dates.csv:9: error: row 9 (Late): Time: '25:00' is not a time of day: hours run 0 to 23, minutes and seconds 0 to 59",
        "dates.csv:10: row 10 (Fine): fill in a summary and a source in content/events/1950-06-fine.yaml; `timeline check` fails until then",
        "2 event files written into content/events; 2 need filling in before `timeline check` passes; 7 slides not imported (see above)",
    ]
    assert "\ndate: '-0500'\n" in _events(project)["0500-bc-ancient.yaml"]

    result, _ = _import_json(
        run, project, [{"start_date": {"year": 2020}, "text": {"headline": ["x"]}}, 7, _slide("Fine JSON")]
    )
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        't.json: error: events[0]: text.headline: expected text or a number, got ["x"]',
        "t.json: error: events[1]: expected a slide object, got 7",
    ]
    assert result.out == "content/events/2020-fine-json.yaml\n"


@pytest.mark.parametrize(
    ("start", "options", "expected", "report"),
    [
        ({"year": 2020, "month": 7, "day": 9, "hour": 14, "minute": 30}, ["--timezone", "Europe/London"], "2020-07-09T14:30+01:00", None),
        ({"year": 2020, "month": 1, "day": 9, "hour": 14, "minute": 30}, ["--timezone", "Europe/London"], "2020-01-09T14:30+00:00", None),
        ({"year": 2020, "month": 7, "day": 9, "hour": 9, "minute": 5, "second": 7}, ["--timezone", "UTC"], "2020-07-09T09:05:07Z", None),
        ({"year": 2020, "month": 7, "day": 9, "hour": 9}, ["--timezone=-05:00"], "2020-07-09T09:00-05:00", None),
        (
            {"year": 2020, "month": 7, "day": 9, "hour": 14, "minute": 30}, [], "2020-07-09",
            "time of day not imported: start_date.hour 14:30 (TimelineJS gives no time zone: import again with "
            "--timezone (e.g. --timezone Europe/Paris, or UTC) to keep it)",
        ),
        (
            {"year": 2020, "month": 7, "hour": 14}, ["--timezone", "UTC"], "2020-07",
            "time of day not imported: start_date.hour 14:0 (a time needs a day, and this date has none)",
        ),
        ({"year": -44, "month": 3, "day": 15}, [], "-0044-03-15", None),
        ({"year": "-12000"}, [], "-12000", None),
    ],
    ids=["summer-time", "winter", "seconds-utc", "offset", "no-zone", "no-day", "ides-of-march", "long-ago"],
)  # fmt: skip
def test_times_and_years_before_the_common_era(run, project, start, options, expected, report):
    result, events = _import_json(run, project, [_slide(start=start)], *options)
    (text,) = events.values()
    assert f"\ndate: '{expected}'\n" in text
    if report:
        assert f"t.json: events[0] (H): {report}" in result.err.splitlines()
        assert "#   start time of day: " in text  # kept in the file, for the author to finish
    else:
        assert "time of day not imported" not in result.err


def test_spreadsheet_times_are_read_as_timelinejs_reads_them(run, project):
    sheet = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Headline\n2020,7,9,2:30 PM,2020,7,9,1530,Talk\n"
    (project / "times.csv").write_text(sheet, encoding="utf-8")
    assert run(["import", "times.csv", "--timezone", "+02:00"], cwd=project).code == 0
    text = _events(project)["2020-07-09-talk.yaml"]
    assert "\ndate: '2020-07-09T14:30+02:00'\nend_date: '2020-07-09T15:30+02:00'\n" in text


def test_display_dates_are_kept(run, project):
    slides = [
        _slide("Slide", {"year": 1995, "month": 7}, display_date="Mid-1995"),
        _slide("Start", {"year": 1995, "display_date": "Spring"}, end_date={"year": 1996, "display_date": "Winter"}),
    ]
    _, events = _import_json(run, project, slides)
    assert '\ndisplay_date: "Mid-1995"\n' in events["1995-07-slide.yaml"]
    assert '\ndisplay_date: "Spring – Winter"\n' in events["1995-start.yaml"]


def test_formatting_becomes_markdown(run, project):
    text = (
        "<p>An <em>emphasised</em> word, <strong>strong</strong> ones and <code>code()</code>.</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><p>Line<br>break, <a href='https://example.org/r'>a link</a>.</p>"
        "<img src='https://tracker.example/x.png' alt='A pixel'><iframe src='https://ads.example/'>frame</iframe>"
    )
    _import_json(run, project, [{"start_date": {"year": 2020}, "text": {"headline": "F", "text": text}}])
    summary = load_document(project / "content/events/2020-f.yaml").data["summary"]
    assert summary == (
        "An *emphasised* word, **strong** ones and `code()`.\n\n- one\n- two\n\n1. first\n\n"
        "Line\\\nbreak, [a link](https://example.org/r) [@a-link].\n\nA pixel"
    )
    html = str(render_markdown(summary))
    for kept in (
        "<em>emphasised</em>",
        "<strong>strong</strong>",
        "<code>code()</code>",
        "<li>one</li>",
        "<ol>",
        "<br",
    ):
        assert kept in html
    assert "tracker.example" not in html and "ads.example" not in html  # nothing loads from elsewhere


def test_slides_of_one_date_keep_the_files_order(run, project):
    slides = [
        _slide("Zebra", {"year": 2021, "month": 3, "day": 1}),
        _slide("Apple", {"year": 2021, "month": 3, "day": 1}),
        _slide("Alone"),
    ]
    _, events = _import_json(run, project, slides)
    assert "\norder: 1  # " in events["2021-03-01-zebra.yaml"]  # first in the file: first on the page, though Z > A
    assert "\norder: 2  # " in events["2021-03-01-apple.yaml"]
    assert "\norder:" not in events["2020-alone.yaml"]


def test_media_items_keep_credit_caption_and_kind(run, project):
    slides = [
        _slide(
            "Video",
            media={
                "url": "https://youtu.be/abc",
                "credit": "<a href='https://x.example'>Maker</a>",
                "caption": "A <em>good</em> one",
                "thumbnail": "https://x.example/t.jpg",
            },
        ),
        _slide("Picture", media={"url": "//upload.wikimedia.org/p.jpg", "alt": "A face", "credit": "Jane / CC BY"}),
        _slide("Quote", media={"url": "<blockquote>Words said.</blockquote>", "credit": "Someone"}),
        _slide("Map", media={"url": "https://www.google.com/maps/place/X/@1,2,17z"}),
        _slide("Bad", media={"url": "javascript:alert(1)"}),
        _slide(
            "Tweet",
            media={
                "url": '<blockquote class="twitter-tweet"><p>Hi</p>&mdash; A (@a) '
                '<a href="https://twitter.com/a/status/1">May 1, 2020</a></blockquote><script src="https://platform.twitter.com/widgets.js"></script>'
            },
        ),
    ]
    result, events = _import_json(run, project, slides)
    data = {name: load_document(project / "content/events" / name).data.get("media") for name in events}
    assert data["2020-video.yaml"] == [
        {"url": "https://youtu.be/abc", "kind": "video", "credit": "Maker", "caption": "A *good* one"}
    ]
    assert data["2020-picture.yaml"] == [
        {"url": "https://upload.wikimedia.org/p.jpg", "kind": "image", "alt": "A face", "credit": "Jane / CC BY"}
    ]
    assert data["2020-quote.yaml"] == [{"quote": "Words said.", "credit": "Someone"}]
    assert data["2020-map.yaml"] == [{"url": "https://www.google.com/maps/place/X/@1,2,17z", "kind": "map"}]
    assert data["2020-bad.yaml"] is None
    assert data["2020-tweet.yaml"] == [{"url": "https://twitter.com/a/status/1", "kind": "post"}]  # nothing embedded
    assert (
        "t.json: events[4] (Bad): media not imported: javascript:alert(1) is not a web address: only http:// and https:// links can be cited"
        in result.err
    )
    assert (
        "t.json: events[0] (Video): media thumbnail not imported: https://x.example/t.jpg (a card's poster is a picture in the project: save it in content/media and add it as poster:)"
        in result.err
    )


def test_the_title_slide_eras_and_groups_go_into_timeline_yaml(run, project, tmp_path):
    data = {
        "title": {
            "text": {"headline": "My <i>story</i>", "text": "<p>It <em>begins</em>.</p><p>And goes on.</p>"},
            "media": {"url": "https://example.org/cover.jpg", "alt": "The cover", "credit": "Me"},
        },
        "eras": [
            {
                "start_date": {"year": -600},
                "end_date": {"year": -400},
                "text": {"headline": "Classical", "text": "Old."},
            },
            {"start_date": {"year": 1900}, "text": {"headline": "Endless"}},
        ],
        "events": [
            _slide("One", group="United Kingdom"),
            _slide("Two", group="France"),
            _slide("Three", group="United Kingdom"),
        ],
    }
    (tmp_path / "story.json").write_text(json.dumps(data), encoding="utf-8")
    result = run(["init", "story", "--from", "story.json"], cwd=tmp_path)
    assert result.code == 1, result.err  # the era without an end is not imported
    assert (
        "story.json: error: eras[1] (Endless): an era needs an end date: TimelineJS does not show it either"
        in result.err
    )
    settings = (tmp_path / "story/content/timeline.yaml").read_text(encoding="utf-8")
    assert 'title: "My story"\ndescription: "It begins. And goes on."\n' in settings
    assert settings.endswith("""
# Imported by `timeline import` from story.json.
# The title slide's text, shown under the title.
intro: |-
  It *begins*.

  And goes on.
# The title slide's media.
media:
  - url: "https://example.org/cover.jpg"
    kind: image
    alt: "The cover"
    credit: "Me"
# Named periods, drawn as bands on the overview.
eras:
  - label: "Classical"
    start: '-0600'
    end: '-0400'
    description: "Old."
# The lanes events belong to (an event's `group`).
groups:
  - key: united-kingdom
    label: "United Kingdom"
  - key: france
    label: "France"
""")
    events = {
        path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "story/content/events").glob("*.yaml")
    }
    assert "\ngroup: united-kingdom\n" in events["2020-one.yaml"] and "\ngroup: france\n" in events["2020-two.yaml"]


def test_groups_already_declared_are_used_and_missing_ones_named(run, project):
    edit(project, "content/timeline.yaml", "tags:\n", "groups:\n  - key: fr\n    label: France\ntags:\n")
    result, events = _import_json(run, project, [_slide("A", group="France"), _slide("B", group="Spain")])
    assert "\ngroup: fr\n" in events["2020-a.yaml"] and "\ngroup: spain\n" in events["2020-b.yaml"]
    assert (
        "content/timeline.yaml: its groups lack 'spain': add `- {key: spain, label: \"Spain\"}` to them; "
        "`timeline check` fails until then" in result.err
    )


def test_init_starts_nothing_when_no_slide_can_be_imported(run, tmp_path):
    (tmp_path / "bad.csv").write_text("Year,Headline\n0,Zero\n2020-05,Dashed\n", encoding="utf-8")
    result = run(["init", "project", "--from", "bad.csv"], cwd=tmp_path)
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        "bad.csv:2: error: row 2 (Zero): Year: there is no year 0: 1 BC is -1, AD 1 is 1\n"
        "bad.csv:3: error: row 3 (Dashed): Year: '2020-05' is not a year\n"
        "nothing written: bad.csv cannot be imported\n"
    )
    assert not (tmp_path / "project").exists()
