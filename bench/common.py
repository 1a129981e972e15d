"""Shared helpers of the benchmarks: figures, timing, the large library."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(0, math.ceil(fraction * len(ordered)) - 1)
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def time_ms(call: Callable[[], object], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` calls."""
    out: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def figure(
    name: str,
    value: float | None,
    unit: str,
    floor: float | None,
    target: float,
    *,
    ratio_target: float | None = None,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """One figure as printed: value, floor, value/floor and the target it must meet."""
    ratio = None
    if value is not None and floor:
        ratio = round(value / floor, 2)
    ok = None
    if value is not None:
        within = ratio_target is None or (ratio is not None and ratio <= ratio_target)
        ok = value <= target and within
    row: dict[str, Any] = {
        "name": name,
        "value": None if value is None else round(value, 3),
        "unit": unit,
        "floor": None if floor is None else round(floor, 4),
        "ratio": ratio,
        "target": target,
    }
    if ratio_target is not None:
        row["ratio_target"] = ratio_target
    row["ok"] = ok
    if note:
        row["note"] = note
    row.update(extra)
    return row


def emit(row: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def child_env(home: Path) -> dict[str, str]:
    """Environment of a child process: offscreen, its own settings and data folders."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["LANGUAGE"] = "en"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def build_large(folder: Path) -> Path:
    """The large library (``bench/large.py``, seeded), built once per run."""
    from bench.large import generate_large
    from visitplanner.library import Library

    path = folder / "large.visitplanner"
    with Library.open(path, create=True) as lib:
        generate_large(lib)
    return path


def copy_library(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    target.chmod(0o600)
    return target
