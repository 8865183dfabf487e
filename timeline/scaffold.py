"""`new`: a ready-to-fill event file, named from its date and title."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from string import Template

from timeline.dates import InvalidDate, PartialDate
from timeline.fields import Field
from timeline.project import read_fields
from timeline.schema import EVENT_SCHEMA, modeline
from timeline.slugs import slugify


class ScaffoldError(Exception):
    """The event file cannot be created; `usage` when the arguments were at fault."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


# What each type of field looks like, written out as a commented example.
_EXAMPLES = {
    "text": '""',
    "country": "'GB'                  # an ISO 3166-1 code: GB, FR, NO…",
    "money": "{value: 1000, currency: EUR}   # the exact figure; qualifier: about, if the sources say so",
    "number": "0",
    "date": "'2024-01-31'          # YYYY-MM-DD, YYYY-MM or YYYY",
    "url": "https://",
    "event": "2024-01-31-another-event   # the id (file name without .yaml) of another event",
}


def _field_lines(field: Field) -> str:
    """A declared field as a commented example, with what it means."""
    about = field.label + (f": {field.description}" if field.description else "")
    lines = [f"# {'Required' if field.required else 'Optional'} - {about}"]
    if field.type == "choice":
        values = ", ".join(choice.value for choice in field.choices)
        lines += [f"# One of: {values}.", f"# {field.name}: {field.choices[0].value}"]
    else:
        lines.append(f"# {field.name}: {_EXAMPLES[field.type]}")
    return "\n".join(lines) + "\n\n"


def write_event(content_dir: Path, title: str, date: str) -> Path:
    """Create content/events/<date>-<slug>.yaml; never overwrite an existing file."""
    try:
        parsed = PartialDate.parse(date)
    except InvalidDate as exc:
        raise ScaffoldError(f"--date: {exc}", usage=True) from None
    slug = slugify(title)
    if not title.strip() or not slug:
        raise ScaffoldError("the title needs at least one letter or digit", usage=True)
    events_dir = content_dir / "events"
    path = events_dir / f"{parsed.slug}-{slug}.yaml"  # 500 BC: 0500-bc-…
    template = Template(resources.files("timeline").joinpath("scaffolds", "event.yaml").read_text(encoding="utf-8"))
    text = template.substitute(
        date=parsed.iso,
        title=json.dumps(title.strip(), ensure_ascii=False),
        schema_line=modeline(EVENT_SCHEMA, 2),
        # A broken timeline.yaml gives no fields here: `check` says what is wrong with it.
        fields="".join(_field_lines(field) for field in read_fields(content_dir)[0]),
    )
    events_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; edit it, or choose another title") from None
    return path
