"""The contact import on a corpus of real files written by other programs (phones, Apple,
Google, Outlook, Thunderbird, KDE, Evolution, Lotus Notes, CardDAV tools): see
tests/data/contacts_corpus/SOURCES.md. Each file is imported (dry run into an empty library)
and compared with an independent scan of what it holds (tests/corpus_survey.py).
"""

from __future__ import annotations

import pytest

from tests.corpus_survey import CORPUS, FileResult, garbled, survey, survey_file

# file: (people read, emails of the file found in what would be written, phones likewise).
# People may exceed the named cards: a card with only an email is imported under it.
EXPECTED: dict[str, tuple[int, int, int]] = {
    "aosp_v21_adr_multiple_line.vcf": (1, 0, 0),
    "aosp_v21_android_custom_prop.vcf": (0, 0, 0),
    "aosp_v21_backslash.vcf": (1, 0, 0),
    "aosp_v21_base64_no_2_crlf.vcf": (1, 0, 0),
    "aosp_v21_blackberry_photo.vcf": (1, 1, 2),
    "aosp_v21_complicated.vcf": (1, 2, 5),
    "aosp_v21_im.vcf": (0, 0, 0),
    "aosp_v21_invalid_comment_line.vcf": (1, 0, 0),
    "aosp_v21_invalid_multiple_line.vcf": (1, 0, 0),
    "aosp_v21_japanese_1.vcf": (1, 0, 1),
    "aosp_v21_japanese_2.vcf": (1, 0, 0),
    "aosp_v21_japanese_3.vcf": (1, 0, 0),
    "aosp_v21_malformed_photo.vcf": (1, 0, 0),
    "aosp_v21_multiple_entry.vcf": (3, 0, 12),
    "aosp_v21_nest.vcf": (3, 0, 0),
    "aosp_v21_org_before_title.vcf": (1, 0, 0),
    "aosp_v21_pref_handling.vcf": (1, 2, 3),
    "aosp_v21_simple_1.vcf": (1, 0, 0),
    "aosp_v21_simple_2.vcf": (1, 0, 0),
    "aosp_v21_simple_3.vcf": (1, 0, 0),
    "aosp_v21_sip.vcf": (1, 0, 0),
    "aosp_v21_title_before_org.vcf": (1, 0, 0),
    "aosp_v21_winmo_65.vcf": (1, 0, 0),
    "aosp_v21_x_android_custom_after_photo.vcf": (1, 0, 0),
    "aosp_v21_x_param.vcf": (1, 2, 2),
    "aosp_v30_comma_separated.vcf": (1, 0, 1),
    "aosp_v30_ios_613_multiline.vcf": (1, 1, 1),
    "aosp_v30_japanese.vcf": (1, 0, 0),
    "aosp_v30_multibyte_param.vcf": (1, 0, 1),
    "aosp_v30_pager.vcf": (1, 0, 1),
    "aosp_v30_pause_wait.vcf": (1, 0, 1),
    "aosp_v30_simple.vcf": (1, 0, 1),
    "aosp_v30_sip.vcf": (1, 0, 0),
    "aosp_v40_sip.vcf": (1, 0, 1),
    "aosp_v40_sort_as.vcf": (1, 0, 0),
    "davx5_allfields-vcard3.vcf": (1, 2, 2),
    "davx5_strange-rev.vcf": (1, 0, 2),
    "davx5_unknown-properties-with-labels.vcf": (1, 0, 0),
    "davx5_vcard4.vcf": (1, 0, 0),
    "eds_1.vcf": (1, 2, 2),
    "eds_10.vcf": (1, 0, 2),
    "eds_11.vcf": (1, 0, 0),
    "eds_12.vcf": (1, 1, 3),
    "eds_13.vcf": (1, 1, 2),
    "eds_2.vcf": (1, 1, 2),
    "eds_3.vcf": (1, 2, 2),
    "eds_4.vcf": (1, 0, 0),
    "eds_5.vcf": (1, 1, 0),
    "eds_6.vcf": (1, 2, 2),
    "eds_7.vcf": (1, 2, 2),
    "eds_8.vcf": (1, 2, 2),
    "eds_9.vcf": (1, 0, 2),
    "ezvcard_John_Doe_ANDROID.vcf": (6, 4, 9),
    "ezvcard_John_Doe_BLACK_BERRY.vcf": (1, 0, 1),
    "ezvcard_John_Doe_EVOLUTION.vcf": (1, 1, 2),
    "ezvcard_John_Doe_GMAIL.vcf": (1, 1, 2),
    "ezvcard_John_Doe_IPHONE.vcf": (1, 1, 7),
    "ezvcard_John_Doe_LOTUS_NOTES.vcf": (1, 2, 2),
    "ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf": (1, 1, 7),
    "ezvcard_John_Doe_MS_OUTLOOK.vcf": (1, 1, 2),
    "ezvcard_fullcontact.vcf": (1, 5, 9),
    "ezvcard_gmail-list.vcf": (3, 3, 0),
    "ezvcard_gmail-single.vcf": (1, 1, 2),
    "ezvcard_gmail-single2.vcf": (1, 5, 11),
    "ezvcard_issue114.vcf": (1, 1, 2),
    "ezvcard_outlook-2003.vcf": (1, 1, 0),
    "ezvcard_outlook-2007.vcf": (1, 1, 4),
    "ezvcard_rfc2426-example.vcf": (2, 3, 4),
    "ezvcard_rfc6350-example.vcf": (1, 1, 2),
    "ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf": (1, 5, 5),
    "kcontacts_testfullvcard.vcf": (1, 2, 3),
    "kcontacts_vcard1.vcf": (1, 2, 2),
    "kcontacts_vcard10.vcf": (5, 0, 0),
    "kcontacts_vcard11.vcf": (1, 2, 0),
    "kcontacts_vcard12.vcf": (1, 1, 0),
    "kcontacts_vcard13.vcf": (1, 2, 0),
    "kcontacts_vcard14.vcf": (1, 2, 0),
    "kcontacts_vcard15.vcf": (1, 0, 1),
    "kcontacts_vcard2.vcf": (1, 1, 2),
    "kcontacts_vcard3.vcf": (1, 1, 0),
    "kcontacts_vcard4.vcf": (1, 1, 2),
    "kcontacts_vcard5.vcf": (1, 2, 3),
    "kcontacts_vcard6.vcf": (1, 2, 0),
    "kcontacts_vcard7.vcf": (0, 0, 0),
    "kcontacts_vcard8.vcf": (1, 0, 0),
    "kcontacts_vcard9.vcf": (1, 0, 0),
    "kcontacts_vcard_extension_case_normalization.vcf": (1, 0, 0),
    "kcontacts_vcard_legacy_messaging_fields.vcf": (1, 0, 0),
    "kcontacts_vcardwithitemasapplesupport.vcf": (1, 0, 1),
    "radicale_broken-vcard.vcf": (1, 1, 0),
    "radicale_broken-vcards.vcf": (2, 2, 0),
    "radicale_broken-vcards2-no_uid.vcf": (2, 2, 0),
    "radicale_broken-vcards2.vcf": (2, 2, 0),
    "radicale_contact1.vcf": (1, 0, 0),
    "radicale_contact1_v4.vcf": (1, 0, 0),
    "radicale_contact2-with-bday.vcf": (1, 0, 0),
    "radicale_contact3-with-bday.vcf": (1, 0, 0),
    "radicale_contact4-with-bday-no-year.vcf": (1, 0, 0),
    "radicale_contact_multiple.vcf": (2, 0, 0),
    "radicale_contact_multiple_v4.vcf": (2, 0, 0),
    "radicale_contact_photo_with_data_uri.vcf": (1, 0, 0),
    "radicale_contact_photo_with_data_uri_v4.vcf": (1, 0, 0),
    "roundcube_all.csv": (1, 3, 12),
    "roundcube_all.vcf": (1, 3, 13),
    "roundcube_apple.vcf": (1, 0, 0),
    "roundcube_email.csv": (4, 4, 0),
    "roundcube_email.vcf": (4, 4, 0),
    "roundcube_gmail.csv": (1, 4, 0),
    "roundcube_gmail.vcf": (1, 4, 0),
    "roundcube_johndoe.vcf": (1, 2, 2),
    "roundcube_outlook.csv": (1, 3, 0),
    "roundcube_outlook.vcf": (1, 3, 0),
    "roundcube_photo.vcf": (1, 0, 0),
    "roundcube_tb_plain.csv": (1, 2, 0),
    "roundcube_tb_plain.vcf": (1, 2, 0),
    "roundcube_thebat.vcf": (1, 1, 0),
    "roundcube_utf-16_sample.vcf": (1, 0, 0),
    "sabre_issue153.vcf": (1, 0, 0),
    "sabre_issue64.vcf": (0, 0, 0),
    "thunderbird_export.csv": (2, 2, 0),
    "thunderbird_export.vcf": (2, 2, 0),
    "vobject_radicale-1587.vcf": (1, 0, 0),
}


@pytest.fixture(scope="module")
def results() -> dict[str, FileResult]:
    return {r.name: r for r in survey()}


def test_the_corpus_is_whole(results: dict[str, FileResult]) -> None:
    assert set(results) == set(EXPECTED)
    assert len(EXPECTED) >= 40
    listed = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in listed for name in EXPECTED)  # source and licence noted
    versions = {
        version
        for path in CORPUS.glob("*.vcf")
        for version in ("2.1", "3.0", "4.0")
        if f"VERSION:{version}".encode() in path.read_bytes().upper().replace(b"\x00", b"")
    }
    assert versions == {"2.1", "3.0", "4.0"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_per_file(results: dict[str, FileResult], name: str) -> None:
    result = results[name]
    assert (result.people, result.emails, result.phones) == EXPECTED[name], result.texts


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".vcf")))
def test_every_vcard_person_email_and_phone_comes_in_or_is_explained(
    results: dict[str, FileResult], name: str
) -> None:
    result = results[name]
    assert not result.refused
    assert result.unexplained == []
    assert (result.emails, result.phones) == (result.emails_in_file, result.phones_in_file)
    assert result.people >= result.people_in_file


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".csv")))
def test_every_csv_email_and_phone_comes_in_or_is_explained(
    results: dict[str, FileResult], name: str
) -> None:
    assert results[name].unexplained == []


def test_no_garbled_name_without_an_encoding_warning(results: dict[str, FileResult]) -> None:
    garbled_silently = {
        name: r.garbled for name, r in results.items() if r.garbled and not r.encoding_warned
    }
    assert garbled_silently == {}


def test_rejections_say_why(results: dict[str, FileResult]) -> None:
    rejected = {name: r for name, r in results.items() if r.rejected}
    assert set(rejected) == {
        "aosp_v21_android_custom_prop.vcf",  # only X-ANDROID-CUSTOM
        "aosp_v21_im.vcf",  # a nickname and a Google Talk id
        "kcontacts_vcard7.vcf",  # an empty N, a postal label and a UID
        "sabre_issue64.vcf",  # a photo and nothing else
    }
    for result in rejected.values():
        assert any("no name, email or phone" in text for text in result.texts)


@pytest.mark.parametrize(
    ("name", "encoding", "family", "given"),
    [
        ("aosp_v21_japanese_1.vcf", "shift_jis", "安藤ロイド", ""),
        ("aosp_v30_japanese.vcf", "shift_jis", "伊能", "圭一 伊予"),
        ("roundcube_johndoe.vcf", "cp1252", "Doë", "John"),
        ("roundcube_utf-16_sample.vcf", "utf-16-be", "ĽdaMonté", "Ǽgean"),
        ("eds_5.vcf", "utf-8", "", "十城目管理大型知座"),
    ],
)
def test_names_in_other_encodings_come_in_right(
    name: str, encoding: str, family: str, given: str
) -> None:
    from visitplanner.exchange.contact_import import parse_contact_bytes

    parsed = parse_contact_bytes((CORPUS / name).read_bytes())
    assert parsed.encoding == encoding
    first = parsed.records[0]
    assert (first.family_name, first.given_name) == (family, given)
    assert not garbled(first.family_name + first.given_name)


def test_a_fold_inside_a_utf8_character_kde() -> None:
    """kcontacts' vcard9.vcf folds inside UTF-8 characters: read as UTF-8, not Windows-1252."""
    from visitplanner.exchange.contact_import import parse_contact_bytes

    parsed = parse_contact_bytes((CORPUS / "kcontacts_vcard9.vcf").read_bytes())
    assert parsed.encoding == "utf-8" and not parsed.warnings
    assert parsed.records[0].family_name.startswith("123ㄓㄕㄖbcdeαβγδ")
    assert "Длинный комментарий на русском языке" in parsed.records[0].notes


def test_lotus_notes_card_comes_in_whole() -> None:
    result = survey_file(CORPUS / "ezvcard_John_Doe_LOTUS_NOTES.vcf")
    assert (result.people, result.emails, result.phones, result.rejected) == (1, 2, 2, 0)
