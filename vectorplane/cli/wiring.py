"""Building the pieces of a control plane from Settings, shared by `serve` and admin commands."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from vectorplane.backups.engine_api import EngineBackups
from vectorplane.backups.filesystem import FilesystemStorage
from vectorplane.backups.s3 import S3Storage
from vectorplane.backups.storage import BackupStorage
from vectorplane.domain.clock import SystemClock
from vectorplane.domain.ids import TeamId
from vectorplane.reconciler.deps import Deps
from vectorplane.runtime.engine import EngineCatalog
from vectorplane.runtime.probe import ServerProbe
from vectorplane.runtime.process import ProcessRuntime
from vectorplane.secrets.files import write_private
from vectorplane.secrets.pki import CertificateAuthority, server_hosts
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store import teams
from vectorplane.store.database import Store

logger = logging.getLogger(__name__)

BOOTSTRAP_TEAM = "default"
INITIAL_TOKEN_FILE = "initial-token"


@dataclass(frozen=True)
class ApiTls:
    cert: Path
    key: Path


def open_store(settings: Settings) -> Store:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.data_dir, 0o700)
    store = Store(settings.resolved_store_url)
    store.migrate()
    return store


def build_deps(settings: Settings, store: Store) -> Deps:
    ca = CertificateAuthority.load_or_create(settings.tls_dir)
    runtime = ProcessRuntime(settings.vector_dbs_dir, ca, settings.ca_path, settings.advertise_host)
    return Deps(
        settings=settings,
        store=store,
        runtime=runtime,
        probe=ServerProbe(settings.ca_path),
        engines=EngineCatalog(settings.engine_dir, settings.engine_versions),
        box=SecretBox.load_or_create(settings.secrets_dir / "sealing.key"),
        clock=SystemClock(),
        storage=backup_storage(settings),
        engine_backups=EngineBackups(settings.ca_path),
    )


def backup_storage(settings: Settings) -> BackupStorage:
    if settings.backup_storage == "s3":
        return S3Storage(
            endpoint=settings.backup_s3_endpoint,
            bucket=settings.backup_s3_bucket,
            prefix=settings.backup_s3_prefix,
            access_key_id=settings.backup_s3_access_key_id,
            secret_access_key=settings.backup_s3_secret_access_key.get_secret_value(),
            region=settings.backup_s3_region,
            use_ssl=settings.backup_s3_use_ssl,
            ca_file=settings.backup_s3_ca_file,
        )
    root = settings.resolved_backup_dir
    root.mkdir(parents=True, exist_ok=True)
    return FilesystemStorage(root)


def api_tls(settings: Settings) -> ApiTls:
    """The API's certificate, signed by the local CA; made on first start."""
    ca = CertificateAuthority.load_or_create(settings.tls_dir)
    tls = ApiTls(settings.tls_dir / "api-cert.pem", settings.tls_dir / "api-key.pem")
    if not tls.cert.exists() or not tls.key.exists():
        hosts = server_hosts(settings.advertise_host)
        if settings.host not in ("0.0.0.0", "::", ""):
            hosts = list(dict.fromkeys([*hosts, settings.host]))
        ca.issue_server_cert(hosts, tls.cert, tls.key)
    return tls


def bootstrap_token(settings: Settings, store: Store) -> str | None:
    """On a store with no token at all, make a full-access one for a 'default' team.

    Returns the token (to be shown once) or None when tokens already exist. The token is also
    written to `<data_dir>/initial-token`, readable only by its owner.
    """
    now = SystemClock().now()
    with store.session() as session:
        if teams.count_tokens(session) > 0:
            return None
        team = teams.find_team(session, BOOTSTRAP_TEAM) or teams.create_team(
            session, BOOTSTRAP_TEAM, now
        )
        issued = teams.issue_token(session, TeamId(team.id), [teams.FULL_ACCESS], "initial", now)
    write_private(settings.data_dir / INITIAL_TOKEN_FILE, (issued.secret + "\n").encode())
    return issued.secret
