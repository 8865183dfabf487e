"""Model stage: validated documents become immutable Event and Timeline objects.

The rules that span files live here: unique, safe ids; tags from the
vocabulary; citations that resolve; supersedes/related that name real events
and do not loop; an end not before its start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.citations import bare_keys, cited_keys
from timeline.content import ID_PATTERN
from timeline.dates import InvalidDate, PartialDate
from timeline.errors import ContentError
from timeline.fields import CORE_FIELDS, FILTERABLE, Field, declared_fields, field_value
from timeline.loader import Document
from timeline.markdown import MAX_NESTING, nesting_depth
from timeline.schema import Schema, event_schema, suggest, timeline_schema, validate_document
from timeline.slugs import slugify

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# What the timeline's and the embed's addresses already mean: ?tag=ico&from=2021&order=newest.
_FILTER_PARAMETERS = {"tag", "tags", "from", "to", "order", "event"}
# Names Windows refuses as files, whatever the extension.
_RESERVED_IDS = {"con", "prn", "aux", "nul"} | {f"{name}{n}" for name in ("com", "lpt") for n in range(1, 10)}


@dataclass(frozen=True)
class Tag:
    key: str
    """Used in event files and in the tag page's URL."""
    label: str
    """What readers see."""
    description: str = ""


@dataclass(frozen=True)
class Source:
    number: int
    """1-based position in the event's list: the number readers see in [1]."""
    title: str
    publisher: str
    url: str
    published: PartialDate | None = None
    id: str | None = None
    """The citation key used as [@id] in the event's text."""
    author: str | None = None
    archive_url: str | None = None
    kind: str | None = None
    """`primary` (the original document: a decision, a paper, a letter) or `secondary` (reporting)."""
    quote: str | None = None


@dataclass(frozen=True)
class Event:
    id: str
    """The file stem: permanent, and the page's URL."""
    path: Path
    """The YAML file the event came from."""
    date: PartialDate
    title: str
    summary: str
    """Markdown, as written."""
    sources: tuple[Source, ...]
    end_date: PartialDate | None = None
    body: str = ""
    tags: tuple[Tag, ...] = ()
    values: tuple[tuple[Field, Any], ...] = ()
    """The timeline's declared fields this event has, in the order timeline.yaml declares them, with their typed values."""
    supersedes: tuple[str, ...] = ()
    superseded_by: tuple[str, ...] = ()
    """Derived: ids of the events that list this one in `supersedes`."""
    related: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.date.sort_key, self.id)

    def value(self, name: str) -> Any:
        """The typed value of the declared field `name`, or None when the event does not have it."""
        return next((value for field, value in self.values if field.name == name), None)

    def citation_number(self, key: str) -> int | None:
        """The number of the source cited as [@key], if this event has one."""
        for source in self.sources:
            if source.id == key:
                return source.number
        return None


@dataclass(frozen=True)
class Licence:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Timeline:
    title: str
    description: str
    language: str
    """BCP 47, e.g. `en-GB`; formatting uses it as a Babel locale."""
    tags: tuple[Tag, ...]
    events: tuple[Event, ...]
    """Oldest first; same date by id."""
    fields: tuple[Field, ...] = ()
    """The fields the timeline declares beyond the core, in the order readers see them."""
    base_url: str | None = None
    theme: str = "default"
    repository: str | None = None
    branch: str = "main"
    licence: Licence | None = None
    events_per_page: int = 100
    """Past this many events the timeline and tag pages split into numbered pages."""
    by_id: dict[str, Event] = field(default_factory=dict, compare=False, repr=False)

    @property
    def locale(self) -> str:
        return self.language.replace("-", "_")


SchemaCache = dict[Path, tuple[Document, list[ContentError]]]
"""Each event file's schema errors, kept with the Document they were found in."""
EventCache = dict[Path, tuple[Document, tuple[str, ...], "Event"]]
"""Each event built from its Document and the ids superseding it (the vocabulary must not change)."""


def build_timeline(
    timeline_doc: Document | None,
    event_docs: list[Document],
    event_files: list[Path] | None = None,
    schema_cache: SchemaCache | None = None,
    event_cache: EventCache | None = None,
) -> tuple[Timeline | None, list[ContentError]]:
    """Validate every document and build the Timeline; return it only if nothing is wrong.

    `schema_cache` lets a live preview skip the schema for files it has not
    re-read: a Document found in it (the same object) is not validated again.
    """
    errors: list[ContentError] = []
    vocabulary: dict[str, Tag] | None = None
    settings: dict | None = None
    fields: tuple[Field, ...] | None = None
    if timeline_doc is not None:
        problems = validate_document(timeline_doc, timeline_schema())
        errors.extend(problems)
        if not problems:
            settings = timeline_doc.data
            vocabulary = _vocabulary(timeline_doc, errors)
            fields = _fields(timeline_doc, errors)
        elif isinstance(timeline_doc.data, dict) and not any(_in_fields(problem) for problem in problems):
            # A mistake elsewhere in timeline.yaml: the fields it declares still check the events.
            fields = _fields(timeline_doc, errors)
    # Without the timeline's declarations, an event's own fields cannot be
    # told from mistakes: the schema then leaves them to the next run.
    schema = event_schema(fields) if fields is not None else event_schema(open_ended=True)

    # Every file's id counts as existing, valid or not and even unreadable, so
    # that one broken event does not also fail every event that links to it.
    known_ids = {path.stem for path in event_files or ()} | {document.path.stem for document in event_docs}
    # A misnamed file (2022-10-20-CNIL-Fine.yaml) is told to rename itself; links
    # to the name it will have are not errors too.
    known_ids |= {slugify(stem, limit=100) for stem in known_ids if not ID_PATTERN.match(stem)}
    valid: list[Document] = []
    for document in event_docs:
        problems = _schema_problems(document, schema, schema_cache) + _check_id(document)
        if isinstance(document.data, dict):
            problems += _check_event(document, vocabulary, fields or (), known_ids)
        errors.extend(problems)
        if not problems:
            valid.append(document)
    errors.extend(_check_supersede_cycles(valid))

    if errors or settings is None or vocabulary is None or fields is None:
        return None, errors
    superseded_by: dict[str, list[str]] = {}
    for document in valid:
        for target in document.data.get("supersedes", ()):
            superseded_by.setdefault(target, []).append(document.path.stem)
    events = sorted(
        (_cached_event(document, vocabulary, fields, superseded_by, event_cache) for document in valid),
        key=lambda event: event.sort_key,
    )
    licence = settings.get("licence")
    timeline = Timeline(
        title=settings["title"],
        description=settings["description"],
        language=settings["language"],
        tags=tuple(vocabulary.values()),
        events=tuple(events),
        fields=fields,
        base_url=settings.get("base_url"),
        theme=settings.get("theme", "default"),
        repository=settings.get("repository"),
        branch=settings.get("branch", "main"),
        licence=Licence(licence["name"], licence.get("url")) if licence else None,
        events_per_page=settings.get("events_per_page", 100),
        by_id={event.id: event for event in events},
    )
    return timeline, []


def _schema_problems(document: Document, schema: Schema, cache: SchemaCache | None) -> list[ContentError]:
    if cache is not None:
        cached = cache.get(document.path)
        if cached is not None and cached[0] is document:
            return cached[1]
    problems = validate_document(document, schema)
    if cache is not None:
        cache[document.path] = (document, problems)
    return problems


def _vocabulary(document: Document, errors: list[ContentError]) -> dict[str, Tag]:
    vocabulary: dict[str, Tag] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(document.data["tags"]):
        key = item["key"]
        if key in vocabulary:
            first = document.where(("tags", seen[key], "key"))[0]
            errors.append(
                document.error(f"the tag '{key}' is defined twice (first on line {first})", ("tags", index, "key"))
            )
            continue
        seen[key] = index
        vocabulary[key] = Tag(key=key, label=item["label"], description=item.get("description", ""))
    return vocabulary


def timeline_fields(document: Document, errors: list[ContentError]) -> tuple[Field, ...]:
    """The fields a timeline.yaml declares, with every problem of the file added to `errors`."""
    problems = validate_document(document, timeline_schema())
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
    document: Document, vocabulary: dict[str, Tag] | None, fields: tuple[Field, ...], known_ids: set[str]
) -> list[ContentError]:
    """Rules one schema cannot express: they need other files or several fields at once.

    They run even when the schema found errors, on whatever parts are well
    formed, so that one run reports everything.
    """
    data, errors = document.data, []
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
    links = [(name, index, target) for name in ("supersedes", "related") for index, target in _strings(data.get(name))]
    links += [
        (field.name, None, data[field.name])
        for field in fields
        if field.type == "event" and isinstance(data.get(field.name), str)
    ]
    for name, index, target in links:
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
    if start and end and end.last_day < start.first_day:
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


def _check_supersede_cycles(documents: list[Document]) -> list[ContentError]:
    """A case's history must be a chain: A supersedes B supersedes A is an error."""
    edges = {document.path.stem: document.data.get("supersedes", ()) for document in documents}
    by_id = {document.path.stem: document for document in documents}
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
                errors.append(by_id[child].error(f"the supersedes links form a loop: {loop}", ("supersedes",)))
            elif child in edges and child not in state:
                state[child] = on_path
                path.append(child)
                stack.append(iter(edges[child]))
    return errors


def _cached_event(
    document: Document,
    vocabulary: dict[str, Tag],
    fields: tuple[Field, ...],
    superseded_by: dict[str, list[str]],
    cache: EventCache | None,
) -> Event:
    later = tuple(sorted(superseded_by.get(document.path.stem, ())))
    if cache is not None:
        cached = cache.get(document.path)
        if cached is not None and cached[0] is document and cached[1] == later:
            return cached[2]
    event = _event(document, vocabulary, fields, superseded_by)
    if cache is not None:
        cache[document.path] = (document, later, event)
    return event


def _event(
    document: Document, vocabulary: dict[str, Tag], fields: tuple[Field, ...], superseded_by: dict[str, list[str]]
) -> Event:
    data = document.data
    return Event(
        id=document.path.stem,
        path=document.path,
        date=PartialDate.parse(data["date"]),
        end_date=PartialDate.parse(data["end_date"]) if "end_date" in data else None,
        title=data["title"].strip(),
        summary=data["summary"],
        body=data.get("body", ""),
        tags=tuple(vocabulary[key] for key in data.get("tags", ())),
        values=tuple((field, field_value(field, data[field.name])) for field in fields if field.name in data),
        supersedes=tuple(data.get("supersedes", ())),
        superseded_by=tuple(sorted(superseded_by.get(document.path.stem, ()))),
        related=tuple(data.get("related", ())),
        sources=tuple(_source(number, item) for number, item in enumerate(data.get("sources", ()), 1)),
    )


def _source(number: int, data: dict) -> Source:
    published = data.get("published")
    return Source(
        number=number,
        title=data["title"],
        publisher=data["publisher"],
        url=data["url"],
        published=PartialDate.parse(published) if published else None,
        id=data.get("id"),
        author=data.get("author"),
        archive_url=data.get("archive_url"),
        kind=data.get("kind"),
        quote=data.get("quote"),
    )
