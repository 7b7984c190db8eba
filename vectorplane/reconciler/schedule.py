"""Automatic backups: each active VectorDB once per interval, at an offset of its own.

The offset is derived from the VectorDB's id, so backups spread over the interval instead of
all starting at midnight. A VectorDB is due when no scheduled backup was made since the latest
slot that has passed; a slot missed while the control plane was down is therefore caught up as
soon as it runs again.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.statuses import BackupKind, OperationKind, VectorDBStatus
from vectorplane.reconciler.deps import Deps
from vectorplane.store import backups, operations
from vectorplane.store.tables import VectorDB

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def latest_slot(vector_db_id: str, now: datetime, interval: timedelta) -> datetime:
    """The most recent moment, at or before `now`, at which the VectorDB's backup was due."""
    digest = int(hashlib.sha256(vector_db_id.encode()).hexdigest()[:12], 16)
    offset = timedelta(seconds=digest % int(interval.total_seconds()))
    periods = (now - EPOCH - offset) // interval
    return EPOCH + offset + periods * interval


def enqueue_due_backups(deps: Deps) -> list[str]:
    """Enqueue a backup for every active, idle VectorDB whose slot has passed; return their ids."""
    now = deps.clock.now()
    interval = timedelta(hours=deps.settings.backup_interval_hours)
    enqueued = []
    with deps.store.session() as session:
        active = list(
            session.scalars(select(VectorDB).where(VectorDB.status == VectorDBStatus.ACTIVE))
        )
        for db in active:
            slot = latest_slot(db.id, now, interval)
            if db.created_at > slot:
                continue  # too young: its first slot is still ahead
            last = backups.latest_scheduled(session, db.id)
            if last is not None and last.created_at >= slot:
                continue
            if operations.unfinished_for(session, db.id):
                continue  # busy; the next pass tries again
            backup = backups.new_backup(session, VectorDBId(db.id), BackupKind.SCHEDULED, now)
            operations.enqueue(
                session, VectorDBId(db.id), OperationKind.BACKUP, now, {"backup_id": backup.id}
            )
            logger.info("Scheduled backup %s of %s (slot %s).", backup.id, db.id, slot)
            enqueued.append(db.id)
    return enqueued
