"""The command line beside the app: `trip delete`, and reading while the app holds the
library (WAL lets readers in); writing then says that the app holds it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helper import run
from visitplanner.library import Library, trips

ROOT = Path(__file__).resolve().parents[1]


def _trips(path: Path) -> dict[int, tuple[object, ...]]:
    with Library.open(path, exclusive=False) as lib:
        return {
            t.id or 0: (
                t,
                trips.delegates(lib, t.id or 0),
                trips.meetings(lib, t.id or 0),
            )
            for t in trips.trips(lib)
        }


def test_trip_delete_removes_one_trip_and_leaves_the_other(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    before = _trips(demo_path)
    first, second = sorted(before)
    code, out, err = run(capsys, "trip", "delete", "--db", str(demo_path), "--trip", str(first))
    assert (code, err) == (0, "")
    assert out.startswith("Deleted the trip “Mission Québec — BIO 2023 Boston” with its 10 ")
    after = _trips(demo_path)
    assert list(after) == [second]
    assert after[second] == before[second]  # untouched: the trip, its delegates and meetings
    code, out, _err = run(capsys, "trips", "--db", str(demo_path), "--json")
    assert [t["id"] for t in json.loads(out)] == [second]


def test_trip_delete_json_and_an_unknown_trip(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    code, out, err = run(capsys, "trip", "delete", "--db", str(demo_path), "--trip", "99")
    assert code == 2 and out == ""
    assert err.strip() == "visitplanner: There is no trip with id 99."
    assert len(_trips(demo_path)) == 2
    code, out, _err = run(capsys, "trip", "delete", "--db", str(demo_path), "--trip", "2", "--json")
    assert code == 0
    deleted = json.loads(out)["deleted"]
    assert deleted["id"] == 2 and deleted["meetings"] == 35
    assert list(_trips(demo_path)) == [1]


HOLDER = textwrap.dedent(
    """
    import sys
    from visitplanner.library import Library, trips
    lib = Library.open(sys.argv[1])  # as the app does: the exclusive lock
    trip = trips.get_trip(lib, 1)
    trip.name = "Renamed in the app"
    trips.update_trip(lib, trip)  # in the write-ahead log, not yet in the file
    print("holding", flush=True)
    sys.stdin.read()
    lib.close()
    """
)


@pytest.fixture
def held(demo_path: Path) -> Iterator[Path]:
    """The demo library held by another process, as the running app holds it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield demo_path
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert holder.returncode == 0


def test_reading_commands_work_while_the_app_holds_the_library(
    capsys: pytest.CaptureFixture[str], held: Path
) -> None:
    code, out, err = run(capsys, "trips", "--db", str(held), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)[0]["name"] == "Renamed in the app"  # the edit the app made
    code, out, err = run(capsys, "check", "--db", str(held), "--trip", "1")
    assert code in (0, 1) and "visitplanner:" not in err
    code, out, err = run(capsys, "plan", "--db", str(held), "--trip", "1", "--json")
    assert code == 0 and json.loads(out)
    code, out, err = run(capsys, "geocode", "--db", str(held), "Cambridge, MA", "--json")
    assert code == 0 and json.loads(out)
    ics = held.parent / "trip.ics"
    code, out, err = run(
        capsys, "export", "ics", "--db", str(held), "--trip", "1", "--out", str(ics)
    )
    assert code == 0 and ics.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_writing_commands_say_that_the_app_holds_the_library(
    capsys: pytest.CaptureFixture[str], held: Path
) -> None:
    code, out, err = run(capsys, "trip", "delete", "--db", str(held), "--trip", "2")
    assert code == 2 and out == ""
    assert err.strip() == (
        f"visitplanner: The Visit Planner app holds the library {held}: close the app "
        "first, or make this change in the app (File and Plan menus)."
    )
    assert err.count("\n") == 1  # one sentence, no traceback
