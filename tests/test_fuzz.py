"""Property-based fuzzing of the loader and validator: any input gives a model or content errors, nothing else.

Hypothesis generates the files: raw bytes, YAML-flavoured text, and real
YAML documents with any structure, including near-valid events with one
field swapped for a value of another kind. Whatever comes in, `check`'s
stages return a Document, a Timeline or ContentErrors that name the file
and a line; no other exception escapes. The examples are derived from a
fixed seed, so a run is repeatable.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import minimal_fields, validators_agree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeline.engine import check_documents
from timeline.errors import ContentError
from timeline.loader import parse_document
from timeline.schema import event_schema

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
EVENT_PATH = Path("content/events/2021-fuzzed.yaml")
TIMELINE_PATH = Path("content/timeline.yaml")
# The minimal site's settings: its tags and the fields it declares (the shipped record's).
TIMELINE = parse_document((Path(__file__).parent / "sites/minimal/content/timeline.yaml").read_bytes(), TIMELINE_PATH)

YAML_CHARACTERS = st.sampled_from(list(":-[]{},&*!|>'\"%@`#?\n\t ") + list("abc019.\u202e\ufeff\x00é"))


def _loaded_or_refused(raw: bytes, path: Path = EVENT_PATH):
    """Parse `raw`; a refusal must be a ContentError naming the file and a real line."""
    try:
        return parse_document(raw, path)
    except ContentError as error:
        assert error.path == path
        assert 0 <= error.line <= raw.count(b"\n") + 2, error
        assert error.message
        return None


def _validated(document) -> None:
    """Build the model from the fuzzed event; any problem must come back as ContentErrors."""
    checked = check_documents(TIMELINE, [document], [EVENT_PATH])
    timeline, errors = checked.timeline, checked.errors
    assert (timeline is None) == bool(errors)
    for error in errors:
        assert isinstance(error, ContentError)
        assert error.message
        assert error.path in (EVENT_PATH, TIMELINE_PATH)
        assert error.line >= 0
        assert error.column >= 0


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_load_or_are_refused(raw):
    _loaded_or_refused(raw)


@FUZZ
@given(st.text(YAML_CHARACTERS, max_size=200))
def test_yaml_flavoured_text_loads_or_is_refused(text):
    document = _loaded_or_refused(text.encode("utf-8", "surrogatepass"))
    if document is not None:
        _validated(document)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(
        ["2021", "2021-02-30", "2021-13", "03/04/2021", "NO", "yes", "0755", "1e400", "GBP", "javascript:x"]
    )
)
ANY_VALUE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(ANY_VALUE)
def test_any_yaml_structure_validates_or_is_refused(value):
    document = _loaded_or_refused(yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass"))
    if document is not None:
        _validated(document)


VALID_EVENT = {
    "date": "2021-05-04",
    "title": "A title",
    "summary": "A summary [@s].",
    "body": "A body.",
    "tags": ["ico"],
    "jurisdiction": "GB",
    "authority": "ICO",
    "amount": {"value": 5, "currency": "GBP"},
    "status": "concluded",
    "sources": [
        {
            "id": "s",
            "title": "T",
            "publisher": "P",
            "url": "https://example.com/",
            "published": "2021",
            "kind": "primary",
        }
    ],
}


@st.composite
def near_valid_events(draw):
    """A valid event with some fields replaced by anything, some removed, and a stray one added."""
    event = dict(VALID_EVENT)
    for key in draw(st.lists(st.sampled_from(sorted(VALID_EVENT)), max_size=3, unique=True)):
        if draw(st.booleans()):
            event[key] = draw(ANY_VALUE)
        else:
            del event[key]
    if draw(st.booleans()):
        source = dict(VALID_EVENT["sources"][0])
        source[draw(st.sampled_from(sorted(source)))] = draw(ANY_VALUE)
        event["sources"] = [source]
    if draw(st.booleans()):
        event[draw(st.sampled_from(["supersedes", "related", "end_date", "extra"]))] = draw(ANY_VALUE)
    return event


@FUZZ
@given(near_valid_events())
def test_a_near_valid_event_validates_or_is_refused(event):
    document = _loaded_or_refused(yaml.safe_dump(event, allow_unicode=True).encode("utf-8", "surrogatepass"))
    if document is not None:
        _validated(document)


def test_the_valid_event_is_valid():
    """The fuzzer's starting point builds, so its mutations test something."""
    document = parse_document(yaml.safe_dump(VALID_EVENT).encode(), EVENT_PATH)
    checked = check_documents(TIMELINE, [document], [EVENT_PATH])
    timeline, errors = checked.timeline, checked.errors
    assert errors == []
    assert timeline is not None


@FUZZ
@given(near_valid_events())
def test_the_compiled_validator_and_jsonschema_agree_on_any_event(event):
    """check trusts the fast validator's yes: it must never pass what jsonschema would refuse."""
    document = _loaded_or_refused(yaml.safe_dump(event, allow_unicode=True).encode("utf-8", "surrogatepass"))
    if document is not None:
        assert validators_agree(document, event_schema(minimal_fields()))


URL_PARTS = st.lists(st.sampled_from([*"aZ09.-_~:/?#[]@!$&'()*+,;=% \t\né", "%20", "//", "@@", ":80", ":99999"])).map(
    "".join
)


@FUZZ
@given(st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "https:/", "//"]), URL_PARTS)
@example("https://", "@")
@example("https://", "user@example.org/")
@example("https://", "example.org:99999/")
@example("https://", "[::1/")
@example("http://", "a.b/ c")
def test_the_quick_path_for_plain_addresses_agrees_with_the_full_one(scheme, rest):
    """Plain http(s) addresses skip urlsplit; the answer must be the one urlsplit gives."""
    import re

    from timeline import schema

    url = scheme + rest
    quick = schema.url_problem(url)
    saved = schema._PLAIN_WEB_URL
    schema._PLAIN_WEB_URL = re.compile(r"(?!)")  # matches nothing: every address takes the full path
    try:
        assert schema.url_problem(url) == quick
    finally:
        schema._PLAIN_WEB_URL = saved
