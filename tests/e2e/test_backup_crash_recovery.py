"""SIGKILL the control plane during a backup, a restore and a fork; each must finish right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.support.controlplane import ControlPlane
from tests.support.databases import Db, assert_same
from vectorplane.cli import wiring
from vectorplane.domain.clock import SystemClock
from vectorplane.reconciler.retention import prune_expired
from vectorplane.store.database import Store

pytestmark = pytest.mark.e2e

ROWS = 3000  # enough that backups and restores take a few seconds, so a kill lands inside


def test_backup_interrupted_by_sigkill_finishes_after_restart(control_plane: ControlPlane) -> None:
    cp = control_plane
    db = Db(cp, "backup-crash")
    db.write(ROWS)
    at_backup = db.snapshot()
    started = cp.call("POST", f"/v2/vector-databases/{db.id}/backups").json()
    cp.wait_for_step(db.id, {"await_backup"})
    cp.kill()

    cp.start()
    cp.wait_idle(db.id)
    listed = cp.client().vector_databases.list_backups(db.id)["backups"]
    assert [b["backup_id"] for b in listed] == [started["backup_id"]]
    db.mutate()
    assert db.restore(started["backup_id"])["status"] == "SUCCESS"
    assert_same(db.snapshot(), at_backup)


def test_restore_interrupted_by_sigkill_finishes_after_restart(
    control_plane: ControlPlane,
) -> None:
    cp = control_plane
    db = Db(cp, "restore-crash")
    db.write(ROWS)
    at_backup = db.snapshot()
    backup_id = db.backup()
    db.mutate()
    cp.client().vector_databases.post_restore_backup(db.id, backup_id, body={})
    cp.wait_for_step(db.id, {"start_restore", "await_restore"})
    cp.kill()

    cp.start()
    cp.wait_idle(db.id)
    status = cp.client().vector_databases.get_restore_status(db.id, backup_id)
    assert status["status"] == "SUCCESS", status
    assert_same(db.snapshot(), at_backup)


def test_fork_interrupted_by_sigkill_finishes_after_restart(
    control_plane_factory: Callable[..., ControlPlane], request: pytest.FixtureRequest
) -> None:
    cp = control_plane_factory(**request.getfixturevalue("s3_backup_env")).start()
    source = Db(cp, "fork-crash-source")
    source.write(ROWS)
    now = source.snapshot()
    response = cp.call(
        "POST", f"/v2/vector-databases/{source.id}/fork",
        {"name": "fork-crash", "region": "nyc1", "size": "small", "backup_mode": "FRESH_BACKUP"},
    )  # fmt: skip
    fork_id = response.json()["vector_db"]["id"]
    cp.wait_for_step(fork_id, {"await_ready", "await_restore", "start_restore"})
    cp.kill()

    cp.start()
    record = cp.wait_for(fork_id, {"active", "errored"}, timeout=240)
    assert record["status"] == "active", record
    assert_same(Db.adopt(cp, record).snapshot(), now)
    assert_same(source.snapshot(), now)
    assert cp.client().vector_databases.list_backups(source.id)["backups"] == []


@pytest.mark.parametrize("backend", ["filesystem", "s3"])
def test_retention_removes_real_backups_from_storage(
    backend: str,
    control_plane_factory: Callable[..., ControlPlane],
    request: pytest.FixtureRequest,
) -> None:
    env = request.getfixturevalue("s3_backup_env") if backend == "s3" else {}
    cp = control_plane_factory(**env).start()
    db = Db(cp, "aging")
    db.write(20)
    made = [db.backup(), db.backup()]
    storage = cp.backup_storage()
    assert all(storage.holds(db.id, b) for b in made)  # type: ignore[arg-type]
    cp.kill()  # the pruning below uses the same store, with a clock eight days ahead

    class EightDaysLater:
        def now(self):  # type: ignore[no-untyped-def]
            return SystemClock().now() + timedelta(days=8)

    settings = cp.settings()
    store = Store(settings.resolved_store_url)
    deps = wiring.build_deps(settings, store)
    deps = type(deps)(**{**deps.__dict__, "clock": EightDaysLater()})
    assert sorted(prune_expired(deps)) == sorted(made)
    store.dispose()
    assert not any(storage.holds(db.id, b) for b in made)  # type: ignore[arg-type]

    cp.start()
    assert cp.client().vector_databases.list_backups(db.id)["backups"] == []
