"""The figures of ``make bench``: each function measures one capability and its floor."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    child_env,
    figure,
    median,
    percentile,
    time_ms,
)

STARTUP_RUNS = 5


# -- the application as a process --------------------------------------------------------


def _probe(args: list[str], home: Path) -> dict[str, Any]:
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "bench.app_probe", *args],
        capture_output=True,
        text=True,
        env=child_env(home),
        cwd=ROOT,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"app probe {args} failed:\n{done.stderr[-3000:]}")
    line = [x for x in done.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, Any] = json.loads(line)
    result["elapsed"] = result["painted"] - start
    return result


def startup(library: Path, home: Path) -> dict[str, Any]:
    """Process start to the first painted frame of the main window, large library open."""
    _probe(["bare"], home)  # warm the file cache for both
    _probe(["app", str(library)], home)
    app: list[float] = []
    bare: list[float] = []
    for _ in range(STARTUP_RUNS):
        bare.append(_probe(["bare"], home)["elapsed"])
        app.append(_probe(["app", str(library)], home)["elapsed"])
    return figure(
        "startup_s",
        median(app),
        "s",
        median(bare),
        1.5,
        ratio_target=3.0,
        runs=STARTUP_RUNS,
        note="median of fresh processes; floor: a bare PySide6 QMainWindow (1280x800)",
    )


def memory(library: Path, home: Path) -> dict[str, Any]:
    """Resident memory of the running app after visiting each main view."""
    app = _probe(["app", str(library), "--visit"], home)["rss_mb"]
    bare = _probe(["bare", "--visit"], home)["rss_mb"]
    return figure(
        "rss_mb",
        app,
        "MB",
        bare,
        300.0,
        note="VmRSS after every tab, dock, trip and the whole directory were shown; "
        "floor: a bare PySide6 window",
    )


# -- in-process figures ------------------------------------------------------------------


def _select_one_ms(lib: Any, repeat: int = 2000) -> list[float]:
    return time_ms(lambda: lib.query("SELECT 1"), repeat)


def search(lib: Any) -> dict[str, Any]:
    """Directory search as you type: typed prefixes of 200 real names, per keystroke.

    A keystroke is what the main window does on textChanged: the DirectoryModel's
    set_filter (directory.search, model reset) and the data of the rows a view shows.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.directory_model import DirectoryModel
    from visitplanner.library import directory

    _app = QApplication.instance() or QApplication([sys.argv[0]])
    rows = lib.query("SELECT given_name, family_name FROM contact ORDER BY id")
    names = [f"{r['given_name']} {r['family_name']}" for r in random.Random(8).sample(rows, 200)]
    prefixes = [name[:k] for name in names for k in range(1, len(name) + 1)]
    model = DirectoryModel(lib)
    visible_rows = 30
    display = Qt.ItemDataRole.DisplayRole

    def keystroke(text: str) -> None:
        model.set_filter(text, None)
        for row in range(min(visible_rows, model.rowCount())):
            for column in range(model.columnCount()):
                model.data(model.index(row, column), display)

    for text in prefixes[:50]:  # warm up the page cache
        keystroke(text)
    per_key: list[float] = []
    search_only: list[float] = []
    for text in prefixes:
        start = time.perf_counter()
        keystroke(text)
        per_key.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        directory.search(lib, text, None, limit=2000)
        search_only.append((time.perf_counter() - start) * 1000)
    model.detach()
    floor = percentile(_select_one_ms(lib), 0.95)
    slow = sorted(zip(per_key, prefixes, strict=True), reverse=True)[:3]
    return figure(
        "search_p95_ms",
        percentile(per_key, 0.95),
        "ms",
        floor,
        16.0,
        keystrokes=len(prefixes),
        median_ms=round(median(per_key), 3),
        search_only_p95_ms=round(percentile(search_only, 0.95), 3),
        slowest=[[round(ms, 1), text] for ms, text in slow],
        note="floor: SELECT 1, p95",
    )


def _trip_ids(lib: Any) -> list[int]:
    return [int(r[0]) for r in lib.query("SELECT id FROM trip ORDER BY id")]


def check_trip(lib: Any) -> dict[str, Any]:
    """What an edit re-runs for the shown trip: load its snapshot, run every check."""
    from visitplanner.planning.checks import check_snapshot
    from visitplanner.planning.snapshot import load_snapshot

    trip_ids = _trip_ids(lib)
    sizes = {
        t: int(lib.query_one("SELECT count(*) FROM meeting WHERE trip_id = ?", (t,))[0])
        for t in trip_ids
    }
    times: list[float] = []
    checks_only: list[float] = []
    for trip_id in trip_ids:
        times += time_ms(lambda t=trip_id: check_snapshot(load_snapshot(lib, t)), 10)
        snap = load_snapshot(lib, trip_id)
        checks_only += time_ms(lambda s=snap: check_snapshot(s), 10)
    floor = percentile(_select_one_ms(lib), 0.95)
    return figure(
        "check_trip_ms",
        percentile(times, 0.95),
        "ms",
        floor,
        20.0,
        meetings_per_trip=max(sizes.values()),
        checks_only_p95_ms=round(percentile(checks_only, 0.95), 3),
        note="load_snapshot + check_snapshot, p95 over every trip x 10; floor: SELECT 1, p95",
    )


def check_all(lib: Any) -> dict[str, Any]:
    """Every trip's checks, 1,200 meetings in all."""
    from visitplanner.planning.checks import check_snapshot
    from visitplanner.planning.snapshot import load_snapshot

    trip_ids = _trip_ids(lib)
    meetings = int(lib.query_one("SELECT count(*) FROM meeting")[0])

    def run() -> None:
        for trip_id in trip_ids:
            check_snapshot(load_snapshot(lib, trip_id))

    times = time_ms(run, 7)
    floor = median(_select_one_ms(lib))
    return figure(
        "check_all_ms",
        median(times),
        "ms",
        floor,
        200.0,
        meetings=meetings,
        note="load_snapshot + check_snapshot of every trip, median of 7; floor: SELECT 1",
    )


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# -- capabilities that land later ----------------------------------------------------------


def _not_yet(name: str, unit: str, target: float, what: str) -> dict[str, Any]:
    return figure(name, None, unit, None, target, note=f"not measured: {what} has not landed")


def pdf_master(lib: Any, home: Path) -> dict[str, Any]:
    return _not_yet("pdf_master_s", "s", 2.0, "the master itinerary PDF (visitplanner.itinerary)")


def pdf_delegates(lib: Any, home: Path) -> dict[str, Any]:
    return _not_yet("pdf_delegates_s", "s", 10.0, "delegate PDFs (visitplanner.itinerary)")


def arrange_time(lib: Any, home: Path) -> dict[str, Any]:
    return _not_yet("arrange_s", "s", 5.0, "auto-arrange (visitplanner.planning.arrange)")


def arrange_gap(lib: Any, home: Path) -> dict[str, Any]:
    return _not_yet("arrange_gap", "x", 1.05, "auto-arrange (visitplanner.planning.arrange)")


LATER = [
    ("pdf_master_s", "s", 2.0, pdf_master),
    ("pdf_delegates_s", "s", 10.0, pdf_delegates),
    ("arrange_s", "s", 5.0, arrange_time),
    ("arrange_gap", "x", 1.05, arrange_gap),
]
