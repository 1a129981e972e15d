"""Translation workflow: extract, report, add and compile the French catalogs.

    python -m tools.i18n missing          list msgids with no French translation
    python -m tools.i18n add DOMAIN       append the missing msgids to DOMAIN.po (to translate)
    python -m tools.i18n compile          compile every .po to its .mo
    python -m tools.i18n update           add to "visitplanner", then compile
    python -m tools.i18n typography       apply Québec typography to every msgstr, then compile

Catalogs: resources/locale/fr_CA/LC_MESSAGES/<domain>.po, one per area of the app; the
application chains them (see visitplanner.i18n).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("visitplanner", "ui")
CATALOG_DIR = ROOT / "resources" / "locale" / "fr_CA" / "LC_MESSAGES"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """msgid (or (singular, plural)) -> where it is used."""
    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    for folder in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else (message[0], message[1])
            found.setdefault(key, []).append((f"{folder}/{filename}", lineno))
    return found


def catalogs() -> dict[str, Catalog]:
    out = {}
    for po in sorted(CATALOG_DIR.glob("*.po")):
        with po.open("rb") as fh:
            out[po.stem] = read_po(fh, locale="fr_CA")
    return out


def translated(catalog_map: dict[str, Catalog]) -> set[str]:
    done = set()
    for catalog in catalog_map.values():
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                done.add(msgid)
    return done


def missing() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    done = translated(catalogs())
    return {
        key: where
        for key, where in extract().items()
        if (key if isinstance(key, str) else key[0]) not in done
    }


def add(domain: str) -> int:
    path = CATALOG_DIR / f"{domain}.po"
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="fr_CA")
    else:
        catalog = Catalog(locale="fr_CA", project="Visit Planner", domain=domain, charset="utf-8")
        # The plural rule of the catalogs there (one rule for all: tests/test_i18n.py); the
        # installed Babel's fr_CA rule may differ from theirs.
        for other in sorted(CATALOG_DIR.glob("*.po")):
            with other.open("rb") as fh:
                model = read_po(fh, locale="fr_CA")
            catalog._num_plurals = model.num_plurals
            catalog._plural_expr = model.plural_expr
            break
    todo = missing()
    for key, where in todo.items():
        if catalog.get(key if isinstance(key, str) else key[0]) is None:
            catalog.add(key, string="" if isinstance(key, str) else ("", ""), locations=where)
    CATALOG_DIR.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False)
    return len(todo)


def quebec_typography(text: str) -> str:
    """``text`` with the Office québécois de la langue française's punctuation: a
    non-breaking space before a colon and inside « », none before ; ? ! and the typographic
    apostrophe."""
    text = re.sub(r"(?<=\w)'(?=&?\w)", "\u2019", text)  # also before a shortcut's &
    text = re.sub(r"[ \u00a0\u202f]+(?=[;?!](\s|$|[»)]))", "", text)
    text = re.sub(r"(?<=[\w}»)%])[ \u00a0\u202f]?:(?=\s|$)", "\u00a0:", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«\u00a0", text)
    return re.sub(r"[ \u00a0\u202f]*»", "\u00a0»", text)


def fix_typography() -> int:
    changed = 0
    for po in sorted(CATALOG_DIR.glob("*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale="fr_CA")
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.string, tuple | list):
                new: str | tuple[str, ...] = tuple(quebec_typography(s) for s in message.string)
            else:
                new = quebec_typography(message.string)
            if new != message.string:
                message.string = new
                changed += 1
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=False)
    return changed


def compile_all() -> None:
    for domain, catalog in catalogs().items():
        with (CATALOG_DIR / f"{domain}.mo").open("wb") as fh:
            write_mo(fh, catalog)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("missing", "add", "compile", "update", "typography"):
        print(__doc__)
        return 2
    if argv[0] == "missing":
        todo = missing()
        for key, where in todo.items():
            print(f"{where[0][0]}:{where[0][1]}: {key!r}")
        print(f"{len(todo)} untranslated")
        return 1 if todo else 0
    if argv[0] == "add":
        print(f"{add(argv[1])} messages added to {argv[1]}.po")
        return 0
    if argv[0] == "update":
        add("visitplanner")
    if argv[0] == "typography":
        print(f"{fix_typography()} messages changed")
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
