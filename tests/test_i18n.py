"""The interface in the timeline's language: French shipped, every string translated, right-to-left marked."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2.ext
import pytest
from babel.messages.pofile import read_po

from timeline.themes import builtin_themes_dir

THEMES = sorted(path for path in builtin_themes_dir().iterdir() if (path / "templates").is_dir())
NARROW = "[\u202f\u00a0 ]"
"""Babel writes French thousands and the space before £ as narrow no-break spaces."""


def _extracted(theme: Path) -> set:
    """Every message the theme's templates mark for translation."""
    found = set()
    for template in sorted((theme / "templates").rglob("*.html")):
        with template.open("rb") as stream:
            options = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
            for _, _, message, _ in jinja2.ext.babel_extract(stream, ("_", "gettext", "ngettext"), [], options):
                if not isinstance(message, str):  # (singular, plural, None for each other argument)
                    message = tuple(part for part in message if part is not None)
                    message = message[0] if len(message) == 1 else message
                found.add(message)
    return found


def _catalogue(path: Path):
    with path.open("rb") as stream:
        return read_po(stream)


@pytest.mark.parametrize("theme", THEMES, ids=lambda path: path.name)
def test_the_message_template_is_up_to_date(theme):
    """`make messages` was run after the last change to a string."""
    extracted = _extracted(theme)
    if not extracted:
        pytest.skip("the theme has no strings of its own")
    template = {
        message.id if isinstance(message.id, str) else tuple(message.id)
        for message in _catalogue(theme / "locale/messages.pot")
        if message.id
    }
    assert template == extracted


@pytest.mark.parametrize("theme", THEMES, ids=lambda path: path.name)
def test_every_string_has_a_french_translation(theme):
    extracted = _extracted(theme)
    if not extracted:
        pytest.skip("the theme has no strings of its own")
    french = {
        (message.id if isinstance(message.id, str) else tuple(message.id)): message.string
        for message in _catalogue(theme / "locale/fr/LC_MESSAGES/messages.po")
        if message.id
    }
    missing = sorted(
        str(message)
        for message in extracted
        if not french.get(message)
        or not all(french[message] if isinstance(french[message], tuple) else [french[message]])
    )
    assert not missing
    for message, translation in french.items():  # the placeholders survive translation
        originals = message if isinstance(message, tuple) else (message,)
        translations = translation if isinstance(translation, tuple) else (translation,)
        for text in translations:
            assert set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", text)) == set(
                re.findall(r"%\(\w+\)[sd]|\{\w+\}", originals[-1])
            ), message


def _language(project: Path, language: str) -> None:
    timeline = project / "content/timeline.yaml"
    timeline.write_text(
        re.sub(r"^language: .*$", f"language: {language}", timeline.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )


def test_a_french_timeline_reads_in_french(run, sample_site):
    project = sample_site()
    _language(project, "fr")
    assert run(["build"], cwd=project).code == 0, "the build failed"
    index = (project / "site/index.html").read_text(encoding="utf-8")
    fine = (project / "site/events/2022-05-23-final-fine/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in index
    assert ">Chronologie</a>" in index
    assert "<summary>Filtrer la chronologie</summary>" in index
    assert '<time datetime="2020-07">juillet 2020</time>' in index
    assert '<time datetime="2022-05-23">23 mai 2022</time>' in fine
    # Grouped with narrow spaces, the symbol after the figure; CLDR's French symbol for the pound is "£GB".
    assert re.search(
        f'<data class="amount-full" value="7552800 GBP">7{NARROW}552{NARROW}800{NARROW}£GB</data>', fine
    ), fine
    assert "<dt>Montant</dt>" in fine
    assert '<h2 id="sources">Sources</h2>' in fine
    assert "Royaume-Uni" in fine  # the country, named in French
    assert 'data-some="{shown} événements affichés sur {total}."' in index  # the filters' sentences, for timeline.js


def test_an_english_timeline_is_untouched_by_the_catalogues(run, sample_site):
    project = sample_site()
    assert run(["build"], cwd=project).code == 0
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB" dir="ltr">' in index
    assert ">Timeline</a>" in index


def test_a_regional_french_falls_back_to_french(run, sample_site):
    project = sample_site()
    _language(project, "fr-CA")
    assert run(["build"], cwd=project).code == 0
    assert ">Chronologie</a>" in (project / "site/index.html").read_text(encoding="utf-8")


def test_a_right_to_left_language_is_marked_so(run, sample_site):
    """No Arabic catalogue ships: the strings stay English, but dates and direction follow the language."""
    project = sample_site()
    _language(project, "ar")
    assert run(["build"], cwd=project).code == 0
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in index
    embed = (project / "site/embed/index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl" class="embedded">' in embed


def test_a_child_theme_catalogue_rewords_a_parent_string(run, make_project):
    project = make_project({
        "themes/mine/theme.yaml": "name: mine\nextends: default\n",
        "themes/mine/templates/.keep": "",
        "themes/mine/locale/fr/LC_MESSAGES/messages.po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Timeline"\nmsgstr "Frise"\n',
    })  # fmt: skip
    _language(project, "fr")
    assert run(["build", "--theme", "mine"], cwd=project).code == 0
    index = (project / "site/index.html").read_text(encoding="utf-8")
    assert ">Frise</a>" in index
    assert "<summary>Filtrer la chronologie</summary>" in index


def test_a_broken_catalogue_is_a_build_error_naming_it(run, make_project):
    project = make_project({
        "themes/mine/theme.yaml": "name: mine\nextends: default\n",
        "themes/mine/templates/.keep": "",
        "themes/mine/locale/fr/LC_MESSAGES/messages.po": 'msgid "Timeline"\nmsgstr "Frise"\nthis line is not gettext\n',
    })  # fmt: skip
    _language(project, "fr")
    result = run(["build", "--theme", "mine"], cwd=project)
    assert result.code == 1
    assert re.match(
        r"error: \S*themes/mine/locale/fr/LC_MESSAGES/messages\.po: cannot read the message catalogue: ", result.err
    ), result.err
    assert "Traceback" not in result.err
