"""Size budgets for the shipped site: what a reader on a slow phone downloads stays small."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.cli import main

CONTENT = Path(__file__).resolve().parent.parent / "content"

CSS_BUDGET = 20_000  # bytes, all stylesheets together, uncompressed
JS_BUDGET = 10_000  # bytes, all scripts together, uncompressed
PAGE_BUDGET = 1_000_000  # bytes, any one HTML page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built once for this module."""
    out = tmp_path_factory.mktemp("budgets") / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(out)]) == 0
    return out


def _sizes(folder: Path, pattern: str) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_size for path in sorted(folder.rglob(pattern))}


def test_stylesheets_fit_the_css_budget(site: Path) -> None:
    sizes = _sizes(site / "static", "*.css")
    assert sizes, "the site has no stylesheet under static/"
    assert sum(sizes.values()) < CSS_BUDGET, f"static/ holds {sum(sizes.values()):,} bytes of CSS, budget {CSS_BUDGET:,}: {sizes}"


def test_scripts_fit_the_js_budget(site: Path) -> None:
    # No script at all is within budget: the site works without JavaScript.
    sizes = _sizes(site / "static", "*.js")
    assert sum(sizes.values()) < JS_BUDGET, f"static/ holds {sum(sizes.values()):,} bytes of JavaScript, budget {JS_BUDGET:,}: {sizes}"


def test_no_page_is_over_the_page_budget(site: Path) -> None:
    sizes = _sizes(site, "*.html")
    assert sizes, "the build wrote no HTML page"
    over = {page: size for page, size in sizes.items() if size >= PAGE_BUDGET}
    assert not over, f"pages of {PAGE_BUDGET:,} bytes or more: {over}"
