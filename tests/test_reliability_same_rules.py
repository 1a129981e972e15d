"""What the app refuses to make can come in by no other door (issue 11, found by a review).

``trip new``, the editors and the trip-file import keep the same rules on text (length,
control characters) and on times the trip's clocks skip; a meeting that got into a library
another way is named by ``check``.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.errors import InputError
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, Trip


@pytest.mark.parametrize(
    "name, words",
    [
        ("Mission \x1b[2J Boston", "control characters"),
        ("B" * 20_000, "more than the 1000 allowed"),
    ],
    ids=["escape", "20000-characters"],
)
def test_trip_new_refuses_what_a_trip_file_may_not_hold(
    capsys: pytest.CaptureFixture[str], demo_path: Path, name: str, words: str
) -> None:
    code, _out, err = run(
        capsys, "trip", "new", "--db", str(demo_path), "--name", name,
        "--from", "2025-06-02", "--to", "2025-06-04",
    )  # fmt: skip
    assert code == 2 and words in err and err.count("\n") == 1, err
    assert "\x1b" not in err
    code, out, _err = run(capsys, "trips", "--db", str(demo_path), "--json")
    assert len(json.loads(out)) == 2


def test_the_library_refuses_long_or_controlled_text_in_every_record(
    demo_library: Library,
) -> None:
    with pytest.raises(
        InputError, match="The notes: 20001 characters, more than the 20000 allowed"
    ):
        directory.add_contact(demo_library, Contact(given_name="Zoë", notes="n" * 20_001))
    with pytest.raises(InputError, match="control characters"):
        directory.add_contact(demo_library, Contact(given_name="Zoë\x07"))
    directory.add_contact(demo_library, Contact(given_name="Zoë", notes="line 1\nline\t2"))
    import datetime as dt

    with pytest.raises(InputError, match="61 days"):
        trips.add_trip(
            demo_library,
            Trip("Too long", first_day=dt.date(2025, 1, 1), last_day=dt.date(2025, 6, 1)),
        )


def test_a_trip_file_meeting_at_a_time_the_clocks_skip_is_refused(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    trip_file = tmp_path / "boston.trip"
    code, _out, err = run(
        capsys, "export", "trip", "--db", str(demo_path), "--trip", "1", "--out", str(trip_file)
    )
    assert code == 0, err
    db = sqlite3.connect(trip_file)
    db.execute("UPDATE trip SET first_day = '2023-03-10', last_day = '2023-03-14'")
    db.execute("UPDATE meeting SET start = NULL")
    db.execute("UPDATE delegate SET arrival = NULL, departure = NULL")  # the demo's late one
    db.execute("DELETE FROM busy")
    db.execute(
        "UPDATE meeting SET start = '2023-03-12T02:30:00' WHERE id = (SELECT min(id) FROM meeting)"
    )
    db.commit()
    db.close()
    code, _out, err = run(capsys, "import", "trip", str(trip_file), "--db", str(demo_path))
    assert code == 2 and "does not exist in the time zone America/New_York" in err, err


def test_check_names_a_meeting_at_a_time_the_clocks_skip_or_repeat(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    db = sqlite3.connect(demo_path)
    db.execute("UPDATE trip SET first_day = '2023-03-10', last_day = '2023-11-06' WHERE id = 1")
    db.execute("UPDATE meeting SET start = NULL WHERE trip_id = 1")
    ids = [r[0] for r in db.execute("SELECT id FROM meeting WHERE trip_id = 1 ORDER BY id")]
    db.execute("UPDATE meeting SET start = '2023-03-12T02:30:00' WHERE id = ?", (ids[0],))
    db.execute("UPDATE meeting SET start = '2023-11-05T01:30:00' WHERE id = ?", (ids[1],))
    db.commit()
    db.close()
    code, out, err = run(capsys, "check", "--db", str(demo_path), "--trip", "1", "--json")
    assert code == 0, err
    found = {
        (p["meetings"][0], p["severity"])
        for p in json.loads(out)["problems"]
        if p["kind"] == "clock_change"
    }
    assert found == {(ids[0], "error"), (ids[1], "warning")}
