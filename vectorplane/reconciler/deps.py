"""What reconciler steps work with, bundled so handlers take one argument."""

from __future__ import annotations

from dataclasses import dataclass

from vectorplane.backups.engine_api import EngineBackups
from vectorplane.backups.storage import BackupStorage
from vectorplane.domain.clock import Clock
from vectorplane.runtime.base import Runtime
from vectorplane.runtime.engine import EngineCatalog
from vectorplane.runtime.probe import ServerProbe
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store.database import Store


@dataclass(frozen=True)
class Deps:
    settings: Settings
    store: Store
    runtime: Runtime
    probe: ServerProbe
    engines: EngineCatalog
    box: SecretBox
    clock: Clock
    storage: BackupStorage
    engine_backups: EngineBackups
