"""Building the FastAPI application: routes, the error envelope, request ids, rate limits."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from vectorplane.api import backups, errors, vector_dbs
from vectorplane.api.auth import rate_limit_key
from vectorplane.api.ratelimit import RateLimits
from vectorplane.domain.clock import Clock
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store.database import Store

logger = logging.getLogger(__name__)


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
        if not verdict.allowed:
            response: Response = errors.envelope(
                request, 429, "too_many_requests", "API rate limit exceeded.",
                headers={"retry-after": str(verdict.retry_after)},
            )  # fmt: skip
        else:
            try:
                response = await call_next(request)
            except Exception:
                # Rendered here rather than by Starlette's outermost handler, so that a 500
                # also carries the rate-limit headers and the request id.
                logger.exception("Unhandled error in %s %s", request.method, request.url.path)
                response = errors.envelope(
                    request, 500, "server_error", "Unexpected server-side error"
                )
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
