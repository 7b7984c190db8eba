"""Backup ids: `vectordb-{vector db id}-YYYYMMDD-HHMMSS`, which Weaviate also accepts."""

from __future__ import annotations

from datetime import datetime, timedelta

from vectorplane.domain.ids import VectorDBId


def backup_id(vector_db_id: VectorDBId, at: datetime, taken: set[str] | None = None) -> str:
    """The id for a backup started at `at`; moves on a second while the id is `taken`."""
    taken = taken or set()
    while True:
        candidate = f"vectordb-{vector_db_id}-{at:%Y%m%d-%H%M%S}"
        if candidate not in taken:
            return candidate
        at += timedelta(seconds=1)
