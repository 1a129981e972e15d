"""Issue 16: itineraries that never mislead, read back from the PDFs (pypdf, pdftotext).

One test per rule: legs per group, transfers, warnings (CLI, PDF), proposed meetings, the
contact block, headers and footers, links, the at-a-glance page, French typography, file
modes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli_helper import run
from visitplanner.i18n import translator
from visitplanner.itinerary.content import day_itineraries
from visitplanner.itinerary.pdf import build_itinerary
from visitplanner.itinerary.typography import clock
from visitplanner.library import Library
from visitplanner.model import MeetingKind, MeetingStatus, TransferMode
from visitplanner.planning.snapshot import TripSnapshot, load_snapshot


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_of(path: Path) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(path).pages]


def layout_lines(path: Path) -> list[str]:
    """The PDF's lines as pdftotext lays them out (where the lines really break)."""
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def layout_pages(path: Path) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [p for p in done.stdout.split("\f") if p.strip()]


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from visitplanner.demo import load_demo

    path = tmp_path_factory.mktemp("i16") / "demo.visitplanner"
    with Library.open(path, create=True) as lib:
        load_demo(lib)
    yield path


@pytest.fixture(scope="module")
def boston(demo: Path) -> TripSnapshot:
    with Library.open(demo) as lib:
        return load_snapshot(lib, 1)


@pytest.fixture(scope="module")
def quebec(demo: Path) -> TripSnapshot:
    with Library.open(demo) as lib:
        return load_snapshot(lib, 2)


def delegate_id(snap: TripSnapshot, name: str) -> int:
    found = next(d.id for d in snap.delegates.values() if d.name == name)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def pdfs(boston: TripSnapshot, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Boston: master EN and FR, Émilie's and Zoë's itineraries EN and FR."""
    folder = tmp_path_factory.mktemp("i16pdfs")
    out = {}
    for lang in ("en", "fr"):
        out[f"master-{lang}"] = build_itinerary(
            boston, folder / f"master-{lang}.pdf", language=lang, maps=False
        )
        for key, name in (("emilie", "Émilie Côté"), ("zoe", "Zoë Tremblay")):
            out[f"{key}-{lang}"] = build_itinerary(
                boston,
                folder / f"{key}-{lang}.pdf",
                delegate_id=delegate_id(boston, name),
                language=lang,
                maps=False,
            )
    return out


# -- 1. legs ----------------------------------------------------------------------------------


def test_master_prints_one_leg_per_group_with_its_names(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    text = " ".join(pages_of(pdfs["master-en"]))
    # Monday's stop 8: three groups come from three different places
    assert (
        "Jean-Sébastien Roy, Léa Morin, Zoë Tremblay — From stop 6, Broad Institute of MIT and "
        "Harvard: taxi" in text
    )
    assert "Émilie Côté — From stop 5, Kendall Square (Main St & Broadway): taxi" in text
    french = " ".join(pages_of(pdfs["master-fr"]))
    assert "Émilie Côté — Depuis l’arrêt 5, Kendall Square (Main St & Broadway) : taxi" in french
    # a meeting nobody attends gets no leg: the text before its time is no leg
    lonely = next(m for m in boston.meetings if m.title.startswith("Fort Point Biologics"))
    assert not lonely.delegate_ids
    for day in day_itineraries(boston):
        for stop in day.stops:
            if stop.meeting.id == lonely.id:
                assert stop.groups == ()
    assert lonely.start is not None
    tr = translator("en")
    before = text.split(f"{clock(tr, lonely.start)} – {clock(tr, lonely.end or lonely.start)}")
    assert not any(re.search(r"↓[^↓]*$", chunk[-250:]) for chunk in before[:-1] if chunk)


def test_a_delegate_itinerary_prints_only_their_own_legs(pdfs: dict[str, Path]) -> None:
    text = " ".join(pages_of(pdfs["zoe-en"]))
    assert "↓ From stop 5, Kendall Square (Main St & Broadway): taxi, 0.4 km" in text
    assert " — From " not in text  # no names: every leg is hers
    assert "From stop 4, The Westin Boston Seaport District: taxi, 4.2 km" not in text  # others'


def test_a_transfer_prints_departure_and_arrival_and_local_legs_in_their_own_mode(
    quebec: TripSnapshot, tmp_path: Path
) -> None:
    # the demo's train: a transfer from Montréal's Gare centrale to Québec's Gare du Palais
    moved = next(m for m in quebec.meetings if m.reference == "VIA 22")
    assert moved.to_place_id is not None and moved.transfer_mode is TransferMode.TRAIN
    snap = quebec
    person = moved.delegate_ids[0]
    for lang, expected in (
        ("en", "Train VIA 22 · 8:00 AM Gare centrale de Montréal → 11:15 AM Gare du Palais"),
        ("fr", "Train VIA 22 · 8 h Gare centrale de Montréal → 11 h 15 Gare du Palais"),
    ):
        path = build_itinerary(
            snap, tmp_path / f"{lang}.pdf", delegate_id=person, language=lang, maps=False
        )
        text = " ".join(pages_of(path))
        assert expected in text
        after = (
            "From stop 1, Gare du Palais: "
            if lang == "en"
            else "Depuis l’arrêt 1, Gare du Palais : "
        )
        assert after in text  # the ride after the train starts at its arrival
        assert not re.search(r"(train|walk|marche), \d{3}", text)  # no ride of 200 km


# -- 2. what check knows ------------------------------------------------------------------------


def test_export_warns_first_on_stderr_and_in_json(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "m.pdf"
    code, _out, err = run(
        capsys, "export", "pdf", "--db", str(demo), "--trip", "1", "--out", str(out)
    )
    assert code == 0 and out.is_file()
    warnings = [line for line in err.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 3
    assert "Émilie Côté" in warnings[0] and "overlap" in warnings[0]
    assert "Marie-Ève Pelletier arrives at 1:40\u202fPM" in warnings[1]  # the demo's late arrival
    assert "Zoë Tremblay: 5 min between" in warnings[2]
    code, printed, _err = run(
        capsys, "export", "pdf", "--db", str(demo), "--trip", "1", "--out", str(out), "--json"
    )
    import json

    assert json.loads(printed)["warnings"] == [w.removeprefix("Warning: ") for w in warnings]


def test_meetings_of_a_hard_problem_carry_a_warning_line(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    for key in ("master-en", "emilie-en"):
        pages = pages_of(pdfs[key])
        for title in (
            "Kendall Peptide Therapeutics — suivi technique",
            "Broad Institute — science des données",
        ):
            page = next(p for p in pages if f"{title} Stop" in p)
            block = page[page.index(f"{title} Stop") :]
            assert re.match(
                rf"{re.escape(title)} Stop \d+ Meeting · Confirmed ⚠ Émilie Côté:", block
            )
    zoe = " ".join(pages_of(pdfs["zoe-en"]))
    assert "⚠ Zoë Tremblay: 5 min between" in zoe
    assert "overlap" not in zoe  # Émilie's problem is not in Zoë's itinerary


def test_proposed_meetings_say_to_be_confirmed(boston: TripSnapshot, pdfs: dict[str, Path]) -> None:
    proposed = [m for m in boston.meetings if m.status is MeetingStatus.PROPOSED and m.start]
    assert proposed
    for lang, words in (("en", "To be confirmed"), ("fr", "À confirmer")):
        text = " ".join(pages_of(pdfs[f"master-{lang}"]))
        for m in proposed:
            assert re.search(rf"{re.escape(m.title)} .{{0,40}}{words}", text), m.title
        assert "Proposed" not in text and "Proposée" not in text


# -- 3. contacts, headers, footers ---------------------------------------------------------------


def test_the_cover_lists_every_delegate_phone_email_hotel_and_time_zone(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    cover = pages_of(pdfs["master-en"])[0]
    for d in boston.delegates.values():
        assert d.name in cover and d.phone in cover and d.email in cover, d.name
    assert "The Westin Boston Seaport District" in cover
    assert "Phone: +1 617-555-0104" in cover  # the hotel organization's
    assert "Check-in Jun 5, 2023 · check-out Jun 8, 2023" in cover
    assert "Times are Boston time (EDT)." in cover
    assert "Les heures sont celles de Boston (HAE)." in pages_of(pdfs["master-fr"])[0]


@needs_pdftotext
def test_every_page_names_its_day_or_section_and_the_emergency_number(
    pdfs: dict[str, Path],
) -> None:
    for key in ("master-en", "master-fr", "zoe-fr"):
        continued = "(continued)" if key.endswith("en") else "(suite)"
        days = re.compile(
            r"(Monday|Tuesday|Wednesday|Thursday|Lundi|Mardi|Mercredi|Jeudi)\b.*\b2023|"
            r"Directory|Répertoire|Trip and contacts|Voyage et contacts"
        )
        pages = layout_pages(pdfs[key])
        assert len(pages) == len(PdfReader(pdfs[key]).pages)
        for number, page in enumerate(pages[1:], start=2):
            lines = [line for line in page.splitlines() if line.strip()]
            assert days.search(lines[0]), (key, number, lines[0])  # the header, on top
            assert "Urgences : 911" in " ".join(lines[-3:]), (key, number)  # the footer
        assert any(continued in p.splitlines()[0] for p in pages[1:] if p.splitlines())


def test_a_long_trip_name_on_a4_is_never_cut(boston: TripSnapshot, tmp_path: Path) -> None:
    name = (
        "Mission commerciale québécoise en sciences de la vie — BIO International Convention, "
        "Boston, 5 au 8 juin 2023"
    )
    snap = dataclasses.replace(boston, trip=dataclasses.replace(boston.trip, name=name))
    path = build_itinerary(snap, tmp_path / "a4.pdf", language="fr", paper="a4", maps=False)
    for text in pages_of(path)[1:]:
        assert "juin 2023 — Itinéraire principal" in text and "…" not in text[:300]


def test_a_meeting_split_over_two_pages_repeats_its_time_and_title(
    boston: TripSnapshot, tmp_path: Path
) -> None:
    first = next(m for m in boston.meetings if m.start is not None and m.delegate_ids)
    long = dataclasses.replace(first, notes="\n".join(f"Note line {i}." for i in range(120)))
    snap = dataclasses.replace(
        boston, meetings=[long if m.id == first.id else m for m in boston.meetings]
    )
    path = build_itinerary(snap, tmp_path / "split.pdf", language="en", maps=False)
    pages = [p for p in pages_of(path) if "Note line" in p]
    assert len(pages) >= 2
    assert first.start is not None
    for page in pages:
        assert first.title in page and flat(clock(translator("en"), first.start)) in page


# -- 4. at a glance -------------------------------------------------------------------------------


def test_each_day_opens_with_an_at_a_glance_table(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    pages = pages_of(pdfs["master-en"])
    tr = translator("en")
    for day in day_itineraries(boston):
        title = tr.format_date(day.day)
        page = next(p for p in pages[1:] if p.startswith(title))  # its first page
        assert "At a glance Time What Where With Status" in page
        glance = page[page.index("At a glance") :]
        for stop in day.stops:
            assert f"{stop.number}. " in glance
        assert page.index("At a glance") < page.index("Stop 1") if "Stop 1" in page else True


# -- 5. links -------------------------------------------------------------------------------------


def _links(path: Path) -> list[str]:
    found = []
    for page in PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
            elif annot.get_object().get("/Dest") is not None or (
                action is not None and "/D" in action
            ):
                found.append("#internal")
    return found


def test_places_phones_emails_and_days_are_links(
    boston: TripSnapshot, pdfs: dict[str, Path]
) -> None:
    from urllib.parse import quote

    links = _links(pdfs["master-en"])
    for day in day_itineraries(boston):
        for stop in day.stops:
            place = stop.place
            if place is None or place.approximate or place.lat is None:
                continue
            wanted = f"https://maps.google.com/?q={quote(place.name, safe=',')}"
            assert any(u.startswith(wanted) and f"ll={place.lat:.6f}" in u for u in links)
    for d in boston.delegates.values():
        digits = re.sub(r"\D", "", d.phone.split("poste")[0])
        assert any(u.split(";")[0] == f"tel:+{digits}" for u in links), d.phone
        assert f"mailto:{d.email}" in links
    assert links.count("#internal") >= len(day_itineraries(boston))  # the cover's day list


# -- 6. typography --------------------------------------------------------------------------------


def test_french_elides_de_before_a_vowel(pdfs: dict[str, Path]) -> None:
    cover = pages_of(pdfs["emilie-fr"])[0]
    assert "Itinéraire d’Émilie Côté" in cover
    assert "Itinéraire de Zoë Tremblay" in pages_of(pdfs["zoe-fr"])[0]
    for key in ("master-fr", "emilie-fr"):
        text = " ".join(pages_of(pdfs[key]))
        assert not re.search(r"\b[Dd]e [AEIOUÉÈÊÀ][a-zé]", text.replace("de Ann", "")), re.search(
            r"\b[Dd]e [AEIOUÉÈÊÀ]\w+", text
        )


def test_french_times_have_no_leading_zero_and_no_colon(pdfs: dict[str, Path]) -> None:
    text = " ".join(pages_of(pdfs["master-fr"]))
    assert not re.search(r"\b0\d h", text)
    assert "8 h –" in text or "8 h " in text
    assert re.search(r"\b1[0-9] h 30\b", text)
    assert not re.search(r"\b\d+ h 00\b", text)


def test_status_agrees_with_the_kind_in_french(pdfs: dict[str, Path]) -> None:
    text = " ".join(pages_of(pdfs["master-fr"]))
    assert "Repas · Confirmé" in text and "Repas · Confirmée" not in text
    assert "Rencontre · Confirmée" in text
    assert "Déplacement · Confirmé " in text


def test_headings_are_capitalised(pdfs: dict[str, Path]) -> None:
    for key in ("master-fr", "zoe-fr"):
        outline = [o.title for o in PdfReader(pdfs[key]).outline if not isinstance(o, list)]
        assert outline and all(t[:1].isupper() for t in outline), outline
        assert "Lundi 5 juin 2023" in " ".join(pages_of(pdfs[key]))


@needs_pdftotext
def test_no_line_starts_with_a_separator_a_unit_or_a_colon(pdfs: dict[str, Path]) -> None:
    for key, path in pdfs.items():
        lines = [line.strip() for line in layout_lines(path)]
        bad = [line for line in lines if re.match(r"^(·|•|:|min\b|km\b|h\b)", line)]
        assert not bad, (key, bad[:5])
        # and no line ends with a number whose unit went to the next line
        for line, following in itertools.pairwise(lines):
            if re.search(r"\d$", line):
                assert not re.match(r"^(min|km)\b", following), (key, line)


# -- 7. file modes -------------------------------------------------------------------------------


def test_exports_follow_the_umask_and_the_library_stays_private(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = os.umask(0o027)
    try:
        out = tmp_path / "shared.pdf"
        code, _o, _e = run(
            capsys, "export", "pdf", "--db", str(demo), "--trip", "2", "--out", str(out)
        )
        assert code == 0
        assert out.stat().st_mode & 0o777 == 0o640
        library = tmp_path / "new.visitplanner"
        with Library.open(library, create=True):
            pass
        assert library.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)
    os.umask(0o022)
    try:
        out = tmp_path / "open.pdf"
        assert (
            run(capsys, "export", "pdf", "--db", str(demo), "--trip", "2", "--out", str(out))[0]
            == 0
        )
        assert out.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)


def test_kind_and_status_cover_every_kind() -> None:
    from visitplanner.itinerary.typography import status_line

    tr = translator("fr")
    for kind in MeetingKind:
        for status in (MeetingStatus.CONFIRMED, MeetingStatus.REQUESTED, MeetingStatus.PROPOSED):
            assert status_line(tr, kind, status)
    assert clock(tr, dt.time(8, 0)) == "8\u00a0h"
    assert clock(tr, dt.time(8, 30)) == "8\u00a0h\u00a030"
