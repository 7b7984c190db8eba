"""Teams and their API tokens. Tokens are stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from vectorplane.domain.ids import TeamId, TokenId, new_uuid
from vectorplane.store.tables import Team, Token

TOKEN_PREFIX = "dop_v1_"
FULL_ACCESS = "*"
KNOWN_SCOPES = frozenset(
    {
        "database:read",
        "database:create",
        "database:update",
        "database:delete",
        "database:view_credentials",
    }
)


@dataclass(frozen=True)
class IssuedToken:
    id: TokenId
    secret: str  # shown once; only its hash is kept


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_team(session: Session, name: str, now: datetime) -> Team:
    team = Team(id=new_uuid(), name=name, default_project_id=new_uuid(), created_at=now)
    session.add(team)
    session.flush()
    return team


def find_team(session: Session, name_or_id: str) -> Team | None:
    return session.scalars(
        select(Team).where((Team.name == name_or_id) | (Team.id == name_or_id))
    ).first()


def issue_token(
    session: Session, team_id: TeamId, scopes: list[str], name: str, now: datetime
) -> IssuedToken:
    """Create a token for the team. `scopes` is ['*'] for full access or known scope names."""
    unknown = set(scopes) - KNOWN_SCOPES - {FULL_ACCESS}
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    secret = TOKEN_PREFIX + secrets.token_hex(32)
    token = Token(
        id=new_uuid(),
        team_id=team_id,
        name=name,
        token_hash=hash_token(secret),
        scopes=sorted(set(scopes)),
        created_at=now,
        revoked_at=None,
    )
    session.add(token)
    session.flush()
    return IssuedToken(id=TokenId(token.id), secret=secret)


def find_token_by_secret(session: Session, secret: str) -> Token | None:
    return session.scalars(select(Token).where(Token.token_hash == hash_token(secret))).first()


def revoke_token(session: Session, token_id: str, now: datetime) -> bool:
    token = session.get(Token, token_id)
    if token is None:
        return False
    if token.revoked_at is None:
        token.revoked_at = now
    return True


def count_tokens(session: Session) -> int:
    return len(session.scalars(select(Token.id)).all())
