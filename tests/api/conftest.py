"""The API in-process over a real store (SQLite and PostgreSQL), without a reconciler."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vectorplane.api.app import create_app
from vectorplane.domain.clock import SystemClock
from vectorplane.domain.statuses import OperationState, VectorDBStatus
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store import operations, teams
from vectorplane.store.database import Store
from vectorplane.store.tables import VectorDB

ALL_SCOPES = sorted(teams.KNOWN_SCOPES)


@dataclass
class Api:
    client: TestClient
    store: Store
    team_id: str
    token: str  # full access
    other_team_token: str

    def token_with(self, *scopes: str, team_id: str | None = None) -> str:
        with self.store.session() as session:
            issued = teams.issue_token(
                session, team_id or self.team_id, list(scopes), "test", SystemClock().now()
            )
        return issued.secret

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def create(self, name: str = "db1", **fields: object) -> dict[str, object]:
        body = {"name": name, "region": "nyc1", "size": "small", **fields}
        response = self.client.post("/v2/vector-databases", json=body, headers=self.headers())
        assert response.status_code == 201, response.text
        return response.json()["vector_db"]  # type: ignore[no-any-return]

    def settle(self, db_id: object) -> None:
        """Finish the VectorDB's operations as a reconciler would, leaving it active."""
        with self.store.session() as session:
            for op in operations.unfinished_for(session, str(db_id)):
                op.state = OperationState.SUCCEEDED.value
            db = session.get(VectorDB, str(db_id))
            assert db is not None
            db.status = VectorDBStatus.ACTIVE.value


def make_api(store: Store, tmp_path: Path, **settings: object) -> Api:
    config = Settings(data_dir=tmp_path / "data", **settings)  # type: ignore[arg-type]
    now = SystemClock().now()
    with store.session() as session:
        team = teams.create_team(session, "team-a", now)
        other = teams.create_team(session, "team-b", now)
        token = teams.issue_token(session, team.id, ["*"], "full", now).secret
        other_token = teams.issue_token(session, other.id, ["*"], "full", now).secret
    app = create_app(
        config, store, SecretBox.load_or_create(tmp_path / "sealing.key"), SystemClock()
    )
    return Api(TestClient(app), store, team.id, token, other_token)


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    made = make_api(store, tmp_path)
    with made.client:
        yield made
