"""A timeline project: finding the one a command runs in, and starting a new one (`init`).

A project is a folder holding `content/` (timeline.yaml and events/), the
JSON Schemas its files name in `schemas/`, and what publishes it. `new` and
`import` write into the project they are run in; `init` makes a project that
builds at once, and never overwrites a file.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

from timeline import __version__
from timeline.content import load_checked
from timeline.errors import ContentError, ContentInvalid
from timeline.fields import Field

CONTENT = "content"


class ProjectError(Exception):
    """The command cannot tell which project to work in, or would harm one."""


def find_content(explicit: Path | None, where: Path) -> Path:
    """The content folder a command writes into: `--content` if given, else the project `where` is in.

    Run from the project, its content folder or its events folder, the
    project is found; anywhere else the command says how to start one
    instead of writing a stray content/ folder.
    """
    if explicit is not None:
        return explicit
    for folder in (where, *where.parents)[:3]:
        content = _content_at(folder)
        if content is not None:
            return Path(os.path.relpath(content, where))
    raise ProjectError(
        f"no timeline here: {where} holds no {CONTENT}/timeline.yaml; start one with `timeline init DIR`, "
        "or name a content folder with --content"
    )


def _content_at(folder: Path) -> Path | None:
    """The content folder of the project `folder` is, or is the content folder of."""
    if (folder / CONTENT / "timeline.yaml").is_file():
        return folder / CONTENT
    if folder.name == CONTENT and (folder / "timeline.yaml").is_file():
        return folder
    return None


def is_worked_example(content_dir: Path) -> bool:
    """Whether `content_dir` is the worked example beside the package (timeline's own checkout)."""
    return content_dir.resolve() == Path(__file__).resolve().parent.parent / CONTENT


def read_fields(content_dir: Path) -> tuple[tuple[Field, ...], list[ContentError]]:
    """The fields the project's timeline.yaml declares, and what is wrong with the file (then no fields)."""
    # Imported here: the command line loads this module for every command, the validators only for these.
    from timeline.validate import timeline_fields

    errors: list[ContentError] = []
    document = load_checked(content_dir / "timeline.yaml", errors, required=True)
    fields = timeline_fields(document, errors) if document is not None else ()
    return (fields, []) if not errors else ((), errors)


def write_schemas(content_dir: Path, out: Path | None = None) -> list[Path]:
    """Write the project's schemas, composed with the fields its timeline.yaml declares."""
    from timeline.schema import SCHEMAS_DIR, project_schemas

    fields, errors = read_fields(content_dir)
    if errors:
        raise ContentInvalid(errors, files=1)
    folder = out or content_dir.parent / SCHEMAS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in project_schemas(fields).items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def ensure_schemas(content_dir: Path) -> list[Path]:
    """The project's schemas, written when it has none yet (so the files `new` writes can name them)."""
    from timeline.schema import EVENT_SCHEMA, SCHEMAS_DIR, TIMELINE_SCHEMA

    folder = content_dir.parent / SCHEMAS_DIR
    if (folder / EVENT_SCHEMA).is_file() and (folder / TIMELINE_SCHEMA).is_file():
        return []
    try:
        return write_schemas(content_dir)
    except ContentInvalid:
        return []  # timeline.yaml is broken: `check` says how, and `timeline schemas` writes them after


@dataclass
class Started:
    """What `init` wrote."""

    written: list[Path] = field(default_factory=list)


def start_project(
    folder: Path, *, title: str, language: str, description: str | None = None, example: bool = True
) -> Started:
    """Write a new project into `folder`: settings, an example event, schemas, workflows, a README.

    Refuses, writing nothing, inside an existing project or over any file.
    """
    for above in (folder, *folder.resolve().parents):
        if _content_at(above) is not None:
            raise ProjectError(f"{above} is already a timeline project: `init` starts a new one elsewhere")
    values = {
        "title": _quoted(title),
        "description": _quoted(description or "Every event on this timeline links to the sources it is based on."),
        "language": language,
        "date": datetime.date.today().isoformat(),
        "version": __version__,
    }
    files = {
        f"{CONTENT}/timeline.yaml": _scaffold("timeline.yaml", values),
        ".gitignore": _scaffold("gitignore", values),
        "requirements.txt": _scaffold("requirements.txt", values),
        "README.md": _scaffold("README.md", {**values, "title": title, "description": description or ""}),
        ".github/workflows/check.yml": _scaffold("check.yml"),
        ".github/workflows/pages.yml": _scaffold("pages.yml"),
    }
    if example:
        files[f"{CONTENT}/events/{values['date']}-this-timeline-was-started.yaml"] = _scaffold(
            "example-event.yaml", values
        )
    taken = [name for name in files if (folder / name).exists()]
    if taken:
        raise ProjectError(f"{folder} already has {', '.join(taken)}: `init` never overwrites a file")
    started = Started()
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        started.written.append(path)
    (folder / CONTENT / "events").mkdir(exist_ok=True)
    started.written += write_schemas(folder / CONTENT)
    return started


def _scaffold(name: str, values: dict[str, str] | None = None) -> str:
    text = resources.files("timeline").joinpath("scaffolds", "project", name).read_text(encoding="utf-8")
    return Template(text).substitute(values) if values is not None else text


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes are YAML's."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)
