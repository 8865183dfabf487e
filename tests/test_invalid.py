"""Bad content, one kind per folder of tests/invalid, and the exact errors a contributor sees.

Each `tests/invalid/<case>/` holds `files/` (copied over a copy of
tests/sites/minimal), optionally `delete.txt` (paths to remove, one a line),
and `expected.txt`: the exact stderr of `check` run in the project folder.
`pytest --update-golden` rewrites expected.txt from the current output; read
the diff before committing it. A case with `xfail.txt` documents a known bug:
its expected.txt is written by hand, is never rewritten, and the reason in
xfail.txt is shown by pytest until the bug is fixed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import TESTS, tree

INVALID = TESTS / "invalid"
CASES = sorted(path for path in INVALID.iterdir() if path.is_dir())
_SUMMARY = re.compile(r"^(\d+) files? checked: (\d+) errors?, (\d+) warnings?$")


def _param(case: Path):
    marks = []
    reason = case / "xfail.txt"
    if reason.exists():
        marks.append(pytest.mark.xfail(strict=True, reason=reason.read_text(encoding="utf-8").strip()))
    return pytest.param(case, id=case.name, marks=marks)


def _apply(case: Path, project: Path) -> None:
    """Copy the case's files over the project, then delete what delete.txt lists."""
    if (case / "files").is_dir():
        shutil.copytree(case / "files", project, dirs_exist_ok=True)
    deletions = case / "delete.txt"
    if deletions.exists():
        for relative in deletions.read_text(encoding="utf-8").splitlines():
            if relative.strip():
                target = project / relative.strip()
                assert target.exists(), f"{deletions}: {relative} is not in the sample project"
                shutil.rmtree(target) if target.is_dir() else target.unlink()


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_invalid_content_is_reported_and_leaves_the_site_alone(case: Path, sample_site, run, request):
    project = sample_site("minimal")
    first = run(["build"], cwd=project)
    assert first.code == 0, first.err
    before = tree(project / "site")
    _apply(case, project)

    checked = run(["check"], cwd=project)
    expected = case / "expected.txt"
    if request.config.getoption("--update-golden") and not (case / "xfail.txt").exists():
        expected.write_text(checked.err, encoding="utf-8")
    assert "Traceback" not in checked.err
    assert (checked.code, checked.out) == (1, "")
    assert checked.err == expected.read_text(encoding="utf-8")

    built = run(["build"], cwd=project)
    assert (built.code, built.out) == (1, "")
    assert built.err == checked.err
    assert tree(project / "site") == before


def test_every_case_has_an_overlay_and_expected_errors():
    assert len(CASES) >= 30
    for case in CASES:
        assert (case / "files").is_dir() or (case / "delete.txt").is_file(), case.name
        assert (case / "expected.txt").is_file(), f"{case.name}: run pytest --update-golden"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_expected_errors_count_their_own_lines(case: Path):
    """Guards the golden files: the closing line agrees with the error lines above it."""
    *errors, summary = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    match = _SUMMARY.match(summary)
    assert match, summary
    findings = errors
    errors = [line for line in findings if ": error: " in line]
    warnings = [line for line in findings if ": warning: " in line]
    assert errors
    assert len(errors) + len(warnings) == len(findings)
    assert (int(match[2]), int(match[3])) == (len(errors), len(warnings))
    assert findings == sorted(findings, key=_sort_key)


def _sort_key(line: str) -> tuple:
    """File, then line, then column, as numbers (the whole-file errors carry no position)."""
    parts = re.split(r": (?:error|warning): ", line, maxsplit=1)[0].split(":")
    numbers = [int(part) for part in parts[1:3]] if len(parts) == 3 else [0, 0]
    return (parts[0], *numbers)
