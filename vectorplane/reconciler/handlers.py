"""What each kind of operation does, as idempotent steps.

Create, resize, config updates and repairs are one handler, `converge`: make the server run
what the store says it should. Only what they record differs. Every step may run again after a
crash, so each checks before it acts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from vectorplane.domain.errors import PermanentFailure, RetryLater
from vectorplane.domain.ids import OperationId, VectorDBId
from vectorplane.domain.statuses import OperationKind, VectorDBStatus
from vectorplane.reconciler.deps import Deps
from vectorplane.reconciler.placement import ensure_placement
from vectorplane.reconciler.specs import server_spec
from vectorplane.runtime.base import Ports, ServerSpec
from vectorplane.store import backups
from vectorplane.store.tables import Operation, Placement, VectorDB

READY_POLL_SECONDS = 0.25
POLL_SECONDS = 0.5  # backups and restores take seconds at least
T = TypeVar("T")


@dataclass
class StepContext:
    """Handed to a handler: the operation it runs and a way to report progress."""

    op_id: OperationId
    vector_db_id: VectorDBId
    kind: OperationKind
    params: dict[str, Any]
    deps: Deps
    enter_step: Callable[[str], None]  # records the step; raises Superseded if we lost the op


def converge(ctx: StepContext) -> str:
    spec = bring_up(ctx)
    version = mark_active(ctx, spec)
    return f"server ready on port {spec.ports.http}, Weaviate {version or 'unknown'}"


def bring_up(ctx: StepContext) -> ServerSpec:
    """Make the VectorDB's server run its desired spec and answer ready."""
    deps = ctx.deps

    ctx.enter_step("load")
    with deps.store.session() as session:
        db = session.get(VectorDB, ctx.vector_db_id)
        if db is None:
            raise PermanentFailure("the vector database no longer exists")
        if db.status == VectorDBStatus.PENDING:
            db.status = VectorDBStatus.CREATING.value
            db.updated_at = deps.clock.now()

    ctx.enter_step("place")
    placement = ensure_placement(deps, ctx.vector_db_id)

    ctx.enter_step("start")
    spec = server_spec(deps, db, placement)
    deps.runtime.ensure_running(spec)

    ctx.enter_step("await_ready")
    _await_ready(ctx, spec.ports)
    return spec


def mark_active(ctx: StepContext, spec: ServerSpec, **changes: str) -> str:
    """Record what runs and make the VectorDB active; returns the version the server reports."""
    deps = ctx.deps
    ctx.enter_step("record")
    version = deps.probe.version(spec.ports, spec.operator_key)
    with deps.store.session() as session:
        db_row = session.get(VectorDB, ctx.vector_db_id)
        placement_row = session.get(Placement, ctx.vector_db_id)
        if db_row is None or placement_row is None:
            raise PermanentFailure("the vector database no longer exists")
        db_row.status = VectorDBStatus.ACTIVE.value
        db_row.status_reason = ""
        db_row.observed_version = version
        db_row.updated_at = deps.clock.now()
        for name, value in changes.items():
            setattr(db_row, name, value)
        placement_row.running_size = db_row.size
        placement_row.running_version = db_row.engine_version
    return version


def delete(ctx: StepContext) -> str:
    deps = ctx.deps

    ctx.enter_step("stop")
    deps.runtime.stop(ctx.vector_db_id)

    ctx.enter_step("remove_data")
    deps.runtime.remove(ctx.vector_db_id)

    ctx.enter_step("remove_backups")
    deps.storage.delete_all(ctx.vector_db_id)

    ctx.enter_step("forget")
    with deps.store.session() as session:
        placement = session.get(Placement, ctx.vector_db_id)
        if placement is not None:
            session.delete(placement)
        db = session.get(VectorDB, ctx.vector_db_id)
        if db is not None:
            session.delete(db)
        backups.forget_vector_db(session, ctx.vector_db_id)
    return "server stopped, its data and backups removed"


def poll_until(
    ctx: StepContext,
    step: str,
    timeout_seconds: float,
    check: Callable[[], T | None],
    interval: float = POLL_SECONDS,
) -> T:
    """Call `check` every `interval` until it returns a value, keeping the operation's lease.

    Raises RetryLater once `timeout_seconds` pass without an answer; `check` raises for
    outcomes that must not wait longer.
    """
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        result = check()
        if result is not None:
            return result
        ctx.enter_step(step)
        time.sleep(interval)
    raise RetryLater(f"{step.replace('_', ' ')} did not finish within {timeout_seconds:.0f} s")


def _await_ready(ctx: StepContext, ports: Ports) -> None:
    deps = ctx.deps

    def ready() -> bool | None:
        if deps.probe.is_ready(ports):
            return True
        if deps.runtime.running_pid(ctx.vector_db_id) is None:
            tail = deps.runtime.log_tail(ctx.vector_db_id, lines=5)
            raise RetryLater(f"the server exited before it was ready; its last log lines:\n{tail}")
        return None

    poll_until(ctx, "await_ready", deps.settings.ready_timeout_seconds, ready, READY_POLL_SECONDS)


def describe(op: Operation) -> str:
    return f"{op.kind} {op.id} of {op.vector_db_id}"
