"""`fetch-media`: remote images downloaded into the project, checked, and named in their files, from a local server."""

from __future__ import annotations

import functools
import http.server
import io
import threading

import pytest
from PIL import Image

EVENT = "content/events/2020-07-investigation.yaml"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server(tmp_path):
    """A web server on 127.0.0.1 serving tmp_path/www: the tests never touch the internet."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def jpeg(width=640, height=480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def test_a_remote_image_is_fetched_and_named_in_its_file_keeping_the_rest(run, make_project, server):
    root, base = server
    (root / "photo.jpg").write_bytes(jpeg())
    project = make_project()
    path = project / EVENT
    before = path.read_text()
    media = (
        "media:  # pictures\n"
        f"  - url: {base}/photo.jpg  # the origin\n"
        "    alt: The commissioner's office\n"
        "    credit: 'Photo: Jane Doe / CC BY 4.0'\n"
        f"  - {{url: '{base}/photo.jpg', kind: image, alt: Again}}\n"
        "  - url: https://www.youtube.com/watch?v=xyz\n"
    )
    path.write_text(before + media)
    result = run(["fetch-media"], cwd=project)
    assert result.code == 0, result.err
    assert (
        f"content/events/2020-07-investigation.yaml:16:10: media[0].url: fetched {base}/photo.jpg into " in result.out
    )
    assert "content/media/2020-07-investigation-1.jpg (640 × 480)" in result.out
    assert "2 images fetched, 0 failed" in result.err
    assert path.read_text() == before + (
        "media:  # pictures\n"
        "  - file: media/2020-07-investigation-1.jpg\n"
        f"    url: {base}/photo.jpg  # the origin\n"
        "    alt: The commissioner's office\n"
        "    credit: 'Photo: Jane Doe / CC BY 4.0'\n"
        f"  - {{file: media/2020-07-investigation-2.jpg, url: '{base}/photo.jpg', kind: image, alt: Again}}\n"
        "  - url: https://www.youtube.com/watch?v=xyz\n"
    )
    assert (project / "content/media/2020-07-investigation-1.jpg").read_bytes() == (root / "photo.jpg").read_bytes()
    built = run(["build"], cwd=project)
    assert built.code == 0, built.err
    html = (project / "site/events/2020-07-investigation/index.html").read_text()
    assert (
        'alt="The commissioner&#39;s office"' in html
        and "127.0.0.1" not in html.split("<picture>")[1].split("</picture>")[0]
    )
    again = run(["fetch-media"], cwd=project)
    assert (again.code, again.out) == (0, "") and "0 images fetched, 0 failed" in again.err


def test_each_failure_is_reported_and_the_others_are_still_fetched(run, make_project, server):
    root, base = server
    (root / "ok.jpg").write_bytes(jpeg())
    (root / "page.jpg").write_bytes(b"<html>not an image</html>")
    project = make_project()
    path = project / EVENT
    path.write_text(
        path.read_text()
        + "media:\n"
        + f"  - url: {base}/missing.jpg\n    alt: Gone\n"
        + f"  - url: {base}/page.jpg\n    alt: Not a picture\n"
        + f"  - url: {base}/ok.jpg\n    alt: Fine\n"
    )
    result = run(["fetch-media"], cwd=project)
    assert result.code == 1
    assert (
        f"2020-07-investigation.yaml:16:10: error: media[0].url: cannot fetch {base}/missing.jpg: HTTP 404"
        in result.err
    )
    assert (
        f"2020-07-investigation.yaml:18:10: error: media[1].url: {base}/page.jpg is not an image this tool publishes"
        in result.err
    )
    assert "media[2].url: fetched" in result.out and "1 image fetched, 2 failed" in result.err
    text = path.read_text()
    assert text.count("file: ") == 1 and "  - file: media/2020-07-investigation-3.jpg\n" in text
    assert sorted(p.name for p in (project / "content/media").iterdir()) == ["2020-07-investigation-3.jpg"]


def test_a_bomb_is_not_saved(run, make_project, server, monkeypatch):
    root, base = server
    monkeypatch.setattr("timeline.imagefiles.MAX_PIXELS", 1000)
    (root / "big.jpg").write_bytes(jpeg(100, 100))
    project = make_project()
    path = project / EVENT
    path.write_text(path.read_text() + f"media:\n  - url: {base}/big.jpg\n    alt: Big\n")
    result = run(["fetch-media"], cwd=project)
    assert result.code == 1 and "is 100 × 100 pixels; images may have at most 1,000 pixels" in result.err
    assert not (project / "content/media").exists() and "file:" not in path.read_text()
