"""The /v2/vector-databases resource: the reference's eleven endpoints.

Handlers check the input, write the desired state and an operation in one transaction, and
return; the reconciler does the slow part.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vectorplane.api.auth import Principal, requires
from vectorplane.api.schemas import (
    BackupList,
    ConfigIn,
    ConfigOut,
    CreateVectorDB,
    Credentials,
    Endpoints,
    OperationOut,
    PageLinks,
    PageMeta,
    ResizeVectorDB,
    RestoreBackup,
    RestoreStatus,
    UpdateTags,
    UpdateVectorDB,
    VectorDBEnvelope,
    VectorDBList,
    VectorDBOut,
)
from vectorplane.domain import quantization, validation
from vectorplane.domain.errors import Conflict, NotFound, Unprocessable
from vectorplane.domain.ids import VectorDBId, is_uuid, new_uuid
from vectorplane.domain.statuses import OperationKind, VectorDBStatus
from vectorplane.runtime.base import Ports
from vectorplane.settings import Settings
from vectorplane.store import operations
from vectorplane.store.database import Store
from vectorplane.store.tables import Placement, VectorDB

router = APIRouter(prefix="/v2/vector-databases", tags=["vector-databases"])

Read = Annotated[Principal, Depends(requires("database:read"))]
Create = Annotated[Principal, Depends(requires("database:create"))]
Update = Annotated[Principal, Depends(requires("database:update"))]
Delete = Annotated[Principal, Depends(requires("database:delete"))]
ViewCredentials = Annotated[Principal, Depends(requires("database:view_credentials"))]

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 200


@router.get("", response_model=VectorDBList)
def list_vector_dbs(
    request: Request, principal: Read, page: int = 1, per_page: int = DEFAULT_PER_PAGE
) -> VectorDBList:
    validation.check_page(page, per_page, MAX_PER_PAGE)
    with _store(request).session() as session:
        mine = select(VectorDB).where(VectorDB.team_id == principal.team_id)
        total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
        rows = session.scalars(
            mine.order_by(VectorDB.created_at, VectorDB.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        items = [_render(request, session, db) for db in rows]
    return VectorDBList(
        vector_dbs=items,
        total=total,
        links=PageLinks(pages=_page_links(request, page, per_page, total)),
        meta=PageMeta(total=total),
    )


@router.post("", status_code=201, response_model=VectorDBEnvelope)
def create_vector_db(request: Request, body: CreateVectorDB, principal: Create) -> VectorDBEnvelope:
    settings = _settings(request)
    name = validation.check_name(body.name)
    region = validation.check_choice("region", body.region, settings.regions)
    size = validation.check_choice("size", body.size, list(settings.plans))
    tags = validation.check_tags(body.tags)
    project_id = (
        validation.check_project_id(body.project_id)
        if body.project_id
        else principal.default_project_id
    )
    config = body.config or ConfigIn()
    version = (
        validation.normalize_version(config.weaviate_version, settings.engine_versions)
        if config.weaviate_version
        else settings.default_engine_version
    )
    now = _clock(request).now()
    db = VectorDB(
        id=new_uuid(),
        team_id=principal.team_id,
        project_id=project_id,
        name=name,
        region=region,
        size=size,
        tags=tags,
        status=VectorDBStatus.PENDING.value,
        status_reason="",
        default_quantization=validation.check_quantization(config.default_quantization or ""),
        enable_auto_schema=True if config.enable_auto_schema is None else config.enable_auto_schema,
        engine_version=version,
        observed_version="",
        forked_from_id="",
        last_restore_id="",
        created_at=now,
        updated_at=now,
    )
    try:
        with _store(request).session() as session:
            taken = session.scalar(
                select(VectorDB.id).where(
                    VectorDB.team_id == principal.team_id, VectorDB.name == name
                )
            )
            if taken:
                raise Unprocessable(f"name {name!r} is already used by another vector database.")
            session.add(db)
            session.flush()
            operations.enqueue(session, VectorDBId(db.id), OperationKind.CREATE, now)
            rendered = _render(request, session, db)
    except IntegrityError as exc:
        raise Unprocessable(f"name {name!r} is already used by another vector database.") from exc
    _poke(request)
    return VectorDBEnvelope(vector_db=rendered)


@router.get("/{id}", response_model=VectorDBEnvelope)
def get_vector_db(request: Request, id: str, principal: Read) -> VectorDBEnvelope:
    with _store(request).session() as session:
        return VectorDBEnvelope(vector_db=_render(request, session, _load(session, principal, id)))


@router.put("/{id}", response_model=VectorDBEnvelope)
def update_vector_db(
    request: Request, id: str, body: UpdateVectorDB, principal: Update
) -> VectorDBEnvelope:
    settings = _settings(request)
    _check_body_id(id, body.id)
    with _store(request).session() as session:
        db = _load(session, principal, id, for_update=True)
        _refuse_if_deleting(db)
        if body.project_id:
            db.project_id = validation.check_project_id(body.project_id)
        changed = _apply_config(db, body.config, settings) if body.config else False
        if changed:
            _refuse_if_busy(session, db)
            operations.enqueue(
                session, VectorDBId(db.id), OperationKind.UPDATE_CONFIG, _clock(request).now()
            )
        db.updated_at = _clock(request).now()
        rendered = _render(request, session, db)
    if changed:
        _poke(request)
    return VectorDBEnvelope(vector_db=rendered)


@router.delete("/{id}", status_code=204, response_class=Response)
def delete_vector_db(request: Request, id: str, principal: Delete) -> Response:
    now = _clock(request).now()
    with _store(request).session() as session:
        db = _load(session, principal, id, for_update=True)
        if db.status != VectorDBStatus.DELETING:
            operations.supersede_unfinished(session, db.id, now)
            db.status = VectorDBStatus.DELETING.value
            db.updated_at = now
            operations.enqueue(session, VectorDBId(db.id), OperationKind.DELETE, now)
    _poke(request)
    return Response(status_code=204)


@router.get("/{id}/backups", response_model=BackupList)
def list_backups(request: Request, id: str, principal: Read) -> BackupList:
    with _store(request).session() as session:
        _load(session, principal, id)
    # Limitation: backups are not taken yet, so every VectorDB lists none; restores therefore
    # always find no backup (404).
    return BackupList(backups=[])


@router.get("/{id}/backups/{backup_id}/restore", response_model=RestoreStatus)
def get_restore_status(request: Request, id: str, backup_id: str, principal: Read) -> RestoreStatus:
    with _store(request).session() as session:
        _load(session, principal, id)
    raise NotFound(f"No restore of backup {backup_id!r} exists for this vector database.")


@router.post("/{id}/backups/{backup_id}/restore", response_model=RestoreStatus)
def restore_backup(
    request: Request, id: str, backup_id: str, principal: Update,
    body: RestoreBackup | None = None,
) -> RestoreStatus:  # fmt: skip
    with _store(request).session() as session:
        _load(session, principal, id)
    raise NotFound(f"Backup {backup_id!r} does not exist for this vector database.")


@router.get("/{id}/credentials", response_model=Credentials)
def get_credentials(request: Request, id: str, principal: ViewCredentials) -> Credentials:
    with _store(request).session() as session:
        db = _load(session, principal, id)
        placement = session.get(Placement, db.id)
        if placement is None:
            raise Conflict("Credentials are not ready yet: the vector database is being created.")
        return Credentials(
            user_id=placement.admin_user,
            api_token=request.app.state.box.open(placement.admin_key_encrypted),
        )


@router.post("/{id}/resize", response_model=VectorDBEnvelope)
def resize_vector_db(
    request: Request, id: str, body: ResizeVectorDB, principal: Update
) -> VectorDBEnvelope:
    settings = _settings(request)
    _check_body_id(id, body.id)
    size = validation.check_choice("size", body.size, list(settings.plans))
    with _store(request).session() as session:
        db = _load(session, principal, id, for_update=True)
        _refuse_if_deleting(db)
        if db.size != size:
            _refuse_if_busy(session, db)
            placement = session.get(Placement, db.id)
            used = placement.disk_used_bytes if placement else 0
            if used > settings.plans[size].disk_bytes:
                raise Unprocessable(
                    f"This vector database holds {used} bytes, more than the {size} plan's"
                    f" {settings.plans[size].disk_gib} GiB disk."
                )
            db.size = size
            db.updated_at = _clock(request).now()
            operations.enqueue(session, VectorDBId(db.id), OperationKind.RESIZE, db.updated_at)
        rendered = _render(request, session, db)
    _poke(request)
    return VectorDBEnvelope(vector_db=rendered)


@router.put("/{id}/tags", response_model=VectorDBEnvelope)
def update_tags(request: Request, id: str, body: UpdateTags, principal: Update) -> VectorDBEnvelope:
    _check_body_id(id, body.id)
    tags = validation.check_tags(body.tags)
    with _store(request).session() as session:
        db = _load(session, principal, id, for_update=True)
        _refuse_if_deleting(db)
        db.tags = tags
        db.updated_at = _clock(request).now()
        return VectorDBEnvelope(vector_db=_render(request, session, db))


# -- helpers ---------------------------------------------------------------------------------


def _load(session: Session, principal: Principal, id: str, for_update: bool = False) -> VectorDB:
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


def _apply_config(db: VectorDB, config: ConfigIn, settings: Settings) -> bool:
    """Write requested config into the desired state; True when the server must follow."""
    changed = False
    if config.default_quantization is not None:
        value = validation.check_quantization(config.default_quantization)
        changed |= value != db.default_quantization
        db.default_quantization = value
    if config.enable_auto_schema is not None:
        changed |= config.enable_auto_schema != db.enable_auto_schema
        db.enable_auto_schema = config.enable_auto_schema
    if config.weaviate_version:
        version = validation.normalize_version(config.weaviate_version, settings.engine_versions)
        if validation.version_key(version) < validation.version_key(db.engine_version):
            raise Unprocessable(
                f"Weaviate cannot be downgraded from {db.engine_version.lstrip('v')} to"
                f" {version.lstrip('v')}; restore a backup into a new database instead."
            )
        changed |= version != db.engine_version
        db.engine_version = version
    return changed


def _refuse_if_busy(session: Session, db: VectorDB) -> None:
    pending = operations.unfinished_for(session, db.id)
    if pending:
        raise Conflict(
            f"A {pending[0].kind} operation is in progress on this vector database; try again"
            " when it has finished."
        )


def _refuse_if_deleting(db: VectorDB) -> None:
    if db.status == VectorDBStatus.DELETING:
        raise Conflict("This vector database is being deleted.")


def _check_body_id(path_id: str, body_id: str | None) -> None:
    if body_id and body_id != path_id:
        raise Unprocessable("id in the body does not match the id in the path.")


def _render(request: Request, session: Session, db: VectorDB) -> VectorDBOut:
    settings = _settings(request)
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


def _page_links(request: Request, page: int, per_page: int, total: int) -> dict[str, str]:
    last = max(1, -(-total // per_page))
    url = request.url.remove_query_params(["page", "per_page"])

    def link(n: int) -> str:
        return str(url.include_query_params(page=n, per_page=per_page))

    pages = {}
    if page > 1:
        pages.update(first=link(1), prev=link(min(page - 1, last)))
    if page < last:
        pages.update(next=link(page + 1), last=link(last))
    return pages


def _store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _clock(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.clock


def _poke(request: Request) -> None:
    poke = getattr(request.app.state, "poke", None)
    if poke is not None:
        poke()
