"""Packaging: the top-level themes/ folder ships inside the package as timeline.builtin_themes.

pyproject.toml holds everything else. Only the package list lives here,
because it follows the folders: setuptools ships a folder's files only when
the folder is listed as a package, and themes keep adding folders
(templates/, static/, locale/<language>/LC_MESSAGES/).
"""

from setuptools import find_namespace_packages, setup

THEMES = "timeline.builtin_themes"

setup(
    packages=[
        *find_namespace_packages(include=["timeline", "timeline.*"], exclude=["*__pycache__"]),
        THEMES,
        *(f"{THEMES}.{name}" for name in find_namespace_packages(where="themes", exclude=["*__pycache__"])),
    ],
    package_dir={THEMES: "themes"},
)
