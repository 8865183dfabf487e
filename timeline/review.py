"""Validate stage, part three: the checks that warn.

The schema and the cross-file rules say whether a file can be built; these
say whether it is as good as it should be: a citation that will rot, a source
that predates what it is cited for, an event resting on news reports alone, a
file editors cannot check as it is typed. Each check has a name that
`checks:` in timeline.yaml can set to `error`, `warning` (the default) or `off`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dateutil.relativedelta import relativedelta

from timeline.citations import bare_keys, cited_keys
from timeline.errors import ERROR, WARNING, ContentError
from timeline.loader import Document
from timeline.model import Event
from timeline.schema import SCHEMAS_DIR, modeline

OFF = "off"

CHECKS = {
    "no-source": "an event has no source (an error unless set lower)",
    "no-archive": "a source has no archived copy (archive_url)",
    "source-before-event": "a source was published long before the event it supports",
    "no-primary": "none of an event's sources is primary (the original document: a decision, a paper, a letter, a dataset)",
    "no-citation": "an event's summary cites none of its sources",
    "id-date": "an event's file name starts with a date other than its date:",
    "schema-line": "a file lacks the editor line naming its schema, or the line names a missing file",
    "dead-link": "a cited address does not answer (only with check --links)",
    "moved-link": "a cited address moved permanently (only with check --links)",
}
"""Every check that can warn, and what it finds: the names `checks:` accepts."""

EARLIEST_SOURCE = datetime.timedelta(days=90)
"""A decision is often published weeks after it is dated; three months earlier is suspicious."""

SCHEMA_LINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")

Finding = Iterator[ContentError]


def check_levels(timeline: Document | None) -> dict[str, str]:
    """Each check's level: the default, overridden by `checks:` in timeline.yaml."""
    levels = dict.fromkeys(CHECKS, WARNING)
    levels["no-source"] = ERROR  # citing is what a timeline is for
    configured = timeline.data.get("checks") if timeline is not None and isinstance(timeline.data, dict) else None
    if isinstance(configured, dict):
        levels.update(
            {name: level for name, level in configured.items() if name in CHECKS and level in (ERROR, WARNING, OFF)}
        )
    return levels


def apply_levels(findings: Iterable[ContentError], levels: dict[str, str]) -> list[ContentError]:
    """Drop the findings of checks turned off; raise those set to `error` to errors."""
    kept = []
    for finding in findings:
        level = levels.get(finding.check, WARNING)
        if level == OFF:
            continue
        finding.severity = level
        kept.append(finding)
    return kept


def review_timeline(timeline: Document, levels: dict[str, str], schemas: dict[str, str]) -> list[ContentError]:
    """The findings on timeline.yaml itself. `schemas`: this timeline's schemas by file name,
    which the project's schemas/ folder should hold."""
    if levels["schema-line"] == OFF:
        return []
    findings = [*_schema_line(timeline, "timeline.schema.json", 1, {}), *_stale_schemas(timeline, schemas)]
    return apply_levels(findings, levels)


def review_event(
    event: Event, document: Document, levels: dict[str, str], wanted_lines: dict[tuple[Path, str], str]
) -> list[ContentError]:
    """Every finding of the checks turned on, for one event that builds.

    The checks read the typed event; the document only places what they find
    (its positions are worked out on the first finding). A check turned off
    is not run: on a large timeline, a warning for every source costs more
    than the rest of the check. `wanted_lines`: the schema line to suggest,
    by folder, worked out once for all the folder's files.
    """
    found = list(_schema_line(document, "event.schema.json", 2, wanted_lines)) if levels["schema-line"] != OFF else []
    for name, check in EVENT_CHECKS.items():
        if levels[name] != OFF:
            found.extend(check(event, document))
    return apply_levels(found, levels)


def _warning(document: Document, message: str, path: tuple, check: str, *, key: bool = False) -> ContentError:
    error = document.error(message, path, key=key)
    error.severity = WARNING
    error.check = check
    return error


def _no_archive(event: Event, document: Document) -> Finding:
    for source in event.sources:
        if not source.archive_url:
            yield _warning(
                document,
                "no archive_url; save the page at https://web.archive.org/save and add the copy's address, "
                "so the citation survives if the page moves",
                ("sources", source.position),
                "no-archive",
                key=True,
            )


def _source_before_event(event: Event, document: Document) -> Finding:
    for source in event.sources:
        published = source.published
        if published is None or published.end + EARLIEST_SOURCE.total_seconds() >= event.date.start:
            continue
        cycles = max(published.cycles_to_ad, event.date.cycles_to_ad)  # BC dates: moved into datetime's range
        try:
            gap = _describe_gap(relativedelta(event.date.moved(cycles), published.moved(cycles, last=True)))
        except (ValueError, OverflowError):  # more than 8,000 years apart
            gap = f"{event.date.astronomical_year - published.astronomical_year} years"
        yield _warning(
            document,
            f"published {published.iso}, {gap} before the event ({event.date.iso}); "
            "is it the right source, and are both dates right?",
            ("sources", source.position, "published"),
            "source-before-event",
        )


def _no_source(event: Event, document: Document) -> Finding:
    if not event.sources:
        written = "is empty" if "sources" in document.data else "missing"
        yield _warning(
            document,
            f"{written}: every event needs at least one source (title, publisher, url); to allow events "
            "without one while a timeline is being moved over, set `no-source: warning` under checks: in timeline.yaml",
            ("sources",),
            "no-source",
        )


def _no_primary(event: Event, document: Document) -> Finding:
    if event.sources and not any(source.kind == "primary" for source in event.sources):
        yield _warning(
            document,
            "no source is marked kind: primary; where it is public, cite the original document itself "
            "(the decision, paper, letter, dataset or recording the event is about) and mark it kind: primary",
            ("sources",),
            "no-primary",
            key=True,
        )


def _no_citation(event: Event, document: Document) -> Finding:
    summary = event.summary
    if not summary.strip() or any(True for _ in cited_keys(summary)):
        return
    ids = {source.id for source in event.sources}
    if not ids & set(bare_keys(summary)):  # a citation missing its @ is an error of its own
        yield _warning(
            document,
            "cites no source; put [@id] after each fact, naming the source it comes from",
            ("summary",),
            "no-citation",
        )


def _id_date(event: Event, document: Document) -> Finding:
    """The file name is the permanent address; a date in it that disagrees with the event's misleads editors."""
    named = re.match(r"^([0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?)(-bc)?(?:-|$)", event.id)
    if named is None:
        return
    prefix, written = named.group(1), event.date.slug.removesuffix("-bc")
    agrees = written.startswith(prefix) or prefix.startswith(written)
    if event.date.bce:  # 500 BC: 0500-bc-…
        agrees = agrees and named.group(2) is not None
        prefix += named.group(2) or ""
    if not agrees:
        yield _warning(
            document,
            f"the file name starts with {prefix} but the event's date is {event.date.date_iso}; if the date is right, "
            f"rename the file before it is published (its name is the event's address)",
            ("date",),
            "id-date",
        )


EVENT_CHECKS: dict[str, Callable[[Event, Document], Finding]] = {
    "no-source": _no_source,
    "no-archive": _no_archive,
    "source-before-event": _source_before_event,
    "no-primary": _no_primary,
    "no-citation": _no_citation,
    "id-date": _id_date,
}


def _schema_line(
    document: Document, schema_name: str, depth: int, wanted_lines: dict[tuple[Path, str], str]
) -> Finding:
    """Editors with the YAML language server validate a file as it is typed when its first line names the schema.

    `depth`: how far the file sits below the project folder (content/events/x.yaml: 2).
    `wanted_lines`: the suggested line by folder and schema, worked out once for all the folder's files.
    """
    first = document.text.split("\n", 1)[0].rstrip("\r")
    match = SCHEMA_LINE.match(first)
    if match is not None:
        target = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*://", target) or (document.path.parent / target).is_file():
            return
    key = (document.path.parent, schema_name)
    wanted = wanted_lines.get(key)
    if wanted is None:
        wanted = wanted_lines[key] = _wanted_line(document.path, schema_name, depth)
    if match is None:
        message = f"the first line should name the schema, so editors check the file as you type: {wanted}"
    else:
        message = f"the schema line names {match.group(1)}, which does not exist; use: {wanted}"
    yield ContentError(message, path=document.path, line=1, column=1, severity=WARNING, check="schema-line")


def _wanted_line(path: Path, schema_name: str, depth: int) -> str:
    """The exact line to write: to the project's own copy of the schema, which travels with the project."""
    line = modeline(schema_name, depth)
    if not (path.parents[depth] / SCHEMAS_DIR / schema_name).is_file():
        line += " (after `timeline schemas` has written the schemas into the project)"
    return line


def _stale_schemas(timeline: Document, schemas: dict[str, str]) -> Finding:
    """The project's schemas/ must say what timeline.yaml declares, or editors check against old fields."""
    folder = timeline.path.parent.parent / SCHEMAS_DIR
    for name, text in schemas.items():
        copy = folder / name
        try:
            written = copy.read_text(encoding="utf-8")
        except OSError:
            continue  # missing: each file's schema line says how to write it
        if written != text:
            yield ContentError(
                f"{SCHEMAS_DIR}/{name} is not the schema of this timeline's fields; run `timeline schemas` "
                "to write it again, so editors check files as `check` does",
                path=timeline.path,
                line=1,
                column=1,
                severity=WARNING,
                check="schema-line",
            )


def _describe_gap(gap: relativedelta) -> str:
    """`relativedelta(years=1, months=2)` → `1 year and 2 months`; days only under a month."""
    parts = [(gap.years, "year"), (gap.months, "month")] if gap.years or gap.months else [(gap.days, "day")]
    words = [f"{count} {unit}{'s' if count != 1 else ''}" for count, unit in parts if count]
    return " and ".join(words)
