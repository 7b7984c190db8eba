"""Placing a VectorDB: choosing its ports and minting its keys, once, idempotently."""

from __future__ import annotations

import secrets
import socket

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from vectorplane.domain.errors import PermanentFailure, RetryLater
from vectorplane.domain.ids import VectorDBId
from vectorplane.reconciler.deps import Deps
from vectorplane.runtime.base import PORT_BLOCK, Ports
from vectorplane.store.tables import Placement

ADMIN_USER = "admin"


def ensure_placement(deps: Deps, vector_db_id: VectorDBId) -> Placement:
    """Return the VectorDB's placement, creating it on first call."""
    with deps.store.session() as session:
        existing = session.get(Placement, vector_db_id)
        if existing is not None:
            return existing
        taken = set(session.scalars(select(Placement.port_base)).all())

    base = _free_port_block(deps, taken)
    placement = Placement(
        vector_db_id=vector_db_id,
        port_base=base,
        admin_user=ADMIN_USER,
        admin_key_encrypted=deps.box.seal(secrets.token_urlsafe(32)),
        operator_key_encrypted=deps.box.seal(secrets.token_urlsafe(32)),
        cluster_password_encrypted=deps.box.seal(secrets.token_urlsafe(24)),
        running_size="",
        running_version="",
        disk_used_bytes=0,
        created_at=deps.clock.now(),
    )
    try:
        with deps.store.session() as session:
            session.add(placement)
    except IntegrityError as exc:
        # Another worker took the same block (or placed this VectorDB) at the same moment.
        raise RetryLater("port block taken concurrently; choosing again") from exc
    return placement


def _free_port_block(deps: Deps, taken: set[int]) -> int:
    start, end = deps.settings.port_range_start, deps.settings.port_range_end
    for base in range(start, end - PORT_BLOCK + 1, PORT_BLOCK):
        if base not in taken and all(_bindable(port) for port in Ports(base).all()):
            return base
    raise PermanentFailure(f"no free port block left in {start}-{end}")


def _bindable(port: int) -> bool:
    for family, address in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET, "127.0.0.1")):
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((address, port))
            except OSError:
                return False
    return True
