"""Sources: who said what, when, and with what weight of evidence (casefile.md section 3)."""
from __future__ import annotations

from dataclasses import dataclass, field

from belie.model.dates import DateSpan

from belie.model.schema import SOURCE_KINDS  # noqa: E402,F401  (re-exported; belie/data/schema.yaml)


@dataclass
class Source:
    id: str
    kind: str
    speaker: str | None = None
    voice: str | None = None
    said: DateSpan | None = None
    file: str | None = None
    calendar: str = "gregorian"
    title: str | None = None
    extra: dict = field(default_factory=dict)
    line: int | None = None
    origin: str | None = None   # the case file that declared it

    @property
    def label(self) -> str:
        return self.title or self.id
