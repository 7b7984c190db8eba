"""The process runtime: each VectorDB is a weaviate-server process on this machine.

Layout of a server's folder, `<data_dir>/vector-dbs/<id>/` (also the process's cwd, which is
how a running server is found again after a control-plane restart):

    data/             PERSISTENCE_DATA_PATH
    tls/              its certificate and key, signed by the local CA
    overrides.yaml    Weaviate runtime overrides (live settings), reloaded on SIGHUP
    fingerprint       the ServerSpec fingerprint the running process was started with
    server.log        its stdout and stderr

Servers are started in their own session so they outlive the control plane; a restarted
control plane adopts them instead of starting them again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import time
from collections import deque
from pathlib import Path

from vectorplane.domain.ids import VectorDBId
from vectorplane.runtime.base import OPERATOR_USER, LiveSettings, ServerSpec
from vectorplane.secrets.files import write_private
from vectorplane.secrets.pki import CertificateAuthority, server_hosts

logger = logging.getLogger(__name__)

NODE_NAME = "node1"
# Weaviate's own shutdown allows 15 s for HTTP draining plus the database close; past this the
# process is killed. Writes are in its WAL before they are acknowledged, so nothing acked is lost.
STOP_TIMEOUT_SECONDS = 60.0
BINARY_NAME = "weaviate-server"


class ProcessRuntime:
    def __init__(
        self, root: Path, ca: CertificateAuthority, ca_file: Path, advertise_host: str
    ) -> None:
        self._root = root
        self._ca = ca
        self._ca_file = ca_file
        self._advertise_host = advertise_host
        self._children: dict[int, subprocess.Popen[bytes]] = {}

    # -- the Runtime port ------------------------------------------------------------------

    def ensure_running(self, spec: ServerSpec) -> int:
        folder = self.server_dir(spec.vector_db_id)
        pid = self.running_pid(spec.vector_db_id)
        fingerprint = spec.fingerprint()
        if pid is not None and self._read(folder / "fingerprint") == fingerprint:
            self.apply_live_settings(spec.vector_db_id, spec.live)
            return pid
        if pid is not None:
            logger.info("Restarting server of %s to apply a new spec.", spec.vector_db_id)
            self.stop(spec.vector_db_id)

        self._prepare(folder, spec)
        write_private(folder / "fingerprint", fingerprint.encode())
        with open(folder / "server.log", "ab") as log:
            child = subprocess.Popen(
                self._argv(folder, spec),
                cwd=folder,
                env=self._environment(folder, spec),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._children[child.pid] = child
        logger.info("Started server of %s, pid %d.", spec.vector_db_id, child.pid)
        return child.pid

    def apply_live_settings(self, vector_db_id: VectorDBId, live: LiveSettings) -> None:
        path = self.server_dir(vector_db_id) / "overrides.yaml"
        content = _overrides(live)
        if self._read(path) == content:
            return
        path.write_text(content)
        pid = self.running_pid(vector_db_id)
        if pid is not None:
            # SIGHUP makes Weaviate reload the overrides file now rather than at its next poll.
            os.kill(pid, signal.SIGHUP)

    def running_pid(self, vector_db_id: VectorDBId) -> int | None:
        self._reap()
        folder = self.server_dir(vector_db_id).resolve()
        for pid in _server_pids():
            try:
                if Path(os.readlink(f"/proc/{pid}/cwd")) == folder:
                    return pid
            except OSError:
                continue
        return None

    def stop(self, vector_db_id: VectorDBId) -> None:
        pid = self.running_pid(vector_db_id)
        if pid is None:
            return
        _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while self._alive(pid):
            if time.monotonic() > deadline:
                logger.warning("Server of %s ignored SIGTERM; killing it.", vector_db_id)
                _signal(pid, signal.SIGKILL)
                deadline = time.monotonic() + 10
            time.sleep(0.1)
        logger.info("Stopped server of %s.", vector_db_id)

    def remove(self, vector_db_id: VectorDBId) -> None:
        shutil.rmtree(self.server_dir(vector_db_id), ignore_errors=True)

    def disk_usage(self, vector_db_id: VectorDBId) -> int:
        total = 0
        for dirpath, _dirs, files in os.walk(self.server_dir(vector_db_id) / "data"):
            for name in files:
                try:
                    total += os.lstat(os.path.join(dirpath, name)).st_size
                except OSError:
                    continue  # files come and go while the server compacts
        return total

    def log_tail(self, vector_db_id: VectorDBId, lines: int = 20) -> str:
        path = self.server_dir(vector_db_id) / "server.log"
        if not path.exists():
            return ""
        with open(path, errors="replace") as f:
            return "".join(deque(f, maxlen=lines))

    def server_dir(self, vector_db_id: VectorDBId) -> Path:
        return (self._root / vector_db_id).resolve()

    def ca_file(self) -> Path:
        return self._ca_file

    # -- helpers ---------------------------------------------------------------------------

    def _prepare(self, folder: Path, spec: ServerSpec) -> None:
        (folder / "data").mkdir(parents=True, exist_ok=True)
        tls = folder / "tls"
        tls.mkdir(exist_ok=True)
        if not (tls / "cert.pem").exists() or not (tls / "key.pem").exists():
            self._ca.issue_server_cert(
                server_hosts(self._advertise_host), tls / "cert.pem", tls / "key.pem"
            )
        # Written before the start: a file that fails to load at startup disables overrides.
        (folder / "overrides.yaml").write_text(_overrides(spec.live))

    def _argv(self, folder: Path, spec: ServerSpec) -> list[str]:
        tls = folder / "tls"
        return [
            str(spec.binary),
            "--scheme", "https",
            "--tls-host", "127.0.0.1" if self._advertise_host in ("127.0.0.1", "localhost")
            else "0.0.0.0",
            "--tls-port", str(spec.ports.http),
            "--tls-certificate", str(tls / "cert.pem"),
            "--tls-key", str(tls / "key.pem"),
        ]  # fmt: skip

    def _environment(self, folder: Path, spec: ServerSpec) -> dict[str, str]:
        """The server's whole environment, built from nothing: HOST, PORT and TLS_* in the
        control plane's own environment would otherwise leak into the server's flags."""
        p = spec.ports
        tls = folder / "tls"
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(folder),
            "PERSISTENCE_DATA_PATH": str((folder / "data").resolve()),
            "CLUSTER_HOSTNAME": NODE_NAME,
            "CLUSTER_IN_LOCALHOST": "true",
            "CLUSTER_BIND_ADDR": "127.0.0.1",
            "CLUSTER_GOSSIP_BIND_PORT": str(p.gossip),
            "CLUSTER_DATA_BIND_PORT": str(p.data),
            "CLUSTER_BASIC_AUTH_USERNAME": OPERATOR_USER,
            "CLUSTER_BASIC_AUTH_PASSWORD": spec.cluster_password,
            "RAFT_PORT": str(p.raft),
            "RAFT_INTERNAL_RPC_PORT": str(p.raft_rpc),
            "RAFT_JOIN": f"{NODE_NAME}:{p.raft}",
            "RAFT_BOOTSTRAP_EXPECT": "1",
            # Raft's timeouts are 5x their base by default, so a single node waits 5-10 s for
            # its first election; with one voter nothing can flap, and 1x makes it ready in
            # about 2.5 s (most of the rest is a fixed sleep in Weaviate's start-up).
            "RAFT_TIMEOUTS_MULTIPLIER": "1",
            "GRPC_PORT": str(p.grpc),
            "GRPC_CERT_FILE": str((tls / "cert.pem").resolve()),
            "GRPC_KEY_FILE": str((tls / "key.pem").resolve()),
            "GO_PROFILING_DISABLE": "true",
            "DISABLE_TELEMETRY": "true",
            "PROMETHEUS_MONITORING_ENABLED": "false",
            "AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED": "false",
            "AUTHENTICATION_APIKEY_ENABLED": "true",
            "AUTHENTICATION_APIKEY_ALLOWED_KEYS": f"{spec.admin_key},{spec.operator_key}",
            "AUTHENTICATION_APIKEY_USERS": f"{spec.admin_user},{OPERATOR_USER}",
            "RUNTIME_OVERRIDES_ENABLED": "true",
            "RUNTIME_OVERRIDES_PATH": str((folder / "overrides.yaml").resolve()),
            "DEFAULT_QUANTIZATION": spec.live.default_quantization,
            "AUTOSCHEMA_ENABLED": "true" if spec.live.auto_schema else "false",
        }
        env.update(spec.extra_env)
        env.update(spec.plan.process_environment())
        return env

    def _reap(self) -> None:
        for pid, child in list(self._children.items()):
            if child.poll() is not None:
                del self._children[pid]

    def _alive(self, pid: int) -> bool:
        self._reap()
        return _is_live_process(pid)

    @staticmethod
    def _read(path: Path) -> str | None:
        try:
            return path.read_text()
        except OSError:
            return None


def _overrides(live: LiveSettings) -> str:
    # JSON is valid YAML, and saves a YAML dependency.
    return json.dumps(
        {
            "default_quantization": live.default_quantization,
            "autoschema_enabled": live.auto_schema,
        },
        sort_keys=True,
    )


def _server_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as f:
                comm = f.read().strip()
        except OSError:
            continue
        # comm is cut at 15 characters: "weaviate-server" fits exactly.
        if comm == BINARY_NAME[:15] and _is_live_process(int(entry)):
            pids.append(int(entry))
    return pids


def _is_live_process(pid: int) -> bool:
    """True for a running process; False for a gone one or a zombie awaiting its reaper."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
