"""Typed identifiers, so a VectorDB id cannot be passed where an operation id is expected."""

from __future__ import annotations

import uuid
from typing import NewType

VectorDBId = NewType("VectorDBId", str)
OperationId = NewType("OperationId", str)
TeamId = NewType("TeamId", str)
TokenId = NewType("TokenId", str)
ProjectId = NewType("ProjectId", str)


def new_uuid() -> str:
    return str(uuid.uuid4())


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
