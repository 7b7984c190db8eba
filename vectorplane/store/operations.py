"""Durable operations: enqueued by the API, claimed by reconciler workers under a lease.

A worker owns an operation while `claimed_by` is its id and `lease_until` is in the future; it
renews the lease between steps. A worker that dies simply stops renewing, and once the lease
has passed any worker may claim the operation again and run it from its first step (every step
is idempotent). Operations of one VectorDB run one at a time, oldest first.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from vectorplane.domain.ids import OperationId, VectorDBId, new_uuid
from vectorplane.domain.statuses import (
    UNFINISHED_OPERATION_STATES,
    OperationKind,
    OperationState,
    VectorDBStatus,
)
from vectorplane.store.tables import Operation, VectorDB


def enqueue(
    session: Session,
    vector_db_id: VectorDBId,
    kind: OperationKind,
    now: datetime,
    params: dict[str, Any] | None = None,
) -> Operation:
    op = Operation(
        id=new_uuid(),
        vector_db_id=vector_db_id,
        kind=kind.value,
        state=OperationState.PENDING.value,
        params=params or {},
        step="",
        attempt=0,
        error="",
        not_before=now,
        claimed_by=None,
        lease_until=None,
        created_at=now,
        updated_at=now,
        finished_at=None,
    )
    session.add(op)
    session.flush()
    return op


def unfinished_for(session: Session, vector_db_id: str) -> list[Operation]:
    return list(
        session.scalars(
            select(Operation)
            .where(Operation.vector_db_id == vector_db_id)
            .where(Operation.state.in_(UNFINISHED_OPERATION_STATES))
            .order_by(Operation.created_at, Operation.id)
        )
    )


def supersede_unfinished(session: Session, vector_db_id: str, now: datetime) -> None:
    """Drop every unfinished operation of the VectorDB (a delete makes them pointless).

    A worker in the middle of one notices at its next heartbeat and stops; its lease still
    keeps newer operations of the same VectorDB waiting until it has let go or expired.
    """
    session.execute(
        update(Operation)
        .where(Operation.vector_db_id == vector_db_id)
        .where(Operation.state.in_(UNFINISHED_OPERATION_STATES))
        .values(state=OperationState.SUPERSEDED.value, updated_at=now, finished_at=now)
    )


def request_delete(session: Session, db: VectorDB, now: datetime) -> None:
    """Mark the VectorDB deleting and enqueue its delete, superseding whatever was pending.
    Idempotent: a VectorDB already deleting is left as it is."""
    if db.status == VectorDBStatus.DELETING:
        return
    supersede_unfinished(session, db.id, now)
    db.status = VectorDBStatus.DELETING.value
    db.updated_at = now
    enqueue(session, VectorDBId(db.id), OperationKind.DELETE, now)


def claim_next(
    session: Session, worker_id: str, now: datetime, lease: timedelta
) -> Operation | None:
    """Claim the oldest runnable operation, or return None.

    Runnable: unfinished, past its retry delay, not leased by a live worker, the oldest
    unfinished one of its VectorDB, and no other operation of that VectorDB holds a live lease.
    The claim is a compare-and-set UPDATE, so two workers (or two control planes sharing
    PostgreSQL) never both win it.
    """
    unfinished = list(
        session.scalars(
            select(Operation)
            .where(Operation.state.in_(UNFINISHED_OPERATION_STATES))
            .order_by(Operation.created_at, Operation.id)
        )
    )
    live_leases = set(
        session.scalars(select(Operation.vector_db_id).where(Operation.lease_until > now)).all()
    )
    seen: set[str] = set()
    for op in unfinished:
        first_of_its_db = op.vector_db_id not in seen
        seen.add(op.vector_db_id)
        if not first_of_its_db or op.vector_db_id in live_leases or op.not_before > now:
            continue
        claimed = session.execute(
            update(Operation)
            .where(Operation.id == op.id)
            .where(Operation.state.in_(UNFINISHED_OPERATION_STATES))
            .where((Operation.lease_until.is_(None)) | (Operation.lease_until <= now))
            .values(
                state=OperationState.RUNNING.value,
                claimed_by=worker_id,
                lease_until=now + lease,
                attempt=Operation.attempt + 1,
                updated_at=now,
            )
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            session.flush()
            session.refresh(op)
            return op
    return None


def renew_lease(
    session: Session, op_id: OperationId, worker_id: str, step: str, now: datetime, lease: timedelta
) -> bool:
    """Extend the lease and record the step; False when the operation is no longer ours."""
    result = session.execute(
        update(Operation)
        .where(Operation.id == op_id)
        .where(Operation.claimed_by == worker_id)
        .where(Operation.state == OperationState.RUNNING.value)
        .values(lease_until=now + lease, step=step, updated_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def finish(
    session: Session,
    op_id: OperationId,
    worker_id: str,
    state: OperationState,
    now: datetime,
    error: str = "",
) -> bool:
    result = session.execute(
        update(Operation)
        .where(Operation.id == op_id)
        .where(Operation.claimed_by == worker_id)
        .where(Operation.state == OperationState.RUNNING.value)
        .values(
            state=state.value,
            error=error,
            lease_until=None,
            updated_at=now,
            finished_at=now,
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release_for_retry(
    session: Session,
    op_id: OperationId,
    worker_id: str,
    now: datetime,
    retry_at: datetime,
    error: str,
) -> bool:
    """Give the operation back, runnable again at `retry_at`."""
    result = session.execute(
        update(Operation)
        .where(Operation.id == op_id)
        .where(Operation.claimed_by == worker_id)
        .where(Operation.state == OperationState.RUNNING.value)
        .values(
            state=OperationState.PENDING.value,
            error=error,
            claimed_by=None,
            lease_until=None,
            not_before=retry_at,
            updated_at=now,
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release_superseded(session: Session, op_id: OperationId, worker_id: str) -> None:
    """Let go of an operation a delete superseded, so the delete may start."""
    session.execute(
        update(Operation)
        .where(Operation.id == op_id)
        .where(Operation.claimed_by == worker_id)
        .values(lease_until=None)
    )
