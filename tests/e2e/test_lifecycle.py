"""A VectorDB's whole life through pydo, on a real Weaviate, for both stores."""

from __future__ import annotations

import httpx
import pytest
import weaviate.classes.config as wc

from tests.e2e.conftest import endpoint_ports, port_open, server_environment
from tests.support.controlplane import ControlPlane
from tests.support.weaviate import connect

pytestmark = pytest.mark.e2e

VECTORS = {f"00000000-0000-0000-0000-{n:012d}": [float(n), 1.0, float(n % 3)] for n in range(40)}


def test_create_use_resize_delete(cp_on_each_store: ControlPlane) -> None:
    cp = cp_on_each_store
    client = cp.client()

    # Create: answered at once, then active once Weaviate is ready.
    created = client.vector_databases.create(
        body={"name": "life", "region": "tor1", "size": "small", "tags": ["e2e"]}
    )["vector_db"]
    assert created["status"] in ("pending", "creating")
    db = cp.wait_for(created["id"], {"active", "errored"})
    assert db["status"] == "active", db
    assert db["config"]["weaviate_version"] == "1.37.14"
    http_port, grpc_port = endpoint_ports(db)
    assert db["endpoints"]["http"] == f"https://127.0.0.1:{http_port}"

    # Anonymous access is refused, the admin credentials work.
    anonymous = httpx.get(db["endpoints"]["http"] + "/v1/meta", verify=str(cp.ca_file))
    assert anonymous.status_code == 401
    credentials = client.vector_databases.get_credentials(db["id"])
    assert set(credentials) == {"user_id", "api_token"}
    with connect(db, credentials["api_token"], cp.ca_file) as weaviate_client:
        docs = weaviate_client.collections.create(
            "Docs", vector_config=wc.Configure.Vectors.self_provided()
        )
        for uuid, vector in VECTORS.items():
            docs.data.insert({"n": int(uuid[-12:])}, uuid=uuid, vector=vector)
        hit = docs.query.near_vector([7.0, 1.0, 1.0], limit=1).objects[0]
        assert str(hit.uuid) == "00000000-0000-0000-0000-000000000007"

    # Resize: the server restarts with the new plan and every object is still there.
    resized = client.vector_databases.post_resize(db["id"], body={"size": "medium"})
    assert resized["vector_db"]["size"] == "medium"
    db = cp.wait_idle(db["id"])
    assert db["status"] == "active" and db["size"] == "medium"
    [pid] = cp.server_pids()
    environment = server_environment(pid)
    assert environment["GOMAXPROCS"] == "2"
    assert environment["GOMEMLIMIT"] == "4096MiB"
    with connect(db, credentials["api_token"], cp.ca_file) as weaviate_client:
        docs = weaviate_client.collections.get("Docs")
        stored = {str(o.uuid): o.vector["default"] for o in docs.iterator(include_vector=True)}
        assert stored.keys() == VECTORS.keys()
        for uuid, vector in VECTORS.items():
            assert stored[uuid] == pytest.approx(vector)

    # Delete: 204, then 404; the server is gone, its ports closed, its folder removed.
    folder = cp.data_dir / "vector-dbs" / db["id"]
    assert folder.is_dir()
    assert client.vector_databases.delete(db["id"]) is None
    gone = cp.wait_for(db["id"], {"gone"})
    assert gone["id"] == "not_found"
    assert cp.server_pids() == []
    assert not port_open(http_port) and not port_open(grpc_port)
    assert not folder.exists()
