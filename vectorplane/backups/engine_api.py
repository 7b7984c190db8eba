"""Asking a VectorDB's server to back up and restore, through Weaviate's REST backup API.

Every call goes to the server's HTTPS endpoint as the control plane's operator user. Weaviate's
errors become RetryLater (the server may be busy or restarting) unless they say the request can
never work.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from vectorplane.domain.errors import PermanentFailure, RetryLater
from vectorplane.runtime.base import Ports

TIMEOUT = httpx.Timeout(30.0)


@dataclass(frozen=True)
class EngineStatus:
    status: str  # one of BackupStatus, as Weaviate spells it
    error: str


class EngineBackups:
    def __init__(self, ca_file: Path) -> None:
        self._ssl = ssl.create_default_context(cafile=str(ca_file))

    def collections(self, ports: Ports, key: str) -> list[str]:
        body = self._call("GET", ports, key, "/v1/schema")
        return [c["class"] for c in body.get("classes") or []]

    def drop_collection(self, ports: Ports, key: str, name: str) -> None:
        self._call("DELETE", ports, key, f"/v1/schema/{name}", allow=(404,))

    def start_backup(self, ports: Ports, key: str, backend: str, backup_id: str) -> None:
        """Ask for a backup; a backup that already exists with this id counts as started."""
        response = self._request(
            "POST", ports, key, f"/v1/backups/{backend}", json={"id": backup_id}
        )
        if response.status_code == 422 and "already exists" in response.text:
            return
        _raise_for(response)

    def backup_status(self, ports: Ports, key: str, backend: str, backup_id: str) -> EngineStatus:
        body = self._call("GET", ports, key, f"/v1/backups/{backend}/{backup_id}")
        return EngineStatus(str(body.get("status", "")), str(body.get("error") or ""))

    def start_restore(
        self, ports: Ports, key: str, backend: str, backup_id: str, config: dict[str, Any]
    ) -> None:
        response = self._request(
            "POST", ports, key, f"/v1/backups/{backend}/{backup_id}/restore",
            json={"config": config},
        )  # fmt: skip
        if response.status_code in (409, 422) and "already in progress" in response.text:
            # An earlier restore on this server (a cancelled one winds down for a few seconds
            # after it reports CANCELED) still runs. Its status is not ours to report: wait.
            raise RetryLater("an earlier restore on this server is still finishing")
        _raise_for(response)

    def restore_status(
        self, ports: Ports, key: str, backend: str, backup_id: str, query: dict[str, str]
    ) -> EngineStatus:
        body = self._call(
            "GET", ports, key, f"/v1/backups/{backend}/{backup_id}/restore", params=query
        )
        return EngineStatus(str(body.get("status", "")), str(body.get("error") or ""))

    def cancel_restore(
        self, ports: Ports, key: str, backend: str, backup_id: str, query: dict[str, str]
    ) -> None:
        self._call(
            "DELETE", ports, key, f"/v1/backups/{backend}/{backup_id}/restore",
            params=query, allow=(404, 409, 422),
        )  # fmt: skip

    # -- plumbing --------------------------------------------------------------------------

    def _call(
        self, method: str, ports: Ports, key: str, path: str,
        allow: tuple[int, ...] = (), **kwargs: Any,
    ) -> dict[str, Any]:  # fmt: skip
        response = self._request(method, ports, key, path, **kwargs)
        if response.status_code in allow:
            return {}
        _raise_for(response)
        if not response.content:
            return {}
        body = response.json()
        return body if isinstance(body, dict) else {}

    def _request(
        self, method: str, ports: Ports, key: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        try:
            return httpx.request(
                method,
                f"https://127.0.0.1:{ports.http}{path}",
                headers={"Authorization": f"Bearer {key}"},
                verify=self._ssl,
                timeout=TIMEOUT,
                **kwargs,
            )
        except httpx.HTTPError as exc:
            raise RetryLater(f"the server did not answer {method} {path}: {exc}") from exc


def _raise_for(response: httpx.Response) -> None:
    if response.status_code < 400:
        return
    message = _message(response)
    where = f"{response.request.method} {response.request.url.path}"
    if response.status_code in (401, 403, 404, 422):
        raise PermanentFailure(f"Weaviate refused {where} ({response.status_code}): {message}")
    raise RetryLater(f"Weaviate answered {where} with {response.status_code}: {message}")


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    errors = body.get("error") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors:
        return "; ".join(str(e.get("message", e)) for e in errors)
    return str(body)[:300]
