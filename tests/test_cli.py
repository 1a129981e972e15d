"""The command line: commands, JSON shapes, errors as one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helper import run


def test_demo_then_trips_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.visitplanner"
    code, _out, _err = run(capsys, "demo", "--db", str(db))
    assert code == 0
    code, out, _err = run(capsys, "trips", "--db", str(db), "--json")
    assert code == 0
    listed = json.loads(out)
    assert len(listed) == 2
    for trip in listed:
        assert set(trip) == {
            "id",
            "name",
            "region",
            "first_day",
            "last_day",
            "timezone",
            "delegates",
            "meetings",
        }
    boston = next(t for t in listed if t["region"] == "boston")
    assert boston["first_day"] == "2023-06-05" and boston["last_day"] == "2023-06-08"
    assert boston["timezone"] == "America/New_York"
    assert boston["delegates"] >= 8 and boston["meetings"] >= 30
    quebec = next(t for t in listed if t["region"] == "quebec")
    assert quebec["timezone"] == "America/Toronto"


def test_check_json_shape_and_deliberate_problems(
    demo_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for trip in ("1", "2"):
        code, out, _err = run(capsys, "check", "--db", str(demo_path), "--trip", trip, "--json")
        assert code == 0
        result = json.loads(out)
        assert result["trip"] == int(trip)
        kinds = {p["kind"] for p in result["problems"]}
        assert {"overlap", "no_attendee", "imprecise_place"} <= kinds
        for problem in result["problems"]:
            assert set(problem) == {
                "kind",
                "severity",
                "meetings",
                "delegates",
                "message",
                "fix",
            }
            assert problem["meetings"] and problem["message"]
            assert (problem["fix"] is not None) == (problem["kind"] == "imprecise_place")


def test_trip_accepts_an_exact_name(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trips", "--db", str(demo_path), "--json")
    name = json.loads(out)[0]["name"]
    code, out, _ = run(capsys, "check", "--db", str(demo_path), "--trip", name, "--json")
    assert code == 0 and json.loads(out)["trip"] == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("check", "--trip", "Nope"),
        ("check", "--trip", "99"),
        ("check",),
        ("trips", "--bogus"),
        ("no-such-command",),
    ],
)
def test_mistakes_are_one_line_and_exit_2(
    demo_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    code, _out, err = run(capsys, *argv, "--db", str(demo_path))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_library_is_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "trips", "--db", str(tmp_path / "none.visitplanner"))
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "none.visitplanner").exists()


def test_messages_in_french(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--lang", "fr", "check", "--db", str(demo_path), "--trip", "x")
    assert code == 2 and "Il n’y a pas de voyage" in err


def test_help_everywhere() -> None:
    for argv in ([], ["demo"], ["trips"], ["check"]):
        result = subprocess.run(
            [sys.executable, "-m", "visitplanner", *argv, "--help"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "usage:" in result.stdout


@pytest.mark.parametrize("zone", ["Bogus/Zone", "America", "../../etc/passwd", "/etc/localtime"])
def test_trip_new_refuses_what_is_not_a_time_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], zone: str
) -> None:
    # "America" is a folder of the zone database: zoneinfo raised IsADirectoryError.
    db = tmp_path / "t.visitplanner"
    code, out, err = run(
        capsys, "trip", "new", "--db", str(db), "--name", "X", "--from", "2023-06-05",
        "--to", "2023-06-08", "--tz", zone,
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "is not a time zone" in err


def test_core_refuses_a_trip_in_no_time_zone(empty_library: object) -> None:
    import datetime as dt

    from visitplanner.errors import InputError
    from visitplanner.library import Library, trips
    from visitplanner.model import Trip

    assert isinstance(empty_library, Library)
    day = dt.date(2023, 6, 5)
    with pytest.raises(InputError):
        trips.add_trip(empty_library, Trip(name="X", first_day=day, last_day=day, timezone="Mars"))
    assert trips.trips(empty_library) == []


def test_trip_new_base_is_found_by_the_offline_geocoder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The library holds no place yet: the base comes from the gazetteer ("BCEC"), in the same
    # transaction as the trip; a city alone is too vague for a hotel.
    from visitplanner.library import Library, directory, trips
    from visitplanner.model import Precision

    db = tmp_path / "t.visitplanner"
    new = ("trip", "new", "--db", str(db), "--from", "2023-06-05", "--to", "2023-06-08")
    code, out, err = run(capsys, *new, "--name", "Vague", "--base", "Boston")
    assert code == 2 and out == "" and "No place" in err
    code, out, err = run(capsys, *new, "--name", "BIO", "--base", "BCEC", "--json")
    assert code == 0, err
    trip_id = json.loads(out)["id"]
    with Library.open(db) as lib:
        assert [t.name for t in trips.trips(lib)] == ["BIO"]
        base = directory.get_place(lib, trips.get_trip(lib, trip_id).base_place_id or 0)
        assert base.precision is Precision.VENUE and base.source == "gazetteer"
        assert base.lat is not None and abs(base.lat - 42.3458) < 0.01
