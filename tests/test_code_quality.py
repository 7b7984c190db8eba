"""The project's own checks: strict types and lint, so CI refuses code that breaks them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_package_type_checks_strictly() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "vectorplane"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_passes_lint_and_format() -> None:
    for argv in (["check", "vectorplane", "tests", "bench"],
                 ["format", "--check", "vectorplane", "tests", "bench"]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *argv], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
