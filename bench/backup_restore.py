"""Backup and restore through vectorplane against Weaviate's own backup API, in one run.

Loads a VectorDB with N objects of D-dimensional vectors (default 100,000 x 128), then, on the
same server, times:
  - a backup through vectorplane (POST .../backups until the operation is done) and a backup
    asked of Weaviate directly (POST /v1/backups/filesystem until SUCCESS);
  - a restore through vectorplane (POST .../restore until done; vectorplane drops the
    collections first) and a direct one (drop the collections, POST restore, poll).
An untimed backup and restore come first; then rounds alternate which side goes first.
Prints each time, the medians and their ratios.

    .venv/bin/python bench/backup_restore.py [--objects 100000] [--dims 128] [--rounds 2]
"""

from __future__ import annotations

import argparse
import random
import shutil
import ssl
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import weaviate.classes.config as wc

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.controlplane import ControlPlane  # noqa: E402
from tests.support.weaviate import connect  # noqa: E402

POLL = 0.1


class Direct:
    """Weaviate's backup REST API on the VectorDB's server, with its admin key."""

    def __init__(self, endpoint: str, key: str, ca_file: Path) -> None:
        self.endpoint = endpoint
        self.headers = {"Authorization": f"Bearer {key}"}
        self.verify = ssl.create_default_context(cafile=str(ca_file))

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = httpx.request(
            method, self.endpoint + path, headers=self.headers, verify=self.verify,
            timeout=60, **kwargs,
        )  # fmt: skip
        response.raise_for_status()
        return response

    def wait(self, path: str) -> None:
        while True:
            status = self.call("GET", path).json()["status"]
            if status == "SUCCESS":
                return
            if status in ("FAILED", "CANCELED"):
                raise RuntimeError(f"{path} ended {status}")
            time.sleep(POLL)

    def backup(self, backup_id: str) -> None:
        self.call("POST", "/v1/backups/filesystem", json={"id": backup_id})
        self.wait(f"/v1/backups/filesystem/{backup_id}")

    def restore(self, backup_id: str) -> None:
        for collection in self.call("GET", "/v1/schema").json()["classes"]:
            self.call("DELETE", f"/v1/schema/{collection['class']}")
        self.call("POST", f"/v1/backups/filesystem/{backup_id}/restore", json={})
        self.wait(f"/v1/backups/filesystem/{backup_id}/restore")


def timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def load(cp: ControlPlane, db: dict[str, Any], key: str, objects: int, dims: int) -> None:
    rng = random.Random(7)
    started = time.monotonic()
    with connect(db, key, cp.ca_file) as client:
        docs = client.collections.create("Docs", vector_config=wc.Configure.Vectors.self_provided())
        with docs.batch.fixed_size(batch_size=1000, concurrent_requests=2) as batch:
            for n in range(objects):
                batch.add_object({"n": n}, vector=[rng.random() for _ in range(dims)])
        if docs.batch.failed_objects:
            raise RuntimeError(f"{len(docs.batch.failed_objects)} objects failed to load")
        count = len(docs)
    print(f"loaded {count} objects of {dims} dimensions in {time.monotonic() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="vp-bench-backup-"))
    cp = ControlPlane(
        root / "cp",
        VECTORPLANE_RATE_LIMIT_PER_MINUTE="1000000",
        VECTORPLANE_RATE_LIMIT_PER_HOUR="1000000",
    ).start()
    try:
        client = cp.client()
        created = client.vector_databases.create(
            body={"name": "bench", "region": "nyc1", "size": "medium"}
        )["vector_db"]
        db = cp.wait_for(created["id"], {"active"})
        key = client.vector_databases.get_credentials(db["id"])["api_token"]
        load(cp, db, key, args.objects, args.dims)
        direct = Direct(db["endpoints"]["http"], key, cp.ca_file)

        def through_vectorplane_backup() -> str:
            started = cp.call("POST", f"/v2/vector-databases/{db['id']}/backups").json()
            _wait_idle(cp, db["id"])
            return str(started["backup_id"])

        def through_vectorplane_restore(backup_id: str) -> None:
            client.vector_databases.post_restore_backup(db["id"], backup_id, body={})
            _wait_idle(cp, db["id"])
            status = client.vector_databases.get_restore_status(db["id"], backup_id)
            if status["status"] != "SUCCESS":
                raise RuntimeError(f"restore ended {status}")

        # Untimed: the first drop of a freshly loaded collection pays for flushing its index and
        # memtables, which later drops of restored collections do not; whichever restore ran
        # first would carry that cost.
        direct.backup("warmup")
        direct.restore("warmup")

        ours_backup, direct_backup, ours_restore, direct_restore = [], [], [], []
        for n in range(args.rounds):
            ours_id = ""

            def ours() -> None:
                nonlocal ours_id
                ours_id = through_vectorplane_backup()

            direct_id = f"direct-{n}"
            backups = [
                (ours, ours_backup),
                (lambda: direct.backup(direct_id), direct_backup),  # noqa: B023 - runs now
            ]
            for action, times in backups if n % 2 == 0 else reversed(backups):
                times.append(timed(action))
            restores = [
                (lambda: through_vectorplane_restore(ours_id), ours_restore),  # noqa: B023
                (lambda: direct.restore(direct_id), direct_restore),  # noqa: B023
            ]
            for action, times in restores if n % 2 == 0 else reversed(restores):
                times.append(timed(action))
            print(
                f"round {n + 1}: backup vectorplane {ours_backup[-1]:.2f} s,"
                f" direct {direct_backup[-1]:.2f} s; restore vectorplane"
                f" {ours_restore[-1]:.2f} s, direct {direct_restore[-1]:.2f} s",
                flush=True,
            )
        report("backup", ours_backup, direct_backup)
        report("restore", ours_restore, direct_restore)
    finally:
        cp.close()
        shutil.rmtree(root, ignore_errors=True)


def report(what: str, ours: list[float], direct: list[float]) -> None:
    a, b = statistics.median(ours), statistics.median(direct)
    print(f"median {what}: vectorplane {a:.2f} s, Weaviate directly {b:.2f} s, ratio {a / b:.2f}")


def _wait_idle(cp: ControlPlane, db_id: str) -> None:
    client = cp.client()
    while client.vector_databases.get(db_id)["vector_db"]["operation"] is not None:
        time.sleep(POLL)


if __name__ == "__main__":
    main()
