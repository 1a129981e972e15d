"""Directory search stays correct on its fast paths (one-letter prefixes, kind filters)."""

from __future__ import annotations

from visitplanner.library import Library, directory
from visitplanner.model import Contact, Organization


def _library() -> Library:
    lib = Library.in_memory()
    org = directory.add_organization(lib, Organization(name="Émeraude Santé"))
    directory.add_contact(lib, Contact(given_name="Élodie", family_name="Ouellet"))
    directory.add_contact(lib, Contact(given_name="Zoë", family_name="Smith", organization_id=org))
    return lib


def test_one_letter_prefix_finds_every_entry_starting_with_it() -> None:
    lib = _library()
    hits = directory.search(lib, "e")
    assert ("organization", 1) in hits and ("contact", 1) in hits
    # Zoë's organization's name starts with É: her entry matches too.
    assert ("contact", 2) in hits


def test_kind_filter_keeps_only_that_kind() -> None:
    lib = _library()
    assert directory.search(lib, "em", kind="organization") == [("organization", 1)]
    assert directory.search(lib, "em", kind="contact") == [("contact", 2)]
    assert directory.search(lib, "em", kind="place") == []


def test_longer_queries_are_ranked_best_first() -> None:
    lib = _library()
    assert directory.search(lib, "elodie ouellet")[0] == ("contact", 1)
