"""Entities: people, places, powers and organisations (casefile.md section 2)."""
from __future__ import annotations

from dataclasses import dataclass, field

from belie.model.dates import DateSpan

from belie.model.schema import ENTITY_TYPES  # noqa: E402,F401  (re-exported; belie/data/schema.yaml)


@dataclass
class Entity:
    id: str
    type: str
    names: list[str] = field(default_factory=list)
    within: str | None = None          # places: the place that contains this one
    at: tuple[float, float] | None = None   # places: explicit latitude, longitude
    existed: DateSpan | None = None    # places and organisations
    lived: DateSpan | None = None      # persons
    speed: float | None = None         # objects: the fastest it moves, km/h
    extra: dict = field(default_factory=dict)
    file: str | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        """The name to show a reader: the first name given, else the id."""
        return self.names[0] if self.names else self.id

    @property
    def lifetime(self) -> DateSpan | None:
        """When the entity could take part in anything (`lived` or `existed`)."""
        return self.lived if self.type == "person" else self.existed
