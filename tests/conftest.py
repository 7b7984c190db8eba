"""Shared fixtures: stores on SQLite and PostgreSQL, the engine, real control planes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.controlplane import ControlPlane
from tests.support.postgres import fresh_database, postgres_server
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
