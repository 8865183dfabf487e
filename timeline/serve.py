"""`serve`: a live preview. Builds into a temporary folder, serves it, rebuilds on every save.

The open browser tab reloads through the livereload package's script and
websocket. Its usual injected snippet is inline script, which the pages'
Content-Security-Policy forbids, so the pages get two same-origin
`<script src>` tags instead: livereload's own client, and the overlay that
shows content errors over the last good build. `site/` is never touched.

The server answers only what the preview built, and on a loopback address
only requests that name a loopback host: a web page elsewhere cannot read
the preview by pointing its own domain at 127.0.0.1 (DNS rebinding), nor
open the reload socket from another origin (livereload itself accepts any).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import httpserver, ioloop, netutil, web
from tornado.websocket import WebSocketHandler

from timeline import stamps
from timeline.engine import Engine, Update
from timeline.errors import ContentError
from timeline.report import collapse_repeats

POLL_SECONDS = 0.2
"""How often the watched files are looked at."""
SETTLE_SECONDS = 0.15
"""A burst of saves (an editor writing several files) becomes one rebuild once quiet this long."""
PREVIEW_PATH = "_preview"
"""Where the preview's own files are served; no site page lives there."""


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _host_allowed(handler: web.RequestHandler) -> bool:
    """Any Host when serving on a public address (the user chose it); a loopback name otherwise."""
    if not handler.settings.get("loopback_only"):
        return True
    host = handler.request.host.lower()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name in LOOPBACK_NAMES or name.endswith(".localhost")


class _SameOriginReload(LiveReloadHandler):
    """livereload's socket, opened only by the preview's own pages."""

    def check_origin(self, origin: str) -> bool:
        return _host_allowed(self) and WebSocketHandler.check_origin(self, origin)


class _ReloadScript(LiveReloadJSHandler):
    def prepare(self) -> None:
        if not _host_allowed(self):
            raise web.HTTPError(403)


class _PreviewFiles(StaticFileHandler):
    """The site's files, never cached by the browser, with the site's 404 page for a missing one."""

    def prepare(self) -> None:
        if not _host_allowed(self):
            raise web.HTTPError(403)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(page.read_bytes())
        else:
            super().write_error(status_code, **kwargs)


class _Rebuilds(Watcher):
    """livereload's watcher, asked every POLL_SECONDS: rebuild when the files have settled, then reload."""

    def __init__(self, session: Session, on_update: Callable[[Update], None]) -> None:
        super().__init__()
        self._tasks = {"content": {}}  # livereload watches the working folder when it has no task
        self.session = session
        self.on_update = on_update
        self.seen = stamps.tree_stamps(session.engine.watched())
        self.changed_at: float | None = None
        self.failing = False

    def start(self, callback: Callable[[], None]) -> bool:
        ioloop.PeriodicCallback(callback, POLL_SECONDS * 1000).start()
        return True

    def examine(self) -> tuple[str | None, None]:
        seen = stamps.tree_stamps(self.session.engine.watched())
        if seen != self.seen:
            self.seen, self.changed_at = seen, time.monotonic()
            return None, None
        if self.changed_at is None or time.monotonic() - self.changed_at < SETTLE_SECONDS:
            return None, None
        self.changed_at = None
        update = self.session.rebuild()
        self.on_update(update)
        # Reload when anything changed on screen: new pages, or errors shown or cleared.
        shown = update.written or update.removed or not update.ok or self.failing
        self.failing = not update.ok
        return ("*" if shown else None), None


class Session:
    """One preview: its temporary folder, the last errors shown, and the messages in the terminal."""

    def __init__(self, content_dir: Path, theme: str | None, out: Callable[[str], None]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="timeline-preview-"))
        self.site = self.folder / "site"
        self.site.mkdir()
        self.engine = Engine(content_dir, theme=theme, persist=False)
        self.out = out

    def rebuild(self) -> Update:
        return self.engine.update(self.site)

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
            fallback = resources.files("timeline").joinpath("preview_assets", "errors.html").read_text(encoding="utf-8")
            return jinja2.Environment(autoescape=True).from_string(fallback).render(errors=errors)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _shown(error: ContentError, cwd: Path) -> dict[str, str]:
    return {"location": error.location(cwd), "field": error.field, "message": error.message}


def serve(content_dir: Path, *, host: str, port: int, theme: str | None, out: Callable[[str], None]) -> int:
    """Serve the live preview until Ctrl-C; return the exit status."""
    session = Session(content_dir, theme, out)
    try:
        first = session.rebuild()
        session.report(first)
        watcher = _Rebuilds(session, session.report)
        sockets = netutil.bind_sockets(port, address=host)
        bound = sockets[0].getsockname()[1]
        application = _application(session.site, bound, watcher, loopback_only=_is_loopback(host))
        server = httpserver.HTTPServer(application)
        server.add_sockets(sockets)
        url = f"http://{_url_host(host)}:{bound}/"
        if not _is_loopback(host):
            out(f"warning: serving on {host}: anyone who can reach this machine can see the preview")
        out(f"serving {content_dir} at {url} (Ctrl-C to stop)")
        logging.getLogger("tornado.access").setLevel(logging.ERROR)  # no line per request
        LiveReloadHandler.start_tasks()
        loop = ioloop.IOLoop.current()
        signal.signal(signal.SIGTERM, lambda *_: loop.add_callback_from_signal(loop.stop))
        with contextlib.suppress(KeyboardInterrupt):
            loop.start()
        server.stop()
        out("stopped")
        return 0
    finally:
        session.close()


def _application(site: Path, port: int, watcher: _Rebuilds, *, loopback_only: bool = True) -> web.Application:
    LiveReloadHandler.watcher = watcher
    LiveReloadHandler.live_css = True
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # debouncing is done before the rebuild, not by dropping reloads
    script = (
        f'<script src="/livereload.js?port={port}"></script><script src="/{PREVIEW_PATH}/overlay.js" defer></script>'
    ).encode()

    class Inject(LiveScriptInjector):
        pass

    Inject.script = script
    assets = str(resources.files("timeline").joinpath("preview_assets"))
    return web.Application(
        [
            (r"/livereload", _SameOriginReload),
            (r"/livereload.js", _ReloadScript),
            (rf"/{PREVIEW_PATH}/(errors\.html)", _PreviewFiles, {"path": str(site / PREVIEW_PATH)}),
            (rf"/{PREVIEW_PATH}/(.*)", _PreviewFiles, {"path": assets}),
            (r"/(.*)", _PreviewFiles, {"path": str(site), "default_filename": "index.html"}),
        ],
        transforms=[Inject],
        loopback_only=loopback_only,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
