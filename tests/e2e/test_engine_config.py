"""config.enable_auto_schema and config.default_quantization, proven by Weaviate's behaviour."""

from __future__ import annotations

from typing import Any

import pytest
import weaviate.classes.config as wc
from weaviate.exceptions import UnexpectedStatusCodeError

from tests.support.controlplane import ControlPlane
from tests.support.weaviate import connect

pytestmark = pytest.mark.e2e


def quantizer_of(client: Any, name: str) -> str:
    """Create a collection with no compression of its own; return which one Weaviate chose."""
    client.collections.create(name, vector_config=wc.Configure.Vectors.self_provided())
    index = client.collections.export_config(name).vector_config["default"].vector_index_config
    quantizer = index.quantizer
    return "none" if quantizer is None else type(quantizer).__name__


def insert_into_unknown_collection(client: Any, name: str) -> bool:
    try:
        client.collections.get(name).data.insert({"title": "auto"})
    except UnexpectedStatusCodeError:
        return False
    return True


def test_settings_apply_at_create_and_change_live_with_put(control_plane: ControlPlane) -> None:
    cp = control_plane
    client = cp.client()
    created = client.vector_databases.create(
        body={
            "name": "tuned", "region": "nyc1", "size": "small",
            "config": {"enable_auto_schema": False, "default_quantization": "bq"},
        }
    )["vector_db"]  # fmt: skip
    db = cp.wait_for(created["id"], {"active"})
    token = client.vector_databases.get_credentials(db["id"])["api_token"]
    with connect(db, token, cp.ca_file) as weaviate_client:
        assert not insert_into_unknown_collection(weaviate_client, "Unknown1")
        assert quantizer_of(weaviate_client, "First") == "_BQConfig"
    [pid] = cp.server_pids()

    updated = client.vector_databases.update(
        db["id"], body={"config": {"enable_auto_schema": True, "default_quantization": "pq"}}
    )["vector_db"]
    assert updated["config"]["enable_auto_schema"] is True
    assert updated["config"]["default_quantization"] == "pq"
    cp.wait_idle(db["id"])
    with connect(db, token, cp.ca_file) as weaviate_client:
        assert insert_into_unknown_collection(weaviate_client, "Unknown2")
        assert quantizer_of(weaviate_client, "Second") == "_PQConfig"
        # the collection made before keeps its own compression
        first = weaviate_client.collections.export_config("First")
        assert type(first.vector_config["default"].vector_index_config.quantizer).__name__ == (
            "_BQConfig"
        )
    assert cp.server_pids() == [pid]  # applied live, no restart

    client.vector_databases.update(db["id"], body={"config": {"default_quantization": ""}})
    cp.wait_idle(db["id"])
    with connect(db, token, cp.ca_file) as weaviate_client:
        assert quantizer_of(weaviate_client, "Third") == "_RQConfig"

    client.vector_databases.update(db["id"], body={"config": {"default_quantization": "sq"}})
    cp.wait_idle(db["id"])
    with connect(db, token, cp.ca_file) as weaviate_client:
        assert quantizer_of(weaviate_client, "Fourth") == "_SQConfig"
