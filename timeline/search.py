"""Search: every event a record of a Pagefind index, built with the site and fetched only when a reader searches.

The index is made from the model, not by crawling the pages: each event
gives one record (its title, summary, body, tags, declared fields and its
sources' titles and publishers, as plain text), with Pagefind filters for
its tags, its filterable fields and its year, so that a search combines with
the timeline's filters. The record links to the event's page.

Pagefind has no incremental mode: a bundle is made whole from its records.
So that an edit does not re-index thousands of events, the events are split
by a hash of their id into at most `MAX_BUNDLES` bundles of about
`BUNDLE_SIZE` (`pagefind/0/`, `pagefind/1/`, …; `pagefind/bundles.json` lists
them) and a bundle whose records did not change is kept as it is on disk.
The reader's browser searches the first bundle and merges the others
(Pagefind's multisite search). A timeline of up to `BUNDLE_SIZE` events has
one bundle.

Pagefind runs as its own process (the `pagefind_bin` package's binary, in
its `--service` mode, the protocol its Python API speaks); the records are
sent to it in one write and the bundle comes back in memory, to be written with the
pages into the staging folder and published with them. It indexes while
the pages render (`start_search` returns at once), so an edit's wait for its
bundle is hidden behind the rendering.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import json
import math
import os
import re
import subprocess
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cmarkgfm
from cmarkgfm.cmark import Options

from timeline import formatting
from timeline.errors import BuildError
from timeline.fragments import Fragments
from timeline.model import Event, Timeline
from timeline.pages import PageSpec, page_token
from timeline.parallel import cores

FOLDER = "pagefind"
BUNDLE_SIZE = 250
"""Events per bundle, about: an edit re-indexes this many records (Pagefind takes about a millisecond each)."""
MAX_BUNDLES = 8
"""Each bundle costs the reader its own requests on a search: its metadata, and an index chunk per word sought."""
_SHIPPED = re.compile(
    r"^(?:pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[a-z_-]+\.pagefind|[^/]+\.pf_meta"
    r"|(?:index|fragment|filter)/[^/]+)$"
)
"""What the search needs from a bundle: not Pagefind's own UI, which the theme does not use."""
_FIRST_BUNDLE_ONLY = re.compile(r"^(?:pagefind\.js|pagefind-worker\.js|wasm\.[a-z_-]+\.pagefind)$")
"""Only the first bundle's script and WebAssembly are loaded: the others merge into it and share them."""


@dataclass
class SearchState:
    """The bundles as the last build wrote them: by folder, the digest of their records and their files' tokens."""

    bundles: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)


def bundle_count(events: int) -> int:
    return max(1, min(MAX_BUNDLES, math.ceil(events / BUNDLE_SIZE)))


def bundle_of(event_id: str, count: int) -> int:
    return int(hashlib.sha256(event_id.encode()).hexdigest()[:8], 16) % count


def language(timeline: Timeline) -> str:
    """Pagefind's language code (ISO 639-1, as `<html lang>` begins): `en` for `en-GB`."""
    return timeline.language.split("-")[0].lower()


_MARKDOWN = Options.CMARK_OPT_VALIDATE_UTF8 | Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
"""As the pages render it (timeline/markdown.py)."""
_CITATION = re.compile(r"[ \t]*\[@[^\]\n]*\]")
"""A citation, and the space before it: the pages set its number against the word it follows."""
_BREAK = re.compile(r"</?(?:p|li|ul|ol|blockquote|h[1-6]|pre|table|thead|tbody|tr|td|th|hr|br)\b[^>]*>")
"""A tag between blocks or lines of cmark's HTML: a space in the text. Any other tag is inline: nothing."""
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """An event's Markdown as the reader reads it: no markup, no `[@key]` citations.

    Text only, never HTML: cmark's safe mode drops raw HTML, and every tag is then stripped.
    """
    if not markdown.strip():
        return ""
    rendered = cmarkgfm.github_flavored_markdown_to_html(_CITATION.sub("", markdown), options=_MARKDOWN)
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", _BREAK.sub(" ", rendered)))).strip()


def filter_key(field_type: str, value: Any) -> str:
    """A declared field's value as the timeline's filters name it (the theme's `field_key`)."""
    if field_type == "choice":
        return str(value.value)
    if field_type == "date":
        return value.iso
    return str(value)


def event_record(event: Event, timeline: Timeline) -> dict[str, Any]:
    """What readers search for in `event`, where it leads, and how the timeline's filters see it."""
    locale = timeline.locale
    values = [
        f"{field_.label}: {formatting.field_text(field_, value, locale, timeline.by_id)}"
        for field_, value in event.values
    ]
    sources = [f"{source.title}, {source.publisher}" for source in event.sources]
    content = "\n".join(
        part
        for part in (
            event.title,
            plain_text(event.summary),
            plain_text(event.body),
            " · ".join(tag.label for tag in event.tags),
            "; ".join(values),
            "; ".join(sources),
        )
        if part
    )
    filters: dict[str, list[str]] = {"year": [str(event.date.year)]}
    if event.tags:
        filters["tag"] = [tag.key for tag in event.tags]
    for field_, value in event.values:
        if field_.filter:
            filters[field_.name] = [filter_key(field_.type, value)]
    date = event.display_date or formatting.format_partial_date(event.date, locale)
    return {
        "url": f"events/{event.id}/",
        "content": content,
        "language": language(timeline),
        "meta": {"title": event.title, "date": date},
        "filters": filters,
        "sort": None,
    }


class PendingSearch:
    """The bundles being indexed by Pagefind's processes while the pages render; `result` waits for them."""

    def __init__(self, count: int, kept: list[PageSpec], after: SearchState, stale: list[tuple[str, str]]) -> None:
        self._count = count
        self._kept = kept
        self._after = after
        self._stale = stale
        self._made: list[Future[dict[str, bytes]]] = []

    def start(self, bundles: list[Sequence[str]]) -> None:
        if not bundles:
            return
        executable = pagefind_executable()
        pool = ThreadPoolExecutor(max(1, min(cores(), len(bundles))), thread_name_prefix="pagefind")
        self._made = [pool.submit(index_bundle, records, executable) for records in bundles]
        pool.shutdown(wait=False)  # the threads end with their bundles

    def result(self) -> tuple[list[PageSpec], SearchState]:
        """The index's files as pages of the site, and what the next build compares with."""
        specs = list(self._kept)
        for (folder, digest), made in zip(self._stale, self._made, strict=True):
            tokens: dict[str, str] = {}
            for name, data in sorted(made.result().items()):
                if folder != f"{FOLDER}/0/" and _FIRST_BUNDLE_ONLY.match(name):
                    continue
                path = folder + name
                tokens[path] = page_token("search", path, hashlib.sha256(data).hexdigest())
                specs.append(PageSpec(path, frozenset({tokens[path]}), lambda data=data: data))
            self._after.bundles[folder] = (digest, tokens)
        listing = json.dumps({"bundles": [f"{number}/" for number in range(self._count)]}) + "\n"
        specs.append(PageSpec(f"{FOLDER}/bundles.json", frozenset({page_token("search", listing)}), lambda: listing))
        return specs, self._after


def owns(path: str) -> bool:
    """Whether `path` of the site is the search index's (written from `PendingSearch.result`)."""
    return path.startswith(f"{FOLDER}/")


def start_search(timeline: Timeline, fragments: Fragments, before: SearchState | None, out_dir: Path) -> PendingSearch:
    """Start indexing the bundles whose records changed; the rest are kept as they are on disk.

    `before`: the bundles as they are in `out_dir` (None: nothing there to keep).
    Pagefind runs in processes of its own, so the pages render meanwhile.
    A kept bundle is read back from `out_dir` only if it must be rendered again.
    """
    count = bundle_count(len(timeline.events))
    records: list[list[str]] = [[] for _ in range(count)]
    for event in timeline.events:
        shows = [value for field_, value in event.values if field_.type == "event"]
        text = fragments.get("search", event, lambda event=event: json.dumps(event_record(event, timeline)), shows)
        records[bundle_of(event.id, count)].append(text)
    kept = before.bundles if before is not None else {}
    after = SearchState()
    on_disk: list[PageSpec] = []
    stale: list[tuple[str, str]] = []
    bundles: list[Sequence[str]] = []
    for number, bundle in enumerate(records):
        folder = f"{FOLDER}/{number}/"
        digest = hashlib.sha256("\n".join([language(timeline), *bundle]).encode()).hexdigest()
        previous = kept.get(folder)
        if previous is not None and previous[0] == digest and (out_dir / folder / "pagefind-entry.json").is_file():
            after.bundles[folder] = previous
            on_disk.extend(_on_disk(out_dir, path, token) for path, token in previous[1].items())
        else:
            stale.append((folder, digest))
            bundles.append(bundle)
    pending = PendingSearch(count, on_disk, after, stale)
    pending.start(bundles)
    return pending


def _on_disk(out_dir: Path, path: str, token: str) -> PageSpec:
    return PageSpec(path, frozenset({token}), lambda: (out_dir / path).read_bytes())


def pagefind_executable() -> Path:
    """Pagefind's binary: `PAGEFIND_BINARY_PATH` if set (as Pagefind's own Python API allows), else `pagefind_bin`'s.

    Found before any indexing thread starts: an import in a thread, while the
    pages render, waits for the interpreter's lock at every file it opens.
    """
    chosen = os.environ.get("PAGEFIND_BINARY_PATH")
    if chosen:
        return Path(chosen)
    try:
        from pagefind_bin import get_executable
    except ImportError:  # pragma: no cover - a dependency
        raise BuildError("cannot build the search index: the pagefind_bin package is not installed") from None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        raise BuildError(
            "cannot build the search index: the pagefind_bin package has no binary for this system"
        ) from None


def index_bundle(records: Sequence[str], executable: Path) -> dict[str, bytes]:
    """One Pagefind bundle of `records` (each a JSON AddRecord payload without its index): its files by name.

    This runs beside the rendering, so Pagefind is never kept waiting on this
    process: the records go in one write, and the replies wait in the pipe
    until they are read in large chunks.
    """
    try:
        process = subprocess.Popen(
            [str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as exc:
        raise BuildError(f"cannot build the search index: {executable}: {exc.strerror or exc}") from None
    service = _Service(process)
    try:
        index = int(service.ask({"type": "NewIndex", "config": {"write_playground": False}})["index_id"])
        prefix = f'{{"type": "AddRecord", "index_id": {index}, '
        messages = [_message(number + 2, prefix + record[1:]) for number, record in enumerate(records)]
        messages.append(_message(len(records) + 2, json.dumps({"type": "GetFiles", "index_id": index})))
        writer = threading.Thread(target=service.write, args=(b"".join(messages),), daemon=True)
        writer.start()
        try:
            replies = service.receive(len(messages))
        except BaseException:
            process.kill()  # the pipe's reading end goes with it: the write fails at once
            raise
        finally:
            writer.join()  # before the pipe is closed: its descriptor must not be reused under the write
    finally:
        service.close()
    files = replies[-1].get("files")
    if not isinstance(files, list):
        raise BuildError("cannot build the search index: pagefind sent no files")
    return {item["path"]: base64.b64decode(item["content"]) for item in files if _SHIPPED.match(item["path"])}


def _payloads(messages: Sequence[bytes]) -> list[dict]:
    """The payloads of Pagefind's replies; the first error among them is raised."""
    payloads = [json.loads(base64.b64decode(message))["payload"] for message in messages]
    for payload in payloads:
        if payload.get("type") == "Error":
            raise BuildError(f"cannot build the search index: pagefind: {payload.get('message')}")
    return payloads


def _message(number: int, payload: str) -> bytes:
    """A message of Pagefind's `--service` protocol: base64 JSON, then a comma."""
    return base64.b64encode(f'{{"message_id": {number}, "payload": {payload}}}'.encode()) + b","


PIPE_SIZE = 1 << 20
"""Room in each pipe to and from Pagefind (Linux lets a process ask for up to 1 MiB)."""
try:
    from fcntl import F_SETPIPE_SZ as _SET_PIPE_SIZE
    from fcntl import fcntl
except ImportError:  # not Linux: each pipe keeps its usual size
    _SET_PIPE_SIZE = None


class _Service:
    """Pagefind's `--service` protocol: base64 JSON messages, each followed by a comma, both ways.

    A thread of this process that waits for the interpreter's lock, while the
    pages render, must not stall Pagefind: the messages go in one system call,
    and the pipes are made large enough to hold the replies until they are read.
    """

    def __init__(self, process: subprocess.Popen) -> None:
        self._process = process
        self._pending = bytearray()
        if _SET_PIPE_SIZE is not None:
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):  # a system limit below 1 MiB: the usual size
                    fcntl(stream.fileno(), _SET_PIPE_SIZE, PIPE_SIZE)

    def write(self, data: bytes) -> None:
        """Send `data` whole; a service that died is reported by `receive`."""
        assert self._process.stdin is not None
        stream = self._process.stdin.fileno()
        view = memoryview(data)
        with contextlib.suppress(OSError):
            while view:
                view = view[os.write(stream, view) :]

    def ask(self, payload: dict) -> dict:
        self.write(_message(1, json.dumps(payload)))
        return self.receive(1)[0]

    def receive(self, count: int) -> list[dict]:
        """The next `count` replies' payloads; an error from Pagefind is raised."""
        assert self._process.stdout is not None
        stream = self._process.stdout.fileno()
        arrived = self._pending.count(b",")
        while arrived < count:
            chunk = os.read(stream, PIPE_SIZE)
            if not chunk:
                _payloads(bytes(self._pending).split(b",")[:-1])  # what it said before it stopped may say why
                raise BuildError("cannot build the search index: pagefind stopped unexpectedly")
            arrived += chunk.count(b",")
            self._pending += chunk
        *messages, rest = bytes(self._pending).split(b",", count)
        self._pending = bytearray(rest)
        return _payloads(messages)

    def close(self) -> None:
        for stream in (self._process.stdin, self._process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
