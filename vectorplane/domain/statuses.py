"""Status values. Each enum's values are the exact strings on the wire and in the store."""

from __future__ import annotations

from enum import StrEnum


class VectorDBStatus(StrEnum):
    PENDING = "pending"  # accepted, no worker has picked it up yet
    CREATING = "creating"  # a worker is bringing its server up
    ACTIVE = "active"  # its server answers ready; resizes and config updates keep this status
    ERRORED = "errored"  # an operation failed past its retries; status_reason says why
    DELETING = "deleting"  # being torn down; gone (404) once finished


class OperationKind(StrEnum):
    CREATE = "create"
    RESIZE = "resize"
    UPDATE_CONFIG = "update_config"
    DELETE = "delete"
    REPAIR = "repair"  # enqueued by the observer when an active VectorDB's server is gone


class OperationState(StrEnum):
    PENDING = "pending"  # waiting for a worker (or for its retry delay to pass)
    RUNNING = "running"  # claimed by a worker holding a lease
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # terminal; the VectorDB went errored
    SUPERSEDED = "superseded"  # dropped because a delete came after it


UNFINISHED_OPERATION_STATES = (OperationState.PENDING, OperationState.RUNNING)
