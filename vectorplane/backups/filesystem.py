"""Backups in a local folder: `<root>/<vector db id>/<backup id>/`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from vectorplane.domain.ids import VectorDBId

ID_SAFE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")


class FilesystemStorage:
    backend = "filesystem"

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def server_environment(self, vector_db_id: VectorDBId) -> dict[str, str]:
        return {
            "ENABLE_MODULES": "backup-filesystem",
            "BACKUP_FILESYSTEM_PATH": str(self._folder(vector_db_id)),
        }

    def location_config(self, vector_db_id: VectorDBId) -> dict[str, Any]:
        return {"Path": str(self._folder(vector_db_id))}

    def location_query(self, vector_db_id: VectorDBId) -> dict[str, str]:
        return {"path": str(self._folder(vector_db_id))}

    def check_access(self) -> str:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".access-check"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return f"backup folder {self.root} is not writable: {exc}"
        return ""

    def holds(self, vector_db_id: VectorDBId, backup_id: str) -> bool:
        return (self._folder(vector_db_id) / _safe(backup_id)).exists()

    def delete_backup(self, vector_db_id: VectorDBId, backup_id: str) -> None:
        shutil.rmtree(self._folder(vector_db_id) / _safe(backup_id), ignore_errors=True)

    def delete_all(self, vector_db_id: VectorDBId) -> None:
        shutil.rmtree(self._folder(vector_db_id), ignore_errors=True)

    def _folder(self, vector_db_id: VectorDBId) -> Path:
        return self.root / _safe(vector_db_id)


def _safe(name: str) -> str:
    """Refuse anything that could step outside the storage root."""
    if not name or not set(name) <= ID_SAFE:
        raise ValueError(f"unsafe storage name {name!r}")
    return name
