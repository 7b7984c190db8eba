"""vectorplane's errors, in one small tree.

    VectorPlaneError
    ├── ApiError                 carries a DigitalOcean error id and an HTTP status
    │   ├── BadRequest           400 bad_request
    │   ├── Unauthorized         401 unauthorized
    │   ├── Forbidden            403 forbidden
    │   ├── NotFound             404 not_found
    │   ├── Conflict             409 conflict
    │   ├── PayloadTooLarge      413 payload_too_large
    │   ├── Unprocessable        422 unprocessable_entity
    │   └── TooManyRequests      429 too_many_requests
    ├── StepError                raised by a reconciler step
    │   ├── RetryLater           temporary: the operation is retried after a delay
    │   └── PermanentFailure     terminal: the VectorDB goes errored with this reason
    └── EngineError              building or locating a weaviate-server binary failed

Errors from libraries (SQLAlchemy, OS, HTTP) are translated into these where the call is made.
"""

from __future__ import annotations


class VectorPlaneError(Exception):
    """Base of every error vectorplane raises on purpose."""


class ApiError(VectorPlaneError):
    status_code = 500
    error_id = "server_error"
    default_message = "Unexpected server-side error"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class BadRequest(ApiError):
    status_code = 400
    error_id = "bad_request"
    default_message = "The request could not be understood."


class Unauthorized(ApiError):
    status_code = 401
    error_id = "unauthorized"
    default_message = "Unable to authenticate you."


class Forbidden(ApiError):
    status_code = 403
    error_id = "forbidden"
    default_message = "You are not authorized to perform this operation."


class NotFound(ApiError):
    status_code = 404
    error_id = "not_found"
    default_message = "The resource you requested could not be found."


class Conflict(ApiError):
    status_code = 409
    error_id = "conflict"
    default_message = "The request conflicts with an operation in progress."


class PayloadTooLarge(ApiError):
    status_code = 413
    error_id = "payload_too_large"
    default_message = "The request body is too large."


class Unprocessable(ApiError):
    status_code = 422
    error_id = "unprocessable_entity"
    default_message = "The request was well-formed but contained invalid values."


class TooManyRequests(ApiError):
    status_code = 429
    error_id = "too_many_requests"
    default_message = "API rate limit exceeded."


class StepError(VectorPlaneError):
    """Raised by a reconciler step; the subclass says what happens next."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class RetryLater(StepError):
    """Temporary: the operation is retried with backoff until its attempts run out."""


class PermanentFailure(StepError):
    """Terminal: no retry can help; the VectorDB goes errored with this reason."""


class EngineError(VectorPlaneError):
    """The Weaviate server binary could not be built or found."""
