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
    BACKUP = "backup"  # scheduled, on demand, or the fresh backup a fork asked for
    RESTORE = "restore"
    FORK = "fork"  # runs on the new VectorDB: create it, then restore a backup of the source


class OperationState(StrEnum):
    PENDING = "pending"  # waiting for a worker (or for its retry delay to pass)
    RUNNING = "running"  # claimed by a worker holding a lease
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # terminal; the VectorDB went errored
    SUPERSEDED = "superseded"  # dropped because a delete came after it


# StrEnum members equal their wire strings, so these work with `in` on stored values and in
# SQL IN clauses alike.
UNFINISHED_OPERATION_STATES = frozenset({OperationState.PENDING, OperationState.RUNNING})


class BackupStatus(StrEnum):
    """Weaviate's backup and restore statuses, used as-is for both."""

    STARTED = "STARTED"  # accepted; the engine is preparing
    TRANSFERRING = "TRANSFERRING"  # files are being copied to (or from) storage
    TRANSFERRED = "TRANSFERRED"  # files copied; metadata not yet final
    FINALIZING = "FINALIZING"  # writing the final metadata
    SUCCESS = "SUCCESS"  # done and usable
    FAILED = "FAILED"  # ended in error; `error` says why
    CANCELLING = "CANCELLING"  # a cancel was asked for and is under way
    CANCELED = "CANCELED"  # ended by a cancel


FINAL_BACKUP_STATUSES = frozenset(
    {BackupStatus.SUCCESS, BackupStatus.FAILED, BackupStatus.CANCELED}
)


class BackupKind(StrEnum):
    SCHEDULED = "scheduled"  # taken by the daily schedule
    ON_DEMAND = "on_demand"  # asked for through the API
    FORK = "fork"  # a fork's FRESH_BACKUP; deleted once the fork has restored it
