"""The published schemas document every field for editors: a title, a description and valid examples."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft7Validator

from timeline.schema import EVENT_SCHEMA, TIMELINE_SCHEMA, _FORMATS, schema_text


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
