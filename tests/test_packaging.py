"""The package as people install it: the lock files make installs, and a wheel that works anywhere.

The wheel test builds timeline from a copy of its sources, installs it into
a throw-away virtual environment and runs every command from a folder
outside the checkout, as a new user would after `pip install`. It borrows
the test environment's dependencies (tests never reach the network).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["timeline", "themes", "pyproject.toml", "setup.py", "README.md", "LICENSE"]


def _locked(name: str) -> dict[str, str]:
    """`requirements/<name>.txt` → {package: version}."""
    text = (ROOT / "requirements" / f"{name}.txt").read_text(encoding="utf-8")
    return {match[1].lower(): match[2] for match in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", text, re.M)}


def _declared(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(("lock", "extras"), [("site", [None]), ("test", [None, "test"])])
def test_the_lock_pins_every_dependency_within_pyproject_ranges(lock, extras):
    """A dependency added to pyproject.toml without `make lock` would be missing from every install."""
    locked = _locked(lock)
    for extra in extras:
        for requirement in _declared(extra):
            name = requirement.name.lower()
            assert name in locked, f"{name} is not in requirements/{lock}.txt: run `make lock`"
            assert requirement.specifier.contains(locked[name], prereleases=True), (
                f"requirements/{lock}.txt pins {name}=={locked[name]}, outside {requirement.specifier}: run `make lock`"
            )


def test_the_two_locks_agree_on_every_version():
    site, test = _locked("site"), _locked("test")
    assert {name: test.get(name) for name in site} == site


def test_every_locked_version_has_hashes():
    for lock in ("site", "test"):
        text = (ROOT / "requirements" / f"{lock}.txt").read_text(encoding="utf-8")
        for block in re.split(r"\n(?=[A-Za-z])", text.split("\n", 3)[-1]):
            if re.match(r"[A-Za-z]", block):
                assert "--hash=sha256:" in block, f"{lock}: {block.splitlines()[0]} has no hash"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, str]:
    """A wheel built from a copy of the sources, and what the build printed."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-c", f"from setuptools import build_meta; print(build_meta.build_wheel({str(dist)!r}))"],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    return dist / built.stdout.strip().splitlines()[-1], built.stdout + built.stderr


def test_the_wheel_builds_without_warnings(wheel):
    _, output = wheel
    assert "Warning" not in output, output


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with the wheel installed (not editable); its bin/ folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index",
         str(wheel[0])],
        check=True,
        timeout=300,
    )  # fmt: skip
    # The dependencies come from this test environment: a bare path in a .pth file
    # is added to sys.path without running that folder's own .pth files, so the
    # checkout's editable install of timeline stays out of the way.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "test-dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n", encoding="utf-8")
    return venv / "bin"


def _run(bin_dir: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(bin_dir / argv[0]), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the shipped timeline in a folder outside the checkout."""
    folder = tmp_path_factory.mktemp("elsewhere")
    shutil.copytree(ROOT / "content", folder / "content")
    return folder


def test_the_installed_package_is_the_wheel_not_the_checkout(installed, project):
    found = _run(
        installed, "python", "-c", "import timeline, timeline.themes as t; print(timeline.__file__)", cwd=project
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).is_relative_to(installed.parent), found.stdout


def test_an_installed_wheel_checks_and_builds_a_timeline_outside_the_checkout(installed, project):
    checked = _run(installed, "timeline", "check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    built = _run(installed, "timeline", "build", cwd=project)
    assert built.returncode == 0, built.stderr
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Clearview AI" in index
    assert list((project / "site/static").glob("style.*.css")), "the default theme's stylesheet"
    report = _run(installed, "timeline", "build", "--theme", "report", "--out", "report", "--force", cwd=project)
    assert report.returncode == 0, report.stderr
    assert list((project / "report/static").glob("report.*.css")), "the report theme's stylesheet"


def test_an_installed_wheel_writes_events_and_schemas(installed, tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    new = _run(installed, "timeline", "new", "A new event", "--date", "2024-01-02", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    assert (tmp_path / "content/events/2024-01-02-a-new-event.yaml").is_file()
    schemas = _run(installed, "timeline", "schemas", cwd=tmp_path)
    assert schemas.returncode == 0, schemas.stderr
    assert (tmp_path / "schemas/event.schema.json").is_file()
    shutil.copy(ROOT / "tests/interop/timelinejs/houston.json", tmp_path)
    imported = _run(installed, "timeline", "import", "houston.json", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert len(list((tmp_path / "content/events").glob("*.yaml"))) > 31


def test_an_installed_wheel_starts_a_new_timeline(installed, tmp_path):
    started = _run(installed, "timeline", "init", "history", "--title", "A history of computing", cwd=tmp_path)
    assert started.returncode == 0, started.stderr
    built = _run(installed, "timeline", "build", cwd=tmp_path / "history")
    assert built.returncode == 0, built.stderr
    assert ">A history of computing</a></h1>" in (tmp_path / "history/site/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "history/.github/workflows/pages.yml").is_file()


def test_an_installed_wheel_serves_the_preview(installed, project):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    process = subprocess.Popen(
        [str(installed / "timeline"), "serve", "--port", "0"],
        cwd=project,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines, url, deadline = [], None, time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            found = re.search(r" at (http://127\.0\.0\.1:\d+/) ", line)
            url = found and found[1]
        assert url, "serve did not start:\n" + "".join(lines)
        with urllib.request.urlopen(url + "events/2022-05-23-ico-final-fine/", timeout=30) as response:
            assert response.status == 200
            assert "7,552,800" in response.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
