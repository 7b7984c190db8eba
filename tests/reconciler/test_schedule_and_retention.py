"""Daily backups and retention, with a clock the test moves by hand.

The store is real (SQLite and PostgreSQL) and so is the storage: a folder here, and SeaweedFS's
S3 in the end-to-end backup tests. No server is involved: these rules only read the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from vectorplane.backups.filesystem import FilesystemStorage
from vectorplane.domain.ids import VectorDBId, new_uuid
from vectorplane.domain.statuses import BackupKind, BackupStatus, OperationKind, VectorDBStatus
from vectorplane.reconciler.deps import Deps
from vectorplane.reconciler.retention import prune_expired
from vectorplane.reconciler.schedule import enqueue_due_backups, latest_slot
from vectorplane.settings import Settings
from vectorplane.store import backups, operations, teams
from vectorplane.store.database import Store
from vectorplane.store.tables import Backup, Operation, VectorDB

DAY = timedelta(days=1)
T0 = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def deps_for(store: Store, clock: FakeClock, tmp_path: Path) -> Deps:
    # Only what scheduling and retention touch is real here; the rest is never called.
    return Deps(
        settings=Settings(data_dir=tmp_path),
        store=store,
        runtime=cast(Any, None),
        probe=cast(Any, None),
        engines=cast(Any, None),
        box=cast(Any, None),
        clock=clock,
        storage=FilesystemStorage(tmp_path / "backups"),
        engine_backups=cast(Any, None),
    )


def active_db(store: Store, created: datetime) -> VectorDBId:
    with store.session() as s:
        team = teams.find_team(s, "t") or teams.create_team(s, "t", created)
        db = VectorDB(
            id=new_uuid(), team_id=team.id, project_id=new_uuid(), name=new_uuid()[:8],
            region="nyc1", size="small", tags=[], status=VectorDBStatus.ACTIVE.value,
            status_reason="", default_quantization="", enable_auto_schema=True,
            engine_version="v1.37.14", observed_version="", forked_from_id="",
            last_restore_id="", created_at=created, updated_at=created,
        )  # fmt: skip
        s.add(db)
    return VectorDBId(db.id)


def finish_operations(store: Store) -> None:
    """Stand in for the workers: mark every backup operation done."""
    with store.session() as s:
        for op in s.query(Operation).filter(Operation.state == "pending"):
            op.state = "succeeded"
            row = s.get(Backup, op.params["backup_id"])
            assert row is not None
            row.status = BackupStatus.SUCCESS.value
            row.completed_at = row.started_at


def test_slots_spread_databases_over_the_day() -> None:
    offsets = {latest_slot(new_uuid(), T0 + 2 * DAY, DAY).time() for _ in range(20)}
    assert len(offsets) > 15


def test_one_backup_per_day_each_at_its_slot(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0)
    deps = deps_for(store, clock, tmp_path)
    db = active_db(store, T0)

    slot = latest_slot(db, T0 + DAY, DAY)  # its first slot after its creation at T0
    assert T0 < slot <= T0 + DAY
    clock.at = slot - timedelta(seconds=1)
    assert enqueue_due_backups(deps) == []

    clock.at = slot + timedelta(seconds=1)
    assert enqueue_due_backups(deps) == [db]
    assert enqueue_due_backups(deps) == []  # queued already: not twice
    finish_operations(store)
    assert enqueue_due_backups(deps) == []  # done for this slot

    clock.at = slot + DAY - timedelta(seconds=1)
    assert enqueue_due_backups(deps) == []
    clock.at = slot + DAY + timedelta(seconds=1)
    assert enqueue_due_backups(deps) == [db]
    finish_operations(store)
    with store.session() as s:
        ids = [b.id for b in backups.successful(s, db)]
    assert len(ids) == 2 and all(i.startswith(f"vectordb-{db}-") for i in ids)


def test_a_missed_backup_runs_when_the_control_plane_returns(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0)
    deps = deps_for(store, clock, tmp_path)
    db = active_db(store, T0)
    # Down for three days: no pass ran at any slot. One catch-up backup, not three.
    clock.at = T0 + 3 * DAY + timedelta(hours=1)
    assert enqueue_due_backups(deps) == [db]
    finish_operations(store)
    assert enqueue_due_backups(deps) == []
    with store.session() as s:
        ops = s.query(Operation).filter(Operation.kind == OperationKind.BACKUP.value).all()
    assert len(ops) == 1


def test_busy_databases_are_not_backed_up_until_idle(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0)
    deps = deps_for(store, clock, tmp_path)
    db = active_db(store, T0)
    with store.session() as s:
        operations.enqueue(s, db, OperationKind.RESIZE, T0)
    clock.at = T0 + 2 * DAY
    assert enqueue_due_backups(deps) == []


def test_backups_past_retention_leave_storage_and_list(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(T0)
    deps = deps_for(store, clock, tmp_path)
    db = active_db(store, T0)
    storage = deps.storage
    made = []
    for age_days in (9, 8, 6, 1):
        clock.at = T0 + 10 * DAY - age_days * DAY
        with store.session() as s:
            row = backups.new_backup(s, db, BackupKind.SCHEDULED, clock.at)
            row.status = BackupStatus.SUCCESS.value
            made.append(row.id)
        # what Weaviate would have written
        folder = tmp_path / "backups" / db / row.id
        folder.mkdir(parents=True)
        (folder / "backup_config.json").write_text("{}")
        assert storage.holds(db, row.id)

    clock.at = T0 + 10 * DAY
    pruned = prune_expired(deps)
    assert sorted(pruned) == sorted(made[:2])  # 9 and 8 days old; retention is 7 days
    for gone in made[:2]:
        assert not storage.holds(db, gone)
    for kept in made[2:]:
        assert storage.holds(db, kept)
    with store.session() as s:
        assert [b.id for b in backups.successful(s, db)] == list(reversed(made[2:]))
