"""Work bounded by the input, and hostile files get one sentence (issue 11, item 5).

Each hostile input (zip and entity bombs, FIFOs, devices, folders, 10 MB fields, huge
quoted-printable vCards, vCard photos, control characters) gets a sentence and exit 2 on the
command line, or a reported warning, within 10 s and a bounded amount of memory; work that
used to grow with the square of its input (vCard soft-line joining, fitting the trip name in
the PDF header, search words) is timed on inputs the quadratic code could not finish.
"""

from __future__ import annotations

import io
import random
import time
from typing import Any

import pytest

from visitplanner.library import Library, directory

# -- search: a paste of a page in the search box ----------------------------------------------


@pytest.fixture(scope="module")
def large_directory() -> Any:
    from visitplanner.large import generate_large

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
