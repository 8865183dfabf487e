"""Schema messages: one message per bad value, naming it and suggesting the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.numbers import list_currencies
from conftest import minimal_fields

from timeline.engine import check_documents
from timeline.loader import parse_document
from timeline.schema import event_schema, suggest, timeline_schema, validate_document

EVENT = """\
date: 2022-05-23
title: ICO fines the company
summary: The ICO fined the company [@ico].
tags: [ico]
jurisdiction: GB
amount:
  value: 7552800
  currency: GBP
sources:
  - id: ico
    title: ICO fines the company
    publisher: Information Commissioner's Office
    url: https://example.com/ico/fine
"""

TIMELINE = (Path(__file__).parent / "sites/minimal/content/timeline.yaml").read_text(encoding="utf-8")

# The schema the minimal site's events are checked against: the core and the shipped record's fields.
EVENT_SCHEMA = event_schema(minimal_fields())

EVENT_FIELDS = [
    "amount", "authority", "body", "date", "display_date", "end_date", "group", "jurisdiction", "media", "order",
    "related",
    "sources", "status", "summary", "supersedes", "tags", "title",
]  # fmt: skip


def _event(old: str = "", new: str = "", name: str = "2022-05-23-final-fine"):
    assert old in EVENT
    return parse_document(EVENT.replace(old, new, 1).encode(), Path(f"content/events/{name}.yaml"))


@pytest.mark.parametrize(
    ("value", "choices", "hint"),
    [
        ("GPB", list_currencies(), " (did you mean 'GBP'?)"),  # same letters beat difflib's 'PAB'
        ("gbp", list_currencies(), " (did you mean 'GBP'?)"),
        ("titel", EVENT_FIELDS, " (did you mean 'title'?)"),
        ("sumary", EVENT_FIELDS, " (did you mean 'summary'?)"),
        ("apealed", ["provisional", "final", "appealed", "upheld"], " (did you mean 'appealed'?)"),
        ("qwxz", EVENT_FIELDS, ""),
        ("reference", EVENT_FIELDS, ""),
        ("GBP", [], ""),
    ],
    ids=["anagram", "lower-case", "titel", "sumary", "apealed", "nonsense", "unrelated-word", "no-choices"],
)
def test_suggest_offers_one_close_choice_or_nothing(value, choices, hint):
    assert suggest(value, choices) == hint


def test_the_base_event_is_valid():
    assert validate_document(_event(), EVENT_SCHEMA) == []


@pytest.mark.parametrize(
    ("old", "new", "field", "position", "message"),
    [
        (
            "currency: GBP",
            "currency: gbp",  # fails pattern and format
            "amount.currency",
            (8, 13),
            "'gbp' is not a three-letter ISO 4217 currency code in capitals, e.g. GBP, EUR or USD (did you mean 'GBP'?)",
        ),
        ("title: ICO fines the company\nsummary", "title: ''\nsummary", "title", (2, 8), "must not be empty"),
        ("title: ICO fines the company\nsummary", "title: '   '\nsummary", "title", (2, 8), "must not be blank"),
        (
            "title: ICO fines the company\nsummary",
            "title: 42\nsummary",
            "title",
            (2, 8),
            "expected text, got the number 42; put the value in quotes",
        ),
        (
            "jurisdiction: GB",
            "jurisdiction: uk",  # fails pattern and format
            "jurisdiction",
            (5, 15),
            "'uk' is not a two-letter ISO 3166-1 country code in capitals, e.g. GB, FR or NO (did you mean 'GB'?)",
        ),
        (
            "date: 2022-05-23",
            "date: 23/05/2022",
            "date",
            (1, 7),
            "'23/05/2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-23?)",
        ),
        (
            "url: https://example.com/ico/fine",
            "url: javascript:alert(1)",  # fails pattern and format
            "sources[0].url",
            (13, 10),
            "'javascript:alert(1)' is not a web address starting with https:// or http:// (no other kind of link can be cited)",
        ),
        (
            "value: 7552800",
            "value: '7,552,800'",  # type only: minimum ignores text
            "amount.value",
            (7, 10),
            "expected a number, got '7,552,800'; write it as a plain number, without separators, words or currency signs: 7552800",
        ),
        (
            "value: 7552800",
            "value: -1",
            "amount.value",
            (7, 10),
            "the number -1 is below 0; amounts cannot be negative",
        ),
    ],
    ids=[
        "currency-lower-case",
        "empty-title",
        "blank-title",
        "number-title",
        "country-lower-case",
        "date-day-first",
        "javascript-url",
        "separators",
        "negative",
    ],
)
def test_one_bad_value_gives_one_located_message(old, new, field, position, message):
    errors = validate_document(_event(old, new), EVENT_SCHEMA)
    found = [(error.field, (error.line, error.column), error.message) for error in errors]
    assert found == [(field, position, message)]


LONG_URL = "https://example.com/" + "a" * 100_000
TAGS = ", ".join(f"t{number}" for number in range(31))
SOURCE = "  - {title: T, publisher: P, url: 'https://example.com/'}\n"
LIMITS = {
    "url": ("url: https://example.com/ico/fine", f"url: {LONG_URL}", "sources[0].url", (13, 10),
            "is 100,020 characters long; at most 2,048 are allowed"),
    "title": ("title: ICO fines the company\nsummary", f"title: {'x' * 201}\nsummary", "title", (2, 8),
              "is 201 characters long; at most 200 are allowed"),
    "tag": ("tags: [ico]", f"tags: [{'a' * 65}]", "tags[0]", (4, 8), "is 65 characters long; at most 64 are allowed"),
    "tags": ("tags: [ico]", f"tags: [{TAGS}]", "tags", (4, 7), "lists 31 tags; at most 30 are allowed"),
    "sources": ("sources:\n", "sources:\n" + SOURCE * 50, "sources", (10, 3), "lists 51 sources; at most 50 are allowed"),
    "related": ("jurisdiction: GB", "related: [" + ", ".join(f"e{n}" for n in range(51)) + "]", "related", (5, 10),
                "lists 51 events; at most 50 are allowed"),
    "source-id": ("  - id: ico", f"  - id: {'k' * 65}", "sources[0].id", (10, 9),
                  "is 65 characters long; at most 64 are allowed"),
}  # fmt: skip


@pytest.mark.parametrize(("old", "new", "field", "position", "message"), LIMITS.values(), ids=LIMITS)
def test_lengths_and_counts_have_limits_each_with_its_message(old, new, field, position, message):
    errors = validate_document(_event(old, new), EVENT_SCHEMA)
    assert [(error.field, (error.line, error.column), error.message) for error in errors] == [
        (field, position, message)
    ]


def test_each_bad_value_of_a_file_gets_its_own_message():
    document = _event("jurisdiction: GB", "jurisdiction: UK\nstatus: apealed")
    messages = sorted((error.line, error.field) for error in validate_document(document, EVENT_SCHEMA))
    assert messages == [(5, "jurisdiction"), (6, "status")]


def test_unknown_field_lists_what_is_allowed_at_the_key():
    errors = validate_document(_event("jurisdiction: GB", "jurisdiction: GB\nsumary: x"), EVENT_SCHEMA)
    assert [(error.field, error.line, error.column) for error in errors] == [("sumary", 6, 1)]
    allowed = ", ".join(EVENT_FIELDS)
    assert errors[0].message == f"unknown field 'sumary' (did you mean 'summary'?); fields allowed here: {allowed}"


def test_missing_fields_are_each_reported_once():
    errors = validate_document(_event("date: 2022-05-23\ntitle: ICO fines the company\n", ""), EVENT_SCHEMA)
    messages = sorted(error.message for error in errors)
    assert messages == ["missing required field 'date'", "missing required field 'title'"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("tags: [ico]", "tags: [ICO]", "tags[0]"),
        ("jurisdiction: GB", "related: [2020-07-Investigation]", "related[0]"),
    ],
    ids=["tag", "related-id"],
)
def test_a_value_in_capitals_gives_one_message_across_stages(old, new, field):
    timeline = parse_document(TIMELINE.encode(), Path("content/timeline.yaml"))
    others = parse_document(EVENT.encode(), Path("content/events/2020-07-investigation.yaml"))
    checked = check_documents(timeline, [others, _event(old, new)])
    _, errors = checked.timeline, checked.errors
    assert [error.field for error in errors] == [field]


def test_timeline_settings_are_checked_against_their_own_schema():
    document = parse_document(TIMELINE.replace("en-GB", "en_GB").encode(), Path("content/timeline.yaml"))
    errors = validate_document(document, timeline_schema())
    assert [(error.field, error.line, error.message) for error in errors] == [
        ("language", 3, "'en_GB' is not a BCP 47 language tag like en-GB, fr or fr-FR")
    ]


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("'20.000.000'", "20000000"),  # dots between thousands, as in much of Europe
        ("€20m", "20000000"),
        ("20 million", "20000000"),
        ("'7.5 million'", "7500000"),
        ("£7,552,800", "7552800"),
        ("EUR 5.2m", "5200000"),
        ("1.5bn", "1500000000"),
    ],
)
def test_amounts_written_as_people_write_them_get_the_number_to_write(written, plain):
    (error,) = validate_document(_event("value: 7552800", f"value: {written}"), EVENT_SCHEMA)
    assert error.message.endswith(f"; write it as a plain number, without separators, words or currency signs: {plain}")


def test_an_amount_in_words_gets_no_guess():
    (error,) = validate_document(_event("value: 7552800", "value: seven million"), EVENT_SCHEMA)
    assert error.message == "expected a number, got 'seven million'"


@pytest.mark.parametrize(("symbol", "code"), [("£", "GBP"), ("€", "EUR"), ("$", "USD"), ("eur", "EUR")])
def test_a_currency_sign_suggests_its_code(symbol, code):
    (error,) = validate_document(_event("currency: GBP", f"currency: '{symbol}'"), EVENT_SCHEMA)
    assert error.message.endswith(f"(did you mean '{code}'?)")


@pytest.mark.parametrize(
    ("tag", "hint"),
    [
        ("'CNIL (France)'", "; write the tag's key from timeline.yaml, not its label"),
        ("ICO", " (did you mean 'ico'?)"),
    ],
)
def test_a_tag_written_as_its_label_or_in_capitals_says_so(tag, hint):
    (error,) = validate_document(_event("tags: [ico]", f"tags: [{tag}]"), EVENT_SCHEMA)
    assert error.message.endswith(hint)


def test_a_list_written_as_text_is_shown_as_a_list():
    (error,) = validate_document(_event("tags: [ico]", "tags: cnil, france"), EVENT_SCHEMA)
    assert error.message == "expected a list, got 'cnil, france'; write a list in square brackets: [cnil, france]"
