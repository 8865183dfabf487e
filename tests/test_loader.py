"""The load stage: YAML bytes become plain values that remember where each was written."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
import yaml

from timeline import content as content_files
from timeline import loader
from timeline.content import load_content
from timeline.errors import ContentError
from timeline.loader import MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS, load_document, parse_document

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
        ("2020-07-09T14:30:00+01:00", "2020-07-09T14:30:00+01:00"),  # not a datetime.datetime
        ("2020-07-09T14:30Z", "2020-07-09T14:30Z"),
        ("-0500", "-0500"),  # 500 BC: a leading zero keeps it text, not the number -500
        ("-0044-03-15", "-0044-03-15"),
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
    ids=[
        "root",
        "date",
        "tags.0",
        "tags.1",
        "amount",
        "amount.currency",
        "sources",
        "sources.1",
        "sources.0.url",
        "sources.1.url",
    ],
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
@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_ten_thousand_levels_of_nesting_are_refused_not_recursed(raw, parser, monkeypatch):
    """One message whichever layer notices first: libyaml's own depth limit, or ours."""
    if parser == "pure-python":
        monkeypatch.setattr(loader, "_Parser", yaml.SafeLoader)
    elif not loader.HAS_LIBYAML:
        pytest.skip("PyYAML is installed without libyaml")
    with pytest.raises(ContentError) as caught:  # a RecursionError would fail this test
        parse_document(raw, Path("x.yaml"))
    assert caught.value.message == f"the file nests more than {MAX_DEPTH} levels deep"
    assert caught.value.line == 1


def test_a_list_with_too_many_items_is_refused_at_the_first_one_too_many():
    raw = b"tags:\n" + b"".join(b"  - t%d\n" % n for n in range(MAX_ITEMS + 5))
    with pytest.raises(ContentError) as caught:
        parse_document(raw, Path("x.yaml"))
    assert (caught.value.line, caught.value.column) == (MAX_ITEMS + 2, 5)
    assert caught.value.message == f"more than {MAX_ITEMS:,} items in one place; a content file holds far fewer"
    parse_document(b"tags:\n" + b"".join(b"  - t%d\n" % n for n in range(MAX_ITEMS)), Path("x.yaml"))


ESCAPED = {
    # A control character written as an escape: named by its code point, located at the backslash.
    "escape-sequence": ('title: "Fine \\x1b[31m"\n', 1, 14, "title", "U+001B"),
    "form-feed": ('title: "a\\fb"\n', 1, 10, "title", "U+000C"),
    "nul": ('summary: "\\0"\n', 1, 11, "summary", "U+0000"),
    "bell-in-a-source": ('sources:\n  - title: "\\a"\n', 2, 13, "sources[0].title", "U+0007"),
    "delete": ('title: "\\x7f"\n', 1, 9, "title", "U+007F"),
    "c1-control": ('title: "\\u0085"\n', 1, 9, "title", "U+0085"),
    "on-the-second-line-of-a-value": ('title: "one\n  two \\e"\n', 2, 7, "title", "U+001B"),
    "in-a-key": ('"ti\\x1btle": x\n', 1, 4, "", "U+001B"),
}


@pytest.mark.parametrize(("raw", "line", "column", "field", "code"), ESCAPED.values(), ids=ESCAPED)
def test_control_characters_written_as_escapes_are_refused(raw, line, column, field, code):
    with pytest.raises(ContentError) as caught:
        parse_document(raw.encode(), Path("x.yaml"))
    error = caught.value
    assert (error.line, error.column, error.field) == (line, column, field)
    what = "a key contains" if not field else "contains"
    assert error.message == f"{what} a control character ({code}) that no page or feed can show; remove it"
    assert not any(ord(character) < 32 for character in str(error))  # never echoed to the terminal


def test_a_non_character_written_as_an_escape_is_refused():
    with pytest.raises(ContentError) as caught:
        parse_document(b'title: "\\uFFFE"\n', Path("x.yaml"))
    assert (caught.value.line, caught.value.column) == (1, 9)
    assert caught.value.message == "contains a non-character (U+FFFE) that no page or feed can show; remove it"


@pytest.mark.parametrize(
    "raw", ['title: "tab\\there"\n', 'title: "two\\nlines"\n', 'title: "\\u00e9t\\u00e9 \\"q\\" \\\\"\n']
)
def test_printable_escapes_are_read(raw):
    assert parse_document(raw.encode(), Path("x.yaml")).data["title"]


BAD_ESCAPES = {
    "unknown": (
        'title: "C:\\qfolder"\n',
        11,
        "invalid YAML: '\\q' is not an escape that double quotes know; to write a backslash, double it (\\\\), "
        "or put the value in single quotes",
    ),
    "u-without-digits": (
        'title: "\\U and more"\n',
        9,
        "invalid YAML: '\\U' in double quotes must be followed by 8 hexadecimal digits; "
        "to write a backslash, double it (\\\\), or put the value in single quotes",
    ),
    "x-with-one-digit": (
        'title: "\\x1 more"\n',
        9,
        "invalid YAML: '\\x' in double quotes must be followed by 2 hexadecimal digits (found '\\x1'); "
        "to write a backslash, double it (\\\\), or put the value in single quotes",
    ),
    "lone-surrogate": (
        'title: "a \\ud800 b"\n',
        11,
        "invalid YAML: '\\ud800' is half of a UTF-16 surrogate pair, not a character; "
        "write the character itself instead of its escape",
    ),
}


@pytest.mark.skipif(not loader.HAS_LIBYAML, reason="the wording is checked against libyaml's errors")
@pytest.mark.parametrize(("raw", "column", "message"), BAD_ESCAPES.values(), ids=BAD_ESCAPES)
def test_an_escape_double_quotes_do_not_know_is_named_not_called_an_unclosed_quote(raw, column, message):
    assert _syntax_error(raw) == (1, column, message)


def test_nesting_up_to_the_limit_is_allowed():
    deepest = parse_document(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH, Path("x.yaml")).data
    for _ in range(MAX_DEPTH - 1):
        deepest = deepest[0]
    assert deepest == []
    with pytest.raises(ContentError, match="nests more than"):
        parse_document(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), Path("x.yaml"))


# --- syntax errors explained where the contributor made them -----------------------------------


def _syntax_error(raw: str) -> tuple[int, int, str]:
    with pytest.raises(ContentError) as caught:
        parse_document(raw.encode(), Path("x.yaml"))
    return caught.value.line, caught.value.column, caught.value.message


EARLY = "invalid YAML: the {} ends the quoted text early; "
TWICE = "inside single quotes write it twice ({}) or use double quotes"
QUOTES_CLOSED_EARLY = {
    "apostrophe": (
        "title: 'Clearview's fine'\n",
        1,
        18,
        EARLY.format("' in Clearview's") + TWICE.format("'Clearview''s fine'"),
    ),
    "apostrophe-then-colon": (
        "title: 'Clearview's penalty: 20 million euros' # from the release\n",
        1,
        18,
        EARLY.format("' in Clearview's") + TWICE.format("'Clearview''s penalty: 20 million euros'"),
    ),
    "one-already-doubled": (
        "title: 'It''s Clearview's fine'\n",
        1,
        24,
        EARLY.format("' in Clearview's") + TWICE.format("'It''s Clearview''s fine'"),
    ),
    "apostrophe-first": ("title: 'the '90s'\n", 1, 13, EARLY.format("' before 90s") + TWICE.format("'the ''90s'")),
    "in-a-source": (
        "sources:\n  - title: 'Clearview's fine'\n",
        2,
        22,
        EARLY.format("' in Clearview's") + TWICE.format("'Clearview''s fine'"),
    ),
    # Not "this '[' is never closed": the quote is the mistake.
    "in-brackets": ("tags: ['it's', fine]\n", 1, 11, EARLY.format("' in it's") + TWICE.format("'it''s'")),
    "over-two-lines": (
        "summary: 'The ICO said\n  Clearview's fine'\n",
        2,
        12,
        EARLY.format("' in Clearview's") + TWICE.format("Clearview''s"),
    ),
    "double-quotes": (
        'title: "He said "no" today"\n',
        1,
        17,
        EARLY.format('" before no')
        + r'inside double quotes write it as \" ("He said \"no\" today") or use single quotes',
    ),
}


@pytest.mark.parametrize(("raw", "line", "column", "message"), QUOTES_CLOSED_EARLY.values(), ids=QUOTES_CLOSED_EARLY)
def test_a_quote_closed_by_an_apostrophe_is_explained_at_the_apostrophe(raw, line, column, message):
    assert _syntax_error(raw) == (line, column, message)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("title: 'Clearview''s fine'\n", "Clearview's fine"),
        ('title: "Clearview\'s fine"\n', "Clearview's fine"),
        ("title: Clearview's fine\n", "Clearview's fine"),
        ("title: 'The ''90s' # it's a comment\n", "The '90s"),
        ("title: \"'Final' fine\"\n", "'Final' fine"),
    ],
    ids=["doubled", "double-quoted", "unquoted", "comment-after", "quotes-inside-double"],
)
def test_apostrophes_written_correctly_load(raw, value):
    assert parse_document(raw.encode(), Path("x.yaml")).data["title"] == value


@pytest.mark.parametrize(
    ("raw", "line", "column", "words"),
    [
        ("title: 'Clearview' s fine\n", 1, 20, "invalid YAML: "),  # a space after the quote: no apostrophe
        (
            "title: 'ICO announces a fine\nsummary: The Commissioner's view\n",
            1,
            8,
            "the quoted value that starts here runs on to line 2; close the quote on line 1",
        ),
    ],
    ids=["space-after-quote", "never-closed"],
)
def test_other_quoting_mistakes_keep_their_own_message(raw, line, column, words):
    found_line, found_column, message = _syntax_error(raw)
    assert (found_line, found_column) == (line, column)
    assert words in message
    assert "ends the quoted text early" not in message


INDENTED = "invalid YAML: this line's indentation does not match the lines above it; "
SOURCE_FIELDS = INDENTED + "the fields of one source line up under each other, indented by spaces "
MISINDENTED = {
    "source-field-3": ("sources:\n  - id: x\n   url: u\n", 3, 4, SOURCE_FIELDS + "(found 3 spaces, expected 4)"),
    "source-field-5": ("sources:\n  - id: x\n     url: u\n", 3, 6, SOURCE_FIELDS + "(found 5 spaces, expected 4)"),
    "source-field-2": (
        "sources:\n  - id: x\n    title: t\n  url: u\n",
        4,
        3,
        SOURCE_FIELDS + "(found 2 spaces, expected 4)",
    ),
    "after-a-nested-field": (
        "sources:\n  - id: x\n    amount:\n      value: 1\n   url: u\n",
        5,
        4,
        SOURCE_FIELDS + "(found 3 spaces, expected 4)",
    ),
    "amount-field": (
        "amount:\n  value: 1\n currency: GBP\n",
        3,
        2,
        INDENTED
        + "the fields inside 'amount:' line up under each other, indented by spaces (found 1 space, expected 2)",
    ),
    "top-level": (
        "date: 2021\n title: x\n",
        2,
        2,
        INDENTED + "the top-level fields line up under each other at the start of the line (found 1 space, expected 0)",
    ),
    "tag-field": (
        "tags:\n  - key: a\n    label: A\n   description: d\n",
        4,
        4,
        INDENTED + "the fields of one tag line up under each other, indented by spaces (found 3 spaces, expected 4)",
    ),
    "second-source-dash": (
        "sources:\n  - id: a\n    url: u\n   - id: b\n",
        4,
        4,
        INDENTED + "the '-' that starts each source lines up under the one above (found 3 spaces, expected 2)",
    ),
}


@pytest.mark.parametrize(("raw", "line", "column", "message"), MISINDENTED.values(), ids=MISINDENTED)
def test_a_misindented_line_is_explained_with_the_spaces_found_and_expected(raw, line, column, message):
    assert _syntax_error(raw) == (line, column, message)


@pytest.mark.parametrize(
    "raw",
    ["date:2021\ntitle: x\n", "amount:\n  value:' 2500000\n  currency: SEK\n"],
    ids=["file-read-as-one-text", "field-read-as-text"],
)
def test_a_line_swallowed_above_is_not_blamed_on_indentation(raw):
    """The lines above parse, but not as written (`date:2021` is one text): their columns prove nothing."""
    assert "indentation" not in _syntax_error(raw)[2]


COLON = "invalid YAML: a colon followed by a space inside a value; put the whole value in quotes"


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [("title: ICO: a fine\n", 1, 11), ("sources:\n  - id: x\n    title: ICO: a fine\n", 3, 15)],
    ids=["top-level", "in-a-source"],
)
def test_a_colon_inside_a_value_is_not_mistaken_for_indentation(raw, line, column):
    assert _syntax_error(raw) == (line, column, COLON)


@pytest.mark.skipif(not loader.HAS_LIBYAML, reason="only the pure-Python parser is installed")
@pytest.mark.parametrize(
    "raw",
    [case[0] for case in (*QUOTES_CLOSED_EARLY.values(), *MISINDENTED.values())],
    ids=[*QUOTES_CLOSED_EARLY, *MISINDENTED],
)
def test_both_parsers_explain_a_mistake_alike(raw, monkeypatch):
    """The explanations read the text, not libyaml's wording, which PyYAML's own parser words otherwise."""
    with_libyaml = _syntax_error(raw)
    monkeypatch.setattr(loader, "_Parser", yaml.SafeLoader)
    assert _syntax_error(raw) == with_libyaml


def test_a_comment_where_a_value_was_meant_is_remembered():
    raw = (
        "title: #CNIL fines Clearview\n"
        "summary:\n"
        "  # a note on its own line\n"
        "status: ~ # not known yet\n"
        "tags:\n"
        "  - #ico\n"
        "url: https://example.com/#top\n"
        "body: '' # empty on purpose\n"
    )
    document = parse_document(raw.encode(), Path("x.yaml"))
    assert document.data["title"] is None
    assert document.comment_after == {("title",): "#CNIL fines Clearview", ("tags", 0): "#ico"}


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
            "content/events/README.md": "# notes",
            "content/events/.DS_Store": "\x00\x01",
            "content/events/._2021-a.yaml": "\x00 AppleDouble metadata",
            "content/events/.gitkeep": "",
            "content/events/2021.yaml~": "backup",
            "content/events/.2021.yaml.swp": "vim",
            "content/events/2021.yaml.orig": "merge",
            "content/events/.drafts/2021.yaml": "hidden folder",
            "content/README.md": "# notes",
            "content/.timeline.yaml.swp": "vim",
        }
    )
    content = load_content(project / "content")
    assert content.errors == []
    assert len(content.events) == 2


HIDDEN = {
    "dot-then-id": (".2021-draft.yaml", "rename it to 2021-draft.yaml"),
    "no-name": (
        ".yaml",
        "give it a name of lower-case letters, digits and hyphens, such as 2022-05-23-what-happened.yaml",
    ),
    "dots-only": (
        "...yaml",
        "give it a name of lower-case letters, digits and hyphens, such as 2022-05-23-what-happened.yaml",
    ),
    "windows-traversal": (
        "..\\..\\x.yaml",
        "give it a name of lower-case letters, digits and hyphens, such as 2022-05-23-what-happened.yaml",
    ),
    "hidden-copy": (
        ".2020-07-investigation.yaml",
        "2020-07-investigation.yaml exists already: keep one, then delete .2020-07-investigation.yaml",
    ),
    "hidden-yml": (".2021-b.yml", "rename it to 2021-b.yaml"),
}


@pytest.mark.parametrize(("name", "fix"), HIDDEN.values(), ids=HIDDEN)
def test_a_hidden_event_file_is_an_error_naming_the_fix(make_project, read_paths, name, fix):
    """An event saved as .x.yaml would silently vanish from the site."""
    project = make_project({f"content/events/{name}": "title: x\n"})
    content = load_content(project / "content")
    path = project / "content/events" / name
    assert [(error.path, error.line, error.message) for error in content.errors] == [
        (path, 0, f"this file is never read: a name starting with a dot hides it; {fix}")
    ]
    assert path not in read_paths
    assert len(content.events) == 2


def test_a_yml_file_beside_its_yaml_twin_names_both(make_project, read_paths):
    project = make_project({"content/events/2020-07-investigation.yml": "title: x\n"})
    content = load_content(project / "content")
    assert [error.message for error in content.errors] == [
        "2020-07-investigation.yml and 2020-07-investigation.yaml would both be the event '2020-07-investigation'; "
        "keep one: move what 2020-07-investigation.yml adds into 2020-07-investigation.yaml, "
        "then delete 2020-07-investigation.yml"
    ]
    assert project / "content/events/2020-07-investigation.yml" not in read_paths


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
    ("name", "meant"),
    [
        ("2021-a.yml", "2021-a.yaml"),
        ("2021-a.YAML", "2021-a.yaml"),
        ("2021-a.yaml.txt", "2021-a.yaml"),
        ("2021-a.Yml.TXT", "2021-a.yaml"),
        ("2021-a.yaml.yaml", "2021-a.yaml"),
    ],
    ids=["yml", "capitals", "txt", "mixed", "twice"],
)
def test_a_misnamed_event_file_is_an_error_naming_the_fix(make_project, read_paths, name, meant):
    project = make_project({f"content/events/{name}": "title: x\n"})
    content = load_content(project / "content")
    path = project / "content/events" / name
    assert [(error.path, error.line, error.message) for error in content.errors] == [
        (path, 0, f"event files end in .yaml; rename it to {meant}")
    ]
    assert path not in read_paths


def test_a_folder_inside_events_is_an_error_and_never_read(make_project, read_paths):
    project = make_project({"content/events/2021/2021-11-29-fine.yaml": "title: x\n"})
    content = load_content(project / "content")
    assert [(error.path, error.line, error.message) for error in content.errors] == [
        (
            project / "content/events/2021",
            0,
            "folders inside content/events are not read; move its files up into content/events/",
        )
    ]
    assert len(read_paths) == 3  # timeline.yaml and the two events


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("2021-11-29-fine.yaml", "this file is not read: event files go in content/events/"),
        ("2021-11-29-fine.yml", "this file is not read: event files go in content/events/"),
        ("timeline.yml", "this file is not read: rename it to timeline.yaml"),
    ],
    ids=["event", "event-yml", "timeline-yml"],
)
def test_a_yaml_file_beside_timeline_yaml_is_reported_not_read(make_project, read_paths, name, message):
    project = make_project({f"content/{name}": "title: x\n"})
    content = load_content(project / "content")
    assert [(error.path, error.line, error.message) for error in content.errors] == [
        (project / "content" / name, 0, message)
    ]
    assert project / "content" / name not in read_paths


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
    monkeypatch.setattr(content_files, "MAX_EVENT_FILES", 4)
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
    assert secret not in read_paths
    assert link not in read_paths
    assert "2021-outside" not in [document.path.stem for document in content.events]


def test_a_symlinked_folder_inside_events_is_an_error_and_never_read(make_project, tmp_path, read_paths):
    project = make_project()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2021-outside.yaml").write_text("title: Outside\n", encoding="utf-8")
    link = project / "content/events/more"
    link.symlink_to(outside)
    content = load_content(project / "content")
    assert [(error.path, error.message) for error in content.errors] == [
        (link, "symbolic links are not followed in content; put the file itself here")
    ]
    assert len(read_paths) == 3  # timeline.yaml and the two events


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
