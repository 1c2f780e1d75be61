"""Every text the pages show is translated into Simplified Chinese, with the same
placeholders, and the language is chosen as a person expects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from shoplink.web import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src/shoplink/translations/zh_Hans/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    method_map = [("src/shoplink/**.py", "python"), ("src/shoplink/templates/**.html", "jinja2")]
    options = {
        "src/shoplink/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    }
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options, keywords=keywords):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_page_text_has_a_chinese_translation() -> None:
    with PO.open("rb") as fp:
        catalog = read_po(fp)
    # A fuzzy entry is pybabel's guess from a similar text: not a translation until checked.
    missing = sorted(
        m
        for m in _extracted()
        if not (catalog.get(m) and catalog.get(m).string and not catalog.get(m).fuzzy)
    )
    assert not missing, f"untranslated (run `make messages`, then translate): {missing}"


def test_translations_keep_their_placeholders() -> None:
    with PO.open("rb") as fp:
        catalog = read_po(fp)
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string:
            assert set(PLACEHOLDER.findall(message.id)) == set(
                PLACEHOLDER.findall(str(message.string))
            ), message.id


@pytest.mark.parametrize(
    ("cookie", "header", "chosen"),
    [
        (None, None, "en"),
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        (None, "en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        (None, "fr-FR, zh;q=0.5", "zh-Hans"),
        (None, "de-DE", "en"),
        ("en", "zh-CN", "en"),
        ("zh-Hans", "en-US", "zh-Hans"),
        ("xx", "zh-Hans-CN", "zh-Hans"),
        (None, "garbage;;q=x,", "en"),
    ],
)
def test_language_is_chosen_by_the_switch_then_the_browser(
    cookie: str | None, header: str | None, chosen: str
) -> None:
    assert i18n.choose(cookie, header) == chosen
