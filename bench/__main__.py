"""``python -m bench``: build the large library once, print one JSON line per figure.

    python -m bench [--only NAME ...] [--strict]

Each line: {"name", "value", "unit", "floor", "ratio", "target", "ok", ...}; the floor is
measured in the same run (a bare window, a trivial query). Figures of capabilities that
have not landed yet are printed with "value": null and a note.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import figures
from bench.common import build_large, copy_library, emit, figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", nargs="*", default=None, help="names of figures to run")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a measured figure misses its target"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="visitplanner-bench-") as folder:
        home = Path(folder)
        os.environ["XDG_CONFIG_HOME"] = str(home / "config")
        os.environ["XDG_DATA_HOME"] = str(home / "data")
        large = build_large(home)
        print(f"bench: large library built in {time.monotonic() - started:.1f} s", file=sys.stderr)
        rows = run_all(large, home, args.only)
    print(f"bench: done in {time.monotonic() - started:.1f} s", file=sys.stderr)
    missed = [r["name"] for r in rows if r.get("ok") is False]
    absent = [r["name"] for r in rows if r.get("value") is None]
    if missed:
        print(f"bench: missed targets: {', '.join(missed)}", file=sys.stderr)
    if absent:
        print(f"bench: not measured: {', '.join(absent)}", file=sys.stderr)
    return 1 if (args.strict and missed) else 0


def run_all(large: Path, home: Path, only: list[str] | None) -> list[dict[str, Any]]:
    from visitplanner.library import Library

    rows: list[dict[str, Any]] = []

    def run(name: str, unit: str, target: float, measure: Callable[[], dict[str, Any]]) -> None:
        if only is not None and name not in only:
            return
        try:
            row = measure()
        except Exception as error:  # one broken figure must not hide the others
            traceback.print_exc()
            row = figure(name, None, unit, None, target, note=f"failed: {error}")
        emit(row)
        rows.append(row)

    run("startup_s", "s", 1.5, lambda: figures.startup(large, home))
    run("rss_mb", "MB", 300.0, lambda: figures.memory(large, home))
    work = copy_library(large, home / "bench.visitplanner")
    with Library.open(work) as lib:
        run("search_p95_ms", "ms", 16.0, lambda: figures.search(lib))
        run("check_trip_ms", "ms", 20.0, lambda: figures.check_trip(lib))
        run("check_all_ms", "ms", 200.0, lambda: figures.check_all(lib))
        for name, unit, target, measure in figures.LATER:
            run(name, unit, target, lambda m=measure: m(lib, home))  # type: ignore[misc]
    return rows


if __name__ == "__main__":
    sys.exit(main())
