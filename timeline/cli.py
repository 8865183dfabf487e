"""The command line: `timeline [build|check|new] …`. Only this module prints."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from timeline import __version__
from timeline.errors import BuildError, ContentInvalid
from timeline.loader import HAS_LIBYAML
from timeline.project import ProjectError

if TYPE_CHECKING:  # the importer is loaded only by init and import
    from timeline.importer import ImportOptions, Prepared
from timeline.report import (
    FORMATS,
    Outcome,
    count_of,
    github_annotations,
    github_summary,
    json_report,
    sorted_findings,
    text_lines,
)

OK, INVALID, USAGE = 0, 1, 2
GC_THRESHOLD = 100_000
"""Allocations between two collections of the youngest objects (Python's default: 700)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline",
        description="Build a cited static timeline site from one YAML file per event.",
        epilog="Without a command, `build` runs. Exit status: 0 ok, 1 invalid content or failed build, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="check the content and build the site",
        description="Check every content file, then build the site into --out, replacing it only when the new site is complete. "
        "When nothing the build reads (content, theme, options, the tool, the last commit) has changed since the last build "
        "into --out, the site is left as it is.",
    )
    _content_option(build)
    build.add_argument(
        "--out", type=Path, default=Path("site"), metavar="DIR", help="where to build the site (default: site)"
    )
    build.add_argument("--theme", metavar="NAME", help="theme to use (default: theme: in timeline.yaml, else default)")
    build.add_argument("--force", action="store_true", help="build even when nothing has changed since the last build")
    build.add_argument(
        "--base-url", metavar="URL", help="the address the site is published at, e.g. https://example.org/timeline/"
    )
    _report_options(build)

    check = commands.add_parser(
        "check",
        help="check the content without building",
        description="Check every content file against the schema and the cross-file rules; print every error and warning.",
    )
    _content_option(check)
    check.add_argument(
        "--links",
        action="store_true",
        help="also fetch every cited address and report dead or moved ones (needs the network)",
    )
    _report_options(check)

    serve = commands.add_parser(
        "serve",
        help="preview the site as you edit, reloading the browser on every save",
        description="Build into a temporary folder (never site/), serve it, and rebuild what an edit touches on every "
        "save; the open page reloads by itself and shows content errors over the last good build. Ctrl-C stops.",
    )
    _content_option(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--theme", metavar="NAME", help="theme to use (default: theme: in timeline.yaml, else default)")

    schemas = commands.add_parser(
        "schemas",
        help="write the JSON Schemas into the project, for editors",
        description="Write event.schema.json (the core composed with the fields timeline.yaml declares) and "
        "timeline.schema.json into the project's schemas/ folder, which content files' "
        "'# yaml-language-server: $schema=' lines name. Run it again after changing the fields.",
    )
    _content_option(schemas)
    schemas.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write them (default: schemas/ beside the content folder)"
    )

    init = commands.add_parser(
        "init",
        help="start a new timeline project",
        description="Write a new timeline project into DIR: content/timeline.yaml with every key explained, an "
        "example event that passes `check` (or the events of a TimelineJS file), the JSON Schemas for editors, "
        "a README, .gitignore, and GitHub workflows that check pull requests and publish the site. "
        "Never overwrites a file, and refuses inside an existing project.",
    )
    init.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR", help="where (default: here)")
    init.add_argument(
        "--title", help="the timeline's title (default: a TimelineJS file's title slide, else DIR's name)"
    )
    init.add_argument("--language", default="en", help="the content's language, a BCP 47 tag (default: en)")
    init.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="FILE",
        help="a TimelineJS JSON file or spreadsheet CSV to import: its title slide becomes the title and intro, "
        "its eras and groups the timeline's",
    )
    _import_options(init)

    new = commands.add_parser(
        "new",
        help="create a new event file",
        description="Write content/events/<date>-<slug>.yaml with every field commented, ready to fill in.",
    )
    new.add_argument("title", help='the event\'s title, e.g. "The first email is sent"')
    new.add_argument(
        "--date",
        required=True,
        help="the event's date: YYYY-MM-DD, YYYY-MM or YYYY; --date=-0500 for 500 BC; 2020-07-09T14:30+01:00 for a time",
    )
    _content_option(new, found=True)

    import_ = commands.add_parser(
        "import",
        help="turn a TimelineJS timeline (JSON, or its spreadsheet as CSV) into event files",
        description="Write one content/events/<date>-<slug>.yaml per event slide of a TimelineJS3 JSON file or of its "
        "Google Sheets template exported as CSV (columns matched by name): dates (BCE years too), times of day, display "
        "dates, the order of slides of one date, text as Markdown, media (remote addresses stay references until "
        "`timeline fetch-media`) and groups. The title slide's text and media, the eras and the groups are added to "
        "timeline.yaml where it lacks them. The paths written go to stdout; what could not be imported goes to "
        "stderr, by CSV row (the header is row 1) or JSON path, with the field and why. Links in a slide's text "
        "become its sources; a slide without one gets an empty source to fill in, and `check` fails until it is.",
        epilog="A slide that cannot be imported (a wrong date, a value of the wrong kind) is reported and the others "
        "are written; nothing is written when the file itself cannot be read. An existing event file is never "
        "overwritten: it is skipped and the others are written. Exit status: 0 every slide written; 1 the file is "
        "unreadable or malformed, a slide could not be imported, or a file was skipped because it exists; 2 usage error.",
    )
    import_.add_argument(
        "file", type=Path, metavar="FILE", help="a TimelineJS .json file, or the spreadsheet saved as .csv"
    )
    _import_options(import_)
    _content_option(import_, found=True)

    fetch = commands.add_parser(
        "fetch-media",
        help="download remote images into content/media/ and name them in their files",
        description="Fetch each remote image (a media item with kind image and a url, but no file) into "
        "content/media/, check it as any image in the project (a JPEG, PNG, GIF or WebP within the size limits), and "
        "add `file: media/<name>` to its item, leaving the rest of the YAML file as it was and the url as the image's "
        "origin. Builds never use the network: until it is fetched, a remote image is shown as a link card.",
        epilog="Each item is reported: what was fetched goes to stdout, what failed to stderr, with its file and line. "
        "Exit status: 0 every image fetched (or none to fetch); 1 one or more could not be; 2 usage error.",
    )
    fetch.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per image (default: 30)")
    _content_option(fetch, found=True)
    return parser


def _import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timezone",
        metavar="ZONE",
        help="where the file's times of day were written: a zone (Europe/Paris), UTC, or an offset (+01:00); "
        "TimelineJS's times carry none, so without this they are reported and not imported",
    )
    parser.add_argument(
        "--media-base",
        metavar="URL",
        help="the address the timeline was published at, to read media paths like /img/x.jpg against",
    )


def _content_option(parser: argparse.ArgumentParser, *, found: bool = False) -> None:
    if found:  # a command that writes content finds the project it runs in, or is told
        parser.add_argument(
            "--content",
            type=Path,
            metavar="DIR",
            help="the content folder (default: the project this runs in: ./content, or the content folder it is in)",
        )
        return
    parser.add_argument(
        "--content", type=Path, default=Path("content"), metavar="DIR", help="the content folder (default: content)"
    )


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default); github: annotations on the pull request's lines, and the full report in the job summary; json: for tools",
    )


def run() -> None:
    """The `timeline` command: `main`, then exit without tearing the heap down object by object.

    A large build holds a few hundred thousand objects; freeing each one at
    exit took a third of a second, after everything was written and closed.
    """
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")  # `timeline --out x` means `timeline build --out x`
    args = parser.parse_args(argv)
    # A run builds hundreds of thousands of objects that live until it ends; the
    # cycle collector's default pace walks them all again every few thousand
    # allocations (a fifth of a build's time), for garbage that is rare.
    gc.set_threshold(GC_THRESHOLD, 50, 50)
    # Stopped by a service manager or CI (SIGTERM) as by Ctrl-C: a build cleans up its temporary folder.
    signal.signal(signal.SIGTERM, _interrupt)
    if not HAS_LIBYAML:
        print(
            "warning: PyYAML has no libyaml; loading is several times slower (reinstall PyYAML with libyaml)",
            file=sys.stderr,
        )
    try:
        if args.command == "build":
            return _build(args, parser)
        if args.command == "check":
            return _check(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "schemas":
            return _schemas(args)
        if args.command == "import":
            return _import(args)
        if args.command == "init":
            return _init(args)
        if args.command == "fetch-media":
            return _fetch_media(args)
        return _new(args, parser)
    except ContentInvalid as invalid:
        outcome = Outcome(
            invalid.files, sorted_findings(invalid.errors, invalid.warnings), getattr(args, "strict", False)
        )
        _report(outcome, getattr(args, "format", "text"))
        return INVALID
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return INVALID
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from timeline.engine import build

    base_url = args.base_url
    if base_url is not None:
        if not base_url.startswith(("https://", "http://")):
            parser.error(f"--base-url: expected an address starting with https://, got {base_url!r}")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    report = build(args.content, args.out, theme=args.theme, base_url=base_url, strict=args.strict, force=args.force)
    if report.warnings and args.format == "github":
        _report(Outcome(report.events + 1, report.warnings), args.format, summary=False)
    elif report.warnings:  # the check lists them; a build only reminds
        print(
            f"{count_of(len(report.warnings), 'warning')} in the content: `timeline check` lists them", file=sys.stderr
        )
    events = count_of(report.events, "event")
    if report.unchanged:
        print(
            f"{report.out_dir}/ is up to date: nothing has changed since the last build ({events}, {report.files} files)"
        )
    elif report.written < report.files:
        print(
            f"built {events} into {report.out_dir}/ ({report.files} files, "
            f"{report.written} written again, {report.seconds:.2f} s)"
        )
    else:
        print(f"built {events} into {report.out_dir}/ ({report.files} files, {report.seconds:.2f} s)")
    return OK


def _check(args: argparse.Namespace) -> int:
    from timeline.engine import check, check_again

    if args.links:  # the web changes by itself: always asked again
        checked = check(args.content, links=True)
        files, warnings = checked.files, checked.warnings
    else:
        files, warnings = check_again(args.content)
    outcome = Outcome(files, warnings, args.strict)
    _report(outcome, args.format)
    return OK if outcome.ok else INVALID


def _serve(args: argparse.Namespace) -> int:
    from timeline.serve import serve

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        return serve(args.content, host=args.host, port=args.port, theme=args.theme, out=say)
    except OSError as exc:
        print(
            f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; choose another --port",
            file=sys.stderr,
        )
        return INVALID


def _schemas(args: argparse.Namespace) -> int:
    from timeline.project import write_schemas
    from timeline.schema import SCHEMAS_DIR

    out = args.out or args.content.parent / SCHEMAS_DIR
    try:
        for path in write_schemas(args.content, out):
            print(path)
    except OSError as exc:
        print(f"error: cannot write the schemas into {out}: {exc.strerror}", file=sys.stderr)
        return INVALID
    return OK


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from timeline.project import ensure_schemas, find_content
    from timeline.scaffold import ScaffoldError, write_event

    content = find_content(args.content, Path.cwd())
    try:
        path = write_event(content, args.title, args.date)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE if exc.usage else INVALID
    _note_schemas(ensure_schemas(content))
    print(path)
    return OK


def _fetch_media(args: argparse.Namespace) -> int:
    from timeline.fetch import fetch_media
    from timeline.project import find_content

    content = find_content(args.content, Path.cwd())
    results = fetch_media(content, timeout=args.timeout)
    for result in results:
        where = result.where
        if result.ok:
            print(f"{where.location(Path.cwd())}: {where.field}: {where.message}")
        else:
            print(where.format(Path.cwd()), file=sys.stderr)
    failed = sum(not result.ok for result in results)
    fetched = len(results) - failed
    print(f"{count_of(fetched, 'image')} fetched, {failed} failed", file=sys.stderr)
    return INVALID if failed else OK


def _note_schemas(written: list[Path]) -> None:
    """The schemas a project lacked, written so that the new files' first line names them."""
    if written:
        names = ", ".join(str(path) for path in written)
        print(f"wrote {names}: the schemas editors check the event files against", file=sys.stderr)


def _init(args: argparse.Namespace) -> int:
    from timeline.importer import prepare_import
    from timeline.project import start_project
    from timeline.timelinejs_reader import TimelineJSError

    prepared = None
    if args.source is not None:
        try:
            prepared = prepare_import(args.source, _import_settings(args))  # a file that cannot be read starts nothing
            if not prepared.drafts:  # nor one whose every slide fails
                raise TimelineJSError([line for _, line in sorted(prepared.notes, key=lambda note: note[0])])
        except TimelineJSError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print(f"nothing written: {args.source} cannot be imported", file=sys.stderr)
            return INVALID
    slide_title, slide_text = prepared.title if prepared and prepared.title else (None, None)
    title = args.title or slide_title or args.dir.resolve().name.replace("-", " ").replace("_", " ").capitalize()
    started = start_project(
        args.dir, title=title, language=args.language, description=slide_text or None, example=prepared is None
    )
    for path in started.written:
        print(path)
    code = OK
    if prepared is not None:
        code = _write_import(args.source, args.dir / "content", prepared)
    where = "" if args.dir == Path(".") else f"cd {args.dir} && "
    print(f"started {title!r}: {where}timeline serve to see it, timeline new to add an event", file=sys.stderr)
    return code


def _import(args: argparse.Namespace) -> int:
    from timeline.importer import prepare_import
    from timeline.project import ProjectError, ensure_schemas, find_content, is_worked_example
    from timeline.timelinejs_reader import TimelineJSError

    content = find_content(args.content, Path.cwd())
    if args.content is None and is_worked_example(content):
        raise ProjectError(
            "this is timeline's own worked example: start your own timeline with "
            f"`timeline init DIR --from {args.file}`, or pass --content to import into this one"
        )
    try:
        prepared = prepare_import(args.file, _import_settings(args))
    except TimelineJSError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"nothing imported from {args.file}", file=sys.stderr)
        return INVALID
    _note_schemas(ensure_schemas(content))
    return _write_import(args.file, content, prepared)


def _import_settings(args: argparse.Namespace) -> ImportOptions:
    """--timezone and --media-base, checked: a usage error names what is wrong."""
    from timeline.importer import ImportOptions
    from timeline.timelinejs_dates import zone_offset

    if args.timezone is not None and zone_offset(args.timezone) is None:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ProjectError(
                f"--timezone {args.timezone!r} is not a time zone: give a name like Europe/Paris or America/New_York, "
                "UTC, or an offset like +01:00"
            ) from None
    if args.media_base is not None and not args.media_base.startswith(("http://", "https://")):
        raise ProjectError(f"--media-base {args.media_base!r} is not a web address starting with https:// or http://")
    return ImportOptions(timezone=args.timezone, media_base=args.media_base)


def _write_import(source: Path, content: Path, prepared: Prepared) -> int:
    from timeline.importer import import_timelinejs
    from timeline.timelinejs_reader import TimelineJSError

    try:
        report = import_timelinejs(source, content, prepared)
    except TimelineJSError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"nothing imported from {source}", file=sys.stderr)
        return INVALID
    for path in report.written:
        print(path)
    for note in report.notes:
        print(note, file=sys.stderr)
    if report.failure:
        print(f"error: {report.failure}", file=sys.stderr)
    print(report.summary(content / "events"), file=sys.stderr)
    return INVALID if report.skipped or report.failure or report.failed else OK


def _report(outcome: Outcome, form: str, *, summary: bool = True) -> None:
    """Findings go to stderr, with the summary; stdout carries the summary of a pass and the JSON report."""
    cwd = Path.cwd()
    if form == "json":
        print(json_report(outcome, cwd))
        return
    lines = github_annotations(outcome, cwd) if form == "github" else text_lines(outcome, cwd)
    for line in lines:
        print(line, file=sys.stderr)
    if form == "github":
        _write_step_summary(github_summary(outcome, cwd))
    if summary:
        print(outcome.summary(), file=sys.stdout if outcome.ok else sys.stderr)


def _write_step_summary(markdown: str) -> None:
    """Append the full report to the job summary when running in GitHub Actions."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown)
    except OSError as exc:
        print(f"warning: cannot write the job summary to {target}: {exc.strerror}", file=sys.stderr)
