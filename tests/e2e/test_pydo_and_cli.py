"""The endpoints pydo offers that the lifecycle test does not walk, and the admin CLI."""

from __future__ import annotations

import stat

import pytest
from azure.core.exceptions import HttpResponseError

from tests.support.controlplane import ControlPlane

pytestmark = pytest.mark.e2e


def test_every_pydo_method_against_the_control_plane(control_plane: ControlPlane) -> None:
    cp = control_plane
    client = cp.client()
    ids = [
        client.vector_databases.create(
            body={"name": f"p{n}", "region": "sfo3", "size": "small", "tags": ["t"]}
        )["vector_db"]["id"]
        for n in range(3)
    ]

    page = client.vector_databases.list(page=2, per_page=2)
    assert page["total"] == 3
    assert [db["id"] for db in page["vector_dbs"]] == ids[2:]

    project = "0f6a3c9e-1d2b-4c5d-8e7f-9a0b1c2d3e4f"
    moved = client.vector_databases.update(ids[0], body={"project_id": project})
    assert moved["vector_db"]["project_id"] == project
    tagged = client.vector_databases.update_tags(ids[0], body={"tags": ["x", "y"]})
    assert tagged["vector_db"]["tags"] == ["x", "y"]
    assert client.vector_databases.get(ids[0])["vector_db"]["tags"] == ["x", "y"]

    assert client.vector_databases.list_backups(ids[0]) == {"backups": []}
    missing = client.vector_databases.get_restore_status(ids[0], "vectordb-x")
    assert missing["id"] == "not_found"
    refused = client.vector_databases.post_restore_backup(ids[0], "vectordb-x", body={})
    assert refused["id"] == "not_found"

    # Errors reach pydo users as exceptions carrying the envelope.
    with pytest.raises(HttpResponseError) as bad:
        client.vector_databases.create(body={"name": "", "region": "nyc1", "size": "small"})
    assert bad.value.status_code == 422

    for db_id in ids:
        assert client.vector_databases.delete(db_id) is None
    for db_id in ids:
        assert cp.wait_for(db_id, {"gone"})["id"] == "not_found"


def test_admin_cli_manages_teams_and_tokens(control_plane: ControlPlane) -> None:
    cp = control_plane
    initial = cp.data_dir / "initial-token"
    assert stat.S_IMODE(initial.stat().st_mode) == 0o600
    assert initial.read_text().startswith("dop_v1_")

    team_id = cp.cli("team", "create", "analytics").strip()
    token = cp.cli("token", "create", "--team", "analytics", "--scopes", "database:read").strip()
    assert token.startswith("dop_v1_") and "\n" not in token
    reader = cp.client(token)
    assert reader.vector_databases.list()["total"] == 0
    with pytest.raises(HttpResponseError) as forbidden:
        reader.vector_databases.create(body={"name": "n", "region": "nyc1", "size": "small"})
    assert forbidden.value.status_code == 403

    created = cp.client().vector_databases.create(
        body={"name": "listed", "region": "nyc1", "size": "small"}
    )["vector_db"]
    listing = cp.cli("db", "list")
    assert created["id"] in listing and "listed" in listing
    assert reader.vector_databases.list()["total"] == 0  # another team's database

    cp.cli("token", "revoke", token)
    with pytest.raises(HttpResponseError) as revoked:
        reader.vector_databases.list()
    assert revoked.value.status_code == 401
    assert team_id != cp.cli("team", "create", "other").strip()
    # No token reaches the control plane's log, except the first one, shown once at start.
    assert token not in cp.log()
    assert cp.log().count(cp.token) == 1
