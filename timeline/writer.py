"""Write stage: the whole site into a sibling temporary folder, then swapped in.

The previous site stays in place, untouched, until the new one is complete:
a failed or interrupted build leaves it as it was. A folder is only ever
replaced if an earlier build marked it as ours, so `--out ~` cannot delete
anyone's files.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from timeline.errors import BuildError

MARKER = ".timeline-site"
"""Present in every folder this tool built; only such a folder is replaced."""
_MARKER_TEXT = "This folder is built by timeline and replaced on every build.\n"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$")


def write_site(out_dir: Path, pages: Iterable[tuple[str, str]], static: dict[str, Path]) -> int:
    """Write `pages` and `static` files as the new `out_dir`; return the number of files."""
    out_dir = out_dir.absolute()
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        count = 0
        made: set[Path] = set()
        for path, text in pages:
            _target(staging, path, made).write_bytes(text.encode("utf-8"))
            count += 1
        for path, source in static.items():
            shutil.copyfile(source, _target(staging, path, made))
            count += 1
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


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


def _target(root: Path, relative: str, made: set[Path]) -> Path:
    """`root/relative`, refusing any path that could leave `root`; its folder is made once."""
    if not _SAFE_PATH.match(relative) or ".." in relative.split("/"):
        raise BuildError(f"refusing to write outside the site: {relative!r}")
    target = root / relative
    if target.parent not in made:
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
