"""Building Weaviate: refusals that must come before any build starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from vectorplane.domain.errors import EngineError
from vectorplane.runtime.engine import EngineCatalog


def test_missing_go_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no go in it
    catalog = EngineCatalog(tmp_path / "engines", ["v1.37.14"], go_locations=())
    with pytest.raises(EngineError, match="Go is not installed"):
        catalog.install("v1.37.14", progress=lambda line: None)
    assert not (tmp_path / "engines" / "v1.37.14").exists()


def test_versions_must_look_like_tags(tmp_path: Path) -> None:
    catalog = EngineCatalog(tmp_path / "engines", ["v1.37.14"])
    with pytest.raises(EngineError, match="not a version"):
        catalog.install("latest; rm -rf /", progress=lambda line: None)


def test_an_unbuilt_version_names_the_command_to_build_it(tmp_path: Path) -> None:
    catalog = EngineCatalog(tmp_path / "engines", ["v1.37.14"])
    with pytest.raises(EngineError, match="vectorplane engine install v1.37.14"):
        catalog.binary("v1.37.14")


def test_an_installed_version_is_not_built_again(tmp_path: Path) -> None:
    binary = tmp_path / "engines" / "v1.37.14" / "weaviate-server"
    binary.parent.mkdir(parents=True)
    binary.write_bytes(b"built")
    lines: list[str] = []
    catalog = EngineCatalog(tmp_path / "engines", ["v1.37.14"], go_locations=())
    assert catalog.install("v1.37.14", progress=lines.append) == binary
    assert "already installed" in lines[0]
