"""Contact files as other programs write them: no card lost to a property the app does not
read, encodings right or reported as a guess, vCard values as the person typed them.

Every person and company here is fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helper import run

from visitplanner.exchange.contact_import import parse_contact_bytes, plan_import
from visitplanner.exchange.records import ContactRecord
from visitplanner.library import Library


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def read(text: str | bytes, encoding: str = "utf-8") -> tuple[list[ContactRecord], object]:
    data = text.encode(encoding) if isinstance(text, str) else text
    parsed = parse_contact_bytes(data)
    return parsed.records, parsed


def reasons(parsed: object) -> list[str]:
    return [n.reason for n in parsed.warnings]  # type: ignore[attr-defined]


# -- a card is never lost to a property the app does not read --------------------------------

_BASE64 = "\r\n".join(["/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP" + "A" * 40] * 6)


def test_vcard21_photo_base64_not_indented_and_ended_by_a_blank_line() -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lavoie;Chantal\r\nFN:Chantal Lavoie\r\n"
        f"PHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n{_BASE64}\r\n\r\n"
        "EMAIL;INTERNET;WORK:chantal.lavoie@example.com\r\nTEL;WORK:+1 418 555 0143\r\n"
        "END:VCARD\r\n"
    )
    records, parsed = read(text)
    assert not parsed.rejected  # type: ignore[attr-defined]
    (chantal,) = records
    assert (chantal.given_name, chantal.family_name) == ("Chantal", "Lavoie")
    assert chantal.email == "chantal.lavoie@example.com" and chantal.phone == "+1 418 555 0143"


@pytest.mark.parametrize("prop", ["X-IMAGE;ENCODING=b;TYPE=PNG:", "LOGO;ENCODING=BASE64:"])
def test_other_binary_values_are_dropped(prop: str) -> None:
    records, parsed = read(card("FN:Marc Gagnon", "N:Gagnon;Marc;;;", prop + "iVBORw0K=="))
    assert [r.family_name for r in records] == ["Gagnon"] and not parsed.rejected  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["8BIT", "7BIT", "8bit"])
def test_kde_encoding_8bit_on_text_is_plain_text(encoding: str) -> None:
    records, _parsed = read(
        card(
            f"FN;ENCODING={encoding}:Sophie Tremblay",
            f"N;ENCODING={encoding}:Tremblay;Sophie;;;",
            f"ORG;ENCODING={encoding}:Laboratoires Boréal",
            "EMAIL:sophie@example.org",
        )
    )
    (sophie,) = records
    assert (sophie.given_name, sophie.family_name) == ("Sophie", "Tremblay")
    assert sophie.organization == "Laboratoires Boréal"


def test_lotus_notes_profile_line() -> None:
    records, parsed = read(
        card("PROFILE:VCard", "N:Bouchard;Luc;;;", "FN:Luc Bouchard", "EMAIL:luc@example.com")
    )
    assert [r.email for r in records] == ["luc@example.com"] and not parsed.rejected  # type: ignore[attr-defined]


def test_unknown_charset_labels_do_not_lose_the_card() -> None:
    records, parsed = read(
        card(
            "N;CHARSET=X-UNKNOWN-42:Roy;Hélène;;;",
            "FN;CHARSET=X-UNKNOWN-42:Hélène Roy",
            "X-PHONETIC-LAST-NAME;CHARSET=BOGUS:Rwa",
            "NOTE;CHARSET=NOPE;ENCODING=QUOTED-PRINTABLE:Pr=C3=A9f=C3=A8re le matin",
        )
    )
    (helene,) = records
    assert (helene.given_name, helene.family_name) == ("Hélène", "Roy")
    assert helene.notes == "Préfère le matin"
    assert not parsed.rejected  # type: ignore[attr-defined]


def test_junk_before_the_first_card_is_skipped_with_a_warning() -> None:
    text = "Exported from PhoneSync 3\r\n\r\nContacts: 1\r\n" + card(
        "N:Pelletier;Anne;;;", "FN:Anne Pelletier"
    )
    records, parsed = read(text)
    assert [r.family_name for r in records] == ["Pelletier"]
    assert records[0].line == 4
    assert reasons(parsed) == ["Lines 1 to 3 are not part of any card: they were skipped."]


def test_a_card_vobject_cannot_parse_is_read_line_by_line() -> None:
    text = card(
        "N:Fortin;Julie;;;",
        "FN:Julie Fortin",
        "ORG:Biotech Saguenay\\, Inc.;R&D",
        "TITLE:Directrice",
        "EMAIL;TYPE=HOME:julie@example.net",
        "EMAIL;TYPE=WORK:j.fortin@example.com",
        "TEL;TYPE=FAX:+1 418 555 0199",
        "TEL;TYPE=WORK:+1 418 555 0150",
        "TEL;TYPE=CELL:+1 418 555 0177",
        "ADR;TYPE=WORK:;;12 rue Racine;Chicoutimi;QC;G7H 1R1;Canada",
        "URL:https\\://example.com/fortin",
        "NOTE:Rencontre\\, mardi",
        "BEGIN:VEVENT",  # a stray component: vobject refuses the whole card
    )
    records, parsed = read(text)
    (julie,) = records
    assert (julie.given_name, julie.family_name) == ("Julie", "Fortin")
    assert julie.organization == "Biotech Saguenay, Inc." and julie.title == "Directrice"
    assert julie.email == "j.fortin@example.com"  # work before home
    assert julie.phone == "+1 418 555 0150" and julie.mobile == "+1 418 555 0177"
    assert julie.extra == ["julie@example.net", "+1 418 555 0199"]
    assert julie.website == "https://example.com/fortin" and julie.notes == "Rencontre, mardi"
    assert julie.address is not None and julie.address.city == "Chicoutimi"
    assert any("read line by line" in r for r in reasons(parsed))
    assert not parsed.rejected  # type: ignore[attr-defined]


def test_only_a_card_with_nothing_to_import_is_rejected(empty_library: Library) -> None:
    text = (
        card("NOTE:just a note", "CATEGORIES:Misc")
        + card("EMAIL:info@example.com")
        + card("TEL;TYPE=CELL:+1 514 555 0100")
        + card("ORG:Pharma Laurentides", "TEL;TYPE=WORK:+1 819 555 0100")
        + card("KIND:org", "EMAIL:contact@example.org", version="4.0")
    )
    parsed = parse_contact_bytes(text.encode())
    assert [(n.line, n.reason) for n in parsed.rejected] == [
        (1, "This card has no name, email or phone: there is nothing to import.")
    ]
    report = plan_import(empty_library, parsed)
    assert [(c.name, c.email, c.mobile) for c in report.contacts] == [
        ("info@example.com", "info@example.com", ""),
        ("+1 514 555 0100", "", "+1 514-555-0100"),
        ("Pharma Laurentides", "", ""),
        ("contact@example.org", "contact@example.org", ""),
    ]
    assert report.contacts[2].is_organization and report.contacts[3].is_organization
    assert report.contacts[2].phone == "+1 819-555-0100"
    assert (
        "This card has no name: it is imported under “info@example.com”; add the name later."
        in [w.reason for w in report.warnings]
    )


def test_lines_vobject_skips_are_not_logged(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """vobject logs each line it cannot parse, quoting it: an address or a phone number
    must not reach the terminal or a log file."""
    text = card("FN:Karl Weber", "N:Weber;Karl;;;", "Packstation 999;Hamburg;;20099;Deutschland")
    records, _parsed = read(text)
    assert [r.family_name for r in records] == ["Weber"]
    _out, err = capfd.readouterr()
    assert "Packstation" not in err
    assert not [r for r in caplog.records if "Packstation" in r.getMessage()]


def test_a_utf8_mark_then_windows_text_is_a_guess() -> None:
    data = b"\xef\xbb\xbf" + card("N:C\xf4t\xe9;Lise;;;", "FN:Lise C\xf4t\xe9").encode("latin-1")
    records, parsed = read(data)
    assert records[0].family_name == "Côté"
    assert any("read as Windows-1252" in r for r in reasons(parsed))


# -- decoding: right, or says it is a guess ---------------------------------------------------


def test_a_fold_inside_a_utf8_character_is_still_utf8() -> None:
    name = "Émilie Côté-Bérubé"
    line = f"FN:{name}".encode()
    cut = line.index("é".encode()) + 1  # between the two bytes of "é"
    data = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:C\xc3\xb4t\xc3\xa9-B\xc3\xa9rub\xc3\xa9;\xc3\x89milie;;;\r\n"
        + line[:cut]
        + b"\r\n "
        + line[cut:]
        + b"\r\nEND:VCARD\r\n"
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    records, parsed = read(data)
    assert parsed.encoding == "utf-8" and not parsed.warnings  # type: ignore[attr-defined]
    assert (records[0].given_name, records[0].family_name) == ("Émilie", "Côté-Bérubé")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(codec: str) -> None:
    records, parsed = read(card("N:Bélanger;Zoé;;;", "FN:Zoé Bélanger"), codec)
    assert parsed.encoding == codec  # type: ignore[attr-defined]
    assert (records[0].given_name, records[0].family_name) == ("Zoé", "Bélanger")


@pytest.mark.parametrize(
    ("codec", "label", "given", "family", "org"),
    [
        ("cp1251", "Windows-1251", "Мария", "Иванова", "Северная фармацевтика"),
        ("cp1253", "Windows-1253", "Ελένη", "Παπαδοπούλου", "Βιοτεχνολογία Αιγαίου"),
        ("shift_jis", "Shift-JIS", "花子", "山田", "東京バイオ株式会社"),
        ("cp1252", "Windows-1252", "Geneviève", "Côté", "Biotech Québec"),
        ("mac_roman", "Mac Roman", "Geneviève", "Côté", "Biotech Québec"),
    ],
)
def test_legacy_code_pages_are_detected_and_the_guess_is_said(
    codec: str, label: str, given: str, family: str, org: str
) -> None:
    text = card(f"N:{family};{given};;;", f"FN:{given} {family}", f"ORG:{org}")
    records, parsed = read(text, codec)
    (person,) = records
    assert (person.given_name, person.family_name, person.organization) == (given, family, org)
    (warning,) = parsed.warnings  # type: ignore[attr-defined]
    assert warning.line == 1 and f"read as {label}" in warning.reason


def test_a_declared_charset_is_not_a_guess() -> None:
    text = card("N;CHARSET=SHIFT_JIS:山田;花子;;;", "FN;CHARSET=SHIFT_JIS:山田 花子", version="2.1")
    records, parsed = read(text, "shift_jis")
    assert records[0].family_name == "山田" and not parsed.warnings  # type: ignore[attr-defined]


def test_csv_contact_files_use_the_same_decoding() -> None:
    text = "First Name,Last Name,E-mail Address\r\nМария,Иванова,maria@example.ru\r\n" * 1
    records, parsed = read(text, "cp1251")
    assert (records[0].given_name, records[0].family_name) == ("Мария", "Иванова")
    assert any("read as Windows-1251" in r for r in reasons(parsed))


def test_the_encoding_warning_reaches_the_command_line(
    tmp_path: Path, empty_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "greek.vcf"
    path.write_bytes(card("N:Παπαδάκης;Νίκος;;;", "FN:Νίκος Παπαδάκης").encode("cp1253"))
    db = str(empty_library.path)
    empty_library.close()
    code, out, err = run(capsys, "import", "contacts", str(path), "--db", db, "--dry-run")
    assert code == 0 and "Windows-1253" in out + err
    code, out, _err = run(
        capsys, "import", "contacts", str(path), "--db", db, "--dry-run", "--json"
    )
    report = json.loads(out)
    assert report["encoding"] == "cp1253"
    assert report["contacts"][0]["family_name"] == "Παπαδάκης"


# -- values as the person typed them ----------------------------------------------------------


def test_escapes_are_undone_in_urls_and_emails() -> None:
    records, _parsed = read(
        card(
            "FN:Paul Roy",
            "N:Roy;Paul;;;",
            "URL:http\\://www.example.com/a\\,b",
            "EMAIL:p\\;r@example.com",
        )
    )
    assert records[0].website == "http://www.example.com/a,b"
    assert records[0].email == "p;r@example.com"


@pytest.mark.parametrize(
    ("version", "org"),
    [
        ("3.0", "ORG:Company\\, The"),
        ("4.0", "ORG:Company\\, The"),
        ("2.1", "ORG:Company, The"),
        ("3.0", "ORG:Company, The;Sales"),
    ],
)
def test_commas_inside_an_organization_name_are_kept(version: str, org: str) -> None:
    records, _parsed = read(card("FN:Lise Ouellet", "N:Ouellet;Lise;;;", org, version=version))
    assert records[0].organization == "Company, The"


def test_empty_phone_and_email_values_are_ignored(empty_library: Library) -> None:
    parsed = parse_contact_bytes(
        card(
            "FN:Rémi Dubé",
            "N:Dubé;Rémi;;;",
            "EMAIL;TYPE=HOME:",
            "EMAIL;TYPE=WORK:remi@example.com",
            "TEL;TYPE=CELL:",
            "TEL;TYPE=WORK:+1 450 555 0111",
            "TEL:",
        ).encode()
    )
    (remi,) = plan_import(empty_library, parsed).contacts
    assert remi.email == "remi@example.com" and remi.phone == "+1 450-555-0111"
    assert remi.mobile == "" and "Also" not in remi.notes


def test_work_then_voice_is_the_main_email_and_phone_when_none_is_preferred() -> None:
    records, _parsed = read(
        card(
            "FN:Guy Morin",
            "N:Morin;Guy;;;",
            "EMAIL;TYPE=HOME:guy@example.net",
            "EMAIL;TYPE=WORK:g.morin@example.com",
            "TEL;TYPE=PAGER:+1 514 555 0101",
            "TEL;TYPE=WORK,FAX:+1 514 555 0102",
            "TEL;TYPE=HOME:+1 514 555 0103",
            "TEL;TYPE=WORK,VOICE:+1 514 555 0104",
        )
    )
    (guy,) = records
    assert guy.email == "g.morin@example.com" and guy.phone == "+1 514 555 0104"
    assert guy.extra == [
        "guy@example.net",
        "+1 514 555 0103",
        "+1 514 555 0101",
        "+1 514 555 0102",
    ]


def test_a_preferred_value_comes_first() -> None:
    records, _parsed = read(
        card(
            "FN:Ève Gauthier",
            "N:Gauthier;Ève;;;",
            "EMAIL;TYPE=WORK:eve@example.com",
            "EMAIL;TYPE=HOME,PREF:eve.g@example.net",
            "TEL;TYPE=WORK:+1 514 555 0120",
            "TEL;TYPE=HOME;PREF=1:+1 514 555 0121",
            version="4.0",
        )
    )
    assert records[0].email == "eve.g@example.net" and records[0].phone == "+1 514 555 0121"
