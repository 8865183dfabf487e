"""Valid HTML: the Nu Html Checker (vnu.jar, from npm, run with the system java) reports no error on any built page."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from timeline.cli import main

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PROJECTS = {
    "shipped": REPO / "content",
    "minimal": REPO / "tests" / "sites" / "minimal" / "content",
    # Dates before the common era (no <time datetime> there), times of day, display dates.
    "eras": REPO / "tests" / "sites" / "eras" / "content",
}


def _require(present: bool, reason: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail under CI, which must have it."""
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the CI machine must have it; see .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    """The command that runs the checker."""
    java = shutil.which("java")
    _require(
        java is not None, "java not found: install Debian's default-jre-headless package to check the HTML with vnu.jar"
    )
    _require(VNU.is_file(), f"vnu.jar not found at {VNU}: run `npm ci` (make test does) to check the HTML")
    return [java, "-jar", str(VNU)]


@pytest.mark.parametrize("theme", ["default", "report"])
@pytest.mark.parametrize("project", PROJECTS, ids=list(PROJECTS))
def test_every_page_is_valid_html(vnu: list[str], tmp_path: Path, project: str, theme: str) -> None:
    out = tmp_path / "site"
    assert main(["build", "--content", str(PROJECTS[project]), "--out", str(out), "--theme", theme]) == 0
    pages = sorted(out.rglob("*.html"))
    assert pages, f"the {project} build wrote no HTML page"

    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "gnu", "--skip-non-html", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # Messages read `"file:/tmp/…/site/events/x/index.html":12.3-12.40: error: …`: keep the part under site/.
    messages = (checked.stdout + checked.stderr).replace(f"file:{out.as_posix()}/", "").strip()
    assert checked.returncode == 0 and not messages, (
        f"the Nu Html Checker found errors in the {project} site, {theme} theme ({len(pages)} pages, exit {checked.returncode}):\n{messages}"
    )
