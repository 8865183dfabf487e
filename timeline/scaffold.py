"""`new`: a ready-to-fill event file, named from its date and title."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from importlib import resources
from pathlib import Path
from string import Template

from timeline.dates import InvalidDate, PartialDate


class ScaffoldError(Exception):
    """The event file cannot be created; `usage` when the arguments were at fault."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


def slugify(title: str, limit: int = 60) -> str:
    """`ICO fines Clearview AI £7.5m` → `ico-fines-clearview-ai-7-5m`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-")


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
    path = events_dir / f"{parsed.iso}-{slug}.yaml"
    template = Template(resources.files("timeline").joinpath("scaffolds", "event.yaml").read_text(encoding="utf-8"))
    copy = content_dir.parent / "schemas" / "event.schema.json"  # written by `timeline schemas`
    shipped = Path(str(resources.files("timeline").joinpath("schemas", "event.schema.json")))
    schema = Path(os.path.relpath(copy if copy.is_file() else shipped, events_dir))
    text = template.substitute(
        date=parsed.iso, title=json.dumps(title.strip(), ensure_ascii=False), schema_path=schema.as_posix()
    )
    events_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; edit it, or choose another title") from None
    return path
