"""The published schemas document every field for editors: a title, a description and valid examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import minimal_fields, validators_agree
from jsonschema import Draft7Validator

from timeline.errors import ContentError
from timeline.loader import load_document
from timeline.schema import _FORMATS, EVENT_SCHEMA, TIMELINE_SCHEMA, event_schema, schema_text, timeline_schema


def fields(node: dict, path: str = ""):
    """Every property of the schema, nested ones and list items' included, with its dotted path."""
    for name, field in node.get("properties", {}).items():
        here = f"{path}.{name}" if path else name
        yield here, field
        yield from fields(field, here)
        items = field.get("items")
        if isinstance(items, dict):
            yield from fields(items, f"{here}[]")


@pytest.mark.parametrize("name", [EVENT_SCHEMA, TIMELINE_SCHEMA])
def test_every_field_has_a_title_a_description_and_examples(name):
    schema = json.loads(schema_text(name))
    missing = [
        f"{path}: {key}"
        for path, field in fields(schema)
        for key in ("title", "description", "examples")
        if not field.get(key)
    ]
    assert not missing, f"{name} leaves fields undocumented for editors:\n" + "\n".join(missing)


@pytest.mark.parametrize("name", [EVENT_SCHEMA, TIMELINE_SCHEMA])
def test_every_example_is_valid(name):
    """An example that fails its own schema would teach the mistake it should prevent."""
    schema = json.loads(schema_text(name))
    root = Draft7Validator(schema, format_checker=_FORMATS)
    invalid = []
    for path, field in fields(schema):
        validator = root.evolve(schema=field)
        for example in field.get("examples", []):
            invalid += [f"{path}: {example!r}: {error.message}" for error in validator.iter_errors(example)]
    assert not invalid, "\n".join(invalid)


def _content_files():
    """Every content file the tests hold that is YAML at all: the good ones and each invalid case's."""
    tests = Path(__file__).parent
    for path in sorted(tests.glob("**/*.yaml")):
        if path.parent.name == "events" or path.name == "timeline.yaml":
            try:
                load_document(path)
            except ContentError:
                continue  # refused before validation: nothing for the validators to disagree on
            yield path


@pytest.mark.parametrize("path", list(_content_files()), ids=lambda path: str(path.relative_to(Path(__file__).parent)))
def test_the_compiled_validator_agrees_with_jsonschema(path):
    """A file the fast path lets through must be one jsonschema finds nothing wrong with, and back."""
    document = load_document(path)
    schema = timeline_schema() if path.name == "timeline.yaml" else event_schema(minimal_fields())
    assert validators_agree(document, schema)
