"""Bad input gets a 4xx in DigitalOcean's envelope, never a 500, and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.conftest import Api
from vectorplane.store.tables import Placement

GOOD = {"name": "db1", "region": "nyc1", "size": "small"}


def assert_error(response: object, status: int, error_id: str, *words: str) -> None:
    body = response.json()  # type: ignore[attr-defined]
    assert response.status_code == status, body  # type: ignore[attr-defined]
    assert body["id"] == error_id
    assert body["request_id"]
    assert "Traceback" not in body["message"]
    for word in words:
        assert word in body["message"], body["message"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": ""}, ["name"]),
        ({"name": "   "}, ["name"]),
        ({"name": "x" * 64}, ["name", "63"]),
        ({"name": "bad name!"}, ["name"]),
        ({"name": 42}, ["name"]),
        ({"name": None}, ["name"]),
        ({"region": "mars1"}, ["region", "mars1"]),
        ({"region": ""}, ["region"]),
        ({"region": ["nyc1"]}, ["region"]),
        ({"size": "huge"}, ["size", "huge"]),
        ({"size": 1}, ["size"]),
        ({"tags": "prod"}, ["tags"]),
        ({"tags": ["ok", 3]}, ["tags"]),
        ({"tags": ["has space"]}, ["tag"]),
        ({"tags": ["x" * 256]}, ["tag"]),
        ({"project_id": "not-a-uuid"}, ["project_id"]),
        ({"project_id": 7}, ["project_id"]),
        ({"config": {"default_quantization": "zz"}}, ["default_quantization"]),
        ({"config": {"default_quantization": 8}}, ["default_quantization"]),
        ({"config": {"enable_auto_schema": "yes"}}, ["enable_auto_schema"]),
        ({"config": {"weaviate_version": "0.1.0"}}, ["weaviate_version"]),
        ({"config": "rq"}, ["config"]),
    ],
)
def test_create_rejects_bad_field(api: Api, change: dict[str, object], words: list[str]) -> None:
    response = api.client.post(
        "/v2/vector-databases", json={**GOOD, **change}, headers=api.headers()
    )
    assert_error(response, 422, "unprocessable_entity", *words)
    listed = api.client.get("/v2/vector-databases", headers=api.headers()).json()
    assert listed["total"] == 0


@pytest.mark.parametrize("missing", ["name", "region", "size"])
def test_create_requires_name_region_and_size(api: Api, missing: str) -> None:
    body = {k: v for k, v in GOOD.items() if k != missing}
    response = api.client.post("/v2/vector-databases", json=body, headers=api.headers())
    assert_error(response, 422, "unprocessable_entity", missing, "required")


def test_malformed_json_is_a_bad_request(api: Api) -> None:
    response = api.client.post(
        "/v2/vector-databases",
        content=b'{"name": "db1", ',
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert_error(response, 400, "bad_request", "JSON")


def test_body_that_is_not_an_object_is_rejected(api: Api) -> None:
    response = api.client.post("/v2/vector-databases", json=["db1"], headers=api.headers())
    assert response.status_code == 422
    assert response.json()["id"] == "unprocessable_entity"


def test_same_name_twice_in_a_team_is_rejected(api: Api) -> None:
    api.create("twin")
    response = api.client.post(
        "/v2/vector-databases", json={**GOOD, "name": "twin"}, headers=api.headers()
    )
    assert_error(response, 422, "unprocessable_entity", "twin", "already")


def test_same_name_in_another_team_is_fine(api: Api) -> None:
    api.create("twin")
    response = api.client.post(
        "/v2/vector-databases",
        json={**GOOD, "name": "twin"},
        headers={"Authorization": f"Bearer {api.other_team_token}"},
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("path", "method", "body", "words"),
    [
        ("", "PUT", {"config": {"default_quantization": "xq"}}, ["default_quantization"]),
        ("", "PUT", {"config": {"enable_auto_schema": 1}}, ["enable_auto_schema"]),
        ("", "PUT", {"project_id": "nope"}, ["project_id"]),
        ("", "PUT", {"id": "6a0e7bb2-51c4-4a0e-9a63-3f1c2b1f0c11"}, ["id"]),
        ("", "PUT", {"config": {"weaviate_version": "9.9.9"}}, ["weaviate_version"]),
        ("/resize", "POST", {"size": "gigantic"}, ["size"]),
        ("/resize", "POST", {}, ["size", "required"]),
        ("/resize", "POST", {"size": None}, ["size"]),
        ("/tags", "PUT", {"tags": [""]}, ["tag"]),
        ("/tags", "PUT", {"tags": {"a": 1}}, ["tags"]),
    ],
)
def test_changes_reject_bad_fields(
    api: Api, path: str, method: str, body: dict[str, object], words: list[str]
) -> None:
    db = api.create()
    api.settle(db["id"])
    response = api.client.request(
        method, f"/v2/vector-databases/{db['id']}{path}", json=body, headers=api.headers()
    )
    assert_error(response, 422, "unprocessable_entity", *words)
    after = api.client.get(f"/v2/vector-databases/{db['id']}", headers=api.headers()).json()
    assert after["vector_db"]["size"] == "small"
    assert after["vector_db"]["config"]["default_quantization"] == "rq"


@pytest.mark.parametrize("query", ["page=0", "per_page=0", "per_page=201", "page=abc"])
def test_list_rejects_bad_pagination(api: Api, query: str) -> None:
    response = api.client.get(f"/v2/vector-databases?{query}", headers=api.headers())
    assert_error(response, 422, "unprocessable_entity")


@pytest.mark.parametrize("db_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_unknown_id_is_not_found(api: Api, db_id: str) -> None:
    response = api.client.get(f"/v2/vector-databases/{db_id}", headers=api.headers())
    assert_error(response, 404, "not_found")


def test_unknown_path_uses_the_envelope(api: Api) -> None:
    response = api.client.get("/v2/nothing-here", headers=api.headers())
    assert_error(response, 404, "not_found")


def test_wrong_method_uses_the_envelope(api: Api) -> None:
    response = api.client.patch("/v2/vector-databases", headers=api.headers())
    assert_error(response, 405, "method_not_allowed")


def test_resize_while_another_operation_runs_conflicts(api: Api) -> None:
    db = api.create()
    api.settle(db["id"])
    first = api.client.post(
        f"/v2/vector-databases/{db['id']}/resize", json={"size": "medium"}, headers=api.headers()
    )
    assert first.status_code == 200
    assert first.json()["vector_db"]["size"] == "medium"
    second = api.client.post(
        f"/v2/vector-databases/{db['id']}/resize", json={"size": "large"}, headers=api.headers()
    )
    assert_error(second, 409, "conflict", "resize")
    config = api.client.put(
        f"/v2/vector-databases/{db['id']}",
        json={"config": {"enable_auto_schema": False}},
        headers=api.headers(),
    )
    assert_error(config, 409, "conflict")


def test_changes_to_a_deleting_database_conflict(api: Api) -> None:
    db = api.create()
    assert (
        api.client.delete(f"/v2/vector-databases/{db['id']}", headers=api.headers()).status_code
        == 204
    )
    response = api.client.put(
        f"/v2/vector-databases/{db['id']}/tags", json={"tags": ["x"]}, headers=api.headers()
    )
    assert_error(response, 409, "conflict", "deleted")
    again = api.client.delete(f"/v2/vector-databases/{db['id']}", headers=api.headers())
    assert again.status_code == 204


def test_huge_page_numbers_are_refused_not_crashed(api: Api) -> None:
    for query in ["page=9223372036854775807", "page=99999999999999999999", "page=1000001"]:
        response = api.client.get(f"/v2/vector-databases?{query}", headers=api.headers())
        assert_error(response, 422, "unprocessable_entity", "page")


def test_the_token_is_checked_before_the_body_is_read(api: Api) -> None:
    response = api.client.post(
        "/v2/vector-databases",
        content=b'{"name": ',
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 401, "unauthorized")


def test_oversized_bodies_are_refused(api: Api) -> None:
    response = api.client.post(
        "/v2/vector-databases",
        content=b" " * (1024 * 1024 + 1),
        headers={**api.headers(), "Content-Type": "application/json"},
    )
    assert_error(response, 413, "payload_too_large")


def test_an_unexpected_failure_is_a_logged_500_in_the_envelope(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    api.create()
    # A store that lost its table fails the way a broken database would.
    with api.store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE operations")
    with caplog.at_level("ERROR"):
        response = api.client.get("/v2/vector-databases", headers=api.headers())
    assert_error(response, 500, "server_error")
    assert "ratelimit-remaining" in response.headers
    assert any(record.exc_info for record in caplog.records), "no traceback was logged"


def test_resize_to_a_plan_smaller_than_the_data_is_refused(api: Api) -> None:
    db = api.create()
    api.settle(db["id"])
    with api.store.session() as session:
        session.add(
            Placement(
                vector_db_id=str(db["id"]), port_base=40000, admin_user="admin",
                admin_key_encrypted="x", operator_key_encrypted="x",
                cluster_password_encrypted="x", running_size="small", running_version="v1",
                disk_used_bytes=5 * 1024**3, created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    up = api.client.post(
        f"/v2/vector-databases/{db['id']}/resize", json={"size": "medium"}, headers=api.headers()
    )
    assert up.status_code == 200
    api.settle(db["id"])
    down = api.client.post(
        f"/v2/vector-databases/{db['id']}/resize", json={"size": "small"}, headers=api.headers()
    )
    assert_error(down, 422, "unprocessable_entity", "small", "3 GiB")
