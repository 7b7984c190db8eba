"""Which handler runs each kind of operation, and what a failure means for the VectorDB."""

from __future__ import annotations

from collections.abc import Callable

from vectorplane.domain.statuses import OperationKind
from vectorplane.reconciler import backup_handlers, handlers
from vectorplane.reconciler.handlers import StepContext

HANDLERS: dict[OperationKind, Callable[[StepContext], str]] = {
    OperationKind.CREATE: handlers.converge,
    OperationKind.RESIZE: handlers.converge,
    OperationKind.UPDATE_CONFIG: handlers.converge,
    OperationKind.REPAIR: handlers.converge,
    OperationKind.DELETE: handlers.delete,
    OperationKind.BACKUP: backup_handlers.backup,
    OperationKind.RESTORE: backup_handlers.restore,
    OperationKind.FORK: backup_handlers.fork,
}

# A failed backup or restore is reported on its own record; the VectorDB keeps serving.
# Every other failure leaves the VectorDB errored.
FAILURE_LEAVES_ACTIVE = frozenset({OperationKind.BACKUP, OperationKind.RESTORE})
