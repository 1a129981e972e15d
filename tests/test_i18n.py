"""Every string a person reads exists in French; the compiled catalogs are up to date."""

from __future__ import annotations

import datetime as dt
import gettext
import re

from babel.messages.mofile import read_mo

from tools.i18n import CATALOG_DIR, catalogs, extract, translated
from visitplanner.i18n import translator

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_every_string_is_translated_to_french() -> None:
    done = translated(catalogs())
    untranslated = [
        f"{where[0][0]}:{where[0][1]}: {key!r}"
        for key, where in extract().items()
        if (key if isinstance(key, str) else key[0]) not in done
    ]
    assert not untranslated, "untranslated strings:\n" + "\n".join(untranslated)


def test_translations_keep_their_placeholders() -> None:
    wrong = []
    for catalog in catalogs().values():
        for message in catalog:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            expected = set(_PLACEHOLDER.findall(ids[-1]))
            for text in strings:
                if text and set(_PLACEHOLDER.findall(text)) != expected:
                    wrong.append(f"{ids[0]!r} -> {text!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def _key(value: object) -> object:
    """Plural ids and strings come back as tuples or lists; compare them alike."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalogs_are_not_stale() -> None:
    for domain, catalog in catalogs().items():
        mo_path = CATALOG_DIR / f"{domain}.mo"
        assert mo_path.exists(), f"{domain}.mo is missing: run `python -m tools.i18n compile`"
        with mo_path.open("rb") as fh:
            compiled = read_mo(fh)
        expected = {_key(m.id): _key(m.string) for m in catalog if m.id and not m.fuzzy}
        actual = {_key(m.id): _key(m.string) for m in compiled if m.id}
        assert actual == expected, f"{domain}.mo is stale: run `python -m tools.i18n compile`"
        with mo_path.open("rb") as fh:
            gettext.GNUTranslations(fh)  # loads as Python's gettext will


def test_french_dates_and_times_follow_the_locale() -> None:
    fr = translator("fr")
    assert fr.format_date(dt.date(2023, 6, 5)) == "lundi 5 juin 2023"
    assert fr.format_time(dt.time(14, 30)) == "14 h 30"
    en = translator("en")
    assert en.format_date(dt.date(2023, 6, 5)) == "Monday, June 5, 2023"
    assert en.format_time(dt.time(14, 30)) == "2:30\u202fPM"


def test_french_strings_reach_the_core() -> None:
    fr = translator("fr")
    assert fr.gettext("Confirmed") == "Confirmée"
    assert fr.ngettext("{n} meeting", "{n} meetings", 2) == "{n} rencontres"
    assert translator("en").gettext("Confirmed") == "Confirmed"


def test_french_follows_quebec_typography() -> None:
    """A non-breaking space before a colon and inside « », none before ; ? !, and the
    typographic apostrophe (Office québécois de la langue française)."""
    from tools.i18n import quebec_typography

    wrong = []
    for domain, catalog in catalogs().items():
        for message in catalog:
            if not message.id:  # the catalog's header
                continue
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            wrong += [f"{domain}: {s!r}" for s in strings if s and quebec_typography(s) != s]
    assert not wrong, "run `python -m tools.i18n typography`:\n" + "\n".join(wrong)


def test_every_catalog_has_the_same_plural_rule() -> None:
    """The catalogs are chained: a plural message must count the same way in each."""
    rules = {domain: catalog.plural_forms for domain, catalog in catalogs().items()}
    assert len(set(rules.values())) == 1, rules


def test_decimals_are_written_as_babel_writes_them() -> None:
    """The fast decimal formatting gives Babel's text, in both languages."""
    import random

    from babel.numbers import format_decimal

    from visitplanner.i18n import translator

    rng = random.Random(7)
    values = [rng.uniform(-5000, 500000) for _ in range(500)]
    values += [0.05, 2.5, 3.5, -0.04, 0.0, 1e6, 12.0, 7.25]
    for lang in ("en", "fr"):
        tr = translator(lang)
        for value in values:
            for digits in (0, 1, 2):
                pattern = "#,##0." + "0" * digits if digits else "#,##0"
                expected = format_decimal(value, format=pattern, locale=tr.babel_locale)
                assert tr.format_decimal(value, digits) == expected
