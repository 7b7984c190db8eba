"""End-to-end tests: a real control plane, real Weaviate servers, the real clients."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.controlplane import ControlPlane


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def server_environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def endpoint_ports(vector_db: dict[str, object]) -> tuple[int, int]:
    endpoints = vector_db["endpoints"]
    assert isinstance(endpoints, dict)
    return int(endpoints["http"].rsplit(":", 1)[1]), int(endpoints["grpc"].rsplit(":", 1)[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def cp_on_each_store(
    request: pytest.FixtureRequest, control_plane_factory: Callable[..., ControlPlane]
) -> ControlPlane:
    """A running control plane, once on SQLite and once on PostgreSQL."""
    store_url = request.getfixturevalue("pg_store_url") if request.param == "postgresql" else None
    cp = control_plane_factory(store_url=store_url).start()
    assert ("PostgresqlImpl" in cp.log()) == (request.param == "postgresql")
    return cp
