"""Dates and times on screen (Qt's locale) read exactly as in the PDF and the CLI (Babel)."""

from __future__ import annotations

import datetime as dt

import pytest

from ui.shell.formats import format_date, format_time
from visitplanner.i18n import translator


@pytest.mark.parametrize("language", ["en", "fr"])
def test_screen_dates_and_times_match_the_itinerarys(language: str) -> None:
    tr = translator(language)
    day = dt.date(2024, 1, 1)
    while day.year < 2026:
        for style in ("full", "medium"):
            assert format_date(day, style, tr) == tr.format_date(day, style), (day, style)
        day += dt.timedelta(days=1)
    for hour in range(24):
        for minute in (0, 5, 30, 59):
            moment = dt.time(hour, minute)
            assert format_time(moment, tr) == tr.format_time(moment), moment
    assert format_date(dt.date(2023, 6, 5), tr=tr) in ("Monday, June 5, 2023", "lundi 5 juin 2023")
    assert format_time(dt.time(14, 30), tr) in ("2:30\u202fPM", "14 h 30")
