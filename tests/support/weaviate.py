"""Connecting the official weaviate-client to a VectorDB the way its README tells users to."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import grpc
import weaviate
from weaviate.classes.init import AdditionalConfig, Auth
from weaviate.config import GrpcConfig


@contextmanager
def connect(vector_db: dict[str, Any], api_token: str, ca_file: Path) -> Iterator[Any]:
    http = urlparse(vector_db["endpoints"]["http"])
    grpc_host, grpc_port = vector_db["endpoints"]["grpc"].rsplit(":", 1)
    # weaviate-client's REST side (httpx) trusts SSL_CERT_FILE when trust_env is on.
    os.environ["SSL_CERT_FILE"] = str(ca_file)
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    client = weaviate.connect_to_custom(
        http_host=http.hostname or "",
        http_port=http.port or 443,
        http_secure=True,
        grpc_host=grpc_host,
        grpc_port=int(grpc_port),
        grpc_secure=True,
        auth_credentials=Auth.api_key(api_token),
        additional_config=AdditionalConfig(
            trust_env=True,
            grpc_config=GrpcConfig(
                credentials=grpc.ssl_channel_credentials(root_certificates=ca_file.read_bytes())
            ),
        ),
        skip_init_checks=False,
    )
    try:
        yield client
    finally:
        client.close()
