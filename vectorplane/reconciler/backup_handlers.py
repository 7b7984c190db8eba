"""Backup, restore and fork operations, as idempotent steps over Weaviate's backup API.

Progress is mirrored into the Backup and Restore rows as Weaviate reports it, so the API can
answer status questions without asking the server, also after a control-plane restart.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from vectorplane.domain.errors import PermanentFailure, RetryLater
from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.statuses import (
    FINAL_BACKUP_STATUSES,
    BackupKind,
    BackupStatus,
    OperationKind,
    VectorDBStatus,
)
from vectorplane.reconciler.handlers import StepContext, bring_up, mark_active, poll_until
from vectorplane.reconciler.specs import server_spec
from vectorplane.runtime.base import ServerSpec
from vectorplane.store import backups, operations
from vectorplane.store.tables import Backup, Operation, Placement, Restore, VectorDB


def backup(ctx: StepContext) -> str:
    deps = ctx.deps
    backup_id = str(ctx.params["backup_id"])

    ctx.enter_step("load")
    with deps.store.session() as session:
        row = _backup_row(session, backup_id)
        if row.status in FINAL_BACKUP_STATUSES:
            return f"backup {backup_id} already {row.status}"
    spec = _running_spec(ctx, ctx.vector_db_id)

    ctx.enter_step("start")
    if not deps.engine_backups.collections(spec.ports, spec.operator_key):
        # Weaviate refuses to back up a server with no collections; the backup of an empty
        # VectorDB is recorded without files, and restoring it empties the VectorDB.
        _finish_backup(ctx, backup_id, BackupStatus.SUCCESS, "", empty=True)
        return f"backup {backup_id} of an empty vector database recorded"
    backend, engine = deps.storage.backend, deps.engine_backups
    engine.start_backup(spec.ports, spec.operator_key, backend, backup_id)

    def finished() -> str | None:
        status = engine.backup_status(spec.ports, spec.operator_key, backend, backup_id)
        if status.status not in FINAL_BACKUP_STATUSES:
            _set_backup_status(ctx, backup_id, status.status)
            return None
        _finish_backup(ctx, backup_id, BackupStatus(status.status), status.error)
        if status.status != BackupStatus.SUCCESS:
            raise PermanentFailure(f"backup {backup_id} ended {status.status}: {status.error}")
        return f"backup {backup_id} succeeded"

    ctx.enter_step("await_backup")
    return poll_until(ctx, "await_backup", deps.settings.backup_timeout_seconds, finished)


def restore(ctx: StepContext) -> str:
    spec = _running_spec(ctx, ctx.vector_db_id)
    outcome = _restore_into(ctx, spec, str(ctx.params["restore_id"]))
    return f"restore {outcome}"


def fork(ctx: StepContext) -> str:
    """Bring up the new VectorDB, restore the chosen backup of the source into it."""
    deps = ctx.deps
    source_id = VectorDBId(str(ctx.params["source_id"]))

    ctx.enter_step("choose_backup")
    backup_id = _fork_backup_id(ctx, source_id)
    _await_backup_success(ctx, backup_id)

    spec = bring_up(ctx)
    restore_id = _fork_restore_id(ctx, backup_id)
    outcome = _restore_into(ctx, spec, restore_id)
    if outcome != BackupStatus.SUCCESS:
        raise PermanentFailure(f"restoring backup {backup_id} into the fork ended {outcome}")

    if ctx.params.get("backup_mode") == "FRESH_BACKUP":
        ctx.enter_step("drop_fresh_backup")
        deps.storage.delete_backup(source_id, backup_id)
        with deps.store.session() as session:
            row = session.get(Backup, backup_id)
            if row is not None:
                session.delete(row)
    mark_active(ctx, spec, last_restore_id=backup_id)
    return f"forked from {source_id} with backup {backup_id}"


def record_failure(ctx: StepContext, reason: str) -> None:
    """Called when a backup or restore operation fails for good: say so on its record."""
    with ctx.deps.store.session() as session:
        row: Backup | Restore | None = None
        if ctx.kind == OperationKind.BACKUP:
            row = session.get(Backup, str(ctx.params["backup_id"]))
        elif "restore_id" in ctx.params:
            row = session.get(Restore, str(ctx.params["restore_id"]))
        if row is not None and row.status not in FINAL_BACKUP_STATUSES:
            row.status = BackupStatus.FAILED.value
            row.error = reason
            row.completed_at = ctx.deps.clock.now()


# -- restore, shared by restore and fork ------------------------------------------------------


def _restore_into(ctx: StepContext, spec: ServerSpec, restore_id: str) -> str:
    deps = ctx.deps
    engine = deps.engine_backups
    backend = deps.storage.backend

    ctx.enter_step("load_restore")
    with deps.store.session() as session:
        row = session.get(Restore, restore_id)
        if row is None:
            raise PermanentFailure(f"restore {restore_id} is not recorded")
        if row.status in FINAL_BACKUP_STATUSES:
            return row.status
        backup_row = session.get(Backup, row.backup_id)
        if backup_row is None or backup_row.status != BackupStatus.SUCCESS:
            raise PermanentFailure(f"backup {row.backup_id} is gone or unusable")
        backup_id, source = row.backup_id, VectorDBId(row.source_vector_db_id)
        started, empty, cancel = row.engine_started, backup_row.empty, row.cancel_requested
    location = deps.storage.location_config(source)
    query = deps.storage.location_query(source)

    if not started:
        if cancel:
            _finish_restore(ctx, restore_id, BackupStatus.CANCELED, "")
            return BackupStatus.CANCELED.value
        # Weaviate refuses to restore over an existing collection: clear the VectorDB first so
        # that afterwards it holds exactly what the backup held.
        ctx.enter_step("clear")
        for name in engine.collections(spec.ports, spec.operator_key):
            engine.drop_collection(spec.ports, spec.operator_key, name)
        if empty:
            _finish_restore(ctx, restore_id, BackupStatus.SUCCESS, "")
            return BackupStatus.SUCCESS.value
        ctx.enter_step("start_restore")
        engine.start_restore(spec.ports, spec.operator_key, backend, backup_id, location)
        with deps.store.session() as session:
            row = session.get(Restore, restore_id)
            assert row is not None
            row.engine_started = True

    cancel_sent = False

    def finished() -> str | None:
        nonlocal cancel_sent
        with deps.store.session() as session:
            row = session.get(Restore, restore_id)
            assert row is not None
            cancel = row.cancel_requested
        if cancel and not cancel_sent:
            engine.cancel_restore(spec.ports, spec.operator_key, backend, backup_id, query)
            cancel_sent = True
        status = engine.restore_status(spec.ports, spec.operator_key, backend, backup_id, query)
        if status.status not in FINAL_BACKUP_STATUSES:
            if status.status:
                _set_restore_status(ctx, restore_id, status.status)
            return None
        _finish_restore(ctx, restore_id, BackupStatus(status.status), status.error)
        if status.status == BackupStatus.FAILED:
            raise PermanentFailure(f"restore of {backup_id} failed: {status.error}")
        return status.status

    ctx.enter_step("await_restore")
    return poll_until(ctx, "await_restore", deps.settings.backup_timeout_seconds, finished)


# -- fork helpers -----------------------------------------------------------------------------


def _fork_backup_id(ctx: StepContext, source_id: VectorDBId) -> str:
    """The backup the fork restores; for FRESH_BACKUP, asks the source for one (once)."""
    deps = ctx.deps
    chosen = ctx.params.get("backup_id")
    if chosen:
        return str(chosen)
    with deps.store.session() as session:
        source = session.get(VectorDB, source_id)
        if source is None or source.status == VectorDBStatus.DELETING:
            raise PermanentFailure("the source vector database is gone")
        now = deps.clock.now()
        fresh = backups.new_backup(session, source_id, BackupKind.FORK, now)
        operations.enqueue(session, source_id, OperationKind.BACKUP, now, {"backup_id": fresh.id})
        _remember(ctx, session, "backup_id", fresh.id)
    return fresh.id


def _await_backup_success(ctx: StepContext, backup_id: str) -> None:
    deps = ctx.deps

    def succeeded() -> bool | None:
        with deps.store.session() as session:
            row = session.get(Backup, backup_id)
            if row is None:
                raise PermanentFailure(f"backup {backup_id} no longer exists")
            status, error = row.status, row.error
        if status == BackupStatus.SUCCESS:
            return True
        if status in FINAL_BACKUP_STATUSES:
            raise PermanentFailure(f"backup {backup_id} ended {status}: {error}")
        return None

    poll_until(ctx, "await_source_backup", deps.settings.backup_timeout_seconds, succeeded)


def _fork_restore_id(ctx: StepContext, backup_id: str) -> str:
    deps = ctx.deps
    existing = ctx.params.get("restore_id")
    if existing:
        return str(existing)
    with deps.store.session() as session:
        backup_row = _backup_row(session, backup_id)
        restore_row = backups.new_restore(session, ctx.vector_db_id, backup_row, deps.clock.now())
        _remember(ctx, session, "restore_id", restore_row.id)
        db = session.get(VectorDB, ctx.vector_db_id)
        if db is not None:
            db.last_restore_id = backup_id
    return restore_row.id


def _remember(ctx: StepContext, session: Session, key: str, value: str) -> None:
    """Keep a choice in the operation's params, in the caller's transaction, so that a resumed
    operation makes the same choice instead of a second one."""
    op = session.get(Operation, ctx.op_id)
    assert op is not None
    op.params = {**op.params, key: value}
    ctx.params[key] = value


# -- records ----------------------------------------------------------------------------------


def _running_spec(ctx: StepContext, vector_db_id: VectorDBId) -> ServerSpec:
    deps = ctx.deps
    with deps.store.session() as session:
        db = session.get(VectorDB, vector_db_id)
        placement = session.get(Placement, vector_db_id)
        if db is None or placement is None:
            raise PermanentFailure("the vector database no longer exists")
        if db.status != VectorDBStatus.ACTIVE:
            raise PermanentFailure(f"the vector database is {db.status}, not active")
    spec = server_spec(deps, db, placement)
    if not deps.probe.is_ready(spec.ports):
        raise RetryLater("the vector database's server is not ready")
    return spec


def _backup_row(session: Session, backup_id: str) -> Backup:
    row = session.get(Backup, backup_id)
    if row is None:
        raise PermanentFailure(f"backup {backup_id} is not recorded")
    return row


def _set_backup_status(ctx: StepContext, backup_id: str, status: str) -> None:
    with ctx.deps.store.session() as session:
        row = session.get(Backup, backup_id)
        if row is not None and status and row.status != status:
            row.status = status


def _finish_backup(
    ctx: StepContext, backup_id: str, status: BackupStatus, error: str, empty: bool = False
) -> None:
    with ctx.deps.store.session() as session:
        row = _backup_row(session, backup_id)
        row.status = status.value
        row.error = error
        row.empty = empty
        row.completed_at = ctx.deps.clock.now()


def _set_restore_status(ctx: StepContext, restore_id: str, status: str) -> None:
    with ctx.deps.store.session() as session:
        row = session.get(Restore, restore_id)
        if row is not None and row.status != status:
            row.status = status


def _finish_restore(ctx: StepContext, restore_id: str, status: BackupStatus, error: str) -> None:
    with ctx.deps.store.session() as session:
        row = session.get(Restore, restore_id)
        if row is not None:
            row.status = status.value
            row.error = error
            row.completed_at = ctx.deps.clock.now()
