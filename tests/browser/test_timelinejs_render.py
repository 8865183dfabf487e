"""The shipped timeline's TimelineJS export, loaded into the real TimelineJS3 library from npm.

The page, the library's dist files and the JSON are served from a temporary
folder on the loopback interface; every request elsewhere is refused, so the
test never touches the internet (TimelineJS would fetch web fonts by default:
`font: null` turns that off).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading

import pytest
from conftest import timelinejs_export
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from timeline.engine import check

from .conftest import CONTENT, REPO, VIEWPORTS, _QuietHandler, require

pytestmark = pytest.mark.browser

TIMELINEJS = REPO / "node_modules" / "@knight-lab" / "timelinejs" / "dist"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>TimelineJS export</title>
<link rel="stylesheet" href="css/timeline.css">
<script src="js/timeline.js"></script>
</head>
<body>
<div id="timeline-embed" style="width: 100%; height: 600px"></div>
<script src="boot.js"></script>
</body>
</html>
"""

# The JSON is fetched by TimelineJS itself, as an embedder's page would have it do.
BOOT = """
window.timeline = new TL.Timeline("timeline-embed", "timelinejs.json", {
  script_path: new URL("js/", document.baseURI).href,
  font: null,
});
"""


@pytest.fixture(scope="module")
def timelinejs_origin(tmp_path_factory: pytest.TempPathFactory, site_dir):
    """A folder with the page, TimelineJS's dist files and the shipped content's export, served on a free port."""
    require(
        (TIMELINEJS / "js" / "timeline.js").is_file(),
        f"TimelineJS not found in {TIMELINEJS}: run `npm ci --ignore-scripts` (make test does)",
    )
    root = tmp_path_factory.mktemp("timelinejs")
    shutil.copytree(TIMELINEJS / "js", root / "js")
    shutil.copytree(TIMELINEJS / "css", root / "css")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "boot.js").write_text(BOOT, encoding="utf-8")
    # The file the build publishes, not a fresh export: what ships is what is tested.
    shutil.copyfile(site_dir / "timelinejs.json", root / "timelinejs.json")
    data = json.loads((root / "timelinejs.json").read_text(encoding="utf-8"))
    assert data == timelinejs_export(check(CONTENT).timeline)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="timelinejs-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", data
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_timelinejs_shows_a_slide_per_event_without_errors(browser, timelinejs_origin):
    origin, data = timelinejs_origin
    context = browser.new_context(viewport=VIEWPORTS[1280], service_workers="block")
    try:
        refused: list[str] = []

        def only_local(route):
            if route.request.url.startswith(origin + "/"):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(f"console: {message.text}"))
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.on("response", lambda response: response.ok or errors.append(f"{response.status} {response.url}"))
        page.goto(f"{origin}/index.html")

        events = data["events"]
        slides = page.locator("#timeline-embed .tl-storyslider .tl-slide")
        try:  # TimelineJS builds its slides once it has fetched and parsed the JSON
            page.wait_for_function(
                "n => document.querySelectorAll('#timeline-embed .tl-storyslider .tl-slide').length >= n",
                arg=len(events) + 1,
                timeout=15_000,
            )
        except PlaywrightTimeout:
            message = page.locator("#timeline-embed .tl-message-full").all_text_contents()
            pytest.fail(
                f"TimelineJS showed {slides.count()} slides for {len(events)} events; its message: {message}; errors: {errors}"
            )
        assert slides.count() == len(events) + 1  # the title slide, then one per event
        # text_content, not inner_text: TimelineJS's fonts may set text-transform.
        assert (
            page.locator(".tl-slide-titleslide .tl-headline").text_content().strip()
            == data["title"]["text"]["headline"]
        )
        # Every event's slide carries its id, in TimelineJS's date order (ours too).
        ids = page.eval_on_selector_all(
            "#timeline-embed .tl-storyslider .tl-slide:not(.tl-slide-titleslide)", "slides => slides.map(s => s.id)"
        )
        assert ids == [event["unique_id"] for event in events]
        assert page.locator("#timeline-embed .tl-timemarker").count() == len(events)
        assert not page.locator(".tl-message-full:visible").count(), page.locator(".tl-message-full").inner_text()
        assert errors == []
        assert refused == []
    finally:
        context.close()
