"""The error types: one for content, one to carry many, one for the build itself."""

from __future__ import annotations

import contextlib
from pathlib import Path

ERROR, WARNING = "error", "warning"


class ContentError(Exception):
    """A problem in a content file, located by file, line, column and field.

    Prints as `content/events/x.yaml:7:5: error: amount.currency: message`.
    Line and column are 1-based; line 0 means "the whole file" and prints no position.
    A warning is the same thing at a lower severity: it names the check that
    raised it (`[no-archive]`), which `checks:` in timeline.yaml can turn off or
    make an error.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str,
        line: int = 0,
        column: int = 0,
        field: str = "",
        severity: str = ERROR,
        check: str = "",
    ) -> None:
        super().__init__(message, path, line, column, field)
        self.message = message
        self.path = Path(path)
        self.line = line
        self.column = column
        self.field = field
        self.severity = severity
        self.check = check

    def __reduce__(self):
        # Keep keyword-only arguments across pickling (worker processes).
        return (_rebuild, (self.message, str(self.path), self.line, self.column, self.field, self.severity, self.check))

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.line, self.column, self.message)

    def location(self, relative_to: Path | None = None) -> str:
        """`path:line:col`, with the path relative to `relative_to` when it is inside it."""
        path = self.path
        if relative_to is not None and path.is_absolute():
            # Not resolve(): that follows symbolic links and would name the
            # link's target instead of the file in content/.
            with contextlib.suppress(ValueError):
                path = path.relative_to(relative_to)
        if not self.line:  # about the whole file, or a folder
            return path.as_posix()
        return f"{path.as_posix()}:{self.line}:{self.column}"

    def format(self, relative_to: Path | None = None) -> str:
        field = f"{self.field}: " if self.field else ""
        check = f" [{self.check}]" if self.check else ""
        return f"{self.location(relative_to)}: {self.severity}: {field}{self.message}{check}"

    def __str__(self) -> str:
        return self.format()


def _rebuild(message: str, path: str, line: int, column: int, field: str, severity: str, check: str) -> ContentError:
    return ContentError(message, path=path, line=line, column=column, field=field, severity=severity, check=check)


class ContentInvalid(Exception):
    """Every content error found by one run, sorted by file and line, and the warnings found with them."""

    def __init__(self, errors: list[ContentError], warnings: list[ContentError] = (), files: int = 0) -> None:
        self.errors = sorted(errors, key=lambda error: error.sort_key)
        self.warnings = sorted(warnings, key=lambda warning: warning.sort_key)
        self.files = files
        """How many content files were read, for the summary line."""
        super().__init__(f"{len(self.errors)} error(s) in content")


class BuildError(Exception):
    """The build could not finish for a reason outside the content (output folder, disk, theme)."""
