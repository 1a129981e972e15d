"""Reading the bytes of a file someone exported: encoding, damage, mis-declared charsets."""

from __future__ import annotations

import codecs
import re

from visitplanner.errors import InputError
from visitplanner.i18n import _

# Two or more characters that UTF-8 bytes become when read as cp1252 or Latin-1 ("Ã©").
_MOJIBAKE = re.compile(
    r"[ÃÂÅÄ][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u20ac\u2122\u0192]"
)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a text file exported by a phone, a mail program or Excel.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; anything else that
    is not valid UTF-8 is read as Windows-1252, which is what Windows programs write.
    A file that looks binary raises :class:`InputError`.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _checked(data[3:], "utf-8", "utf-8-sig")
        except UnicodeDecodeError:  # a BOM, then Windows text pasted after it
            return _checked(data[3:].decode("cp1252", errors="replace").encode(), "utf-8", "cp1252")
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    )
    for bom, codec, name in boms:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :], codec, name)
            except UnicodeDecodeError as error:
                raise InputError(
                    _("The file says it is {encoding} text but is damaged ({reason}).").format(
                        encoding=name.upper(), reason=error.reason
                    )
                ) from error
    if b"\x00" in data[:4096]:
        raise InputError(_("This file is not a text file (it holds binary data)."))
    try:
        return _checked(data, "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    return text, "cp1252"


def _checked(data: bytes, codec: str, name: str) -> tuple[str, str]:
    text = data.decode(codec)
    if "\x00" in text:
        raise InputError(_("This file is not a text file (it holds binary data)."))
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > 8:
        raise InputError(_("This file is not a text file (it holds binary data)."))
    return text, name


def repair(value: str) -> str:
    """``value`` with UTF-8 read as cp1252/Latin-1 undone ("CÃ´tÃ©" -> "Côté").

    Phones and mail programs often declare one charset and write another; a person
    reading the name expects the accents, so a value that round-trips cleanly is fixed.
    """
    if not _MOJIBAKE.search(value):
        return value
    for codec in ("cp1252", "latin-1"):
        try:
            return value.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return value


# C0 and C1 control characters (ESC starts a terminal escape sequence, U+009B is CSI): an
# imported name must neither recolour a terminal nor hide text when printed or stored.
_CONTROLS_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_CONTROLS_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")  # keeps tab and new line
# The ways a line ends besides LF: CR LF, CR, vertical tab, form feed, Unicode separators.
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\u2028\u2029]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without control characters, as it is stored and printed.

    A single-line value (a name, an email) gets one space where tabs and line breaks were;
    a multi-line value (notes) keeps its tabs and line breaks (every kind becomes LF).
    """
    if multiline:
        value = _LINE_BREAK.sub("\n", value)
        return _CONTROLS_IN_TEXT.sub("", value)
    value = re.sub(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+", " ", value)
    return _CONTROLS_IN_LINE.sub("", value)


def shown(value: str, limit: int = 80) -> str:
    """``value`` as quoted in a message: one clean line, cut with an ellipsis past ``limit``."""
    value = clean_text(value[: limit * 4]).strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"
