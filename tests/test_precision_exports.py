"""Approximate places in the other outputs: the calendar (no GEO pin, "address to be
confirmed" in LOCATION) and what `export pdf` says once it has written."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helper import run
from icalendar import Calendar
from precision_trip import build

from visitplanner.library import Library


@pytest.fixture
def trip(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "precision.visitplanner"
    lib = Library.open(path, create=True)
    ids = build(lib)
    lib.close()
    return path, ids


def test_calendar_gives_no_pin_to_an_approximate_place(
    trip: tuple[Path, dict[str, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = trip
    out = tmp_path / "t.ics"
    code, _out, _err = run(
        capsys, "export", "ics", "--db", str(path), "--trip", str(ids["trip"]), "--out", str(out)
    )
    assert code == 0
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    intro = events["AAV intro"]
    assert "GEO" not in intro
    assert str(intro["LOCATION"]) == (
        "Atlantic Avenue Ventures, Boston, MA · address to be confirmed"
    )
    assert "GEO" not in events["Summer Street Biotech"]
    tower = events["Harborline Tower"]
    assert "GEO" in tower and "confirmed" not in str(tower["LOCATION"])
    assert round(float(tower.decoded("GEO")[0]), 4) == 42.356


def test_export_pdf_names_the_places_to_confirm(
    trip: tuple[Path, dict[str, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, ids = trip
    argv = ("export", "pdf", "--db", str(path), "--trip", str(ids["trip"]))
    code, out, _err = run(capsys, *argv, "--out", str(tmp_path / "m.pdf"), "--lang", "en")
    assert code == 0
    assert (
        "4 places are printed with “address to be confirmed” and no QR code: Atlantic Avenue "
        "Ventures, Beacon Hill Labs, Summer Street Biotech, Fort Point Postal. `check` says how "
        "to fix them."
    ) in " ".join(out.split())
    code, out, _err = run(capsys, "--lang", "fr", *argv, "--out", str(tmp_path / "f.pdf"))
    assert code == 0 and "4 lieux sont imprimés avec «\u00a0adresse à confirmer\u00a0»" in out
