"""The minimal sample site, page by page, against reviewed HTML in tests/golden/.

A change to the theme shows up here as a unified diff. After reviewing it,
regenerate with `pytest tests/test_golden.py --update-golden`.
"""

from __future__ import annotations

import difflib

import pytest
from conftest import TESTS, tree

GOLDEN = TESTS / "golden" / "minimal"


def test_minimal_site_matches_golden_html(run, sample_site, request):
    project = sample_site()
    assert run(["build"], cwd=project).code == 0
    built = {name: data for name, data in tree(project / "site").items() if name.endswith(".html")}
    if request.config.getoption("--update-golden"):
        for path in GOLDEN.rglob("*.html"):
            path.unlink()
        for name, data in built.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    expected = {path.relative_to(GOLDEN).as_posix(): path.read_bytes() for path in GOLDEN.rglob("*.html")}
    assert sorted(built) == sorted(expected)
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(
                expected[name].decode().splitlines(),
                built[name].decode().splitlines(),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
            )
            pytest.fail("\n".join(diff))
