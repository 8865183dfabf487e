"""`serve`: a live preview. Builds into a temporary folder, serves it, rebuilds on every save.

watchfiles reports saves as the system notifies them, a burst of them as one
batch, and each batch brings the preview up to date. Every HTML page gets one
same-origin `<script src>` (the pages' Content-Security-Policy forbids inline
script), written in preview_assets/scripts.html: overlay.js, which holds a
websocket to the server. After a rebuild that changed what is shown, the
socket says which version of the site is served and whether the content has
errors: a page of an older version reloads, and the errors show over the last
good build until they are fixed. `site/` is never touched.

The server answers only what the preview built, and on a loopback address
only requests that name a loopback host: a web page elsewhere cannot read the
preview by pointing its own domain at 127.0.0.1 (DNS rebinding), nor open the
update socket from another origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ipaddress
import json
import logging
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
import watchfiles
from tornado import httpserver, httputil, netutil, web, websocket

from timeline.engine import Engine, Update
from timeline.errors import ContentError
from timeline.report import collapse_repeats

SETTLE_MS = 150
"""A burst of saves (an editor writing several files, a checkout) becomes one rebuild once quiet this long."""
LONGEST_BURST_MS = 1_600
"""A burst that goes on longer is rebuilt in parts, this long each."""
PREVIEW_PATH = "_preview"
"""Where the preview's own files are served; no site page lives there."""
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")

_assets = jinja2.Environment(
    loader=jinja2.PackageLoader("timeline", "preview_assets"), autoescape=True, undefined=jinja2.StrictUndefined
)


def settle_memory() -> None:
    """After the first build: what the engine keeps for the session is left out of the cycle collector's rounds.

    At 10,000 events that is millions of objects, which each collection
    would otherwise walk again: an edit took twice as long. The price: a
    cycle among those objects that later becomes garbage (the first build's
    pages, say) is left in memory, once.
    """
    gc.collect()
    gc.freeze()


class Session:
    """One preview: its temporary folder, the last errors shown, and the messages in the terminal."""

    def __init__(self, content_dir: Path, theme: str | None, out: Callable[[str], None]) -> None:
        self.content_dir = content_dir
        self.folder = Path(tempfile.mkdtemp(prefix="timeline-preview-"))
        self.site = self.folder / "site"
        self.site.mkdir()
        self.engine = Engine(content_dir, theme=theme, persist=False)
        self.pages = OpenPages()
        self.out = out
        self.settled = False

    def rebuild(self) -> None:
        """Bring the site up to date with the files, say what happened, and tell the open pages."""
        update = self.engine.update(self.site)
        if update.ok and not self.settled:
            settle_memory()
            self.settled = True
        self.report(update)
        self.pages.tell(update)

    def report(self, update: Update) -> None:
        """Say what happened in the terminal, and put the errors where the browser shows them."""
        cwd = Path.cwd()
        errors_page = self.site / PREVIEW_PATH / "errors.html"
        if update.ok:
            errors_page.unlink(missing_ok=True)
            changed = len(update.written) + len(update.removed)
            warned = f", {len(update.warnings)} warnings" if update.warnings else ""
            self.out(f"{time.strftime('%H:%M:%S')} updated {changed} files ({update.seconds:.2f} s{warned})")
            return
        lines = [error.format(cwd) for error in collapse_repeats(update.errors)] or [f"error: {update.failure}"]
        for line in lines:
            self.out(line)
        self.out(f"{time.strftime('%H:%M:%S')} the preview shows the last good build until this is fixed")
        html = self._errors_html(update, cwd)
        errors_page.parent.mkdir(exist_ok=True)
        errors_page.write_text(html, encoding="utf-8")
        if not (self.site / "index.html").exists():  # nothing has built yet: the errors are the page
            (self.site / "index.html").write_text(html, encoding="utf-8")

    def _errors_html(self, update: Update, cwd: Path) -> str:
        errors = [_shown(error, cwd) for error in collapse_repeats(update.errors)] or [
            {"location": "theme", "field": "", "message": update.failure}
        ]
        try:
            return self.engine.template("preview-errors.html").render(errors=errors)
        except (jinja2.TemplateError, OSError, AttributeError):  # the theme itself is what is broken
            return _assets.get_template("errors.html").render(errors=errors)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _shown(error: ContentError, cwd: Path) -> dict[str, str]:
    return {"location": error.location(cwd), "field": error.field, "message": error.message}


class OpenPages:
    """The pages open in browsers: which version of the site they should show, and whether it has errors."""

    def __init__(self) -> None:
        self.run = secrets.token_hex(4)  # a page from an earlier `serve` reloads when it reconnects
        self.count = 0
        self.errors = False
        self.sockets: set[_UpdateSocket] = set()
        self.tags = self._render_tags()

    @property
    def version(self) -> str:
        return f"{self.run}.{self.count}"

    def state(self) -> str:
        return json.dumps({"version": self.version, "errors": self.errors})

    def tell(self, update: Update) -> None:
        """After a rebuild: tell the open pages if what they show has changed."""
        if update.written or update.removed:
            self.count += 1
            self.tags = self._render_tags()
        elif update.ok and not self.errors:
            return
        self.errors = not update.ok
        for socket in list(self.sockets):
            socket.send(self.state())

    def _render_tags(self) -> bytes:
        return _assets.get_template("scripts.html").render(path=PREVIEW_PATH, version=self.version).encode()

    def close(self) -> None:
        for socket in list(self.sockets):
            socket.close()


def _host_allowed(handler: web.RequestHandler) -> bool:
    """Any Host when serving on a public address (the user chose it); a loopback name otherwise."""
    if not handler.settings.get("loopback_only"):
        return True
    host = handler.request.host.lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_NAMES or name.endswith(".localhost")


class _LoopbackOnly(web.RequestHandler):
    def prepare(self) -> None:
        if not _host_allowed(self):
            raise web.HTTPError(403)


class _UpdateSocket(_LoopbackOnly, websocket.WebSocketHandler):
    """Tells one open page the site's state, on connecting and after every change shown.

    tornado refuses the upgrade from a page of any other origin (`check_origin`).
    """

    def open(self) -> None:
        self.pages: OpenPages = self.settings["pages"]
        self.pages.sockets.add(self)
        self.send(self.pages.state())

    def send(self, message: str) -> None:
        try:
            self.write_message(message)
        except websocket.WebSocketClosedError:
            self.pages.sockets.discard(self)

    def on_message(self, message: str | bytes) -> None:
        pass  # a page only listens

    def on_close(self) -> None:
        self.pages.sockets.discard(self)


class _PreviewFiles(_LoopbackOnly, web.StaticFileHandler):
    """Files as the preview built them, never cached by the browser, with the site's 404 page for a missing one."""

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


def _add_script(pages: OpenPages) -> type[web.OutputTransform]:
    """Adds the preview's script to every HTML page of the site, before `</head>`.

    Files are sent in parts of 64 KB; the head, where a theme puts no inline
    style or script, is in the first.
    """

    class AddScript(web.OutputTransform):
        def __init__(self, request: httputil.HTTPServerRequest) -> None:
            super().__init__(request)
            self.page = not request.path.startswith(f"/{PREVIEW_PATH}/")

        def transform_first_chunk(
            self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
        ) -> tuple[int, httputil.HTTPHeaders, bytes]:
            if self.page and headers.get("Content-Type", "").startswith("text/html") and b"</head>" in chunk:
                chunk = chunk.replace(b"</head>", pages.tags + b"</head>", 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(pages.tags))
            return status_code, headers, chunk

    return AddScript


def _application(session: Session, *, loopback_only: bool = True) -> web.Application:
    assets = str(resources.files("timeline") / "preview_assets")
    return web.Application(
        [
            (rf"/{PREVIEW_PATH}/updates", _UpdateSocket),
            (rf"/{PREVIEW_PATH}/(errors\.html)", _PreviewFiles, {"path": str(session.site / PREVIEW_PATH)}),
            (rf"/{PREVIEW_PATH}/(overlay\.(?:js|css))", _PreviewFiles, {"path": assets}),
            (r"/(.*)", _PreviewFiles, {"path": str(session.site), "default_filename": "index.html"}),
        ],
        transforms=[_add_script(session.pages)],
        pages=session.pages,
        loopback_only=loopback_only,
    )


class _Saves(watchfiles.DefaultFilter):
    """The saves that can change the site: YAML files in content/ and any file of a theme.

    watchfiles already leaves out version control, caches, backups~ and vim's and
    JetBrains' swap files; these add Emacs' autosaves, vim's write probe, GNOME's
    and Chromium's temporary files.
    """

    ignore_entity_patterns = (
        *watchfiles.DefaultFilter.ignore_entity_patterns,
        r"^#.*#$",
        r"^4913$",
        r"^\.goutputstream-",
        r"\.crswap$",
    )

    def __init__(self, content_dir: Path) -> None:
        super().__init__()
        self.content = str(content_dir) + os.sep

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        return not path.startswith(self.content) or path.endswith((".yaml", ".yml"))


def _watched_folders(engine: Engine) -> list[Path]:
    """The folders the engine reads, that exist, none inside another."""
    candidates = engine.watched()
    folders: list[Path] = []
    for folder in sorted({path.resolve() for path in candidates if path.is_dir()}):  # a parent before its children
        if not any(folder.is_relative_to(kept) for kept in folders):
            folders.append(folder)
    return folders


async def _rebuild_on_saves(session: Session, stop: asyncio.Event) -> None:
    """Rebuild after each burst of saves, until `stop` is set."""
    content = session.content_dir.resolve()
    async for _ in watchfiles.awatch(
        *_watched_folders(session.engine),
        watch_filter=_Saves(content),
        step=SETTLE_MS,
        debounce=LONGEST_BURST_MS,
        stop_event=stop,
    ):
        session.rebuild()


def serve(content_dir: Path, *, host: str, port: int, theme: str | None, out: Callable[[str], None]) -> int:
    """Serve the live preview until Ctrl-C or SIGTERM; return the exit status."""
    session = Session(content_dir, theme, out)
    try:
        status = asyncio.run(_serve(session, host, port))
    except KeyboardInterrupt:  # asyncio.run stopped everything before raising it
        status = 0
    finally:
        session.close()
    out("stopped")
    return status


async def _serve(session: Session, host: str, port: int) -> int:
    sockets = netutil.bind_sockets(port, address=host)
    server = httpserver.HTTPServer(_application(session, loopback_only=_is_loopback(host)))
    stop = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # Windows has no SIGTERM to handle
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    watching = asyncio.create_task(_rebuild_on_saves(session, stop))
    watching.add_done_callback(lambda _: stop.set())
    try:
        await asyncio.sleep(0)  # the task's first step sets up the watcher: a save from now on is noticed
        session.rebuild()
        server.add_sockets(sockets)
        url = f"http://{_url_host(host)}:{sockets[0].getsockname()[1]}/"
        if not _is_loopback(host):
            session.out(f"warning: serving on {host}: anyone who can reach this machine can see the preview")
        session.out(f"serving {session.content_dir} at {url} (Ctrl-C to stop)")
        logging.getLogger("tornado.access").setLevel(logging.ERROR)  # no line per request
        await stop.wait()  # Ctrl-C cancels this wait
    finally:
        stop.set()  # watchfiles' thread ends within a step, not at its next timeout
        server.stop()
        session.pages.close()
        await server.close_all_connections()
        await asyncio.wait([watching])
    if isinstance(watching.exception(), OSError):
        session.out(f"error: the preview stopped: {watching.exception()}")
        return 1
    watching.result()  # anything else is a bug: its traceback
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
