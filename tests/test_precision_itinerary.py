"""Approximate places in printed itineraries, read back with pypdf (master and a delegate's,
English and French): "address to be confirmed", no QR code, rough or unknown legs."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from precision_trip import build
from pypdf import PdfReader

from visitplanner.itinerary.content import itinerary_content
from visitplanner.itinerary.layout import stop_qr_url
from visitplanner.itinerary.links import maps_url
from visitplanner.itinerary.pdf import build_itinerary
from visitplanner.library import Library
from visitplanner.model import Precision
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot

QR_SIZE = "57.60"  # layout.meeting_block: 0.8 inch
QR_DRAW = re.compile(rb"/FormXob\.(qr-[0-9a-f]+) Do")


def flat(text: str) -> str:
    return " ".join(text.split())  # no-break spaces too


def pdf_text(path: Path) -> str:
    return " ".join(flat(page.extract_text() or "") for page in PdfReader(path).pages)


def qr_draws(path: Path) -> list[str]:
    """The QR forms drawn on every page, in order (one per drawing)."""
    found: list[str] = []
    for page in PdfReader(path).pages:
        contents = page.get_contents()
        if contents is not None:
            found += [m.decode() for m in QR_DRAW.findall(contents.get_data())]
    return found


def qr_name(url: str) -> str:
    """The form name layout.QrCode gives the code of ``url``."""
    return "qr-" + hashlib.sha1(f"{url}|{QR_SIZE}".encode()).hexdigest()[:20]


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TripSnapshot, dict[str, int]]]:
    lib = Library.open(tmp_path_factory.mktemp("prec") / "p.visitplanner", create=True)
    ids = build(lib)
    snap = load_snapshot(lib, ids["trip"])
    lib.close()
    yield snap, ids


@pytest.fixture(scope="module")
def pdfs(
    trip: tuple[TripSnapshot, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    snap, ids = trip
    folder = tmp_path_factory.mktemp("precpdf")
    out = {}
    for lang in ("en", "fr"):
        for who, delegate in (("master", None), ("ann", ids["ann"])):
            out[(who, lang)] = build_itinerary(
                snap, folder / f"{who}-{lang}.pdf", delegate_id=delegate, language=lang
            )
    return out


def test_only_precise_stops_get_a_qr_code(trip: tuple[TripSnapshot, dict[str, int]]) -> None:
    snap, ids = trip
    for delegate in (None, ids["ann"]):
        content = itinerary_content(snap, delegate)
        stops = [s for d in content.days for s in d.stops]
        with_qr = {s.meeting.id for s in stops if stop_qr_url(s) is not None}
        assert with_qr == {ids["tower_m"], ids["annex_m"]}


def test_pdfs_draw_no_qr_code_for_an_approximate_place(
    trip: tuple[TripSnapshot, dict[str, int]], pdfs: dict[tuple[str, str], Path]
) -> None:
    snap, ids = trip
    precise = {qr_name(url) for k in ("tower", "annex") if (url := maps_url(snap.places[ids[k]]))}
    guessed = {
        qr_name(url)
        for k in ("aav_place", "beacon_place", "summer", "postal")
        if (url := maps_url(snap.places[ids[k]]))
    }
    # the two city places share one point, but not one name: the link searches the name
    assert len(precise) == 2 and len(guessed) == 4
    for path in pdfs.values():
        drawn = qr_draws(path)
        assert sorted(drawn) == sorted(precise), path.name  # one code per precise stop
        assert not guessed & set(drawn)


def test_approximate_addresses_say_to_be_confirmed(pdfs: dict[tuple[str, str], Path]) -> None:
    for (who, lang), path in pdfs.items():
        text = pdf_text(path)
        note = "address to be confirmed" if lang == "en" else "adresse à confirmer"
        assert f"Boston, MA · {note}" in text, (who, lang)  # the city-precision places
        assert f"Summer St, Boston, MA · {note}" in text
        assert f"Boston, MA 02210 · {note}" in text  # the postal one
        assert "70 Rowes Wharf, Boston, MA 02110" in text
        assert f"70 Rowes Wharf, Boston, MA 02110 · {note}" not in text  # precise: no note


def test_legs_say_same_place_unknown_or_about(pdfs: dict[tuple[str, str], Path]) -> None:
    for (who, lang), path in pdfs.items():
        text = pdf_text(path)
        if lang == "en":
            assert text.count("Same place as the previous stop.") == 2, who  # AAV; the Annex
            assert re.search(
                r"From stop \d, Atlantic Avenue Ventures: travel time unknown "
                r"\(address to be confirmed\)\.",
                text,
            )
            assert re.search(
                r"From stop \d, Beacon Hill Labs: taxi, about [\d.]+ km and about \d+ min "
                r"\(rough: address to be confirmed\)\.",
                text,
            )
            assert "Some of it is rough: an address is to be confirmed." in text
            assert "about 0 min" not in text
        else:
            assert text.count("Même endroit que l’arrêt précédent.") == 2, who
            assert re.search(
                r"Depuis l’arrêt \d, Atlantic Avenue Ventures : durée du trajet inconnue "
                r"\(adresse à confirmer\)\.",
                text,
            )
            assert re.search(
                r"Depuis l’arrêt \d, Beacon Hill Labs : taxi, environ [\d,]+ km et environ \d+ min "
                r"\(approximatif : adresse à confirmer\)\.",
                text,
            )
            assert "environ 0 min" not in text


def test_a_delegate_goes_back_to_the_hotel_roughly(pdfs: dict[tuple[str, str], Path]) -> None:
    en = pdf_text(pdfs[("ann", "en")])
    assert re.search(
        r"Back to the hotel: taxi, about [\d.]+ km and about \d+ min "
        r"\(rough: address to be confirmed\)\.",
        en,
    )
    fr = pdf_text(pdfs[("ann", "fr")])
    assert re.search(r"Retour à l’hôtel : taxi, environ [\d,]+ km et environ \d+ min", fr)


def test_an_approximate_hotel_on_the_cover(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "hotel.visitplanner", create=True)
    ids = build(lib, hotel_precision=Precision.POSTAL)
    snap = load_snapshot(lib, ids["trip"])
    lib.close()
    path = build_itinerary(snap, tmp_path / "m.pdf", language="fr", maps=False)
    cover = flat(PdfReader(path).pages[0].extract_text() or "")
    assert "425 Summer St, Boston, MA 02210 · adresse à confirmer" in cover
    assert "Depuis l’hôtel, Harbourview Hotel : taxi, environ" in pdf_text(
        path
    )  # rough from the hotel
