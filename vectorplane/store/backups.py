"""Backup and restore records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from vectorplane.domain.backup_ids import backup_id
from vectorplane.domain.ids import VectorDBId, new_uuid
from vectorplane.domain.statuses import BackupKind, BackupStatus
from vectorplane.store.tables import Backup, Restore


def new_backup(
    session: Session, vector_db_id: VectorDBId, kind: BackupKind, now: datetime
) -> Backup:
    taken = set(session.scalars(select(Backup.id).where(Backup.vector_db_id == vector_db_id)))
    backup = Backup(
        id=backup_id(vector_db_id, now, taken),
        vector_db_id=vector_db_id,
        kind=kind.value,
        status=BackupStatus.STARTED.value,
        error="",
        empty=False,
        started_at=now,
        completed_at=None,
        created_at=now,
    )
    session.add(backup)
    session.flush()
    return backup


def successful(session: Session, vector_db_id: str) -> list[Backup]:
    """The VectorDB's usable backups, newest first."""
    return list(
        session.scalars(
            select(Backup)
            .where(Backup.vector_db_id == vector_db_id)
            .where(Backup.status == BackupStatus.SUCCESS.value)
            .order_by(Backup.created_at.desc(), Backup.id.desc())
        )
    )


def latest_scheduled(session: Session, vector_db_id: str) -> Backup | None:
    return session.scalars(
        select(Backup)
        .where(Backup.vector_db_id == vector_db_id)
        .where(Backup.kind == BackupKind.SCHEDULED.value)
        .order_by(Backup.created_at.desc())
        .limit(1)
    ).first()


def new_restore(
    session: Session,
    vector_db_id: VectorDBId,
    backup: Backup,
    now: datetime,
) -> Restore:
    restore = Restore(
        id=new_uuid(),
        vector_db_id=vector_db_id,
        backup_id=backup.id,
        source_vector_db_id=backup.vector_db_id,
        status=BackupStatus.STARTED.value,
        error="",
        engine_started=False,
        cancel_requested=False,
        created_at=now,
        completed_at=None,
    )
    session.add(restore)
    session.flush()
    return restore


def latest_restore(session: Session, vector_db_id: str, backup_id: str) -> Restore | None:
    return session.scalars(
        select(Restore)
        .where(Restore.vector_db_id == vector_db_id, Restore.backup_id == backup_id)
        .order_by(Restore.created_at.desc())
        .limit(1)
    ).first()


def forget_vector_db(session: Session, vector_db_id: str) -> None:
    session.execute(delete(Backup).where(Backup.vector_db_id == vector_db_id))
    session.execute(delete(Restore).where(Restore.vector_db_id == vector_db_id))


def expired(session: Session, older_than: datetime) -> list[Backup]:
    return list(session.scalars(select(Backup).where(Backup.created_at < older_than)))
