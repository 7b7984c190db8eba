"""Asking a running server how it is, over its own HTTPS endpoint."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from vectorplane.runtime.base import Ports

TIMEOUT = httpx.Timeout(5.0)


class ServerProbe:
    """Talks to servers as the control plane's operator user, trusting the local CA."""

    def __init__(self, ca_file: Path) -> None:
        self._ssl = ssl.create_default_context(cafile=str(ca_file))

    def is_ready(self, ports: Ports) -> bool:
        try:
            response = httpx.get(
                f"https://127.0.0.1:{ports.http}/v1/.well-known/ready",
                verify=self._ssl,
                timeout=TIMEOUT,
            )
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def version(self, ports: Ports, operator_key: str) -> str:
        """The version the server reports in /v1/meta ('' when it cannot be asked)."""
        try:
            response = httpx.get(
                f"https://127.0.0.1:{ports.http}/v1/meta",
                headers={"Authorization": f"Bearer {operator_key}"},
                verify=self._ssl,
                timeout=TIMEOUT,
            )
            response.raise_for_status()
            return str(response.json().get("version", ""))
        except (httpx.HTTPError, ValueError):
            return ""
