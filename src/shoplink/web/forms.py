"""Reading HTML forms: fields as bounded text, Pydantic errors by field, refusals undone."""

from __future__ import annotations

from pydantic import ValidationError
from starlette.datastructures import FormData

from shoplink.errors import DomainError
from shoplink.web.pages import PageContext


def form_text(form: FormData, name: str, limit: int = 5000) -> str:
    """A form field as text (files and missing fields read as empty), cut to a sane length."""
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors by field name, for showing next to each input."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "form"
        errors.setdefault(name, error["msg"].removeprefix("Value error, "))
    return errors


async def refused(ctx: PageContext, exc: DomainError) -> int:
    """Forget whatever the refused call did in this session (so the page shown next reads the
    real state; the middleware rolls the request back anyway) and return its status."""
    await ctx.session.rollback()
    return exc.status
