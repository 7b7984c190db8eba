"""Backups, restores and forks on real Weaviate, on both storage backends."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.support.controlplane import ControlPlane
from tests.support.databases import Db, assert_same

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["filesystem", "s3"])
def backup_cp(
    request: pytest.FixtureRequest, control_plane_factory: Callable[..., ControlPlane]
) -> ControlPlane:
    """A control plane backing up to a folder, or to SeaweedFS's S3."""
    env: dict[str, str] = {}
    if request.param == "s3":
        env = request.getfixturevalue("s3_backup_env")
    return control_plane_factory(**env).start()


def test_restore_brings_back_exactly_the_backup(backup_cp: ControlPlane) -> None:
    db = Db(backup_cp, "restorable")
    db.write(60)
    at_backup = db.snapshot()
    backup_id = db.backup()
    assert backup_id.startswith(f"vectordb-{db.id}-")

    db.mutate()
    assert db.snapshot() != at_backup
    status = db.restore(backup_id)
    assert status == {"backup_id": backup_id, "status": "SUCCESS", "error": ""}
    assert_same(db.snapshot(), at_backup)
    record = backup_cp.client().vector_databases.get(db.id)["vector_db"]
    assert record["last_restore_id"] == backup_id
    assert record["status"] == "active"

    # No secret reaches a log: not the admin key, not the storage's secret key.
    secrets = [db.key, backup_cp.env.get("VECTORPLANE_BACKUP_S3_SECRET_ACCESS_KEY", db.key)]
    server_log = (backup_cp.data_dir / "vector-dbs" / db.id / "server.log").read_text()
    for secret in secrets:
        assert secret not in backup_cp.log()
        assert secret not in server_log


def test_forks_in_every_mode_hold_their_backup_and_leave_the_source(
    backup_cp: ControlPlane,
) -> None:
    cp = backup_cp
    source = Db(cp, "source", tags=["keep-out"])
    source.write(40)
    first = source.snapshot()
    first_backup = source.backup()
    source.mutate()
    second = source.snapshot()
    second_backup = source.backup()
    source.write(7, start=2000)
    now = source.snapshot()

    cases = [
        ("USE_BACKUP_ID", {"backup_id": first_backup}, first),
        ("LATEST_SUCCESS", {}, second),
        ("FRESH_BACKUP", {}, now),
    ]
    for mode, extra, expected in cases:
        response = cp.call(
            "POST", f"/v2/vector-databases/{source.id}/fork",
            {"name": f"fork-{mode.lower().replace('_', '-')}", "region": "ams3",
             "size": "small", "tags": ["fork"], "backup_mode": mode, **extra},
        )  # fmt: skip
        assert response.status_code == 201, response.text
        fork = response.json()["vector_db"]
        assert fork["forked_from_id"] == source.id
        assert fork["tags"] == ["fork"]
        record = cp.wait_for(fork["id"], {"active", "errored"})
        assert record["status"] == "active", record
        assert_same(Db.adopt(cp, record).snapshot(), expected)

    assert_same(source.snapshot(), now)  # the source is untouched
    listed = [
        b["backup_id"] for b in cp.client().vector_databases.list_backups(source.id)["backups"]
    ]
    assert listed == [second_backup, first_backup]  # the fresh one was dropped, newest first


def test_fork_needs_a_known_mode_and_a_backup_of_the_source(backup_cp: ControlPlane) -> None:
    cp = backup_cp
    source = Db(cp, "picky")
    other = Db(cp, "other")
    other.write(3)
    others_backup = other.backup()
    body = {"name": "f", "region": "nyc1", "size": "small"}
    for mode in (None, "", "BACKUP_MODE_UNSPECIFIED", "latest"):
        response = cp.call("POST", f"/v2/vector-databases/{source.id}/fork",
                           {**body, "backup_mode": mode})  # fmt: skip
        assert response.status_code == 422, response.text
    response = cp.call(
        "POST",
        f"/v2/vector-databases/{source.id}/fork",
        {**body, "backup_mode": "USE_BACKUP_ID", "backup_id": others_backup},
    )
    assert response.status_code == 404
    response = cp.call(
        "POST", f"/v2/vector-databases/{source.id}/fork", {**body, "backup_mode": "LATEST_SUCCESS"}
    )
    assert response.status_code == 422
    # Restoring another database's backup is refused the same way.
    refused = cp.client().vector_databases.post_restore_backup(source.id, others_backup, body={})
    assert refused["id"] == "not_found"


def test_cancelled_restore_ends_canceled_and_leaves_a_usable_database(
    backup_cp: ControlPlane,
) -> None:
    cp = backup_cp
    db = Db(cp, "cancelled")
    db.write(3000)
    at_backup = db.snapshot()
    backup_id = db.backup()
    cp.client().vector_databases.post_restore_backup(db.id, backup_id, body={})
    cancel = cp.call("DELETE", f"/v2/vector-databases/{db.id}/backups/{backup_id}/restore")
    assert cancel.status_code == 200, cancel.text
    assert cancel.json()["status"] == "CANCELLING"
    cp.wait_idle(db.id)
    status = cp.client().vector_databases.get_restore_status(db.id, backup_id)
    assert status["status"] == "CANCELED", status
    # usable: it takes writes and answers queries
    db.write(2, start=50_000, collection="AfterCancel")
    assert len([k for k in db.snapshot() if k.startswith("AfterCancel/")]) == 2

    # A restore asked for at once, while Weaviate still winds the cancelled one down, is a
    # restore of its own: it waits its turn and brings the backup back.
    assert db.restore(backup_id)["status"] == "SUCCESS"
    assert_same(db.snapshot(), at_backup)
    again = cp.call("DELETE", f"/v2/vector-databases/{db.id}/backups/{backup_id}/restore")
    assert again.status_code == 409  # nothing left to cancel


def test_a_failed_restore_says_why(backup_cp: ControlPlane) -> None:
    cp = backup_cp
    db = Db(cp, "broken")
    db.write(5)
    backup_id = db.backup()
    # The backup's files vanish from storage behind vectorplane's back.
    cp.backup_storage().delete_backup(db.id, backup_id)  # type: ignore[arg-type]
    status = db.restore(backup_id)
    assert status["status"] == "FAILED"
    assert status["error"]
    assert cp.client().vector_databases.get(db.id)["vector_db"]["status"] == "active"


def test_one_backup_or_restore_at_a_time(backup_cp: ControlPlane) -> None:
    cp = backup_cp
    db = Db(cp, "busy")
    db.write(2000)
    first = cp.call("POST", f"/v2/vector-databases/{db.id}/backups")
    second = cp.call("POST", f"/v2/vector-databases/{db.id}/backups")
    assert first.status_code == 200
    assert second.status_code == 409 and second.json()["id"] == "conflict"
    cp.wait_idle(db.id)
    backup_id = first.json()["backup_id"]
    cp.client().vector_databases.post_restore_backup(db.id, backup_id, body={})
    again = cp.call("POST", f"/v2/vector-databases/{db.id}/backups/{backup_id}/restore", {})
    assert again.status_code == 409
    resize = cp.call("POST", f"/v2/vector-databases/{db.id}/resize", {"size": "medium"})
    assert resize.status_code == 409
    cp.wait_idle(db.id)


def test_deleting_a_database_deletes_its_backups(backup_cp: ControlPlane) -> None:
    cp = backup_cp
    db = Db(cp, "shortlived")
    db.write(5)
    backup_id = db.backup()
    storage = cp.backup_storage()
    assert storage.holds(db.id, backup_id)  # type: ignore[arg-type]
    cp.client().vector_databases.delete(db.id)
    cp.wait_for(db.id, {"gone"})
    assert not storage.holds(db.id, backup_id)  # type: ignore[arg-type]


def test_an_empty_database_backs_up_and_restores_to_empty(backup_cp: ControlPlane) -> None:
    cp = backup_cp
    db = Db(cp, "hollow")
    backup_id = db.backup()
    db.write(4)
    assert db.restore(backup_id)["status"] == "SUCCESS"
    assert db.snapshot() == {}


def test_automatic_backups_run_on_schedule(
    control_plane_factory: Callable[..., ControlPlane],
) -> None:
    # An interval of 18 s puts every database's first slot within 18 s of its creation.
    cp = control_plane_factory(VECTORPLANE_BACKUP_INTERVAL_HOURS="0.005").start()
    db = Db(cp, "scheduled")
    db.write(5)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        listed = cp.client().vector_databases.list_backups(db.id)["backups"]
        if listed:
            break
        time.sleep(1)
    else:
        raise AssertionError(f"no scheduled backup appeared:\n{cp.log()[-3000:]}")
    assert listed[0]["backup_id"].startswith(f"vectordb-{db.id}-")
    assert listed[0]["completed_at"] >= listed[0]["started_at"]
    assert "Scheduled backup" in cp.log()


def test_a_failed_backup_says_why(
    control_plane_factory: Callable[..., ControlPlane], s3_backup_env: dict[str, str]
) -> None:
    # Storage that refuses the control plane's credentials: a real S3 refusal.
    env = {**s3_backup_env, "VECTORPLANE_BACKUP_S3_SECRET_ACCESS_KEY": "not-the-secret"}
    cp = control_plane_factory(**env).start()
    assert "Backup storage is not usable" in cp.log()
    db = Db(cp, "unlucky")
    db.write(5)
    started = cp.call("POST", f"/v2/vector-databases/{db.id}/backups").json()
    cp.wait_idle(db.id)
    backup = cp.call("GET", f"/v2/vector-databases/{db.id}/backups/{started['backup_id']}")
    assert backup.status_code == 200
    assert backup.json()["status"] == "FAILED"
    assert backup.json()["error"]
    assert cp.client().vector_databases.list_backups(db.id)["backups"] == []
    assert cp.client().vector_databases.get(db.id)["vector_db"]["status"] == "active"
    assert "not-the-secret" not in cp.log()
