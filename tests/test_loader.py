"""The load stage: YAML bytes become plain values that remember where each was written."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from timeline import loader
from timeline.errors import ContentError
from timeline.loader import MAX_DEPTH, MAX_FILE_BYTES, load_content, load_document, parse_document

POSITIONS_YAML = b"""\
date: 2022-05-23
tags: [ico, fine]
amount:
  value: 7552800
  currency: GBP
sources:
  - title: ICO fines the company
    url: https://example.com/ico/fine
  - title: Watchdog fines the company
    url: 'https://example.com/reuters/fine'
"""


@pytest.fixture
def document():
    return parse_document(POSITIONS_YAML, Path("content/events/2022-05-23-final-fine.yaml"))


@pytest.fixture
def read_paths(monkeypatch) -> list[Path]:
    """Every path the loader parses, in order."""
    seen: list[Path] = []
    parse = loader.parse_document

    def spy(raw, path):
        seen.append(path)
        return parse(raw, path)

    monkeypatch.setattr(loader, "parse_document", spy)
    return seen


# --- values: YAML 1.2 core rules, not PyYAML's 1.1 ones -------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("NO", "NO"),  # Norway, not False
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("2022-05-23", "2022-05-23"),  # not a datetime.date
        ("2022-05", "2022-05"),
        ("0755", "0755"),  # not octal 493
        ("12:30", "12:30"),  # not sexagesimal 750
        ("7,552,800", "7,552,800"),
        ("7552800", 7552800),
        ("-3", -3),
        ("0", 0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        ("'7552800'", "7552800"),
        ('"true"', "true"),
        ("'~'", "~"),
        ("'NO'", "NO"),
        ("''", ""),
        ("!!str 42", "42"),
        ("|\n  42", "42\n"),
        (">-\n  folded\n  text", "folded text"),
    ],
    ids=repr,
)
def test_plain_scalars_follow_yaml_1_2(written, expected):
    data = parse_document(f"value: {written}\n".encode(), Path("x.yaml")).data
    assert data["value"] == expected
    assert type(data["value"]) is type(expected)  # True is not 1, "1.5" is not 1.5


def test_keys_stay_text_as_written():
    data = parse_document(b"NO: 1\n2022: 2\ntrue: 3\n~: 4\n", Path("x.yaml")).data
    assert list(data) == ["NO", "2022", "true", "~"]


def test_a_byte_order_mark_is_accepted_and_not_counted():
    document = parse_document(b"\xef\xbb\xbftitle: A\n", Path("x.yaml"))
    assert document.data == {"title": "A"}
    assert document.positions[("title",)] == (1, 8)


def test_windows_line_endings_keep_line_numbers():
    document = parse_document(b"a: 1\r\nb: 2\r\n", Path("x.yaml"))
    assert document.data == {"a": 1, "b": 2}
    assert document.positions[("b",)] == (2, 4)


# --- positions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "position"),
    [
        ((), (1, 1)),
        (("date",), (1, 7)),
        (("tags", 0), (2, 8)),
        (("tags", 1), (2, 13)),
        (("amount",), (4, 3)),  # a block mapping starts at its first key
        (("amount", "currency"), (5, 13)),
        (("sources",), (7, 3)),  # a block sequence starts at its first dash
        (("sources", 1), (9, 5)),
        (("sources", 0, "url"), (8, 10)),
        (("sources", 1, "url"), (10, 10)),  # the opening quote
    ],
    ids=["root", "date", "tags.0", "tags.1", "amount", "amount.currency", "sources", "sources.1", "sources.0.url", "sources.1.url"],
)
def test_every_value_knows_its_line_and_column(document, path, position):
    assert document.positions[path] == position


@pytest.mark.parametrize(
    ("path", "position"),
    [(("date",), (1, 1)), (("amount", "currency"), (5, 3)), (("sources", 0, "url"), (8, 5))],
    ids=["date", "amount.currency", "sources.0.url"],
)
def test_every_mapping_value_knows_where_its_key_was_written(document, path, position):
    assert document.key_positions[path] == position


@pytest.mark.parametrize(
    ("path", "key", "position"),
    [
        (("amount", "qualifier"), False, (4, 3)),  # missing: where amount starts
        (("sources", 5, "url"), False, (7, 3)),  # no sixth source: where sources starts
        (("sources", 0, "url"), True, (8, 5)),
        (("sources", 0), True, (7, 5)),  # a list item has no key: its value
        (("nowhere",), True, (1, 1)),
        ((), False, (1, 1)),
    ],
    ids=["missing-field", "missing-item", "key", "item-as-key", "unknown-top-level", "root"],
)
def test_where_falls_back_to_the_nearest_written_ancestor(document, path, key, position):
    assert document.where(path, key=key) == position


def test_document_error_is_located_and_names_the_field(document):
    error = document.error("is not a web address", ("sources", 1, "url"))
    assert (error.path, error.line, error.column, error.field) == (document.path, 10, 10, "sources[1].url")
    assert str(error) == "content/events/2022-05-23-final-fine.yaml:10:10: error: sources[1].url: is not a web address"


# --- what the loader refuses -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "line", "column", "words"),
    [
        (b"a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key 'a' (first written on line 1)"),
        (b"s:\n  - u: 1\n    u: 2\n", 3, 5, "duplicate key 'u' (first written on line 2)"),
        (b"a:\n\t- x\n", 2, 1, "a tab character"),
        (b"a: b\nc: \xff\n", 2, 4, "not UTF-8 text (byte 0xff"),
        (b"a: b\x00c\n", 1, 5, "U+0000"),
        (b"a: !!python/object/apply:os.system ['id']\n", 1, 4, "'!!python/object/apply:os.system'"),
        (b"a: !!int '7'\n", 1, 4, "'!!int' is not allowed"),
        (b"a: !custom x\n", 1, 4, "'!custom' is not allowed"),
        (b"a: &x [1, 2]\nb: *x\n", 1, 4, "anchors and aliases"),
        (b"a: 1\n---\nb: 2\n", 2, 1, "remove the second '---'"),
        (b"? [a, b]\n: 1\n", 1, 3, "a key must be plain text"),
        (b"title: ICO: a fine\n", 1, 11, "a colon followed by a space inside a value; put the whole value in quotes"),
        (b"", 1, 1, "the file is empty"),
        (b"# only a comment\n", 1, 1, "the file is empty"),
        (b"---\n", 1, 1, "the file is empty"),
    ],
    ids=[
        "duplicate-key",
        "duplicate-key-in-list",
        "tab",
        "not-utf8",
        "nul",
        "python-tag",
        "int-tag",
        "local-tag",
        "anchor",
        "two-documents",
        "complex-key",
        "colon-in-value",
        "empty",
        "comment-only",
        "empty-document",
    ],
)
def test_bad_yaml_raises_a_located_content_error(raw, line, column, words):
    path = Path("content/events/x.yaml")
    with pytest.raises(ContentError) as caught:
        parse_document(raw, path)
    error = caught.value
    assert (error.path, error.line, error.column, error.field) == (path, line, column, "")
    assert words in error.message


def test_a_number_too_long_for_python_loads_without_a_crash():
    """int() refuses 4,300+ digits; the loader hands such a number on for the schema to refuse."""
    document = parse_document(b"value: 1" + b"0" * 5000 + b"\n", Path("x.yaml"))
    assert document.data["value"] == float("inf")
    assert document.positions[("value",)] == (1, 8)


@pytest.mark.parametrize(
    "raw",
    [b"[" * 10_000 + b"]" * 10_000, b"{a: " * 10_000 + b"}" * 10_000, b"- " * 10_000 + b"x"],
    ids=["flow-sequences", "flow-mappings", "block-sequences"],
)
def test_ten_thousand_levels_of_nesting_are_refused_not_recursed(raw):
    with pytest.raises(ContentError) as caught:  # a RecursionError would fail this test
        parse_document(raw, Path("x.yaml"))
    assert caught.value.message == f"the file nests more than {MAX_DEPTH} levels deep"
    assert caught.value.line == 1


def test_nesting_up_to_the_limit_is_allowed():
    deepest = parse_document(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, Path("x.yaml")).data
    for _ in range(MAX_DEPTH - 1):
        deepest = deepest[0]
    assert deepest == []
    with pytest.raises(ContentError, match="nests more than"):
        parse_document(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), Path("x.yaml"))


def _refuse_parsing(monkeypatch) -> None:
    def parse(raw, path):
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(loader, "parse_document", parse)


def test_a_file_over_the_size_limit_is_refused_unparsed(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 2))  # one byte over
    _refuse_parsing(monkeypatch)
    with pytest.raises(ContentError) as caught:
        load_document(path)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, 1, 1)
    assert error.message == (
        f"the file is {MAX_FILE_BYTES + 1:,} bytes; content files may be at most {MAX_FILE_BYTES:,} bytes"
    )


def test_a_file_at_the_size_limit_is_loaded(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert len(load_document(path).data["a"]) == MAX_FILE_BYTES - 4


# --- load_content: the whole folder -------------------------------------------------------------


def test_load_content_reads_timeline_and_events_in_name_order(sample_site):
    content = load_content(sample_site() / "content")
    assert content.errors == []
    assert content.timeline.data["language"] == "en-GB"
    assert [document.path.name for document in content.events] == [
        "2020-07-investigation.yaml",
        "2022-05-23-final-fine.yaml",
    ]


def test_load_content_skips_hidden_and_other_files(make_project):
    project = make_project(
        {
            "content/events/.2021-draft.yaml": "\t not even YAML",
            "content/events/README.md": "# notes",
            "content/events/2021.yaml~": "backup",
        }
    )
    content = load_content(project / "content")
    assert content.errors == []
    assert len(content.events) == 2


def test_load_content_collects_every_error_and_keeps_the_good_files(make_project):
    project = make_project(
        {
            "content/events/2021-a.yaml": "title: [\n",
            "content/events/2021-b.yml": "title: B\n",
            "content/events/2021-c.yaml": "",
        }
    )
    content = load_content(project / "content")
    found = sorted((error.path.name, error.line) for error in content.errors)
    assert found == [("2021-a.yaml", 2), ("2021-b.yml", 0), ("2021-c.yaml", 1)]
    assert [document.path.stem for document in content.events] == ["2020-07-investigation", "2022-05-23-final-fine"]


@pytest.mark.parametrize(
    ("missing", "words"),
    [("content/timeline.yaml", "the file is missing"), ("content/events", "the events folder is missing")],
    ids=["timeline", "events-folder"],
)
def test_load_content_reports_what_is_missing(sample_site, missing, words):
    project = sample_site()
    target = project / missing
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    errors = load_content(project / "content").errors
    assert [(error.path, error.line) for error in errors] == [(target, 0)]
    assert words in errors[0].message


def test_too_many_event_files_are_refused_before_any_is_read(make_project, monkeypatch, read_paths):
    project = make_project({f"content/events/2021-{n}.yaml": "title: x\n" for n in range(3)})
    monkeypatch.setattr(loader, "MAX_EVENT_FILES", 4)
    content = load_content(project / "content")
    assert content.events == []
    assert read_paths == [project / "content/timeline.yaml"]
    assert [error.message for error in content.errors if error.path.name == "events"] == [
        "more than 4 files in the events folder"
    ]


# --- symbolic links: reported, never followed ---------------------------------------------------


def test_a_symlinked_event_file_is_an_error_and_never_read(make_project, tmp_path, read_paths):
    project = make_project()
    secret = tmp_path / "outside.yaml"
    secret.write_text("date: '2021'\ntitle: Outside\n", encoding="utf-8")
    link = project / "content/events/2021-outside.yaml"
    link.symlink_to(secret)
    content = load_content(project / "content")
    assert [(error.path, error.message) for error in content.errors] == [
        (link, "symbolic links are not followed in content; put the file itself here")
    ]
    assert secret not in read_paths and link not in read_paths
    assert "2021-outside" not in [document.path.stem for document in content.events]


def test_a_dangling_symlink_is_an_error_not_a_crash(make_project):
    project = make_project()
    link = project / "content/events/2021-gone.yaml"
    link.symlink_to(project / "nowhere.yaml")
    errors = load_content(project / "content").errors
    assert [error.path for error in errors] == [link]


def test_a_symlinked_events_folder_is_an_error_and_never_read(sample_site, tmp_path, read_paths):
    project = sample_site()
    real = tmp_path / "elsewhere"
    (project / "content/events").rename(real)
    (project / "content/events").symlink_to(real, target_is_directory=True)
    content = load_content(project / "content")
    assert [(error.path, error.message) for error in content.errors] == [
        (project / "content/events", "symbolic links are not followed in content; make it a real folder")
    ]
    assert content.events == []
    assert read_paths == [project / "content/timeline.yaml"]


def test_a_symlinked_timeline_file_is_an_error_and_never_read(sample_site, tmp_path, read_paths):
    project = sample_site()
    real = tmp_path / "timeline.yaml"
    (project / "content/timeline.yaml").rename(real)
    (project / "content/timeline.yaml").symlink_to(real)
    content = load_content(project / "content")
    assert content.timeline is None
    assert [error.path for error in content.errors] == [project / "content/timeline.yaml"]
    assert real not in read_paths


def test_check_names_the_symlink_not_its_target(sample_site, run):
    project = sample_site()
    (project / "drafts").mkdir()
    (project / "drafts/provisional.yaml").write_text("date: '2021'\n", encoding="utf-8")
    (project / "content/events/2021-provisional.yaml").symlink_to(Path("../../drafts/provisional.yaml"))
    result = run(["check"], cwd=project)
    assert (result.code, result.err) == (
        1,
        "content/events/2021-provisional.yaml: error: symbolic links are not followed in content; "
        "put the file itself here\n3 files checked: 1 error, 0 warnings\n",
    )


# --- the error type -----------------------------------------------------------------------------


def test_content_error_survives_pickling_with_every_field():
    error = ContentError(
        "'GPB' is not an ISO 4217 currency code",
        path=Path("content/events/x.yaml"),
        line=7,
        column=13,
        field="amount.currency",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ContentError
    assert (copy.message, copy.path, copy.line, copy.column, copy.field) == (
        error.message,
        error.path,
        7,
        13,
        "amount.currency",
    )
    expected = "content/events/x.yaml:7:13: error: amount.currency: 'GPB' is not an ISO 4217 currency code"
    assert str(copy) == str(error) == expected


# --- YAML 1.2 end to end: Norway is a country, not False ---------------------------------------


def test_no_as_jurisdiction_is_norway(make_project, run):
    project = make_project(
        {
            "content/events/2023-datatilsynet.yaml": (
                "date: 2023-05\n"
                "title: Datatilsynet opens a case\n"
                "summary: The Norwegian regulator opened a case [@dt].\n"
                "jurisdiction: NO\n"
                "sources:\n"
                "  - id: dt\n"
                "    title: Datatilsynet opens a case\n"
                "    publisher: Datatilsynet\n"
                "    url: https://example.com/datatilsynet\n"
            )
        }
    )
    result = run(["check"], cwd=project)
    assert (result.code, result.err) == (0, "")
    assert result.out == "4 files checked: 0 errors, 0 warnings\n"
