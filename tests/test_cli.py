"""The command line as a contributor meets it: commands, help, exit codes, `new`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_check_passes_on_valid_content(run, sample_site):
    result = run(["check"], cwd=sample_site())
    assert (result.code, result.out, result.err) == (0, "3 files checked: 0 errors, 0 warnings\n", "")


def test_build_is_the_default_command(run, sample_site):
    project = sample_site()
    result = run(["--out", "public"], cwd=project)
    assert result.code == 0, result.err
    assert (project / "public/index.html").is_file()


@pytest.mark.parametrize("command", ["build", "check", "new"])
def test_every_command_has_help(run, tmp_path, command):
    result = run([command, "--help"], cwd=tmp_path)
    assert result.code == 0
    assert f"usage: timeline {command}" in result.out
    assert "--content DIR" in result.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["publish"], "invalid choice: 'publish'"),
        (["build", "--base-url", "example.org"], "--base-url: expected an address starting with https://"),
        (["new", "A title"], "the following arguments are required: --date"),
        (["check", "--unknown"], "unrecognized arguments: --unknown"),
    ],
    ids=["unknown-command", "bad-base-url", "new-without-date", "unknown-option"],
)
def test_usage_errors_exit_2(run, sample_site, argv, message):
    result = run(argv, cwd=sample_site())
    assert result.code == 2
    assert message in result.err


def test_missing_content_folder_is_a_content_error(run, tmp_path):
    result = run(["check"], cwd=tmp_path)
    assert result.code == 1
    assert result.err == (
        "content/events: error: the events folder is missing; create it and add one .yaml file per event\n"
        "content/timeline.yaml: error: the file is missing\n"
        "0 files checked: 2 errors, 0 warnings\n"
    )


def test_new_writes_a_commented_event_named_from_date_and_title(run, sample_site):
    project = sample_site()
    result = run(["new", "ICO fines Clearview AI", "--date", "2022-05-23"], cwd=project)
    assert result.code == 0, result.err
    assert result.out == "content/events/2022-05-23-ico-fines-clearview-ai.yaml\n"
    text = (project / "content/events/2022-05-23-ico-fines-clearview-ai.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    assert "date: '2022-05-23'\n" in text
    assert 'title: "ICO fines Clearview AI"\n' in text
    for field in (
        "end_date",
        "display_date",
        "order",
        "summary",
        "body",
        "tags",
        "jurisdiction",
        "authority",
        "amount",
        "status",
        "supersedes",
        "related",
        "sources",
        "archive_url",
        "quote",
    ):
        assert f"{field}:" in text, field
    schema = text.splitlines()[0].split("$schema=")[1]
    assert (project / "content/events" / schema).resolve().name == "event.schema.json"
    assert (project / "content/events" / schema).resolve().is_file()


def test_new_event_fails_check_until_it_is_filled_in(run, sample_site):
    project = sample_site()
    run(["new", "Regulator acts", "--date", "2023"], cwd=project)
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert "content/events/2023-regulator-acts.yaml:22:10: error: summary: must not be empty" in result.err
    assert "sources[0].url: '' is not a web address" in result.err


def test_new_refuses_to_overwrite(run, sample_site):
    project = sample_site()
    run(["new", "Same title", "--date", "2021-01"], cwd=project)
    path = project / "content/events/2021-01-same-title.yaml"
    path.write_text("my edits")
    result = run(["new", "Same title", "--date", "2021-01"], cwd=project)
    assert result.code == 1
    assert (
        result.err == "error: content/events/2021-01-same-title.yaml already exists; edit it, or choose another title\n"
    )
    assert path.read_text() == "my edits"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["new", "Title", "--date", "23/05/2022"],
            "error: --date: '23/05/2022' is not a date like 2022-05-23, 2022-05 or 2022 (did you mean 2022-05-23?)\n",
        ),
        (
            ["new", "Title", "--date", "2022-02-30"],
            "error: --date: '2022-02-30' is not a real date: February 2022 has 28 days\n",
        ),
        (["new", "!!!", "--date", "2022"], "error: the title needs at least one letter or digit\n"),
    ],
    ids=["ambiguous-date", "impossible-date", "no-letters"],
)
def test_new_rejects_bad_arguments(run, sample_site, argv, message):
    result = run(argv, cwd=sample_site())
    assert (result.code, result.err) == (2, message)


@pytest.mark.parametrize(
    "command",
    [["build.py"], ["-m", "timeline"], ["console-script"]],
    ids=["build.py", "python-m", "console-script"],
)
def test_entry_points(sample_site, command):
    project = sample_site()
    if command == ["console-script"]:
        argv = [str(Path(sys.executable).parent / "timeline"), "check"]
    elif command == ["build.py"]:
        argv = [sys.executable, str(ROOT / "build.py"), "check"]
    else:
        argv = [sys.executable, *command, "check"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run(argv, cwd=project, capture_output=True, text=True, env=env, timeout=60)
    assert (completed.returncode, completed.stdout) == (0, "3 files checked: 0 errors, 0 warnings\n"), completed.stderr


def _many_tags(count: int, tag: str = "tg{}") -> str:
    tags = ", ".join(tag.format(number) for number in range(count))
    return (
        f"date: '2021'\ntitle: T\nsummary: x [@s].\ntags: [{tags}]\n"
        "sources:\n  - {id: s, title: T, publisher: P, url: 'https://example.com/'}\n"
    )


def test_a_problem_repeated_throughout_a_file_is_one_line_with_its_count(run, make_project):
    project = make_project({"content/events/2021-many.yaml": _many_tags(4_000)})
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/events/2021-many.yaml:4:7: error: tags: lists 4,000 tags; at most 30 are allowed",
        "content/events/2021-many.yaml:4:8: error: tags[0]: 'tg0' is not in the tag vocabulary of timeline.yaml; "
        "add it there or use an existing tag; the same again 3,999 more times in this file",
        "4 files checked: 4,001 errors, 0 warnings",
    ]


def test_a_few_repeats_are_each_listed(run, make_project):
    project = make_project({"content/events/2021-many.yaml": _many_tags(10)})
    lines = run(["check"], cwd=project).err.splitlines()
    assert [line.split(": error: ")[1].split(":")[0] for line in lines[:-1]] == [f"tags[{n}]" for n in range(10)]


def test_a_hundred_thousand_tags_are_refused_at_once(run, make_project):
    project = make_project({"content/events/2021-many.yaml": _many_tags(100_000, "ico")})
    result = run(["check"], cwd=project)
    assert result.err.splitlines() == [
        "content/events/2021-many.yaml:4:25008: error: more than 5,000 items in one place; a content file holds far fewer",
        "4 files checked: 1 error, 0 warnings",
    ]


def test_the_json_report_keeps_every_repeat_for_tools(run, make_project):
    project = make_project({"content/events/2021-many.yaml": _many_tags(40)})
    report = json.loads(run(["check", "--format", "json"], cwd=project).out)
    assert report["errors"] == len(report["findings"]) == 41
