"""Size budgets for the shipped site: what a reader on a slow phone downloads stays small."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from timeline.cli import main

CONTENT = Path(__file__).resolve().parent.parent / "content"

# Bytes, uncompressed, all files together. They grew with the overview, media, search and the embed's modes:
# the overview's zoom and position (about 6 KB of timeline.js), search.js (3 KB; Pagefind itself is fetched
# only when the reader searches), embed-frame.js's fixed heights and compact mode (4 KB).
CSS_BUDGET = 24_000
JS_BUDGET = 20_000
PAGE_BUDGET = 1_000_000  # bytes, any one HTML page


@pytest.fixture(scope="module", params=["default", "report"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built once per shipped theme."""
    out = tmp_path_factory.mktemp(f"budgets-{request.param}") / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--theme", request.param]) == 0
    return out


def _sizes(folder: Path, pattern: str) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_size for path in sorted(folder.rglob(pattern))}


def _linked(site: Path, pattern: str) -> dict[str, int]:
    """Every stylesheet or script some page links, with its size: what readers download."""
    files = set()
    for page in site.rglob("*.html"):
        for reference in re.findall(pattern, page.read_text(encoding="utf-8")):
            if reference.startswith("/"):
                continue  # 404.html links from the server root; its files are the others' too
            files.add((page.parent / reference).resolve())
    return {path.relative_to(site.resolve()).as_posix(): path.stat().st_size for path in sorted(files)}


def test_stylesheets_fit_the_css_budget(site: Path) -> None:
    sizes = _linked(site, r'<link rel="stylesheet" href="([^"]+)"')
    assert sizes, "no page links a stylesheet"
    assert sum(sizes.values()) < CSS_BUDGET, (
        f"pages link {sum(sizes.values()):,} bytes of CSS, budget {CSS_BUDGET:,}: {sizes}"
    )


def test_scripts_fit_the_js_budget(site: Path) -> None:
    # No script at all is within budget: the site works without JavaScript.
    sizes = _linked(site, r'<script src="([^"]+)"')
    assert sum(sizes.values()) < JS_BUDGET, (
        f"pages link {sum(sizes.values()):,} bytes of JavaScript, budget {JS_BUDGET:,}: {sizes}"
    )


def test_no_page_is_over_the_page_budget(site: Path) -> None:
    sizes = _sizes(site, "*.html")
    assert sizes, "the build wrote no HTML page"
    over = {page: size for page, size in sizes.items() if size >= PAGE_BUDGET}
    assert not over, f"pages of {PAGE_BUDGET:,} bytes or more: {over}"
