"""An image in the project, checked before anything is built from it: where it is, what it is, how big.

The validate stage and `fetch-media` ask here. An image is one file inside
the content folder, reached through no symbolic link, that Pillow opens as a
JPEG, PNG, GIF or WebP within the limits below: a pull request is untrusted
input, and a few kilobytes of PNG can claim to be a billion pixels (a
decompression bomb), so the size in the file's header is checked before a
single pixel is decoded.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import warnings
from pathlib import Path, PurePosixPath

from timeline.model import ImageFile

MAX_BYTES = 20 * 1024 * 1024
"""An image file's size, at most: a photograph straight from a camera fits."""
MAX_PIXELS = 50_000_000
"""Width × height, at most (e.g. 8,660 × 5,773): decoding holds every pixel in memory."""
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
"""What browsers show and Pillow decodes; no other decoder is ever run on content."""
_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: its width and height swap."""


class ImageProblem(Exception):
    """Why a file cannot be published as an image: the message names the file and says what to do."""


def find_image(content_dir: Path, relative: str) -> tuple[Path, ImageFile]:
    """The image at `relative` (POSIX, inside `content_dir`), checked; ImageProblem says what is wrong."""
    shown = f"{content_dir.name}/{relative}"
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise ImageProblem(f"'{relative}' must be a path inside the content folder, like media/picture.jpg")
    path = content_dir
    for part in parts:
        path = path / part
        if path.is_symlink():
            raise ImageProblem(
                f"{content_dir.name}/{path.relative_to(content_dir).as_posix()} is a symbolic link; "
                "links are never followed or published: copy the image into the content folder instead"
            )
    if not path.exists():
        raise ImageProblem(f"{shown} does not exist{_nearby(path)}; the path is relative to the content folder")
    if not path.is_file():
        raise ImageProblem(f"{shown} is not a file")
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ImageProblem(f"{shown} cannot be read: {exc.strerror or exc}") from None
    return path, inspect_image(data, relative, shown)


def inspect_image(data: bytes, relative: str, shown: str) -> ImageFile:
    """What `data` holds as an image within the limits; ImageProblem (naming `shown`) if it is not one."""
    from PIL import Image, UnidentifiedImageError  # only when the timeline has images

    if len(data) > MAX_BYTES:
        raise ImageProblem(
            f"{shown} is larger than {_size(MAX_BYTES)}, the most an image may be; "
            "save it smaller (a published picture rarely needs more than 2,000 pixels across)"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageProblem(
                        f"{shown} is {width:,} × {height:,} pixels; images may have at most "
                        f"{MAX_PIXELS:,} pixels: scale it down before adding it"
                    )
                orientation = image.getexif().get(0x0112)
                transparent = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
                image.load()  # decodes it: a truncated or damaged file is found now, not while building
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(
            f"{shown} claims far more pixels than an image may have ({MAX_PIXELS:,}), "
            "as a decompression bomb does; it is not opened: scale it down before adding it"
        ) from None
    except UnidentifiedImageError:
        raise ImageProblem(f"{shown} is not an image this tool publishes: use a JPEG, PNG, GIF or WebP file") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"{shown} is damaged or incomplete ({exc}); save it again from the original") from None
    if orientation in _ROTATED:
        width, height = height, width
    return ImageFile(relative, hashlib.sha256(data).hexdigest(), width, height, transparent)


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count / 1024:g} KB"


def _nearby(path: Path) -> str:
    """`(did you mean x.jpg?)` from the names in the same folder."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1)
    return f" (did you mean {close[0]}?)" if close else ""
