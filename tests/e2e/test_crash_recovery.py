"""Kill things with SIGKILL mid-operation; everything must resume and converge."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import endpoint_ports, port_open, server_environment
from tests.support.controlplane import ControlPlane
from tests.support.databases import Db, assert_same
from tests.support.weaviate import connect

pytestmark = pytest.mark.e2e


def test_create_interrupted_by_sigkill_finishes_after_restart(
    cp_on_each_store: ControlPlane,
) -> None:
    cp = cp_on_each_store
    created = cp.client().vector_databases.create(
        body={"name": "crashy", "region": "nyc1", "size": "small"}
    )["vector_db"]
    cp.wait_for_step(created["id"], {"await_ready"})
    cp.kill()

    cp.start()
    db = cp.wait_for(created["id"], {"active", "errored"})
    assert db["status"] == "active", db
    assert len(cp.server_pids()) == 1  # the half-started server was adopted, not doubled
    credentials = cp.client().vector_databases.get_credentials(db["id"])
    with connect(db, credentials["api_token"], cp.ca_file) as client:
        assert client.is_ready()


def test_delete_interrupted_by_sigkill_finishes_after_restart(
    control_plane: ControlPlane,
) -> None:
    cp = control_plane
    db = Db(cp, "doomed").record
    http_port, _ = endpoint_ports(db)
    cp.client().vector_databases.delete(db["id"])
    cp.kill()  # stopping a server takes over a second: the delete is cut short
    listed = cp.cli("db", "list")
    assert db["id"] in listed and "deleting" in listed

    cp.start()
    assert cp.wait_for(db["id"], {"gone"})["id"] == "not_found"
    assert cp.server_pids() == []
    assert not port_open(http_port)
    assert not (cp.data_dir / "vector-dbs" / db["id"]).exists()


def test_resize_interrupted_by_sigkill_finishes_after_restart(
    control_plane: ControlPlane,
) -> None:
    cp = control_plane
    db = Db(cp, "grow")
    db.write(25)
    before = db.snapshot()

    cp.client().vector_databases.post_resize(db.id, body={"size": "medium"})
    cp.wait_for_step(db.id, {"start", "await_ready"})
    cp.kill()

    cp.start()
    record = cp.wait_idle(db.id)
    assert record["status"] == "active" and record["size"] == "medium"
    [pid] = cp.server_pids()
    assert server_environment(pid)["GOMAXPROCS"] == "2"
    assert_same(db.snapshot(), before)


def test_running_servers_are_adopted_not_restarted(control_plane: ControlPlane) -> None:
    cp = control_plane
    db = Db(cp, "steady")
    [pid_before] = cp.server_pids()

    cp.kill()
    cp.start()
    time.sleep(4)  # several observer passes (every second in tests)
    assert cp.server_pids() == [pid_before]
    assert cp.client().vector_databases.get(db.id)["vector_db"]["status"] == "active"
    assert "Started server of" not in cp.log().split("vectorplane listening")[-1]


def test_a_killed_server_is_repaired_with_its_data(control_plane: ControlPlane) -> None:
    cp = control_plane
    db = Db(cp, "phoenix")
    db.write(10)
    before = db.snapshot()
    [pid] = cp.server_pids()

    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pids = cp.server_pids()
        record = cp.client().vector_databases.get(db.id)["vector_db"]
        if pids and pids != [pid] and record["operation"] is None:
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"server was not repaired:\n{cp.log()[-3000:]}")
    assert_same(db.snapshot(), before)


def test_failure_past_retries_is_errored_with_the_reason(
    control_plane_factory: Callable[..., ControlPlane], tmp_path: Path
) -> None:
    # An operator's broken engine folder: the binary is there but cannot be executed, so the
    # operating system refuses every start. (No Weaviate runs; the failure is the OS's own.)
    broken = tmp_path / "engines" / "v1.37.14" / "weaviate-server"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"")
    broken.chmod(0o644)
    cp = control_plane_factory(
        VECTORPLANE_ENGINE_DIR=str(tmp_path / "engines"), VECTORPLANE_OPERATION_ATTEMPTS="2"
    ).start()
    created = cp.client().vector_databases.create(
        body={"name": "doomed-engine", "region": "nyc1", "size": "small"}
    )["vector_db"]
    db = cp.wait_for(created["id"], {"errored", "active"}, timeout=120)
    assert db["status"] == "errored"
    assert "gave up after 2 attempts" in db["status_reason"]
    assert "Permission denied" in db["status_reason"]

    # An errored database can still be deleted, leaving nothing behind.
    cp.client().vector_databases.delete(db["id"])
    assert cp.wait_for(db["id"], {"gone"})["id"] == "not_found"
    assert cp.server_pids() == []
