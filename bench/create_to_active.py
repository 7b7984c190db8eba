"""Create-to-active through vectorplane against a bare weaviate-server start, in one run.

For each round it times (a) `POST /v2/vector-databases` until the VectorDB is `active`, through
a real control plane and pydo, and (b) launching weaviate-server by hand with the same kind of
settings (TLS, API keys, loopback cluster ports) until `/v1/.well-known/ready` answers 200, once
with Weaviate's default Raft timing and once with the faster one vectorplane sets.
Prints both medians and their ratio; the machine's noise affects both alike.

    .venv/bin/python bench/create_to_active.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.controlplane import ControlPlane  # noqa: E402
from tests.support.postgres import free_port  # noqa: E402
from vectorplane.runtime.engine import EngineCatalog  # noqa: E402
from vectorplane.secrets.pki import CertificateAuthority  # noqa: E402
from vectorplane.settings import Settings  # noqa: E402


def through_vectorplane(cp: ControlPlane, n: int) -> float:
    client = cp.client()
    started = time.monotonic()
    created = client.vector_databases.create(
        body={"name": f"bench-{n}", "region": "nyc1", "size": "small"}
    )["vector_db"]
    while True:
        status = client.vector_databases.get(created["id"])["vector_db"]["status"]
        if status == "active":
            elapsed = time.monotonic() - started
            break
        if status == "errored":
            raise RuntimeError("bench database errored")
        time.sleep(0.05)
    client.vector_databases.delete(created["id"])
    cp.wait_for(created["id"], {"gone"})
    return elapsed


def bare_weaviate(binary: Path, ca: CertificateAuthority, root: Path, tuned: bool) -> float:
    """Start weaviate-server by hand; `tuned` adds the Raft setting vectorplane uses."""
    folder = Path(tempfile.mkdtemp(dir=root))
    ca.issue_server_cert(["127.0.0.1"], folder / "cert.pem", folder / "key.pem")
    base = free_port()
    while any(_busy(base + k) for k in range(1, 6)):
        base = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PERSISTENCE_DATA_PATH": str(folder / "data"),
        "CLUSTER_HOSTNAME": "node1",
        "CLUSTER_IN_LOCALHOST": "true",
        "CLUSTER_BIND_ADDR": "127.0.0.1",
        "CLUSTER_GOSSIP_BIND_PORT": str(base + 2),
        "CLUSTER_DATA_BIND_PORT": str(base + 3),
        "RAFT_PORT": str(base + 4),
        "RAFT_INTERNAL_RPC_PORT": str(base + 5),
        "RAFT_JOIN": f"node1:{base + 4}",
        "RAFT_BOOTSTRAP_EXPECT": "1",
        "GRPC_PORT": str(base + 1),
        "GRPC_CERT_FILE": str(folder / "cert.pem"),
        "GRPC_KEY_FILE": str(folder / "key.pem"),
        "GO_PROFILING_DISABLE": "true",
        "DISABLE_TELEMETRY": "true",
        "AUTHENTICATION_APIKEY_ENABLED": "true",
        "AUTHENTICATION_APIKEY_ALLOWED_KEYS": "benchkey",
        "AUTHENTICATION_APIKEY_USERS": "admin",
        "GOMAXPROCS": "1",
        "GOMEMLIMIT": "2048MiB",
    }
    if tuned:
        env["RAFT_TIMEOUTS_MULTIPLIER"] = "1"
    argv = [
        str(binary), "--scheme", "https", "--tls-host", "127.0.0.1", "--tls-port", str(base),
        "--tls-certificate", str(folder / "cert.pem"), "--tls-key", str(folder / "key.pem"),
    ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(
        argv, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        ca_file = root / "ca.pem"
        while True:
            try:
                ready = httpx.get(
                    f"https://127.0.0.1:{base}/v1/.well-known/ready", verify=str(ca_file), timeout=1
                )
                if ready.status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                raise RuntimeError("bare weaviate-server exited")
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _busy(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    settings = Settings()
    binary = EngineCatalog(settings.engine_dir, settings.engine_versions).binary(
        settings.default_engine_version
    )
    root = Path(tempfile.mkdtemp(prefix="vp-bench-"))
    ca = CertificateAuthority.load_or_create(root)
    # Polling every 50 ms would hit the per-token rate limit; lift it for the measurement.
    cp = ControlPlane(
        root / "cp",
        VECTORPLANE_LEASE_SECONDS="15",
        VECTORPLANE_RATE_LIMIT_PER_MINUTE="1000000",
        VECTORPLANE_RATE_LIMIT_PER_HOUR="1000000",
    ).start()
    vectorplane_times, bare_times, tuned_times = [], [], []
    try:
        for n in range(args.rounds):
            # Interleaved, so drift in the machine's load affects both series alike.
            bare_times.append(bare_weaviate(binary, ca, root, tuned=False))
            tuned_times.append(bare_weaviate(binary, ca, root, tuned=True))
            vectorplane_times.append(through_vectorplane(cp, n))
            print(
                f"round {n + 1}: bare weaviate-server ready {bare_times[-1]:.2f} s"
                f" (with vectorplane's Raft setting {tuned_times[-1]:.2f} s),"
                f" vectorplane create->active {vectorplane_times[-1]:.2f} s",
                flush=True,
            )
    finally:
        cp.close()
        for line in cp.log().splitlines():
            if " WARNING " in line or " ERROR " in line:
                print("control plane:", line)
        shutil.rmtree(root, ignore_errors=True)
    bare, ours = statistics.median(bare_times), statistics.median(vectorplane_times)
    tuned = statistics.median(tuned_times)
    print(f"median bare weaviate-server start to ready:         {bare:.2f} s")
    print(f"  the same with RAFT_TIMEOUTS_MULTIPLIER=1:         {tuned:.2f} s")
    print(f"median vectorplane create to active:                {ours:.2f} s")
    print(f"ratio vectorplane / bare default:                   {ours / bare:.2f}")
    print(f"ratio vectorplane / bare with the same Raft timing: {ours / tuned:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    main()
