"""The interface in the timeline's language: each theme's message catalogues, and the text's direction.

A theme keeps its translations as gettext catalogues,
`locale/<language>/LC_MESSAGES/messages.po`, which `pybabel` extracts,
updates and translators' tools read. A child theme's catalogue is laid over
its parents': it translates its own strings and may reword theirs. `fr-CA`
falls back to `fr`, then to the templates' own English.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from timeline import stamps
from timeline.errors import BuildError

CATALOGUE = Path("LC_MESSAGES") / "messages.po"


def translations(theme_folders: tuple[Path, ...], locale: str) -> NullTranslations:
    """The interface strings for `locale` (`fr_CA`), from the themes' catalogues, child over parent.

    `theme_folders`: the theme's folder first, then its parents' (Theme.chain).
    """
    files = []
    for folder in reversed(theme_folders):  # parents first, so the child's entries win
        for candidate in _fallbacks(locale):
            path = folder / "locale" / candidate / CATALOGUE
            if path.is_file():
                files.append(path)
                break
    if not files:
        return NullTranslations()
    return _compiled(tuple((str(path), stamps.file_stamp(path)) for path in files), locale)


@lru_cache(maxsize=16)
def _compiled(versions: tuple[tuple[str, stamps.Stamp | None], ...], locale: str) -> Translations:
    """The merged catalogues, read once per version of their files."""
    merged = None
    for name, _ in versions:
        path = Path(name)
        try:
            with path.open("rb") as stream:
                catalogue = read_po(stream, locale=locale, abort_invalid=True)
        except Exception as exc:  # babel raises plain errors for a broken file
            raise BuildError(f"{path}: cannot read the message catalogue: {exc}") from None
        if merged is None:
            merged = catalogue
            continue
        for message in catalogue:
            if not message.id or not message.string:
                continue
            existing = merged.get(message.id)
            if existing is None:
                merged[message.id] = message
            else:  # setting an existing id would keep its old translation
                existing.string = message.string
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def _fallbacks(locale: str) -> list[str]:
    """`fr_CA` → [`fr_CA`, `fr`]; `en` → [`en`]."""
    language = locale.split("_")[0]
    return [locale, language] if language != locale else [locale]


@lru_cache(maxsize=64)
def direction(locale: str) -> str:
    """`rtl` for languages written right to left (Arabic, Hebrew, Persian…), else `ltr`."""
    try:
        order = Locale.parse(locale).character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"
