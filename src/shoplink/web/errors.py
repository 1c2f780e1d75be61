"""One error handler per kind, answering problem+json on the API and a page on the web."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from shoplink import errors
from shoplink.config import API_PREFIX
from shoplink.web.pages import LoginRequired, login_url, web_state
from shoplink.web.templating import render

Handler = Callable[[Request, Exception], Awaitable[Response]]
_NOT_PAGES = (API_PREFIX + "/", "/static/", "/healthz", "/readyz", "/metrics", "/docs", "/openapi")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(_NOT_PAGES)


def _as_problem(exc: Exception) -> errors.DomainError:
    if isinstance(exc, errors.DomainError):
        return exc
    if isinstance(exc, RequestValidationError):
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        return errors.ValidationFailed(f"Invalid input: {fields}")
    if isinstance(exc, StarletteHTTPException) and exc.status_code == 404:
        return errors.NotFound("Page")
    if isinstance(exc, StarletteHTTPException):
        failure = errors.DomainError(str(exc.detail))
        failure.status, failure.code, failure.title = exc.status_code, "HTTP_ERROR", "Error"
        return failure
    failure = errors.DomainError("Unexpected error", next_action="Try again in a moment.")
    failure.status, failure.code, failure.title = 500, "INTERNAL", "Internal error"
    return failure


async def error_page(request: Request, exc: Exception) -> Response:
    if isinstance(exc, errors.Unauthenticated):
        return RedirectResponse(login_url(request.url.path), status_code=303)
    problem = _as_problem(exc)
    try:
        await web_state(request, request.state.session)
    except Exception:  # no session (e.g. outside the transaction): render without a caller
        return Response(problem.message, status_code=problem.status, media_type="text/plain")
    return render(request, "error.html", {"problem": problem}, status_code=problem.status)


def for_pages(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if is_page(request):
            return await error_page(request, exc)
        return await api_handler(request, exc)

    return handle


async def login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(login_url(exc.next_path), status_code=303)
