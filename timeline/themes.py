"""Themes: folders of templates and static files, stacked by `extends`.

`themes/<name>/theme.yaml` names a parent theme; templates are looked up in
the child first, then each parent, and `{% extends "!default/base.html" %}`
reaches one theme explicitly so a child can override a single block. Static
files merge parent first, child last. A project's own `themes/` folder is
searched before the themes shipped with the package.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.bccache import Bucket

from timeline import stamps
from timeline.cache import cache_folder
from timeline.errors import BuildError


def builtin_themes_dir() -> Path:
    """The themes shipped with the package (the checkout's themes/ when installed editable)."""
    # A folder without __init__.py is a namespace package, for which
    # resources.files() gives a MultiplexedPath, not a folder: ask for its location.
    spec = importlib.util.find_spec("timeline.builtin_themes")
    if spec is None or not spec.submodule_search_locations:  # running from a checkout without installing
        return Path(__file__).resolve().parent.parent / "themes"
    return Path(next(iter(spec.submodule_search_locations)))


@dataclass(frozen=True)
class Theme:
    name: str
    chain: tuple[Path, ...]
    """The theme's folder, then its parent's, and so on up to the root theme."""
    names: tuple[str, ...]


def available_themes(search_path: list[Path]) -> list[str]:
    names = {
        path.name
        for folder in search_path
        if folder.is_dir()
        for path in folder.iterdir()
        if (path / "templates").is_dir()
    }
    return sorted(names)


def resolve_theme(name: str, search_path: list[Path]) -> Theme:
    """Follow `extends` from `name` to the root theme; unknown names and cycles are errors."""
    chain: list[Path] = []
    names: list[str] = []
    current: str | None = name
    while current is not None:
        if current in names:
            loop = " → ".join(names + [current])
            raise BuildError(f"theme '{name}': the extends chain loops: {loop}")
        folder = next((root / current for root in search_path if (root / current / "templates").is_dir()), None)
        if folder is None:
            known = ", ".join(available_themes(search_path)) or "none"
            asked = f"theme '{current}'" + (f" (extended by '{names[-1]}')" if names else "")
            raise BuildError(f"{asked} does not exist; available themes: {known}")
        names.append(current)
        chain.append(folder)
        current = _parent(folder)
    return Theme(name=name, chain=tuple(chain), names=tuple(names))


def _parent(folder: Path) -> str | None:
    manifest = folder / "theme.yaml"
    if not manifest.is_file():
        return None
    try:
        data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BuildError(f"{manifest}: cannot read the theme manifest: {exc}") from None
    parent = data.get("extends") if isinstance(data, dict) else None
    if parent is not None and not isinstance(parent, str):
        raise BuildError(f"{manifest}: extends: expected a theme name")
    return parent


def make_environment(theme: Theme, overrides: Path | None = None) -> Environment:
    """One strict Jinja environment for the theme stack; compiled templates are cached in it."""
    folders = ([overrides] if overrides is not None and overrides.is_dir() else []) + [
        path / "templates" for path in theme.chain
    ]
    loader = ChoiceLoader(
        [
            FileSystemLoader([str(folder) for folder in folders]),
            PrefixLoader(
                {
                    f"!{name}": FileSystemLoader(str(path / "templates"))
                    for name, path in zip(theme.names, theme.chain, strict=False)
                }
            ),
        ]
    )
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        # The engine makes a new environment when a template changes; asking the
        # disk on every page (four templates each) would cost a stat per template.
        auto_reload=False,
        bytecode_cache=_CompiledTemplates(),
    )
    env.extend(theme_folders=theme.chain)  # where the render stage finds the message catalogues
    return env


class _CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once, kept by their source's checksum in the user's cache folder.

    Compiling the theme's templates takes a quarter of a second, in every
    process that renders. A copy that cannot be written or read only means
    compiling again.
    """

    def __init__(self) -> None:
        folder = cache_folder() / "templates"
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a truncated or foreign file: compile
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def static_files(theme: Theme) -> dict[str, Path]:
    """Every static file of the stack by its output path, plainly named and fingerprinted.

    A child's file replaces its parent's. Pages link the fingerprinted copy
    (`static/style.3f2a9c1e.css`), which can be cached for ever; the plain
    name is kept for addresses other sites hold (`static/embed.js`).
    """
    sources = _static_sources(theme.chain)
    files = {f"static/{name}": path for name, path in sources.items()}
    files.update({asset: sources[name] for name, asset in _fingerprinted(sources).items()})
    return files


def asset_paths(chain: tuple[Path, ...]) -> dict[str, str]:
    """Each static file's fingerprinted output path, by its name in static/: `style.css` → `static/style.3f2a9c1e0b.css`."""
    return _fingerprinted(_static_sources(chain))


def _fingerprinted(sources: dict[str, Path]) -> dict[str, str]:
    paths = {}
    for name, path in sources.items():
        digest = stamps.file_digest(path)[:10]
        stem, dot, extension = name.rpartition(".")
        paths[name] = f"static/{stem}.{digest}.{extension}" if dot and stem else f"static/{name}.{digest}"
    return paths


def _static_sources(chain: tuple[Path, ...]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for folder in reversed(chain):
        static = folder / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(static).as_posix()] = path
    return files
