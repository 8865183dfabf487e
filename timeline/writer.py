"""Write stage: pages rendered into a sibling temporary folder, then put in place.

A whole build writes the site into the temporary folder and swaps it for
the old one; an update writes only the pages whose bytes changed there, then
moves each over its old copy and deletes the pages that are gone. Either way
the previous site stays in place, untouched, until everything new is
written: a failed or interrupted build leaves it as it was. A folder is only
ever replaced if an earlier build marked it as ours, so `--out ~` cannot
delete anyone's files.

Pages are rendered as they are written. A large site is rendered by one
forked process per core, each taking every n-th page: the model is built
once and shared with them, and rendering is most of a build's time.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from timeline.cache import cache_folder
from timeline.errors import BuildError
from timeline.pages import PageSpec
from timeline.parallel import cores, worker_signals

MARKER = ".timeline-site"
"""Present in every folder this tool built; only such a folder is replaced."""
_MARKER_TEXT = "This folder is built by timeline and replaced on every build.\n"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")
PAGES_PER_WORKER = 400
"""Below this many pages per extra process, forking costs more than it saves."""

Describe = Callable[[BaseException], str]
"""Turns an error raised while rendering into the message the build stops with."""

Later = Callable[[], tuple[Sequence[PageSpec], Sequence[str]]]
"""Pages another process makes while the others render (the search index), and the paths they retire.

Called once the other pages are written, or before any worker is forked
(a fork while threads run is unsafe).
"""


def write_site(
    out_dir: Path,
    pages: Sequence[PageSpec],
    static: dict[str, Path],
    *,
    describe: Describe,
    workers: int | None = None,
    later: Later | None = None,
) -> int:
    """Render `pages` and `later`'s and copy `static` files into the new `out_dir`; return the number of files.

    `workers`: processes to render with (default: one per usable core). An
    error while rendering raises BuildError with `describe(error)`.
    """
    out_dir = out_dir.absolute()
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with _only_build_into(out_dir):
        check_replaceable(out_dir)  # again: another build may have finished meanwhile
        _remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
            count = len(_write_pages(staging, pages, describe, _workers(workers, len(pages)), later=later)[0])
            made: set[Path] = set()
            for path, source in static.items():
                shutil.copyfile(source, _target(staging, path, made))
                count += 1
            (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
            _swap(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return count


@contextmanager
def _only_build_into(out_dir: Path) -> Iterator[None]:
    """Hold a lock for `out_dir`: two builds into one folder would swap each other's halves.

    The lock (flock) is on a file in the user's cache folder named after the
    output folder, so nothing is left beside the site; where that cannot be
    written, on the output's parent folder itself. The system releases it
    if the process dies.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock
        yield
        return
    name = hashlib.sha256(str(out_dir).encode()).hexdigest()[:32]
    try:
        locks = cache_folder() / "locks"
        locks.mkdir(parents=True, exist_ok=True)
        handle = os.open(locks / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        handle = os.open(out_dir.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"{out_dir}: another build is writing this site; wait for it to finish and try again"
            ) from None
        yield
    finally:
        os.close(handle)  # releases the lock


def _remove_leftovers(out_dir: Path) -> None:
    """Delete the staging and retired folders of a build that was killed outright (the lock says none is running)."""
    for pattern in (f".{out_dir.name}.tmp-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def _workers(requested: int | None, pages: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(requested or cores(), pages // PAGES_PER_WORKER))


def update_site(
    out_dir: Path,
    pages: Sequence[PageSpec],
    static: dict[str, Path],
    removed: Sequence[str],
    *,
    describe: Describe,
    workers: int | None = None,
    later: Later | None = None,
) -> list[str]:
    """Render `pages` and write, in place, those whose bytes differ from the site's; copy `static`; delete `removed`.

    `later`'s pages are written as `pages` are, and its retired paths deleted with `removed`.

    Returns the paths written. Everything new is written beside the site
    first: the site is only touched once all of it is there.
    """
    out_dir = out_dir.absolute()
    check_replaceable(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _only_build_into(out_dir):
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
        try:
            written, retired = _write_pages(
                staging, pages, describe, _workers(workers, len(pages)), compare=out_dir, later=later
            )
            for number, (path, source) in enumerate(sorted(static.items())):
                _target(out_dir, path, set(), make=False)  # refuses an unsafe path before anything moves
                shutil.copyfile(source, staging / f"static-{number}")
                written.append((path, f"static-{number}"))
            for path, staged in written:
                os.replace(staging / staged, _target(out_dir, path, set()))
            for path in [*removed, *retired]:
                _remove(out_dir, path)
            (out_dir / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
            os.utime(out_dir / MARKER)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(path for path, _ in written)


def site_stamp(out_dir: Path) -> str:
    """The site folder as the last build left it: a file added at its top, or another build, changes it."""
    try:
        folder, marker = os.stat(out_dir), os.stat(out_dir / MARKER)
    except OSError:
        return ""
    return repr((folder.st_ino, folder.st_mtime_ns, marker.st_ino, marker.st_mtime_ns, marker.st_ctime_ns))


def _remove(root: Path, relative: str) -> None:
    target = _target(root, relative, set(), make=False)
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


_shared: tuple[Path, Sequence[PageSpec], Describe, int, Path | None, list[int]] | None = None
"""What forked workers inherit: set just before the pool starts, never pickled."""

Written = list[tuple[str, str]]
"""(path in the site, name in the staging folder) of each file written."""


def _write_pages(
    root: Path,
    pages: Sequence[PageSpec],
    describe: Describe,
    workers: int,
    compare: Path | None = None,
    later: Later | None = None,
) -> tuple[Written, Sequence[str]]:
    """Render every page into `root`; with `compare`, only those whose bytes differ from the copy there.

    Returns what was written, and the paths `later` retires.
    """
    retired: Sequence[str] = ()
    if workers == 1:
        written = _write_numbers(root, pages, describe, range(len(pages)), compare)
        if later is not None:
            more, retired = later()
            everything = [*pages, *more]
            written += _write_numbers(root, everything, describe, range(len(pages), len(everything)), compare)
        return written, retired
    if later is not None:
        more, retired = later()
        pages = [*pages, *more]
    return _write_forked(root, pages, describe, workers, compare), retired


def _write_forked(
    root: Path, pages: Sequence[PageSpec], describe: Describe, workers: int, compare: Path | None
) -> Written:
    """`workers` processes, this one among them, each rendering every n-th page."""
    global _shared
    local = [number for number, spec in enumerate(pages) if spec.local]
    shared = [number for number, spec in enumerate(pages) if not spec.local]
    _shared = (root, pages, describe, workers, compare, shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=worker_signals) as pool:
            pending = pool.map_async(_write_worker_share, range(workers))
            written = _write_numbers(root, pages, describe, local, compare)  # meanwhile, here
            results = pending.get()
    finally:
        _shared = None
    failures = [result for result in results if isinstance(result, str)]
    if failures:
        raise BuildError(failures[0])
    return written + [item for result in results for item in result]


def _write_worker_share(share: int) -> Written | str:
    """In a worker: write every n-th page; an error comes back as its message (exceptions may not pickle)."""
    assert _shared is not None
    root, pages, describe, workers, compare, numbers = _shared
    try:
        return _write_numbers(root, pages, describe, numbers[share::workers], compare)
    except BuildError as exc:
        return str(exc)


def _write_numbers(
    root: Path, pages: Sequence[PageSpec], describe: Describe, numbers: Sequence[int], compare: Path | None
) -> Written:
    made: set[Path] = set()
    written: Written = []
    for number in numbers:
        spec = pages[number]
        try:
            data = spec.render()
            if isinstance(data, str):
                data = data.encode("utf-8")
        except BuildError:
            raise
        except Exception as exc:
            raise BuildError(describe(exc)) from None
        try:
            if compare is None:
                _target(root, spec.path, made).write_bytes(data)
                written.append((spec.path, spec.path))
            elif _differs(_target(compare, spec.path, made, make=False), data):
                (root / f"page-{number}").write_bytes(data)
                written.append((spec.path, f"page-{number}"))
        except OSError as exc:
            raise write_failure(exc) from None
    return written


def _differs(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return True
        return path.read_bytes() != data
    except OSError:
        return True


def write_failure(exc: OSError) -> BuildError:
    """`cannot write the site: /path: No space left on device`, for any failure to write the site."""
    where = f": {exc.filename}" if exc.filename else ""
    return BuildError(f"cannot write the site{where}: {exc.strerror or exc}")


def check_replaceable(out_dir: Path) -> None:
    """Refuse an output folder this tool did not make (unless it is empty or new)."""
    if out_dir.is_symlink():
        raise BuildError(f"{out_dir}: the output folder is a symbolic link; give a real folder with --out")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise BuildError(f"{out_dir}: the output path exists and is not a folder")
    if (out_dir / MARKER).is_file() or not any(out_dir.iterdir()):
        return
    raise BuildError(
        f"{out_dir}: refusing to replace a folder that timeline did not build (it has no {MARKER} file); "
        "choose a new or empty folder with --out"
    )


def _target(root: Path, relative: str, made: set[Path], *, make: bool = True) -> Path:
    """`root/relative`, refusing any path that could leave `root`; its folder is made once."""
    if not _SAFE_PATH.match(relative) or ".." in relative.split("/"):
        raise BuildError(f"refusing to write outside the site: {relative!r}")
    target = root / relative
    if make and target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


def _swap(staging: Path, out_dir: Path) -> None:
    """Put `staging` where `out_dir` is, keeping the old folder until that succeeded."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    os.rmdir(retired)  # only its unique name is wanted
    os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
