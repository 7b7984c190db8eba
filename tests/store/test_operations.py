"""Claiming operations: leases, one operation per VectorDB at a time, takeover after a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vectorplane.domain.ids import OperationId, VectorDBId
from vectorplane.domain.statuses import OperationKind, OperationState
from vectorplane.store import operations
from vectorplane.store.database import Store

T0 = datetime(2026, 1, 1, tzinfo=UTC)
LEASE = timedelta(seconds=10)
DB_A, DB_B = VectorDBId("a" * 8), VectorDBId("b" * 8)


def test_two_workers_never_claim_the_same_operation(store: Store) -> None:
    with store.session() as s:
        operations.enqueue(s, DB_A, OperationKind.CREATE, T0)
    with store.session() as s:
        first = operations.claim_next(s, "w1", T0, LEASE)
    with store.session() as s:
        second = operations.claim_next(s, "w2", T0, LEASE)
    assert first is not None and first.claimed_by == "w1" and first.attempt == 1
    assert second is None


def test_operations_of_one_database_run_in_order_others_in_parallel(store: Store) -> None:
    with store.session() as s:
        create_a = operations.enqueue(s, DB_A, OperationKind.CREATE, T0)
        operations.enqueue(s, DB_A, OperationKind.RESIZE, T0 + timedelta(seconds=1))
        create_b = operations.enqueue(s, DB_B, OperationKind.CREATE, T0 + timedelta(seconds=2))
    now = T0 + timedelta(seconds=3)
    with store.session() as s:
        got1 = operations.claim_next(s, "w1", now, LEASE)
    with store.session() as s:
        got2 = operations.claim_next(s, "w2", now, LEASE)
    with store.session() as s:
        got3 = operations.claim_next(s, "w3", now, LEASE)
    assert got1 is not None and got1.id == create_a.id
    assert got2 is not None and got2.id == create_b.id
    assert got3 is None  # the resize waits for the create of the same database
    with store.session() as s:
        operations.finish(s, OperationId(create_a.id), "w1", OperationState.SUCCEEDED, now)
    with store.session() as s:
        got4 = operations.claim_next(s, "w3", now, LEASE)
    assert got4 is not None and got4.kind == "resize"


def test_a_dead_workers_operation_is_taken_over_after_its_lease(store: Store) -> None:
    with store.session() as s:
        op = operations.enqueue(s, DB_A, OperationKind.CREATE, T0)
    with store.session() as s:
        assert operations.claim_next(s, "dead", T0, LEASE) is not None
    with store.session() as s:
        assert operations.claim_next(s, "alive", T0 + LEASE / 2, LEASE) is None
    with store.session() as s:
        taken = operations.claim_next(s, "alive", T0 + LEASE + timedelta(seconds=1), LEASE)
    assert taken is not None and taken.id == op.id and taken.attempt == 2
    # The dead worker can no longer renew or finish it.
    with store.session() as s:
        assert not operations.renew_lease(s, OperationId(op.id), "dead", "x", T0, LEASE)
        assert not operations.finish(s, OperationId(op.id), "dead", OperationState.FAILED, T0)


def test_retry_waits_for_its_delay(store: Store) -> None:
    with store.session() as s:
        op = operations.enqueue(s, DB_A, OperationKind.CREATE, T0)
    with store.session() as s:
        operations.claim_next(s, "w", T0, LEASE)
        operations.release_for_retry(
            s, OperationId(op.id), "w", T0, T0 + timedelta(seconds=30), "not ready"
        )
    with store.session() as s:
        assert operations.claim_next(s, "w", T0 + timedelta(seconds=29), LEASE) is None
    with store.session() as s:
        again = operations.claim_next(s, "w", T0 + timedelta(seconds=31), LEASE)
    assert again is not None and again.error == "not ready"


def test_a_delete_supersedes_and_waits_for_the_running_operation(store: Store) -> None:
    with store.session() as s:
        create = operations.enqueue(s, DB_A, OperationKind.CREATE, T0)
    with store.session() as s:
        operations.claim_next(s, "w1", T0, LEASE)
    with store.session() as s:
        operations.supersede_unfinished(s, DB_A, T0)
        operations.enqueue(s, DB_A, OperationKind.DELETE, T0 + timedelta(seconds=1))
    now = T0 + timedelta(seconds=2)
    with store.session() as s:
        assert not operations.renew_lease(s, OperationId(create.id), "w1", "x", now, LEASE)
        assert operations.claim_next(s, "w2", now, LEASE) is None  # w1 still holds a lease
    with store.session() as s:
        operations.release_superseded(s, OperationId(create.id), "w1")
    with store.session() as s:
        delete = operations.claim_next(s, "w2", now, LEASE)
    assert delete is not None and delete.kind == "delete"
