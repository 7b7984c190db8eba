"""Weaviate server binaries: built from the Go module, one folder per version.

`<engine_dir>/<version>/weaviate-server` is the layout. A build goes into
`<version>.partial/` and is renamed into place only once complete, so an interrupted build is
never mistaken for a finished one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from vectorplane.domain.errors import EngineError

logger = logging.getLogger(__name__)

MODULE = "github.com/weaviate/weaviate/cmd/weaviate-server"
BINARY = "weaviate-server"
VERSION_PATTERN = re.compile(r"^v\d+\.\d+\.\d+$")


# Where Go's official installer and Debian's package put the toolchain, for a PATH without it.
GO_LOCATIONS = ("/usr/local/go/bin/go", "/usr/lib/go/bin/go")


class EngineCatalog:
    def __init__(
        self, engine_dir: Path, versions: list[str], go_locations: tuple[str, ...] = GO_LOCATIONS
    ) -> None:
        self.engine_dir = engine_dir
        self.versions = versions
        self._go_locations = go_locations

    def binary(self, version: str) -> Path:
        """Path of the built binary for `version`; raises EngineError when not built."""
        path = self.engine_dir / version / BINARY
        if not path.is_file():
            raise EngineError(
                f"Weaviate {version} is not installed; run `vectorplane engine install {version}`"
            )
        return path

    def is_installed(self, version: str) -> bool:
        return (self.engine_dir / version / BINARY).is_file()

    def install(self, version: str, progress: Callable[[str], None]) -> Path:
        """Build `version` with `go install` unless already built. Idempotent."""
        if not VERSION_PATTERN.match(version):
            raise EngineError(f"{version!r} is not a version like v1.37.14")
        final = self.engine_dir / version
        if self.is_installed(version):
            progress(f"Weaviate {version} is already installed at {final / BINARY}")
            return final / BINARY
        go = shutil.which("go") or next((p for p in self._go_locations if os.path.exists(p)), None)
        if go is None:
            raise EngineError(
                "Go is not installed: building Weaviate needs the Go toolchain (go 1.26 or newer)"
                " on PATH; install it from https://go.dev/dl/ or your distribution's packages"
            )

        partial = self.engine_dir / f"{version}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        env = dict(os.environ, GOBIN=str(partial.resolve()), CGO_ENABLED="0")
        progress(f"Building Weaviate {version} with {go} (takes several minutes the first time)")
        process = subprocess.Popen(
            [go, "install", "-v", f"{MODULE}@{version}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        built = 0
        tail: list[str] = []
        for line in process.stdout:
            line = line.rstrip()
            tail = (tail + [line])[-20:]
            if line.startswith("go: downloading"):
                progress(line)
            elif line and not line.startswith("go:"):
                built += 1
                if built % 50 == 0:
                    progress(f"  compiled {built} packages ...")
        if process.wait() != 0:
            raise EngineError(f"go install of Weaviate {version} failed:\n" + "\n".join(tail))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
        progress(f"Weaviate {version} installed at {final / BINARY}")
        return final / BINARY
