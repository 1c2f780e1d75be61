"""Marks a text for translation without translating it here: the rules stay pure and answer
in English (the API's language); `make messages` extracts every `N_("…")` and the pages show
it in the reader's language, filled with the same %(name)s parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime


# N_ is the gettext convention for "translate later".
def N_(text: str) -> str:
    return text


def fill(
    template: str,
    params: Mapping[str, object],
    *,
    when: Callable[[datetime], str] = datetime.isoformat,
) -> str:
    """The template with its %(name)s values; times as `when` writes them (ISO 8601 for the
    API, something friendlier on a page)."""
    if not params:
        return template
    return template % {k: when(v) if isinstance(v, datetime) else v for k, v in params.items()}
