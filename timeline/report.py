"""The check's findings as text for people, annotations for GitHub, or JSON for tools.

Only formatting happens here; the command line decides where each string goes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from timeline.errors import ERROR, ContentError

FORMATS = ("text", "github", "json")

GITHUB_SUMMARY_ROWS = 1000
"""The job summary is capped at 1 MiB by GitHub; a thousand rows stay well inside it."""

REPEATS_LISTED = 10
"""A problem repeated more often than this in one file is listed once, with a count."""


@dataclass(frozen=True)
class Outcome:
    """What one check found: every error and warning, and whether it passes."""

    files: int
    findings: list[ContentError]
    strict: bool = False

    @cached_property
    def shown(self) -> list[ContentError]:
        """The findings as people read them: a problem repeated throughout a file, once with its count."""
        return collapse_repeats(self.findings)

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    @property
    def ok(self) -> bool:
        return self.errors == 0 and not (self.strict and self.warnings)

    def summary(self) -> str:
        """`31 files checked: 0 errors, 2 warnings`, and why it fails when only warnings make it fail."""
        line = f"{count_of(self.files, 'file')} checked: {count_of(self.errors, 'error')}, {count_of(self.warnings, 'warning')}"
        if self.strict and self.warnings and not self.errors:
            line += " (--strict: warnings fail the check)"
        return line


def count_of(number: int, noun: str) -> str:
    """`1 event`, `10,000 events`: every count the command line prints."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def sorted_findings(errors: list[ContentError], warnings: list[ContentError]) -> list[ContentError]:
    """Errors and warnings together, by file and line, as a compiler lists them."""
    return sorted([*errors, *warnings], key=lambda finding: finding.sort_key)


def collapse_repeats(findings: list[ContentError]) -> list[ContentError]:
    """A thousand tags misspelt alike are one line with a count, not a thousand lines.

    Findings repeat when they are in one file and differ only in the values
    they quote, the numbers they give and the list index of their field.
    """
    keys = [_repeat_key(finding) for finding in findings]
    groups: dict[tuple, list[ContentError]] = {}
    for key, finding in zip(keys, findings, strict=True):
        groups.setdefault(key, []).append(finding)
    shown = []
    for key, finding in zip(keys, findings, strict=True):
        group = groups[key]
        if len(group) <= REPEATS_LISTED:
            shown.append(finding)
        elif group[0] is finding:
            last = group[-1]
            through = f", through line {last.line:,}" if last.line > finding.line else ""
            message = f"{finding.message}; the same again {len(group) - 1:,} more times in this file{through}"
            shown.append(
                ContentError(
                    message,
                    path=finding.path,
                    line=finding.line,
                    column=finding.column,
                    field=finding.field,
                    severity=finding.severity,
                    check=finding.check,
                )
            )
    return shown


_QUOTED_OR_NUMBER = re.compile(r"'[^']*'|\[@?[\w-]*\]|[0-9][0-9,.]*| \(did you mean [^)]*\)")


def _repeat_key(finding: ContentError) -> tuple:
    field = re.sub(r"\[[0-9]+\]", "[]", finding.field)
    return (finding.path, finding.severity, finding.check, field, _QUOTED_OR_NUMBER.sub("", finding.message))


def text_lines(outcome: Outcome, relative_to: Path) -> list[str]:
    return [finding.format(relative_to) for finding in outcome.shown]


def github_annotations(outcome: Outcome, relative_to: Path) -> list[str]:
    """Workflow commands that put each finding on its line of the pull request's diff.

    GitHub shows only the first few annotations of each kind per step, so errors come first.
    """
    ordered = sorted(outcome.shown, key=lambda finding: finding.severity != ERROR)
    lines = []
    for finding in ordered:
        properties = [f"file={_property(_relative(finding.path, relative_to))}"]
        if finding.line:
            properties += [f"line={finding.line}", f"col={finding.column}"]
        properties.append(f"title={_property(finding.check or finding.field or 'timeline')}")
        field = f"{finding.field}: " if finding.field else ""
        lines.append(f"::{finding.severity} {','.join(properties)}::{_data(field + finding.message)}")
    return lines


def github_summary(outcome: Outcome, relative_to: Path) -> str:
    """A Markdown report for $GITHUB_STEP_SUMMARY: every finding, where annotations show only some."""
    verdict = "passed" if outcome.ok else "failed"
    lines = [f"### Content check {verdict}", "", outcome.summary(), ""]
    shown = outcome.shown
    if shown:
        lines += ["| Where | | Field | Problem |", "|---|---|---|---|"]
        for finding in shown[:GITHUB_SUMMARY_ROWS]:
            check = f" `{finding.check}`" if finding.check else ""
            lines.append(
                f"| `{_cell(finding.location(relative_to))}` | {finding.severity} | "
                f"{_cell(finding.field)} | {_cell(finding.message)}{check} |"
            )
        hidden = len(shown) - GITHUB_SUMMARY_ROWS
        if hidden > 0:
            lines += ["", f"… and {hidden:,} more: run `timeline check` to see them all."]
    return "\n".join(lines) + "\n"


def json_report(outcome: Outcome, relative_to: Path) -> str:
    """A stable shape for tools: counts, the verdict, and one object per finding, repeats included."""
    return json.dumps(
        {
            "files": outcome.files,
            "errors": outcome.errors,
            "warnings": outcome.warnings,
            "strict": outcome.strict,
            "ok": outcome.ok,
            "findings": [
                {
                    "file": _relative(finding.path, relative_to),
                    "line": finding.line or None,
                    "column": finding.column or None,
                    "severity": finding.severity,
                    "field": finding.field or None,
                    "check": finding.check or None,
                    "message": finding.message,
                }
                for finding in outcome.findings
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def _relative(path: Path, relative_to: Path) -> str:
    try:
        return path.relative_to(relative_to).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:
        return path.as_posix()


def _data(text: str) -> str:
    """Escape a workflow command's message: %, CR and LF would end or corrupt it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """Escape a workflow command's property value, where `:` and `,` also separate."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")
