"""Claims: what each source asserts (casefile.md section 4).

A claim has exactly one kind.  Every kind is read into the same `Claim` type with
named fields, so a rule can ask ``claim.people`` or ``claim.when`` without knowing
which YAML key carried the value.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from belie.model.dates import DateSpan

# The kinds, their keys and the values they take are data: belie/data/schema.yaml.
# ``KIND_KEY``: the YAML key that carries each kind (casefile.md writes an accusation as
# `accuses:`; `accusation:` is accepted as an alias); ``KEY_KIND`` the reverse, aliases
# included; ``COMMON_KEYS``: the keys every claim may carry; ``KIND_KEYS``: the further
# keys allowed beside each kind key.
from belie.model.schema import (  # noqa: E402,F401  (re-exported)
    CLAIM_KINDS, COMMON_KEYS, KEY_KIND, KIND_KEY, KIND_KEYS, MESSAGE_MEDIA, REGISTER_SCOPES, STANCES,
    TRAVEL_MODES,
)


@dataclass(slots=True)
class Claim:
    """One assertion by one source.

    Field use by kind:

    ============  ===================================================================
    presence      people=(person,), where, when, throughout
    meeting       people=participants, where, when, throughout
    travel        people=(person,), origin, destination, when, by
    message       people=(sender, recipient), when, by
    register      scope, where (``at``), by, when, lists, reg_to, reg_from
    accusation    people=(accused,), serving, when (``during``; defaults to source's date)
    existed       people=(entity,), when (``during``)
    stance        people=(power_a, power_b), stance (``is``), when (``during``)
    statement     text, people (``about``), when
    ============  ===================================================================
    """

    id: str
    kind: str
    source: str
    people: tuple[str, ...] = ()
    where: str | None = None
    origin: str | None = None
    destination: str | None = None
    when: DateSpan | None = None
    throughout: bool = False
    by: str | None = None
    scope: str | None = None
    lists: tuple[str, ...] = ()
    reg_to: str | None = None
    reg_from: str | None = None
    serving: str | None = None
    stance: str | None = None
    text: str | None = None
    quote: str | None = None
    event: str | None = None
    denies: bool = False
    note: str | None = None
    speaker: str | None = None       # who makes it, when the source only reports it
    generated_id: bool = False
    file: str | None = None
    line: int | None = None
    raw: dict = field(default_factory=dict, repr=False)

    # -- convenience -----------------------------------------------------------------
    @property
    def person(self) -> str | None:
        """The single person of a presence or travel claim."""
        return self.people[0] if self.people else None

    @property
    def sender(self) -> str | None:
        return self.people[0] if self.kind == "message" and self.people else None

    @property
    def recipient(self) -> str | None:
        return self.people[1] if self.kind == "message" and len(self.people) > 1 else None

    @property
    def asserts(self) -> bool:
        """True unless the source denies this claim."""
        return not self.denies

    def places(self) -> tuple[str, ...]:
        """Every place the claim puts someone at."""
        out = [p for p in (self.where, self.origin, self.destination) if p]
        return tuple(out)

    def summary(self, label=lambda x: x) -> str:
        """A one-line English rendering, with entity ids mapped through `label`."""
        when = ""
        if self.when is not None:
            when = f" {'throughout' if self.throughout else 'on'} {self.when.text}"
        neg = "not " if self.denies else ""
        k = self.kind
        at = f" at {label(self.where)}" if self.where else ""
        if k == "presence":
            return f"{label(self.person)} was {neg}{at.strip() or 'somewhere'}{when}"
        if k == "meeting":
            who = ", ".join(label(p) for p in self.people)
            return f"{who} {'did not meet' if self.denies else 'met'}{at}{when}"
        if k == "travel":
            mode = f" by {self.by}" if self.by else ""
            frm = f" from {label(self.origin)}" if self.origin else ""
            to = f" to {label(self.destination)}" if self.destination else ""
            return f"{label(self.person)} {'did not travel' if self.denies else 'travelled'}{frm}{to}{mode}{when}"
        if k == "message":
            mode = f" ({self.by})" if self.by else ""
            return f"{label(self.sender)} {'did not write' if self.denies else 'wrote'} to {label(self.recipient)}{mode}{when}"
        if k == "register":
            scope = self.scope or "register"
            target = label(self.where) if self.where else " / ".join(
                x for x in (f"to {label(self.reg_to)}" if self.reg_to else "",
                            f"from {label(self.reg_from)}" if self.reg_from else "") if x)
            listed = ", ".join(label(p) for p in self.lists) or "nobody"
            mode = f" by {self.by}" if self.by else ""
            return f"complete register of {scope}{mode} {target}{when} lists {listed}"
        if k == "accusation":
            return f"{label(self.people[0])} {'did not serve' if self.denies else 'served'} {label(self.serving)}{' during ' + self.when.text if self.when else ''}"
        if k == "existed":
            return f"{label(self.people[0])} {'did not exist' if self.denies else 'existed'} {self.when.text if self.when else ''}".rstrip()
        if k == "stance":
            return f"{label(self.people[0])} was {self.stance} toward {label(self.people[1])}{' during ' + self.when.text if self.when else ''}"
        return f"“{self.text}”"


def stable_id(kind: str, raw: dict) -> str:
    """An id for a claim that has none: its kind and a hash of its content.

    The hash covers the claim's keys and values (not its position in the file), so the
    id survives reordering and stays the same from run to run.
    """
    canon = json.dumps({k: raw[k] for k in sorted(raw) if k != "id"}, sort_keys=True,
                       default=str, ensure_ascii=False)
    return f"{kind}-{hashlib.sha1(canon.encode('utf-8')).hexdigest()[:8]}"
