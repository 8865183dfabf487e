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
from pathlib import Path

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


# --- Round trip: TimelineJS's own examples, imported, built and exported, beside the originals ---------------

EXAMPLES = REPO / "tests" / "interop" / "timelinejs"
ROUND_TRIPS = {
    "women_in_computing.json": [],
    "women_in_computing.csv": [],
    "my-own-timeline.csv": [],
    # Its first picture is a path on the site it was published on.
    "houston.json": ["--media-base", "https://timeline.knightlab.com/"],
    "eras.json": [],
    # Groups, years before the common era, times of day, display dates, one date shared by three slides.
    "features.json": ["--timezone", "Europe/London"],
}
COUNT = """() => ({
  slides: document.querySelectorAll('#timeline-embed .tl-storyslider .tl-slide').length,
  media: document.querySelectorAll('#timeline-embed .tl-storyslider .tl-media').length,
  eras: document.querySelectorAll('#timeline-embed .tl-timeera').length,
  groups: document.querySelectorAll('#timeline-embed .tl-timegroup').length,
  message: (document.querySelector('#timeline-embed .tl-message-full') || {}).textContent || '',
  // Each slide as a reader sees it, in order: its date line (BCE years, times, display dates) and headline.
  shown: [...document.querySelectorAll('#timeline-embed .tl-storyslider .tl-slide')].map(slide => [
    (slide.querySelector('.tl-headline-date') || {}).textContent || '',
    (slide.querySelector('.tl-headline') || {}).textContent || '',
  ].map(text => text.replace(/\\s+/g, ' ').trim())),
})"""
# The page loads any data file named in its address (TimelineJS reads .csv addresses as its spreadsheet).
ANY_PAGE = PAGE.replace('<script src="boot.js"></script>', '<script src="boot-any.js"></script>')
BOOT_ANY = BOOT.replace('"timelinejs.json"', 'new URLSearchParams(location.search).get("data")')


def features() -> dict:
    """A timeline with what TimelineJS's examples lack: groups, BCE years, times, display dates, same-date slides."""

    def slide(headline, start, group, **more):
        return {
            "start_date": start,
            "text": {"headline": headline, "text": f"<p>{headline}, <em>told</em>.</p>"},
            "group": group,
            **more,
        }

    return {
        "title": {
            "text": {"headline": "Features", "text": "<p>Every <strong>kind</strong> of slide.</p><ul><li>one</li><li>two</li></ul>"},
            "media": {"url": "https://example.org/title.jpg", "caption": "The title's picture", "credit": "Someone"},
        },
        "eras": [
            {"start_date": {"year": "-600"}, "end_date": {"year": "-400"}, "text": {"headline": "Classical"}},
            {"start_date": {"year": "1900"}, "end_date": {"year": "2000"}, "text": {"headline": "Modern"}},
        ],
        "events": [
            slide("Ancient", {"year": "-500"}, "Old world", media={"url": "<blockquote>Know thyself.<cite>Delphi</cite></blockquote>"}),
            slide("Dated differently", {"year": "1995", "month": "7"}, "New world", display_date="Mid-1995"),
            slide("Morning", {"year": "2020", "month": "7", "day": "9", "hour": "9", "minute": "30"}, "New world",
                  media={"url": "https://www.youtube.com/watch?v=xyz", "credit": "A channel", "caption": "A video"}),
            slide("First of a day", {"year": "2021", "month": "3", "day": "1"}, "Old world"),
            slide("Second of a day", {"year": "2021", "month": "3", "day": "1"}, "New world"),
            slide("Third of a day", {"year": "2021", "month": "3", "day": "1"}, "Old world",
                  media={"url": "https://example.org/a.png", "alt": "A picture", "credit": "Photo: someone"}),
        ],
    }  # fmt: skip


def _fill_in(content: Path) -> None:
    """What `timeline import` asks the author to fill in, filled with stand-ins so that the timeline builds."""
    import yaml

    for path in (content / "events").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["summary"] = data["summary"] or "Stand-in summary [@stand-in]."
        if not data["sources"][0]["url"]:
            data["sources"] = [
                {"id": "stand-in", "title": "Stand-in", "publisher": "example.org", "url": "https://example.org/"}
            ]
        elif "[@" not in data["summary"]:
            data["summary"] += f" [@{data['sources'][0]['id']}]"
        for item in data.get("media", ()):
            if item.get("kind") == "image" and not item.get("alt"):
                item["alt"] = "Stand-in description"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def round_trips(tmp_path_factory: pytest.TempPathFactory):
    """A folder served on a free port with TimelineJS, a page that loads the data file its address names, and
    TimelineJS's examples; each test adds its round trip's timelinejs.json. Yields (address, folder)."""
    require(
        (TIMELINEJS / "js" / "timeline.js").is_file(),
        f"TimelineJS not found in {TIMELINEJS}: run `npm ci --ignore-scripts` (make test does)",
    )
    root = tmp_path_factory.mktemp("timelinejs-round-trips")
    shutil.copytree(TIMELINEJS / "js", root / "js")
    shutil.copytree(TIMELINEJS / "css", root / "css")
    (root / "index.html").write_text(ANY_PAGE, encoding="utf-8")
    (root / "boot-any.js").write_text(BOOT_ANY, encoding="utf-8")
    for example in EXAMPLES.iterdir():
        shutil.copyfile(example, root / example.name)
    (root / "features.json").write_text(json.dumps(features()), encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, name="timelinejs-round-trips", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _round_trip(root: Path, name: str, work: Path) -> str:
    """Import the example into a new project (`init --from`), fill in what the importer asks for, build, and
    serve its timelinejs.json beside the original; the name it is served under."""
    from timeline.cli import main

    project = work / "project"
    assert main(["init", str(project), "--from", str(root / name), *ROUND_TRIPS[name]]) == 0, name
    _fill_in(project / "content")
    assert main(["build", "--content", str(project / "content"), "--out", str(project / "site")]) == 0, name
    exported = f"round-trip-{name}.json"
    shutil.copyfile(project / "site" / "timelinejs.json", root / exported)
    return exported


def _shown(browser, origin: str, data: str) -> tuple[dict, list[str]]:
    """What TimelineJS shows of a data file (counts), and its console errors; every request off the server refused."""
    context = browser.new_context(viewport=VIEWPORTS[1280], service_workers="block")
    try:
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(origin + "/") else route.abort()
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.goto(f"{origin}/index.html?data={data}")
        # TimelineJS builds every slide, era and group row at once, when the data has loaded (or failed to).
        page.wait_for_function(
            "() => document.querySelector('#timeline-embed .tl-storyslider .tl-slide, #timeline-embed .tl-message-full')",
            timeout=15_000,
        )
        # Then the media of the slides in view, which TimelineJS loads a moment later (refused here, or loaded).
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        page.wait_for_load_state("networkidle")
        return page.evaluate(COUNT), errors
    finally:
        context.close()


def _kinds(errors: list[str]) -> tuple[int, list[str]]:
    """Errors from requests that did not load (refused off the server, or missing), counted; the others, listed."""
    failed = [error for error in errors if error.startswith("Failed to load resource")]
    return len(failed), sorted(error for error in errors if error not in failed)


@pytest.mark.parametrize("name", ROUND_TRIPS, ids=list(ROUND_TRIPS))
def test_a_round_trip_shows_what_the_original_shows(browser, round_trips, name, tmp_path):
    origin, root = round_trips
    original, original_errors = _shown(browser, origin, name)
    exported, errors = _shown(browser, origin, _round_trip(root, name, tmp_path))
    assert original["slides"] > 1 and not original["message"], original
    counts = {key: exported[key] for key in ("slides", "media", "eras", "groups")}
    assert counts == {key: original[key] for key in counts}, f"{name}: round trip {exported}, original {original}"
    assert not exported["message"], exported["message"]
    assert exported["shown"] == original["shown"]
    failed, other = _kinds(errors)
    original_failed, original_other = _kinds(original_errors)
    assert failed <= original_failed, f"{name}: {errors} beyond {original_errors}"
    assert set(other) <= set(original_other), f"{name}: {other} beyond {original_other}"


def test_the_csv_parser_test_is_no_timeline(browser, round_trips, run, tmp_path):
    """TimelineJS finds no events in it; the importer says it is not a TimelineJS spreadsheet, and writes nothing."""
    shutil.copyfile(EXAMPLES / "parser_test.csv", tmp_path / "parser_test.csv")
    shown, _ = _shown(browser, round_trips[0], "parser_test.csv")
    assert shown["slides"] == 0 and "no events" in shown["message"], shown
    result = run(["init", "project", "--from", "parser_test.csv"], cwd=tmp_path)
    assert result.code == 1
    assert result.err.startswith("parser_test.csv:1: error: not a TimelineJS spreadsheet: no Year or Headline column")
    assert not (tmp_path / "project").exists()
