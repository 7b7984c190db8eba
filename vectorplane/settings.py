"""The one settings object of vectorplane, read once by the CLI and passed down.

Every field can be set from the environment with the `VECTORPLANE_` prefix (nested groups use
`__`, e.g. `VECTORPLANE_PLANS='{"small": {...}}'` as JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from vectorplane.domain.plans import DEFAULT_PLANS, DEFAULT_REGIONS, Plan

DEFAULT_ENGINE_VERSION = "v1.37.14"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VECTORPLANE_", extra="ignore")

    data_dir: Path = Path(".vectorplane")
    """Where the store (SQLite), TLS material, secrets and every VectorDB's data live."""

    host: str = "127.0.0.1"
    """Address the HTTPS API listens on."""

    port: int = Field(default=8443, ge=0, le=65535)
    """Port the HTTPS API listens on (0 picks a free one)."""

    store_url: str | None = None
    """SQLAlchemy URL of the store; empty means SQLite at `<data_dir>/vectorplane.db`."""

    advertise_host: str = "127.0.0.1"
    """Host name or IP put into VectorDB endpoints and their certificates."""

    engine_dir: Path = Path.home() / ".cache" / "vectorplane" / "engines"
    """One folder per Weaviate version, each holding a `weaviate-server` binary."""

    engine_versions: list[str] = [DEFAULT_ENGINE_VERSION]
    """Weaviate versions offered to users; the first is the default for new VectorDBs."""

    regions: list[str] = Field(default_factory=lambda: list(DEFAULT_REGIONS))
    """Region slugs accepted on create; all are served by this machine."""

    plans: dict[str, Plan] = Field(default_factory=lambda: dict(DEFAULT_PLANS))
    """The plan catalog: size slug to resources."""

    port_range_start: int = Field(default=21000, ge=1024, le=65000)
    port_range_end: int = Field(default=31000, ge=1024, le=65535)
    """Ports handed to VectorDB servers come from [start, end), in blocks of PORT_BLOCK."""

    rate_limit_per_hour: int = Field(default=5000, gt=0)
    rate_limit_per_minute: int = Field(default=250, gt=0)
    rate_limit_storage_url: str = "memory://"
    """A `limits` storage URL; memory:// is per process, redis:// shares among replicas."""

    workers: int = Field(default=2, ge=1, le=32)
    """Reconciler worker threads per control-plane process."""

    operation_attempts: int = Field(default=5, ge=1)
    """Attempts an operation gets before its VectorDB goes errored."""

    ready_timeout_seconds: float = Field(default=120.0, gt=0)
    """How long one attempt waits for a server to answer ready."""

    lease_seconds: float = Field(default=15.0, gt=1)
    """How long a claimed operation stays owned without a heartbeat; a crashed worker's
    operations are taken over by another once this passes."""

    observe_interval_seconds: float = Field(default=5.0, gt=0)
    """How often running VectorDBs are checked (alive, disk against plan)."""

    log_json: bool = False
    """Write logs as JSON lines instead of text."""

    backup_storage: Literal["filesystem", "s3"] = "filesystem"
    """Where Weaviate writes backups: a local folder or an S3-compatible store."""

    backup_dir: Path | None = None
    """Folder for filesystem backups; default `<data_dir>/backups`."""

    backup_s3_endpoint: str = ""
    """host[:port] of the S3-compatible store, without scheme."""

    backup_s3_bucket: str = ""
    backup_s3_prefix: str = "vectorplane"
    """Every VectorDB writes under `<prefix>/<vector db id>/` in the bucket."""

    backup_s3_access_key_id: str = ""
    backup_s3_secret_access_key: SecretStr = SecretStr("")
    backup_s3_region: str = "us-east-1"
    backup_s3_use_ssl: bool = True
    backup_s3_ca_file: Path | None = None
    """CA bundle to trust for the S3 endpoint's certificate (TLS on, private CA)."""

    backup_interval_hours: float = Field(default=24.0, gt=0)
    """Automatic backups run once per interval; each VectorDB at its own offset in it."""

    backup_retention_days: float = Field(default=7.0, gt=0)
    """Backups older than this are deleted from storage and from the list."""

    backup_timeout_seconds: float = Field(default=3600.0, gt=0)
    """How long one attempt waits for a backup or restore to finish."""

    @field_validator("data_dir", "engine_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        # Servers run with their own folder as working directory: relative paths would break.
        return value.expanduser().resolve()

    @field_validator("engine_versions")
    @classmethod
    def _versions_not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one engine version must be offered")
        return value

    @model_validator(mode="after")
    def _s3_complete(self) -> Settings:
        if self.backup_storage == "s3":
            missing = [
                name
                for name, value in (
                    ("VECTORPLANE_BACKUP_S3_ENDPOINT", self.backup_s3_endpoint),
                    ("VECTORPLANE_BACKUP_S3_BUCKET", self.backup_s3_bucket),
                    ("VECTORPLANE_BACKUP_S3_ACCESS_KEY_ID", self.backup_s3_access_key_id),
                    (
                        "VECTORPLANE_BACKUP_S3_SECRET_ACCESS_KEY",
                        self.backup_s3_secret_access_key.get_secret_value(),
                    ),
                )
                if not value
            ]
            if missing:
                raise ValueError(f"S3 backup storage needs {', '.join(missing)}")
        return self

    @model_validator(mode="after")
    def _port_range_valid(self) -> Settings:
        if self.port_range_end - self.port_range_start < 10:
            raise ValueError("port_range_end must be at least 10 above port_range_start")
        if not self.plans or not self.regions:
            raise ValueError("plans and regions must not be empty")
        return self

    @property
    def default_engine_version(self) -> str:
        return self.engine_versions[0]

    @property
    def resolved_store_url(self) -> str:
        if self.store_url:
            return self.store_url
        return f"sqlite:///{(self.data_dir / 'vectorplane.db').resolve()}"

    @property
    def tls_dir(self) -> Path:
        return self.data_dir / "tls"

    @property
    def ca_path(self) -> Path:
        return self.tls_dir / "ca.pem"

    @property
    def secrets_dir(self) -> Path:
        return self.data_dir / "secrets"

    @property
    def vector_dbs_dir(self) -> Path:
        return self.data_dir / "vector-dbs"

    @property
    def resolved_backup_dir(self) -> Path:
        return (self.backup_dir or self.data_dir / "backups").resolve()
