"""The Runtime port: what the reconciler needs from whatever runs weaviate-server."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from vectorplane.domain.ids import VectorDBId
from vectorplane.domain.plans import Plan

# Each VectorDB gets a block of consecutive ports; six are used, the rest leave room to grow.
PORT_BLOCK = 10


@dataclass(frozen=True)
class Ports:
    base: int

    @property
    def http(self) -> int:  # HTTPS REST, the user-facing endpoint
        return self.base

    @property
    def grpc(self) -> int:  # TLS gRPC, the user-facing endpoint
        return self.base + 1

    @property
    def gossip(self) -> int:  # memberlist, loopback only
        return self.base + 2

    @property
    def data(self) -> int:  # internal cluster API, basic auth
        return self.base + 3

    @property
    def raft(self) -> int:  # loopback only
        return self.base + 4

    @property
    def raft_rpc(self) -> int:  # must be raft+1 when CLUSTER_IN_LOCALHOST is set
        return self.base + 5

    def all(self) -> list[int]:
        return [self.http, self.grpc, self.gossip, self.data, self.raft, self.raft_rpc]


@dataclass(frozen=True)
class LiveSettings:
    """Engine settings that change without a restart (Weaviate's runtime overrides)."""

    default_quantization: str  # Weaviate's value, e.g. "rq-8"
    auto_schema: bool


@dataclass(frozen=True)
class ServerSpec:
    """Everything needed to run one VectorDB's server. Secrets are plaintext here: a spec
    lives in memory only and is never logged."""

    vector_db_id: VectorDBId
    version: str
    binary: Path
    ports: Ports
    plan: Plan
    admin_user: str
    admin_key: str
    operator_key: str
    cluster_password: str
    live: LiveSettings
    # Further environment for the server, e.g. where its backup module writes.
    extra_env: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Identifies what a restart would change; live settings are left out on purpose."""
        material = json.dumps(
            {
                "version": self.version,
                "binary": str(self.binary),
                "ports": self.ports.base,
                "plan": self.plan.model_dump(),
                "keys": [self.admin_user, self.admin_key, self.operator_key],
                "cluster": self.cluster_password,
                "extra": sorted(self.extra_env.items()),
            },
            sort_keys=True,
        )
        return hashlib.sha256(material.encode()).hexdigest()


OPERATOR_USER = "vectorplane"


class Runtime(Protocol):
    def ensure_running(self, spec: ServerSpec) -> int:
        """Make the server run exactly `spec`; return its pid.

        A server already running with the same fingerprint is adopted untouched; one running
        an older spec is stopped and started again. Idempotent.
        """
        ...

    def apply_live_settings(self, vector_db_id: VectorDBId, live: LiveSettings) -> None:
        """Change live settings of a running server without restarting it."""
        ...

    def running_pid(self, vector_db_id: VectorDBId) -> int | None: ...

    def stop(self, vector_db_id: VectorDBId) -> None:
        """Stop the server if it runs (gracefully, then by force). Idempotent."""
        ...

    def remove(self, vector_db_id: VectorDBId) -> None:
        """Delete everything the server had on disk. Idempotent; call after stop()."""
        ...

    def disk_usage(self, vector_db_id: VectorDBId) -> int: ...

    def log_tail(self, vector_db_id: VectorDBId, lines: int = 20) -> str: ...

    def server_dir(self, vector_db_id: VectorDBId) -> Path: ...

    def ca_file(self) -> Path: ...
