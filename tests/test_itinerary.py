"""PDF itineraries, read back with pypdf: text, pages, fonts, bookmarks, escaping."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from visitplanner.errors import Cancelled
from visitplanner.i18n import translator
from visitplanner.itinerary.content import itinerary_content, printed_meetings
from visitplanner.itinerary.pdf import build_itinerary
from visitplanner.itinerary.typography import clock
from visitplanner.library import Library
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot


def flat(text: str) -> str:
    """Text with every run of white space made one space (lines wrap anywhere)."""
    return " ".join(text.split())


@cache
def pdf_text(path: Path) -> list[str]:
    """Each page's text (read once per file: pypdf's extraction is the slow part here)."""
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def boston(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TripSnapshot]:
    from visitplanner.demo import load_demo

    lib = Library.open(tmp_path_factory.mktemp("itin") / "demo.visitplanner", create=True)
    trip_ids = load_demo(lib)
    snap = load_snapshot(lib, trip_ids[0])
    lib.close()
    yield snap


@pytest.fixture(scope="module")
def pdfs(boston: TripSnapshot, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    out = {}
    for lang in ("en", "fr"):
        out[lang] = build_itinerary(boston, folder / f"{lang}.pdf", language=lang, invariant=True)
    return out


def test_master_holds_every_meeting_with_time_address_and_hosts(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    for lang, path in pdfs.items():
        tr = translator(lang)
        text = " ".join(pdf_text(path))
        for m in printed_meetings(boston):
            assert m.start is not None
            assert flat(m.title) in text, m.title
            assert flat(clock(tr, m.start)) in text
            place = boston.place_of(m)
            if place is not None and place.street:
                assert flat(place.address()) in text
            for host in m.host_ids:
                contact = boston.contacts[host]
                assert contact.full_name in text
                assert contact.email in text
    en = " ".join(pdf_text(pdfs["en"]))
    fr = " ".join(pdf_text(pdfs["fr"]))
    assert "Monday, June 5, 2023" in en and "lundi 5 juin 2023" in fr
    assert "9:30 AM" in en and "9 h 30" in fr
    assert "Jürgen Köhler" in en and "Jürgen Köhler" in fr  # accents intact
    assert "Master itinerary" in en and "Itinéraire principal" in fr
    cancelled = [m for m in boston.meetings if m.status.value == "cancelled"]
    assert cancelled and all(flat(m.title) not in en for m in cancelled)


def test_page_numbers_agree_with_page_count(pdfs: dict[str, Path]) -> None:
    words = {"en": "of", "fr": "de"}
    for lang, path in pdfs.items():
        pages = pdf_text(path)
        total = len(pages)
        assert total > 3
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} {words[lang]} {total}" in text


def _fonts(resources: Any, seen: dict[str, Any]) -> None:
    resources = resources.get_object() if resources is not None else None
    if not resources:
        return
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        seen[str(font["/BaseFont"])] = font
    for xobject in (resources.get("/XObject") or {}).values():
        _fonts(xobject.get_object().get("/Resources"), seen)


def test_every_font_is_embedded(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        seen: dict[str, Any] = {}
        for page in PdfReader(path).pages:
            _fonts(page.get("/Resources"), seen)
        assert seen
        for name, font in seen.items():
            assert "DejaVuSans" in name, name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} is not embedded"


def test_bookmarks_per_day_point_at_their_day(boston: TripSnapshot, pdfs: dict[str, Path]) -> None:
    days = sorted({m.start.date() for m in printed_meetings(boston) if m.start is not None})
    for lang, path in pdfs.items():
        tr = translator(lang)
        reader = PdfReader(path)
        outline = [o for o in reader.outline if not isinstance(o, list)]
        assert outline[0].title in ("Trip and contacts", "Voyage et contacts")
        assert reader.get_destination_page_number(outline[0]) == 0
        outline = outline[1:]
        titles = [o.title for o in outline]
        expected = [flat(tr.format_date(d)) for d in days]
        assert [flat(t).casefold() for t in titles[: len(days)]] == [e.casefold() for e in expected]
        for item, day in zip(outline, days, strict=False):
            page = reader.get_destination_page_number(item)
            assert (
                tr.format_date(day).casefold() in flat(reader.pages[page].extract_text()).casefold()
            )
        assert titles[-1] in ("Directory", "Répertoire")


def test_metadata(pdfs: dict[str, Path]) -> None:
    reader = PdfReader(pdfs["fr"])
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Mission Québec — BIO 2023 Boston — Itinéraire principal"
    assert meta.subject == "Itinéraire principal"
    assert meta.author == "Geneviève Lachance (fictive)"
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr-CA"


def test_directory_lists_organizations_and_contacts(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    pages = pdf_text(pdfs["en"])
    start = next(i for i, t in enumerate(pages) if "Every organization and contact met" in t)
    directory = " ".join(pages[start:])
    content = itinerary_content(boston)
    for entry in content.directory:
        if entry.organization is not None:
            assert flat(entry.organization.name) in directory
        for contact in entry.contacts:
            assert contact.full_name in directory


def test_delegate_pdf_holds_only_their_meetings(boston: TripSnapshot, tmp_path: Path) -> None:
    delegate = next(d for d in boston.delegates.values() if d.name == "Zoë Tremblay")
    assert delegate.id is not None
    path = build_itinerary(boston, tmp_path / "zoe.pdf", delegate_id=delegate.id, language="fr")
    text = " ".join(pdf_text(path))
    assert "Itinéraire de Zoë Tremblay" in text
    mine = printed_meetings(boston, delegate.id)
    assert mine
    for m in mine:
        assert flat(m.title) in text
    others = [m for m in printed_meetings(boston) if m not in mine]
    assert others
    for m in others:
        assert flat(m.title) not in text, m.title


def test_invariant_builds_are_identical(boston: TripSnapshot, tmp_path: Path) -> None:
    a = build_itinerary(boston, tmp_path / "a.pdf", paper="a4", invariant=True)
    b = build_itinerary(boston, tmp_path / "b.pdf", paper="a4", invariant=True)
    assert a.read_bytes() == b.read_bytes()
    box = PdfReader(a).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_cancelled_export_leaves_no_file(boston: TripSnapshot, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    calls = []

    def progress(fraction: float, text: str) -> None:
        calls.append(fraction)
        if fraction > 0.3:
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        build_itinerary(boston, target, progress=progress)
    assert len(calls) >= 2
    assert list(tmp_path.iterdir()) == []


def test_existing_file_survives_a_failed_export(boston: TripSnapshot, tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"previous")

    def progress(fraction: float, text: str) -> None:
        if fraction > 0.5:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        build_itinerary(boston, target, progress=progress)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


# -- hostile and international text ---------------------------------------------------------

HOSTILE_ORG = "Café <Montréal> & Co"
HOSTILE_TITLE = "Réunion <b>non grasse</b> & “guillemets” — Łódź, Ørsted, Muñoz"


def _hostile_library(tmp_path: Path) -> tuple[TripSnapshot, int]:
    from visitplanner.library import directory, trips
    from visitplanner.model import Contact, Delegate, Meeting, MeetingStatus, Organization, Place
    from visitplanner.model import Trip as TripModel

    lib = Library.open(tmp_path / "hostile.visitplanner", create=True)
    with lib.write():
        hotel = directory.add_place(
            lib,
            Place(name="Hôtel <Gare>", street="1 rue & Co", city="Montréal", lat=45.5, lon=-73.57),
        )
        place = directory.add_place(
            lib,
            Place(name="Salle <A>", street="2 av. <Ouest>", city="Laval", lat=45.56, lon=-73.71),
        )
        org = directory.add_organization(lib, Organization(name=HOSTILE_ORG, place_id=place))
        host = directory.add_contact(
            lib,
            Contact(
                given_name="Zoë",
                family_name="O’Brien <admin>",
                title="Directrice & fondatrice",
                organization_id=org,
                email="zoe@example.com",
                phone="+1 514-555-0100",
            ),
        )
        trip_id = trips.add_trip(
            lib,
            TripModel(
                name="Mission <test> & “essai”",
                first_day=dt.date(2023, 6, 5),
                last_day=dt.date(2023, 6, 6),
                base_place_id=hotel,
                organizer="Ann <Org> & Co, +1 617-555-0101",
                emergency="911 <urgent>",
            ),
        )
        delegate = trips.add_delegate(
            lib, Delegate(trip_id=trip_id, name="Søren <Ñandú>", company="A & B <inc>")
        )
        trips.add_meeting(
            lib,
            Meeting(
                trip_id=trip_id,
                title=HOSTILE_TITLE,
                status=MeetingStatus.CONFIRMED,
                organization_id=org,
                start=dt.datetime(2023, 6, 5, 14, 30),
                duration_minutes=45,
                delegate_ids=[delegate],
                host_ids=[host],
                notes="a < b && c > d </para> <font color=red>",
            ),
        )
    snap = load_snapshot(lib, trip_id)
    lib.close()
    return snap, delegate


def test_hostile_names_print_literally(tmp_path: Path) -> None:
    snap, delegate = _hostile_library(tmp_path)
    for who in (None, delegate):
        path = build_itinerary(snap, tmp_path / f"h{who}.pdf", delegate_id=who, language="fr")
        text = " ".join(pdf_text(path))
        for literal in (
            HOSTILE_ORG,
            HOSTILE_TITLE,
            "Zoë O’Brien <admin>",
            "Directrice & fondatrice",
            "a < b && c > d </para> <font color=red>",
            "Søren <Ñandú>",
            "A & B <inc>",
            "Mission <test> & “essai”",
            "2 av. <Ouest>, Laval",
            "911 <urgent>",
            "14 h 30",
        ):
            assert flat(literal) in text, literal


def test_cli_writes_one_pdf_per_delegate_with_safe_names(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from visitplanner.cli import main

    folder = tmp_path / "each"
    code = main(
        [
            "export",
            "pdf",
            "--db",
            str(demo_path),
            "--trip",
            "2",
            "--all-delegates",
            str(folder),
            "--lang",
            "en",
            "--paper",
            "a4",
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["language"] == "en" and data["paper"] == "a4"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(data["files"]) == 8
    assert all(n.endswith(".pdf") and "/" not in n for n in names)
    for item in data["files"]:
        first = PdfReader(item["path"]).pages[0].extract_text()
        assert f"Itinerary of {item['delegate']}" in flat(first)


def test_cli_reports_mistakes_in_one_line(
    demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from visitplanner.cli import main

    base = ["export", "pdf", "--db", str(demo_path), "--trip", "1"]
    assert main([*base, "--out", str(tmp_path / "x.pdf"), "--delegate", "Nobody"]) == 2
    assert main(base) == 2
    assert main([*base, "--out", str(tmp_path / "missing" / "x.pdf")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("visitplanner: ") for line in err)
    assert not (tmp_path / "x.pdf").exists()


def test_master_lists_every_delegate_on_the_cover(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    cover = pdf_text(pdfs["fr"])[0]
    for d in boston.delegates.values():
        assert d.name in cover and flat(d.company) in cover
    assert "Du lundi 5 juin 2023 au jeudi 8 juin 2023" in cover
    assert re.search(r"Urgences : 911", cover)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anaïs Bouchard", "Anaïs Bouchard"),
        ("../../etc/passwd", "etc_passwd"),
        ('A<b>:c"d|e?f*g', "A_b_c_d_e_f_g"),
        ("CON", "delegate-3"),
        ("   ", "delegate-3"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    from visitplanner.itinerary.export import safe_filename

    assert safe_filename(name, "delegate-3") == expected


# -- day maps ---------------------------------------------------------------------------------


def test_each_day_has_a_map_with_numbered_stops_and_scale(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    from visitplanner.itinerary.content import day_itineraries

    pages = pdf_text(pdfs["en"])
    for day in day_itineraries(boston):
        tr = translator("en")
        page = next(p for p in pages[1:] if flat(tr.format_date(day.day)) in p)
        first = day.stops[0]
        assert first.place is not None
        # the legend under the map: "1 Place" or "1, 4 Place" when two stops share it
        assert re.search(rf"\b1(, \d+)* {re.escape(flat(first.place.label()))}", page)
        assert re.search(r"\d+ (k?m)\b", page)  # the scale bar
        assert f"H {flat(boston.base.label())}" in page if boston.base else True


def test_day_map_draws_cached_tiles_with_attribution(boston: TripSnapshot, tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 240)).save(buffer, "PNG")
    tile = buffer.getvalue()
    asked: list[tuple[int, int, int]] = []

    def tiles(z: int, x: int, y: int) -> bytes | None:
        asked.append((z, x, y))
        return tile

    path = build_itinerary(boston, tmp_path / "tiles.pdf", tiles=tiles)
    assert asked
    reader = PdfReader(path)
    day_page = reader.pages[1]
    xobjects = day_page["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    assert "© OpenStreetMap contributors" in flat(day_page.extract_text())


def test_map_labels_never_overlap() -> None:
    from visitplanner.itinerary.daymap import Box, _free_spot

    placed: list[Box] = []
    for _ in range(6):  # six stops at the same spot
        placed.append(_free_spot(Box(100, 100, 14, 14), placed, 400, 200))
    for i, a in enumerate(placed):
        assert all(not a.overlaps(b) for b in placed[i + 1 :])


def test_cli_uses_the_tile_cache_beside_the_library(demo_path: Path, tmp_path: Path) -> None:
    from PIL import Image

    from visitplanner.cli import main
    from visitplanner.geo.tiles import MBTiles, cache_path_for
    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.itinerary.daymap import day_geometry

    with Library.open(demo_path) as lib:
        snap = load_snapshot(lib, 2)
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 230, 230)).save(buffer, "PNG")
    cache = MBTiles(cache_path_for(demo_path))
    first_day = day_itineraries(snap)[0]
    layout = day_geometry(snap, first_day, 7.1 * 72, 3.1 * 72)
    assert layout is not None
    for t in layout[0].tiles:
        cache.put(t.z, t.x, t.y, buffer.getvalue())
    cache.close()
    out = tmp_path / "tiles.pdf"
    assert main(["export", "pdf", "--db", str(demo_path), "--trip", "2", "--out", str(out)]) == 0
    day_page = PdfReader(out).pages[1]
    assert "© OpenStreetMap contributors" in flat(day_page.extract_text())


def test_legs_start_where_the_same_people_were(boston: TripSnapshot) -> None:
    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.model import MeetingKind

    for day in day_itineraries(boston):  # master: each group from its own previous stop
        for stop in day.stops:
            if not stop.meeting.delegate_ids:
                assert not stop.groups, stop.meeting.title  # nobody attends: no leg
            travelling = [d for g in stop.groups for d in g.delegate_ids]
            assert sorted(travelling) == sorted(stop.meeting.delegate_ids), stop.meeting.title
            for group in stop.groups:
                if group.from_hotel:
                    assert group.origin is boston.base
                    continue
                before = day.stops[(group.origin_stop or 0) - 1]
                assert group.origin is before.end_place
                assert set(group.delegate_ids) <= set(before.meeting.delegate_ids)
                for person in group.delegate_ids:  # and nothing of theirs in between
                    between = day.stops[before.number : stop.number - 1]
                    assert not any(person in s.meeting.delegate_ids for s in between)
        assert day.return_leg is None
    zoe = next(d.id for d in boston.delegates.values() if d.name == "Zoë Tremblay")
    days = day_itineraries(boston, zoe)
    for day in days:  # one delegate: from their previous stop, back to the hotel at night
        placed = [s for s in day.stops if s.place is not None]
        for before, stop in itertools.pairwise(placed):
            assert stop.origin is before.place
        last = day.stops[-1].meeting
        assert (day.return_leg is None) == (last.kind is MeetingKind.TRANSFER)
    assert any(day.return_leg is not None for day in days)


def test_unwritable_target_is_a_message_and_leaves_nothing(
    boston: TripSnapshot, tmp_path: Path
) -> None:
    from visitplanner.errors import InputError

    (tmp_path / "taken.pdf").mkdir()  # a folder where the file should go
    with pytest.raises(InputError, match="is a folder"):
        build_itinerary(boston, tmp_path / "taken.pdf")
    with pytest.raises(InputError, match="Cannot write"):
        build_itinerary(boston, tmp_path / "missing" / "x.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["taken.pdf"]


def test_a_meeting_longer_than_a_page_flows_on(tmp_path: Path) -> None:
    from visitplanner.library import directory, trips
    from visitplanner.model import Contact, Delegate, Meeting, Place
    from visitplanner.model import Trip as TripModel

    lib = Library.in_memory()
    trip_id = trips.add_trip(
        lib, TripModel(name="Long", first_day=dt.date(2024, 1, 1), last_day=dt.date(2024, 1, 1))
    )
    delegate = trips.add_delegate(lib, Delegate(trip_id=trip_id, name="Solo"))
    place = directory.add_place(lib, Place(name="X", city="Boston", lat=42.35, lon=-71.05))
    hosts = [
        directory.add_contact(lib, Contact(given_name=f"H{i}", family_name="Host"))
        for i in range(30)
    ]
    notes = " ".join(f"Sentence {i} of a very long note." for i in range(500))
    trips.add_meeting(
        lib,
        Meeting(
            trip_id=trip_id,
            title="Marathon",
            place_id=place,
            start=dt.datetime(2024, 1, 1, 9),
            delegate_ids=[delegate],
            host_ids=hosts,
            notes=notes,
        ),
    )
    path = build_itinerary(load_snapshot(lib, trip_id), tmp_path / "long.pdf")
    text = " ".join(pdf_text(path))
    assert "Sentence 499 of a very long note." in text and "H29 Host" in text
