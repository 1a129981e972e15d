"""Work bounded by the input, and hostile files get one sentence (issue 11, item 5).

Each hostile input (zip and entity bombs, FIFOs, devices, folders, 10 MB fields, huge
quoted-printable vCards, vCard photos, control characters) gets a sentence and exit 2 on the
command line, or a reported warning, within 10 s and a bounded amount of memory; work that
used to grow with the square of its input (vCard soft-line joining, fitting the trip name in
the PDF header, search words) is timed on inputs the quadratic code could not finish.
"""

from __future__ import annotations

import base64
import io
import json
import os
import quopri
import random
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cli_helper import run

from visitplanner.library import Library, directory

# -- search: a paste of a page in the search box ----------------------------------------------


@pytest.fixture(scope="module")
def large_directory() -> Any:
    from bench.large import generate_large

    lib = Library.in_memory()
    generate_large(lib)
    yield lib
    lib.close()


def test_search_uses_a_few_distinct_words_each_of_bounded_length() -> None:
    assert directory.search_words("a " * 2000) == ["a"]
    assert directory.search_words("Mon mont MONTRÉAL côté co") == ["MONTRÉAL", "côté"]
    words = directory.search_words(" ".join(f"mot{i}" for i in range(2000)))
    assert words == [f"mot{i}" for i in range(directory.MAX_SEARCH_WORDS)]
    assert directory.search_words("x" * 100_000) == ["x" * directory.MAX_WORD_LENGTH]


def test_a_2000_word_paste_searches_within_a_frame(large_directory: Library) -> None:
    lib = large_directory
    names = [r[0] for r in lib.query("SELECT given_name FROM contact LIMIT 500")]
    names += [r[0] for r in lib.query("SELECT family_name FROM contact LIMIT 500")]
    rng = random.Random(11)
    pastes = [
        " ".join(rng.choice([*names, "a", "b", "e", "mo"]) for _ in range(2000)),
        " ".join(["a"] * 2000),  # 40 s before: 2,000 copies of the same one-letter prefix
        " ".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2000)),
        "x" * 1_000_000,
    ]
    timings = []
    for paste in pastes * 5:
        for kind in (None, "contact", "organization"):
            start = time.perf_counter()
            directory.search(lib, paste, kind, limit=2000)
            timings.append(time.perf_counter() - start)
    timings.sort()
    assert timings[int(len(timings) * 0.95)] < 0.016, timings[-5:]


def test_capped_search_still_finds_what_the_first_words_name(large_directory: Library) -> None:
    lib = large_directory
    row = lib.query_one("SELECT id, given_name, family_name FROM contact WHERE id = 77")
    assert row is not None
    text = f"{row['given_name']} {row['family_name']} " * 1000
    assert ("contact", 77) in directory.search(lib, text, limit=2000)


# -- the PDF header: a 20,000-character trip name ---------------------------------------------


def test_fitting_a_long_trip_name_in_the_header_is_fast() -> None:
    from reportlab.pdfgen.canvas import Canvas

    from visitplanner.itinerary.fonts import FAMILY, register_fonts
    from visitplanner.itinerary.pdf import _fit

    register_fonts()
    canvas = Canvas(io.BytesIO())
    measured: list[int] = []
    width_of = canvas.stringWidth

    def counting(text: str, font: str, size: float) -> float:
        measured.append(len(text))
        return float(width_of(text, font, size))

    canvas.stringWidth = counting  # type: ignore[method-assign]
    name = "Mission BIO Boston — " * 1000  # 21,000 characters
    start = time.perf_counter()
    fitted = _fit(canvas, name, FAMILY, 8, 300)
    assert time.perf_counter() - start < 0.5
    assert len(measured) < 40  # halving: about log2(21,000) measures, not 21,000
    cut = 0  # the longest prefix that fits with its ellipsis, counted from the front
    while width_of(name[: cut + 1] + "…", FAMILY, 8) <= 300:
        cut += 1
    assert fitted == name[:cut].rstrip() + "…"
    assert _fit(canvas, "BIO 2024", FAMILY, 8, 300) == "BIO 2024"
    assert _fit(canvas, "W" * 50, FAMILY, 8, 0) == "…"


# -- hostile files on the command line: one sentence, exit 2, at once -------------------------

LIMIT_SECONDS = 10
LIMIT_BYTES = 500 * 1024 * 1024


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str, float, int]:
    """(exit code, stdout, stderr, seconds, peak bytes allocated by Python) of one command."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        code, out, err = run(capsys, *argv)
    finally:
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "Traceback" not in err
    assert seconds < LIMIT_SECONDS, seconds
    assert peak < LIMIT_BYTES, peak
    return code, out, err, seconds, peak


def _one_sentence(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], (word, lines[0])


def _import_argvs(source: Path, db: Path) -> list[list[str]]:
    return [
        ["import", "contacts", str(source), "--db", str(db)],
        ["import", "meetings", str(source), "--trip", "1", "--db", str(db)],
    ]


@pytest.fixture
def db(demo_path: Path) -> Path:
    return demo_path


def _contacts(db: Path) -> int:
    with Library.open(db) as lib:
        return int(lib.query_one("SELECT count(*) FROM contact")[0])  # type: ignore[index]


def _zip_bomb(path: Path) -> None:
    """A valid workbook whose sheet declares (and holds) 1 GB of XML in about 1 MB."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["First Name", "Last Name", "E-mail Address"])
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData>')
            block = b"<!-- " + b"0" * (1024 * 1024) + b" -->"
            for _ in range(1024):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")


_LOLS = "".join(
    f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
    for i in range(1, 10)
)
ENTITY_BOMB = (
    f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n{_LOLS}]>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>First Name</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Last Name</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
).encode()


def _entity_bomb(path: Path) -> None:
    """A workbook whose sheet expands one entity to a billion "lol"s (3 GB)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["First Name", "Last Name"])
    buffer = io.BytesIO()
    book.save(buffer)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = ENTITY_BOMB
            target.writestr(info, data)


@pytest.mark.parametrize(
    "make, words",
    [(_zip_bomb, ["not opened", "MB"]), (_entity_bomb, ["not opened", "entities"])],
    ids=["zip-bomb", "entity-bomb"],
)
def test_workbook_bombs_are_refused_at_once(
    make: Any, words: list[str], db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "list.xlsx"
    make(source)
    assert source.stat().st_size < 5 * 1024 * 1024
    before = _contacts(db)
    for argv in _import_argvs(source, db):
        code, _out, err, _seconds, _peak = _cli(capsys, *argv)
        _one_sentence(code, err, *words)
    assert _contacts(db) == before


def test_an_entity_bomb_that_slips_past_the_check_is_still_a_sentence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The XML parser's own refusal (expat's amplification limit, or defusedxml) is caught."""
    from visitplanner.exchange import sheets

    monkeypatch.setattr(sheets, "_has_doctype", lambda archive, info: False)
    source = tmp_path / "list.xlsx"
    _entity_bomb(source)
    code, _out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    _one_sentence(code, err, "could not be read")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dev-null", "folder", "missing"])
def test_inputs_that_are_not_regular_files_get_a_sentence_at_once(
    kind: str, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = {
        "fifo": tmp_path / "pipe.csv",
        "dev-zero": Path("/dev/zero"),
        "dev-null": Path("/dev/null"),
        "folder": tmp_path,
        "missing": tmp_path / "nowhere.csv",
    }[kind]
    if kind == "fifo":
        os.mkfifo(source)  # nothing ever writes to it: reading it would block forever
    words = {"folder": ["folder"], "missing": ["does not exist"]}.get(kind, ["not a regular"])
    for argv in _import_argvs(source, db):
        code, _out, err, _seconds, _peak = _cli(capsys, *argv)
        _one_sentence(code, err, str(source), *words)


def test_an_unreadable_file_gets_a_sentence(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from visitplanner.exchange import inputs

    source = tmp_path / "secret.csv"
    source.write_text("First Name,Last Name\nÉmilie,Côté\n", encoding="utf-8")
    source.chmod(0)

    def refused(*args: object) -> int:  # as for a user other than root (tests may run as root)
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(inputs.os, "open", refused)
    code, _out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    _one_sentence(code, err, "not allowed", str(source))


def test_files_larger_than_an_importer_takes_are_refused_before_reading(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from visitplanner.exchange import contact_import, meetings_csv

    source = tmp_path / "big.csv"
    with source.open("wb") as stream:  # a sparse file: large, yet nothing to write
        stream.truncate(contact_import.MAX_BYTES + 1)
    for argv in _import_argvs(source, db):
        code, _out, err, _seconds, peak = _cli(capsys, *argv)
        _one_sentence(code, err, "too large")
        assert peak < meetings_csv.MAX_BYTES  # refused from its size, not read


def test_read_input_never_reads_past_its_cap(tmp_path: Path) -> None:
    from visitplanner.errors import InputError
    from visitplanner.exchange.inputs import read_input

    source = tmp_path / "data.csv"
    source.write_bytes(b"x" * 1000)
    assert read_input(source, max_bytes=1000) == b"x" * 1000
    with pytest.raises(InputError, match="too large"):
        read_input(source, max_bytes=999)


# -- huge fields: cut with a warning, never silently ------------------------------------------

TEN_MB = 10 * 1024 * 1024


def test_a_10_mb_name_in_a_workbook_is_cut_with_a_warning(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    from visitplanner.exchange.contact_import import MAX_FIELD, MAX_NOTES

    book = Workbook()
    book.active.append(["First Name", "Last Name", "Notes"])
    book.active.append(["Émilie", "Côté" * (TEN_MB // 4), "n" * TEN_MB])
    source = tmp_path / "contacts.xlsx"
    book.save(source)
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db), "--json"
    )
    assert code == 0, err
    warnings = [w["reason"] for w in json.loads(out)["warnings"]]
    assert any("Family name" in w and f"{MAX_FIELD} characters" in w for w in warnings), warnings
    assert any("Notes" in w and f"{MAX_NOTES} characters" in w for w in warnings), warnings
    with Library.open(db) as lib:
        row = lib.query_one("SELECT family_name, notes FROM contact WHERE given_name = 'Émilie'")
        assert row is not None
        assert len(row["family_name"]) == MAX_FIELD and row["family_name"].startswith("Côté")
        assert len(row["notes"]) == MAX_NOTES


def test_a_10_mb_vcard_note_is_cut_with_a_warning(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.vcf"
    source.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Côté;Émilie;;;\r\nFN:Émilie Côté\r\n"
        f"NOTE:{'n' * TEN_MB}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    assert code == 0, err
    assert "NOTE value is 10485765 characters long" in out  # the line as it stood in the file
    assert "“Notes” was cut" in out
    assert "1 contact imported." in out


def test_a_huge_csv_field_is_reported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text(
        f"First Name,Last Name,Notes\nZoë,Tremblay,ok\nÉmilie,Côté,{'n' * TEN_MB}\n",
        encoding="utf-8",
    )
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    assert code == 0, err
    assert "line 3: “Notes” was cut to 20000 characters" in out  # said, not silently dropped
    assert "2 contacts imported." in out  # the rest of the file is read on


def test_a_line_of_millions_of_empty_cells_is_read_in_linear_time(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "commas.csv"
    source.write_text("First Name,Last Name\n" + "," * 9_000_000 + "\nZoë,Tremblay\n")
    code, out, err, seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db), "--dry-run"
    )
    assert code == 0, err
    assert "Only the first 256 columns" in out and "1 contact would be imported." in out
    assert seconds < 6, seconds


def test_a_file_of_too_many_cards_is_refused_and_notes_printed_are_bounded(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from visitplanner.exchange.vcard import MAX_CARDS

    nested = tmp_path / "nested.vcf"
    count = MAX_CARDS + 10
    nested.write_text("BEGIN:VCARD\r\n" * count + "END:VCARD\r\n" * count, newline="")
    code, _out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(nested), "--db", str(db), "--dry-run"
    )
    _one_sentence(code, err, "contact cards", "Split the file")
    many = tmp_path / "many.vcf"  # 3,000 cards, each with a warning
    many.write_text(
        "".join(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{n}\r\nN:P{n};;;;\r\n" for n in range(3000)),
        newline="",
    )
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(many), "--db", str(db), "--dry-run"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) <= 202 and "more lines like these" in lines[-2], lines[-3:]


def test_a_sparse_workbook_declaring_a_million_rows_is_read_in_bounded_time(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["First Name", "Last Name"])
    sheet.append(["Zoë", "Tremblay"])
    sheet.cell(row=1_048_576, column=16_384, value="x")  # the sheet's last cell
    source = tmp_path / "sparse.xlsx"
    book.save(source)
    for argv in _import_argvs(source, db):
        _code, _out, err, seconds, _peak = _cli(capsys, *argv, "--dry-run")
        assert seconds < 6, (argv, seconds)
        assert "Traceback" not in err


def test_huge_meeting_notes_are_cut_with_a_warning(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    from visitplanner.exchange.meetings_csv import MAX_NOTES

    book = Workbook()
    book.active.append(["Title", "Date", "Start", "Notes"])
    book.active.append(["Rencontre Côté", "2023-06-06", "10:00", "n" * (9 * 1024 * 1024)])
    book.active.append(["T" * TEN_MB, "2023-06-06", "11:00", ""])
    source = tmp_path / "meetings.xlsx"
    book.save(source)
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "meetings", str(source), "--trip", "1", "--db", str(db), "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["imported"] == 1
    assert any(f"cut to {MAX_NOTES} characters" in w for w in report["warnings"]), report
    assert "too long" in report["rejected"][0]["reason"]  # a 10 MB title: the row refused


# -- linear time and bounded memory on large vCards -------------------------------------------


def test_a_12_mb_quoted_printable_vcard_reads_in_linear_time(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    note = ("Réunion à Montréal, café crème. " * 205_000).encode("utf-8")
    qp = quopri.encodestring(note).decode("ascii").replace("\n", "\r\n")
    source = tmp_path / "phone.vcf"
    source.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Côté;Émilie\r\nEMAIL:emilie@example.com\r\n"
        f"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:{qp}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert source.stat().st_size > 12_000_000
    code, out, err, seconds, peak = _cli(capsys, "import", "contacts", str(source), "--db", str(db))
    assert code == 0, err
    assert seconds < 10 and peak < 300 * 1024 * 1024
    assert "NOTE value is" in out and "1 contact imported." in out


def test_split_cards_joins_soft_line_breaks_in_linear_time() -> None:
    from visitplanner.exchange import vcard

    def timed(lines: int) -> float:
        text = (
            "BEGIN:VCARD\nVERSION:2.1\nNOTE;ENCODING=QUOTED-PRINTABLE:"
            + "=\n".join(["abcdefghij=C3=A9" * 4] * lines)
            + "\nEND:VCARD\n"
        )
        start = time.perf_counter()
        vcard.split_cards(text)
        return time.perf_counter() - start

    small, large = timed(20_000), timed(200_000)
    assert large < 0.5 + 20 * small  # ten times the lines: not a hundred times the time


def test_a_vcard_photo_costs_about_its_size_in_memory(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = base64.encodebytes(os.urandom(8 * 1024 * 1024)).decode("ascii")
    indented = photo.replace("\n", "\r\n ").rstrip()
    unindented = photo.replace("\n", "\r\n").rstrip()  # as some phones write vCard 2.1
    source = tmp_path / "photos.vcf"
    source.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Côté;Émilie;;;\r\nFN:Émilie Côté\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{indented}\r\nEMAIL:emilie@example.com\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tremblay;Zoë\r\n"
        f"item1.PHOTO;ENCODING=BASE64;TYPE=JPEG:{unindented}\r\n\r\n"
        "TEL;CELL:+1 514-555-0100\r\nEND:VCARD\r\n",
        encoding="ascii",
        errors="replace",
    )
    size = source.stat().st_size
    code, out, err, _seconds, peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    assert code == 0, err
    assert "2 contacts imported." in out
    assert peak < 6 * size, (peak, size)  # 150 times its size when vobject parsed it
    with Library.open(db) as lib:
        row = lib.query_one("SELECT email, mobile FROM contact WHERE family_name = 'Tremblay'")
        assert row is not None and row["mobile"]  # the property after the photo is read
        assert lib.query_one("SELECT 1 FROM contact WHERE email = 'emilie@example.com'")


# -- silent truncation: a workbook longer than what is read says so ---------------------------


def test_a_workbook_over_the_row_limit_says_what_was_left_out(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    from visitplanner.exchange.sheets import MAX_SHEET_ROWS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["First Name", "Last Name", "E-mail Address"])
    for n in range(MAX_SHEET_ROWS + 50):
        sheet.append(["Zoë", f"Tremblay{n}", f"zoe{n}@example.com"])
    source = tmp_path / "contacts.xlsx"
    book.save(source)
    code, out, err = run(capsys, "import", "contacts", str(source), "--db", str(db), "--dry-run")
    assert code == 0, err
    assert f"line {MAX_SHEET_ROWS + 1}: The sheet has more than 20,000 rows" in out
    assert "not imported" in out


def test_a_meetings_workbook_over_the_row_limit_says_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Title", "Date", "Duration"])
    for n in range(6000):
        sheet.append([f"Rencontre {n}", "2023-06-06", 30])
    source = tmp_path / "meetings.xlsx"
    book.save(source)
    code, out, err = run(
        capsys, "import", "meetings", str(source), "--trip", "1", "--db", str(db), "--dry-run"
    )
    assert code == 0, err
    assert "Only the first 5000 rows were read." in out


# -- control characters: never raw on the terminal, never stored --------------------------------

ESCAPES = "\x1b[2J\x9b31m\x7f"


def test_control_characters_from_imported_names_are_removed(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "contacts.vcf"
    source.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Côté{ESCAPES};Émilie;;;\r\nFN:Émilie Côté\r\n"
        f"ORG:Bio{ESCAPES}Santé\r\nNOTE:ligne 1\\nligne\t2{ESCAPES}\r\nEND:VCARD\r\n"
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Côté{ESCAPES};Émilie;;;\r\nFN:Émilie Côté\r\n"
        f"ORG:Bio{ESCAPES}Santé\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "contacts", str(source), "--db", str(db)
    )
    assert code == 0, err
    assert "already in the directory" in out  # the duplicate's name is printed: cleanly
    for text in (out, err):
        assert not any((ord(ch) < 32 and ch not in "\n") or 0x7F <= ord(ch) <= 0x9F for ch in text)
    with Library.open(db) as lib:
        row = lib.query_one(
            "SELECT c.family_name, c.notes, o.name FROM contact c "
            "JOIN organization o ON o.id = c.organization_id WHERE c.given_name = 'Émilie'"
        )
        assert row is not None
        assert row["family_name"] == "Côté[2J31m"
        assert row["name"] == "Bio[2J31mSanté"
        assert row["notes"] == "ligne 1\nligne\t2[2J31m"  # tab and new line kept


def test_control_characters_in_meeting_cells_are_removed(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "meetings.csv"
    source.write_text(
        f"Title,Organization,Date,Start\nRencontre{ESCAPES},Bio{ESCAPES}Nouvelle,2023-06-06,10:00\n",
        encoding="utf-8",
    )
    code, out, err, _seconds, _peak = _cli(
        capsys, "import", "meetings", str(source), "--trip", "1", "--db", str(db)
    )
    assert code == 0, err
    assert "Bio[2J31mNouvelle" in out
    assert "\x1b" not in out and "\x9b" not in out
    with Library.open(db) as lib:
        assert lib.query_one("SELECT 1 FROM meeting WHERE title = 'Rencontre[2J31m'")


def test_clean_text_keeps_text_and_line_breaks_where_they_mean_something() -> None:
    from visitplanner.exchange.text import clean_text, shown

    assert clean_text("Émilie\tCôté\r\nZoë\x1b[0m") == "Émilie Côté Zoë[0m"
    assert clean_text("a\r\nb\rc\td\x00\x85", multiline=True) == "a\nb\nc\td"
    assert shown("x" * 1000, 10) == "x" * 9 + "…"
