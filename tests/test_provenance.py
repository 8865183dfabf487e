"""Each event page says when its file last changed, from git, and links to its history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

INVESTIGATION = "content/events/2020-07-investigation.yaml"


def git(cwd: Path, *args: str, date: str = "2025-03-03T12:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def edit_line(page: str) -> str:
    match = re.search(r'<p class="edit">.*?</p>', page, re.S)
    assert match, "the event page has no edit line"
    return match.group(0)


def page(project: Path, event: str) -> str:
    return (project / "site/events" / event / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def repository(make_project) -> Path:
    """The sample project as a repository: everything committed on 3 March 2025, one event changed on 9 July."""
    project = make_project()
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "First events")
    path = project / INVESTIGATION
    path.write_text(path.read_text(encoding="utf-8").replace("Regulators open", "Regulators opened"), encoding="utf-8")
    git(project, "commit", "-q", "-am", "Correct a title", date="2025-07-09T08:00:00+00:00")
    return project


def test_event_pages_show_the_date_their_file_last_changed(run, repository):
    assert run(["build"], cwd=repository).code == 0
    assert edit_line(page(repository, "2020-07-investigation")) == (
        '<p class="edit">Last changed <time datetime="2025-07-09">9 July 2025</time> · '
        '<a href="https://github.com/example/minimal/commits/main/content/events/2020-07-investigation.yaml" rel="noopener noreferrer">History of this event</a> · '
        '<a href="https://github.com/example/minimal/edit/main/content/events/2020-07-investigation.yaml" rel="noopener noreferrer">Edit this event</a></p>'
    )
    assert 'datetime="2025-03-03">3 March 2025</time>' in edit_line(page(repository, "2022-05-23-final-fine"))


def test_links_name_the_file_where_the_repository_holds_it(run, repository, tmp_path):
    """Content kept in a sub-folder of its repository is linked at its real path."""
    outer = tmp_path / "outer"
    outer.mkdir()
    shutil.rmtree(repository / ".git")
    shutil.move(str(repository), outer / "timeline")
    git(outer, "init", "-q", "-b", "main")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "Move", date="2025-08-01T00:00:00+00:00")
    assert run(["build"], cwd=outer / "timeline").code == 0
    line = edit_line(page(outer / "timeline", "2020-07-investigation"))
    assert "/commits/main/timeline/content/events/2020-07-investigation.yaml" in line
    assert '<time datetime="2025-08-01">' in line


def test_a_shallow_clone_does_not_pretend_every_file_changed_in_its_one_commit(run, repository, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repository.as_uri(), str(clone))
    assert run(["build"], cwd=clone).code == 0
    assert "Last changed" not in page(clone, "2022-05-23-final-fine"), "its last change is older than the clone"
    assert "Last changed" not in page(clone, "2020-07-investigation"), "the boundary commit may not be its last change"


def test_outside_a_repository_no_date_is_shown_and_builds_stay_identical(run, make_project):
    project = make_project()
    assert run(["build"], cwd=project).code == 0
    first = page(project, "2020-07-investigation")
    assert "Last changed" not in first
    assert "History of this event" in first
    os.utime(project / INVESTIGATION, (0, 0))  # a file's own time is never used
    assert run(["build"], cwd=project).code == 0
    assert page(project, "2020-07-investigation") == first


def test_without_git_the_build_still_works(run, repository, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert run(["build"], cwd=repository).code == 0
    assert "Last changed" not in page(repository, "2020-07-investigation")


def test_a_commit_alone_makes_the_next_build_show_it(run, repository):
    """Committing changes no file's stamp, but the date the page shows: the build is not answered from its record."""
    path = repository / INVESTIGATION
    path.write_text(
        path.read_text(encoding="utf-8").replace("Regulators opened", "Regulators have opened"), encoding="utf-8"
    )
    assert run(["build"], cwd=repository).code == 0
    assert 'datetime="2025-07-09"' in edit_line(
        page(repository, "2020-07-investigation")
    )  # the edit is not committed yet
    git(repository, "commit", "-q", "-am", "Reword the title", date="2025-10-01T08:00:00+00:00")
    rebuilt = run(["build"], cwd=repository)
    assert rebuilt.out.startswith("built 2 events"), rebuilt.out
    assert 'datetime="2025-10-01">1 October 2025</time>' in edit_line(page(repository, "2020-07-investigation"))
