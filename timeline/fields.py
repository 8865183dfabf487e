"""Declared fields: what a timeline adds to the core of every event, by type.

The core (date, title, summary, body, tags, sources, the links between
events) is the same for every timeline. Anything subject-specific is
declared in timeline.yaml under `fields:`, with a name, a label, a type from
the small set below and whether readers filter by it. This module holds the
types: the JSON Schema each checks against, composed into the event schema
that editors and `check` use, and the typed value each becomes in the model.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from timeline.dates import PartialDate

TYPES = ("text", "choice", "country", "money", "number", "date", "url", "event")
"""Each type a declared field may have (timeline.schema.json says what each holds)."""

FILTERABLE = ("text", "choice", "country")
"""Types readers can filter by: their values are few and named."""

CORE_FIELDS = (
    "date",
    "end_date",
    "display_date",
    "order",
    "title",
    "summary",
    "body",
    "tags",
    "sources",
    "supersedes",
    "related",
    "media",
    "group",
)
"""What every event has; a declared field may not take one of these names."""

# The event schema's definition each type refers to; choice and text are written inline.
_DEFINITIONS = {
    "country": "country",
    "money": "money",
    "number": "number",
    "date": "date",
    "url": "web_url",
    "event": "event_id",
}


@dataclass(frozen=True)
class Choice:
    """One value of a choice field."""

    value: str
    """What event files write: lower-case letters, digits and hyphens."""
    label: str
    """What readers see, in the timeline's language."""


@dataclass(frozen=True)
class Field:
    """One field a timeline declares for its events."""

    name: str
    """The key event files write it under."""
    label: str
    """What readers see, in the timeline's language."""
    type: str
    """One of TYPES."""
    filter: bool = False
    """Whether the timeline's filters offer its values."""
    required: bool = False
    description: str = ""
    choices: tuple[Choice, ...] = ()
    """A choice field's values, in the order readers see them."""

    def choice(self, value: str) -> Choice:
        """The declared choice for a value an event wrote (validated already)."""
        return next(choice for choice in self.choices if choice.value == value)


@dataclass(frozen=True)
class Amount:
    """A money field's value."""

    value: int | Decimal
    """The exact figure; whole numbers stay int so they print without decimals."""
    currency: str
    """ISO 4217 code."""
    qualifier: str | None = None
    """`about`, `just over`, `up to` or `at least` when the sources are not exact."""


def localized(label: str | dict[str, str], language: str) -> str:
    """A label written as text, or as text by language (`{en: Status, fr: Statut}`), for `language`.

    `fr-CA` takes `fr-CA`, then `fr`, then English, then the first written.
    """
    if isinstance(label, str):
        return label
    base = language.split("-")[0]
    for wanted in (language, base, "en"):
        if wanted in label:
            return label[wanted]
    return next(iter(label.values()))


def declared_fields(declarations: list[dict], language: str) -> tuple[Field, ...]:
    """The fields of a valid timeline.yaml's `fields:` list, labels in the timeline's language."""
    return tuple(
        Field(
            name=item["name"],
            label=localized(item["label"], language),
            type=item["type"],
            filter=item.get("filter", False),
            required=item.get("required", False),
            description=item.get("description", ""),
            choices=tuple(
                Choice(choice["value"], localized(choice["label"], language)) for choice in item.get("choices", ())
            ),
        )
        for item in declarations
    )


def compose_event_schema(core: dict, fields: tuple[Field, ...]) -> dict:
    """The core event schema with each declared field as a property of its type.

    This is the schema `check` validates with and `timeline schemas` writes
    into the project for editors: a field's label and description become
    its title and description there, so an editor shows them while typing.
    """
    schema = copy.deepcopy(core)
    for field in fields:
        property_schema = _type_schema(field)
        property_schema["title"] = field.label
        if field.description:
            property_schema["description"] = field.description
        schema["properties"][field.name] = property_schema
        if field.required:
            schema["required"].append(field.name)
    return schema


def _type_schema(field: Field) -> dict:
    if field.type == "choice":
        return {"enum": [choice.value for choice in field.choices]}
    if field.type == "text":
        return {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"}
    return {"$ref": f"#/definitions/{_DEFINITIONS[field.type]}"}


def field_value(field: Field, raw: Any) -> Any:
    """The typed value of a field as an event wrote it (validated already)."""
    if field.type == "choice":
        return field.choice(raw)
    if field.type == "money":
        value = raw["value"]
        exact = int(value) if float(value).is_integer() else Decimal(str(value))
        return Amount(value=exact, currency=raw["currency"], qualifier=raw.get("qualifier"))
    if field.type == "number":
        return int(raw) if float(raw).is_integer() else Decimal(str(raw))
    if field.type == "date":
        return PartialDate.parse(raw)
    if field.type == "text":
        return raw.strip()
    return raw  # country, url, event: the text as written
