"""Workers: threads that claim operations from the store and run their handlers.

Each worker has an id unique to its process, so after a control-plane restart the new workers
do not mistake the dead process's leases for their own; they wait for those leases to lapse
and then take the operations over.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from vectorplane.domain.errors import PermanentFailure, RetryLater
from vectorplane.domain.ids import OperationId, VectorDBId
from vectorplane.domain.statuses import OperationKind, OperationState, VectorDBStatus
from vectorplane.reconciler import backup_handlers, handlers, registry
from vectorplane.reconciler.backoff import retry_delay
from vectorplane.reconciler.deps import Deps
from vectorplane.store import operations
from vectorplane.store.tables import Operation, VectorDB

logger = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 0.5


class Superseded(Exception):
    """The operation is no longer ours: a delete superseded it or our lease was lost."""


class Worker:
    def __init__(self, deps: Deps, stopping: threading.Event, wakeup: threading.Event) -> None:
        self.deps = deps
        self.id = f"{uuid.uuid4().hex[:12]}"
        self._stopping = stopping
        self._wakeup = wakeup
        self._lease = timedelta(seconds=deps.settings.lease_seconds)

    def run_forever(self) -> None:
        logger.info("Worker %s started.", self.id)
        while not self._stopping.is_set():
            try:
                ran = self.run_once()
            except Exception:
                # A loop top: log with the traceback and keep going after a pause.
                logger.exception("Worker %s hit an unexpected error; continuing.", self.id)
                ran = False
            if not ran:
                self._wakeup.wait(IDLE_POLL_SECONDS)
                self._wakeup.clear()

    def run_once(self) -> bool:
        """Claim and run one operation; False when there was nothing to do."""
        with self.deps.store.session() as session:
            op = operations.claim_next(session, self.id, self.deps.clock.now(), self._lease)
        if op is None:
            return False
        self._execute(op)
        return True

    def _execute(self, op: Operation) -> None:
        log = logging.LoggerAdapter(
            logger,
            {"db_id": op.vector_db_id, "operation_id": op.id, "operation": op.kind,
             "attempt": op.attempt},
        )  # fmt: skip
        lost = threading.Event()
        done = threading.Event()
        step = {"name": "start"}
        heartbeat = threading.Thread(
            target=self._heartbeat, args=(op, step, lost, done), daemon=True
        )
        heartbeat.start()

        def enter_step(name: str) -> None:
            if lost.is_set():
                raise Superseded()
            if step["name"] == name:
                return
            step["name"] = name
            log.debug("Operation %s enters step %s.", op.id, name)
            # Recorded at once, so progress is visible and a lost operation stops here.
            with self.deps.store.session() as session:
                still_ours = operations.renew_lease(
                    session, OperationId(op.id), self.id, name, self.deps.clock.now(), self._lease
                )
            if not still_ours:
                lost.set()
                raise Superseded()

        ctx = handlers.StepContext(
            op_id=OperationId(op.id),
            vector_db_id=VectorDBId(op.vector_db_id),
            kind=OperationKind(op.kind),
            params=op.params,
            deps=self.deps,
            enter_step=enter_step,
        )
        try:
            verdict = registry.HANDLERS[ctx.kind](ctx)
        except Superseded:
            log.info("Operation %s was superseded; letting it go.", handlers.describe(op))
            self._let_go(op)
        except PermanentFailure as exc:
            self._fail(ctx, op, exc.reason, log)
        except Exception as exc:
            reason = exc.reason if isinstance(exc, RetryLater) else f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, RetryLater):
                log.warning("Step %s raised unexpectedly.", step["name"], exc_info=True)
            self._retry_or_fail(ctx, op, reason, log)
        else:
            with self.deps.store.session() as session:
                operations.finish(
                    session, OperationId(op.id), self.id, OperationState.SUCCEEDED,
                    self.deps.clock.now(),
                )  # fmt: skip
            log.info("Operation %s succeeded: %s.", handlers.describe(op), verdict)
        finally:
            done.set()
            heartbeat.join()

    def _heartbeat(
        self, op: Operation, step: dict[str, str], lost: threading.Event, done: threading.Event
    ) -> None:
        interval = self.deps.settings.lease_seconds / 3
        while not done.wait(interval):
            try:
                with self.deps.store.session() as session:
                    still_ours = operations.renew_lease(
                        session, OperationId(op.id), self.id, step["name"],
                        self.deps.clock.now(), self._lease,
                    )  # fmt: skip
            except Exception:
                logger.warning("Could not renew the lease of %s.", op.id, exc_info=True)
                continue
            if not still_ours:
                lost.set()
                return

    def _retry_or_fail(
        self,
        ctx: handlers.StepContext,
        op: Operation,
        reason: str,
        log: logging.LoggerAdapter,  # type: ignore[type-arg]
    ) -> None:
        if op.attempt >= self.deps.settings.operation_attempts:
            self._fail(ctx, op, f"gave up after {op.attempt} attempts: {reason}", log)
            return
        now = self.deps.clock.now()
        delay = retry_delay(op.attempt)
        with self.deps.store.session() as session:
            operations.release_for_retry(
                session, OperationId(op.id), self.id, now, now + delay, reason
            )
        log.warning(
            "Operation %s will retry in %.0f s: %s", handlers.describe(op),
            delay.total_seconds(), reason,
        )  # fmt: skip

    def _fail(
        self,
        ctx: handlers.StepContext,
        op: Operation,
        reason: str,
        log: logging.LoggerAdapter,  # type: ignore[type-arg]
    ) -> None:
        now = self.deps.clock.now()
        backup_handlers.record_failure(ctx, reason)
        with self.deps.store.session() as session:
            if not operations.finish(
                session, OperationId(op.id), self.id, OperationState.FAILED, now, reason
            ):
                return  # superseded meanwhile: the delete owns the VectorDB now
            db = session.get(VectorDB, op.vector_db_id)
            if db is not None and ctx.kind not in registry.FAILURE_LEAVES_ACTIVE:
                db.status = VectorDBStatus.ERRORED.value
                db.status_reason = reason
                db.updated_at = now
        log.error("Operation %s failed: %s", handlers.describe(op), reason)

    def _let_go(self, op: Operation) -> None:
        with self.deps.store.session() as session:
            operations.release_superseded(session, OperationId(op.id), self.id)
