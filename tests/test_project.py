"""Anyone's timeline: `init` starts one, `new` and `import` find it, and its own fields are checked and shown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WOMEN_IN_COMPUTING = ROOT / "tests/interop/timelinejs/women_in_computing.csv"
REGULATORS = re.compile(r"regulat|notice|judgment|authorit|jurisdiction", re.IGNORECASE)


def _files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "site" not in path.relative_to(folder).parts
    }


def test_init_starts_a_timeline_that_checks_and_builds_at_once(run, tmp_path):
    result = run(["init", "history", "--title", "A history of computing"], cwd=tmp_path)
    assert result.code == 0, result.err
    project = tmp_path / "history"
    files = _files(project)
    events = [name for name in files if name.startswith("content/events/")]
    assert len(events) == 1 and re.fullmatch(
        r"content/events/\d{4}-\d\d-\d\d-this-timeline-was-started\.yaml", events[0]
    )
    assert set(files) - set(events) == {
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "README.md",
        "requirements.txt",
        "content/timeline.yaml",
        "schemas/event.schema.json",
        "schemas/timeline.schema.json",
    }
    assert 'title: "A history of computing"' in files["content/timeline.yaml"]
    assert "\non:\n  pull_request:\n" in files[".github/workflows/check.yml"]
    assert "\n  pull_request_target:" not in files[".github/workflows/check.yml"], "a pull request is untrusted"
    checked = run(["check"], cwd=project)
    assert (checked.code, checked.err) == (0, ""), checked.err
    built = run(["build"], cwd=project)
    assert built.code == 0, built.err
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert ">A history of computing</a></h1>" in index
    assert '<dl class="facts">' not in index, "a timeline that declares no field shows none"
    assert 'name="authority"' not in index and "data-field" not in index


def test_no_file_init_new_or_import_writes_names_a_path_outside_the_project(run, tmp_path):
    assert run(["init", "wic", "--from", str(WOMEN_IN_COMPUTING)], cwd=tmp_path).code == 0
    project = tmp_path / "wic"
    assert run(["new", "Grace Hopper's compiler", "--date", "1952"], cwd=project / "content/events").code == 0
    for name, text in _files(project).items():
        for line in text.splitlines():
            assert str(tmp_path) not in line and "site-packages" not in line, f"{name}: {line}"
        if name.endswith(".yaml"):
            depth = name.count("/")
            assert text.startswith(f"# yaml-language-server: $schema={'../' * depth}schemas/"), name


def test_init_from_a_timelinejs_sheet_takes_its_title_and_its_events(run, tmp_path):
    result = run(["init", "wic", "--from", str(WOMEN_IN_COMPUTING)], cwd=tmp_path)
    assert result.code == 0, result.err
    settings = (tmp_path / "wic/content/timeline.yaml").read_text(encoding="utf-8")
    assert 'title: "Women in Computing"' in settings
    assert "walk you through what TimelineJS can do" in settings
    assert len(list((tmp_path / "wic/content/events").glob("*.yaml"))) == 10
    checked = run(["check"], cwd=tmp_path / "wic")
    assert checked.code == 1
    assert not REGULATORS.search(checked.err), "messages speak of timelines in general"
    # The errors are the sources the sheet never had, the alt text of a picture it gave none, and nothing else.
    errors = [line for line in checked.err.splitlines() if ": error: " in line]
    assert errors and all(
        re.search(r": error: (sources\[0\]\.(title|publisher|url)|summary|media\[0\](\.alt)?): ", e) for e in errors
    )


def test_init_never_overwrites_and_refuses_inside_a_project(run, tmp_path, sample_site):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/README.md").write_text("my notes", encoding="utf-8")
    result = run(["init", "mine", "--title", "T"], cwd=tmp_path)
    assert result.code == 2
    assert "already has README.md: `init` never overwrites a file" in result.err
    assert sorted(path.name for path in (tmp_path / "mine").iterdir()) == ["README.md"], "nothing written"
    project = sample_site()
    inside = run(["init", "sub", "--title", "T"], cwd=project / "content")
    assert inside.code == 2
    assert "is already a timeline project" in inside.err


def test_new_and_import_find_the_project_or_say_how_to_start_one(run, tmp_path, sample_site):
    nowhere = run(["new", "An event", "--date", "2020"], cwd=tmp_path)
    assert nowhere.code == 2
    assert "no timeline here" in nowhere.err and "timeline init DIR" in nowhere.err
    project = sample_site()
    found = run(["new", "An event", "--date", "2020"], cwd=project / "content/events")
    assert found.code == 0, found.err
    assert (project / "content/events/2020-an-event.yaml").is_file()


def test_import_will_not_mix_a_timeline_into_the_worked_example(run):
    result = run(["import", str(WOMEN_IN_COMPUTING)], cwd=ROOT)
    assert result.code == 2
    assert "timeline's own worked example" in result.err
    assert "timeline init DIR --from" in result.err


# --- fields a timeline declares ------------------------------------------------------------------

STAGE = """fields:
  - name: stage
    label: Stage
    type: choice
    filter: true
    choices:
      - {value: prototype, label: Prototype}
      - {value: product, label: Product}
  - name: inventor
    label: Inventor
    type: text
  - name: units
    label: Units sold
    type: number
  - name: follows
    label: Follows
    type: event
  - name: shown
    label: First shown
    type: date
  - name: archive
    label: Archive
    type: url
"""


@pytest.fixture
def history(run, tmp_path) -> Path:
    assert run(["init", "history", "--title", "A history of computing"], cwd=tmp_path).code == 0
    project = tmp_path / "history"
    event = next((project / "content/events").glob("*.yaml"))
    text = re.sub(r"date: '[0-9-]+'", "date: '2020'", event.read_text(encoding="utf-8"))
    (project / "content/events/2020-started.yaml").write_text(text, encoding="utf-8")
    event.unlink()
    return project


def _add_event(project: Path, extra: str) -> None:
    (project / "content/events/1971-first-email.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/event.schema.json\n"
        "date: '1971'\ntitle: The first email\nsummary: Sent [@s].\ntags: [example]\n" + extra + "sources:\n"
        "  - {id: s, title: T, publisher: P, url: 'https://example.org/', kind: primary, "
        "archive_url: 'https://web.archive.org/web/2024/https://example.org/'}\n",
        encoding="utf-8",
    )


def _declare(project: Path, fields: str) -> None:
    settings = project / "content/timeline.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("\ntags:\n", f"\n{fields}tags:\n"), "utf-8")


def test_an_undeclared_field_is_an_error_listing_the_fields(run, history):
    _add_event(history, "stage: product\n")
    result = run(["check"], cwd=history)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/events/1971-first-email.yaml:6:1: error: stage: unknown field 'stage' (did you mean 'tags'?); "
        "fields allowed here: "
        "body, date, display_date, end_date, group, media, order, related, sources, summary, supersedes, tags, title"
    )


def test_a_declared_field_is_checked_shown_filtered_and_exported(run, history):
    _declare(history, STAGE)
    assert run(["schemas"], cwd=history).code == 0
    _add_event(history, "stage: prodcut\n")
    wrong = run(["check"], cwd=history)
    assert wrong.err.splitlines()[0] == (
        "content/events/1971-first-email.yaml:6:8: error: stage: 'prodcut' is not a known stage "
        "(did you mean 'product'?); use one of: prototype, product"
    )
    _add_event(
        history,
        "stage: product\ninventor: Ray Tomlinson\nunits: 1234567\nfollows: 2020-started\nshown: 1972-03\n"
        "archive: https://example.org/email\n",
    )
    checked = run(["check"], cwd=history)
    assert (checked.code, checked.err) == (0, ""), checked.err
    assert run(["build"], cwd=history).code == 0
    page = (history / "site/events/1971-first-email/index.html").read_text(encoding="utf-8")
    assert '<div><dt>Stage</dt><dd class="stage stage-product">Product</dd></div>' in page
    assert "<div><dt>Inventor</dt><dd>Ray Tomlinson</dd></div>" in page
    assert "<div><dt>Units sold</dt><dd>1,234,567</dd></div>" in page
    assert '<dd><a href="../../events/2020-started/">This timeline was started</a></dd>' in page
    assert '<div><dt>First shown</dt><dd><time datetime="1972-03">March 1972</time></dd></div>' in page
    assert (
        '<dd><a href="https://example.org/email" rel="noopener noreferrer">https://example.org/email</a></dd>' in page
    )
    index = (history / "site/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<select id="filter-stage" name="stage" data-field>\s*<option value="">All</option>\s*'
        r'<option value="product">Product</option>\s*</select>',
        index,
    ), "only the values some event has are offered"
    assert 'data-field-stage="product"' in index
    data = json.loads((history / "site/timeline.json").read_text(encoding="utf-8"))
    first = next(event for event in data["events"] if event["id"] == "1971-first-email")
    assert first["fields"] == {
        "stage": "product",
        "inventor": "Ray Tomlinson",
        "units": 1234567,
        "follows": "2020-started",
        "shown": "1972-03",
        "archive": "https://example.org/email",
    }
    exported = json.loads((history / "site/timelinejs.json").read_text(encoding="utf-8"))
    slide = next(event for event in exported["events"] if event["unique_id"] == "1971-first-email")
    assert "<li><strong>Stage:</strong> Product</li>" in slide["text"]["text"]
    assert "<li><strong>Follows:</strong> This timeline was started</li>" in slide["text"]["text"]
    assert "<li><strong>First shown:</strong> March 1972</li>" in slide["text"]["text"]
    feed_site = run(["build", "--base-url", "https://example.org/h/", "--out", "published"], cwd=history)
    assert feed_site.code == 0, feed_site.err
    feed = (history / "published/feed.xml").read_text(encoding="utf-8")
    assert 'term="product" label="Stage: Product"' in feed, "a field readers filter by is a category"
    assert "Inventor" not in feed, "the others are not"


def test_a_link_to_an_event_that_does_not_exist_is_an_error(run, history):
    _declare(history, STAGE)
    _add_event(history, "follows: 2020-startd\n")
    assert run(["check"], cwd=history).err.splitlines()[0] == (
        "content/events/1971-first-email.yaml:6:10: error: follows: no event has the id '2020-startd' "
        "(did you mean '2020-started'?); an id is the file name of an event in content/events without .yaml"
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            "fields:\n  - {name: title, label: T, type: text}\n",
            "content/timeline.yaml:50:12: error: fields[0].name: 'title' is a field every event has; choose another "
            "name (the core: date, end_date, display_date, order, title, summary, body, tags, sources, supersedes, related, media, "
            "group)",
        ),
        (
            "fields:\n  - {name: cost, label: C, type: money, filter: true}\n",
            "content/timeline.yaml:50:49: error: fields[0].filter: readers cannot filter by a money field; only text, "
            "choice, country fields can be filtered",
        ),
        (
            "fields:\n  - {name: kind, label: K, type: text, choices: [{value: a, label: A}]}\n",
            "content/timeline.yaml:50:40: error: fields[0].choices: only a choice field has choices, and this one is text",
        ),
        (
            "fields:\n  - {name: kind, label: K, type: choice}\n",
            "content/timeline.yaml:50:5: error: fields[0].choices: missing required field 'choices'",
        ),
        (
            "fields:\n  - {name: a, label: A, type: text}\n  - {name: a, label: B, type: text}\n",
            "content/timeline.yaml:51:12: error: fields[1].name: the field 'a' is declared twice (first on line 50)",
        ),
        (
            "fields:\n  - {name: a, label: A, type: colour}\n",
            "content/timeline.yaml:50:31: error: fields[0].type: 'colour' is not a known type (did you mean 'country'?); "
            "use one of: text, "
            "choice, country, money, number, date, url, event",
        ),
        (
            "fields:\n  - {name: order, label: O, type: text, filter: true}\n",
            "content/timeline.yaml:50:12: error: fields[0].name: the filters' addresses already use 'order' "
            "(?order=…); give a field readers filter by another name",
        ),
    ],
    ids=[
        "core-name",
        "filter-money",
        "choices-on-text",
        "choice-without-choices",
        "twice",
        "unknown-type",
        "filter-name",
    ],
)
def test_a_wrong_declaration_is_an_error_at_its_line(run, history, fields, message):
    _declare(history, fields)
    result = run(["check"], cwd=history)
    assert result.code == 1
    settings = (history / "content/timeline.yaml").read_text(encoding="utf-8").splitlines()
    first = settings.index("fields:") + 2  # the line of the first declaration
    message = re.sub(r":(5[01]):", lambda found: f":{first + int(found[1]) - 50}:", message)
    message = message.replace("(first on line 50)", f"(first on line {first})")
    assert message in result.err.splitlines(), result.err


def test_events_may_lack_a_source_when_the_timeline_says_so(run, history):
    (history / "content/events/1971-first-email.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/event.schema.json\n"
        "date: '1971'\ntitle: The first email\nsummary: Sent.\n",
        encoding="utf-8",
    )
    refused = run(["check"], cwd=history)
    assert refused.code == 1
    assert (
        "content/events/1971-first-email.yaml:2:1: error: sources: missing: every event needs at least one source"
        in refused.err
    )
    settings = history / "content/timeline.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "checks:\n  no-source: warning\n", encoding="utf-8")
    allowed = run(["build"], cwd=history)
    assert allowed.code == 0, allowed.err
    page = (history / "site/events/1971-first-email/index.html").read_text(encoding="utf-8")
    assert '<ol class="citations"' not in page


def test_every_field_type_is_known_everywhere_a_type_is_handled():
    """A type added to fields.TYPES must be checkable, exportable and scaffolded, or one of them breaks."""
    from timeline.data import _FIELD_DATA
    from timeline.fields import TYPES, Field, _type_schema
    from timeline.scaffold import _EXAMPLES
    from timeline.schema import event_schema, timeline_schema

    declared = json.loads(timeline_schema().text)["properties"]["fields"]["items"]["properties"]["type"]["enum"]
    assert declared == list(TYPES)
    definitions = json.loads(event_schema(()).text)["definitions"]
    for kind in TYPES:
        schema = _type_schema(Field("x", "X", kind))
        assert "$ref" not in schema or schema["$ref"].split("/")[-1] in definitions, kind
    assert set(_EXAMPLES) == set(TYPES) - {"choice"}
    assert set(_FIELD_DATA) == set(TYPES) - {"choice"}


def test_a_required_field_is_required(run, history):
    _declare(history, "fields:\n  - {name: place, label: Place, type: country, required: true}\n")
    _add_event(history, "")
    assert (
        "content/events/1971-first-email.yaml:2:1: error: place: missing required field 'place'"
        in run(["check"], cwd=history).err.splitlines()
    )
    _add_event(history, "place: US\n")
    assert "1971-first-email" not in run(["check"], cwd=history).err


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Statut"), ("fr-CA", "Statut"), ("de", "Status"), ("en-GB", "Status")],
)
def test_a_label_written_by_language_takes_the_timeline_s(language, label):
    from timeline.fields import localized

    assert localized({"en": "Status", "fr": "Statut"}, language) == label
    assert localized({"it": "Stato"}, language) == "Stato", "the only label written, whatever the language"
    assert localized("Status", language) == "Status"


def test_new_writes_the_schemas_a_project_lacks_so_its_first_line_names_them(run, sample_site):
    project = sample_site()
    assert not (project / "schemas").exists()
    result = run(["new", "An event", "--date", "2020"], cwd=project)
    assert result.code == 0, result.err
    assert (project / "schemas/event.schema.json").is_file()
    assert "wrote schemas/event.schema.json, schemas/timeline.schema.json" in result.err
    first = (project / "content/events/2020-an-event.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/event.schema.json"


def test_init_in_another_language_gives_that_interface(run, tmp_path):
    assert run(["init", "archive", "--title", "Archives", "--language", "fr"], cwd=tmp_path).code == 0
    assert run(["build"], cwd=tmp_path / "archive").code == 0
    index = (tmp_path / "archive/site/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in index and "Filtrer la chronologie" in index
