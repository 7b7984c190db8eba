"""Backups, restores and forks of a VectorDB.

The reference lists backups and restores; on-demand backups (`POST .../backups`) and forks
(`POST .../fork`) follow the platform's published schema. Everything slow runs as operations.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from vectorplane.api import state, views
from vectorplane.api.auth import Create, Read, Update
from vectorplane.api.schemas import (
    BackupList,
    BackupOut,
    BackupStarted,
    ForkVectorDB,
    RestoreBackup,
    RestoreStatus,
    VectorDBEnvelope,
)
from vectorplane.api.vector_dbs import insert_with_operation, new_vector_db
from vectorplane.domain.errors import Conflict, Forbidden, NotFound, Unprocessable
from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.statuses import (
    FINAL_BACKUP_STATUSES,
    BackupKind,
    BackupStatus,
    OperationKind,
    VectorDBStatus,
)
from vectorplane.store import backups, operations
from vectorplane.store.tables import Backup, VectorDB

router = APIRouter(prefix="/v2/vector-databases", tags=["backups"])

FORK_MODES = ("USE_BACKUP_ID", "LATEST_SUCCESS", "FRESH_BACKUP")


@router.post("/{id}/backups", response_model=BackupStarted)
def start_backup(request: Request, id: str, principal: Update) -> BackupStarted:
    now = state.clock(request).now()
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        _refuse_unless_active(db)
        views.refuse_if_busy(session, db)
        backup = backups.new_backup(session, VectorDBId(db.id), BackupKind.ON_DEMAND, now)
        operations.enqueue(
            session, VectorDBId(db.id), OperationKind.BACKUP, now, {"backup_id": backup.id}
        )
    state.poke(request)
    return BackupStarted(backup_id=backup.id, status=BackupStatus.STARTED.value)


@router.get("/{id}/backups", response_model=BackupList)
def list_backups(request: Request, id: str, principal: Read) -> BackupList:
    with state.store(request).session() as session:
        db = views.load(session, principal, id)
        return BackupList(backups=[_render(b) for b in backups.successful(session, db.id)])


@router.get("/{id}/backups/{backup_id}", response_model=BackupOut)
def get_backup(request: Request, id: str, backup_id: str, principal: Read) -> BackupOut:
    """Any backup of the VectorDB, whatever its status: how to follow an on-demand backup,
    and where a failed one says why."""
    with state.store(request).session() as session:
        db = views.load(session, principal, id)
        return _render(_backup_of(session, db, backup_id))


@router.post("/{id}/backups/{backup_id}/restore", response_model=RestoreStatus)
def restore_backup(
    request: Request, id: str, backup_id: str, principal: Update,
    body: RestoreBackup | None = None,
) -> RestoreStatus:  # fmt: skip
    if body is not None and body.backup_id and body.backup_id != backup_id:
        raise Unprocessable("backup_id in the body does not match the one in the path.")
    views.check_body_id(id, body.id if body else None)
    now = state.clock(request).now()
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        backup = _successful_backup_of(session, db, backup_id)
        _refuse_unless_active(db)
        views.refuse_if_busy(session, db)
        restore = backups.new_restore(session, VectorDBId(db.id), backup, now)
        db.last_restore_id = backup.id
        db.updated_at = now
        operations.enqueue(
            session, VectorDBId(db.id), OperationKind.RESTORE, now, {"restore_id": restore.id}
        )
    state.poke(request)
    return RestoreStatus(backup_id=backup_id, status=BackupStatus.STARTED.value, error="")


@router.get("/{id}/backups/{backup_id}/restore", response_model=RestoreStatus)
def get_restore_status(request: Request, id: str, backup_id: str, principal: Read) -> RestoreStatus:
    with state.store(request).session() as session:
        db = views.load(session, principal, id)
        restore = backups.latest_restore(session, db.id, backup_id)
        if restore is None:
            raise NotFound(f"No restore of backup {backup_id!r} exists for this vector database.")
        return RestoreStatus(backup_id=backup_id, status=restore.status, error=restore.error)


@router.delete("/{id}/backups/{backup_id}/restore", response_model=RestoreStatus)
def cancel_restore(request: Request, id: str, backup_id: str, principal: Update) -> RestoreStatus:
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        restore = backups.latest_restore(session, db.id, backup_id)
        if restore is None:
            raise NotFound(f"No restore of backup {backup_id!r} exists for this vector database.")
        if restore.status in FINAL_BACKUP_STATUSES:
            raise Conflict(f"The restore has already ended with status {restore.status}.")
        restore.cancel_requested = True
        restore.status = BackupStatus.CANCELLING.value
    state.poke(request)
    return RestoreStatus(backup_id=backup_id, status=BackupStatus.CANCELLING.value, error="")


@router.post("/{id}/fork", status_code=201, response_model=VectorDBEnvelope)
def fork_vector_db(
    request: Request, id: str, body: ForkVectorDB, principal: Create
) -> VectorDBEnvelope:
    # Forking reads the source: its token needs database:read as well as database:create.
    if not principal.allows("database:read"):
        raise Forbidden("Forking needs the database:read scope on the source as well.")
    views.check_body_id(id, body.id)
    if body.backup_mode not in FORK_MODES:
        raise Unprocessable(f"backup_mode must be one of: {', '.join(FORK_MODES)}.")
    with state.store(request).session() as session:
        source = views.load(session, principal, id)
        backup_id = _fork_backup(session, source, body)
        source_settings = (
            source.default_quantization,
            source.enable_auto_schema,
            source.engine_version,
        )
    fork = new_vector_db(
        request, principal, name=body.name, region=body.region, size=body.size,
        tags=body.tags, project_id=body.project_id,
    )  # fmt: skip
    fork.default_quantization, fork.enable_auto_schema, fork.engine_version = source_settings
    fork.forked_from_id = source.id
    params = {"source_id": source.id, "backup_mode": body.backup_mode, "backup_id": backup_id}
    return VectorDBEnvelope(
        vector_db=insert_with_operation(request, fork, OperationKind.FORK, params)
    )


def _fork_backup(session: Session, source: VectorDB, body: ForkVectorDB) -> str:
    """The backup a fork will restore ('' when a fresh one is to be taken)."""
    if body.backup_mode == "USE_BACKUP_ID":
        if not body.backup_id:
            raise Unprocessable("backup_id is required with backup_mode USE_BACKUP_ID.")
        return _successful_backup_of(session, source, body.backup_id).id
    if body.backup_id:
        raise Unprocessable("backup_id is only used with backup_mode USE_BACKUP_ID.")
    if body.backup_mode == "LATEST_SUCCESS":
        newest = backups.successful(session, source.id)
        if not newest:
            raise Unprocessable("The source vector database has no successful backup yet.")
        return newest[0].id
    _refuse_unless_active(source)
    return ""


def _backup_of(session: Session, db: VectorDB, backup_id: str) -> Backup:
    """The VectorDB's backup, or 404: another VectorDB's backups are never reachable here."""
    backup = session.get(Backup, backup_id)
    if backup is None or backup.vector_db_id != db.id:
        raise NotFound(f"Backup {backup_id!r} does not exist for this vector database.")
    return backup


def _render(backup: Backup) -> BackupOut:
    return BackupOut(
        backup_id=backup.id,
        status=backup.status,
        error=backup.error,
        started_at=backup.started_at,
        completed_at=backup.completed_at,
    )


def _successful_backup_of(session: Session, db: VectorDB, backup_id: str) -> Backup:
    backup = _backup_of(session, db, backup_id)
    if backup.status != BackupStatus.SUCCESS:
        raise Unprocessable(f"Backup {backup_id!r} has status {backup.status}, not SUCCESS.")
    return backup


def _refuse_unless_active(db: VectorDB) -> None:
    if db.status == VectorDBStatus.DELETING:
        raise Conflict("This vector database is being deleted.")
    if db.status != VectorDBStatus.ACTIVE:
        raise Conflict(f"This vector database is {db.status}; it must be active for this.")
