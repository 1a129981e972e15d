"""Build a PDF itinerary: master (every meeting) or one delegate's (only theirs).

    build_itinerary(snapshot, "out.pdf", delegate_id=None, language="fr", paper="a4")

The file is written to a temporary file beside the target and renamed when complete, so
a failed or cancelled export never leaves a half-written PDF.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from visitplanner import __version__
from visitplanner.errors import InputError
from visitplanner.i18n import Translator, _, translator
from visitplanner.outputs import atomic_output
from visitplanner.planning.snapshot import TripSnapshot

Progress = Callable[[float, str], None]
TileSource = Callable[[int, int, int], bytes | None]
_LANG_TAGS = {"en": "en-US", "fr": "fr-CA"}


def _page_size(paper: str) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, LETTER

    sizes = {"letter": LETTER, "a4": A4}
    if paper not in sizes:
        raise InputError(_("Unknown paper size “{paper}”: use letter or a4.").format(paper=paper))
    return (float(sizes[paper][0]), float(sizes[paper][1]))


def _canvas_class() -> type:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds pages back until the end so each footer can say "Page X of Y".

        Bookmarks are held back too: reportlab ties a bookmark to the page being
        written, which with deferred pages would always be the first one.
        """

        def __init__(self, *args: Any, footer: Callable[[int, int], str], **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._footer = footer
            self._held_pages: list[dict[str, Any]] = []
            self._held_marks: dict[int, list[tuple[str, dict[str, Any]]]] = {}

        def bookmarkPage(self, key: str, **kw: Any) -> None:
            self._held_marks.setdefault(len(self._held_pages), []).append((key, kw))

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                for key, kw in self._held_marks.get(number - 1, []):
                    Canvas.bookmarkPage(self, key, **kw)
                self._draw_footer(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, number: int, total: int) -> None:
            from visitplanner.itinerary.fonts import FAMILY
            from visitplanner.itinerary.layout import GREY

            width, _height = self._pagesize
            self.saveState()
            self.setFillColor(GREY)
            lines, size = _shrink_or_wrap(self, self._footer(number, total), FAMILY, width - 100)
            self.setFont(FAMILY, size)
            for i, line in enumerate(lines):
                self.drawCentredString(width / 2, 0.45 * 72 - i * (size + 1.5), line)
            self.restoreState()

    return NumberedCanvas


def _doc_class() -> type:
    from reportlab.platypus import BaseDocTemplate

    class ItineraryDoc(BaseDocTemplate):  # type: ignore[misc]
        """Turns headings into PDF bookmarks and reports progress as days are laid out."""

        def __init__(self, *args: Any, on_heading: Callable[[str], None], **kw: Any) -> None:
            super().__init__(*args, **kw)
            self._on_heading = on_heading
            self.sections: dict[int, list[str]] = {}  # page -> the headings that start on it

        def afterFlowable(self, flowable: Any) -> None:
            key = getattr(flowable, "bookmark_key", None)
            if key is None:
                return
            self.sections.setdefault(self.page, []).append(flowable.outline_title)
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=0)
            self._on_heading(key)

    return ItineraryDoc


def _author(organizer: str) -> str:
    """The organizer's name for the PDF's metadata (their phone and email stay out)."""
    name = organizer.split(",")[0].strip()
    return name or "Visit Planner"


def build_itinerary(
    snapshot: TripSnapshot,
    out_path: str | os.PathLike[str],
    *,
    delegate_id: int | None = None,
    language: str = "en",
    paper: str = "letter",
    progress: Progress | None = None,
    invariant: bool = False,
    maps: bool = True,
    tiles: TileSource | None = None,
) -> Path:
    """Write the itinerary PDF to ``out_path`` (atomically); returns the path.

    ``tiles(z, x, y)`` returns a cached map tile's image bytes (or None); without it the day
    maps are drawn on a plain light background.
    ``progress(fraction, text)`` is called as the work advances; it may raise
    :class:`visitplanner.errors.Cancelled` to stop, and then no file is left behind.
    """
    from reportlab import rl_config
    from reportlab.lib.units import inch
    from reportlab.platypus import Frame, PageTemplate

    from visitplanner.itinerary import layout
    from visitplanner.itinerary.content import itinerary_content
    from visitplanner.itinerary.cover import cover
    from visitplanner.itinerary.fonts import BOLD, FAMILY
    from visitplanner.itinerary.typography import of_name
    from visitplanner.itinerary.warnings import hard_problems, problems_by_meeting

    report: Progress = progress or (lambda fraction, text: None)
    rl_config.useA85 = 0  # binary streams: smaller files, and ASCII85 in pure Python is slow
    tr = translator(language)
    pagesize = _page_size(paper)
    content = itinerary_content(snapshot, delegate_id)
    trip = snapshot.trip
    report(0.02, _("Laying out the itinerary…"))

    st = layout.make_styles()
    margin = 0.7 * inch
    width = pagesize[0] - 2 * margin
    story = cover(content, tr, st)
    day_maps = _day_maps(content, width, tiles, tr) if maps else {}
    problems = problems_by_meeting(hard_problems(snapshot, tr, [delegate_id]))
    for day in content.days:
        story += layout.day_section(content, tr, st, day, width, day_maps.get(day.day), problems)
    story += layout.directory(content, tr, st)

    if content.delegate is None:
        subject = tr.gettext("Master itinerary")
    else:
        subject = of_name(tr, tr.gettext("Itinerary of {name}"), content.delegate.name)
    current: list[str] = []  # the section the last page ended in

    def header(canvas: Any, doc: Any) -> None:
        """At the end of each page (so it knows what the page holds): the trip and who it
        is for on the left, the page's day or section on the right ("(continued)" on a page
        that starts none); text too long shrinks, then wraps, never cut."""
        started = doc.sections.get(doc.page, [])
        if doc.page == 1:
            current[:] = started[-1:]
            return
        if started:
            section = started[0]
        elif current:
            section = tr.gettext("{section} (continued)").format(section=current[0])
        else:
            section = ""
        if started:
            current[:] = started[-1:]
        canvas.saveState()
        canvas.setFillColor(layout.GREY)
        top = pagesize[1] - 0.42 * inch
        left = f"{trip.name} — {subject}"
        right_width = min(width * 0.45, canvas.stringWidth(section, BOLD, 8) + 4)
        lines_left, size = _shrink_or_wrap(canvas, left, FAMILY, width - right_width - 12)
        canvas.setFont(FAMILY, size)
        for i, line in enumerate(lines_left):
            canvas.drawString(margin, top - i * (size + 1.5), line)
        lines_right, size_r = _shrink_or_wrap(canvas, section, BOLD, right_width)
        canvas.setFont(BOLD, size_r)
        for i, line in enumerate(lines_right):
            canvas.drawRightString(pagesize[0] - margin, top - i * (size_r + 1.5), line)
        rows = max(len(lines_left), len(lines_right))
        below = top - (rows - 1) * (size + 1.5) - 4
        canvas.setStrokeColor(layout.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(margin, below, pagesize[0] - margin, below)
        canvas.restoreState()

    day_keys = [f"day-{d.day.isoformat()}" for d in content.days]

    def on_heading(key: str) -> None:
        if key in day_keys:
            done = (day_keys.index(key) + 1) / max(1, len(day_keys))
            report(0.1 + 0.85 * done, _("Laying out the itinerary…"))

    target = Path(os.path.abspath(out_path))  # "a/../b.pdf": the same folder as the temp file
    with atomic_output(target) as temporary:
        frame = Frame(margin, 0.75 * inch, width, pagesize[1] - 0.75 * inch - 0.7 * inch, id="body")
        doc = _doc_class()(
            str(temporary),
            pagesize=pagesize,
            on_heading=on_heading,
            title=f"{trip.name} — {subject}",
            author=_author(trip.organizer),
            subject=subject,
            creator=f"Visit Planner {__version__}",
            lang=_LANG_TAGS[tr.language],
            invariant=1 if invariant else 0,
            initialFontName=FAMILY,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=0.7 * inch,
            bottomMargin=0.75 * inch,
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=header)])
        footer = partial(_footer_text, tr, trip.emergency)
        doc.build(story, canvasmaker=partial(_canvas_class(), footer=footer))
    report(1.0, _("Itinerary written."))
    return target


def _footer_text(tr: Translator, emergency: str, number: int, total: int) -> str:
    """'Emergency: 911 · Page 2 of 9' on every page."""
    from visitplanner.itinerary.typography import tie

    page = tr.gettext("Page {number} of {total}").format(number=number, total=total)
    if not emergency:
        return page
    text = " ".join(emergency.split())
    labelled = ":" in text[:25]  # "Urgences : 911 • …" says what it is already
    line = text if labelled else tr.gettext("Emergency: {number}").format(number=text)
    return tie(tr, f"{line} · {page}")


def _shrink_or_wrap(
    canvas: Any, text: str, font: str, width: float, size: float = 8.0, smallest: float = 6.5
) -> tuple[list[str], float]:
    """``text`` in one line at the largest size from ``size`` down to ``smallest`` that fits
    ``width``; else wrapped at ``smallest`` (two lines, the second shortened only if a
    20,000-character name needs it)."""
    from reportlab.lib.utils import simpleSplit

    while size >= smallest:
        if canvas.stringWidth(text, font, size) <= width:
            return [text], size
        size -= 0.5
    lines = simpleSplit(text, font, smallest, width)
    if len(lines) > 2:
        lines = [lines[0], _fit(canvas, " ".join(lines[1:]), font, smallest, width)]
    return lines, smallest


def _fit(canvas: Any, text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    # The longest prefix that fits with its ellipsis, by halving (a 20,000-character trip
    # name takes 15 measures, not 20,000 of ever longer strings).
    low, high = 0, len(text)  # text[:low] + "…" fits (or low is 0); text[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if canvas.stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle
    return text[:low].rstrip() + "…"


def _day_maps(content: Any, width: float, tiles: Any, tr: Translator) -> dict[Any, Any]:
    from reportlab.lib.units import inch

    from visitplanner.itinerary.daymap import day_maps

    return day_maps(content.snapshot, content.days, width, 3.1 * inch, tiles, tr)
