"""SQLAlchemy table definitions. Alembic migrations under `migrations/` must match them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: dict[Any, Any] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    default_project_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime]


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the whole token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # JSON list of scopes; ["*"] means full access.
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class VectorDB(Base):
    __tablename__ = "vector_dbs"
    __table_args__ = (UniqueConstraint("team_id", "name", name="uq_vector_dbs_team_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id"), index=True)
    project_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(63))
    region: Mapped[str] = mapped_column(String(32))
    size: Mapped[str] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # Desired engine settings; '' quantization means the platform default (rq).
    default_quantization: Mapped[str] = mapped_column(String(8), default="")
    enable_auto_schema: Mapped[bool] = mapped_column(Boolean, default=True)
    engine_version: Mapped[str] = mapped_column(String(32))
    # What the server itself reports (GET /v1/meta), '' until it has answered.
    observed_version: Mapped[str] = mapped_column(String(32), default="")
    forked_from_id: Mapped[str] = mapped_column(String(36), default="")
    last_restore_id: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Placement(Base):
    """Where and how a VectorDB's server runs: ports, secrets (encrypted), what it was started
    with. Written by the reconciler only."""

    __tablename__ = "placements"

    vector_db_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    port_base: Mapped[int] = mapped_column(Integer, unique=True)
    admin_user: Mapped[str] = mapped_column(String(64))
    admin_key_encrypted: Mapped[str] = mapped_column(Text)
    # Key the control plane itself uses against the server, so a user's key change never
    # locks the reconciler out.
    operator_key_encrypted: Mapped[str] = mapped_column(Text)
    cluster_password_encrypted: Mapped[str] = mapped_column(Text)
    # The plan and version the running server was started with ('' before the first start).
    running_size: Mapped[str] = mapped_column(String(32), default="")
    running_version: Mapped[str] = mapped_column(String(32), default="")
    disk_used_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime]


class Operation(Base):
    __tablename__ = "operations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vector_db_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    step: Mapped[str] = mapped_column(String(64), default="")
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    not_before: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Backup(Base):
    __tablename__ = "backups"

    # vectordb-{vector db id}-YYYYMMDD-HHMMSS, also the id Weaviate knows it by
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    vector_db_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    # True when the VectorDB had no collections: Weaviate refuses to back up nothing, so such
    # a backup has no files and restoring it empties the VectorDB.
    empty: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Restore(Base):
    __tablename__ = "restores"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vector_db_id: Mapped[str] = mapped_column(String(36), index=True)
    backup_id: Mapped[str] = mapped_column(String(128), index=True)
    # The VectorDB whose storage holds the backup (differs from vector_db_id for a fork).
    source_vector_db_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16))
    error: Mapped[str] = mapped_column(Text, default="")
    # Set once Weaviate has accepted the restore, so a resumed operation polls it rather than
    # starting it again.
    engine_started: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
