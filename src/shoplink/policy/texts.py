"""Marks a text for translation without translating it here: the rules stay pure and answer
in English (the API's language); `make messages` extracts every `N_("…")` and the pages show
it in the reader's language, filled with the same %(name)s parameters."""

from __future__ import annotations


# N_ is the gettext convention for "translate later".
def N_(text: str) -> str:
    return text
