"""`timeline serve` over HTTP: a saved edit shows up, a broken file shows its error, a fix recovers, Ctrl-C cleans up."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ctrl_c_stops_it

INVESTIGATION = "content/events/2020-07-investigation.yaml"
WAIT = 15.0
"""Seconds to wait for a change to be served: far above the usual half second, for slow machines."""


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
    def __init__(self, process: subprocess.Popen, url: str, tmp: Path) -> None:
        self.process, self.url, self.tmp = process, url, tmp


@pytest.fixture
def served(make_project, tmp_path):
    """`timeline serve --port 0` on the sample project, in its own process with its own temporary folder."""
    project = make_project()
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
    try:
        lines = []
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", line)
            if match:
                yield project, Served(process, match.group(1), tmp)
                break
        else:
            pytest.fail("serve did not start:\n" + "".join(lines))
        if not lines or not match:
            pytest.fail("serve stopped:\n" + "".join(lines))
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_an_edit_is_served_an_error_is_shown_and_a_fix_recovers(served):
    project, server = served
    status, page = fetch(server.url + "events/2020-07-investigation/")
    assert status == 200
    assert "Regulators open an investigation" in page
    assert f'<script src="/livereload.js?port={server.url.rsplit(":", 1)[1].strip("/")}"></script>' in page
    assert '<script src="/_preview/overlay.js" defer></script>' in page

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


def test_a_missing_page_is_the_sites_404_and_site_is_never_written(served):
    project, server = served
    status, page = fetch(server.url + "no/such/page/")
    assert status == 404
    assert "<title>Page not found" in page
    assert not (project / "site").exists(), "serve builds into a temporary folder, never site/"


def test_ctrl_c_stops_cleanly_and_leaves_no_temporary_folder(served):
    _, server = served
    assert any(server.tmp.iterdir()), "the preview should build in its temporary folder"
    server.process.send_signal(signal.SIGINT)
    output, _ = server.process.communicate(timeout=WAIT)
    assert server.process.returncode == 0, output
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


def test_the_reload_socket_refuses_other_origins(served):
    _, server = served
    host = server.url.split("/")[2]

    def upgrade(origin: str) -> str:
        return raw_request(server.url, [
            "GET /livereload HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", f"Origin: {origin}",
        ]).split("\r\n", 1)[0]  # fmt: skip

    assert upgrade(f"http://{host}") == "HTTP/1.1 101 Switching Protocols"
    assert upgrade("https://attacker.example").startswith("HTTP/1.1 403")
    assert upgrade("null").startswith("HTTP/1.1 403")


def test_a_page_asked_for_under_another_host_name_is_refused(served):
    """DNS rebinding: attacker.example resolving to 127.0.0.1 reads nothing."""
    _, server = served
    port = server.url.split(":")[2].strip("/")
    for path in ("/", "/livereload.js", "/_preview/overlay.js"):
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
