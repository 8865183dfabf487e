"""Browser fixtures: the shipped timeline built once, served from a sub-path, opened in Debian's Chromium.

The site is reached at http://127.0.0.1:PORT/timeline/, not at the server root, so every
test also proves that the pages' links are relative (a GitHub Pages project site).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from timeline.cli import main

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
MOUNT = "timeline"  # the sub-path the site is served under

# As the machine notes say: without the background-networking flags Chromium keeps
# trying to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORTS = {375: {"width": 375, "height": 800}, 1280: {"width": 1280, "height": 900}}


def require(present: bool, reason: str) -> None:
    """Skip when a test tool is missing on a developer's machine; fail under CI, which must have it."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the CI machine must have it; see .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session: Debian's, never a downloaded one."""
    require(
        CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK),
        f"Chromium not found at {CHROMIUM}: install Debian's chromium package to run browser tests",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "the playwright package is missing: pip install -e '.[test]' (make test does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


THEMES = ("default", "report")
"""Every shipped theme passes every browser test."""


@pytest.fixture(scope="session", params=THEMES)
def theme(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def served_root(tmp_path_factory: pytest.TempPathFactory, theme: str) -> Path:
    """The shipped content built with the command line and `theme` into <tmp>/site/timeline; returns <tmp>/site."""
    root = tmp_path_factory.mktemp(f"served-{theme}") / "site"
    code = main(["build", "--content", str(CONTENT), "--out", str(root / MOUNT), "--theme", theme])
    if code != 0:
        pytest.fail(f"building the shipped content failed with exit status {code}", pytrace=False)
    return root


@pytest.fixture(scope="session")
def site_dir(served_root: Path) -> Path:
    """The built site itself, <tmp>/site/timeline."""
    return served_root / MOUNT


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like `python -m http.server`, without a log line per request in the test output."""

    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="session")
def origin(served_root: Path):
    """Serve <tmp>/site on a free loopback port from a background thread; yield 'http://127.0.0.1:PORT'."""
    handler = functools.partial(_QuietHandler, directory=str(served_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(origin: str) -> str:
    """The site's address, on its sub-path: 'http://127.0.0.1:PORT/timeline/'."""
    return f"{origin}/{MOUNT}/"


@dataclass
class Visit:
    """An open page and every URL its browser context asked for, in order."""

    page: Page
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """'STATUS URL' of every response that was not a success."""


@pytest.fixture
def open_page(browser, site_url: str, site_dir: Path):
    """Open a path of the site: `open_page("events/x/", width=375, color_scheme="dark", javascript=False)`.

    `bypass_csp=True` lets a test inject axe-core, which the pages' CSP (no inline or
    foreign script) would otherwise block. Every context is closed after the test.
    """
    contexts = []

    def open_(
        path: str = "",
        *,
        width: int = 1280,
        color_scheme: str = "light",
        javascript: bool = True,
        bypass_csp: bool = False,
        wait_until: str = "load",
    ) -> Visit:
        context = browser.new_context(
            viewport=VIEWPORTS[width],
            color_scheme=color_scheme,
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
            service_workers="block",
        )
        contexts.append(context)
        visit = Visit(context.new_page())
        # On the context, not the page, so requests from frames and popups are recorded too.
        context.on("request", lambda request: visit.requests.append(request.url))
        context.on(
            "response", lambda response: response.ok or visit.failures.append(f"{response.status} {response.url}")
        )
        response = visit.page.goto(site_url + path, wait_until=wait_until)
        assert response is not None and response.ok, (
            f"{site_url + path} answered {response.status if response else 'nothing'}; "
            f"is {path or 'index.html'} missing from the build in {site_dir}?"
        )
        return visit

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script from node_modules (installed by `make test` through npm ci)."""
    require(AXE.is_file(), f"axe-core not found at {AXE}: run `npm ci` (make test does) to run the accessibility tests")
    return AXE
