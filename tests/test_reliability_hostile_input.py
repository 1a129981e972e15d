"""Hostile input through the command line: contact files and meeting spreadsheets with
binary junk, huge fields, NUL bytes, wrong encodings, formula cells and markup.

Every file gets exit 0 or a one-line exit 2, never a traceback; and the library changes by
exactly what was reported imported (nothing when refused): no partial write.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_bad_files import CASES as BAD_FILES

from visitplanner import cli
from visitplanner.library import Library

FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", '=HYPERLINK("x")', "\t=1"]
MARKUP = ["<b>gras</b>", "Café <Montréal> & Co", "<script>alert(1)</script>", "&amp;&lt;", "]]>"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32", "mac_roman"]

cells = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FORMULAS + MARKUP + ["", " ", "\x00", "a\x00b", "\r\n", '"', "é" * 3]),
    st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
    st.integers(min_value=1, max_value=3).map(lambda n: "Ω" * (70_000 * n)),  # huge fields
    st.sampled_from(["Émilie", "Côté", "emilie.cote@example.com", "+1 514-555-0100", "2024-05-14"]),
)

CONTACT_HEADERS = [
    ["First Name", "Last Name", "E-mail Address", "Business Phone", "Company", "Job Title"],
    ["Prénom", "Nom", "Courriel", "Téléphone", "Entreprise", "Notes"],
]
MEETING_HEADERS = [
    ["Title", "Organization", "Place", "Date", "Start", "Duration", "Attendees", "Notes"],
    ["Titre", "Organisme", "Lieu", "Date", "Début", "Durée", "Délégués", "Priorité"],
]


@st.composite
def spreadsheets(draw: st.DrawFn, headers: list[list[str]]) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2000))  # not a spreadsheet at all
    header = draw(st.sampled_from(headers))
    junk_row = st.lists(cells, min_size=0, max_size=len(header) + 2)
    # Rows that mostly make sense (a real name, a day of trip 1), with one hostile cell.
    good_row = st.tuples(cells, cells).map(
        lambda c: (
            [f"Rencontre {c[0][:50]}", "", "", "2023-06-06", "10:00", "60", "", c[1]]
            if header[0] != "First Name" and header[0] != "Prénom"
            else ["Émilie", f"Côté {c[0][:50]}", "emilie@example.com", "+1 514-555-0100", "", c[1]]
        )
    )
    rows = draw(st.lists(st.one_of(junk_row, good_row), max_size=6))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut]  # a truncated file
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@st.composite
def vcards(draw: st.DrawFn) -> bytes:
    cards = []
    for _ in range(draw(st.integers(0, 3))):
        fields = {
            "FN": draw(cells),
            "N": f"{draw(cells)};{draw(cells)};;;",
            "EMAIL": draw(cells),
            "TEL": draw(cells),
            "ORG": draw(cells),
            "NOTE": draw(cells),
        }
        body = "".join(f"{k}:{v}\r\n" for k, v in fields.items() if draw(st.booleans()))
        version = draw(st.sampled_from(["2.1", "3.0", "4.0", "9.9", ""]))
        cards.append(f"BEGIN:VCARD\r\nVERSION:{version}\r\n{body}END:VCARD\r\n")
    text = "".join(cards)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


def _state(db: Path) -> tuple[int, ...]:
    with Library.open(db) as lib:
        ok = lib.integrity_ok()
        assert ok
        return tuple(
            int(lib.query_one(f"SELECT count(*) FROM {table}")[0])  # type: ignore[index]
            for table in ("contact", "organization", "meeting", "place", "directory_fts")
        )


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code in (0, 2), (code, err)
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
    return code, out, err


HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def hostile_db(demo_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "hostile.visitplanner"
    shutil.copyfile(demo_path, target)
    return target


@HYPOTHESIS
@given(
    data=st.one_of(spreadsheets(CONTACT_HEADERS), vcards()),
    suffix=st.sampled_from([".csv", ".vcf", ".txt"]),
)
def test_hostile_contact_files(
    data: bytes, suffix: str, hostile_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"contacts{suffix}"
    source.write_bytes(data)
    before = _state(hostile_db)
    code, out, _err = _run(
        ["import", "contacts", str(source), "--db", str(hostile_db), "--json"], capsys
    )
    after = _state(hostile_db)
    if code == 2:
        assert after == before
        return
    report = json.loads(out)
    assert after[0] - before[0] == len(report["contacts"])  # no partial write
    assert after[4] - before[4] == (after[0] - before[0]) + (after[1] - before[1])


@HYPOTHESIS
@given(data=spreadsheets(MEETING_HEADERS))
def test_hostile_meeting_spreadsheets(
    data: bytes, hostile_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "meetings.csv"
    source.write_bytes(data)
    before = _state(hostile_db)
    code, out, _err = _run(
        ["import", "meetings", str(source), "--trip", "1", "--db", str(hostile_db), "--json"],
        capsys,
    )
    after = _state(hostile_db)
    if code == 2:
        assert after == before
        return
    report = json.loads(out)
    imported = report.get("imported", report.get("count"))
    assert isinstance(imported, int), report
    assert after[2] - before[2] == imported  # no partial write


def test_markup_and_formulas_are_kept_literally(
    hostile_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(
        "First Name,Last Name,E-mail Address,Company,Job Title\n"
        "Zoë,<b>Côté</b>,zoe@example.com,Café <Montréal> & Co,=cmd|' /C calc'!A0\n",
        encoding="utf-8",
    )
    code, _out, _err = _run(["import", "contacts", str(source), "--db", str(hostile_db)], capsys)
    assert code == 0
    with Library.open(hostile_db) as lib:
        row = lib.query_one(
            "SELECT family_name, title FROM contact WHERE email = ?", ("zoe@example.com",)
        )
        assert row is not None
        assert row["family_name"] == "<b>Côté</b>"
    exported = tmp_path / "out.csv"
    code, _out, _err = _run(
        ["export", "contacts", "--out", str(exported), "--db", str(hostile_db)], capsys
    )
    assert code == 0
    text = exported.read_text(encoding="utf-8-sig")
    assert "<b>Côté</b>" in text
    for line in csv.reader(io.StringIO(text)):
        for cell in line:
            assert not cell.startswith(("=", "+", "@")), cell  # formulas neutralized


HOSTILE_TITLES = [
    "Café <Montréal> & Co",
    "<b>gras</b> &amp; <i>italique</i>",
    "=cmd|' /C calc'!A0",
    "Zoë — Ωmega “quoted” ]]> <br/>",
]


def test_pdf_prints_hostile_text_literally(demo_library: Library, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from visitplanner.itinerary.pdf import build_itinerary
    from visitplanner.library import trips
    from visitplanner.planning.snapshot import load_snapshot

    snap = load_snapshot(demo_library, 1)
    for meeting, title in zip(snap.meetings, HOSTILE_TITLES, strict=False):
        assert meeting.id is not None
        trips.update_meeting(demo_library, dataclasses.replace(meeting, title=title))
    out = build_itinerary(load_snapshot(demo_library, 1), tmp_path / "hostile.pdf", maps=False)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    flat = " ".join(text.split())
    for title in HOSTILE_TITLES:
        assert " ".join(title.split()) in flat, title


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_hostile_trip_files_change_nothing(
    case: str,
    hostile_db: Path,
    demo_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, _words = BAD_FILES[case]
    trip_file = tmp_path / "incoming.visitplanner"
    make(trip_file, demo_path)
    digest = trip_file.read_bytes()
    before = _state(hostile_db)
    code, _out, _err = _run(["import", "trip", str(trip_file), "--db", str(hostile_db)], capsys)
    assert code == 2
    assert _state(hostile_db) == before
    assert trip_file.read_bytes() == digest
