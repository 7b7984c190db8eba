"""The error envelope: every error leaves the API as {"id", "message", "request_id"}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from vectorplane.domain.errors import ApiError, NotFound

logger = logging.getLogger(__name__)

STATUS_IDS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "too_many_requests",
}


def envelope(
    request: Request, status: int, error_id: str, message: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:  # fmt: skip
    request_id = getattr(request.state, "request_id", "")
    return JSONResponse(
        {"id": error_id, "message": message, "request_id": request_id},
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return envelope(request, exc.status_code, exc.error_id, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return envelope(request, 400, "bad_request", "The request body is not valid JSON.")
        return envelope(request, 422, "unprocessable_entity", _describe(errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        error_id = STATUS_IDS.get(exc.status_code, "error")
        message = NotFound().message if exc.status_code == 404 else str(exc.detail)
        return envelope(request, exc.status_code, error_id, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Logged once with its traceback; the client only sees the envelope.
        logger.error("Unhandled error in %s %s", request.method, request.url.path, exc_info=exc)
        return envelope(request, 500, "server_error", "Unexpected server-side error")


def _describe(errors: Any) -> str:
    parts = []
    for error in errors:
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(location) or "body"
        if error.get("type") == "missing":
            parts.append(f"{field} is required")
        else:
            parts.append(f"{field}: {error.get('msg', 'invalid value')}")
    return "Invalid request: " + "; ".join(parts) + "."
