"""Retention: backups older than the retention period leave storage and the list."""

from __future__ import annotations

import logging
from datetime import timedelta

from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.statuses import FINAL_BACKUP_STATUSES
from vectorplane.reconciler.deps import Deps
from vectorplane.store import backups
from vectorplane.store.tables import Backup

logger = logging.getLogger(__name__)


def prune_expired(deps: Deps) -> list[str]:
    """Delete expired backups, files first, then records; return their ids.

    A backup still running is left alone even when old: Weaviate may still be writing it.
    """
    cutoff = deps.clock.now() - timedelta(days=deps.settings.backup_retention_days)
    with deps.store.session() as session:
        expired = [
            (b.id, b.vector_db_id)
            for b in backups.expired(session, cutoff)
            if b.status in FINAL_BACKUP_STATUSES
        ]
    pruned = []
    for backup_id, vector_db_id in expired:
        deps.storage.delete_backup(VectorDBId(vector_db_id), backup_id)
        with deps.store.session() as session:
            row = session.get(Backup, backup_id)
            if row is not None:
                session.delete(row)
        logger.info("Pruned backup %s of %s past retention.", backup_id, vector_db_id)
        pruned.append(backup_id)
    return pruned
