"""Backups in an S3-compatible store: `s3://<bucket>/<prefix>/<vector db id>/<backup id>/`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from vectorplane.backups.filesystem import _safe
from vectorplane.domain.errors import RetryLater
from vectorplane.domain.ids import VectorDBId


class S3Storage:
    backend = "s3"

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        prefix: str,
        access_key_id: str,
        secret_access_key: str,
        region: str,
        use_ssl: bool,
        ca_file: Path | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self._access_key_id = access_key_id
        self._secret_access_key = secret_access_key
        self.region = region
        self.use_ssl = use_ssl
        self.ca_file = ca_file
        scheme = "https" if use_ssl else "http"
        self._client = boto3.client(
            "s3",
            endpoint_url=f"{scheme}://{endpoint}",
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            region_name=region,
            verify=str(ca_file) if ca_file else True,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
        )

    def server_environment(self, vector_db_id: VectorDBId) -> dict[str, str]:
        env = {
            "ENABLE_MODULES": "backup-s3",
            "BACKUP_S3_BUCKET": self.bucket,
            "BACKUP_S3_PATH": self._path(vector_db_id),
            "BACKUP_S3_ENDPOINT": self.endpoint,
            "BACKUP_S3_USE_SSL": "true" if self.use_ssl else "false",
            "AWS_REGION": self.region,
            # Keys in the environment also stop the module from asking an instance-metadata
            # service for credentials.
            "AWS_ACCESS_KEY_ID": self._access_key_id,
            "AWS_SECRET_ACCESS_KEY": self._secret_access_key,
        }
        if self.ca_file is not None:
            env["SSL_CERT_FILE"] = str(self.ca_file.resolve())
        return env

    def location_config(self, vector_db_id: VectorDBId) -> dict[str, Any]:
        return {"Bucket": self.bucket, "Path": self._path(vector_db_id)}

    def location_query(self, vector_db_id: VectorDBId) -> dict[str, str]:
        return {"bucket": self.bucket, "path": self._path(vector_db_id)}

    def check_access(self) -> str:
        probe = f"{self.prefix}/.access-check" if self.prefix else ".access-check"
        try:
            self._client.put_object(Bucket=self.bucket, Key=probe, Body=b"")
            self._client.delete_object(Bucket=self.bucket, Key=probe)
        except (BotoCoreError, ClientError) as exc:
            return f"S3 bucket {self.bucket} at {self.endpoint} cannot be written: {exc}"
        return ""

    def holds(self, vector_db_id: VectorDBId, backup_id: str) -> bool:
        return bool(self._keys(f"{self._path(vector_db_id)}/{_safe(backup_id)}/"))

    def delete_backup(self, vector_db_id: VectorDBId, backup_id: str) -> None:
        self._delete_prefix(f"{self._path(vector_db_id)}/{_safe(backup_id)}/")

    def delete_all(self, vector_db_id: VectorDBId) -> None:
        self._delete_prefix(f"{self._path(vector_db_id)}/")

    def _path(self, vector_db_id: VectorDBId) -> str:
        return f"{self.prefix}/{_safe(vector_db_id)}" if self.prefix else _safe(vector_db_id)

    def _keys(self, prefix: str) -> list[str]:
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix
            )
            return [item["Key"] for page in pages for item in page.get("Contents", [])]
        except (BotoCoreError, ClientError) as exc:
            raise RetryLater(f"S3 storage could not be listed: {exc}") from exc

    def _delete_prefix(self, prefix: str) -> None:
        keys = self._keys(prefix)
        try:
            for start in range(0, len(keys), 1000):  # S3's limit per DeleteObjects call
                chunk = keys[start : start + 1000]
                self._client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": key} for key in chunk], "Quiet": True},
                )
        except (BotoCoreError, ClientError) as exc:
            raise RetryLater(f"S3 storage could not delete {prefix}: {exc}") from exc
