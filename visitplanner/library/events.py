"""Change events: what one committed edit touched.

Core edit functions describe what they changed; the library emits one :class:`ChangeSet`
per committed transaction to plain Python callbacks. Qt item models in ``ui/`` subscribe
and refresh just what a change names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ENTITIES = frozenset(
    {
        "place",
        "organization",
        "contact",
        "trip",
        "delegate",
        "meeting",
        "stay",
        "busy",
        "geocode",
        "library",
    }
)


@dataclass(frozen=True)
class Change:
    entity: str  # one of ENTITIES
    ids: frozenset[int] = frozenset()
    trip_id: int | None = None


@dataclass
class ChangeSet:
    changes: list[Change] = field(default_factory=list)

    def add(
        self,
        entity: str,
        ids: int | list[int] | set[int] | frozenset[int] = frozenset(),
        trip_id: int | None = None,
    ) -> None:
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r}")
        id_set = frozenset([ids]) if isinstance(ids, int) else frozenset(ids)
        self.changes.append(Change(entity, id_set, trip_id))

    def touches(self, entity: str, trip_id: int | None = None) -> bool:
        """True when the set changes ``entity`` (of ``trip_id`` when given)."""
        for change in self.changes:
            if change.entity == "library":
                return True
            if change.entity == entity and (
                trip_id is None or change.trip_id is None or change.trip_id == trip_id
            ):
                return True
        return False

    def ids(self, entity: str) -> frozenset[int]:
        out: set[int] = set()
        for change in self.changes:
            if change.entity == entity:
                out |= change.ids
        return frozenset(out)

    def __bool__(self) -> bool:
        return bool(self.changes)


Listener = Callable[[ChangeSet], None]
