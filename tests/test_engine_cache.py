"""The engine's memory between runs: after any change, a build that uses it writes the same bytes as a clean build.

Each build here is a new Engine, as a new process makes one: all it knows of
the last run is what the cache folder holds. A record that is damaged,
foreign or from another version is never believed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import bump, edit, tree
from test_engine_serve import EDITS, FINE, INVESTIGATION

from timeline import cache, stamps
from timeline.cli import main
from timeline.engine import BuildReport, build

ROOT = Path(__file__).resolve().parent.parent


def clean_build(project: Path, tmp_path: Path, **options) -> dict[str, bytes]:
    """The site as a first build makes it, with a cache of its own."""
    out = tmp_path / "clean"
    shutil.rmtree(out, ignore_errors=True)
    saved = os.environ["XDG_CACHE_HOME"]
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "clean-cache")
    try:
        build(project / "content", out, force=True, **options)
    finally:
        os.environ["XDG_CACHE_HOME"] = saved
    return tree(out)


@pytest.fixture
def built(make_project, tmp_path):
    """A project built once: its cache holds the first run."""
    project = make_project()
    site = tmp_path / "site"
    first = build(project / "content", site)
    assert first.rendered == first.files - len(list((site / "static").iterdir()))
    return project, site


def again(project: Path, site: Path, **options) -> BuildReport:
    return build(project / "content", site, **options)


@pytest.mark.parametrize("change", EDITS)
def test_after_an_event_or_timeline_edit_the_next_build_equals_a_clean_one(built, tmp_path, change):
    project, site = built
    EDITS[change](project)
    report = again(project, site)
    assert not report.unchanged
    assert tree(site) == clean_build(project, tmp_path)


def test_an_edit_renders_only_what_shows_the_event(built, tmp_path):
    project, site = built
    untouched = site / "tags/index.html"
    before = untouched.stat().st_mtime_ns
    EDITS["title"](project)
    report = again(project, site)
    assert 0 < report.rendered < report.files / 2, f"{report.rendered} of {report.files} pages rendered"
    search = [path for path in tree(site) if path.startswith("pagefind/0/") and "/fragment/" not in path]
    assert 12 < report.written <= 12 + len(search) + 1, "the pages showing it, and the search index's changed files"
    assert untouched.stat().st_mtime_ns == before, "a page that does not show the event is not rewritten"
    assert tree(site) == clean_build(project, tmp_path)


def test_a_renamed_event_moves_its_page(built, tmp_path):
    project, site = built
    old = project / INVESTIGATION
    old.rename(old.with_name("2020-07-inquiry.yaml"))
    edit(project, FINE, "supersedes: [2020-07-investigation]", "supersedes: [2020-07-inquiry]")
    again(project, site)
    assert not (site / "events/2020-07-investigation").exists()
    assert (site / "events/2020-07-inquiry/index.html").is_file()
    assert tree(site) == clean_build(project, tmp_path)


def test_an_edit_that_changes_nothing_shown_renders_nothing(built):
    project, site = built
    path = project / INVESTIGATION
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    bump(path)
    report = again(project, site)
    assert (report.rendered, report.written) == (0, 0)


def test_a_template_override_added_changed_and_removed(built, tmp_path):
    project, site = built
    override = project / "templates/tags.html"
    override.parent.mkdir()
    for title in ("All topics", "Every topic"):
        override.write_text(
            f'{{% extends "!default/tags.html" %}}\n{{% block title %}}{title}{{% endblock %}}\n', encoding="utf-8"
        )
        bump(override)
        report = again(project, site)
        assert report.written == 1, "every page is rendered; only the one that changed is written"
        assert title in (site / "tags/index.html").read_text(encoding="utf-8")
        assert tree(site) == clean_build(project, tmp_path)
    override.unlink()
    again(project, site)
    assert tree(site) == clean_build(project, tmp_path)


@pytest.fixture
def own_theme(make_project, tmp_path):
    """A project theme over the default, with a static file and an English catalogue of its own."""
    project = make_project(
        {
            "themes/mine/theme.yaml": "name: mine\nextends: default\n",
            "themes/mine/templates/.keep": "",
            "themes/mine/static/extra.css": "body { color: black; }\n",
            "themes/mine/locale/en/LC_MESSAGES/messages.po": _catalogue("Clear filters", "Show every event"),
        }
    )
    site = tmp_path / "site"
    build(project / "content", site, theme="mine")
    return project, site


def _catalogue(message: str, translation: str) -> str:
    return f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "{message}"\nmsgstr "{translation}"\n'


def test_a_theme_static_file_change_is_copied(own_theme, tmp_path):
    project, site = own_theme
    css = project / "themes/mine/static/extra.css"
    css.write_text("body { color: navy; }\n", encoding="utf-8")
    bump(css)
    again(project, site, theme="mine")
    assert (site / "static/extra.css").read_text(encoding="utf-8") == "body { color: navy; }\n"
    assert tree(site) == clean_build(project, tmp_path, theme="mine")


def test_a_catalogue_change_reaches_every_page(own_theme, tmp_path):
    project, site = own_theme
    assert "Show every event" in (site / "index.html").read_text(encoding="utf-8")
    po = project / "themes/mine/locale/en/LC_MESSAGES/messages.po"
    po.write_text(_catalogue("Clear filters", "Show all events"), encoding="utf-8")
    bump(po)
    again(project, site, theme="mine")
    assert "Show all events" in (site / "index.html").read_text(encoding="utf-8")
    assert tree(site) == clean_build(project, tmp_path, theme="mine")


@pytest.mark.parametrize(
    "options",
    [{"theme": "report"}, {"base_url": "https://example.org/record/"}],
    ids=["theme", "base-url"],
)
def test_changed_options_build_as_a_clean_build_with_them(built, tmp_path, options):
    project, site = built
    again(project, site, **options)
    assert tree(site) == clean_build(project, tmp_path, **options)
    again(project, site)
    assert tree(site) == clean_build(project, tmp_path)


def test_a_new_version_of_the_tool_believes_nothing_it_did_not_write(built, tmp_path, monkeypatch):
    project, site = built
    EDITS["title"](project)
    monkeypatch.setattr(stamps, "tool", lambda: "an upgraded tool")
    report = again(project, site)
    assert report.rendered == report.files - len(list((site / "static").iterdir())), "a whole build"
    assert tree(site) == clean_build(project, tmp_path)


def _git(project: Path, *args: str) -> None:
    identity = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=project, check=True, capture_output=True)


def test_a_commit_that_changes_only_history_updates_the_dates(make_project, tmp_path):
    project = make_project()
    _git(project, "init", "-q")
    _git(project, "add", "content/timeline.yaml", FINE)
    _git(project, "commit", "-q", "-m", "first", "--date", "2021-01-02T00:00:00")
    site = tmp_path / "site"
    build(project / "content", site)
    _git(project, "add", INVESTIGATION)
    os.environ["GIT_COMMITTER_DATE"] = "2023-04-05T00:00:00"
    try:
        _git(project, "commit", "-q", "-m", "second")
    finally:
        del os.environ["GIT_COMMITTER_DATE"]
    report = again(project, site)
    assert report.written > 0
    assert "2023" in (site / "events/2020-07-investigation/index.html").read_text(encoding="utf-8")
    assert tree(site) == clean_build(project, tmp_path)


def test_a_site_changed_by_someone_else_is_built_whole(built, tmp_path):
    project, site = built
    (site / "index.html").write_text("edited by hand\n", encoding="utf-8")
    (site / "stray.html").write_text("not ours\n", encoding="utf-8")
    EDITS["title"](project)
    again(project, site)
    assert tree(site) == clean_build(project, tmp_path)


# --- a damaged cache is never believed -----------------------------------------------------------


def _records() -> list[Path]:
    return sorted((cache.cache_folder()).glob("*.pickle"))


def _compiled_templates() -> list[Path]:
    return sorted((cache.cache_folder() / "templates").glob("*.cache"))


DAMAGE = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: os.urandom(len(data)),
    "body-flipped": lambda data: data[:-10] + bytes(b ^ 0xFF for b in data[-10:]),
    "other-format": lambda data: data.replace(b"timeline-cache", b"timeline-cache-0", 1),
    "header-only": lambda data: data.split(b"\n", 1)[0] + b"\n",
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_rebuilt_without_a_word(built, tmp_path, capsys, damage):
    project, site = built
    records = _records()
    assert len(records) >= 3, "the content, the site and the run are recorded"
    assert _compiled_templates(), "the compiled templates are kept"
    for record in records + _compiled_templates():
        record.write_bytes(DAMAGE[damage](record.read_bytes()))
    EDITS["title"](project)
    capsys.readouterr()
    assert main(["build", "--content", str(project / "content"), "--out", str(site)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("built 2 events into")
    assert err == ""
    assert tree(site) == clean_build(project, tmp_path)
    assert main(["check", "--content", str(project / "content")]) == 0


def test_a_record_of_another_folder_is_not_believed(make_project, tmp_path):
    first = make_project()
    second = tmp_path / "second"
    shutil.copytree(first, second)
    edit(second, INVESTIGATION, "Regulators open an investigation", "Regulators open an inquiry")
    build(first / "content", tmp_path / "one")
    for record in _records():  # the second project's names, the first project's records
        shutil.copy(record, record.with_name(record.name + ".copy"))
    build(second / "content", tmp_path / "two")
    assert "inquiry" in (tmp_path / "two/events/2020-07-investigation/index.html").read_text(encoding="utf-8")


def test_two_processes_sharing_one_cache(make_project, tmp_path):
    project = make_project()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "timeline", "build", "--content", str(project / "content")]
    for round_ in range(2):
        if round_:
            EDITS["title"](project)
        runs = [
            subprocess.Popen([*command, "--out", str(tmp_path / f"site-{n}")], env=env, cwd=tmp_path) for n in range(2)
        ]
        runs.append(subprocess.Popen([*command[:3], "check", *command[4:]], env=env, cwd=tmp_path))
        assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
        clean = clean_build(project, tmp_path)
        assert tree(tmp_path / "site-0") == clean
        assert tree(tmp_path / "site-1") == clean
