"""The recipe: load → validate → model → render → write, each stage once.

Nothing is written until every file has been read and checked: invalid
content, a missing theme or a template error leaves the previous site as it
was.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from timeline import unchanged
from timeline.content import load_content
from timeline.errors import ERROR, WARNING, BuildError, ContentError, ContentInvalid
from timeline.model import Timeline, build_timeline
from timeline.provenance import file_histories
from timeline.render import site_pages
from timeline.review import apply_levels, check_levels, review
from timeline.schema import project_schemas
from timeline.themes import builtin_themes_dir, make_environment, resolve_theme, static_files
from timeline.writer import write_failure, write_site


@dataclass(frozen=True)
class CheckReport:
    timeline: Timeline
    files: int
    """Content files read: timeline.yaml and every event."""
    warnings: list[ContentError] = field(default_factory=list)
    """Sorted by file and line."""


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    events: int
    files: int
    """Files written to the site."""
    seconds: float
    warnings: list[ContentError] = field(default_factory=list)
    unchanged: bool = False
    """Nothing the build reads had changed since the last one: the site was left as it was."""


def check(content_dir: Path, *, links: bool = False) -> CheckReport:
    """Load and validate every content file; raise ContentInvalid listing every error.

    With `links`, every cited address is also fetched (only when the content is
    otherwise valid: a broken file is fixed before the network is asked).
    """
    content = load_content(content_dir)
    # Model building runs even when some files failed to load, so that one
    # run reports the errors of every file.
    timeline, errors = build_timeline(content.timeline, content.events, content.event_files)
    schemas = project_schemas(timeline.fields) if timeline is not None else None
    findings = review(content.timeline, content.events, schemas=schemas)
    errors = content.errors + errors
    if links and not errors and not _errors(findings):
        from timeline.links import check_links, links_of  # the network stack only when asked

        findings += apply_levels(check_links(links_of(content.events)), check_levels(content.timeline))
    errors += _errors(findings)
    warnings = sorted((finding for finding in findings if finding.severity == WARNING), key=lambda w: w.sort_key)
    if errors or timeline is None:
        raise ContentInvalid(errors, warnings, content.files)
    return CheckReport(timeline=timeline, files=content.files, warnings=warnings)


def check_again(content_dir: Path) -> tuple[int, list[ContentError]]:
    """`check`'s file count and warnings, from the last check's record when nothing it reads has changed."""
    where = (content_dir,)
    inputs = unchanged.fingerprint(content_dir)  # before reading: an edit made meanwhile is seen next time
    report = unchanged.recall("check", where, inputs)
    if report is not None:
        return report["files"], unchanged.findings_from_data(report["warnings"])
    checked = check(content_dir)
    unchanged.remember(
        "check", where, inputs, {"files": checked.files, "warnings": unchanged.findings_to_data(checked.warnings)}
    )
    return checked.files, checked.warnings


def _errors(findings: list[ContentError]) -> list[ContentError]:
    return [finding for finding in findings if finding.severity == ERROR]


def build(
    content_dir: Path,
    out_dir: Path,
    *,
    theme: str | None = None,
    base_url: str | None = None,
    strict: bool = False,
    workers: int | None = None,
    force: bool = False,
) -> BuildReport:
    """Build the site from `content_dir` into `out_dir`, replacing it only when complete.

    `strict`: warnings stop the build too, before anything is written.
    `workers`: processes rendering pages (default: one per core, for large sites).
    `force`: build even when nothing has changed since the last build.
    """
    started = time.perf_counter()
    project_dir = content_dir.parent
    where = (content_dir, out_dir)
    options = {"out": str(out_dir.absolute()), "theme": theme, "base_url": base_url, "strict": strict}
    theme_dirs = (project_dir / "themes", project_dir / "templates", builtin_themes_dir())
    inputs = unchanged.fingerprint(content_dir, theme_dirs=theme_dirs, options=options)
    last = None if force else unchanged.recall("build", where, inputs, unchanged.site_stamp(out_dir))
    if last is not None:
        warnings = unchanged.findings_from_data(last["warnings"])
        return BuildReport(
            out_dir, last["events"], last["files"], time.perf_counter() - started, warnings, unchanged=True
        )
    unchanged.forget("build", where)

    checked = check(content_dir)
    if strict and checked.warnings:
        raise ContentInvalid([], checked.warnings, checked.files)
    timeline = checked.timeline
    if base_url is not None:
        timeline = dataclasses.replace(timeline, base_url=base_url)
    _refuse_content_inside(out_dir, content_dir)

    resolved = resolve_theme(theme or timeline.theme, [project_dir / "themes", builtin_themes_dir()])
    env = make_environment(resolved, overrides=project_dir / "templates")
    try:
        histories = file_histories([event.path for event in timeline.events], project_dir)
        by_id = {event.id: histories[event.path] for event in timeline.events}
        pages = list(site_pages(env, timeline, by_id))
        files = write_site(out_dir, pages, static_files(resolved), describe=describe_template_error, workers=workers)
    except jinja2.TemplateError as exc:
        raise BuildError(describe_template_error(exc)) from None
    except OSError as exc:
        raise write_failure(exc) from None
    report = {"events": len(timeline.events), "files": files, "warnings": unchanged.findings_to_data(checked.warnings)}
    unchanged.remember("build", where, inputs, report, unchanged.site_stamp(out_dir))
    return BuildReport(out_dir, len(timeline.events), files, time.perf_counter() - started, checked.warnings)


def _refuse_content_inside(out_dir: Path, content_dir: Path) -> None:
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or out in content.parents:
        raise BuildError(f"{out_dir}: the output folder would contain the content; choose another --out")


def describe_template_error(exc: jinja2.TemplateError) -> str:
    """`themes/x/templates/event.html:12: message`, from the template's own frame."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    # Jinja rewrites tracebacks so that template frames carry the template's
    # file name and line; the innermost one is where the error happened.
    location = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".json", ".txt", ".js")):
            location = f"{filename}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return f"{location}template error: {exc}"
