"""A long leg in an itinerary reads in hours (issue 17's new-user pass: a Québec City hotel
and a meeting in Cambridge printed "about 451 min" and "902 min of travel")."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from visitplanner.i18n import translator
from visitplanner.itinerary.pdf import build_itinerary
from visitplanner.library import Library, directory, trips
from visitplanner.planning.snapshot import load_snapshot


def test_minutes_read_in_hours_from_an_hour_on() -> None:
    for lang in ("en", "fr"):
        tr = translator(lang)
        assert tr.format_minutes(33) == "33"
        assert tr.format_minutes(60) == "1\u00a0h\u00a000"
        assert tr.format_minutes(451) == "7\u00a0h\u00a031"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_far_meeting_reads_in_hours_in_the_itinerary(tmp_path: Path, lang: str) -> None:
    from visitplanner.demo import load_demo

    lib = Library.open(tmp_path / "demo.visitplanner", create=True)
    trip_id = load_demo(lib)[0]  # the Boston trip
    meeting = next(m for m in trips.meetings(lib, trip_id) if m.start is not None and m.place_id)
    place = directory.get_place(lib, meeting.place_id or 0)
    directory.update_place(lib, dataclasses.replace(place, lat=46.8119, lon=-71.2048))  # Québec
    snap = load_snapshot(lib, trip_id)
    lib.close()
    path = build_itinerary(snap, tmp_path / "itinerary.pdf", language=lang, invariant=True)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)
    assert not re.search(r"\b\d{3,} min\b", text)  # never "451 min"
    assert re.search(r"\b\d+\s?h\s?\d\d min\b", text)  # "7 h 31 min"
