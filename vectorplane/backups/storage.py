"""The BackupStorage port: the operator's storage, as Weaviate's backup modules and we see it.

Every VectorDB's backups live under a location of its own (a folder, or an S3 prefix) named by
its id. Weaviate writes there itself; vectorplane deletes from there (Weaviate has no delete).
"""

from __future__ import annotations

from typing import Any, Protocol

from vectorplane.domain.ids import VectorDBId


class BackupStorage(Protocol):
    backend: str
    """Weaviate's name for the backend: 'filesystem' or 's3'."""

    def server_environment(self, vector_db_id: VectorDBId) -> dict[str, str]:
        """Environment that makes the VectorDB's server write its backups to its location."""
        ...

    def location_config(self, vector_db_id: VectorDBId) -> dict[str, Any]:
        """Weaviate's `config` naming the VectorDB's location (restoring another's backup)."""
        ...

    def location_query(self, vector_db_id: VectorDBId) -> dict[str, str]:
        """The same location as query parameters, for status requests."""
        ...

    def check_access(self) -> str:
        """'' when the storage can be written; otherwise what is wrong, for the operator."""
        ...

    def holds(self, vector_db_id: VectorDBId, backup_id: str) -> bool:
        """True when any file of the backup is in storage."""
        ...

    def delete_backup(self, vector_db_id: VectorDBId, backup_id: str) -> None:
        """Remove the backup's files. Idempotent."""
        ...

    def delete_all(self, vector_db_id: VectorDBId) -> None:
        """Remove every backup of the VectorDB. Idempotent."""
        ...
