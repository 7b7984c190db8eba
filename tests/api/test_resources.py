"""The resource's shape and behaviour through the API alone (no servers run here)."""

from __future__ import annotations

from tests.api.conftest import Api

FIELDS = {
    "id", "name", "owner_uuid", "project_id", "region", "size", "status", "tags", "config",
    "endpoints", "forked_from_id", "last_restore_id", "created_at", "updated_at",
}  # fmt: skip


def test_create_answers_pending_with_the_reference_fields(api: Api) -> None:
    db = api.create("shape", tags=["prod", "prod", "team:ml"])
    assert FIELDS <= set(db)
    assert db["status"] == "pending"
    assert db["owner_uuid"] == api.team_id
    assert db["tags"] == ["prod", "team:ml"]
    assert db["forked_from_id"] == "" and db["last_restore_id"] == ""
    assert db["config"] == {
        "default_quantization": "rq", "enable_auto_schema": True, "weaviate_version": "1.37.14"
    }  # fmt: skip


def test_project_defaults_to_the_teams_and_moves_with_put(api: Api) -> None:
    first = api.create("a")
    second = api.create("b")
    assert first["project_id"] == second["project_id"]
    target = "84e1e297-0000-0000-0000-1067cf2206e9"
    api.settle(first["id"])
    moved = api.client.put(
        f"/v2/vector-databases/{first['id']}", json={"project_id": target}, headers=api.headers()
    )
    assert moved.status_code == 200
    assert moved.json()["vector_db"]["project_id"] == target
    explicit = api.create("c", project_id=target)
    assert explicit["project_id"] == target


def test_tags_are_replaced_not_merged(api: Api) -> None:
    db = api.create(tags=["one", "two"])
    response = api.client.put(
        f"/v2/vector-databases/{db['id']}/tags", json={"tags": ["three"]}, headers=api.headers()
    )
    assert response.json()["vector_db"]["tags"] == ["three"]
    cleared = api.client.put(
        f"/v2/vector-databases/{db['id']}/tags", json={}, headers=api.headers()
    )
    assert cleared.json()["vector_db"]["tags"] == []


def test_pages_are_stable_and_complete(api: Api) -> None:
    created = [api.create(f"db-{n}")["id"] for n in range(7)]
    seen = []
    for page in (1, 2, 3):
        body = api.client.get(
            f"/v2/vector-databases?page={page}&per_page=3", headers=api.headers()
        ).json()
        assert body["total"] == 7
        seen += [db["id"] for db in body["vector_dbs"]]
    assert seen == created
    first = api.client.get("/v2/vector-databases?per_page=3", headers=api.headers()).json()
    assert "page=2" in first["links"]["pages"]["next"]
    default = api.client.get("/v2/vector-databases", headers=api.headers()).json()
    assert len(default["vector_dbs"]) == 7  # default per_page is 20


def test_list_default_page_size_is_twenty(api: Api) -> None:
    for n in range(21):
        api.create(f"n{n}")
    body = api.client.get("/v2/vector-databases", headers=api.headers()).json()
    assert len(body["vector_dbs"]) == 20
    assert body["total"] == 21


def test_quantization_and_auto_schema_set_at_create_are_kept(api: Api) -> None:
    db = api.create(config={"default_quantization": "bq", "enable_auto_schema": False})
    assert db["config"]["default_quantization"] == "bq"
    assert db["config"]["enable_auto_schema"] is False


def test_backups_list_is_empty_and_restores_of_unknown_backups_are_not_found(api: Api) -> None:
    db = api.create()
    listed = api.client.get(f"/v2/vector-databases/{db['id']}/backups", headers=api.headers())
    assert listed.json() == {"backups": []}
    restore = api.client.post(
        f"/v2/vector-databases/{db['id']}/backups/nope/restore", json={}, headers=api.headers()
    )
    assert restore.status_code == 404


def test_the_app_serves_its_openapi_document(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    paths = spec["paths"]
    assert "/v2/vector-databases/{id}/credentials" in paths
    assert "/v2/vector-databases/{id}/backups/{backup_id}/restore" in paths
    assert len([m for p in paths.values() for m in p]) >= 11
