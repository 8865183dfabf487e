"""Validate stage: whether each content file can be built, and every reason it cannot.

The schema says what one file may hold; the rules here span files or
fields: unique, safe ids; tags from the vocabulary; citations that resolve;
supersedes, related and event fields that name real events and do not loop;
an end not before its start. Nothing here changes what it checks: a bare
year written as a number is read as that year's text in a copy
(`normalized`), and the model stage builds from that copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.citations import bare_keys, cited_keys
from timeline.content import ID_PATTERN
from timeline.dates import InvalidDate, PartialDate
from timeline.errors import ContentError
from timeline.fields import CORE_FIELDS, FILTERABLE, Field, declared_fields
from timeline.imagefiles import ImageProblem, find_image
from timeline.loader import Document
from timeline.markdown import MAX_NESTING, nesting_depth
from timeline.model import Era, Group, ImageFile, Tag, media_kind
from timeline.schema import Schema, event_schema, normalized, suggest, timeline_schema, validate_data
from timeline.slugs import slugify

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# What the timeline's and the embed's addresses already mean: ?tag=ico&from=2021&order=newest.
_FILTER_PARAMETERS = {"tag", "tags", "from", "to", "order", "event"}
# Names Windows refuses as files, whatever the extension.
_RESERVED_IDS = {"con", "prn", "aux", "nul"} | {f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)}


@dataclass(frozen=True)
class Declarations:
    """What timeline.yaml sets for the events: the settings, the tag vocabulary and the declared fields.

    `settings` and `vocabulary` are None when timeline.yaml has a problem: the
    events are still checked (against its fields when those are sound) so
    that one run reports everything, but nothing is built.
    """

    settings: dict | None
    vocabulary: dict[str, Tag] | None
    fields: tuple[Field, ...] | None
    errors: tuple[ContentError, ...]
    images: dict[str, ImageFile] = field(default_factory=dict)
    """The images of timeline.yaml's own `media`, by path."""
    groups: dict[str, Group] | None = None
    """The lanes events may name in `group`, by key; None when timeline.yaml has a problem."""
    eras: tuple[Era, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and self.settings is not None and self.vocabulary is not None

    def event_schema(self) -> Schema:
        # Without the timeline's declarations, an event's own fields cannot be
        # told from mistakes: the schema then leaves them to the next run.
        return event_schema(self.fields) if self.fields is not None else event_schema(open_ended=True)


def check_declarations(timeline_doc: Document | None) -> Declarations:
    """timeline.yaml against its schema and the rules on its tags and fields."""
    if timeline_doc is None:
        return Declarations(None, None, None, ())
    errors: list[ContentError] = []
    data = _with_era_years(timeline_doc.data)
    problems = validate_data(timeline_doc, data, timeline_schema())
    errors.extend(problems)
    settings = vocabulary = fields = groups = None
    images: dict[str, ImageFile] = {}
    eras: tuple[Era, ...] = ()
    if not problems:
        settings = data
        vocabulary = _vocabulary(timeline_doc, errors)
        fields = _fields(timeline_doc, errors)
        groups = _groups(timeline_doc, errors)
        eras = _eras(timeline_doc, data, errors)
        errors.extend(check_media(timeline_doc, timeline_doc.data.get("media"), timeline_doc.path.parent, images))
    elif isinstance(data, dict) and not any(_in_fields(problem) for problem in problems):
        # A mistake elsewhere in timeline.yaml: the fields it declares still check the events.
        fields = _fields(timeline_doc, errors)
    return Declarations(settings, vocabulary, fields, tuple(errors), images, groups, eras)


def _with_era_years(data: Any) -> Any:
    """timeline.yaml's data with an era's bare year (`start: 2020`) as text, like an event's date: a copy if needed."""
    eras = data.get("eras") if isinstance(data, dict) else None
    if not isinstance(eras, list) or not any(
        isinstance(era, dict) and any(_bare_year(era.get(key)) for key in ("start", "end")) for era in eras
    ):
        return data
    return {
        **data,
        "eras": [
            {key: str(value) if key in ("start", "end") and _bare_year(value) else value for key, value in era.items()}
            if isinstance(era, dict)
            else era
            for era in eras
        ],
    }


def _bare_year(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _groups(document: Document, errors: list[ContentError]) -> dict[str, Group]:
    return _keyed(document, "groups", "group", Group, errors)


def _eras(document: Document, data: dict, errors: list[ContentError]) -> tuple[Era, ...]:
    eras = []
    for index, item in enumerate(data.get("eras", ())):
        start, end = PartialDate.parse(item["start"]), PartialDate.parse(item["end"])
        if _ends_before(end, start):
            errors.append(
                document.error(
                    f"the era '{item['label']}' ends ({end}) before it starts ({start}); swap them",
                    ("eras", index, "end"),
                )
            )
            continue
        eras.append(Era(label=item["label"], start=start, end=end, description=item.get("description", "")))
    return tuple(sorted(eras, key=lambda era: era.start.sort_key))


def known_ids(stems: set[str]) -> set[str]:
    """The ids links may name: every event file's, valid or not, and the name a misnamed file will get.

    One broken event must not also fail every event that links to it; a
    misnamed file (2022-10-20-CNIL-Fine.yaml) is told to rename itself, and
    links to the name it will have are not errors too.
    """
    return stems | {slugify(stem, limit=100) for stem in stems if not ID_PATTERN.match(stem)}


@dataclass(frozen=True)
class CheckedEvent:
    """One event file after its checks: its data as the model reads it, and what is wrong with it."""

    document: Document
    data: Any
    """The document's data with bare years as text (a copy where that changed anything)."""
    errors: tuple[ContentError, ...]
    images: dict[str, ImageFile] = field(default_factory=dict)
    """The project's images its `media` names, by path, as found."""


def check_event(document: Document, schema: Schema, declarations: Declarations, ids: set[str]) -> CheckedEvent:
    """The schema and the rules one event file must keep, with every problem found."""
    data = normalized(document.data, schema.date_fields)
    problems = validate_data(document, data, schema) + _check_id(document)
    images: dict[str, ImageFile] = {}
    if isinstance(data, dict):
        problems += _check_event(document, data, declarations.vocabulary, declarations.fields or (), ids)
        problems += _check_group(document, data, declarations.groups)
        problems += check_media(document, data.get("media"), document.path.parent.parent, images)
    return CheckedEvent(document, data, tuple(problems), images)


def event_links(data: dict, fields: tuple[Field, ...]) -> list[tuple[str, int | None, str]]:
    """Every id an event names: (field, index in its list or None, target)."""
    links = [(name, index, target) for name in ("supersedes", "related") for index, target in _strings(data.get(name))]
    links += [
        (field.name, None, data[field.name])
        for field in fields
        if field.type == "event" and isinstance(data.get(field.name), str)
    ]
    return links


def _vocabulary(document: Document, errors: list[ContentError]) -> dict[str, Tag]:
    return _keyed(document, "tags", "tag", Tag, errors)


def _keyed(document: Document, section: str, noun: str, make: type, errors: list[ContentError]) -> dict:
    """The `key`/`label`/`description` items of timeline.yaml's `section` by key; a key given twice is an error."""
    items: dict = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(document.data.get(section, ())):
        key = item["key"]
        if key in items:
            first = document.where((section, seen[key], "key"))[0]
            errors.append(
                document.error(f"the {noun} '{key}' is declared twice (first on line {first})", (section, index, "key"))
            )
            continue
        seen[key] = index
        items[key] = make(key=key, label=item["label"], description=item.get("description", ""))
    return items


def timeline_fields(document: Document, errors: list[ContentError]) -> tuple[Field, ...]:
    """The fields a timeline.yaml declares, with every problem of the file added to `errors`."""
    problems = validate_data(document, document.data, timeline_schema())
    errors.extend(problems)
    return () if problems else _fields(document, errors)


def _in_fields(problem: ContentError) -> bool:
    return problem.field == "fields" or problem.field.startswith(("fields[", "fields."))


def _fields(document: Document, errors: list[ContentError]) -> tuple[Field, ...]:
    """The declared fields of a valid timeline.yaml; what its schema cannot say is checked here."""
    declarations = document.data.get("fields", [])
    seen: dict[str, int] = {}
    for index, item in enumerate(declarations):
        name, kind = item["name"], item["type"]
        where = ("fields", index)
        if name in CORE_FIELDS:
            core = ", ".join(CORE_FIELDS)
            errors.append(
                document.error(
                    f"'{name}' is a field every event has; choose another name (the core: {core})", where + ("name",)
                )
            )
        elif name in seen:
            first = document.where(("fields", seen[name], "name"))[0]
            errors.append(
                document.error(f"the field '{name}' is declared twice (first on line {first})", where + ("name",))
            )
        seen.setdefault(name, index)
        if item.get("filter") and name in _FILTER_PARAMETERS:
            errors.append(
                document.error(
                    f"the filters' addresses already use '{name}' (?{name}=…); give a field readers filter by another name",
                    where + ("name",),
                )
            )
        if item.get("filter") and kind not in FILTERABLE:
            errors.append(
                document.error(
                    f"readers cannot filter by a {kind} field; only {', '.join(FILTERABLE)} fields can be filtered",
                    where + ("filter",),
                )
            )
        if "choices" in item and kind != "choice":
            errors.append(
                document.error(
                    f"only a choice field has choices, and this one is {kind}", where + ("choices",), key=True
                )
            )
        values: dict[str, int] = {}
        for number, choice in enumerate(item.get("choices", ())):
            if choice["value"] in values:
                errors.append(
                    document.error(
                        f"the choice '{choice['value']}' is listed twice", where + ("choices", number, "value")
                    )
                )
            values.setdefault(choice["value"], number)
    language = document.data.get("language")
    return declared_fields(declarations, language if isinstance(language, str) else "en")


def _check_id(document: Document) -> list[ContentError]:
    stem = document.path.stem
    if not ID_PATTERN.match(stem):
        fixed = slugify(stem, limit=100)
        fix = (
            f"rename it to {fixed}.yaml"
            if ID_PATTERN.match(fixed) and fixed not in _RESERVED_IDS
            else "e.g. 1971-first-email.yaml"
        )
        message = (
            f"the file name '{stem}' cannot be an event id: use lower-case letters, digits and hyphens "
            f"(at most 100); {fix}"
        )
    elif stem in _RESERVED_IDS:
        message = f"the file name '{stem}' is reserved on Windows; choose another name"
    else:
        return []
    return [ContentError(message, path=document.path)]


def _check_event(
    document: Document,
    data: dict,
    vocabulary: dict[str, Tag] | None,
    fields: tuple[Field, ...],
    known_ids: set[str],
) -> list[ContentError]:
    """Rules one schema cannot express: they need other files or several fields at once.

    They run even when the schema found errors, on whatever parts are well
    formed, so that one run reports everything.
    """
    errors: list[ContentError] = []
    if vocabulary is not None:
        for index, key in _strings(data.get("tags")):
            if TAG_PATTERN.match(key) and key not in vocabulary:  # else the schema reported it
                errors.append(
                    document.error(
                        f"'{key}' is not in the tag vocabulary of timeline.yaml{suggest(key, vocabulary)}; "
                        "add it there or use an existing tag",
                        ("tags", index),
                    )
                )
    for name, index, target in event_links(data, fields):
        where = (name,) if index is None else (name, index)
        if not ID_PATTERN.match(target):
            continue  # the schema reported it
        if target == document.path.stem:
            errors.append(document.error("an event cannot refer to itself", where))
        elif target not in known_ids:
            errors.append(
                document.error(
                    f"no event has the id '{target}'{suggest(target, known_ids)}; "
                    "an id is the file name of an event in content/events without .yaml",
                    where,
                )
            )
    start, end = _date_or_none(data.get("date")), _date_or_none(data.get("end_date"))
    if start and end and end.ends_before(start):
        errors.append(document.error(f"'{end}' is before the event's date '{start}'", ("end_date",)))

    sources = data.get("sources")
    keys: dict[str, int] = {}
    for index, source in enumerate(sources if isinstance(sources, list) else ()):
        key = source.get("id") if isinstance(source, dict) else None
        if isinstance(key, str):
            if key in keys:
                errors.append(document.error(f"two sources have the id '{key}'", ("sources", index, "id")))
            keys[key] = index
    for name in ("summary", "body"):
        text = data.get(name)
        text = text if isinstance(text, str) else ""
        if (depth := nesting_depth(text)) > MAX_NESTING:
            errors.append(
                document.error(
                    f"quotes and lists are nested {depth:,} levels deep; at most {MAX_NESTING} are shown, "
                    "so remove the extra '>' and list markers",
                    (name,),
                )
            )
        for key in dict.fromkeys(bare_keys(text)):
            if key in keys:
                errors.append(
                    document.error(
                        f"[{key}] is shown as written, not as a citation; write [@{key}]",
                        (name,),
                        at=document.locate((name,), rf"\[{re.escape(key)}\]"),
                    )
                )
        for key in dict.fromkeys(cited_keys(text)):
            if key not in keys and isinstance(sources, list):  # no sources at all: the schema says so
                known = (
                    f"the sources' ids are {', '.join(keys)}"
                    if keys
                    else "no source has an id yet: add id: " + key + " to the source you mean"
                )
                errors.append(
                    document.error(
                        f"[@{key}] cites no source of this event{suggest(key, keys)}; {known}",
                        (name,),
                        at=document.locate((name,), rf"@{re.escape(key)}(?![\w-])"),
                    )
                )
    return errors


def check_media(
    document: Document, items: object, content_dir: Path, images: dict[str, ImageFile]
) -> list[ContentError]:
    """The rules on `media` its schema cannot express; each image file found is added to `images` by path.

    `content_dir`: the folder image paths are relative to.
    """
    errors: list[ContentError] = []
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(item, dict):
            continue  # the schema reported it
        where = ("media", index)
        has = {name for name in ("file", "url", "quote") if isinstance(item.get(name), str)}
        kind = media_kind(item)
        if not has:
            errors.append(
                document.error(
                    "a media item needs file (an image in the project), url (a link) or quote (a quotation)", where
                )
            )
            continue
        if "quote" in has and has != {"quote"}:
            other = sorted(has - {"quote"})[0]
            errors.append(
                document.error(f"a quotation has no {other}; make it an item of its own", (*where, other), key=True)
            )
            continue
        if "file" in has and kind != "image":
            errors.append(
                document.error(f"a file is an image, and this item's kind is {kind}; remove kind", (*where, "kind"))
            )
        if kind == "image" and not (isinstance(item.get("alt"), str) and item["alt"].strip()):
            errors.append(
                document.error(
                    "every image needs alt: a few words saying what the picture shows, for readers who cannot see it",
                    where,
                )
            )
        if "poster" in item and kind == "image":
            errors.append(document.error("only a link card has a poster", (*where, "poster"), key=True))
        for name in ("file", "poster"):
            relative = item.get(name)
            if not isinstance(relative, str) or relative in images:
                continue
            try:
                images[relative] = find_image(content_dir, relative)[1]
            except ImageProblem as problem:
                errors.append(document.error(str(problem), (*where, name)))
    return errors


def _ends_before(end: PartialDate, start: PartialDate) -> bool:
    """Whether `end` is wholly before `start`, at the precision both have: 2020 may end an era from 2020-07."""
    depth = {"year": 1, "month": 2}
    parts = min(depth.get(end.precision, 3), depth.get(start.precision, 3))
    return end.sort_key[:parts] < start.sort_key[:parts]


def _check_group(document: Document, data: dict, groups: dict[str, Group] | None) -> list[ContentError]:
    key = data.get("group")
    if groups is None or not isinstance(key, str) or not TAG_PATTERN.match(key) or key in groups:
        return []  # timeline.yaml has a problem, or the schema reported it, or the group is declared
    if not groups:
        advice = "timeline.yaml declares no groups: add one under `groups` (key and label) or remove `group`"
    else:
        advice = f"the groups are {', '.join(groups)}"
    return [document.error(f"'{key}' is not a group of timeline.yaml{suggest(key, groups)}; {advice}", ("group",))]


def _strings(value: object) -> list[tuple[int, str]]:
    """The text items of a list with their indexes; anything else the schema reports."""
    return (
        [(index, item) for index, item in enumerate(value) if isinstance(item, str)] if isinstance(value, list) else []
    )


def _date_or_none(value: object) -> PartialDate | None:
    try:
        return PartialDate.parse(value) if isinstance(value, str) else None
    except InvalidDate:
        return None


def cycle_errors(edges: dict[str, tuple[str, ...]], document_of: Callable[[str], Document]) -> list[ContentError]:
    """A case's history must be a chain: A supersedes B supersedes A is an error.

    `edges`: each valid event's `supersedes`; `document_of(id)` gives the file
    to place an error in, read only when there is one.
    """
    on_path, done = 1, 2
    state: dict[str, int] = {}
    errors = []
    for root in sorted(edges):  # iterative depth-first search: long chains do not recurse
        if root in state:
            continue
        path, stack = [root], [iter(edges[root])]
        state[root] = on_path
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = done
                stack.pop()
            elif child in edges and state.get(child) == on_path:
                loop = " → ".join(path[path.index(child) :] + [child])
                errors.append(document_of(child).error(f"the supersedes links form a loop: {loop}", ("supersedes",)))
            elif child in edges and child not in state:
                state[child] = on_path
                path.append(child)
                stack.append(iter(edges[child]))
    return errors
