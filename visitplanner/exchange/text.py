"""Reading the bytes of a file someone exported: encoding, damage, mis-declared charsets."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Decoded:
    """A contact file's text, the encoding it was read in and, when that encoding was a
    guess, the sentence that says so (None when the file said or proved its encoding)."""

    text: str
    encoding: str
    guess: str | None = None


# A line break then a blank: a folded line (vCard, and some CSV writers). A writer that
# folds by bytes may cut a UTF-8 character in two: its continuation bytes then sit after
# the fold. Moving them before it keeps the file's lines and makes the text UTF-8 again.
_SPLIT_CHARACTER = re.compile(rb"([\xc2-\xf4][\x80-\xbf]{0,2})(\r?\n[ \t])([\x80-\xbf]{1,3})")
_FOLD = re.compile(rb"\r?\n[ \t]")
# The charsets a vCard's properties declare ("N;CHARSET=SHIFT_JIS:..."), and those that
# say nothing about the file's bytes.
_DECLARED = re.compile(rb"[;:]CHARSET=([\w.-]+)", re.IGNORECASE)
_NOT_A_HINT = {"utf-8", "utf8", "us-ascii", "ascii"}
# Single-byte code pages contact programs write, most used first: on a tie (the same text
# read several ways) the first wins, so French accents come out as Windows writes them.
_CODE_PAGES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "cp874",
    "koi8_r",
    "mac_roman",
)
# Multi-byte encodings of East Asian phones and Windows versions.
_ASIAN = ("shift_jis", "cp932", "euc_jp", "gb18030", "gb2312", "big5", "cp949", "euc_kr")


def decode_contacts(data: bytes) -> Decoded:
    """The text of a contact file (vCard or CSV), its encoding and whether it was guessed.

    A byte-order mark or valid UTF-8 is certain. UTF-16 without a mark is recognised by its
    zero bytes. A vCard's lines folded inside a UTF-8 character are mended first. A vCard
    that declares one legacy charset (``CHARSET=SHIFT_JIS``) is read in it. Anything else is
    detected with charset-normalizer, and :attr:`Decoded.guess` says which encoding was
    chosen, so that the person can check the names. A binary file raises :class:`InputError`.
    """
    bom = data.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)
    )
    if bom:
        text, name = decode(data)
        if name == "cp1252":  # a UTF-8 mark, then Windows text
            return Decoded(text, name, _guessed(name))
        return Decoded(text, name)
    wide = _utf16_without_bom(data[:4096])
    if wide is not None:
        try:
            text, _name = _checked(data, wide, wide)
        except UnicodeDecodeError:
            pass
        else:
            return Decoded(text, wide.replace("_", "-"))
    if b"\x00" in data[:4096]:
        raise InputError(_("This file is not a text file (it holds binary data)."))
    try:
        return Decoded(*_checked(data, "utf-8", "utf-8"))
    except UnicodeDecodeError:
        pass
    if _SPLIT_CHARACTER.search(data):
        try:
            return Decoded(*_checked(_SPLIT_CHARACTER.sub(rb"\1\3\2", data), "utf-8", "utf-8"))
        except UnicodeDecodeError:
            pass
    declared = _declared_charset(data)
    if declared is not None:
        try:
            text, _name = _checked(data, declared, declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            return Decoded(text, declared)
    encoding = _detect(_FOLD.sub(b"", data))
    text, _name = _checked(data.decode(encoding, errors="replace").encode(), "utf-8", encoding)
    return Decoded(text, encoding, _guessed(encoding))


def _guessed(encoding: str) -> str:
    """The sentence that says the file was read in ``encoding`` for want of knowing."""
    return _(
        "This file is not in UTF-8: it was read as {encoding}, the most likely encoding. "
        "If names look wrong, save the file as UTF-8 and import it again."
    ).format(encoding=_encoding_label(encoding))


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf_16_be" or "utf_16_le" for text whose every other byte is zero (ASCII in UTF-16)."""
    pairs = len(head) // 2
    if pairs < 8:
        return None
    even = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    if even > pairs * 0.6 and odd < pairs * 0.1:
        return "utf_16_be"
    if odd > pairs * 0.6 and even < pairs * 0.1:
        return "utf_16_le"
    return None


def _declared_charset(data: bytes) -> str | None:
    """The one legacy charset a vCard's properties declare, if they declare just one."""
    names = {
        match.decode("ascii", errors="replace").lower()
        for match in _DECLARED.findall(data[: 1024 * 1024])
    } - _NOT_A_HINT
    if len(names) != 1:
        return None
    name = names.pop().replace("windows-", "cp")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _detect(data: bytes) -> str:
    """The most likely legacy encoding of ``data`` (not UTF-8), by charset-normalizer."""
    from charset_normalizer import from_bytes

    sample = data[: 256 * 1024]
    best = from_bytes(sample).best()
    if best is not None and codecs.lookup(best.encoding).name in {
        codecs.lookup(name).name for name in _ASIAN
    }:
        return best.encoding
    matches = list(from_bytes(sample, cp_isolation=list(_CODE_PAGES)))
    if not matches:
        return "cp1252"
    least = min(match.chaos for match in matches)
    close = [match for match in matches if match.chaos <= least + 0.02]
    most = max(match.coherence for match in close)
    candidates = {
        name
        for match in close
        if match.coherence >= most - 0.01
        for name in (match.encoding, *match.could_be_from_charset)
    }
    for name in _CODE_PAGES:
        if name in candidates:
            return name
    return close[0].encoding


def _encoding_label(encoding: str) -> str:
    """The name people know an encoding by ("Windows-1252", "Shift-JIS", "Mac Roman")."""
    name = codecs.lookup(encoding).name
    if name.startswith("cp125"):
        return "Windows-" + name[2:]
    labels = {
        "shift_jis": "Shift-JIS",
        "cp932": "Shift-JIS (Windows)",
        "euc_jp": "EUC-JP",
        "gb18030": "GB18030",
        "gb2312": "GB2312",
        "big5": "Big5",
        "cp949": "EUC-KR (Windows)",
        "euc_kr": "EUC-KR",
        "koi8-r": "KOI8-R",
        "mac-roman": "Mac Roman",
        "cp874": "Windows-874",
    }
    return labels.get(name, name.upper())


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
