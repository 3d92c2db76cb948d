"""The Case: entities, sources and claims read from a case folder, with settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from belie.model.claims import Claim
from belie.model.entities import Entity
from belie.model.settings import Settings
from belie.model.sources import Source


@dataclass
class Case:
    name: str
    entities: dict[str, Entity] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    root: Path | None = None
    description: str | None = None

    # -- lookups ---------------------------------------------------------------------
    @cached_property
    def claim_by_id(self) -> dict[str, Claim]:
        return {c.id: c for c in self.claims}

    def label(self, entity_id: str | None) -> str:
        if entity_id is None:
            return "?"
        e = self.entities.get(entity_id)
        return e.label if e else entity_id

    def weight(self, claim: Claim) -> float:
        """Weight of evidence of a claim, from its source's kind."""
        src = self.sources.get(claim.source)
        return self.settings.weight(src.kind if src else "testimony")

    def speaker(self, claim: Claim) -> str:
        """Who makes the claim: its own ``speaker`` (a source reporting what someone else
        said), else the source's speaker, else the source itself."""
        if claim.speaker:
            return claim.speaker
        src = self.sources.get(claim.source)
        return (src.speaker if src and src.speaker else claim.source)

    @cached_property
    def places(self):
        """The PlaceIndex of this case (coordinates, nesting, distances)."""
        from belie.model.places import PlaceIndex

        return PlaceIndex.build(self.entities)

    def claims_of(self, kind: str) -> list[Claim]:
        return [c for c in self.claims if c.kind == kind]

    def date_range(self):
        """Earliest and latest bounded instant over all claims, as (lo, hi) seconds (belie.model.dates) or None."""
        los = [c.when.lo for c in self.claims if c.when is not None and c.when.earliest is not None]
        his = [c.when.hi for c in self.claims if c.when is not None and c.when.latest is not None]
        if not los or not his:
            return None
        return min(los), max(his)
