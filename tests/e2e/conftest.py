"""End-to-end tests: a real control plane, real Weaviate servers, the real clients."""

from __future__ import annotations

import socket
from pathlib import Path


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
