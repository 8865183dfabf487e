"""The engine: load → validate → model → render → write, for `check`, `build` and `serve` alike.

One orchestrator runs the stages, and caching is its layer, not the
stages': each stage is a plain function of its input, and the engine keeps
what a stage gave for an input as long as that input is unchanged.

- A content file is kept as its event and its findings, by the file's stamp
  and, when the stamp moved, by the digest of its bytes. A file is read,
  parsed, validated and modelled again only when its bytes changed, when
  timeline.yaml or the project's schemas changed, or when an event it links
  to disappeared.
- A page is kept as what it shows (the events and other data it depends
  on): it is rendered again only when one of those changed, or when its
  list of them did; the theme, the options, timeline.yaml or the tool
  changing renders every page. A page that comes out as it is on disk is not
  written again.

`check` and `build` keep this in the user's cache folder between runs
(timeline/cache.py), so a run after one edit redoes only what the edit
touched; `serve` keeps it in memory. docs/architecture.md follows one event
through.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from timeline import cache, images, stamps
from timeline import search as search_index
from timeline.content import check_stray_files, event_files, parse_checked, read_checked
from timeline.errors import ERROR, WARNING, BuildError, ContentError, ContentInvalid
from timeline.fragments import Fragments
from timeline.loader import Document, load_document
from timeline.model import Event, Timeline, assemble, event_from
from timeline.pages import PageSpec
from timeline.parallel import forked_map
from timeline.provenance import FileHistory, file_histories
from timeline.render import site_pages
from timeline.review import check_levels, review_event, review_timeline
from timeline.schema import SCHEMAS_DIR, project_schemas
from timeline.search import SearchState
from timeline.themes import Theme, builtin_themes_dir, make_environment, resolve_theme, static_files
from timeline.validate import check_declarations, check_event, cycle_errors, known_ids
from timeline.writer import Later, site_stamp, update_site, write_failure, write_site

PARSED_PER_WORKER = 1500
"""Event files to read and check before a second process pays for itself."""

# --- what each stage keeps ---------------------------------------------------


@dataclass(frozen=True)
class FileRecord:
    """An event file that builds, as the validate, model and review stages left it."""

    stamp: stamps.Stamp
    digest: str
    """Of the file's bytes."""
    event: Event
    """As modelled from this file alone (what supersedes it is added when the timeline is assembled)."""
    findings: tuple[ContentError, ...]
    """The review's findings at the levels timeline.yaml sets (an `error` level makes them errors)."""
    links: frozenset[str]
    """The ids it names: it is checked again if one of them stops existing."""
    model: str
    """A digest of what the event is modelled from (its id and checked data, under the record's context):
    an edit that changes nothing shown, such as a comment, changes no page."""
    media: tuple[tuple[str, stamps.Stamp | None], ...] = ()
    """The images it shows, with their stamps when checked: it is checked again if one of them changes."""


@dataclass
class ContentState:
    context: str = ""
    """timeline.yaml and the project's schemas as the records were made with."""
    files: dict[str, FileRecord] = field(default_factory=dict)


@dataclass
class SiteState:
    context: str = ""
    """The theme, options, timeline.yaml and tool the pages were rendered with."""
    site: str = ""
    """The output folder's stamp after the last write: a site whose top folder or marker changed since is built whole."""
    keys: dict[str, tuple] = field(default_factory=dict)
    """Each event as rendered: its model's digest and what supersedes it."""
    histories: dict[str, FileHistory] = field(default_factory=dict)
    commit: str = ""
    pages: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each page (or data file) by output path, and what it shows."""
    statics: dict[str, str] = field(default_factory=dict)
    """Each static file by output path, and the digest of its source."""
    fragments: Fragments = field(default_factory=Fragments)
    """Parts of pages kept for the next render."""
    search: SearchState = field(default_factory=SearchState)
    """The search index's bundles as written (timeline/search.py)."""


# --- what the engine reports -------------------------------------------------


@dataclass(frozen=True)
class Checked:
    timeline: Timeline | None
    """None when anything is wrong."""
    errors: list[ContentError]
    warnings: list[ContentError]
    files: int
    """Content files found: timeline.yaml and every event file."""


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    events: int
    files: int
    """Files in the site."""
    seconds: float
    warnings: list[ContentError] = field(default_factory=list)
    unchanged: bool = False
    """Nothing the build reads had changed since the last one: the site was left as it was."""
    rendered: int = 0
    written: int = 0
    images: int = 0
    """Images made (resized and encoded): those made by an earlier build are not made again."""


@dataclass
class Update:
    """What one rebuild of `serve` did, or why it could not."""

    written: list[str] = field(default_factory=list)
    """Output paths written (new or changed), relative to the site folder."""
    removed: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    """Content errors; the site was left as it was."""
    warnings: list[ContentError] = field(default_factory=list)
    failure: str | None = None
    """A theme or template error, with its file and line; the site was left as it was."""
    rendered: int = 0
    """Pages rendered (written or found unchanged)."""
    images: int = 0
    """Images made (resized and encoded)."""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.failure is None


class Engine:
    """One content folder, checked and built, remembering what each stage made."""

    def __init__(
        self,
        content_dir: Path,
        *,
        theme: str | None = None,
        base_url: str | None = None,
        persist: bool = True,
    ) -> None:
        """`persist`: keep the stages' results in the user's cache folder between runs (check, build);
        without it they are kept only in this object (serve)."""
        self.content_dir = content_dir
        self.project_dir = content_dir.parent
        self.theme_name = theme
        self.base_url = base_url
        self.persist = persist
        self._where = (str(content_dir), os.getcwd())  # error messages name files as given, from here
        self._content: ContentState | None = None
        self._content_shards: list[dict] = []
        self._site_shards: list[dict] = []
        self._sites: dict[str, SiteState] = {}
        self._env: tuple[str, Theme, jinja2.Environment] | None = None

    # --- load, validate, model, review -------------------------------------------------------

    def check(self) -> Checked:
        """Every content file loaded, validated, modelled and reviewed; only what changed is redone."""
        state = self._content_state()
        errors: list[ContentError] = []
        timeline_path = self.content_dir / "timeline.yaml"
        raw = read_checked(timeline_path, errors, required=True)
        timeline_doc = parse_checked(raw, timeline_path, errors) if raw is not None else None
        check_stray_files(self.content_dir, errors)
        paths = event_files(self.content_dir / "events", errors)
        schemas_dir = self.project_dir / SCHEMAS_DIR
        context = stamps.digest(stamps.content_digest(raw or b""), sorted(stamps.folder_stamps(schemas_dir).items()))
        if state.context != context:
            state = ContentState(context)
        checking = _Checking(timeline_doc, paths, errors)
        records: dict[str, FileRecord] = {}
        stale: list[tuple[Path, stamps.Stamp | None, FileRecord | None]] = []
        for path in paths:
            stamp = stamps.file_stamp(path)  # before reading: an edit made meanwhile is seen next time
            record = state.files.get(str(path))
            if record is not None and record.stamp == stamp and record.links <= checking.ids and _same_media(record):
                records[str(path)] = record
            else:
                stale.append((path, stamp, record))
        for path, (record, found) in zip(
            [path for path, _, _ in stale], forked_map(checking.refresh, stale, least=PARSED_PER_WORKER), strict=True
        ):
            errors.extend(found)
            if record is not None:
                records[str(path)] = record
        state.files = records
        self._content = state
        if self.persist:
            cache.save(self._content_path(), self._content_key(), state.context)
            self._content_shards = cache.save_shards(
                self._content_path(), self._content_key(), state.context, records, self._content_shards, str
            )
        files = (timeline_path.exists() or timeline_path.is_symlink()) + len(paths)
        return checking.result(list(records.values()), files, self.base_url)

    def _content_state(self) -> ContentState:
        if self._content is None:
            self._content = ContentState()
            context = cache.load(self._content_path(), self._content_key()) if self.persist else None
            if isinstance(context, str):
                self._content_shards = cache.load_shards(self._content_path(), self._content_key(), context)
                files = {key: record for shard in self._content_shards for key, record in shard.items()}
                self._content = ContentState(context, files)
        return self._content

    def _content_path(self) -> Path:
        return cache.record_path("content", *self._where)

    def _content_key(self) -> str:
        return stamps.digest("content", *self._where)

    # --- render and write --------------------------------------------------------------------

    def render_plan(
        self, timeline: Timeline, out_dir: Path, state: SiteState | None, media: dict[str, Path] | None = None
    ) -> Plan:
        """The pages to render, and those to delete, for bringing the site at `out_dir` up to `timeline`.

        `state`: the site as the last render left it; None renders every page.
        `media`: the images' copies to publish (site path → made file), from `images.prepare`.
        """
        resolved, env, context = self._theme(timeline)
        everything = state is None or state.context != context
        on_disk = state.search if state is not None else None
        state = state or SiteState()
        commit = stamps.last_commit(self.project_dir)
        events = timeline.events
        if not everything and state.commit == commit and all(event.id in state.histories for event in events):
            histories = {event.id: state.histories[event.id] for event in events}
        else:
            by_path = file_histories([event.path for event in events], self.project_dir)
            histories = {event.id: by_path[event.path] for event in events}
        records = self._content.files if self._content is not None else {}
        keys = {event.id: (_model_of(records, event), event.superseded_by) for event in events}
        changed = {
            key
            for key in keys.keys() | state.keys.keys()
            if keys.get(key) != state.keys.get(key) or histories.get(key) != state.histories.get(key)
        }
        fragments = state.fragments
        fragments.begin(context, keys)
        searching = search_index.start_search(timeline, fragments, on_disk, out_dir)  # indexes while pages render
        specs = list(site_pages(env, timeline, histories, fragments))
        pages = {spec.path: spec.deps for spec in specs}

        def stale(spec: PageSpec) -> bool:
            return everything or state.pages.get(spec.path) != spec.deps or not spec.deps.isdisjoint(changed)

        render = [spec for spec in specs if stale(spec)]
        statics = static_files(resolved)
        static_digests = {path: stamps.file_digest(source) for path, source in statics.items()}
        for path, made in (media or {}).items():  # named after their content: the name is the digest
            statics.setdefault(path, made)
            static_digests.setdefault(path, path)
        present = _files_present(out_dir, statics)
        copy = {
            path: source
            for path, source in statics.items()
            if state.statics.get(path) != static_digests[path] or path not in present
        }
        removed = sorted(
            path
            for path in (state.pages.keys() - pages.keys()) | (state.statics.keys() - statics.keys())
            if not search_index.owns(path)
        )
        after = SiteState(context, "", keys, histories, commit, pages, static_digests, fragments, SearchState())

        searched_again: list[PageSpec] = []

        def later() -> tuple[list[PageSpec], list[str]]:
            """The search index's pages, once made, and its files no longer made; the plan learns of them."""
            made, after.search = searching.result()
            fresh = [spec for spec in made if stale(spec)]
            searched_again.extend(fresh)
            after.pages.update((spec.path, spec.deps) for spec in made)
            retired = sorted(path for path in state.pages.keys() - after.pages.keys() if search_index.owns(path))
            return fresh, retired

        return Plan(specs, render, copy, statics, removed, after, later, searched_again)

    def _theme(self, timeline: Timeline) -> tuple[Theme, jinja2.Environment, str]:
        """The theme's environment, made again only when the theme, its templates or timeline.yaml changed."""
        search = [self.project_dir / "themes", builtin_themes_dir()]
        resolved = resolve_theme(self.theme_name or timeline.theme, search)
        overrides = self.project_dir / "templates"
        files = stamps.tree_stamps([*resolved.chain, overrides])
        settings = dataclasses.replace(timeline, events=(), by_id={})
        context = stamps.digest(sorted(files.items()), repr(settings), self.theme_name, self.base_url, stamps.tool())
        if self._env is None or self._env[0] != context:
            self._env = (context, resolved, make_environment(resolved, overrides=overrides))
        _, theme, env = self._env
        return theme, env, context

    def build(
        self, out_dir: Path, *, strict: bool = False, workers: int | None = None, force: bool = False
    ) -> BuildReport:
        """Bring the site at `out_dir` up to date; the previous site stays whole until the new one is complete."""
        started = time.perf_counter()
        run_path = cache.record_path("build", *self._where, str(out_dir.absolute()), self.theme_name, self.base_url)
        inputs = self._inputs(strict=strict)
        last = None if force else cache.load(run_path, inputs)
        if isinstance(last, dict) and last.get("site") == site_stamp(out_dir) and _same_images(last):
            return BuildReport(
                out_dir, last["events"], last["files"], time.perf_counter() - started, last["warnings"], unchanged=True
            )
        cache.forget(run_path)
        checked = self.check()
        if checked.errors or checked.timeline is None:
            raise ContentInvalid(checked.errors, checked.warnings, checked.files)
        if strict and checked.warnings:
            raise ContentInvalid([], checked.warnings, checked.files)
        _refuse_content_inside(out_dir, self.content_dir)
        site_path = cache.record_path("site", *self._where, str(out_dir.absolute()), self.theme_name, self.base_url)
        state = self._sites.get(str(out_dir))
        if state is None and self.persist and not force:
            state = self._load_site(site_path)
        in_place = state is not None and bool(state.site) and state.site == site_stamp(out_dir)
        media, made = images.prepare(self.content_dir, checked.timeline)
        plan = self.render_plan(checked.timeline, out_dir, state if in_place else None, media)
        cache.forget(site_path)  # a run that dies while writing leaves no record: the next builds whole
        try:
            if in_place:
                written = update_site(
                    out_dir,
                    plan.render,
                    plan.copy,
                    plan.removed,
                    describe=describe_template_error,
                    workers=workers,
                    later=plan.later,
                )
                files = len(plan.after.pages) + len(plan.after.statics)
                rendered = len(plan.render) + len(plan.searched_again)
            else:
                files = write_site(
                    out_dir,
                    plan.specs,
                    plan.statics,
                    describe=describe_template_error,
                    workers=workers,
                    later=plan.later,
                )
                written, rendered = [], len(plan.after.pages)  # every page, the index's included
        except jinja2.TemplateError as exc:
            raise BuildError(describe_template_error(exc)) from None
        except OSError as exc:
            raise write_failure(exc) from None
        plan.after.site = site_stamp(out_dir)
        self._sites[str(out_dir)] = plan.after
        if self.persist:
            self._save_site(site_path, plan.after)
            record = {"events": len(checked.timeline.events), "files": files, "warnings": checked.warnings}
            record["media"] = self._image_stamps(checked.timeline)
            cache.save(run_path, inputs, {**record, "site": plan.after.site})
        return BuildReport(
            out_dir,
            len(checked.timeline.events),
            files,
            time.perf_counter() - started,
            checked.warnings,
            rendered=rendered,
            written=len(written) if in_place else files,
            images=made,
        )

    def _load_site(self, path: Path) -> SiteState | None:
        head = cache.load(path, self._content_key())
        if not isinstance(head, SiteState):
            return None
        self._site_shards = cache.load_shards(path, self._content_key(), head.context)
        kept = {key: piece for shard in self._site_shards for key, piece in shard.items()}
        return dataclasses.replace(head, fragments=Fragments.restore(head.context, kept))

    def _save_site(self, path: Path, state: SiteState) -> None:
        """The site's record, its kept pieces apart: an edit rewrites only the shards holding what it changed."""
        cache.save(path, self._content_key(), dataclasses.replace(state, fragments=Fragments()))
        self._site_shards = cache.save_shards(
            path, self._content_key(), state.context, state.fragments.kept, self._site_shards, lambda key: key[1]
        )

    def update(self, out_dir: Path) -> Update:
        """`serve`: bring the site in `out_dir` (a folder of its own) up to date with the files as they are now.

        Invalid content or a broken template leaves the last good site as it was.
        """
        started = time.perf_counter()
        update = Update()
        checked = self.check()
        update.warnings = checked.warnings
        if checked.errors or checked.timeline is None:
            update.errors = checked.errors
            update.seconds = time.perf_counter() - started
            return update
        state = self._sites.get(str(out_dir))
        try:
            media, update.images = images.prepare(self.content_dir, checked.timeline)
            plan = self.render_plan(checked.timeline, out_dir, state, media)
            update.written = update_site(
                out_dir,
                plan.render,
                plan.copy,
                plan.removed,
                describe=describe_template_error,
                workers=1,
                later=plan.later,
            )
            update.removed = plan.removed
            update.rendered = len(plan.render) + len(plan.searched_again)
            plan.after.site = site_stamp(out_dir)
            self._sites[str(out_dir)] = plan.after
        except BuildError as exc:
            update.failure = str(exc)
        except jinja2.TemplateError as exc:
            update.failure = describe_template_error(exc)
        update.seconds = time.perf_counter() - started
        return update

    def template(self, name: str) -> jinja2.Template:
        """A template of the theme in use (for serve's error page), loading the theme if need be."""
        if self._env is None:
            search = [self.project_dir / "themes", builtin_themes_dir()]
            resolved = resolve_theme(self.theme_name or "default", search)
            self._env = ("", resolved, make_environment(resolved, overrides=self.project_dir / "templates"))
        return self._env[2].get_template(name)

    def watched(self) -> list[Path]:
        """The folders whose changes call for a rebuild: content, the project's schemas, themes and templates."""
        return [
            self.content_dir,
            self.project_dir / SCHEMAS_DIR,
            self.project_dir / "themes",
            self.project_dir / "templates",
            builtin_themes_dir(),
        ]

    def _inputs(self, **options: object) -> str:
        """A digest of every stamp a run reads: equal digests, equal results (the quick answer to "nothing changed")."""
        content = [
            *stamps.folder_stamps(self.content_dir).items(),
            *stamps.folder_stamps(self.content_dir / "events").items(),
            *stamps.folder_stamps(self.project_dir / SCHEMAS_DIR).items(),
        ]
        theme = stamps.tree_stamps([self.project_dir / "themes", self.project_dir / "templates", builtin_themes_dir()])
        return stamps.digest(
            sorted(content),
            sorted(theme.items()),
            self.theme_name,
            self.base_url,
            sorted(options.items()),
            stamps.last_commit(self.project_dir),
        )

    def _image_stamps(self, timeline: Timeline) -> list[tuple[str, stamps.Stamp | None]]:
        """The stamps of the images the timeline shows: not among the folders `_inputs` reads."""
        shown = {str(self.content_dir / image.path) for image in images.all_images(timeline)}
        return [(path, stamps.file_stamp(path)) for path in sorted(shown)]

    def check_again(self) -> tuple[int, list[ContentError]]:
        """`check`'s file count and warnings, from the last check's record when nothing it reads has changed."""
        run_path = cache.record_path("check", *self._where)
        inputs = self._inputs()
        last = cache.load(run_path, inputs)
        if isinstance(last, dict) and _same_images(last):
            return last["files"], last["warnings"]
        checked = self.check()
        if checked.errors or checked.timeline is None:
            raise ContentInvalid(checked.errors, checked.warnings, checked.files)
        record = {"files": checked.files, "warnings": checked.warnings}
        cache.save(run_path, inputs, {**record, "media": self._image_stamps(checked.timeline)})
        return checked.files, checked.warnings


class _Checking:
    """One run of the validate, model and review stages over a timeline's files, collecting every error."""

    def __init__(self, timeline_doc: Document | None, paths: list[Path], errors: list[ContentError]) -> None:
        self.timeline_doc = timeline_doc
        self.errors = errors
        self.declarations = check_declarations(timeline_doc)
        errors.extend(self.declarations.errors)
        self.levels = check_levels(timeline_doc)
        self.ids = known_ids({path.stem for path in paths})
        self.schema = self.declarations.event_schema()
        self._wanted: dict[tuple[Path, str], str] = {}

    def refresh(
        self, stale: tuple[Path, stamps.Stamp | None, FileRecord | None]
    ) -> tuple[FileRecord | None, list[ContentError]]:
        """An event file whose stamp moved: its record kept if its bytes did not change, else made again.

        Runs in a worker for large timelines: the errors come back with the record.
        """
        path, stamp, record = stale
        errors: list[ContentError] = []
        data = read_checked(path, errors, required=True)
        if data is None:
            return None, errors
        digest = stamps.content_digest(data)
        if record is not None and record.digest == digest and record.links <= self.ids and _same_media(record):
            return dataclasses.replace(record, stamp=stamp), errors
        document = parse_checked(data, path, errors)
        if document is None:
            return None, errors
        kept, self.errors = self.errors, errors
        try:
            return self.event(document, stamp, digest), errors
        finally:
            self.errors = kept

    def event(self, document: Document, stamp: stamps.Stamp | None, digest: str) -> FileRecord | None:
        """One event file through the stages: its record when it builds, else None with its errors kept."""
        checked = check_event(document, self.schema, self.declarations, self.ids)
        self.errors.extend(checked.errors)
        vocabulary, fields = self.declarations.vocabulary, self.declarations.fields
        if checked.errors or vocabulary is None or fields is None:
            return None
        event = event_from(document.path, checked.data, vocabulary, fields, checked.images, self.declarations.groups)
        findings = review_event(event, document, self.levels, self._wanted)
        content_dir = document.path.parent.parent
        return FileRecord(
            stamp or (0, 0, 0, 0),
            digest,
            event,
            tuple(findings),
            _links(event),
            stamps.digest(document.path.stem, checked.data, sorted(image.digest for image in checked.images.values())),
            tuple((str(content_dir / name), stamps.file_stamp(content_dir / name)) for name in sorted(checked.images)),
        )

    def result(self, records: list[FileRecord], files: int, base_url: str | None = None) -> Checked:
        """The rules across files, then the timeline when nothing is wrong."""
        errors = self.errors
        events = [record.event for record in records]
        by_id = {event.id: event for event in events}
        errors.extend(
            cycle_errors(
                {event.id: event.supersedes for event in events},
                lambda key: load_document(by_id[key].path),  # read again only to place an error
            )
        )
        findings = [finding for record in records for finding in record.findings]
        declarations = self.declarations
        if self.timeline_doc is not None:
            schemas = project_schemas(declarations.fields) if declarations.ok else {}
            findings.extend(review_timeline(self.timeline_doc, self.levels, schemas))
        errors.extend(finding for finding in findings if finding.severity == ERROR)
        warnings = sorted((finding for finding in findings if finding.severity == WARNING), key=lambda w: w.sort_key)
        errors.sort(key=lambda error: error.sort_key)
        timeline = None
        if not errors and declarations.ok:
            timeline = assemble(
                declarations.settings,
                declarations.vocabulary,
                declarations.fields,
                events,
                declarations.images,
                declarations.groups,
                declarations.eras,
            )
            if base_url is not None:
                timeline = dataclasses.replace(timeline, base_url=base_url)
        return Checked(timeline, errors, warnings, files)


def check_documents(
    timeline_doc: Document | None, event_docs: list[Document], paths: list[Path] | None = None
) -> Checked:
    """The stages over documents already parsed, nothing kept: for tests and tools that have no folder."""
    errors: list[ContentError] = []
    checking = _Checking(timeline_doc, [*(paths or ()), *(document.path for document in event_docs)], errors)
    records = [checking.event(document, None, "") for document in event_docs]
    return checking.result([record for record in records if record is not None], 1 + len(event_docs))


@dataclass
class Plan:
    specs: list[PageSpec]
    """Every page of the site."""
    render: list[PageSpec]
    """Those to render again."""
    copy: dict[str, Path]
    """Static files to copy again."""
    statics: dict[str, Path]
    removed: list[str]
    after: SiteState
    later: Later
    """The search index's pages, made meanwhile: `after` is complete once it has been called."""
    searched_again: list[PageSpec]
    """The search index's pages rendered again, once `later` has been called."""


def _links(event: Event) -> frozenset[str]:
    named = {*event.supersedes, *event.related}
    named.update(value for field_, value in event.values if field_.type == "event")
    return frozenset(named)


def _files_present(out_dir: Path, paths: Iterable[str]) -> set[str]:
    """Which of `paths` are files in `out_dir`: one listing per folder, not a look at each of thousands of images."""
    listed: dict[str, set[str]] = {}
    present = set()
    for path in paths:
        folder, _, name = path.rpartition("/")
        if folder not in listed:
            listed[folder] = stamps.file_names(out_dir / folder)
        if name in listed[folder]:
            present.add(path)
    return present


def _same_images(last: dict) -> bool:
    """The images a run's record names are as they were then."""
    return all(stamps.file_stamp(path) == stamp for path, stamp in last.get("media", ()))


def _same_media(record: FileRecord) -> bool:
    """The images the record's event shows are as they were when it was checked."""
    return all(stamps.file_stamp(path) == stamp for path, stamp in record.media)


def _model_of(records: dict[str, FileRecord], event: Event) -> str:
    record = records.get(str(event.path))
    return record.model if record is not None else ""


# --- the commands ------------------------------------------------------------


def check(content_dir: Path, *, links: bool = False) -> Checked:
    """Load and validate every content file; raise ContentInvalid listing every error.

    With `links`, every cited address is also fetched (only when the content is
    otherwise valid: a broken file is fixed before the network is asked).
    """
    checked = Engine(content_dir).check()
    errors, warnings = list(checked.errors), list(checked.warnings)
    if links and not errors and checked.timeline is not None:
        from timeline.content import load_content
        from timeline.links import check_links, links_of  # the network stack only when asked
        from timeline.review import apply_levels

        content = load_content(content_dir)
        found = apply_levels(check_links(links_of(content.events)), check_levels(content.timeline))
        errors += [finding for finding in found if finding.severity == ERROR]
        warnings = sorted(warnings + [f for f in found if f.severity == WARNING], key=lambda w: w.sort_key)
    if errors or checked.timeline is None:
        raise ContentInvalid(errors, warnings, checked.files)
    return Checked(checked.timeline, [], warnings, checked.files)


def check_again(content_dir: Path) -> tuple[int, list[ContentError]]:
    return Engine(content_dir).check_again()


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
    """Build the site from `content_dir` into `out_dir`.

    `strict`: warnings stop the build too, before anything is written.
    `workers`: processes rendering pages (default: one per core, for large sites).
    `force`: build whole, as if for the first time.
    """
    return Engine(content_dir, theme=theme, base_url=base_url).build(
        out_dir, strict=strict, workers=workers, force=force
    )


def _refuse_content_inside(out_dir: Path, content_dir: Path) -> None:
    out, content = out_dir.resolve(), content_dir.resolve()
    if out == content or out in content.parents:
        raise BuildError(f"{out_dir}: the output folder would contain the content; choose another --out")


def describe_template_error(exc: BaseException) -> str:
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
