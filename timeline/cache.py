"""The engine's memory between runs, kept in the user's cache folder: never in the project or the site.

Each record is one file: a header line (format, the tool's digest, the
body's length and digest) and the pickled body. A record that is missing,
truncated, altered, written by another version of the tool or unreadable in
any way is treated as absent: the run does all its work, as the first run
did, and writes a good record. Records are replaced whole (written beside,
then renamed), so two processes sharing the folder only ever see a complete
record, their own or the other's; a record never speaks for a folder it was
not written for (its name and its header say which). Losing the whole folder
only costs one full run.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from timeline import stamps

FORMAT = b"timeline-cache 3"
"""Raised whenever what is pickled changes shape."""


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/timeline, else ~/.cache/timeline."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def record_path(kind: str, *where: object) -> Path:
    """The record of `kind` for these folders and options."""
    return cache_folder() / f"{kind}-{stamps.digest(kind, *where)}.pickle"


def load(path: Path, key: str) -> object | None:
    """The body stored at `path` for `key`, or None when there is no record this run can believe."""
    try:
        with path.open("rb") as stream:
            header = stream.readline(512)
            body = stream.read()
    except OSError:
        return None
    parts = header.rstrip(b"\n").split(b" ")
    if len(parts) != 6 or b" ".join(parts[:2]) != FORMAT:
        return None
    tool, wanted_key, length, digest = (part.decode("ascii", "replace") for part in parts[2:])
    if tool != stamps.tool() or wanted_key != key or length != str(len(body)):
        return None
    if hashlib.sha256(body).hexdigest() != digest:
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes objects by the hundred thousand: collecting meanwhile takes 4× as long
    try:
        return pickle.loads(body)
    except Exception:  # anything at all: the record is not believed
        return None
    finally:
        if collecting:
            gc.enable()


def save(path: Path, key: str, body: object) -> None:
    """Store `body` for `key`; a cache folder that cannot be written only means no record."""
    data = pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
    header = b" ".join(
        [
            FORMAT,
            stamps.tool().encode(),
            key.encode(),
            str(len(data)).encode(),
            hashlib.sha256(data).hexdigest().encode(),
        ]
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(header + b"\n")
                stream.write(data)
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            raise
    except OSError:
        pass


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


SHARDS = 16
"""A record of many items is kept in this many files: an edit rewrites the one holding its item."""


def shard_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % SHARDS


def load_shards(path: Path, key: str, context: str) -> list[dict]:
    """The items stored by `save_shards` under `context`, by shard (a shard not believed is empty).

    Each item is a fact about one input, checked by the caller before use
    (a stamp, a digest, a version), so shards written by different runs can be
    read together.
    """
    shards = []
    for number in range(SHARDS):
        body = load(_shard_path(path, number), key)
        ok = isinstance(body, tuple) and len(body) == 2 and body[0] == context and isinstance(body[1], dict)
        shards.append(body[1] if ok else {})
    return shards


def save_shards(
    path: Path, key: str, context: str, items: dict, before: list[dict], name: Callable[[object], str]
) -> list[dict]:
    """Store `items` by shard of `name(item key)`, writing only the shards that differ from `before`."""
    shards: list[dict] = [{} for _ in range(SHARDS)]
    for item_key, value in items.items():
        shards[shard_of(name(item_key))][item_key] = value
    for number, shard in enumerate(shards):
        old = before[number] if len(before) == SHARDS else None
        if old is None or old.keys() != shard.keys() or any(old[k] is not v for k, v in shard.items()):
            save(_shard_path(path, number), key, (context, shard))
    return shards


def _shard_path(path: Path, number: int) -> Path:
    return path.with_name(f"{path.stem}-{number:02}{path.suffix}")
