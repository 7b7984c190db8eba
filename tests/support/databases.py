"""A VectorDB under test and its data, through pydo and the real weaviate-client."""

from __future__ import annotations

from typing import Any

import pytest
import weaviate.classes.config as wc

from tests.support.controlplane import ControlPlane
from tests.support.weaviate import connect

Snapshot = dict[str, tuple[dict[str, Any], list[float]]]


class Db:
    """One VectorDB under test: its record, its admin key, and its data through weaviate-client."""

    def __init__(self, cp: ControlPlane, name: str, **fields: Any) -> None:
        self.cp = cp
        created = cp.client().vector_databases.create(
            body={"name": name, "region": "nyc1", "size": "small", **fields}
        )["vector_db"]
        self.record = cp.wait_for(created["id"], {"active"})
        self.id: str = self.record["id"]
        self.key = cp.client().vector_databases.get_credentials(self.id)["api_token"]

    @classmethod
    def adopt(cls, cp: ControlPlane, record: dict[str, Any]) -> Db:
        db = cls.__new__(cls)
        db.cp, db.record, db.id = cp, record, record["id"]
        db.key = cp.client().vector_databases.get_credentials(db.id)["api_token"]
        return db

    def write(self, count: int, start: int = 0, collection: str = "Docs") -> None:
        with connect(self.record, self.key, self.cp.ca_file) as client:
            if not client.collections.exists(collection):
                client.collections.create(
                    collection, vector_config=wc.Configure.Vectors.self_provided()
                )
            docs = client.collections.get(collection)
            with docs.batch.fixed_size(200) as batch:
                for n in range(start, start + count):
                    batch.add_object({"n": n}, uuid=_uuid(n), vector=_vector(n))
            assert not docs.batch.failed_objects

    def mutate(self) -> None:
        """Insert, update and delete a few objects, as users do after a backup."""
        with connect(self.record, self.key, self.cp.ca_file) as client:
            docs = client.collections.get("Docs")
            for n in range(1_000_000, 1_000_005):
                docs.data.insert({"n": n}, uuid=_uuid(n), vector=_vector(n))
            for n in range(0, 5):
                docs.data.update(uuid=_uuid(n), properties={"n": -n}, vector=_vector(n + 7))
            for n in range(5, 10):
                docs.data.delete_by_id(_uuid(n))
            client.collections.create("Later", vector_config=wc.Configure.Vectors.self_provided())

    def snapshot(self) -> Snapshot:
        with connect(self.record, self.key, self.cp.ca_file) as client:
            found: Snapshot = {}
            for name in client.collections.list_all():
                for obj in client.collections.get(name).iterator(include_vector=True):
                    found[f"{name}/{obj.uuid}"] = (dict(obj.properties), obj.vector["default"])
            return found

    def backup(self) -> str:
        response = self.cp.call("POST", f"/v2/vector-databases/{self.id}/backups")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "STARTED"
        self.cp.wait_idle(self.id)
        listed = self.cp.client().vector_databases.list_backups(self.id)["backups"]
        assert body["backup_id"] in [b["backup_id"] for b in listed]
        return str(body["backup_id"])

    def restore(self, backup_id: str) -> dict[str, Any]:
        started = self.cp.client().vector_databases.post_restore_backup(self.id, backup_id, body={})
        assert started == {"backup_id": backup_id, "status": "STARTED", "error": ""}
        self.cp.wait_idle(self.id)
        return self.cp.client().vector_databases.get_restore_status(self.id, backup_id)


def _uuid(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def _vector(n: int) -> list[float]:
    return [float(n % 17), float(n % 5), 1.0, float(n) / 100.0]


def assert_same(actual: Snapshot, expected: Snapshot) -> None:
    assert actual.keys() == expected.keys()
    for key, (properties, vector) in expected.items():
        assert actual[key][0] == properties
        assert actual[key][1] == pytest.approx(vector)
