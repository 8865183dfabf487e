"""`timeline serve` over HTTP: a saved edit shows up, a broken file shows its error, a fix recovers, Ctrl-C cleans up."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ctrl_c_stops_it
from tornado.websocket import websocket_connect

from timeline.engine import Engine
from timeline.serve import _Saves, _watched_folders
from timeline.themes import builtin_themes_dir

INVESTIGATION = "content/events/2020-07-investigation.yaml"
WAIT = 15.0
"""Seconds to wait for a change to be served: far above the usual half second, for slow machines."""


def run_apart(coroutine):
    """Run a coroutine on a loop of its own thread: Playwright's sync API keeps a loop running in this one."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def eventually(check, what: str):
    """Poll until `check()` returns something true; fail naming `what` after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not within {WAIT:.0f} s: {what}")
        time.sleep(0.1)


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


class Served:
    """One `timeline serve`, with what it has printed so far."""

    def __init__(self, process: subprocess.Popen, url: str, tmp: Path, lines: list[str], reader: threading.Thread):
        self.process, self.url, self.tmp, self.lines, self.reader = process, url, tmp, lines, reader

    def printed(self) -> str:
        return "".join(self.lines)

    def stopped(self) -> str:
        """Wait for the process to end; everything it printed."""
        self.process.wait(timeout=WAIT)
        self.reader.join(timeout=WAIT)
        return self.printed()


@pytest.fixture
def start_serving(tmp_path):
    """`timeline serve --port 0` in a project, in its own process with its own temporary folder."""
    started: list[subprocess.Popen] = []

    def start(project: Path) -> Served:
        tmp = tmp_path / "tmp"
        tmp.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "timeline", "serve", "--port", "0"],
            cwd=project,
            env={**os.environ, "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"},
            preexec_fn=ctrl_c_stops_it,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
        reader.start()

        def address() -> str | bool:
            match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", "".join(lines))
            if match is None and process.poll() is not None:
                pytest.fail("serve stopped:\n" + "".join(lines))
            return match.group(1) if match else False

        return Served(process, eventually(address, "serve to start"), tmp, lines, reader)

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.fixture
def served(make_project, start_serving):
    """The sample project, served."""
    project = make_project()
    return project, start_serving(project)


def test_an_edit_is_served_an_error_is_shown_and_a_fix_recovers(served):
    project, server = served
    status, page = fetch(server.url + "events/2020-07-investigation/")
    assert status == 200
    assert "Regulators open an investigation" in page
    assert re.search(r'<script src="/_preview/overlay.js" data-version="\w+\.\d+" defer></script></head>', page)

    path = project / INVESTIGATION
    text = path.read_text(encoding="utf-8")
    save(path, text.replace("Regulators open an investigation", "Regulators open an inquiry"))
    eventually(
        lambda: "Regulators open an inquiry" in fetch(server.url + "events/2020-07-investigation/")[1], "the new title"
    )

    save(path, text.replace("date: '2020-07'", "date: '2020-13'"))
    overlay = eventually(
        lambda: (
            fetch(server.url + "_preview/errors.html")[1]
            if fetch(server.url + "_preview/errors.html")[0] == 200
            else None
        ),
        "the error page",
    )
    assert f"<code>{INVESTIGATION}:1:7</code>: <strong>date</strong>: &#39;2020-13&#39; has month 13" in overlay
    status, page = fetch(server.url + "events/2020-07-investigation/")
    assert status == 200 and "Regulators open an inquiry" in page, "the last good build is still served"

    save(path, text)
    eventually(lambda: fetch(server.url + "_preview/errors.html")[0] == 404, "the error page to go")
    eventually(
        lambda: "Regulators open an investigation" in fetch(server.url + "events/2020-07-investigation/")[1],
        "the fixed page",
    )


def test_the_update_socket_tells_an_open_page_what_changed(served):
    """A new version after an edit (the page reloads); errors shown, then gone, over the same version."""
    project, server = served
    path = project / INVESTIGATION
    text = path.read_text(encoding="utf-8")

    async def an_open_page() -> list[dict]:
        socket = await websocket_connect(server.url.replace("http:", "ws:") + "_preview/updates")
        told = [json.loads(await socket.read_message())]

        async def after(new_text: str) -> None:
            save(path, new_text)
            told.append(json.loads(await asyncio.wait_for(socket.read_message(), WAIT)))

        await after(text.replace("Regulators open an investigation", "Regulators open an inquiry"))
        await after(text.replace("date: '2020-07'", "date: '2020-13'"))
        await after(text.replace("Regulators open an investigation", "Regulators open an inquiry"))
        socket.close()
        return told

    opened, edited, broken, fixed = run_apart(an_open_page())
    assert opened["errors"] is False
    assert edited["version"] != opened["version"] and edited["errors"] is False
    assert broken == {"version": edited["version"], "errors": True}, "the last good build is still shown"
    assert fixed == {"version": edited["version"], "errors": False}, "fixed back to what is shown: nothing to reload"


def test_a_burst_of_saves_is_one_rebuild(served):
    project, server = served
    events = sorted((project / "content/events").glob("*.yaml"))
    texts = [event.read_text(encoding="utf-8") for event in events]
    updates = server.printed().count(" updated ")
    for event, text in zip(events, texts, strict=True):
        save(event, text.replace("title: ", "title: Now ", 1))
    eventually(lambda: server.printed().count(" updated ") > updates, "the rebuild")
    eventually(
        lambda: "Now Regulators open an investigation" in fetch(server.url + "events/2020-07-investigation/")[1],
        "both edits",
    )
    assert server.printed().count(" updated ") == updates + 1, server.printed()


def test_a_save_to_the_projects_templates_is_served(make_project, start_serving):
    robots = "User-agent: *\nAllow: /\n# {}\n"
    project = make_project({"templates/robots.txt": robots.format("first")})
    server = start_serving(project)
    assert "# first" in fetch(server.url + "robots.txt")[1]
    save(project / "templates/robots.txt", robots.format("second"))
    eventually(lambda: "# second" in fetch(server.url + "robots.txt")[1], "the new robots.txt")


@pytest.mark.parametrize(
    ("path", "rebuilds"),
    [
        ("content/events/2020-07-investigation.yaml", True),
        ("content/timeline.yaml", True),
        ("content/events/new.yml", True),
        ("templates/event.html", True),
        ("themes/mine/static/style.css", True),
        ("content/notes.txt", False),
        ("content/events/.2020-07-investigation.yaml.swp", False),
        ("content/events/2020-07-investigation.yaml~", False),
        ("content/events/#2020-07-investigation.yaml#", False),
        ("content/events/.#2020-07-investigation.yaml", False),
        ("content/events/4913", False),
        ("themes/mine/templates/.goutputstream-AB12CD", False),
        ("themes/mine/.git/index", False),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_only_saves_that_can_change_the_site_rebuild_it(tmp_path, path, rebuilds):
    import watchfiles

    content = tmp_path / "content"
    assert _Saves(content)(watchfiles.Change.modified, str(tmp_path / path)) is rebuilds


def test_the_folders_watched_are_those_that_exist_none_inside_another(tmp_path, monkeypatch):
    (tmp_path / "content/events").mkdir(parents=True)
    (tmp_path / "themes/mine").mkdir(parents=True)
    engine = Engine(tmp_path / "content", persist=False)
    assert _watched_folders(engine) == sorted([tmp_path / "content", tmp_path / "themes", builtin_themes_dir()])
    (tmp_path / "schemas").mkdir()
    assert tmp_path / "schemas" in _watched_folders(engine), "the schemas' copies decide a warning"
    monkeypatch.setattr("timeline.engine.builtin_themes_dir", lambda: tmp_path / "themes/mine")
    assert _watched_folders(engine) == [tmp_path / "content", tmp_path / "schemas", tmp_path / "themes"]


def test_a_missing_page_is_the_sites_404_and_site_is_never_written(served):
    project, server = served
    status, page = fetch(server.url + "no/such/page/")
    assert status == 404
    assert "<title>Page not found" in page
    for path in ("_preview/errors.html", "_preview/scripts.html", "_preview/nothing.js"):
        assert fetch(server.url + path)[0] == 404, path
    assert not (project / "site").exists(), "serve builds into a temporary folder, never site/"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_stops_it_at_once_and_leaves_no_temporary_folder(served, stop):
    """Even with a page holding its update socket open, and the watcher waiting for saves."""
    _, server = served
    assert any(server.tmp.iterdir()), "the preview should build in its temporary folder"

    async def stop_with_a_page_open() -> float:
        socket = await websocket_connect(server.url.replace("http:", "ws:") + "_preview/updates")
        await socket.read_message()
        started = time.monotonic()
        server.process.send_signal(stop)
        assert await asyncio.wait_for(socket.read_message(), WAIT) is None, "the socket should be closed"
        await asyncio.to_thread(server.process.wait, WAIT)
        return time.monotonic() - started

    seconds = run_apart(stop_with_a_page_open())
    output = server.stopped()
    assert server.process.returncode == 0, output
    assert seconds < 3, f"stopping took {seconds:.1f} s"
    assert output.endswith("stopped\n")
    assert "Traceback" not in output
    assert list(server.tmp.iterdir()) == []


def test_a_port_in_use_is_a_clear_error(make_project):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "-m", "timeline", "serve", "--port", str(port)],
            cwd=make_project(),
            capture_output=True,
            text=True,
            timeout=WAIT,
        )
    assert completed.returncode == 1
    assert (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port" in completed.stderr
    )
    assert "Traceback" not in completed.stderr


def test_a_public_address_is_warned_about(make_project):
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", "--host", "0.0.0.0", "--port", "0"],
        cwd=make_project(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_stops_it,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=WAIT)
    assert any(
        "warning: serving on 0.0.0.0: anyone who can reach this machine can see the preview" in line for line in lines
    ), lines


def raw_request(url: str, lines: list[str]) -> str:
    """Send a request exactly as written (no client normalising its path); return the status line and headers."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
        return received.decode("latin-1")


def test_the_update_socket_refuses_other_origins(served):
    _, server = served
    host = server.url.split("/")[2]

    def upgrade(origin: str) -> str:
        return raw_request(server.url, [
            "GET /_preview/updates HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", f"Origin: {origin}",
        ]).split("\r\n", 1)[0]  # fmt: skip

    assert upgrade(f"http://{host}") == "HTTP/1.1 101 Switching Protocols"
    assert upgrade("https://attacker.example").startswith("HTTP/1.1 403")
    assert upgrade("null").startswith("HTTP/1.1 403")


def test_a_page_asked_for_under_another_host_name_is_refused(served):
    """DNS rebinding: attacker.example resolving to 127.0.0.1 reads nothing."""
    _, server = served
    port = server.url.split(":")[2].strip("/")
    for path in ("/", "/no/such/page/", "/_preview/overlay.js", "/_preview/errors.html", "/_preview/updates"):
        status = raw_request(server.url, [f"GET {path} HTTP/1.1", f"Host: attacker.example:{port}"]).split("\r\n", 1)[0]
        assert status.startswith("HTTP/1.1 403"), (path, status)
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        assert raw_request(server.url, ["GET / HTTP/1.1", f"Host: {host}"]).startswith("HTTP/1.1 200")


@pytest.mark.parametrize(
    "path",
    ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "//etc/passwd"],
)
def test_only_the_built_site_is_served(served, path):
    _, server = served
    host = server.url.split("/")[2]
    response = raw_request(server.url, [f"GET {path} HTTP/1.1", f"Host: {host}"])
    assert "root:" not in response
    assert response.split(" ", 2)[1] in ("400", "403", "404"), response.split("\r\n", 1)[0]
