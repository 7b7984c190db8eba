"""Turning a VectorDB's stored desired state into the ServerSpec a runtime runs."""

from __future__ import annotations

from vectorplane.domain import quantization
from vectorplane.domain.errors import EngineError, PermanentFailure
from vectorplane.domain.ids import VectorDBId
from vectorplane.reconciler.deps import Deps
from vectorplane.runtime.base import LiveSettings, Ports, ServerSpec
from vectorplane.store.tables import Placement, VectorDB


def server_spec(deps: Deps, db: VectorDB, placement: Placement) -> ServerSpec:
    plan = deps.settings.plans.get(db.size)
    if plan is None:
        raise PermanentFailure(f"size {db.size!r} is no longer in the plan catalog")
    try:
        binary = deps.engines.binary(db.engine_version)
    except EngineError as exc:
        raise PermanentFailure(str(exc)) from exc
    return ServerSpec(
        vector_db_id=VectorDBId(db.id),
        version=db.engine_version,
        binary=binary,
        ports=Ports(placement.port_base),
        plan=plan,
        admin_user=placement.admin_user,
        admin_key=deps.box.open(placement.admin_key_encrypted),
        operator_key=deps.box.open(placement.operator_key_encrypted),
        cluster_password=deps.box.open(placement.cluster_password_encrypted),
        live=live_settings(db),
        extra_env=deps.storage.server_environment(VectorDBId(db.id)),
    )


def live_settings(db: VectorDB) -> LiveSettings:
    return LiveSettings(
        default_quantization=quantization.engine_value(db.default_quantization),
        auto_schema=db.enable_auto_schema,
    )
