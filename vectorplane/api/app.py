"""Building the FastAPI application: routes, the error envelope, request ids, rate limits."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from vectorplane.api import backups, errors, vector_dbs
from vectorplane.api.auth import authenticate, rate_limit_key
from vectorplane.api.ratelimit import RateLimits
from vectorplane.domain.clock import Clock
from vectorplane.domain.errors import ApiError, PayloadTooLarge
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store.database import Store

logger = logging.getLogger(__name__)

API_PREFIX = "/v2/"
# Request bodies here are a few hundred bytes; a megabyte leaves room and stops abuse.
# Limitation: only the Content-Length header is checked; a chunked body without one is read
# whole by the route. A reverse proxy's body limit covers that case.
MAX_BODY_BYTES = 1024 * 1024


def create_app(
    settings: Settings,
    store: Store,
    box: SecretBox,
    clock: Clock,
    poke: Callable[[], None] | None = None,
) -> FastAPI:
    """The API over `store`. `poke` wakes the reconciler after an operation is enqueued."""
    app = FastAPI(
        title="vectorplane",
        version="0.1.0",
        description="A DigitalOcean-compatible Vector Databases API backed by real Weaviate.",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.box = box
    app.state.clock = clock
    app.state.poke = poke
    limits = RateLimits(
        settings.rate_limit_per_hour,
        settings.rate_limit_per_minute,
        settings.rate_limit_storage_url,
    )

    errors.install(app)
    app.include_router(vector_dbs.router)
    app.include_router(backups.router)

    @app.middleware("http")
    async def _per_request(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.request_id = str(uuid.uuid4())
        started = time.monotonic()
        verdict = await run_in_threadpool(limits.hit, rate_limit_key(request))
        response: Response
        if not verdict.allowed:
            response = errors.envelope(
                request, 429, "too_many_requests", "API rate limit exceeded.",
                headers={"retry-after": str(verdict.retry_after)},
            )  # fmt: skip
        else:
            response = await _guarded(request, call_next)
        response.headers.update(verdict.headers)
        response.headers["x-request-id"] = request.state.request_id
        logger.info(
            "%s %s -> %d in %.1f ms (request_id=%s token_id=%s)",
            request.method, request.url.path, response.status_code,
            (time.monotonic() - started) * 1000, request.state.request_id,
            getattr(request.state, "token_id", "-"),
        )  # fmt: skip
        return response

    return app


async def _guarded(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Authenticate API calls before anything reads their body, then run the route."""
    try:
        if request.url.path.startswith(API_PREFIX):
            request.state.principal = await run_in_threadpool(authenticate, request)
            length = request.headers.get("content-length", "0")
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                raise PayloadTooLarge()
        return await call_next(request)
    except ApiError as exc:
        return errors.envelope(request, exc.status_code, exc.error_id, exc.message)
    except Exception:
        # Rendered here rather than by Starlette's outermost handler, so that a 500 also
        # carries the rate-limit headers and the request id.
        logger.exception("Unhandled error in %s %s", request.method, request.url.path)
        return errors.envelope(request, 500, "server_error", "Unexpected server-side error")
