"""The project's images made ready for the web: a few widths, WebP with a JPEG (or PNG) fallback.

What is published follows from the `ImageFile` the validate stage found
alone: the copies are named after a digest of the source's bytes and of how
they are made, so the render stage knows every address without opening a
file, and the same image always gives the same bytes under the same names
(reproducible builds). The copies are made once, into the user's cache
folder, and published from there: an image whose copies are there is never
decoded again, whichever build, site or preview asks.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from timeline import stamps
from timeline.cache import cache_folder
from timeline.model import ImageFile, Media, Timeline
from timeline.parallel import forked_map

WIDTHS = (240, 480, 960, 1440)
"""The widths published, in pixels, each only if the source is wider (never enlarged), plus the source's own
width up to the largest: a thumbnail, a phone, a laptop, a laptop's sharp screen."""
WEBP_QUALITY = 80
JPEG_QUALITY = 82
FOLDER = "media"
"""Where the copies go in the site."""
_RECIPE = ("images 2", WIDTHS, WEBP_QUALITY, JPEG_QUALITY)
"""Raised whenever what is made changes: the names change with it."""
IMAGES_PER_WORKER = 4
"""Images to make before a second process pays for itself."""


@dataclass(frozen=True)
class Variant:
    path: str
    """Relative to the site root."""
    width: int
    height: int


@dataclass(frozen=True)
class Picture:
    """What the theme writes into `<picture>`: every published copy of one image."""

    width: int
    height: int
    webp: tuple[Variant, ...]
    """Narrowest first."""
    fallback: tuple[Variant, ...]
    """JPEG, or PNG when the image has see-through pixels; narrowest first."""
    fallback_type: str
    """`image/jpeg` or `image/png`."""

    @property
    def src(self) -> Variant:
        """The largest fallback: for `src`, and for anything that takes one address."""
        return self.fallback[-1]

    def upto(self, width: int) -> Picture:
        """Only the copies up to about `width` pixels (and the next larger one): for a thumbnail."""
        keep = next((n for n, variant in enumerate(self.webp) if variant.width >= width), len(self.webp) - 1) + 1
        return Picture(self.width, self.height, self.webp[:keep], self.fallback[:keep], self.fallback_type)


def _name(image: ImageFile) -> str:
    from PIL import __version__ as pillow  # another Pillow may encode other bytes: other names

    return stamps.digest(image.digest, _RECIPE, pillow)[:20]


def widths_of(image: ImageFile) -> tuple[int, ...]:
    return (*(width for width in WIDTHS[:-1] if width < image.width), min(image.width, WIDTHS[-1]))


def picture(image: ImageFile) -> Picture:
    """The published copies of `image`, without opening it."""
    name = _name(image)
    ext = "png" if image.transparent else "jpg"
    sizes = [(width, max(1, round(image.height * width / image.width))) for width in widths_of(image)]
    return Picture(
        image.width,
        image.height,
        tuple(Variant(f"{FOLDER}/{name}-{width}.webp", width, height) for width, height in sizes),
        tuple(Variant(f"{FOLDER}/{name}-{width}.{ext}", width, height) for width, height in sizes),
        "image/png" if image.transparent else "image/jpeg",
    )


def image_url(media: Media) -> str | None:
    """Where the site publishes `media`'s image (its largest fallback), relative to the site root; None
    when it has no image in the project (a link card, a remote image not yet fetched)."""
    return picture(media.image).src.path if media.image is not None else None


def all_images(timeline: Timeline) -> list[ImageFile]:
    """Every image the site shows (files and posters), as often as it is shown."""
    media = (*timeline.media, *(item for event in timeline.events for item in event.media))
    return [image for item in media for image in (item.image, item.poster_image) if image is not None]


def images_of(timeline: Timeline) -> dict[str, ImageFile]:
    """Every image the site shows, by digest: one image used twice is made once."""
    found: dict[str, ImageFile] = {}
    for image in all_images(timeline):
        found.setdefault(image.digest, image)
    return found


def made_folder() -> Path:
    return cache_folder() / "images"


def prepare(content_dir: Path, timeline: Timeline) -> tuple[dict[str, Path], int]:
    """Make the copies not yet made; return every copy to publish (site path → made file) and how many
    images had to be made. Images are made in parallel when there are enough of them."""
    folder = made_folder()
    made = stamps.file_names(folder)  # one listing, not a look at each of thousands of copies
    publish: dict[str, Path] = {}
    missing: list[tuple[Path, ImageFile, Path]] = []
    for image in images_of(timeline).values():
        pic = picture(image)
        names = {variant.path: variant.path.rpartition("/")[2] for variant in (*pic.webp, *pic.fallback)}
        publish.update((path, folder / name) for path, name in names.items())
        if not made.issuperset(names.values()):
            missing.append((content_dir / image.path, image, folder))
    for failure in forked_map(_make, missing, least=IMAGES_PER_WORKER):
        if failure is not None:
            from timeline.errors import BuildError

            raise BuildError(failure)
    return dict(sorted(publish.items())), len(missing)


def _make(job: tuple[Path, ImageFile, Path]) -> str | None:
    """Make one image's copies; an error comes back as its message (the file changed since it was checked)."""
    source, image, folder = job
    try:
        make_copies(source.read_bytes(), image, folder)
    except (OSError, ValueError, SyntaxError) as exc:
        return f"{source}: cannot make the image's copies: {exc}"
    return None


def make_copies(data: bytes, image: ImageFile, folder: Path) -> None:
    """Decode `data` once; write each width as WebP and JPEG/PNG into `folder`, upright and without metadata."""
    from PIL import Image, ImageOps

    folder.mkdir(parents=True, exist_ok=True)
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)  # an animation: its first frame
        upright = ImageOps.exif_transpose(opened)
    mode = "RGBA" if image.transparent else "RGB"
    source = upright.convert(mode)  # a fresh image: no EXIF, no ICC profile, no comments travel with it
    pic = picture(image)
    for webp, fallback in zip(pic.webp, pic.fallback, strict=True):
        sized = source if webp.width == source.width else source.resize((webp.width, webp.height), Image.LANCZOS)
        _write(folder / Path(webp.path).name, sized, "WEBP", quality=WEBP_QUALITY)
        if image.transparent:
            _write(folder / Path(fallback.path).name, sized, "PNG", optimize=True)
        else:
            _write(
                folder / Path(fallback.path).name, sized, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
            )


def _write(target: Path, image, format: str, **options) -> None:
    """Written beside, then renamed: a build reading the folder meanwhile never sees half a file."""
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(buffer.getvalue())
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise
