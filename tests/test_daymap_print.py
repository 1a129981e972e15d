"""PDF day maps read back: approximate pins and their key, the hotel once, route arrows, and
cached tiles printed at 150 ppi or better (measured in the PDF's drawing operators)."""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from visitplanner.itinerary.pdf import build_itinerary
from visitplanner.library import Library
from visitplanner.model import Precision
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def boston(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TripSnapshot]:
    """The Boston demo trip with the BCEC known only to its street (approximate)."""
    from visitplanner import edits
    from visitplanner.demo import load_demo

    lib = Library.open(tmp_path_factory.mktemp("daymap") / "demo.visitplanner", create=True)
    trip_id = load_demo(lib)[0]
    snap = load_snapshot(lib, trip_id)
    bcec = next(p for p in snap.places.values() if p.name.startswith("Boston Convention"))
    edits.Update(dataclasses.replace(bcec, precision=Precision.STREET)).apply(lib)
    snap = load_snapshot(lib, trip_id)
    lib.close()
    yield snap


@pytest.fixture(scope="module")
def pdfs(boston: TripSnapshot, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    return {
        lang: build_itinerary(boston, folder / f"{lang}.pdf", language=lang)
        for lang in ("en", "fr")
    }


def _first_day_page(path: Path) -> Any:
    return PdfReader(path).pages[1]


def test_approximate_places_are_keyed_and_labelled_in_both_languages(
    pdfs: dict[str, Path],
) -> None:
    en = flat(_first_day_page(pdfs["en"]).extract_text())
    assert "approximate (address to be confirmed)" in en  # the key on the map
    assert "Boston Convention and Exhibition Center (address to be confirmed)" in en  # legend
    assert "The Westin Boston Seaport District (address to be confirmed)" not in en
    fr = flat(_first_day_page(pdfs["fr"]).extract_text())
    assert "approximatif (adresse à confirmer)" in fr
    assert "Boston Convention and Exhibition Center (adresse à confirmer)" in fr


def test_a_day_without_approximate_place_has_no_key(boston: TripSnapshot, tmp_path: Path) -> None:
    exact = dataclasses.replace(
        boston,
        places={
            k: dataclasses.replace(p, precision=Precision.VENUE) for k, p in boston.places.items()
        },
    )
    text = flat(_first_day_page(build_itinerary(exact, tmp_path / "x.pdf")).extract_text())
    assert "address to be confirmed" not in text


def _approximate_pins_drawn(boston: TripSnapshot) -> list[tuple[str, bool]]:
    """(text, hollow) of each pin a day map draws, through a recording canvas."""
    from reportlab.pdfgen.canvas import Canvas

    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.itinerary.daymap import DayMap

    day = day_itineraries(boston)[0]
    flowable = DayMap(boston, day, 500, 220)
    drawn: list[tuple[str, bool]] = []
    original = DayMap._pin

    def spy(self: DayMap, box: Any, text: str, approximate: bool = False) -> None:
        drawn.append((text, approximate))
        original(self, box, text, approximate)

    flowable._pin = spy.__get__(flowable)  # type: ignore[method-assign]
    flowable.canv = Canvas(io.BytesIO())
    flowable.draw()
    return drawn


def test_the_approximate_pin_is_drawn_hollow_and_the_hotel_once(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    drawn = dict(_approximate_pins_drawn(boston))
    assert drawn["2, 3"] is True  # the BCEC, street precision
    assert not any(hollow for text, hollow in drawn.items() if text != "2, 3")
    # stops 1 and 4 are at the hotel: no pin of their own, the hotel's marker carries them
    assert "1, 4" not in drawn
    text = flat(_first_day_page(pdfs["en"]).extract_text())
    assert text.count("H · 1, 4") == 1
    ops = _operations(_first_day_page(pdfs["en"]))
    # the hollow pin's dashed outline: a dash pattern set right before a white-filled shape
    assert any(op == b"d" and operands[0] for operands, op in ops)


def _operations(page: Any) -> list[tuple[list[Any], bytes]]:
    content = ContentStream(page.get_contents(), page.pdf)
    return list(content.operations)


def test_routes_have_arrowheads(pdfs: dict[str, Path]) -> None:
    """Arrowheads are closed three-corner paths, filled and stroked."""
    ops = _operations(_first_day_page(pdfs["en"]))
    heads = 0
    path: list[bytes] = []
    for _operands, op in ops:
        if op in (b"m", b"l", b"h"):
            path.append(op)
        elif op in (b"B", b"B*", b"b", b"b*", b"f", b"S", b"n", b"f*"):
            if path == [b"m", b"l", b"l", b"h"] and op in (b"B", b"B*", b"b", b"b*"):
                heads += 1
            path = []
        elif op not in (b"RG", b"rg", b"w", b"J", b"j", b"d"):
            path = []
    assert heads >= 4  # the first day's eight stops: at least four legs long enough


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buffer, "PNG")
    return buffer.getvalue()


def _image_placements(page: Any) -> list[tuple[float, int]]:
    """(drawn width in points, image width in pixels) of every image the page paints."""
    xobjects = page["/Resources"].get("/XObject", {})
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    out = []
    for operands, op in _operations(page):
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            m = ctm
            ctm = [
                a * m[0] + b * m[2],
                a * m[1] + b * m[3],
                c * m[0] + d * m[2],
                c * m[1] + d * m[3],
                e * m[0] + f * m[2] + m[4],
                e * m[1] + f * m[3] + m[5],
            ]
        elif op == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                out.append((math.hypot(ctm[0], ctm[1]), int(xobject["/Width"])))
    return out


def test_cached_tiles_print_at_150_ppi_or_better(boston: TripSnapshot, tmp_path: Path) -> None:
    from visitplanner.geo.tiles import MBTiles
    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.itinerary.daymap import DayMap

    day = day_itineraries(boston)[0]
    probe = DayMap(boston, day, 7.1 * 72, 3.1 * 72)  # the letter page's map
    assert probe.layout is not None
    vp = probe.layout[0].viewport
    z = vp.print_tile_zoom()
    assert vp.tile_zoom() + 1 <= z <= vp.tile_zoom() + 2
    cache = MBTiles(tmp_path / "cache.mbtiles")
    wanted = vp.tiles(zoom=z)
    for i, t in enumerate(wanted):  # a cache filled with generated tiles, each its own shade
        cache.put(t.z, t.x, t.y, _png((200, 200 + i % 50, 220)))
    asked: list[tuple[int, int, int]] = []

    def tiles(zoom: int, x: int, y: int) -> bytes | None:
        asked.append((zoom, x, y))
        return cache.get(zoom, x, y)

    path = build_itinerary(boston, tmp_path / "tiles.pdf", tiles=tiles)
    placements = _image_placements(_first_day_page(path))
    tiles_drawn = [(w, px) for w, px in placements if px == 256]
    assert len(tiles_drawn) == len(wanted)
    ppi = [px / (w / 72) for w, px in tiles_drawn]
    print(f"print ppi: min {min(ppi):.0f}, max {max(ppi):.0f}, {len(ppi)} tiles at zoom {z}")
    assert min(ppi) >= 150, ppi
    assert "© OpenStreetMap contributors" in flat(_first_day_page(path).extract_text())
    cache.close()


def test_a_missing_print_tile_is_filled_from_a_coarser_cached_one(
    boston: TripSnapshot, tmp_path: Path
) -> None:
    from visitplanner.itinerary.content import day_itineraries
    from visitplanner.itinerary.daymap import DayMap

    day = day_itineraries(boston)[0]
    probe = DayMap(boston, day, 7.1 * 72, 3.1 * 72)
    assert probe.layout is not None
    vp = probe.layout[0].viewport
    screen = {(t.z, t.x, t.y) for t in vp.tiles()}  # only what the app would have cached
    tile = _png((230, 230, 230))

    def tiles(z: int, x: int, y: int) -> bytes | None:
        return tile if (z, x, y) in screen else None

    path = build_itinerary(boston, tmp_path / "coarse.pdf", tiles=tiles)
    page = _first_day_page(path)
    placements = [(w, px) for w, px in _image_placements(page) if px == 256]
    assert len(placements) == len(screen)
    assert all(w > 72 for w, _px in placements)  # coarser: drawn larger, fewer pixels per inch


def test_an_approximate_hotel_is_dashed_and_marked_in_the_legend(
    boston: TripSnapshot, tmp_path: Path
) -> None:
    assert boston.base is not None
    guess = dataclasses.replace(boston.base, precision=Precision.POSTAL)
    places = {k: (guess if k == guess.id else p) for k, p in boston.places.items()}
    snap = dataclasses.replace(boston, places=places)
    text = flat(_first_day_page(build_itinerary(snap, tmp_path / "h.pdf")).extract_text())
    assert "H The Westin Boston Seaport District (address to be confirmed)" in text
    assert text.count("approximate (address to be confirmed)") == 1
