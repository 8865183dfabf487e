"""Link check: fetch every cited address, politely, and warn about the dead and the moved.

Pages rot after they are cited. Each address is fetched once, with HEAD and
then GET where HEAD is refused, following redirects one hop at a time so that
a permanent move can be told from a temporary one. Every failure becomes a
warning at the file:line that cites the address; nothing here raises on a
network problem or prints.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.client import HTTPException, InvalidURL
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, OpenerDirector, Request, build_opener

from timeline import __version__
from timeline.errors import WARNING, ContentError
from timeline.loader import Document, field_name

USER_AGENT = f"timeline-link-check/{__version__}"
MAX_REDIRECTS = 10
RETRY_AFTER_CAP = 5.0
"""Longest wait, in seconds, that a 429's Retry-After can impose before the one retry."""
TOTAL_TIMEOUTS = 3
"""One address (redirects, GET fallback and retry included) gets this many timeouts in all."""

_PERMANENT = (301, 308)
_SAFE = "/%:@!$&'()*+,;=?~[]"
"""Characters kept as written when an address is made ASCII: those with a meaning in URLs."""


@dataclass(frozen=True)
class Link:
    """One cited URL and where it is written."""

    url: str
    path: Path
    """The YAML file."""
    line: int
    """1-based, of the url value."""
    column: int
    field: str
    """E.g. `sources[2].url`, already formatted."""
    archive_url: str | None = None
    published: str | None = None
    """The source's partial date as written: `2022-05-23`, `2022-05`, `2022` or None."""


def links_of(documents: Iterable[Document]) -> list[Link]:
    """Every `sources[i].url` and `sources[i].archive_url` of the given event documents, with positions."""
    links: list[Link] = []
    for document in documents:
        sources = document.data.get("sources") if isinstance(document.data, dict) else None
        for index, source in enumerate(sources if isinstance(sources, list) else ()):
            if isinstance(source, dict):
                links.extend(_source_links(document, index, source))
    return links


def _source_links(document: Document, index: int, source: dict) -> list[Link]:
    published = source.get("published") if isinstance(source.get("published"), str) else None
    archive = source.get("archive_url") if _is_web(source.get("archive_url")) else None
    links = []
    for name, url, archive_url in (("url", source.get("url"), archive), ("archive_url", archive, None)):
        if _is_web(url):  # anything else the schema reports
            where = ("sources", index, name)
            line, column = document.where(where)
            links.append(Link(url, document.path, line, column, field_name(where), archive_url, published))
    return links


def check_links(
    links: Iterable[Link],
    *,
    timeout: float = 10.0,
    workers: int = 8,
    per_host_interval: float = 0.5,
    user_agent: str = USER_AGENT,
) -> list[ContentError]:
    """Fetch each address once and return a warning for every place citing a dead or moved one, sorted."""
    links = [link for link in links if _is_web(link.url)]  # never file:// or the like
    by_host: dict[str, list[str]] = {}
    for page in dict.fromkeys(_page(link.url) for link in links):
        by_host.setdefault(_host(page), []).append(page)
    checker = _Checker(timeout, per_host_interval, user_agent)
    # One task per host, so a thread never sits waiting for another's host;
    # redirects to a shared host still queue at the gate.
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="link-check")
    try:
        outcomes = dict(pair for group in pool.map(checker.check_all, by_host.values()) for pair in group)
    finally:
        checker.stopped.set()  # on Ctrl-C, finish the requests in flight, start no more
        pool.shutdown(cancel_futures=True)
    warnings = [_warning(link, outcomes[_page(link.url)]) for link in links]
    return sorted((warning for warning in warnings if warning is not None), key=lambda warning: warning.sort_key)


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    location: str | None
    """Where a redirect points, made absolute; None when there is none or it cannot be read."""
    retry_after: float


@dataclass(frozen=True)
class _Outcome:
    """What fetching one address found: `problem` is None when a page answered."""

    final: str
    moved: bool = False
    problem: str | None = None
    via: str | None = None
    """The address reached by redirects that had the problem, when it is not the cited one."""
    archivable: bool = True
    """False when no archive would help: the page may be alive (rate-limited), or the address is malformed."""


class _Unreachable(Exception):
    """A request got no HTTP answer; `retry` when a GET may fare better than the HEAD did."""

    def __init__(self, problem: str, *, retry: bool = False, archivable: bool = True) -> None:
        super().__init__(problem)
        self.problem = problem
        self.retry = retry
        self.archivable = archivable


@dataclass
class _Clock:
    """Time spent on one address's requests, waits at the gate excluded: redirects and retries share one budget."""

    budget: float
    spent: float = 0.0


@dataclass
class _Host:
    lock: threading.Lock
    next_start: float = 0.0


class _HostGate:
    """One request in flight per host and starts `interval` apart, so a check never looks like an attack."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._hosts: dict[str, _Host] = {}
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, host: str) -> Iterator[_Host]:
        with self._lock:
            slot = self._hosts.setdefault(host, _Host(threading.Lock()))
        with slot.lock:
            time.sleep(max(0.0, slot.next_start - time.monotonic()))
            slot.next_start = time.monotonic() + self._interval
            yield slot


class _NoRedirect(HTTPRedirectHandler):
    """Hand every redirect back as an answer: each hop must be seen to tell 301 from 302."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


class _Checker:
    """The settings, host gate and stop signal that every worker thread shares."""

    def __init__(self, timeout: float, per_host_interval: float, user_agent: str) -> None:
        self.timeout = timeout
        self.gate = _HostGate(per_host_interval)
        self.stopped = threading.Event()
        # Some servers answer 406 to a request without Accept.
        self.headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

    def check_all(self, pages: list[str]) -> list[tuple[str, _Outcome]]:
        """One host's addresses in turn."""
        return [(page, self.check(page)) for page in pages if not self.stopped.is_set()]

    def check(self, page: str) -> _Outcome:
        """Follow redirects from `page` to a final answer."""
        jar = CookieJar()  # some sites redirect to themselves once a cookie is set
        opener = build_opener(_NoRedirect, HTTPCookieProcessor(jar))
        clock = _Clock(self.timeout * TOTAL_TIMEOUTS)
        chain, seen, permanent = [page], {(page, _cookies(jar))}, None
        for _ in range(MAX_REDIRECTS + 1):
            current = chain[-1]
            via = current if current != page else None
            try:
                answer = self._ask(opener, current, clock)
            except _Unreachable as failure:
                return _Outcome(current, problem=failure.problem, via=via, archivable=failure.archivable)
            if answer.status < 300:
                return _Outcome(current, moved=bool(permanent) and _page(current) != page)
            target = answer.location
            if target is None:
                return _Outcome(current, problem=_answered(answer), via=via, archivable=answer.status != 429)
            if urlsplit(target).scheme not in ("http", "https"):
                return _Outcome(current, problem=f"redirects to {target}, which is not a web address", via=via)
            if permanent is None:  # only the first hop decides
                permanent = answer.status in _PERMANENT
            chain.append(target)
            state = (_page(target), _cookies(jar))
            if state in seen:
                return _Outcome(target, problem=f"redirects in a loop: {' → '.join(chain)}")
            seen.add(state)
        return _Outcome(chain[-1], problem=f"redirects more than {MAX_REDIRECTS} times")

    def _ask(self, opener: OpenerDirector, url: str, clock: _Clock) -> _Answer:
        """HEAD first, as it costs the server least; GET when HEAD fails, as many servers get HEAD wrong."""
        try:
            answer = self._patiently(opener, url, "HEAD", clock)
            if answer.status < 400 or answer.status == 429:
                return answer
        except _Unreachable as failure:
            if not failure.retry:
                raise
        return self._patiently(opener, url, "GET", clock)

    def _patiently(self, opener: OpenerDirector, url: str, method: str, clock: _Clock) -> _Answer:
        """One request, made once more after the wait that a 429 asks for."""
        answer = self._request(opener, url, method, clock)
        return self._request(opener, url, method, clock) if answer.status == 429 else answer

    def _request(self, opener: OpenerDirector, url: str, method: str, clock: _Clock) -> _Answer:
        limit = min(self.timeout, clock.budget - clock.spent)
        timed_out = f"did not answer within {self.timeout:g} s"
        if limit < self.timeout:
            timed_out = f"did not finish answering within {clock.budget:g} s"
            if limit <= 0:
                raise _Unreachable(timed_out)
        with self.gate.turn(_host(url)) as slot:
            started = time.monotonic()
            try:
                answer = self._open(opener, url, method, limit)
            except (OSError, HTTPException, ValueError) as exc:
                raise _unreachable(exc, url, timed_out) from None
            finally:
                clock.spent += time.monotonic() - started
            if answer.status == 429:
                slot.next_start = max(slot.next_start, time.monotonic() + answer.retry_after)
        return answer

    def _open(self, opener: OpenerDirector, url: str, method: str, limit: float) -> _Answer:
        request = Request(_ascii_url(url), method=method, headers=self.headers)
        try:
            response = opener.open(request, timeout=limit)
        except HTTPError as error:  # every answer but a 2xx, redirects included
            response = error
        with response:  # a GET's body is never read: the status says enough
            location = _location(url, response.headers) if 300 <= response.status < 400 else None
            retry_after = _retry_after(response.headers) if response.status == 429 else 0.0
            return _Answer(response.status, response.reason, location, retry_after)


def _unreachable(exc: BaseException, url: str, timed_out: str) -> _Unreachable:
    """Say why no answer came, in the words a contributor can act on."""
    cause = exc.reason if isinstance(exc, URLError) else exc
    if isinstance(cause, TimeoutError):
        return _Unreachable(timed_out)
    if isinstance(cause, socket.gaierror):
        if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
            return _Unreachable(f"could not be reached: the host name {_host(url)} was not found")
        return _Unreachable(
            f"could not be reached: the host name {_host(url)} could not be looked up ({cause.strerror})"
        )
    if isinstance(cause, ConnectionRefusedError):
        return _Unreachable("could not be reached: the server refused the connection")
    if isinstance(cause, ssl.SSLCertVerificationError):
        return _Unreachable(f"could not be reached securely: its certificate is not valid ({cause.verify_message})")
    if isinstance(cause, ssl.SSLError):
        return _Unreachable(f"could not be reached securely: the TLS handshake failed ({cause.reason or cause})")
    if isinstance(cause, (InvalidURL, ValueError, str)):  # no archive can hold what cannot be fetched
        return _Unreachable(f"is not a valid address ({cause}); correct it", archivable=False)
    if isinstance(cause, (HTTPException, ConnectionResetError)):
        return _Unreachable("closed the connection without a valid answer", retry=True)
    return _Unreachable(f"could not be reached: {getattr(cause, 'strerror', None) or cause}")


def _answered(answer: _Answer) -> str:
    try:
        phrase = f"{answer.status} {HTTPStatus(answer.status).phrase}"
    except ValueError:  # a status Python does not know: the server's own words
        phrase = f"{answer.status} {answer.reason}".strip()
    if answer.status == 429:
        return f"answered {phrase} twice: the server refused to answer so many requests; check the link again later"
    if answer.status < 400:
        return f"answered {phrase} but gave no usable address to go to"
    if answer.status in (401, 403):
        return f"answered {phrase} (the site may refuse automated checks: open it in a browser to be sure)"
    return f"answered {phrase}"


def _warning(link: Link, outcome: _Outcome) -> ContentError | None:
    if outcome.problem is None:
        if not outcome.moved:
            return None
        new = _keep_fragment(outcome.final, link.url)
        return _warn(link, "moved-link", f"{link.url} moved permanently to {new}; cite the new address")
    where = f" redirects to {outcome.via}, which" if outcome.via else ""
    advice = _advice(link) if outcome.archivable else ""
    return _warn(link, "dead-link", f"{link.url}{where} {outcome.problem}{advice}")


def _advice(link: Link) -> str:
    if link.field.endswith("archive_url"):
        return "; replace archive_url with a copy that answers"
    if link.archive_url:
        return "; the source's archive_url still gives readers the archived copy"
    return f"; if the page is gone, add archive_url: {_wayback(link)} (check the copy is the one cited)"


def _wayback(link: Link) -> str:
    """The Wayback Machine's copy nearest the date the source was published (its latest without a date)."""
    stamp = (link.published or "").replace("-", "")
    return (
        f"https://web.archive.org/web/{stamp}/{link.url}"
        if stamp.isdecimal()
        else f"https://web.archive.org/web/{link.url}"
    )


def _warn(link: Link, check: str, message: str) -> ContentError:
    return ContentError(
        message, path=link.path, line=link.line, column=link.column, field=link.field, severity=WARNING, check=check
    )


def _keep_fragment(final: str, cited: str) -> str:
    """Browsers carry `#part` across a redirect that names none, so the new address keeps it."""
    fragment = cited.partition("#")[2]
    return f"{final}#{fragment}" if fragment and "#" not in final else final


def _is_web(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def _page(url: str) -> str:
    """The address without its `#part`: the server sees the same page."""
    return url.partition("#")[0]


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _ascii_url(url: str) -> str:
    """Contributors paste addresses with accents; HTTP needs punycode hosts and %-escaped paths."""
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    return urlunsplit(
        (parts.scheme, user + at + host, quote(parts.path, safe=_SAFE), quote(parts.query, safe=_SAFE), "")
    )


def _location(url: str, headers: Message) -> str | None:
    value = (headers.get("Location") or "").strip()
    # http.client reads headers as Latin-1; servers that send raw text send UTF-8.
    with contextlib.suppress(UnicodeError):
        value = value.encode("latin-1").decode("utf-8")
    try:
        return urljoin(url, value) if value else None
    except ValueError:
        return None


def _retry_after(headers: Message) -> float:
    """Seconds a 429 asks to wait, capped; one second when it does not say."""
    value = (headers.get("Retry-After") or "").strip()
    if value.isdecimal():
        return min(float(value), RETRY_AFTER_CAP)
    try:
        seconds = (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
    except (TypeError, ValueError):  # absent, unreadable, or a date without a zone
        seconds = 1.0
    return min(max(seconds, 0.0), RETRY_AFTER_CAP)


def _cookies(jar: CookieJar) -> tuple:
    return tuple(sorted((cookie.domain, cookie.path, cookie.name, cookie.value or "") for cookie in jar))
