"""A large, reproducible library for the benchmarks (``python -m bench``) and the tests.

2,000 organizations, 20,000 contacts with French and English names, 20 trips and 1,200
meetings over Greater Boston and Québec. Everything is fictional; seeded, so two runs
with the same seed give the same library.
"""

from __future__ import annotations

import datetime as dt
import random

from visitplanner.library import Library, directory, trips
from visitplanner.model import (
    Contact,
    Delegate,
    Language,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Organization,
    OrgKind,
    Place,
    Precision,
    Region,
    Trip,
    Window,
)

GIVEN = [
    "Émilie",
    "François",
    "Zoë",
    "Louis",
    "Chloé",
    "Mathieu",
    "Amélie",
    "Benoît",
    "Geneviève",
    "Hélène",
    "Jérôme",
    "Léa",
    "Noémie",
    "Stéphane",
    "Ève",
    "Olivier",
    "Sophie",
    "Gabriel",
    "Maxime",
    "Camille",
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "Michael",
    "Jennifer",
    "David",
    "Linda",
    "Sarah",
    "Kevin",
    "Priya",
    "Wei",
    "Ana",
    "Björn",
    "Søren",
    "Łukasz",
    "Nuñez",
    "Aoife",
    "Mohamed",
    "Fatima",
]
FAMILY = [
    "Côté",
    "Gagnon",
    "Tremblay",
    "Bouchard",
    "Lévesque",
    "Bélanger",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Garcia",
    "Rodriguez",
    "Wilson",
    "O'Brien",
    "Nguyen",
    "Patel",
    "Chen",
    "Kowalski",
    "Müller",
    "Øster",
    "Sánchez",
    "Dubé",
    "Poirier",
]
WORDS = [
    "Bio",
    "Thera",
    "Gen",
    "Cell",
    "Neuro",
    "Onco",
    "Immuno",
    "Vax",
    "Pep",
    "Rna",
    "Medi",
    "Cardio",
    "Derma",
    "Pharma",
    "Lab",
    "Cure",
    "Nova",
    "Quanta",
    "Helix",
    "Axon",
]
SUFFIX = (
    "Therapeutics",
    "Biosciences",
    "Pharma",
    "Labs",
    "Medical",
    "inc.",
    "Santé",
    "Diagnostics",
    "Genomics",
    "Capital",
)
TITLES = (
    "CEO",
    "CSO",
    "VP Business Development",
    "Directrice R-D",
    "Chef des opérations",
    "Director, Partnerships",
    "Scientist",
    "Chargée d'affaires",
    "Investment Partner",
)
CITIES = (
    ("Boston", "MA", "US", 42.3601, -71.0589),
    ("Cambridge", "MA", "US", 42.3736, -71.1097),
    ("Waltham", "MA", "US", 42.3765, -71.2356),
    ("Montréal", "QC", "CA", 45.5019, -73.5674),
    ("Laval", "QC", "CA", 45.5660, -73.7418),
    ("Québec", "QC", "CA", 46.8139, -71.2080),
    ("Sherbrooke", "QC", "CA", 45.4042, -71.8929),
)
COUNTS = {"organizations": 2000, "contacts": 20000, "trips": 20, "meetings": 1200}


def generate_large(lib: Library, seed: int = 2023) -> None:
    """Fill ``lib`` with the large library, in one transaction."""
    rng = random.Random(seed)
    with lib.write():
        place_ids: list[int] = []
        for i in range(400):
            city, region, country, lat, lon = CITIES[i % len(CITIES)]
            place_ids.append(
                directory.add_place(
                    lib,
                    Place(
                        name=f"{rng.choice(WORDS)} Building {i}",
                        street=f"{100 + i} Main St",
                        city=city,
                        region=region,
                        country=country,
                        lat=lat + rng.uniform(-0.04, 0.04),
                        lon=lon + rng.uniform(-0.05, 0.05),
                        precision=Precision.ADDRESS,
                        source="generated",
                    ),
                )
            )
        kinds = list(OrgKind)
        org_ids = [
            directory.add_organization(
                lib,
                Organization(
                    name=f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(SUFFIX)} {i}",
                    kind=rng.choice(kinds),
                    place_id=rng.choice(place_ids),
                    phone=f"+1 617-555-{i % 10000:04d}",
                    email=f"info{i}@example.com",
                ),
            )
            for i in range(COUNTS["organizations"])
        ]
        for i in range(COUNTS["contacts"]):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            directory.add_contact(
                lib,
                Contact(
                    given_name=given,
                    family_name=family,
                    title=rng.choice(TITLES),
                    organization_id=rng.choice(org_ids),
                    email=f"{given.lower()}.{family.lower()}{i}@example.com",
                    phone=f"+1 514-555-{i % 10000:04d}",
                    language=rng.choice(("en", "fr")),
                ),
            )
        per_trip = COUNTS["meetings"] // COUNTS["trips"]
        for t in range(COUNTS["trips"]):
            boston = t % 2 == 0
            first = dt.date(2024, 1, 8) + dt.timedelta(weeks=2 * t)
            trip_id = trips.add_trip(
                lib,
                Trip(
                    name=f"{'Boston' if boston else 'Québec'} mission {t + 1}",
                    region=Region.BOSTON if boston else Region.QUEBEC,
                    first_day=first,
                    last_day=first + dt.timedelta(days=4),
                    timezone="America/New_York" if boston else "America/Toronto",
                    base_place_id=place_ids[0 if boston else 3],
                    language=Language.FR if boston else Language.EN,
                ),
            )
            delegate_ids = [
                trips.add_delegate(
                    lib,
                    Delegate(
                        trip_id=trip_id,
                        name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                        company=f"{rng.choice(WORDS)} {rng.choice(SUFFIX)}",
                    ),
                )
                for _ in range(25)
            ]
            local_places = [p for i, p in enumerate(place_ids) if (i % 7 < 3) == boston]
            for k in range(per_trip):
                day = first + dt.timedelta(days=k % 5)
                requested = k % 6 == 5
                start = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(
                    minutes=30 * rng.randrange(0, 16)
                )
                trips.add_meeting(
                    lib,
                    Meeting(
                        trip_id=trip_id,
                        title=f"Meeting {t + 1}.{k + 1}",
                        kind=MeetingKind.MEETING,
                        status=MeetingStatus.REQUESTED if requested else MeetingStatus.CONFIRMED,
                        organization_id=rng.choice(org_ids),
                        place_id=rng.choice(local_places),
                        start=None if requested else start,
                        duration_minutes=rng.choice((30, 45, 60, 90)),
                        priority=rng.randint(1, 3),
                        windows=[
                            Window(
                                dt.datetime.combine(day, dt.time(9)),
                                dt.datetime.combine(day, dt.time(17)),
                            )
                        ]
                        if requested
                        else [],
                        delegate_ids=rng.sample(delegate_ids, rng.randint(1, 4)),
                    ),
                )
