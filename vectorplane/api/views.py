"""Loading a team's VectorDB and rendering it as the API shows it; shared by the routers."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from vectorplane.api import state
from vectorplane.api.auth import Principal
from vectorplane.api.schemas import ConfigOut, Endpoints, OperationOut, VectorDBOut
from vectorplane.domain import quantization
from vectorplane.domain.errors import Conflict, NotFound, Unprocessable
from vectorplane.domain.ids import is_uuid
from vectorplane.domain.statuses import VectorDBStatus
from vectorplane.runtime.base import Ports
from vectorplane.store import operations
from vectorplane.store.tables import Placement, VectorDB


def load(session: Session, principal: Principal, id: str, for_update: bool = False) -> VectorDB:
    """The caller's VectorDB, or 404 (also for another team's: its existence is not revealed)."""
    if not is_uuid(id):
        raise NotFound()
    query = select(VectorDB).where(VectorDB.id == id, VectorDB.team_id == principal.team_id)
    if for_update:
        query = query.with_for_update()
    db = session.scalar(query)
    if db is None:
        raise NotFound()
    return db


def refuse_if_busy(session: Session, db: VectorDB) -> None:
    pending = operations.unfinished_for(session, db.id)
    if pending:
        raise Conflict(
            f"A {pending[0].kind} operation is in progress on this vector database; try again"
            " when it has finished."
        )


def refuse_if_deleting(db: VectorDB) -> None:
    if db.status == VectorDBStatus.DELETING:
        raise Conflict("This vector database is being deleted.")


def check_body_id(path_id: str, body_id: str | None) -> None:
    if body_id and body_id != path_id:
        raise Unprocessable("id in the body does not match the id in the path.")


def render(request: Request, session: Session, db: VectorDB) -> VectorDBOut:
    settings = state.settings(request)
    placement = session.get(Placement, db.id)
    if placement is not None:
        ports = Ports(placement.port_base)
        endpoints = Endpoints(
            http=f"https://{settings.advertise_host}:{ports.http}",
            grpc=f"{settings.advertise_host}:{ports.grpc}",
        )
    else:
        endpoints = Endpoints(http="", grpc="")
    in_progress = operations.unfinished_for(session, db.id)
    operation = (
        OperationOut(
            kind=in_progress[0].kind,
            step=in_progress[0].step,
            attempt=in_progress[0].attempt,
            last_error=in_progress[0].error,
        )
        if in_progress
        else None
    )
    return VectorDBOut(
        id=db.id,
        name=db.name,
        owner_uuid=db.team_id,
        project_id=db.project_id,
        region=db.region,
        size=db.size,
        status=db.status,
        status_reason=db.status_reason,
        tags=list(db.tags),
        config=ConfigOut(
            default_quantization=db.default_quantization or quantization.DEFAULT,
            enable_auto_schema=db.enable_auto_schema,
            weaviate_version=db.observed_version or db.engine_version.lstrip("v"),
        ),
        endpoints=endpoints,
        forked_from_id=db.forked_from_id,
        last_restore_id=db.last_restore_id,
        created_at=db.created_at,
        updated_at=db.updated_at,
        operation=operation,
    )
