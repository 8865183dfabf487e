"""The checks that warn, their levels, --strict, and the three report formats a contributor or a tool reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import tree

INVESTIGATION = "content/events/2020-07-investigation.yaml"
FINE = "content/events/2022-05-23-final-fine.yaml"

ALL_OFF = """checks:
  # The tests copy this project into a temporary folder, where no schema line
  # could name the package's schema; test_review.py turns each check on.
  schema-line: off
  no-archive: off
  no-primary: off
"""


def with_checks(project: Path, block: str) -> Path:
    """Replace the sample project's `checks:` block."""
    settings = project / "content/timeline.yaml"
    text = settings.read_text(encoding="utf-8")
    assert ALL_OFF in text, "the sample project's checks block changed; update ALL_OFF"
    settings.write_text(text.replace(ALL_OFF, block), encoding="utf-8")
    return project


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_no_primary_warns_at_the_sources_key(run, make_project):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n")
    result = run(["check"], cwd=project)
    assert (result.code, result.out) == (0, "3 files checked: 0 errors, 1 warning\n")
    assert result.err == (
        f"{INVESTIGATION}:8:1: warning: sources: no source is marked kind: primary; where it is public, cite the "
        "original document itself (the decision, paper, letter, dataset or recording the event is about) and mark it "
        "kind: primary [no-primary]\n"
    )


def test_no_archive_warns_at_each_source_without_a_copy(run, make_project):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-primary: off\n")
    result = run(["check"], cwd=project)
    message = (
        "no archive_url; save the page at https://web.archive.org/save and add the copy's address, "
        "so the citation survives if the page moves [no-archive]"
    )
    assert result.err.splitlines() == [
        f"{INVESTIGATION}:9:5: warning: sources[0]: {message}",
        f"{FINE}:29:5: warning: sources[1]: {message}",
    ]
    assert result.out == "3 files checked: 0 errors, 2 warnings\n"


def test_a_source_published_long_before_its_event_is_questioned(run, make_project):
    project = make_project()
    edit(project, FINE, "published: '2022-05-23'\n    kind: primary", "published: '2021-03-10'\n    kind: primary")
    result = run(["check"], cwd=project)
    assert result.err == (
        f"{FINE}:25:16: warning: sources[0].published: published 2021-03-10, 1 year and 2 months before the event "
        "(2022-05-23); is it the right source, and are both dates right? [source-before-event]\n"
    )


def test_a_decision_published_weeks_before_it_was_announced_is_not_questioned(run, make_project):
    project = make_project()
    edit(project, FINE, "published: '2022-05-23'\n    kind: primary", "published: '2022-03-01'\n    kind: primary")
    assert run(["check"], cwd=project).err == ""


def test_a_month_old_source_counts_from_the_end_of_its_month(run, make_project):
    """`2022-02` may mean 28 February, 84 days before 23 May: within the three months allowed."""
    project = make_project()
    edit(project, FINE, "published: '2022-05-23'\n    kind: primary", "published: '2022-02'\n    kind: primary")
    assert run(["check"], cwd=project).err == ""


def test_schema_line_missing_or_pointing_nowhere(run, make_project):
    project = with_checks(make_project(), "checks:\n  no-archive: off\n  no-primary: off\n")
    edit(project, INVESTIGATION, "date:", "# yaml-language-server: $schema=../../schemas/event.schema.json\ndate:")
    edit(project, FINE, "date:", "# yaml-language-server: $schema=../../schema/event.schema.json\ndate:")
    after = "(after `timeline schemas` has written the schemas into the project) [schema-line]"
    result = run(["check"], cwd=project)
    assert result.err.splitlines() == [
        f"{INVESTIGATION}:1:1: warning: the schema line names ../../schemas/event.schema.json, which does not exist; "
        f"use: # yaml-language-server: $schema=../../schemas/event.schema.json {after}",
        f"{FINE}:1:1: warning: the schema line names ../../schema/event.schema.json, which does not exist; use: "
        f"# yaml-language-server: $schema=../../schemas/event.schema.json {after}",
        "content/timeline.yaml:1:1: warning: the first line should name the schema, so editors check the file as you "
        f"type: # yaml-language-server: $schema=../schemas/timeline.schema.json {after}",
    ]

    written = run(["schemas"], cwd=project)
    assert (written.code, written.out) == (0, "schemas/event.schema.json\nschemas/timeline.schema.json\n")
    result = run(["check"], cwd=project)
    assert result.err.splitlines() == [
        f"{FINE}:1:1: warning: the schema line names ../../schema/event.schema.json, which does not exist; use: "
        "# yaml-language-server: $schema=../../schemas/event.schema.json [schema-line]",
        "content/timeline.yaml:1:1: warning: the first line should name the schema, so editors check the file as you "
        "type: # yaml-language-server: $schema=../schemas/timeline.schema.json [schema-line]",
    ]
    assert json.loads((project / "schemas/event.schema.json").read_text(encoding="utf-8"))["title"] == "Timeline event"


def test_new_names_the_projects_copy_of_the_schema(run, make_project):
    project = make_project()
    run(["schemas"], cwd=project)
    created = run(["new", "A new event", "--date", "2023-01"], cwd=project)
    first = (project / created.out.strip()).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/event.schema.json"


def test_the_shipped_content_names_the_project_s_own_schemas(run):
    """The line names the project's schemas/ folder, relative: never a path into where timeline is installed."""
    from timeline.review import _wanted_line

    event = Path(__file__).resolve().parent.parent / "content/events/x.yaml"
    assert _wanted_line(event, "event.schema.json", depth=2) == (
        "# yaml-language-server: $schema=../../schemas/event.schema.json"
    )


def test_schemas_that_no_longer_match_the_fields_are_reported(run, make_project):
    project = make_project()
    assert run(["schemas"], cwd=project).code == 0
    timeline = project / "content/timeline.yaml"
    timeline.write_text(timeline.read_text().replace("  schema-line: off\n", "", 1), encoding="utf-8")
    assert run(["schemas"], cwd=project).code == 0
    assert "is not the schema of this timeline" not in run(["check"], cwd=project).err
    timeline.write_text(timeline.read_text().replace("{en: Authority,", "{en: Actor,"), encoding="utf-8")
    assert (
        "content/timeline.yaml:1:1: warning: schemas/event.schema.json is not the schema of this timeline's fields; "
        "run `timeline schemas` to write it again, so editors check files as `check` does [schema-line]"
    ) in run(["check"], cwd=project).err.splitlines()


def test_a_check_set_to_error_fails_and_off_is_silent(run, make_project):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n  no-primary: error\n")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert result.err.startswith(f"{INVESTIGATION}:8:1: error: sources: no source is marked kind: primary;")
    assert result.err.endswith("[no-primary]\n3 files checked: 1 error, 0 warnings\n")

    built = run(["build"], cwd=project)
    assert built.code == 1
    assert not (project / "site").exists()


def test_an_unknown_check_name_is_an_error_with_a_suggestion(run, make_project):
    project = with_checks(make_project(), "checks:\n  no-archiv: off\n")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert (
        "content/timeline.yaml:10:3: error: checks.no-archiv: unknown field 'no-archiv' (did you mean 'no-archive'?)"
        in result.err
    )


def test_strict_makes_warnings_fail_and_says_why(run, make_project):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n")
    assert run(["check"], cwd=project).code == 0
    strict = run(["check", "--strict"], cwd=project)
    assert (strict.code, strict.out) == (1, "")
    assert strict.err.endswith(
        "[no-primary]\n3 files checked: 0 errors, 1 warning (--strict: warnings fail the check)\n"
    )


def test_build_shows_warnings_and_builds_unless_strict(run, make_project):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n")
    built = run(["build"], cwd=project)
    assert built.code == 0
    assert built.err == "1 warning in the content: `timeline check` lists them\n"
    assert (project / "site/index.html").is_file()
    before = tree(project / "site")

    edit(project, INVESTIGATION, "title: Regulators open an investigation", "title: Regulators open an inquiry")
    strict = run(["build", "--strict"], cwd=project)
    assert strict.code == 1
    assert "(--strict: warnings fail the check)" in strict.err
    assert tree(project / "site") == before, "a strict build that fails must leave the site as it was"


# --- formats -----------------------------------------------------------------


def broken(make_project) -> Path:
    """One error and one warning, with characters that GitHub's workflow commands must escape."""
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n")
    edit(project, FINE, "currency: GBP", "currency: GPB")
    return project


def test_github_format_annotates_lines_errors_first(run, make_project, monkeypatch):
    project = broken(make_project)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run(["check", "--format", "github"], cwd=project)
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == (
        f"::error file={FINE},line=17,col=13,title=amount.currency::amount.currency: 'GPB' is not an ISO 4217 "
        "currency code (did you mean 'GBP'?)"
    )
    assert lines[1] == (
        f"::warning file={INVESTIGATION},line=8,col=1,title=no-primary::sources: no source is marked kind: primary; "
        "where it is public, cite the original document itself (the decision, paper, letter, dataset or recording the event is about) and mark it kind: primary"
    )
    assert lines[2] == "3 files checked: 1 error, 1 warning"


def test_github_format_escapes_what_would_break_a_workflow_command(run, make_project):
    from timeline.errors import ContentError
    from timeline.report import Outcome, github_annotations

    finding = ContentError("100% sure,\nreally", path=Path("/p/content/a,b:c.yaml"), line=2, column=3, field="title")
    (line,) = github_annotations(Outcome(1, [finding]), Path("/p"))
    assert line == "::error file=content/a%2Cb%3Ac.yaml,line=2,col=3,title=title::title: 100%25 sure,%0Areally"


def test_github_format_writes_every_finding_to_the_job_summary(run, make_project, monkeypatch, tmp_path):
    project = broken(make_project)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(["check", "--format", "github"], cwd=project)
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n"
        "### Content check failed\n\n"
        "3 files checked: 1 error, 1 warning\n\n"
        "| Where | | Field | Problem |\n"
        "|---|---|---|---|\n"
        f"| `{INVESTIGATION}:8:1` | warning | sources | no source is marked kind: primary; where it is public, cite "
        "the original document itself (the decision, paper, letter, dataset or recording the event is about) and mark "
        "it kind: primary `no-primary` |\n"
        f"| `{FINE}:17:13` | error | amount.currency | 'GPB' is not an ISO 4217 currency code (did you mean 'GBP'?) |\n"
    )


def test_json_format_for_tools(run, make_project):
    project = broken(make_project)
    result = run(["check", "--format", "json"], cwd=project)
    assert (result.code, result.err) == (1, "")
    report = json.loads(result.out)
    assert report == {
        "files": 3,
        "errors": 1,
        "warnings": 1,
        "strict": False,
        "ok": False,
        "findings": [
            {
                "file": INVESTIGATION,
                "line": 8,
                "column": 1,
                "severity": "warning",
                "field": "sources",
                "check": "no-primary",
                "message": "no source is marked kind: primary; where it is public, cite the original document itself "
                "(the decision, paper, letter, dataset or recording the event is about) and mark it kind: primary",
            },
            {
                "file": FINE,
                "line": 17,
                "column": 13,
                "severity": "error",
                "field": "amount.currency",
                "check": None,
                "message": "'GPB' is not an ISO 4217 currency code (did you mean 'GBP'?)",
            },
        ],
    }


def test_json_format_of_a_passing_check(run, make_project):
    result = run(["check", "--format", "json"], cwd=make_project())
    assert result.code == 0
    assert json.loads(result.out) == {
        "files": 3,
        "errors": 0,
        "warnings": 0,
        "strict": False,
        "ok": True,
        "findings": [],
    }


@pytest.mark.parametrize("form", ["text", "github", "json"])
def test_every_format_keeps_the_exit_status(run, make_project, form):
    project = with_checks(make_project(), "checks:\n  schema-line: off\n  no-archive: off\n")
    assert run(["check", "--format", form], cwd=project).code == 0
    assert run(["check", "--format", form, "--strict"], cwd=project).code == 1


def test_the_shipped_content_passes_with_its_known_warnings(run):
    """The record's warnings are the events with no primary source known; a new kind of warning fails here."""
    root = Path(__file__).resolve().parent.parent
    result = run(["check", "--format", "json"], cwd=root)
    report = json.loads(result.out)
    assert result.code == 0
    assert report["errors"] == 0
    assert {finding["check"] for finding in report["findings"]} <= {"no-primary"}
    assert os.path.isfile(root / "timeline/schemas/event.schema.json")


def test_a_summary_without_citations_is_warned(run, make_project):
    project = make_project()
    edit(project, INVESTIGATION, "a joint investigation [@reuters].", "a joint investigation.")
    result = run(["check"], cwd=project)
    assert result.err == (
        f"{INVESTIGATION}:3:10: warning: summary: cites no source; put [@id] after each fact, naming the source it "
        "comes from [no-citation]\n"
    )


def test_a_file_named_for_another_date_is_warned(run, make_project):
    project = make_project()
    edit(project, INVESTIGATION, "date: '2020-07'", "date: '2020-08'")
    result = run(["check"], cwd=project)
    assert result.err == (
        f"{INVESTIGATION}:1:7: warning: date: the file name starts with 2020-07 but the event's date is 2020-08; "
        "if the date is right, rename the file before it is published (its name is the event's address) [id-date]\n"
    )


@pytest.mark.parametrize("date", ["2020-07-09", "2020"])
def test_a_file_name_at_another_precision_of_the_same_date_is_fine(run, make_project, date):
    project = make_project()
    edit(project, INVESTIGATION, "date: '2020-07'", f"date: '{date}'")
    assert run(["check"], cwd=project).err == ""
