"""The link check: dead and moved citations become warnings at the line that cites them.

Every request goes to a server on 127.0.0.1 started here; nothing touches the internet.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from timeline.errors import WARNING
from timeline.links import USER_AGENT, Link, check_links, links_of
from timeline.loader import parse_document

# path → (status, Location) for both HEAD and GET; the rest are special cases in the handler.
ROUTES = {
    "/live": (200, None),
    "/gone": (404, None),
    "/error": (500, None),
    "/forbidden": (403, None),
    "/moved": (301, "/live"),
    "/moved-twice": (301, "moved"),  # relative to the folder, like /moved's own
    "/moved-to-gone": (308, "/gone"),
    "/moved-then-temp": (301, "/temp"),
    "/temp": (302, "/live"),
    "/temp-then-moved": (307, "/moved"),
    "/loop": (301, "/loop"),
    "/ftp": (301, "ftp://example.com/file"),
    "/always-busy": (429, None),
}
SLOW_SECONDS = 1.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_HEAD(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.requests.append((self.command, path, time.monotonic(), self.headers["User-Agent"]))
            seen = sum(1 for request in self.server.requests if request[1] == path)
        status, location = ROUTES.get(path, (404, None))
        headers = {"Location": location} if location else {}
        if path == "/no-head":
            status = 405 if self.command == "HEAD" else 200
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            status = 200
        elif path.startswith("/endless/"):
            status, headers = 302, {"Location": f"/endless/{int(path.rsplit('/', 1)[1]) + 1}"}
        elif path in ("/busy", "/busy-for-a-second"):
            status = 429 if seen == 1 else 200
        elif path == "/cookie":  # redirects to itself once to set a cookie, as some news sites do
            status, headers = (
                (200, {}) if self.headers["Cookie"] else (302, {"Location": "/cookie", "Set-Cookie": "seen=1"})
            )
        if status == 429:
            headers["Retry-After"] = "1" if path == "/busy-for-a-second" else "0"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, float, str]] = []
        """(method, path, time.monotonic() at arrival, User-Agent) of every request."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def seen(self, path: str) -> list[str]:
        """The methods of the requests for `path`, in order."""
        return [method for method, seen, _, _ in self.requests if seen == path]

    def handle_error(self, request, client_address) -> None:
        pass  # /slow answers a client that has given up


@pytest.fixture
def server():
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """urllib obeys the proxy variables; a proxy would see the test's requests."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def link(url: str, **fields) -> Link:
    values = {"path": Path("content/events/2022-05-23-fine.yaml"), "line": 7, "column": 10, "field": "sources[0].url"}
    return Link(url, **{**values, **fields})


def check(*links: Link, **options) -> list:
    return check_links(links, **{"timeout": 2.0, "per_host_interval": 0, **options})


def suggestion(url: str) -> str:
    return (
        f"; if the page is gone, add archive_url: https://web.archive.org/web/{url} (check the copy is the one cited)"
    )


# --- what is not reported ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/live", "/temp", "/temp-then-moved", "/no-head", "/busy", "/cookie"],
    ids=["live", "temporary-redirect", "temporary-first-hop", "head-refused", "rate-limited-once", "cookie-redirect"],
)
def test_live_pages_give_no_warning(server, path):
    assert check(link(server.url(path))) == []


def test_a_refused_head_is_retried_with_get(server):
    check(link(server.url("/no-head")))

    assert server.seen("/no-head") == ["HEAD", "GET"]


def test_a_live_page_is_asked_once_with_head_and_the_tool_named(server):
    check(link(server.url("/live")))

    assert server.seen("/live") == ["HEAD"]
    assert server.requests[0][3] == USER_AGENT
    assert USER_AGENT.startswith("timeline-link-check/")


def test_only_web_addresses_are_fetched(server):
    assert check(link("file:///etc/passwd")) == []
    assert server.requests == []


# --- dead links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/gone", "answered 404 Not Found"),
        ("/error", "answered 500 Internal Server Error"),
        (
            "/forbidden",
            "answered 403 Forbidden (the site may refuse automated checks: open it in a browser to be sure)",
        ),
        ("/loop", "redirects in a loop: {base}/loop → {base}/loop"),
        ("/endless/0", "redirects more than 10 times"),
        ("/ftp", "redirects to ftp://example.com/file, which is not a web address"),
        ("/moved-to-gone", "redirects to {base}/gone, which answered 404 Not Found"),
    ],
    ids=["404", "500", "403", "redirect-loop", "too-many-redirects", "redirect-to-ftp", "moved-to-404"],
)
def test_dead_links_are_warned_with_the_archive_suggested(server, path, problem):
    url = server.url(path)

    [warning] = check(link(url))

    assert warning.message == f"{url} {problem.format(base=server.url(''))}{suggestion(url)}"
    assert warning.check == "dead-link"
    assert warning.severity == WARNING


def test_a_dead_head_is_confirmed_with_get(server):
    check(link(server.url("/gone")))

    assert server.seen("/gone") == ["HEAD", "GET"]


def test_redirects_stop_after_ten(server):
    check(link(server.url("/endless/0")))

    assert len(server.requests) == 11


def test_a_timeout_names_the_limit(server):
    url = server.url("/slow")

    [warning] = check(link(url), timeout=0.5)

    assert warning.message == f"{url} did not answer within 0.5 s{suggestion(url)}"
    assert warning.check == "dead-link"


def test_a_refused_connection_is_dead():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"

    [warning] = check(link(url))

    assert warning.message == f"{url} could not be reached: the server refused the connection{suggestion(url)}"
    assert warning.check == "dead-link"


def test_an_unknown_host_is_dead(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    url = "https://nowhere.invalid/page"

    [warning] = check(link(url))

    assert (
        warning.message == f"{url} could not be reached: the host name nowhere.invalid was not found{suggestion(url)}"
    )


def test_a_failed_tls_handshake_is_dead():
    listener = socket.create_server(("127.0.0.1", 0))

    def answer_in_plain_http() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(4096)  # the TLS hello, read so that closing sends no reset
            connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=answer_in_plain_http, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}/page"
    try:
        [warning] = check(link(url))
    finally:
        thread.join(timeout=2)
        listener.close()

    assert warning.message.startswith(f"{url} could not be reached securely: the TLS handshake failed (")
    assert warning.message.endswith(suggestion(url))
    assert warning.check == "dead-link"


def test_a_rate_limited_request_is_retried_after_the_wait_asked_for(server):
    assert check(link(server.url("/busy-for-a-second"))) == []

    first, second = (start for _, _, start, _ in server.requests)
    assert second - first >= 0.9


def test_a_server_refusing_so_many_requests_is_asked_once_more_then_warned(server):
    url = server.url("/always-busy")

    [warning] = check(link(url))

    assert warning.message == (
        f"{url} answered 429 Too Many Requests twice: the server refused to answer so many requests; "
        "check the link again later"
    )
    assert warning.check == "dead-link"
    assert server.seen("/always-busy") == ["HEAD", "HEAD"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http:///page", "no host given"), ("http://[::1/page", "Invalid IPv6 URL")],
    ids=["no-host", "broken-ipv6"],
)
def test_an_address_that_cannot_be_fetched_is_to_be_corrected(url, reason):
    [warning] = check(link(url))

    assert warning.message == f"{url} is not a valid address ({reason}); correct it"
    assert warning.check == "dead-link"


@pytest.mark.parametrize(
    ("published", "archive"),
    [
        ("2022-05-23", "https://web.archive.org/web/20220523/{url}"),
        ("2022-05", "https://web.archive.org/web/202205/{url}"),
        ("2022", "https://web.archive.org/web/2022/{url}"),
        (None, "https://web.archive.org/web/{url}"),
    ],
    ids=["day", "month", "year", "undated"],
)
def test_the_archive_suggested_is_the_copy_nearest_publication(server, published, archive):
    url = server.url("/gone")

    [warning] = check(link(url, published=published))

    assert warning.message == (
        f"{url} answered 404 Not Found; if the page is gone, add archive_url: {archive.format(url=url)} "
        "(check the copy is the one cited)"
    )


def test_a_source_with_an_archive_is_told_readers_have_it(server):
    url = server.url("/gone")

    [warning] = check(link(url, archive_url="https://web.archive.org/web/2022/https://example.com/"))

    assert (
        warning.message
        == f"{url} answered 404 Not Found; the source's archive_url still gives readers the archived copy"
    )


def test_a_dead_archive_is_to_be_replaced(server):
    url = server.url("/gone")

    [warning] = check(link(url, field="sources[0].archive_url"))

    assert warning.message == f"{url} answered 404 Not Found; replace archive_url with a copy that answers"
    assert warning.field == "sources[0].archive_url"


# --- moved links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/moved", "/moved-twice", "/moved-then-temp"], ids=["301", "two-301s", "301-then-302"]
)
def test_a_permanent_move_names_the_final_address(server, path):
    url = server.url(path)

    [warning] = check(link(url))

    assert warning.message == f"{url} moved permanently to {server.url('/live')}; cite the new address"
    assert warning.check == "moved-link"
    assert warning.severity == WARNING


def test_a_move_keeps_the_part_after_the_hash(server):
    url = server.url("/moved#penalty")

    [warning] = check(link(url))

    assert warning.message == f"{url} moved permanently to {server.url('/live#penalty')}; cite the new address"


# --- where warnings are, and how often -------------------------------------------------------


def test_a_warning_is_placed_where_the_link_is_written(server):
    url = server.url("/moved")

    [warning] = check(link(url, path=Path("content/events/a.yaml"), line=12, column=10, field="sources[2].url"))

    assert (warning.path, warning.line, warning.column, warning.field) == (
        Path("content/events/a.yaml"),
        12,
        10,
        "sources[2].url",
    )
    assert str(warning) == (
        f"content/events/a.yaml:12:10: warning: sources[2].url: {url} moved permanently to "
        f"{server.url('/live')}; cite the new address [moved-link]"
    )


def test_an_address_cited_twice_is_fetched_once_and_warned_twice(server):
    url = server.url("/gone")
    second = link(url, path=Path("content/events/b.yaml"), line=3)
    first = link(url, path=Path("content/events/a.yaml"), line=9)

    warnings = check(second, first)

    assert server.seen("/gone") == ["HEAD", "GET"]
    assert [(str(warning.path), warning.line) for warning in warnings] == [
        ("content/events/a.yaml", 9),
        ("content/events/b.yaml", 3),
    ]


def test_warnings_are_sorted_by_file_and_line(server):
    links = [link(server.url(path), line=line) for path, line in (("/gone", 30), ("/error", 4), ("/moved", 12))]

    warnings = check(*links)

    assert [warning.line for warning in warnings] == [4, 12, 30]


def test_requests_to_one_host_are_spaced(server):
    links = [link(server.url(f"/live?n={n}")) for n in range(3)]

    assert check(*links, per_host_interval=0.2, workers=4) == []

    starts = [start for _, _, start, _ in server.requests]
    assert len(starts) == 3
    assert all(later - earlier >= 0.15 for earlier, later in itertools.pairwise(starts))


# --- finding the links in event files ----------------------------------------------------------

EVENT = b"""\
title: ICO fines the company
date: 2022-05-23
sources:
  - title: ICO fines the company
    publisher: ICO
    url: https://ico.org.uk/fine
    published: 2022-05-23
  - title: Watchdog fines the company
    publisher: Reuters
    url:   'https://reuters.com/fine'
    archive_url: https://web.archive.org/web/2022/https://reuters.com/fine
    published: 2022-05
"""


def test_links_of_finds_every_url_with_its_position():
    path = Path("content/events/x.yaml")

    links = links_of([parse_document(EVENT, path)])

    archive = "https://web.archive.org/web/2022/https://reuters.com/fine"
    assert links == [
        Link("https://ico.org.uk/fine", path, 6, 10, "sources[0].url", None, "2022-05-23"),
        Link("https://reuters.com/fine", path, 10, 12, "sources[1].url", archive, "2022-05"),
        Link(archive, path, 11, 18, "sources[1].archive_url", None, "2022-05"),
    ]


def test_links_of_skips_what_the_schema_reports():
    document = parse_document(b"sources:\n  - url: 12\n  - mailto:x@example.com\n  - url: ftp://x\n", Path("x.yaml"))

    assert links_of([document]) == []


# --- the command line: `check --links` ---------------------------------------------


def test_check_links_reports_dead_and_moved_citations_at_their_lines(server, run, make_project):
    project = make_project()
    investigation = project / "content/events/2020-07-investigation.yaml"
    fine = project / "content/events/2022-05-23-final-fine.yaml"
    investigation.write_text(
        investigation.read_text(encoding="utf-8").replace("https://example.com/reuters/probe", server.url("/gone")),
        encoding="utf-8",
    )
    text = fine.read_text(encoding="utf-8")
    text = text.replace("https://example.com/ico/fine\n", server.url("/moved") + "\n", 1)
    text = text.replace("https://web.archive.org/web/2022/https://example.com/ico/fine", server.url("/live"))
    text = text.replace("https://example.com/reuters/probe", server.url("/live"))
    fine.write_text(text, encoding="utf-8")

    result = run(["check", "--links"], cwd=project)
    gone, moved, live = server.url("/gone"), server.url("/moved"), server.url("/live")
    assert result.err.splitlines() == [
        f"content/events/2020-07-investigation.yaml:12:10: warning: sources[0].url: {gone} answered 404 Not Found; "
        f"if the page is gone, add archive_url: https://web.archive.org/web/20200709/{gone} (check the copy is the one "
        "cited) [dead-link]",
        f"content/events/2022-05-23-final-fine.yaml:24:10: warning: sources[0].url: {moved} moved permanently to "
        f"{live}; cite the new address [moved-link]",
    ]
    assert (result.code, result.out) == (0, "3 files checked: 0 errors, 2 warnings\n")
    assert run(["check", "--links", "--strict"], cwd=project).code == 1
    assert run(["check"], cwd=project).err == "", "without --links nothing is fetched"


def test_check_links_is_skipped_while_the_content_has_errors(server, run, make_project):
    project = make_project()
    investigation = project / "content/events/2020-07-investigation.yaml"
    text = investigation.read_text(encoding="utf-8").replace("https://example.com/reuters/probe", server.url("/gone"))
    investigation.write_text(text.replace("status: concluded", "status: done"), encoding="utf-8")
    result = run(["check", "--links"], cwd=project)
    assert result.code == 1
    assert "[dead-link]" not in result.err
    assert server.requests == [], "a broken file is fixed before the network is asked"
