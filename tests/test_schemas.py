"""The published schemas document every field for editors: a title, a description and valid examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import minimal_fields, validators_agree

from timeline.errors import ContentError
from timeline.loader import load_document
from timeline.schema import (
    EVENT_SCHEMA,
    TIMELINE_SCHEMA,
    _compiled,
    _validator,
    event_schema,
    schema_text,
    timeline_schema,
)


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
    root = _validator(schema_text(name))  # with the formats validation uses
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


def test_the_compiled_validator_is_kept_and_a_damaged_copy_is_compiled_again(tmp_path, monkeypatch):
    """Compiling the schema's code costs a tenth of a second in every process; a later one reads it back."""
    import fastjsonschema

    good = {"title": "T", "description": "D", "language": "en", "tags": [{"key": "k", "label": "K"}]}
    bad = {**good, "title": 3}
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = timeline_schema().text
    _compiled.cache_clear()
    _compiled(text)(good)
    (record,) = (tmp_path / "timeline").glob("schema-*.pickle")
    kept = record.read_bytes()

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again although the copy is good")

    with monkeypatch.context() as patch:
        patch.setattr(fastjsonschema, "compile_to_code", no_compiling)
        _compiled.cache_clear()
        validate = _compiled(text)
    validate(good)
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate(bad)
    for damaged in (b"", kept[: len(kept) // 2], kept[:-5] + b"xxxxx"):
        record.write_bytes(damaged)
        _compiled.cache_clear()
        with pytest.raises(fastjsonschema.JsonSchemaException):
            _compiled(text)(bad)
        assert record.read_bytes() == kept, "a good copy is written in its place"
    _compiled.cache_clear()
