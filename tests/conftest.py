"""Shared fixtures: stores on SQLite and PostgreSQL, the engine, real control planes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.controlplane import ControlPlane
from tests.support.postgres import fresh_database, postgres_server
from tests.support.seaweed import S3Server, seaweed_s3
from vectorplane.runtime.engine import EngineCatalog
from vectorplane.settings import Settings
from vectorplane.store.database import Store


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store URL; every test using it runs once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    return fresh_database(admin_url)


@pytest.fixture
def pg_store_url(postgres_admin_url: str) -> str:
    """A fresh, empty PostgreSQL database for tests that pick their backend themselves."""
    return fresh_database(postgres_admin_url)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(store_url)
    opened.migrate()
    yield opened
    opened.dispose()


@pytest.fixture(scope="session")
def engine_installed() -> None:
    settings = Settings()
    catalog = EngineCatalog(settings.engine_dir, settings.engine_versions)
    if not catalog.is_installed(settings.default_engine_version):
        pytest.fail(
            f"Weaviate {settings.default_engine_version} is not built; run"
            " `vectorplane engine install` (scripts/test does)."
        )


@pytest.fixture
def control_plane_factory(
    tmp_path: Path, engine_installed: None
) -> Iterator[Callable[..., ControlPlane]]:
    made: list[ControlPlane] = []

    def make(store_url: str | None = None, name: str = "cp", **env: str) -> ControlPlane:
        cp = ControlPlane(tmp_path / name, store_url=store_url, **env)
        made.append(cp)
        return cp

    yield make
    for cp in made:
        cp.close()


@pytest.fixture
def control_plane(control_plane_factory: Callable[..., ControlPlane]) -> ControlPlane:
    """A running control plane on SQLite, the embedded default."""
    return control_plane_factory().start()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with seaweed_s3() as server:
        yield server


@pytest.fixture
def s3_backup_env(s3_server: S3Server) -> dict[str, str]:
    """Settings that make a control plane back up to SeaweedFS's S3, over plain HTTP."""
    return {
        "VECTORPLANE_BACKUP_STORAGE": "s3",
        "VECTORPLANE_BACKUP_S3_ENDPOINT": s3_server.endpoint,
        "VECTORPLANE_BACKUP_S3_BUCKET": s3_server.bucket,
        "VECTORPLANE_BACKUP_S3_PREFIX": "tests",
        "VECTORPLANE_BACKUP_S3_ACCESS_KEY_ID": s3_server.access_key,
        "VECTORPLANE_BACKUP_S3_SECRET_ACCESS_KEY": s3_server.secret_key,
        "VECTORPLANE_BACKUP_S3_USE_SSL": "false",
    }
