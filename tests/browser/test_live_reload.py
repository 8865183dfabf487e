"""`timeline serve` in Chromium: an open page reloads by itself after a save, and shows errors over the last good build."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ctrl_c_stops_it
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

INVESTIGATION = "content/events/2020-07-investigation.yaml"
WAIT_MS = 15_000


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def preview_url(make_project):
    project = make_project()
    process = subprocess.Popen(
        [sys.executable, "-m", "timeline", "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=ctrl_c_stops_it,
    )
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            match = re.search(r" at (http://127\.0\.0\.1:\d+/) ", process.stdout.readline())
            if match:
                yield project, match.group(1)
                break
        else:
            pytest.fail("serve did not start")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)


def test_an_open_page_reloads_itself_and_shows_errors_over_the_last_good_build(browser, preview_url):
    project, url = preview_url
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.goto(url + "events/2020-07-investigation/")
        title = page.locator("#event-title")
        expect(title).to_have_text("Regulators open an investigation")
        # No wait for the page's socket to connect: a page that connects after a rebuild reloads then.

        path = project / INVESTIGATION
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("Regulators open an investigation", "Regulators open an inquiry"))
        expect(title).to_have_text("Regulators open an inquiry", timeout=WAIT_MS)

        page.evaluate("window.notReloaded = true")
        save(path, text.replace("date: '2020-07'", "date: '2020-13'"))
        overlay = page.locator("#timeline-preview-errors")
        expect(overlay).to_be_visible(timeout=WAIT_MS)
        expect(overlay).to_contain_text(f"{INVESTIGATION}:1:7")
        expect(overlay).to_contain_text("'2020-13' has month 13")
        expect(title).to_have_text("Regulators open an inquiry")  # the last good build, under the overlay
        assert page.evaluate("window.notReloaded"), "errors show over the page without reloading it"

        save(path, text.replace("date: '2020-07'", "date: '2020-14'"))
        expect(overlay).to_contain_text("'2020-14' has month 14", timeout=WAIT_MS)
        expect(overlay).to_have_count(1)

        save(path, text.replace("Regulators open an investigation", "Regulators open an inquiry"))
        expect(overlay).to_have_count(0, timeout=WAIT_MS)
        assert page.evaluate("window.notReloaded"), "fixed back to the page shown: nothing to reload"

        save(path, text)
        expect(title).to_have_text("Regulators open an investigation", timeout=WAIT_MS)
        assert not page.evaluate("window.notReloaded")
        assert not [error for error in errors if "Content Security Policy" in error], errors
    finally:
        context.close()
