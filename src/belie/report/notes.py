"""Notes beyond a limit, summarised by rule for a reader (terminal text and Markdown).

A large case gives thousands of notes (at a million claims about 40,000, nearly all
uncorroborated allegations); one block each would bury the impossible findings and cost
more time than the check.  Past `NOTE_LIMIT` the human-readable outputs give one line per
rule instead for the notes that stand alone (a note that belongs to a conflict is still
shown with it): how many notes, their titles, the claims of the first few.  Every note
stays in ``belie check --format json`` and in the case store.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: More notes than this are summarised by rule in the terminal and Markdown outputs.
NOTE_LIMIT = 50
#: Distinct titles, and findings' claims, shown per rule in the summary.
EXAMPLES = 3

WHERE_ALL = ("every note is in `belie check --format json` and in the case store "
             "(.belie/case.sqlite, table findings)")


@dataclass
class RuleNotes:
    rule: str
    count: int = 0
    titles: list[str] = field(default_factory=list)      # distinct titles, first seen first
    examples: list[str] = field(default_factory=list)    # the claim ids of the first notes

    def line(self) -> str:
        """'411 uncorroborated: An allegation with no record behind it (e.g. s12; s55; s80)'."""
        head = f"{self.count:,} {self.rule}"
        if self.titles:
            head += ": " + "; ".join(self.titles)
        return head + (f" (e.g. {'; '.join(self.examples)})" if self.examples else "")


def summarise_notes(notes, limit: int | None = None) -> list[RuleNotes] | None:
    """None when there are at most *limit* notes (show them all); else one RuleNotes per
    rule, most notes first (ties by rule name)."""
    if len(notes) <= (NOTE_LIMIT if limit is None else limit):
        return None
    by_rule: dict[str, RuleNotes] = {}
    for f in notes:
        r = by_rule.setdefault(f.rule, RuleNotes(f.rule))
        r.count += 1
        if f.title and f.title not in r.titles and len(r.titles) < EXAMPLES:
            r.titles.append(f.title)
        if len(r.examples) < EXAMPLES:
            ids = list(f.claims)
            r.examples.append(", ".join(ids[:EXAMPLES]) + (", …" if len(ids) > EXAMPLES else ""))
    return sorted(by_rule.values(), key=lambda r: (-r.count, r.rule))
