"""The search index: built with the site from the model, kept when nothing it holds changed,
re-made only in the bundle an edit touched. The browser side is tests/browser/test_search.py."""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import tree

from timeline import search, writer
from timeline.cli import main
from timeline.engine import build as engine_build
from timeline.engine import check

CONTENT = Path(__file__).resolve().parent.parent / "content"


def build(content: Path, out: Path, *extra: str) -> None:
    assert main(["build", "--content", str(content), "--out", str(out), *extra]) == 0


def stats(site: Path) -> dict[str, tuple[int, int]]:
    """Every file of the index, with what a rewrite changes (inode, modification time)."""
    return {
        path.relative_to(site).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in sorted((site / "pagefind").rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def test_the_built_site_has_the_index_and_nothing_of_pagefinds_ui(tmp_path):
    site = tmp_path / "site"
    build(CONTENT, site)
    assert json.loads((site / "pagefind/bundles.json").read_text()) == {"bundles": ["0/"]}
    bundle = site / "pagefind/0"
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"):
        assert (bundle / name).is_file(), name
    assert list(bundle.glob("*.pf_meta")) and list(bundle.glob("index/*.pf_index"))
    assert len(list(bundle.glob("fragment/*.pf_fragment"))) == 30  # one record per event
    assert {path.name for path in bundle.glob("filter/*")}
    assert not list(bundle.rglob("pagefind-*ui*")) and not list(bundle.rglob("*highlight*"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 30


def test_the_index_page_offers_the_search_only_to_javascript(tmp_path):
    site = tmp_path / "site"
    build(CONTENT, site)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<div class="search" id="search" role="search" hidden data-index="./pagefind/"' in page
    assert 'src="./static/search.' in page
    assert "script-src 'self' 'wasm-unsafe-eval';" in page  # Pagefind runs as WebAssembly
    event = (site / "events/2022-03-09-garante-fine/index.html").read_text(encoding="utf-8")
    assert "wasm-unsafe-eval" not in event and 'id="search"' not in event


def test_a_rebuild_with_nothing_changed_leaves_the_index(project, tmp_path):
    site = tmp_path / "site"
    build(project, site)
    before = stats(site)
    for path in (project / "events").iterdir():  # every file's stamp moves, no byte changes
        os.utime(path)
    build(project, site)
    assert stats(site) == before


def test_an_edit_re_indexes_only_its_bundle(project, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "BUNDLE_SIZE", 5)  # 30 events: 6 bundles
    site = tmp_path / "site"
    build(project, site)
    assert len(json.loads((site / "pagefind/bundles.json").read_text())["bundles"]) == 6
    before = stats(site)
    edited = project / "events/2022-03-09-garante-fine.yaml"
    edited.write_text(edited.read_text("utf-8").replace("MLex", "Zanzibarian"), encoding="utf-8")
    build(project, site)
    after = stats(site)
    changed = {path.split("/")[1] for path, _ in set(before.items()) ^ set(after.items())}
    bundle = search.bundle_of("2022-03-09-garante-fine", 6)
    assert changed == {str(bundle)}
    fragments = sorted((site / f"pagefind/{bundle}/fragment").iterdir())
    assert any(b"Zanzibarian" in gzip.decompress(path.read_bytes()) for path in fragments)
    assert not any(b"MLex" in gzip.decompress(path.read_bytes()) for path in fragments), "the old record is gone"
    assert len(list(site.glob("pagefind/*/fragment/*"))) == 30, "one record per event, none left behind"


def test_a_bundle_larger_than_a_pipe_holds_every_record():
    """Megabytes each way between this process and Pagefind: nothing waits forever, nothing is dropped."""
    words = " ".join(f"word{number}" for number in range(400))
    records = [
        json.dumps({"url": f"events/e{number}/", "content": f"event{number} {words}", "language": "en", "meta": {}})
        for number in range(600)
    ]
    files = search.index_bundle(records, search.pagefind_executable())
    fragments = [name for name in files if name.startswith("fragment/")]
    assert len(fragments) == 600
    entry = json.loads(files["pagefind-entry.json"])
    assert entry["languages"]["en"]["page_count"] == 600


def test_a_missing_pagefind_fails_the_build_and_keeps_the_site(project, tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    build(project, site)
    edited = project / "events/2022-03-09-garante-fine.yaml"
    edited.write_text(edited.read_text("utf-8").replace("MLex", "Zanzibarian"), encoding="utf-8")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    capsys.readouterr()
    assert main(["build", "--content", str(project), "--out", str(site)]) == 1
    error = capsys.readouterr().err
    assert f"cannot build the search index: {tmp_path / 'no-pagefind'}: No such file or directory" in error
    assert "Traceback" not in error
    assert "Zanzibarian" not in (site / "events/2022-03-09-garante-fine/index.html").read_text("utf-8")


def test_a_pagefind_that_stops_fails_the_build(project, tmp_path, monkeypatch, capsys):
    quitter = tmp_path / "pagefind"
    quitter.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    quitter.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(quitter))
    assert main(["build", "--content", str(project), "--out", str(tmp_path / "site")]) == 1
    assert "cannot build the search index: pagefind stopped unexpectedly" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_what_pagefind_said_before_it_stopped_is_the_error(project, tmp_path, monkeypatch, capsys):
    replies = [
        {"message_id": 1, "payload": {"type": "NewIndex", "index_id": 0}},
        {"message_id": 2, "payload": {"type": "Error", "message": "out of disk"}},
    ]
    said = ",".join(base64.b64encode(json.dumps(reply).encode()).decode() for reply in replies) + ","
    pagefind = tmp_path / "pagefind"
    pagefind.write_text(f"#!/bin/sh\nprintf '%s' '{said}'\nexit 0\n", encoding="utf-8")
    pagefind.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind))
    assert main(["build", "--content", str(project), "--out", str(tmp_path / "site")]) == 1
    assert "cannot build the search index: pagefind: out of disk" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_only_the_first_bundle_carries_the_script_and_the_webassembly(project, tmp_path, monkeypatch):
    """The other bundles merge into the first and share its WebAssembly: their copies would never be fetched."""
    monkeypatch.setattr(search, "BUNDLE_SIZE", 10)
    site = tmp_path / "site"
    build(project, site)
    assert {path.name for path in (site / "pagefind/0").glob("*.*")} >= {"pagefind.js", "wasm.en.pagefind"}
    for number in (1, 2):
        names = {path.name for path in (site / f"pagefind/{number}").glob("*.*")}
        assert "pagefind-entry.json" in names
        assert not {name for name in names if name.startswith(("wasm.", "pagefind.js", "pagefind-worker"))}


def test_a_record_holds_what_readers_search_for():
    timeline = check(CONTENT).timeline
    event = timeline.by_id["2022-03-09-garante-fine"]
    record = search.event_record(event, timeline)
    assert record["url"] == "events/2022-03-09-garante-fine/"
    assert record["meta"] == {"title": event.title, "date": "9 March 2022"}
    content = record["content"]
    assert event.title in content
    assert "MLex" in content  # the body
    assert "[@" not in content and "**" not in content  # no citation keys, no Markdown
    assert "still held the data. " in content  # no space left where a citation was, as on the page
    assert "Biometric Update" in content and "LaPresse" in content  # sources' publishers
    assert "Garante per la protezione dei dati personali" in content  # a declared field's value
    assert record["filters"]["tag"] == ["garante", "italy", "fine", "order"]
    assert record["filters"]["year"] == ["2022"]
    filters = {key: value for key, value in record["filters"].items() if key not in ("tag", "year")}
    assert filters, "the timeline's filterable fields are Pagefind filters too"
    assert record["language"] == "en"


def test_a_record_reads_as_the_page_does_with_no_space_for_inline_markup():
    markdown = (
        "Ada **Lovelace**: daughter of [Byron](https://example.org/).\n\n- one\n- two\n\n> quoted\n\nline  \nbreak"
    )
    assert search.plain_text(markdown) == "Ada Lovelace: daughter of Byron. one two quoted line break"


def test_the_report_theme_builds_with_the_search(tmp_path):
    site = tmp_path / "site"
    build(CONTENT, site, "--theme", "report")
    assert (site / "pagefind/0/pagefind.js").is_file()
    assert 'id="search"' in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("events", "bundles"), [(1, 1), (250, 1), (251, 2), (2000, 8), (10_000, 8)])
def test_bundles_grow_with_the_timeline_up_to_a_limit(events, bundles):
    assert search.bundle_count(events) == bundles


def test_a_build_forked_into_workers_writes_the_same_site_index_included(tmp_path, monkeypatch):
    """Pagefind's files are taken before the render workers fork (a fork while its threads run is unsafe)."""
    one = tmp_path / "one"
    assert engine_build(CONTENT, one, workers=1).files == len(tree(one)) - 1  # the tree holds the marker too
    monkeypatch.setattr(writer, "PAGES_PER_WORKER", 1)  # the shipped site is too small to fork otherwise
    forked = tmp_path / "forked"
    report = engine_build(CONTENT, forked, workers=2)
    assert report.files == len(tree(forked)) - 1
    assert tree(forked) == tree(one)
    assert (forked / "pagefind/0/pagefind-entry.json").is_file()
