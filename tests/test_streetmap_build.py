"""The street map's build script rebuilds the shipped layers from the raw open data."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from visitplanner.resources import resource_path

RAW = Path(__file__).resolve().parents[2] / "shared" / "data" / "streets"


def _script() -> ModuleType:
    path = resource_path("streetmap", "make_streetmap.py")
    spec = importlib.util.spec_from_file_location("make_streetmap", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return data


@pytest.mark.slow
def test_the_build_script_rebuilds_the_shipped_layers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for module in ("shapely", "pyproj", "rdata"):  # build-time requirements (the dev extra)
        pytest.importorskip(module)
    if not RAW.is_dir():
        pytest.skip("the raw street data (../shared/data/streets) is not beside the checkout")
    assert _script().main([str(RAW), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("street points in water") == 3
    shipped_index = json.loads(resource_path("streetmap", "index.json").read_text("utf-8"))
    assert json.loads((tmp_path / "index.json").read_text("utf-8")) == shipped_index
    for area in ("boston", "quebec", "montreal"):
        built = _read(tmp_path / f"{area}.json.gz")
        shipped = _read(resource_path("streetmap", f"{area}.json.gz"))
        assert built["names"] == shipped["names"]
        assert (
            abs(len(built["streets"]) - len(shipped["streets"])) <= len(shipped["streets"]) // 100
        )
        assert len(built["water"]) == len(shipped["water"]) and built["water"]
        assert len(built["parks"]) == len(shipped["parks"])
