"""A site kept up to date in a folder while its content is edited: the engine behind `serve`.

After an edit, only the files that changed are read and validated again, and
only the pages that show a changed event (or whose list of events changed)
are rendered again; a page whose text comes out the same is not rewritten.
A change to timeline.yaml or to the theme renders every page, still writing
only those that differ. Invalid content leaves the last good site in place
and reports the errors, for the preview's overlay.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from timeline.content import check_stray_files, event_files, load_checked
from timeline.errors import ERROR, WARNING, BuildError, ContentError
from timeline.loader import Document
from timeline.model import Event, EventCache, SchemaCache, Timeline, build_timeline
from timeline.pipeline import describe_template_error
from timeline.provenance import FileHistory, file_histories
from timeline.render import site_pages
from timeline.review import ReviewCache, review
from timeline.themes import Theme, builtin_themes_dir, make_environment, resolve_theme, static_files

Stamp = tuple[int, int]
"""A file's modification time (ns) and size: enough to notice an editor's save."""


@dataclass
class Update:
    """What one rebuild did, or why it could not."""

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
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.failure is None


class Preview:
    """The site of one content folder, kept current in `out_dir`."""

    def __init__(self, content_dir: Path, out_dir: Path, *, theme: str | None = None) -> None:
        self.content_dir = content_dir
        self.project_dir = content_dir.parent
        self.out_dir = out_dir
        self.theme_name = theme
        self._stamps: dict[str, Stamp] = {}
        self._documents: dict[Path, Document] = {}
        self._load_errors: dict[Path, ContentError] = {}
        self._timeline_doc: Document | None = None
        self._schema_cache: SchemaCache = {}
        self._event_cache: EventCache = {}
        self._review_cache: ReviewCache = {}
        self._events: dict[str, Event] = {}
        self._pages: dict[str, tuple[frozenset[str], str]] = {}
        """Output path → (what the page showed, digest of its text), for the last good build."""
        self._statics: dict[str, str] = {}
        self._theme_stamps: dict[Path, Stamp] = {}
        self._histories: dict[str, FileHistory] = {}
        self._env: jinja2.Environment | None = None
        self._theme: Theme | None = None

    def template(self, name: str) -> jinja2.Template:
        """A template of the preview's theme (for the error overlay), loading the theme if need be."""
        if self._env is None:
            search = [self.project_dir / "themes", builtin_themes_dir()]
            self._env = make_environment(
                resolve_theme(self.theme_name or "default", search), self.project_dir / "templates"
            )
        return self._env.get_template(name)

    # --- what changed --------------------------------------------------------

    def watched_stamps(self) -> dict[str, Stamp]:
        """Every file whose change calls for a rebuild, with its stamp: cheap enough to poll often."""
        stamps: dict[str, Stamp] = {}
        for folder in (self.content_dir, self.content_dir / "events"):
            _stamp_yaml(str(folder), stamps)
        for path in self._theme_files():
            try:
                info = os.stat(path)
            except OSError:
                continue
            stamps[path] = (info.st_mtime_ns, info.st_size)
        return stamps

    def _theme_files(self) -> list[str]:
        folders = [self.project_dir / "templates", self.project_dir / "themes", builtin_themes_dir()]
        files = []
        for folder in folders:
            for root, _, names in os.walk(folder):
                files.extend(os.path.join(root, name) for name in names)
        return files

    # --- rebuilding ----------------------------------------------------------

    def rebuild(self) -> Update:
        """Bring the site up to date with the files as they are now."""
        started = time.perf_counter()
        update = Update()
        stamps = self.watched_stamps()
        names = {path for path, stamp in stamps.items() if self._stamps.get(path) != stamp}
        names |= self._stamps.keys() - stamps.keys()  # deleted files
        self._stamps = stamps
        if not names and self._env is not None:
            return update  # nothing changed since the last rebuild
        changed = {Path(name) for name in names}
        theme_changed = self._env is None or any(not path.is_relative_to(self.content_dir) for path in changed)
        everything = theme_changed or (self.content_dir / "timeline.yaml") in changed

        self._reload(changed)
        timeline, errors, warnings = self._validate()
        update.warnings = warnings
        if errors or timeline is None:
            update.errors = errors
        else:
            try:
                if theme_changed:
                    self._load_theme(timeline)
                self._render(timeline, everything, update)
            except BuildError as exc:
                update.failure = str(exc)
            except jinja2.TemplateError as exc:
                update.failure = describe_template_error(exc)
        update.seconds = time.perf_counter() - started
        return update

    def _reload(self, changed: set[Path]) -> None:
        """Read again the content files that changed; forget those that are gone."""
        timeline_file = self.content_dir / "timeline.yaml"
        if timeline_file in changed or self._timeline_doc is None:
            errors: list[ContentError] = []
            self._timeline_doc = load_checked(timeline_file, errors, required=True)
            self._event_cache.clear()  # events hold the vocabulary's tags and the declared fields
            self._schema_cache.clear()  # the event schema is composed with the declared fields
            self._review_cache.clear()  # which checks run is set here
            self._load_errors.pop(timeline_file, None)
            if errors:
                self._load_errors[timeline_file] = errors[0]
        for path in changed:
            if path == timeline_file or path.parent != self.content_dir / "events":
                continue
            self._documents.pop(path, None)
            self._load_errors.pop(path, None)
            if path.exists():
                errors = []
                document = load_checked(path, errors, required=True)
                if document is not None:
                    self._documents[path] = document
                else:
                    self._load_errors[path] = errors[0]

    def _validate(self) -> tuple[Timeline | None, list[ContentError], list[ContentError]]:
        listing_errors: list[ContentError] = []
        check_stray_files(self.content_dir, listing_errors)
        files = event_files(self.content_dir / "events", listing_errors)
        documents = [self._documents[path] for path in files if path in self._documents]
        timeline, errors = build_timeline(self._timeline_doc, documents, files, self._schema_cache, self._event_cache)
        findings = review(self._timeline_doc, documents, self._review_cache)
        errors = listing_errors + list(self._load_errors.values()) + errors
        errors += [finding for finding in findings if finding.severity == ERROR]
        warnings = [finding for finding in findings if finding.severity == WARNING]
        return timeline, sorted(errors, key=lambda e: e.sort_key), sorted(warnings, key=lambda w: w.sort_key)

    def _load_theme(self, timeline: Timeline) -> None:
        search = [self.project_dir / "themes", builtin_themes_dir()]
        self._theme = resolve_theme(self.theme_name or timeline.theme, search)
        self._env = make_environment(self._theme, overrides=self.project_dir / "templates")

    def _render(self, timeline: Timeline, everything: bool, update: Update) -> None:
        """Render the pages the change touched, write those whose text changed, delete those gone."""
        assert self._env is not None
        assert self._theme is not None
        events = {event.id: event for event in timeline.events}
        changed_ids = {key for key in events.keys() | self._events.keys() if events.get(key) != self._events.get(key)}
        if everything or not self._histories:
            histories = file_histories([event.path for event in timeline.events], self.project_dir)
            self._histories = {event.id: histories[event.path] for event in timeline.events}
        for key in changed_ids & events.keys():
            self._histories.setdefault(key, FileHistory(_relative(events[key].path, self.project_dir)))

        pages: dict[str, tuple[frozenset[str], str]] = {}
        writes: dict[str, bytes] = {}
        for spec in site_pages(self._env, timeline, self._histories):
            previous = self._pages.get(spec.path)
            if not everything and previous is not None and previous[0] == spec.deps and not spec.deps & changed_ids:
                pages[spec.path] = previous
                continue
            data = spec.render().encode("utf-8")
            update.rendered += 1
            digest = hashlib.sha256(data).hexdigest()
            pages[spec.path] = (spec.deps, digest)
            if previous is None or previous[1] != digest or not (self.out_dir / spec.path).is_file():
                writes[spec.path] = data

        statics = {}
        for path, source in static_files(self._theme).items():
            data = source.read_bytes()
            statics[path] = hashlib.sha256(data).hexdigest()
            if self._statics.get(path) != statics[path] or not (self.out_dir / path).is_file():
                writes[path] = data

        for path, data in writes.items():
            _write(self.out_dir, path, data)
        update.written = sorted(writes)
        gone = (self._pages.keys() - pages.keys()) | (self._statics.keys() - statics.keys())
        for path in sorted(gone):
            _remove(self.out_dir, path)
        update.removed = sorted(gone)
        self._pages, self._statics, self._events = pages, statics, events


def _stamp_yaml(folder: str, stamps: dict[str, Stamp]) -> None:
    """Add the stamp of each YAML file directly in `folder` (plain strings: 10,000 Paths cost a tenth of a second)."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith((".yaml", ".yml")):
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    stamps[entry.path] = (info.st_mtime_ns, info.st_size)
    except OSError:
        pass


def _write(root: Path, relative: str, data: bytes) -> None:
    """Replace one file at once, so the server never sends a half-written page."""
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)


def _remove(root: Path, relative: str) -> None:
    target = root / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
