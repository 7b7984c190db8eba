"""Bearer tokens and scopes.

A request carries `Authorization: Bearer dop_v1_...`. The token's SHA-256 is looked up; a
missing, unknown or revoked token is a 401, a valid one without the endpoint's scope a 403.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from vectorplane.domain.errors import Forbidden, Unauthorized
from vectorplane.domain.ids import ProjectId, TeamId, TokenId
from vectorplane.store import teams
from vectorplane.store.database import Store
from vectorplane.store.tables import Team


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's team and what the token may do."""

    token_id: TokenId
    team_id: TeamId
    default_project_id: ProjectId
    scopes: frozenset[str]

    def allows(self, scope: str) -> bool:
        return teams.FULL_ACCESS in self.scopes or scope in self.scopes


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def rate_limit_key(request: Request) -> str:
    """What a request's rate limit is counted against: its token, else its client address."""
    secret = bearer_secret(request)
    if secret is not None:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    client = request.client.host if request.client else "unknown"
    return "address:" + client


def requires(scope: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency that authenticates the request and demands `scope`."""

    def dependency(request: Request) -> Principal:
        # The request middleware has authenticated every API call already.
        principal = getattr(request.state, "principal", None) or authenticate(request)
        if not principal.allows(scope):
            raise Forbidden(f"This token lacks the {scope} scope needed here.")
        return principal

    dependency.__name__ = f"requires_{scope.replace(':', '_')}"
    return dependency


def authenticate(request: Request) -> Principal:
    secret = bearer_secret(request)
    if secret is None:
        raise Unauthorized()
    store: Store = request.app.state.store
    with store.session() as session:
        token = teams.find_token_by_secret(session, secret)
        if token is None or token.revoked_at is not None:
            raise Unauthorized()
        team = session.get(Team, token.team_id)
        assert team is not None  # foreign key
        principal = Principal(
            token_id=TokenId(token.id),
            team_id=TeamId(team.id),
            default_project_id=ProjectId(team.default_project_id),
            scopes=frozenset(token.scopes),
        )
    request.state.token_id = principal.token_id
    return principal


Read = Annotated[Principal, Depends(requires("database:read"))]
Create = Annotated[Principal, Depends(requires("database:create"))]
Update = Annotated[Principal, Depends(requires("database:update"))]
Delete = Annotated[Principal, Depends(requires("database:delete"))]
ViewCredentials = Annotated[Principal, Depends(requires("database:view_credentials"))]
