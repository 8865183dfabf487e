"""Shared fixtures: sample projects in tmp_path and the command line run in-process."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline.cli import main

TESTS = Path(__file__).parent
SITES = TESTS / "sites"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden from the current output")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys, monkeypatch):
    """Run the command line in a folder: `run(["check"], cwd=project)` → Result."""

    def runner(argv: list[str], cwd: Path) -> Result:
        monkeypatch.chdir(cwd)
        try:
            code = main(argv)
        except SystemExit as exit:  # argparse usage errors and --help
            code = exit.code
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return runner


@pytest.fixture
def sample_site(tmp_path: Path):
    """Copy a sample project from tests/sites/<name> into tmp_path; return its folder."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(SITES / name, target, symlinks=True)
        return target

    return copy


@pytest.fixture
def make_project(tmp_path: Path, sample_site):
    """The minimal sample project with files added or replaced: `{relative path: text or bytes}`.

    A value of None deletes that file.
    """

    def make(files: dict[str, str | bytes | None] | None = None, base: str = "minimal") -> Path:
        project = sample_site(base)
        for relative, data in (files or {}).items():
            path = project / relative
            if data is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")
        return project

    return make


def edit(project: Path, relative: str, old: str, new: str) -> None:
    """Replace the first `old` in a project file with `new` (which must be there), as an editor saves it."""
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    bump(path)


def bump(path: Path) -> None:
    """Make the edit visible even within the file system's timestamp resolution."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for comparing whole sites.

    Pagefind writes its filter tables (and the files naming them) in the order of a Rust hash
    map, which varies from run to run: those are compared by what they hold, not its order.
    """
    files = {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }
    unordered = {path for path in files if _PAGEFIND_UNORDERED.match(path)}
    for number, path in enumerate(sorted(unordered, key=lambda path: _unordered(files[path]))):
        files[f"{path.rsplit('/', 2)[0]}/(unordered {number})"] = _unordered(files.pop(path))
    return files


_PAGEFIND_UNORDERED = re.compile(r"^pagefind/\d+/(filter/.*|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)$")


def _unordered(data: bytes) -> bytes:
    """The bytes of a Pagefind file in sorted order, its content hashes masked: equal for equal contents in any order."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return bytes(sorted(re.sub(rb"[a-z]{2,}_[0-9a-f]{7,10}", b"#", data)))


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Each test keeps the record of unchanged runs to itself, never in the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def ctrl_c_stops_it() -> None:
    """For a child process the tests stop with SIGINT: as from a terminal, whatever launched the tests.

    A shell starts background jobs with SIGINT ignored, children inherit that,
    and Python then installs no KeyboardInterrupt handler; run from such a job,
    the tests' Ctrl-C would never reach `serve`.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def minimal_fields():
    """The fields the minimal sample site declares: those of the shipped record."""
    from timeline.loader import load_document
    from timeline.validate import timeline_fields

    errors: list = []
    fields = timeline_fields(load_document(SITES / "minimal/content/timeline.yaml"), errors)
    assert not errors, errors
    return fields


def timelinejs_export(timeline, theme: str = "default") -> dict:
    """timelinejs.json's data for a Timeline, as a build with the shipped `theme` writes it."""
    from timeline.render import configure
    from timeline.syndication import timelinejs_data
    from timeline.themes import builtin_themes_dir, make_environment, resolve_theme

    env = make_environment(resolve_theme(theme, [builtin_themes_dir()]))
    configure(env, timeline)
    return timelinejs_data(env, timeline)


def validators_agree(document, schema) -> bool:
    """Whether fastjsonschema's yes or no on `document` is jsonschema's too (check trusts the fast yes)."""
    import fastjsonschema

    from timeline.schema import _compiled, _validator, validate_document

    validate_document(document, schema)  # reads bare years as text first, as a check does
    slow = not list(_validator(schema.text).iter_errors(document.data))
    try:
        _compiled(schema.text)(document.data)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    return fast == slow
