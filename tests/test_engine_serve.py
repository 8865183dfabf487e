"""The engine kept in memory, as `serve` runs it: after each edit its folder equals a full build,
and only what the edit touched is redone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import bump, edit, tree

from timeline.cli import main
from timeline.engine import Engine, Update

INVESTIGATION = "content/events/2020-07-investigation.yaml"
FINE = "content/events/2022-05-23-final-fine.yaml"

THIRD = """\
date: '2023-10-17'
title: A tribunal overturns the fine
summary: The tribunal allowed the appeal [@ftt].
tags: [ico]
jurisdiction: 'GB'
authority: First-tier Tribunal
status: overturned
supersedes: [2022-05-23-final-fine]
sources:
  - id: ftt
    title: Tribunal allows the appeal
    publisher: Reuters
    url: https://example.com/reuters/ftt
    published: '2023-10-17'
    kind: primary
"""


class Preview:
    """The engine as serve drives it: in memory, writing in place into a folder of its own."""

    def __init__(self, content: Path, site: Path) -> None:
        self.engine = Engine(content, persist=False)
        self.site = site

    def rebuild(self) -> Update:
        return self.engine.update(self.site)


def full_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "full"
    assert main(["build", "--content", str(project / "content"), "--out", str(out)]) == 0
    return tree(out)


@pytest.fixture
def preview(make_project, tmp_path):
    project = make_project()
    site = tmp_path / "preview"
    engine = Preview(project / "content", site)
    first = engine.rebuild()
    assert first.ok, first.errors or first.failure
    return project, site, engine


EDITS = {
    "title": lambda project: edit(
        project, INVESTIGATION, "Regulators open an investigation", "Regulators open an inquiry"
    ),
    "date-moves-year": lambda project: edit(project, INVESTIGATION, "date: '2020-07'", "date: '2021-07'"),
    "tag-added": lambda project: edit(project, INVESTIGATION, "tags: [ico]", "tags: [ico, fine]"),
    "event-added": lambda project: (project / "content/events/2023-10-17-tribunal.yaml").write_text(
        THIRD, encoding="utf-8"
    ),
    "event-deleted": lambda project: (
        (project / INVESTIGATION).unlink() or edit(project, FINE, "supersedes: [2020-07-investigation]\n", "")
    ),
    "timeline-settings": lambda project: edit(
        project, "content/timeline.yaml", "title: A minimal timeline", "title: A small timeline"
    ),
}


@pytest.mark.parametrize("change", EDITS)
def test_after_an_edit_the_preview_equals_a_full_build(preview, tmp_path, change):
    project, site, engine = preview
    EDITS[change](project)
    update = engine.rebuild()
    assert update.ok, update.errors or update.failure
    assert tree(site) == full_build(project, tmp_path)


def test_a_title_edit_renders_only_the_pages_that_show_the_event(preview, tmp_path):
    project, site, engine = preview
    untouched = site / "tags/index.html"
    before = untouched.stat().st_mtime_ns
    EDITS["title"](project)
    update = engine.rebuild()
    # Its own page, the next event's (its 'previous' link and case history), and the lists showing
    # it or the fine that follows it in the case ("Follows Regulators open…").
    # The data files, feed and embeds that show it are written again too, and the search index
    # (whose files, named by their content, are new: the old ones are removed).
    search = [path for path in update.written if path.startswith("pagefind/")]
    assert search
    assert any(path.startswith("pagefind/0/fragment/") for path in search)
    assert [path for path in update.written if not path.startswith("pagefind/")] == [
        "embed/events/2020-07-investigation/index.html",
        "embed/index.html",
        "events/2020-07-investigation/index.html",
        "events/2022-05-23-final-fine/index.html",
        "feed.xml",
        "index.html",
        "oembed/events/2020-07-investigation.json",
        "sources/index.html",
        "tags/fine/index.html",
        "tags/ico/index.html",
        "timeline.json",
        "timelinejs.json",
    ]
    assert update.rendered - len(search) == 14, "and the sitemap and the next event's card, which come out the same"
    assert untouched.stat().st_mtime_ns == before, "a page that does not show the event is not rewritten"


def test_nothing_changed_means_nothing_rendered(preview):
    _, _, engine = preview
    update = engine.rebuild()
    assert (update.written, update.removed, update.rendered) == ([], [], 0)


def test_a_deleted_event_takes_its_page_with_it(preview, tmp_path):
    project, site, engine = preview
    EDITS["event-deleted"](project)
    update = engine.rebuild()
    assert "events/2020-07-investigation/index.html" in update.removed
    assert not (site / "events/2020-07-investigation").exists()


def test_invalid_content_keeps_the_last_good_site_and_says_where(preview):
    project, site, engine = preview
    good = tree(site)
    edit(project, INVESTIGATION, "date: '2020-07'", "date: '2020-13'")
    update = engine.rebuild()
    assert not update.ok
    assert [error.format(project) for error in update.errors] == [
        f"{INVESTIGATION}:1:7: error: date: '2020-13' has month 13; months run from 01 to 12"
    ]
    assert tree(site) == good

    edit(project, INVESTIGATION, "date: '2020-13'", "date: '2020-07'")
    assert engine.rebuild().ok


def test_a_file_that_is_not_yaml_any_more_is_an_error_then_recovers(preview):
    project, _, engine = preview
    path = project / INVESTIGATION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Regulators", "title: [Regulators"), encoding="utf-8")
    bump(path)
    update = engine.rebuild()
    assert [error.line for error in update.errors] == [2]
    path.write_text(text, encoding="utf-8")
    bump(path)
    assert engine.rebuild().ok


def test_a_template_error_names_the_template_and_line_and_keeps_the_site(preview):
    project, site, engine = preview
    good = tree(site)
    overrides = project / "templates"
    overrides.mkdir()
    (overrides / "tag.html").write_text(
        '{% extends "!default/tag.html" %}\n{% block main %}\n{{ nope( }}\n{% endblock %}\n', encoding="utf-8"
    )
    update = engine.rebuild()
    assert update.failure is not None
    assert "tag.html:3" in update.failure
    assert tree(site) == good
    (overrides / "tag.html").unlink()
    assert engine.rebuild().ok


def test_a_theme_change_rewrites_only_the_pages_whose_text_changed(preview, tmp_path):
    project, site, engine = preview
    overrides = project / "templates"
    overrides.mkdir()
    (overrides / "tags.html").write_text(
        '{% extends "!default/tags.html" %}\n{% block title %}All topics{% endblock %}\n', encoding="utf-8"
    )
    update = engine.rebuild()
    assert update.written == ["tags/index.html"]
    assert update.rendered > 5, "a template change renders every page"
    assert tree(site) == full_build(project, tmp_path)


def test_on_the_shipped_record_an_edit_renders_a_fraction_of_the_pages(tmp_path):
    import shutil

    project = tmp_path / "record"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", project / "content")
    site = tmp_path / "preview"
    engine = Preview(project / "content", site)
    first = engine.rebuild()
    assert first.ok
    edit(project, "content/events/2024-09-03-dutch-ap-fine.yaml", "title: Dutch", "title: The Dutch")
    update = engine.rebuild()
    assert update.ok
    assert "events/2024-09-03-dutch-ap-fine/index.html" in update.written
    assert update.rendered < first.rendered / 4, f"{update.rendered} of {first.rendered} pages rendered again"
    assert tree(site) == full_build(project, tmp_path)


def test_a_summary_edit_reaches_every_page_that_shows_it(preview, tmp_path):
    """Jinja keeps the theme's macros with the functions they first saw; edits must still show."""
    project, site, engine = preview
    edit(project, INVESTIGATION, "opened a joint investigation", "opened a joint inquiry")
    assert engine.rebuild().ok
    assert "opened a joint inquiry" in (site / "tags/ico/index.html").read_text(encoding="utf-8")
    assert tree(site) == full_build(project, tmp_path)


def test_turning_a_check_on_and_off_in_timeline_yaml_takes_effect(preview):
    """The sample turns no-archive off; its sources have no archive copies."""
    project, _, engine = preview

    def set_level(level: str) -> list[str]:
        timeline = project / "content/timeline.yaml"
        text = timeline.read_text(encoding="utf-8")
        timeline.write_text(re.sub(r"no-archive: \S+", f"no-archive: {level}", text), encoding="utf-8")
        bump(timeline)
        update = engine.rebuild()
        return [finding.format(project) for finding in update.errors + update.warnings if finding.check == "no-archive"]

    warned = set_level("warning")
    assert warned
    assert all(": warning: " in line for line in warned)
    assert set_level("error") == [line.replace(": warning: ", ": error: ") for line in warned]
    assert set_level("'off'") == []
    assert set_level("warning") == warned


def test_declaring_and_undeclaring_a_field_takes_effect(preview, tmp_path):
    """The event schema is composed with timeline.yaml's fields: a change there re-checks every event."""
    project, site, engine = preview
    edit(project, INVESTIGATION, "tags: [ico]", "tags: [ico]\nphase: one")
    refused = engine.rebuild()
    assert [error.field for error in refused.errors] == ["phase"]
    edit(project, "content/timeline.yaml", "fields:\n", "fields:\n  - {name: phase, label: Phase, type: text}\n")
    update = engine.rebuild()
    assert update.ok, update.errors or update.failure
    assert tree(site) == full_build(project, tmp_path)
    assert "<dt>Phase</dt><dd>one</dd>" in (site / "events/2020-07-investigation/index.html").read_text("utf-8")
    edit(project, "content/timeline.yaml", "  - {name: phase, label: Phase, type: text}\n", "")
    assert [error.field for error in engine.rebuild().errors] == ["phase"]
