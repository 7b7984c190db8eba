"""Teams, tokens, VectorDBs, placements and operations.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from vectorplane.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("default_project_id", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("team_id", sa.String(36), sa.ForeignKey("teams.id"), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_table(
        "vector_dbs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("team_id", sa.String(36), sa.ForeignKey("teams.id"), nullable=False, index=True),
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("size", sa.String(32), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("default_quantization", sa.String(8), nullable=False),
        sa.Column("enable_auto_schema", sa.Boolean(), nullable=False),
        sa.Column("engine_version", sa.String(32), nullable=False),
        sa.Column("observed_version", sa.String(32), nullable=False),
        sa.Column("forked_from_id", sa.String(36), nullable=False),
        sa.Column("last_restore_id", sa.String(128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "name", name="uq_vector_dbs_team_name"),
    )
    op.create_table(
        "placements",
        sa.Column("vector_db_id", sa.String(36), primary_key=True),
        sa.Column("port_base", sa.Integer(), nullable=False, unique=True),
        sa.Column("admin_user", sa.String(64), nullable=False),
        sa.Column("admin_key_encrypted", sa.Text(), nullable=False),
        sa.Column("operator_key_encrypted", sa.Text(), nullable=False),
        sa.Column("cluster_password_encrypted", sa.Text(), nullable=False),
        sa.Column("running_size", sa.String(32), nullable=False),
        sa.Column("running_version", sa.String(32), nullable=False),
        sa.Column("disk_used_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "operations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("vector_db_id", sa.String(36), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, index=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("not_before", UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
    )


def downgrade() -> None:
    for table in ("operations", "placements", "vector_dbs", "tokens", "teams"):
        op.drop_table(table)
