"""`fetch-media`: the one command that downloads media. Each remote image (kind image, a `url`, no `file`)
is fetched into content/media/, checked like any image in the project, and its item gains a `file:` line.

Builds never touch the network: until it is fetched, a remote image is shown
as a link card. The YAML file is edited as text, one line added per image,
so its comments, order and quoting stay as the contributor wrote them; the
`url` stays as the image's origin.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import HTTPRedirectHandler, Request, build_opener

from timeline import __version__
from timeline.content import event_files
from timeline.errors import ContentError
from timeline.imagefiles import MAX_BYTES, ImageProblem, inspect_image
from timeline.loader import Document, load_document
from timeline.model import media_kind
from timeline.schema import url_problem

USER_AGENT = f"timeline-fetch-media/{__version__}"
FOLDER = "media"
"""Where fetched images go, inside the content folder."""
_EXTENSIONS = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF8", "gif"))


@dataclass(frozen=True)
class Fetched:
    """One remote image: where it is named, and what became of it."""

    where: ContentError
    """The item's file, line and field (`media[0].url`), with the outcome as its message."""
    ok: bool


class _WebOnly(HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address."""

    def redirect_request(self, request, fp, code, msg, headers, newurl):
        if url_problem(newurl) is not None:
            raise HTTPError(newurl, code, f"redirected to {newurl}, which is not a web address", headers, fp)
        return super().redirect_request(request, fp, code, msg, headers, newurl)


def fetch_media(content_dir: Path, *, timeout: float = 30.0) -> list[Fetched]:
    """Fetch every remote image named in timeline.yaml and the event files; report each."""
    errors: list[ContentError] = []
    paths = [content_dir / "timeline.yaml", *event_files(content_dir / "events", errors)]
    opener = build_opener(_WebOnly)
    results: list[Fetched] = []
    for path in paths:
        if not path.is_file() or path.is_symlink():
            continue
        try:
            document = load_document(path)
        except ContentError as error:
            results.append(Fetched(error, False))
            continue
        items = document.data.get("media") if isinstance(document.data, dict) else None
        wanted = [
            index
            for index, item in enumerate(items if isinstance(items, list) else ())
            if isinstance(item, dict)
            and isinstance(item.get("url"), str)
            and "file" not in item
            and media_kind(item) == "image"
        ]
        added: list[tuple[int, str]] = []
        for index in wanted:
            outcome = _fetch_one(document, content_dir, index, opener, timeout)
            results.append(outcome[0])
            if outcome[1] is not None:
                added.append((index, outcome[1]))
        if added:
            _add_files(document, added)
    return results


def _fetch_one(document: Document, content_dir: Path, index: int, opener, timeout: float):
    """(what happened, the relative path written or None)."""
    url = document.data["media"][index]["url"]
    where = ("media", index, "url")
    if (problem := url_problem(url)) is not None:
        return Fetched(document.error(f"'{url}' {problem}", where), False), None
    try:
        request = Request(url, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > MAX_BYTES:
                raise ImageProblem(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB, the most an image may be")
            data = response.read(MAX_BYTES + 1)
    except ImageProblem as problem:
        return Fetched(document.error(str(problem), where), False), None
    except HTTPError as exc:
        return Fetched(document.error(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}", where), False), None
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Fetched(document.error(f"cannot fetch {url}: {reason}", where), False), None
    extension = _extension(data)
    relative = f"{FOLDER}/{document.path.stem}-{index + 1}.{extension}"
    try:
        image = inspect_image(data, relative, url)
    except ImageProblem as problem:
        return Fetched(document.error(str(problem), where), False), None
    target = content_dir / relative
    if target.exists() and target.read_bytes() != data:
        relative = f"{FOLDER}/{document.path.stem}-{index + 1}-{image.digest[:8]}.{extension}"
        target = content_dir / relative
    if target.parent.is_symlink() or target.is_symlink():
        message = f"{content_dir.name}/{relative} is a symbolic link; nothing is written through one"
        return Fetched(document.error(message, where), False), None
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(target, data)
    message = f"fetched {url} into {content_dir.name}/{relative} ({image.width} × {image.height})"
    return Fetched(document.error(message, where), True), relative


def _extension(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((extension for magic, extension in _EXTENSIONS if data.startswith(magic)), "img")


def _add_files(document: Document, added: list[tuple[int, str]]) -> None:
    """Write `file: <path>` as the first key of each item, leaving every other byte of the file as it was."""
    text = document.text
    lines = text.splitlines(keepends=True)
    for index, relative in sorted(added, reverse=True):  # from the bottom: earlier positions stay true
        line, column = document.where(("media", index))
        offset = sum(len(each) for each in lines[: line - 1]) + column - 1
        if text[offset] == "{":  # a flow mapping: - {url: …, alt: …}
            insert = f"file: {relative}, "
            offset += 1
        else:
            insert = f"file: {relative}\n" + " " * (column - 1)
        text = text[:offset] + insert + text[offset:]
        lines = text.splitlines(keepends=True)
    _write_atomically(document.path, text.encode("utf-8"))


def _write_atomically(target: Path, data: bytes) -> None:
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
