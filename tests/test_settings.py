"""Settings errors stop a command with a message naming the setting, never its value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vectorplane.cli.main", "migrate", "--data-dir", str(tmp_path)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def test_incomplete_s3_settings_name_what_is_missing_and_hide_the_secret(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path,
        VECTORPLANE_BACKUP_STORAGE="s3",
        VECTORPLANE_BACKUP_S3_ENDPOINT="127.0.0.1:9",
        VECTORPLANE_BACKUP_S3_ACCESS_KEY_ID="access",
        VECTORPLANE_BACKUP_S3_SECRET_ACCESS_KEY="TopSecretValue42",
    )
    assert result.returncode != 0
    assert "VECTORPLANE_BACKUP_S3_BUCKET" in result.stderr
    assert "TopSecretValue42" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "vectorplane.db").exists()


def test_a_malformed_setting_is_named(tmp_path: Path) -> None:
    result = run_cli(tmp_path, VECTORPLANE_WORKERS="many")
    assert result.returncode != 0
    assert "VECTORPLANE_WORKERS" in result.stderr
