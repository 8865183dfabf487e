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
from conftest import timelinejs_export

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
    assert report[0] == (
        "women_in_computing.csv:2: row 2 (Women in Computing): the title slide is not an event: `timeline init DIR "
        "--from FILE` makes it a new timeline's title and description; in an existing timeline they are in "
        "content/timeline.yaml"
    )
    for line in (
        "women_in_computing.csv:3: row 3 (Ada Lovelace): media credit not imported: Wikimedia Commons",
        "women_in_computing.csv:4: row 4 (Edith Clarke: Bucking the Trend): media not imported: "
        "<blockquote>There is no demand for women engineers, as such, as there are for w…",
        "women_in_computing.csv:4: row 4 (Edith Clarke: Bucking the Trend): fill in a summary and a source in "
        "content/events/1948-03-14-edith-clarke-bucking-the-trend.yaml; `timeline check` fails until then",
        "women_in_computing.csv:5: row 5 (...And the women who made it work): background not imported: "
        "https://upload.wikimedia.org/wikipedia/commons/c/cd/ARL_ENIAC_02.png",
        # A cell with a line break: row 6 of the sheet starts on line 7 of the file.
        "women_in_computing.csv:7: row 6 (The First Computer): fill in a source in "
        "content/events/1943-06-05-the-first-computer.yaml; `timeline check` fails until then",
    ):
        assert line in report
    assert not any("row 3 (Ada Lovelace): fill in" in line for line in report)  # its links are its sources
    assert report[-1] == "10 event files written into content/events; 9 need filling in before `timeline check` passes"

    events = _events(project)
    assert (
        _body(events["1815-12-10-ada-lovelace.yaml"])
        == """\
# Imported by `timeline import` from women_in_computing.csv, row 3.
# Not imported (an event file has no place for them):
#   media: https://upload.wikimedia.org/wikipedia/commons/thumb/a/a4/Ada_Lovelace_portrait.jpg/713px-Ada_Lovelace_portrait.jpg
#   media credit: Wikimedia Commons
#   media caption: <a href="https://en.wikipedia.org/wiki/Ada_Lovelace#/media/File:Ada_Lovelace_portrait.jpg" title="">Portrait by Alfred Edward Chalon</a>
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
#   media: https://www.youtube.com/watch?v=aPweFhhXFvY
#   media credit: <a href="https://www.youtube.com/channel/UCHDr4RtxwA1KqKGwxgdK4Vg">Computer History Museum</a>
#   media caption: Jean Bartik talks about the ENIAC women
#   background: https://upload.wikimedia.org/wikipedia/commons/c/cd/ARL_ENIAC_02.png
date: '1943-07'
end_date: '1946'
title: "...And the women who made it work"
""")
    assert _body(events["1948-03-14-edith-clarke-bucking-the-trend.yaml"]).endswith("""\
date: '1948-03-14'
title: "Edith Clarke: Bucking the Trend"
summary: ""  # TimelineJS had no text: write a few sentences, citing a source as [@its-id]
sources:
  # TimelineJS gave no source: fill this in and cite it in the summary as [@source].
  # `timeline check` fails until you do.
  - id: source
    title: ""
    publisher: ""
    url: ""
""")


def test_the_json_is_imported(run, project):
    result = run(["import", "eras.json"], cwd=project)
    assert result.code == 0, result.err
    report = result.err.splitlines()
    assert report[:4] == [
        "eras.json: title (Eras Test): the title slide is not an event: `timeline init DIR --from FILE` makes it a new timeline's title and description; in an existing timeline they are in content/timeline.yaml",
        "eras.json: eras[0] (Era Test 650-700): era not imported (eras have no place in this timeline)",
        "eras.json: eras[1] (Era Test 600-650): era not imported (eras have no place in this timeline)",
        "eras.json: eras[2] (Era Test 700-720): era not imported (eras have no place in this timeline)",
    ]
    assert report[4:7] == [
        "eras.json: events[0] (Last great Roman-Persian War.): media not imported: https://en.wikipedia.org/wiki/Roman-Persian_Wars",
        "eras.json: events[0] (Last great Roman-Persian War.): background opacity not imported: 50",
        "eras.json: events[0] (Last great Roman-Persian War.): background url not imported: "
        "https://upload.wikimedia.org/wikipedia/commons/a/a2/HumiliationValerianusHolbei…",
    ]
    events = _events(project)
    assert len(events) == 20
    # Years before 1000 are written with four digits; two slides of one day keep their own names.
    assert {
        "0602-last-great-roman-persian-war.yaml",
        "0632-06-08-death-of-muhammed.yaml",
        "0632-06-08-accession-of-abu-bakr-as-first-caliph.yaml",
    } <= set(events)
    assert (
        _body(events["0627-12-12-battle-of-nineveh.yaml"]).split("sources:")[0]
        == """\
# Imported by `timeline import` from eras.json, events[4].
# Not imported (an event file has no place for them):
#   media: https://en.wikipedia.org/wiki/Battle_of_Nineveh_(627)
#   background url: https://upload.wikimedia.org/wikipedia/commons/thumb/9/93/Piero_della_Francesca_021.jpg/1024px-Piero_della_Francesca_021.jpg
date: '0627-12-12'
title: "Battle of Nineveh"
summary: >-
  The Byzantines, under Heraclius, crush the Persians.
"""
    )

    result = run(["import", "houston.json"], cwd=project)
    assert result.code == 0, result.err
    events = _events(project)
    # <br/> in a headline is a space; <i> in the text is dropped, its words kept.
    assert 'title: "Whitney Houston 1963-2012"\n' in events["2012-02-11-whitney-houston-1963-2012.yaml"]
    assert "remade for the Bodyguard soundtrack" in events["1978-the-early-years.yaml"]
    assert (
        "houston.json: events[0] (A Musical Heritage): media not imported: /static/img/examples/houston/family.jpg"
        in result.err
    )


@pytest.mark.parametrize("example", EVENT_FILES, ids=list(EVENT_FILES))
def test_imported_files_fail_check_only_for_what_timelinejs_lacks(run, project, example):
    assert run(["import", example], cwd=project).code == 0
    result = run(["check"], cwd=project)
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    placeholders = re.compile(r"content/events/[^:]+:\d+:\d+: error: (sources\[0\]\.(title|publisher|url)|summary): ")
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
            "types.json",
            '{"events": [{"start_date": {"year": 2020}, "text": {"headline": ["x"]}}, 7]}',
            'types.json: error: events[0].text.headline: expected text or a number, got ["x"]\n'
            "types.json: error: events[1]: expected a slide object, got 7",
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
        (
            "dates.csv",
            "Year,Month,Day,End Year,Headline\n2020,13,,,Thirteenth\n2021,2,30,,Leap\n-500,,,,Ancient\n2020,,5,,Dayless\n"
            "2022,,,2021,Backwards\nMMXX,,,,Roman\n2020,6,,,Fine\n",
            "dates.csv:2: error: row 2 (Thirteenth): Month: '13' is not a month from 1 to 12\n"
            "dates.csv:3: error: row 3 (Leap): Day: '2021-02-30' is not a real date: February 2021 has 28 days\n"
            "dates.csv:4: error: row 4 (Ancient): Year: year -500 is before year 1, which a date here cannot be (YYYY from 0001 to 9999)\n"
            "dates.csv:5: error: row 5 (Dayless): Day: a day (5) without a month; write the month too, or leave the day empty\n"
            "dates.csv:6: error: row 6 (Backwards): the end 2021 is before the start 2022\n"
            "dates.csv:7: error: row 7 (Roman): Year: 'MMXX' is not a year",
        ),
        (
            "dates.json",
            '{"events": [{"start_date": {"year": "2020", "month": "5", "day": "32"}}]}',
            "dates.json: error: events[0]: start_date.day: '2020-05-32' is not a real date: May 2020 has 31 days",
        ),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "wrong-types",
        "not-a-sheet",
        "unclosed-quote",
        "duplicate-column",
        "empty",
        "not-utf8",
        "missing",
        "bad-dates",
        "bad-json-date",
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
    assert "usage: timeline import [-h] [--content DIR] FILE" in result.out


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
        "sheet.csv:2: row 2 (Founded): time of day not imported: 10:30",
        "sheet.csv:2: row 2 (Founded): display date not imported: Summer 2020",
        "sheet.csv:2: row 2 (Founded): media not imported: pic.jpg",
        "sheet.csv:2: row 2 (Founded): group not imported (tags come from the vocabulary in timeline.yaml; kept as a comment): Business",
        "sheet.csv:3: row 3 (Title): the title slide is not an event: `timeline init DIR --from FILE` makes it a new timeline's title and description; in an existing timeline they are in content/timeline.yaml",
        "sheet.csv:4: row 4 (An era): era not imported (eras have no place in this timeline)",
        "sheet.csv:6: row 6 (Undated): not imported: no Year (TimelineJS does not show it either)",
        "1 event file written into elsewhere/events",
    ]
    text = (project / "elsewhere/events/2020-07-07-founded.yaml").read_text(encoding="utf-8")
    assert (
        _body(text)
        == """\
# Imported by `timeline import` from sheet.csv, row 2.
# Not imported (an event file has no place for them):
#   time of day: 10:30
#   display date: Summer 2020
#   media: pic.jpg
# TimelineJS group: Business (to tag the event, use keys from content/timeline.yaml)
date: '2020-07-07'
title: "Founded"
summary: >-
  Opened its [first office](<https://example.org/a_(b)>) [@first-office].
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
        "See [the report](https://www.example.org/x) [@the-report], [again](https://www.example.org/x) [@the-report], "
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
    assert "link not made a source: https://example.org/ contains control characters" in result.err
    data = load_document(project / "content/events/2020-heada-b-c-d-e.yaml").data
    assert (data["title"], data["summary"]) == ("Heada b c d e", "a b c d e a b c d e")


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
