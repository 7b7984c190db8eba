"""Wire bodies of the API, field for field as DigitalOcean's reference names them.

Requests are strict about types (a number is not a name) and ignore fields they do not know,
as clients may send the path's `id` again in the body.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class _Request(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class ConfigIn(_Request):
    default_quantization: str | None = None
    enable_auto_schema: bool | None = None
    weaviate_version: str | None = None


class CreateVectorDB(_Request):
    name: str
    region: str
    size: str
    project_id: str | None = None
    tags: list[str] | None = None
    config: ConfigIn | None = None


class UpdateVectorDB(_Request):
    id: str | None = None
    project_id: str | None = None
    config: ConfigIn | None = None


class ResizeVectorDB(_Request):
    id: str | None = None
    size: str


class UpdateTags(_Request):
    id: str | None = None
    tags: list[str] | None = None


class RestoreBackup(_Request):
    id: str | None = None
    backup_id: str | None = None


class ForkVectorDB(_Request):
    id: str | None = None
    name: str
    region: str
    size: str
    project_id: str | None = None
    tags: list[str] | None = None
    backup_mode: str | None = None
    backup_id: str | None = None


class ConfigOut(BaseModel):
    default_quantization: str
    enable_auto_schema: bool
    weaviate_version: str


class Endpoints(BaseModel):
    http: str
    grpc: str


class OperationOut(BaseModel):
    """Work in progress on a VectorDB (not in DigitalOcean's reference; extra, read-only)."""

    kind: str
    step: str
    attempt: int
    last_error: str


class VectorDBOut(BaseModel):
    id: str
    name: str
    owner_uuid: str
    project_id: str
    region: str
    size: str
    status: str
    status_reason: str
    tags: list[str]
    config: ConfigOut
    endpoints: Endpoints
    forked_from_id: str
    last_restore_id: str
    created_at: datetime
    updated_at: datetime
    operation: OperationOut | None


class VectorDBEnvelope(BaseModel):
    vector_db: VectorDBOut


class PageLinks(BaseModel):
    pages: dict[str, str]


class PageMeta(BaseModel):
    total: int


class VectorDBList(BaseModel):
    vector_dbs: list[VectorDBOut]
    total: int
    links: PageLinks
    meta: PageMeta


class Credentials(BaseModel):
    user_id: str
    api_token: str


class BackupOut(BaseModel):
    backup_id: str
    status: str
    error: str
    started_at: datetime | None
    completed_at: datetime | None


class BackupList(BaseModel):
    backups: list[BackupOut]


class BackupStarted(BaseModel):
    backup_id: str
    status: str


class RestoreStatus(BaseModel):
    backup_id: str
    status: str
    error: str = ""


class ErrorBody(BaseModel):
    id: str
    message: str
    request_id: str
