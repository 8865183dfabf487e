"""Slugs: the part of a file name and an address made from a title."""

from __future__ import annotations

import re
import unicodedata


def slugify(title: str, limit: int = 60) -> str:
    """`ICO fines Clearview AI £7.5m` → `ico-fines-clearview-ai-7-5m`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:limit].rstrip("-")
