"""Every port a VectorDB's server opens is on loopback or demands credentials; telemetry is off."""

from __future__ import annotations

import base64
import subprocess

import grpc
import httpx
import pytest

from tests.e2e.conftest import endpoint_ports, server_environment
from tests.support.controlplane import ControlPlane

pytestmark = pytest.mark.e2e


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    out = subprocess.run(["ss", "-Htlnup"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        if f"pid={pid}," not in line:
            continue
        local = line.split()[4]
        address, port = local.rsplit(":", 1)
        found.append((address.strip("[]"), int(port)))
    return found


def test_ports_are_loopback_or_authenticated(control_plane: ControlPlane) -> None:
    cp = control_plane
    created = cp.client().vector_databases.create(
        body={"name": "locked", "region": "nyc1", "size": "small"}
    )["vector_db"]
    db = cp.wait_for(created["id"], {"active"})
    http_port, grpc_port = endpoint_ports(db)
    [pid] = cp.server_pids()
    sockets = listening_sockets(pid)
    assert sockets, "ss shows no sockets for the server"
    wildcard = {port for address, port in sockets if address not in ("127.0.0.1", "::1")}
    data_port = http_port + 3  # the cluster-internal API; Weaviate binds it on all addresses
    assert wildcard <= {grpc_port, data_port}, sockets

    # REST refuses anonymous callers.
    rest = httpx.get(f"https://127.0.0.1:{http_port}/v1/schema", verify=str(cp.ca_file))
    assert rest.status_code == 401

    # gRPC refuses anonymous callers.
    channel = grpc.secure_channel(
        f"127.0.0.1:{grpc_port}",
        grpc.ssl_channel_credentials(root_certificates=cp.ca_file.read_bytes()),
    )
    search = channel.unary_unary(
        "/weaviate.v1.Weaviate/Search",
        request_serializer=lambda b: b,
        response_deserializer=lambda b: b,
    )
    with pytest.raises(grpc.RpcError) as refused:
        search(b"", timeout=5)
    # Weaviate answers UNKNOWN with an auth message rather than UNAUTHENTICATED.
    assert "unauthorized" in (refused.value.details() or "")
    channel.close()

    # The internal cluster API refuses callers without the cluster password.
    internal = httpx.get(f"http://127.0.0.1:{data_port}/nodes/status")
    assert internal.status_code == 401
    bogus = base64.b64encode(b"vectorplane:wrong").decode()
    internal = httpx.get(
        f"http://127.0.0.1:{data_port}/nodes/status", headers={"Authorization": f"Basic {bogus}"}
    )
    assert internal.status_code == 401

    environment = server_environment(pid)
    assert environment["DISABLE_TELEMETRY"] == "true"
    assert environment["GO_PROFILING_DISABLE"] == "true"
    assert "PROMETHEUS_MONITORING_PORT" not in environment
