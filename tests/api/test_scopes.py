"""Every endpoint against every way a caller can lack the right to call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from tests.api.conftest import ALL_SCOPES, Api
from vectorplane.store import teams


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {id} is replaced by an existing VectorDB's id
    scope: str
    body: dict[str, object] | None = None


ENDPOINTS = [
    Endpoint("GET", "/v2/vector-databases", "database:read"),
    Endpoint("POST", "/v2/vector-databases", "database:create",
             {"name": "new-db", "region": "nyc1", "size": "small"}),
    Endpoint("GET", "/v2/vector-databases/{id}", "database:read"),
    Endpoint("PUT", "/v2/vector-databases/{id}", "database:update",
             {"config": {"enable_auto_schema": False}}),
    Endpoint("DELETE", "/v2/vector-databases/{id}", "database:delete"),
    Endpoint("GET", "/v2/vector-databases/{id}/backups", "database:read"),
    Endpoint("GET", "/v2/vector-databases/{id}/backups/b1/restore", "database:read"),
    Endpoint("POST", "/v2/vector-databases/{id}/backups/b1/restore", "database:update", {}),
    Endpoint("GET", "/v2/vector-databases/{id}/credentials", "database:view_credentials"),
    Endpoint("POST", "/v2/vector-databases/{id}/resize", "database:update", {"size": "medium"}),
    Endpoint("PUT", "/v2/vector-databases/{id}/tags", "database:update", {"tags": ["a"]}),
    Endpoint("POST", "/v2/vector-databases/{id}/backups", "database:update"),
    Endpoint("DELETE", "/v2/vector-databases/{id}/backups/b1/restore", "database:update"),
    Endpoint("POST", "/v2/vector-databases/{id}/fork", "database:create",
             {"name": "forked", "region": "nyc1", "size": "small",
              "backup_mode": "FRESH_BACKUP"}),
]  # fmt: skip

IDS = [f"{e.method} {e.path}" for e in ENDPOINTS]
# Forking needs database:read as well: see test_fork_needs_read_as_well_as_create.
SINGLE_SCOPE = [e for e in ENDPOINTS if not e.path.endswith("/fork")]


def call(api: Api, endpoint: Endpoint, db_id: str, token: str | None) -> tuple[int, dict[str, str]]:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = api.client.request(
        endpoint.method, endpoint.path.format(id=db_id), json=endpoint.body, headers=headers
    )
    body = response.json() if response.content else {}
    assert set(body) >= {"id", "message", "request_id"} or response.status_code < 400, body
    return response.status_code, body


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_no_token_is_unauthorized(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    status, body = call(api, endpoint, str(db["id"]), None)
    assert (status, body["id"]) == (401, "unauthorized")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_unknown_token_is_unauthorized(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    status, body = call(api, endpoint, str(db["id"]), "dop_v1_" + "0" * 64)
    assert (status, body["id"]) == (401, "unauthorized")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_revoked_token_is_unauthorized(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    token = api.token_with("*")
    with api.store.session() as session:
        found = teams.find_token_by_secret(session, token)
        assert found is not None
        teams.revoke_token(session, found.id, datetime.now(UTC))
    status, body = call(api, endpoint, str(db["id"]), token)
    assert (status, body["id"]) == (401, "unauthorized")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_token_without_the_scope_is_forbidden(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    others = [s for s in ALL_SCOPES if s != endpoint.scope]
    status, body = call(api, endpoint, str(db["id"]), api.token_with(*others))
    assert (status, body["id"]) == (403, "forbidden")
    assert endpoint.scope in body["message"]


@pytest.mark.parametrize(
    "endpoint", SINGLE_SCOPE, ids=[f"{e.method} {e.path}" for e in SINGLE_SCOPE]
)
def test_token_with_only_the_scope_gets_through(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    api.settle(db["id"])
    status, _ = call(api, endpoint, str(db["id"]), api.token_with(endpoint.scope))
    assert status not in (401, 403)
    # The restore endpoints answer 404 for a backup that does not exist; credentials
    # answer 409 until the reconciler has placed the database (none runs here).
    if "restore" in endpoint.path:
        assert status == 404
    elif "credentials" in endpoint.path:
        assert status == 409
    else:
        assert status in (200, 201, 204)


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if "{id}" in e.path], ids=[i for i in IDS if "{id}" in i]
)
def test_another_teams_database_is_not_found(api: Api, endpoint: Endpoint) -> None:
    db = api.create()
    status, body = call(api, endpoint, str(db["id"]), api.other_team_token)
    assert (status, body["id"]) == (404, "not_found")
    # and nothing changed for its owner
    again = api.client.get(f"/v2/vector-databases/{db['id']}", headers=api.headers()).json()
    assert again["vector_db"]["status"] == "pending"
    assert again["vector_db"]["tags"] == []
    assert again["vector_db"]["size"] == "small"


def test_another_team_lists_none_of_ours(api: Api) -> None:
    api.create("mine")
    response = api.client.get(
        "/v2/vector-databases", headers={"Authorization": f"Bearer {api.other_team_token}"}
    )
    assert response.json()["vector_dbs"] == []
    assert response.json()["total"] == 0


def test_fork_needs_read_as_well_as_create(api: Api) -> None:
    db = api.create()
    api.settle(db["id"])
    body = {"name": "forked", "region": "nyc1", "size": "small", "backup_mode": "FRESH_BACKUP"}
    path = f"/v2/vector-databases/{db['id']}/fork"
    create_only = api.client.post(
        path, json=body, headers=api.headers(api.token_with("database:create"))
    )
    assert create_only.status_code == 403
    assert "database:read" in create_only.json()["message"]
    both = api.client.post(
        path, json=body, headers=api.headers(api.token_with("database:create", "database:read"))
    )
    assert both.status_code == 201
    assert both.json()["vector_db"]["forked_from_id"] == db["id"]
