"""The /v2/vector-databases resource itself: list, create, get, update, delete, resize, tags
and credentials. Its backups, restores and forks are in `api.backups`.

Handlers check the input, write the desired state and an operation in one transaction, and
return; the reconciler does the slow part.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from vectorplane.api import state, views
from vectorplane.api.auth import Create, Delete, Principal, Read, Update, ViewCredentials
from vectorplane.api.schemas import (
    ConfigIn,
    CreateVectorDB,
    Credentials,
    PageLinks,
    PageMeta,
    ResizeVectorDB,
    UpdateTags,
    UpdateVectorDB,
    VectorDBEnvelope,
    VectorDBList,
    VectorDBOut,
)
from vectorplane.domain import validation
from vectorplane.domain.errors import Conflict, Unprocessable
from vectorplane.domain.ids import VectorDBId, new_uuid
from vectorplane.domain.statuses import OperationKind, VectorDBStatus
from vectorplane.settings import Settings
from vectorplane.store import operations
from vectorplane.store.tables import Placement, VectorDB

router = APIRouter(prefix="/v2/vector-databases", tags=["vector-databases"])


DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 200


@router.get("", response_model=VectorDBList)
def list_vector_dbs(
    request: Request, principal: Read, page: int = 1, per_page: int = DEFAULT_PER_PAGE
) -> VectorDBList:
    validation.check_page(page, per_page, MAX_PER_PAGE)
    with state.store(request).session() as session:
        mine = select(VectorDB).where(VectorDB.team_id == principal.team_id)
        total = session.scalar(select(func.count()).select_from(mine.subquery())) or 0
        rows = session.scalars(
            mine.order_by(VectorDB.created_at, VectorDB.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        ).all()
        items = [views.render(request, session, db) for db in rows]
    return VectorDBList(
        vector_dbs=items,
        total=total,
        links=PageLinks(pages=_page_links(request, page, per_page, total)),
        meta=PageMeta(total=total),
    )


@router.post("", status_code=201, response_model=VectorDBEnvelope)
def create_vector_db(request: Request, body: CreateVectorDB, principal: Create) -> VectorDBEnvelope:
    settings = state.settings(request)
    config = body.config or ConfigIn()
    db = new_vector_db(
        request, principal, name=body.name, region=body.region, size=body.size,
        tags=body.tags, project_id=body.project_id,
    )  # fmt: skip
    db.default_quantization = validation.check_quantization(config.default_quantization or "")
    if config.enable_auto_schema is not None:
        db.enable_auto_schema = config.enable_auto_schema
    if config.weaviate_version:
        db.engine_version = validation.normalize_version(
            config.weaviate_version, settings.engine_versions
        )
    return VectorDBEnvelope(vector_db=insert_with_operation(request, db, OperationKind.CREATE))


def new_vector_db(
    request: Request,
    principal: Principal,
    *,
    name: str,
    region: str,
    size: str,
    tags: list[str] | None,
    project_id: str | None,
) -> VectorDB:
    """A validated, not yet stored VectorDB with the platform's default config."""
    settings = state.settings(request)
    now = state.clock(request).now()
    return VectorDB(
        id=new_uuid(),
        team_id=principal.team_id,
        project_id=validation.check_project_id(project_id)
        if project_id
        else principal.default_project_id,
        name=validation.check_name(name),
        region=validation.check_choice("region", region, settings.regions),
        size=validation.check_choice("size", size, list(settings.plans)),
        tags=validation.check_tags(tags),
        status=VectorDBStatus.PENDING.value,
        status_reason="",
        default_quantization="",
        enable_auto_schema=True,
        engine_version=settings.default_engine_version,
        observed_version="",
        forked_from_id="",
        last_restore_id="",
        created_at=now,
        updated_at=now,
    )


def insert_with_operation(
    request: Request, db: VectorDB, kind: OperationKind, params: dict[str, Any] | None = None
) -> VectorDBOut:
    """Store a new VectorDB and the operation that builds it, in one transaction."""
    taken_message = f"name {db.name!r} is already used by another vector database."
    try:
        with state.store(request).session() as session:
            taken = session.scalar(
                select(VectorDB.id).where(VectorDB.team_id == db.team_id, VectorDB.name == db.name)
            )
            if taken:
                raise Unprocessable(taken_message)
            session.add(db)
            session.flush()
            operations.enqueue(session, VectorDBId(db.id), kind, db.created_at, params)
            rendered = views.render(request, session, db)
    except IntegrityError as exc:
        raise Unprocessable(taken_message) from exc
    state.poke(request)
    return rendered


@router.get("/{id}", response_model=VectorDBEnvelope)
def get_vector_db(request: Request, id: str, principal: Read) -> VectorDBEnvelope:
    with state.store(request).session() as session:
        return VectorDBEnvelope(
            vector_db=views.render(request, session, views.load(session, principal, id))
        )


@router.put("/{id}", response_model=VectorDBEnvelope)
def update_vector_db(
    request: Request, id: str, body: UpdateVectorDB, principal: Update
) -> VectorDBEnvelope:
    settings = state.settings(request)
    views.check_body_id(id, body.id)
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        views.refuse_if_deleting(db)
        if body.project_id:
            db.project_id = validation.check_project_id(body.project_id)
        changed = _apply_config(db, body.config, settings) if body.config else False
        if changed:
            views.refuse_if_busy(session, db)
            operations.enqueue(
                session, VectorDBId(db.id), OperationKind.UPDATE_CONFIG, state.clock(request).now()
            )
        db.updated_at = state.clock(request).now()
        rendered = views.render(request, session, db)
    if changed:
        state.poke(request)
    return VectorDBEnvelope(vector_db=rendered)


@router.delete("/{id}", status_code=204, response_class=Response)
def delete_vector_db(request: Request, id: str, principal: Delete) -> Response:
    now = state.clock(request).now()
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        operations.request_delete(session, db, now)
    state.poke(request)
    return Response(status_code=204)


@router.get("/{id}/credentials", response_model=Credentials)
def get_credentials(request: Request, id: str, principal: ViewCredentials) -> Credentials:
    with state.store(request).session() as session:
        db = views.load(session, principal, id)
        placement = session.get(Placement, db.id)
        if placement is None:
            raise Conflict("Credentials are not ready yet: the vector database is being created.")
        return Credentials(
            user_id=placement.admin_user,
            api_token=state.box(request).open(placement.admin_key_encrypted),
        )


@router.post("/{id}/resize", response_model=VectorDBEnvelope)
def resize_vector_db(
    request: Request, id: str, body: ResizeVectorDB, principal: Update
) -> VectorDBEnvelope:
    settings = state.settings(request)
    views.check_body_id(id, body.id)
    size = validation.check_choice("size", body.size, list(settings.plans))
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        views.refuse_if_deleting(db)
        if db.size != size:
            views.refuse_if_busy(session, db)
            placement = session.get(Placement, db.id)
            used = placement.disk_used_bytes if placement else 0
            if used > settings.plans[size].disk_bytes:
                raise Unprocessable(
                    f"This vector database holds {used} bytes, more than the {size} plan's"
                    f" {settings.plans[size].disk_gib} GiB disk."
                )
            db.size = size
            db.updated_at = state.clock(request).now()
            operations.enqueue(session, VectorDBId(db.id), OperationKind.RESIZE, db.updated_at)
        rendered = views.render(request, session, db)
    state.poke(request)
    return VectorDBEnvelope(vector_db=rendered)


@router.put("/{id}/tags", response_model=VectorDBEnvelope)
def update_tags(request: Request, id: str, body: UpdateTags, principal: Update) -> VectorDBEnvelope:
    views.check_body_id(id, body.id)
    tags = validation.check_tags(body.tags)
    with state.store(request).session() as session:
        db = views.load(session, principal, id, for_update=True)
        views.refuse_if_deleting(db)
        db.tags = tags
        db.updated_at = state.clock(request).now()
        return VectorDBEnvelope(vector_db=views.render(request, session, db))


# -- helpers ---------------------------------------------------------------------------------


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


def _page_links(request: Request, page: int, per_page: int, total: int) -> dict[str, str]:
    last = max(1, -(-total // per_page))
    url = request.url.remove_query_params(["page", "per_page"])

    def link(n: int) -> str:
        return str(url.include_query_params(page=n, per_page=per_page))

    pages: dict[str, str] = {}
    if page > 1:
        pages.update(first=link(1), prev=link(min(page - 1, last)))
    if page < last:
        pages.update(next=link(page + 1), last=link(last))
    return pages
