"""Merge Chinese translations into the catalogue: `python tools/translate.py FILE.py`, where
FILE.py defines ZH = {english: chinese}. Used with `make messages`, which extracts new msgids."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path("src/shoplink/translations/zh_Hans/LC_MESSAGES/messages.po")


def main(source: str) -> None:
    new = runpy.run_path(source)["ZH"]
    with PO.open("rb") as fp:
        catalog = read_po(fp, locale="zh_Hans")
    for english, chinese in new.items():
        message = catalog.get(english)
        if message is None:
            catalog.add(english, chinese)
        else:
            message.string = chinese
    with PO.open("wb") as fp:
        write_po(fp, catalog, width=0, no_location=True)  # as `make messages` (--no-wrap)


if __name__ == "__main__":
    main(sys.argv[1])
