"""Media: what readers see of an event's images, link cards and quotations, and what contributors are told."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import tree
from PIL import Image

from timeline.engine import Engine
from timeline.model import media_kind

EVENT = "content/events/2020-07-investigation.yaml"
PAGE = "site/events/2020-07-investigation/index.html"


def jpeg(width: int = 1600, height: int = 900, colour=(180, 60, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def png(width: int = 300, height: int = 200, transparent: bool = True) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if transparent else "RGB", (width, height), (10, 120, 200, 128)).save(out, "PNG")
    return out.getvalue()


def with_media(project: Path, yaml: str) -> None:
    path = project / EVENT
    path.write_text(path.read_text(encoding="utf-8") + "media:\n" + yaml, encoding="utf-8")


IMAGE = """\
  - file: media/chart.jpg
    alt: Fines by year, as a bar chart
    credit: Drawn by the contributors / CC BY 4.0
    caption: The fines *by year*.
"""


@pytest.fixture
def imaged(make_project):
    project = make_project({"content/media/chart.jpg": jpeg()})
    with_media(project, IMAGE)
    return project


def build(run, project: Path, *args: str):
    result = run(["build", *args], cwd=project)
    assert result.code == 0, result.err
    return result


def test_an_event_page_shows_the_image_as_a_responsive_picture_with_caption_and_credit(run, imaged):
    build(run, imaged)
    html = (imaged / PAGE).read_text(encoding="utf-8")
    figure = re.search(r'<figure class="media media-image">.*?</figure>', html, re.S)[0]
    assert '<source type="image/webp" srcset="../../media/' in figure
    img = re.search(r"<img [^>]*>", figure)[0]
    assert 'alt="Fines by year, as a bar chart"' in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    assert 'width="1440" height="810"' in img  # the largest copy: never wider than 1440, never enlarged
    widths = re.findall(r"\.jpg (\d+)w", img)
    assert widths == ["240", "480", "960", "1440"]
    assert re.search(r'src="\.\./\.\./media/[0-9a-f]{20}-1440\.jpg"', img)
    assert "<em>by year</em>" in figure and "Drawn by the contributors / CC BY 4.0" in figure
    for path in re.findall(r"\.\./\.\./(media/[^ \"]+)", figure):
        assert (imaged / "site" / path).is_file(), path


def test_the_timeline_shows_a_small_lazy_thumbnail(run, imaged):
    build(run, imaged)
    html = (imaged / "site/index.html").read_text(encoding="utf-8")
    thumb = re.search(r'<div class="event-thumb">.*?</div>', html, re.S)[0]
    assert 'loading="lazy"' in thumb and 'alt="Fines by year, as a bar chart"' in thumb
    sources = re.findall(r'(?:srcset|src)="([^"]+)"', thumb)  # only the smallest copy, WebP and JPEG
    assert len(sources) == 2 and "sizes=" not in thumb
    assert all(re.fullmatch(r"\./media/[0-9a-f]{20}-240\.(?:webp|jpg)", source) for source in sources), sources
    assert html.count("<picture>") == 1  # the event without media has none


def test_images_are_never_enlarged_and_transparent_ones_fall_back_to_png(run, make_project):
    project = make_project({"content/media/logo.png": png(300, 200)})
    with_media(project, "  - file: media/logo.png\n    alt: The logo\n")
    build(run, project)
    html = (project / PAGE).read_text(encoding="utf-8")
    assert re.findall(r"\.png (\d+)w", html) == ["240", "300"]
    made = sorted(path.name.split("-", 1)[1] for path in (project / "site/media").iterdir())
    assert made == ["240.png", "240.webp", "300.png", "300.webp"]
    with Image.open(next((project / "site/media").glob("*-300.png"))) as image:
        assert image.mode == "RGBA" and image.size == (300, 200)


def test_the_camera_orientation_is_applied_and_metadata_is_dropped(run, make_project):
    exif = Image.Exif()
    exif[0x0112] = 6  # turned a quarter: the picture is upright when 900 wide and 1600 high
    exif[0x010F] = "Camera maker"
    project = make_project({"content/media/photo.jpg": jpeg(1600, 900, exif=exif.tobytes())})
    with_media(project, "  - file: media/photo.jpg\n    alt: A photograph\n")
    build(run, project)
    html = (project / PAGE).read_text(encoding="utf-8")
    assert 'width="900" height="1600"' in html
    for path in (project / "site/media").iterdir():
        with Image.open(path) as image:
            assert image.width < image.height
            assert not image.getexif() and "icc_profile" not in image.info and "exif" not in image.info


def test_the_same_image_gives_the_same_bytes_under_the_same_names(run, imaged, tmp_path, monkeypatch):
    build(run, imaged)
    first = tree(imaged / "site/media")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-cache"))  # made again from nothing
    build(run, imaged, "--out", str(tmp_path / "again"))
    assert tree(tmp_path / "again/media") == first


def test_an_image_is_made_once_and_a_build_after_an_edit_makes_none(imaged, tmp_path):
    content = imaged / "content"
    assert Engine(content).build(imaged / "site").images == 1
    (imaged / EVENT).write_text((imaged / EVENT).read_text().replace("joint investigation", "joint inquiry"))
    again = Engine(content).build(imaged / "site")
    assert (again.images, again.unchanged) == (0, False)
    assert Engine(content).build(tmp_path / "other-site").images == 0  # another site, same copies
    made = {path.name: path.stat().st_mtime_ns for path in (imaged / "site/media").iterdir()}
    assert Engine(content).build(imaged / "site").unchanged
    assert {path.name: path.stat().st_mtime_ns for path in (imaged / "site/media").iterdir()} == made


def test_a_changed_image_is_made_again_under_new_names_and_the_old_copies_go(run, imaged):
    build(run, imaged)
    before = set(tree(imaged / "site/media"))
    (imaged / "content/media/chart.jpg").write_bytes(jpeg(colour=(20, 200, 40)))
    report = Engine(imaged / "content").build(imaged / "site")
    assert report.images == 1 and not report.unchanged
    after = set(tree(imaged / "site/media"))
    assert after and not after & before
    html = (imaged / PAGE).read_text(encoding="utf-8")
    assert all(f"media/{name}" in html for name in after if name.endswith(".jpg"))


def test_the_preview_publishes_images_and_makes_them_once(imaged, tmp_path):
    engine = Engine(imaged / "content", persist=False)
    first = engine.update(tmp_path / "preview")
    assert first.ok and first.images == 1
    assert any(path.startswith("media/") for path in first.written)
    (imaged / EVENT).write_text((imaged / EVENT).read_text().replace("joint investigation", "joint inquiry"))
    second = engine.update(tmp_path / "preview")
    assert second.ok and second.images == 0
    assert len(list((tmp_path / "preview/media").iterdir())) == 8


CARDS = """\
  - url: https://www.youtube.com/watch?v=xyz
    title: The commissioner explains the fine
    poster: media/poster.png
    credit: ICO
  - url: https://upload.wikimedia.org/wikipedia/commons/x.jpg
    alt: A remote photograph
  - url: https://en.wikipedia.org/wiki/Clearview_AI
  - quote: We will not stop.
    credit: A spokesperson
"""


def test_link_cards_and_quotes_load_nothing_from_another_site(run, make_project):
    project = make_project({"content/media/poster.png": png(400, 225, transparent=False)})
    with_media(project, CARDS)
    build(run, project)
    html = (project / PAGE).read_text(encoding="utf-8")
    sources = re.findall(r'\b(?:src|srcset|poster|data)="([^"]*)"', html)
    assert sources and not [value for value in sources if "//" in value]
    cards = re.findall(r'<figure class="media media-card media-(\w+)">(.*?)</figure>', html, re.S)
    assert [kind for kind, _ in cards] == ["video", "image", "page"]
    video, remote, page = (body for _, body in cards)
    assert 'href="https://www.youtube.com/watch?v=xyz"' in video and "The commissioner explains the fine" in video
    assert ">Video<" in video and ">youtube.com<" in video and "<picture>" in video and ">ICO<" in video
    assert ">A remote photograph<" in remote and "upload.wikimedia.org" in remote and "<img" not in remote
    assert ">en.wikipedia.org<" in page
    quote = re.search(r'<figure class="media media-quote">.*?</figure>', html, re.S)[0]
    assert "<blockquote><p>We will not stop.</p></blockquote>" in quote and "A spokesperson" in quote


def test_the_timeline_title_shows_its_own_media(run, make_project):
    project = make_project({"content/media/chart.jpg": jpeg()})
    path = project / "content/timeline.yaml"
    path.write_text(path.read_text() + "media:\n" + IMAGE, encoding="utf-8")
    build(run, project)
    html = (project / "site/index.html").read_text(encoding="utf-8")
    assert '<div class="media-list">' in html and 'alt="Fines by year, as a bar chart"' in html
    assert len(list((project / "site/media").iterdir())) == 8


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://youtu.be/xyz", "video"),
        ("https://www.youtube.com/watch?v=xyz", "video"),
        ("https://vimeo.com/123", "video"),
        ("https://soundcloud.com/a/b", "audio"),
        ("https://example.org/talk.mp3", "audio"),
        ("https://www.google.com/maps/place/x", "map"),
        ("https://www.openstreetmap.org/#map=5/51/0", "map"),
        ("https://twitter.com/ico/status/1", "post"),
        ("https://x.com/ico/status/1", "post"),
        ("https://mastodon.social/@ico/1", "post"),
        ("https://bsky.app/profile/x/post/1", "post"),
        ("https://www.instagram.com/p/x/", "post"),
        ("https://www.facebook.com/ico/posts/1", "post"),
        ("https://example.org/notice.pdf", "document"),
        ("https://upload.wikimedia.org/x.JPG", "image"),
        ("https://example.org/a.webp", "image"),
        ("https://en.wikipedia.org/wiki/Clearview_AI", "page"),
        ("https://en.wikipedia.org/wiki/Ada_Lovelace#/media/File:Ada.jpg", "page"),
        ("https://example.org/news/story", "page"),
        # Hosts TimelineJS recognises: an import guesses them as validation does.
        ("https://www.dailymotion.com/video/x8", "video"),
        ("https://open.spotify.com/track/1", "audio"),
        ("https://www.documentcloud.org/documents/1-x", "document"),
        ("https://docs.google.com/document/d/1", "document"),
    ],
)
def test_the_kind_is_guessed_from_the_address(url, kind):
    assert media_kind({"url": url}) == kind


def _bomb() -> bytes:
    """A PNG of a few hundred bytes whose header claims 100,000 × 100,000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(run, make_project):
    out = io.BytesIO()
    Image.new("1", (10_001, 5_001)).save(out, "PNG")  # one bit a pixel: small to make, too many to decode
    project = make_project({"content/media/wide.png": out.getvalue()})
    with_media(project, "  - file: media/wide.png\n    alt: Wide\n")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert (
        "media[0].file: content/media/wide.png is 10,001 × 5,001 pixels; images may have at most 50,000,000 pixels"
    ) in result.err


@pytest.mark.parametrize(
    ("files", "media", "expected"),
    [
        (
            {},
            "  - file: media/chart.jpg\n    alt: A chart\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/chart.jpg does not exist; "
            "the path is relative to the content folder",
        ),
        (
            {"content/media/chart.jpeg": jpeg(40, 30)},
            "  - file: media/chart.jpg\n    alt: A chart\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/chart.jpg does not exist "
            "(did you mean chart.jpeg?); the path is relative to the content folder",
        ),
        (
            {"content/media/chart.jpg": b"<html>not a picture</html>"},
            "  - file: media/chart.jpg\n    alt: A chart\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/chart.jpg is not an image "
            "this tool publishes: use a JPEG, PNG, GIF or WebP file",
        ),
        (
            {"content/media/chart.jpg": jpeg(400, 300)[:300]},
            "  - file: media/chart.jpg\n    alt: A chart\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/chart.jpg is damaged or incomplete",
        ),
        (
            {"content/media/bomb.png": _bomb()},
            "  - file: media/bomb.png\n    alt: A chart\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/bomb.png claims far more "
            "pixels than an image may have (50,000,000), as a decompression bomb does; it is not opened",
        ),
        (
            {"content/media/chart.jpg": jpeg(40, 30)},
            "  - file: media/chart.jpg\n    credit: Someone\n",
            "content/events/2020-07-investigation.yaml:16:5: error: media[0]: every image needs alt: a few words saying what "
            "the picture shows, for readers who cannot see it",
        ),
        (
            {},
            "  - url: https://upload.wikimedia.org/x.jpg\n",
            "content/events/2020-07-investigation.yaml:16:5: error: media[0]: every image needs alt",
        ),
        (
            {},
            "  - url: javascript:alert(1)\n    kind: page\n",
            "content/events/2020-07-investigation.yaml:16:10: error: media[0].url:",
        ),
        (
            {},
            "  - file: ../../secret.jpg\n    alt: x\n",
            "content/events/2020-07-investigation.yaml:16:11: error: media[0].file:",
        ),
        (
            {},
            "  - credit: Nobody\n",
            "content/events/2020-07-investigation.yaml:16:5: error: media[0]: a media item needs file (an image in the "
            "project), url (a link) or quote (a quotation)",
        ),
    ],
    ids=[
        "missing",
        "misspelt",
        "not-an-image",
        "truncated",
        "bomb",
        "no-alt",
        "remote-no-alt",
        "javascript",
        "outside",
        "empty",
    ],
)
def test_a_bad_media_item_is_an_error_naming_file_line_and_field(run, make_project, files, media, expected):
    project = make_project(files)
    with_media(project, media)
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert expected in result.err, result.err
    assert "Traceback" not in result.err


def test_a_symbolic_link_is_refused(run, make_project, tmp_path):
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(jpeg(40, 30))
    project = make_project()
    (project / "content/media").mkdir()
    (project / "content/media/chart.jpg").symlink_to(outside)
    with_media(project, "  - file: media/chart.jpg\n    alt: A chart\n")
    result = run(["build"], cwd=project)
    assert result.code == 1
    assert (
        "content/events/2020-07-investigation.yaml:16:11: error: media[0].file: content/media/chart.jpg is a symbolic "
        "link; links are never followed or published: copy the image into the content folder instead"
    ) in result.err
    assert not (project / "site").exists()


def test_a_symbolic_link_to_a_folder_is_refused(run, make_project, tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures/chart.jpg").write_bytes(jpeg(40, 30))
    project = make_project()
    (project / "content/media").symlink_to(tmp_path / "pictures")
    with_media(project, "  - file: media/chart.jpg\n    alt: A chart\n")
    result = run(["check"], cwd=project)
    assert result.code == 1 and "content/media is a symbolic link" in result.err


def test_a_file_too_large_is_refused_before_it_is_decoded(run, make_project, monkeypatch):
    monkeypatch.setattr("timeline.imagefiles.MAX_BYTES", 1000)
    project = make_project({"content/media/chart.jpg": jpeg(400, 300, colour=(1, 2, 3)) + b"\0" * 2000})
    with_media(project, "  - file: media/chart.jpg\n    alt: A chart\n")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert "media[0].file: content/media/chart.jpg is larger than 0.976562 KB, the most an image may be" in result.err


def test_removing_an_image_an_event_shows_is_an_error_on_the_next_build(run, imaged):
    build(run, imaged)
    (imaged / "content/media/chart.jpg").unlink()
    result = run(["build"], cwd=imaged)
    assert result.code == 1 and "content/media/chart.jpg does not exist" in result.err


def test_an_image_in_timeline_yaml_is_checked_too(run, make_project):
    project = make_project()
    path = project / "content/timeline.yaml"
    lines = len(path.read_text().splitlines())
    path.write_text(path.read_text() + "media:\n  - file: media/cover.jpg\n    alt: The cover\n", encoding="utf-8")
    result = run(["check"], cwd=project)
    assert result.code == 1
    assert (
        f"content/timeline.yaml:{lines + 2}:11: error: media[0].file: content/media/cover.jpg does not exist"
        in result.err
    )


def test_data_carries_media(run, make_project):
    import json

    project = make_project({"content/media/chart.jpg": jpeg(), "content/media/poster.png": png(400, 225, False)})
    with_media(project, IMAGE + CARDS)
    build(run, project)
    data = json.loads((project / "site/timeline.json").read_text())
    event = next(event for event in data["events"] if event["id"] == "2020-07-investigation")
    image, video, remote, page, quote = event["media"]
    assert page["kind"] == "page" and page["image"] is None
    assert image["kind"] == "image" and image["alt"] == "Fines by year, as a bar chart"
    assert (
        re.fullmatch(r"https://example.org/minimal/media/[0-9a-f]{20}-1440\.jpg", image["image"])
        and image["width"] == 1440
    )
    assert (project / "site" / image["image"].split("/minimal/")[1]).is_file()
    assert video["url"] == "https://www.youtube.com/watch?v=xyz" and video["kind"] == "video" and video["poster"]
    assert remote["image"] is None and remote["url"].startswith("https://upload.wikimedia.org/")
    assert quote == {**quote, "kind": "quote", "quote": "We will not stop.", "credit": "A spokesperson"}


def test_cards_quotes_and_pictures_are_valid_html(run, make_project):
    import shutil
    import subprocess

    from test_html_valid import VNU

    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.skip("the Nu Html Checker needs java and vnu.jar (npm ci)")
    project = make_project({"content/media/chart.jpg": jpeg(), "content/media/poster.png": png(400, 225)})
    with_media(project, IMAGE + CARDS)
    path = project / "content/timeline.yaml"
    path.write_text(path.read_text() + "media:\n" + IMAGE, encoding="utf-8")
    build(run, project)
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "gnu", "--skip-non-html", str(project / "site")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_check_notices_an_image_replaced_by_a_non_image(run, imaged):
    assert run(["check"], cwd=imaged).code == 0
    assert run(["check"], cwd=imaged).code == 0  # answered from the record of the last run
    (imaged / "content/media/chart.jpg").write_bytes(b"not a picture any more")
    result = run(["check"], cwd=imaged)
    assert result.code == 1 and "content/media/chart.jpg is not an image this tool publishes" in result.err
