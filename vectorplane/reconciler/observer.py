"""The observer: compares running servers with what the store says, level-triggered.

Every few seconds it looks at each active VectorDB that no operation is working on: a server
that is gone gets a repair operation (so a crashed server comes back, with retries and backoff
like any other operation); a running one has its disk use measured against its plan. The same
pass enqueues the backups that are due and prunes those past retention.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.statuses import OperationKind, VectorDBStatus
from vectorplane.reconciler.deps import Deps
from vectorplane.reconciler.retention import prune_expired
from vectorplane.reconciler.schedule import enqueue_due_backups
from vectorplane.store import operations
from vectorplane.store.tables import Placement, VectorDB

logger = logging.getLogger(__name__)


def observe_once(deps: Deps) -> None:
    with deps.store.session() as session:
        active = list(
            session.scalars(select(VectorDB).where(VectorDB.status == VectorDBStatus.ACTIVE))
        )
    for db in active:
        _observe(deps, db)
    enqueue_due_backups(deps)
    prune_expired(deps)


def _observe(deps: Deps, db: VectorDB) -> None:
    db_id = VectorDBId(db.id)
    pid = deps.runtime.running_pid(db_id)
    with deps.store.session() as session:
        if operations.unfinished_for(session, db_id):
            return  # an operation owns this VectorDB right now
        placement = session.get(Placement, db_id)
        if placement is None:
            return
        if pid is None:
            logger.warning("Server of %s is not running; enqueuing a repair.", db_id)
            operations.enqueue(session, db_id, OperationKind.REPAIR, deps.clock.now())
            return
        used = deps.runtime.disk_usage(db_id)
        placement.disk_used_bytes = used
    plan = deps.settings.plans.get(db.size)
    if plan is not None and used > plan.disk_bytes:
        # Limitation: the disk limit is watched, not enforced; a server past its plan's disk
        # keeps accepting writes until the host disk fills (Weaviate then turns read-only at
        # DISK_USE_READONLY_PERCENTAGE). Per-VectorDB filesystems or quotas would enforce it.
        logger.warning(
            "VectorDB %s uses %d bytes of disk, over its %s plan's %d.",
            db_id, used, db.size, plan.disk_bytes,
        )  # fmt: skip
    logger.debug("VectorDB %s is running (pid %d, %d bytes on disk).", db_id, pid, used)
