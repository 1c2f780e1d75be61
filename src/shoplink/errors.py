"""One error type for every refusal, rendered as RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shoplink.policy.texts import fill

PROBLEM_JSON = "application/problem+json"


class DomainError(Exception):
    status = 409
    code = "CONFLICT"
    title = "Conflict"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        next_action: str | None = None,
        extra: dict[str, Any] | None = None,
        params: Mapping[str, object] | None = None,
        violations: Sequence[Any] = (),
    ) -> None:
        # `message` and `next_action` are %(name)s templates (msgids) filled from `params`:
        # the API answers in English, a page translates the template first.
        self.params = dict(params or {})
        self.message_template = message
        self.next_action_template = next_action or ""
        self.message = fill(message, self.params)
        self.next_action = fill(self.next_action_template, self.params)
        super().__init__(self.message)
        if code:
            self.code = code
        self.extra = extra or {}
        # Every rule that refused, as objects with code and templates (policy.rules.Violation).
        self.violations = list(violations)

    def to_problem(self) -> dict[str, Any]:
        return problem(
            status=self.status,
            code=self.code,
            title=self.title,
            detail=self.message,
            next_action=self.next_action,
            **self.extra,
        )


class RuleViolation(DomainError):
    """A business rule refused the action (always 409, `code` from SPEC §3)."""

    title = "Rule violation"


class NotFound(DomainError):
    status = 404
    code = "NOT_FOUND"
    title = "Not found"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found", next_action="Check the identifier.")


class Unauthenticated(DomainError):
    status = 401
    code = "UNAUTHENTICATED"
    title = "Unauthenticated"

    def __init__(self, message: str = "Missing or invalid bearer token") -> None:
        super().__init__(message, next_action="Log in with POST /api/v1/auth/token.")


class Forbidden(DomainError):
    status = 403
    code = "FORBIDDEN"
    title = "Forbidden"

    def __init__(self, message: str = "You may not do this") -> None:
        super().__init__(message, next_action="Ask someone with the right role.")


class ValidationFailed(DomainError):
    status = 422
    code = "VALIDATION_ERROR"
    title = "Validation error"

    def __init__(self, message: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(
            message, next_action="Fix the listed fields and retry.", extra={"errors": errors or []}
        )


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "IDEMPOTENCY_KEY_REUSED"
    title = "Idempotency key reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was used with a different request",
            next_action="Use a new Idempotency-Key for a different request.",
        )


class RateLimited(DomainError):
    status = 429
    code = "RATE_LIMITED"
    title = "Too many requests"

    def __init__(self) -> None:
        super().__init__("Too many requests", next_action="Wait a minute and retry.")


class PayloadTooLarge(DomainError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"
    title = "Payload too large"

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The request body is larger than {limit} bytes",
            next_action="Send a smaller body (split a large import into several files).",
        )


class UnsupportedMediaType(DomainError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    title = "Unsupported media type"

    def __init__(self, accepted: str) -> None:
        super().__init__(
            f"Send the body as {accepted}", next_action=f"Set Content-Type to {accepted}."
        )


def problem(
    *, status: int, code: str, title: str, detail: str, next_action: str = "", **extra: Any
) -> dict[str, Any]:
    return {
        "type": f"https://shoplink.dev/problems/{code.lower().replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "next_action": next_action,
        **extra,
    }


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


async def domain_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(exc.to_problem())


async def validation_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]}
        for err in exc.errors()
    ]
    fields = ", ".join(e["field"] for e in errors)
    return problem_response(
        ValidationFailed(f"Invalid input: {fields}", errors=errors).to_problem()
    )


_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


async def http_error_handler(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
    body = problem(
        status=exc.status_code,
        code=code,
        title=code.replace("_", " ").title(),
        detail=str(exc.detail),
    )
    return problem_response(body, headers=getattr(exc, "headers", None))


async def unexpected_error_handler(_: Request, exc: Exception) -> JSONResponse:
    body = problem(status=500, code="INTERNAL", title="Internal error", detail="Unexpected error")
    return problem_response(body)


def refuse_if_any(violations: list[Any]) -> None:
    """Raise the first rule violation, listing every one (objects with code/message/next_action)."""
    if not violations:
        return
    first = violations[0]
    raise RuleViolation(
        first.message_template,
        code=first.code,
        next_action=first.next_action_template,
        params=first.params,
        violations=violations,
        extra={
            "violations": [
                {"code": v.code, "message": v.message, "next_action": v.next_action}
                for v in violations
            ]
        },
    )
