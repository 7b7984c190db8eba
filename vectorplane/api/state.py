"""What the app keeps for its handlers (set up by `create_app`), typed."""

from __future__ import annotations

from fastapi import Request

from vectorplane.domain.clock import Clock
from vectorplane.secrets.sealing import SecretBox
from vectorplane.settings import Settings
from vectorplane.store.database import Store


def store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def clock(request: Request) -> Clock:
    return request.app.state.clock  # type: ignore[no-any-return]


def box(request: Request) -> SecretBox:
    return request.app.state.box  # type: ignore[no-any-return]


def poke(request: Request) -> None:
    """Wake the reconciler: an operation was just enqueued."""
    callback = getattr(request.app.state, "poke", None)
    if callback is not None:
        callback()
