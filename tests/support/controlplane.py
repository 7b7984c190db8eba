"""A real control plane for end-to-end tests: `vectorplane serve` in a subprocess.

Tests drive it with the real pydo client and may kill it with SIGKILL. On teardown it also
kills every weaviate-server whose working folder lies in its data folder, since servers are
made to outlive the control plane.
"""

from __future__ import annotations

import itertools
import os
import signal
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pydo

from tests.support.postgres import free_port
from vectorplane.backups.storage import BackupStorage
from vectorplane.cli.wiring import backup_storage
from vectorplane.settings import Settings

_port_ranges = itertools.count(0)

# Short leases so that a killed control plane's operations are taken over within seconds.
FAST_RECONCILE = {
    "VECTORPLANE_LEASE_SECONDS": "3",
    "VECTORPLANE_OBSERVE_INTERVAL_SECONDS": "1",
    "VECTORPLANE_OPERATION_ATTEMPTS": "4",
    # No automatic backup may start in the middle of a test (and collide with what it does);
    # the tests of the schedule set their own interval.
    "VECTORPLANE_BACKUP_INTERVAL_HOURS": "1000000",
}


class ControlPlane:
    def __init__(self, data_dir: Path, store_url: str | None = None, **env: str) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        slot = next(_port_ranges)
        # Each control plane of a test run hands out ports from its own range.
        start = 40000 + (slot % 100) * 200
        self.env = {
            **os.environ,
            **FAST_RECONCILE,
            "VECTORPLANE_DATA_DIR": str(data_dir),
            "VECTORPLANE_PORT": str(self.port),
            "VECTORPLANE_PORT_RANGE_START": str(start),
            "VECTORPLANE_PORT_RANGE_END": str(start + 200),
            **env,
        }
        if store_url:
            self.env["VECTORPLANE_STORE_URL"] = store_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / f"{data_dir.name}-controlplane.log"

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.data_dir / "tls" / "ca.pem"

    @property
    def token(self) -> str:
        return (self.data_dir / "initial-token").read_text().strip()

    def start(self) -> ControlPlane:
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vectorplane.cli.main", "serve"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"control plane exited:\n{self.log()}")
            try:
                httpx.get(
                    self.url + "/openapi.json",
                    verify=ssl.create_default_context(cafile=str(self.ca_file)),
                    timeout=1,
                )
                return self
            except (httpx.HTTPError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"control plane did not come up:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL, as a crash would: no cleanup runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self, token: str | None = None) -> pydo.Client:
        return pydo.Client(
            token=token or self.token, endpoint=self.url, connection_verify=str(self.ca_file)
        )

    def call(
        self, method: str, path: str, json: object = None, token: str | None = None
    ) -> httpx.Response:
        """A raw API call, for endpoints pydo does not offer (on-demand backups, forks)."""
        return httpx.request(
            method,
            self.url + path,
            json=json,
            headers={"Authorization": f"Bearer {token or self.token}"},
            verify=ssl.create_default_context(cafile=str(self.ca_file)),
            timeout=30,
        )

    def settings(self) -> Settings:
        """This control plane's data-folder and backup settings, as its own process reads them."""
        prefix = "VECTORPLANE_"
        fields = {
            key[len(prefix) :].lower(): value
            for key, value in self.env.items()
            if key.startswith(prefix) and key[len(prefix) :].lower().startswith(("backup", "data"))
        }
        return Settings(**fields)

    def backup_storage(self) -> BackupStorage:
        """The storage this control plane backs up to."""
        return backup_storage(self.settings())

    def cli(self, *args: str) -> str:
        """Run an admin command against this control plane's store; return its stdout."""
        result = subprocess.run(
            [sys.executable, "-m", "vectorplane.cli.main", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def server_pids(self) -> list[int]:
        root = (self.data_dir / "vector-dbs").resolve()
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                cwd = Path(os.readlink(f"/proc/{entry}/cwd"))
            except OSError:
                continue
            if root in cwd.parents:
                pids.append(int(entry))
        return pids

    def wait_for(self, db_id: str, statuses: set[str], timeout: float = 180) -> dict[str, Any]:
        client = self.client()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = client.vector_databases.get(db_id)
            vector_db = got.get("vector_db")
            if vector_db is None:
                if "gone" in statuses and got.get("id") == "not_found":
                    return got
            elif vector_db["status"] in statuses:
                return vector_db  # type: ignore[no-any-return]
            time.sleep(0.3)
        raise AssertionError(
            f"{db_id} did not reach {statuses} in {timeout} s:\n{self.log()[-4000:]}"
        )

    def wait_for_step(self, db_id: str, steps: set[str], timeout: float = 120) -> str:
        """Wait until an operation on the VectorDB is in one of `steps`; return that step."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            operation = self.client().vector_databases.get(db_id)["vector_db"]["operation"]
            if operation and operation["step"] in steps:
                return str(operation["step"])
            time.sleep(0.05)
        raise AssertionError(f"never saw steps {steps}:\n{self.log()[-3000:]}")

    def wait_idle(self, db_id: str, timeout: float = 180) -> dict[str, Any]:
        """Wait until no operation is in progress on the VectorDB; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            db = self.client().vector_databases.get(db_id)["vector_db"]
            if db["operation"] is None:
                return db  # type: ignore[no-any-return]
            time.sleep(0.3)
        raise AssertionError(f"{db_id} still busy after {timeout} s:\n{self.log()[-3000:]}")

    def close(self) -> None:
        self.kill()
        for pid in self.server_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
