"""Text reuse within a case: who copied whom, and which sources repeat one formula.

`case_texts` gathers the texts of a case at two levels:

* **sources** — each source's document (the text ingested into the case store,
  ``.belie/case.sqlite``, when there is one; else its ``file:`` read afresh), followed by
  its statement claims and its claims' quotes (a quote already inside the document is
  not added again), one a line.  Ids are source ids.
* **statements** — each ``statement`` claim, and each other claim with a ``quote``, by
  itself.  The text is the claim's quote when it has one (the source's own words), else
  its statement text.  Ids are claim ids.

`case_reuse` runs `belie.sources.reuse.find_reuse` over each level: the sources with the
given parameters (the defaults suit documents), the statements with `STATEMENT_PARAMS`
(shingles of 3 words, passages of 6 or more: statements are a sentence or two, and a
formula such as "Trotsky's instruction on terror against Stalin" is six words).  Two
statements of one source are not compared.  Each pair is put in date order by its
sources' ``said`` dates: the earlier is ``a`` (the likely original) when its interval
ends before the other's begins; otherwise (overlapping or missing dates) the order is
unknown and the pair keeps the order found.  Clusters are the connected components of
the pairs at each level: texts that share passages with one another, directly or through
a third, as a ring of confessions repeating one formula does.

`save_edges` writes the pairs into the case store's ``reuse_edges`` table (replacing
what was there), where the report draws the copying graph from and the source-reliability
analysis reads who copies whom.  See docs/reuse.md, "In a case".
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from belie.sources.reuse import ReusePair, ReuseParams, find_reuse

__all__ = ["STATEMENT_PARAMS", "CaseTexts", "CasePair", "Cluster", "CaseReuse",
           "case_texts", "case_reuse", "save_edges", "EARLIER_LATER", "ORDER_UNKNOWN"]

#: find_reuse parameters for single statements: a shingle of 3 words, a passage of 6 or
#: more.  On examples/moscow-1936 they pair the 10 formula statements into two rings
#: and leave its 28 other statements and quotes unpaired; with n=4 Goltzman's six-word
#: statement pairs with nothing (see docs/reuse.md, "In a case").
STATEMENT_PARAMS = ReuseParams(n=3, min_words=6)

EARLIER_LATER = "earlier → later"
ORDER_UNKNOWN = "order unknown"


@dataclass
class CaseTexts:
    """The texts of a case, per source and per statement (see the module's docstring)."""

    sources: dict[str, str] = field(default_factory=dict)
    statements: dict[str, str] = field(default_factory=dict)
    claim_source: dict[str, str] = field(default_factory=dict)   # statement id -> source id
    documents: set[str] = field(default_factory=set)             # sources with a document


@dataclass
class CasePair:
    """A pair of texts that share passages, earlier first where the dates tell."""

    pair: ReusePair
    level: str                  # "source" | "statement"
    direction: str              # EARLIER_LATER | ORDER_UNKNOWN
    a_source: str
    b_source: str
    a_said: str | None          # EDTF of the sources' `said`, None when undated
    b_said: str | None
    reason: str = ""            # why the order is unknown ("" when known)

    @property
    def a(self) -> str:
        return self.pair.a

    @property
    def b(self) -> str:
        return self.pair.b

    @property
    def score(self) -> float:
        return self.pair.score

    def to_json(self) -> dict:
        d = self.pair.to_json()
        d["direction"] = self.direction
        d["level"] = self.level
        return d

    def edge(self) -> dict:
        """The edge as the case store keeps it: ``{a, b, score, data}``."""
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "data": {
            "level": self.level, "direction": self.direction, "reason": self.reason,
            "a_source": self.a_source, "b_source": self.b_source,
            "a_said": self.a_said, "b_said": self.b_said,
            "coverage_a": round(self.pair.coverage_a, 4), "coverage_b": round(self.pair.coverage_b, 4),
            "passages": [p.to_json() for p in self.pair.passages],
        }}


@dataclass
class Cluster:
    """Texts that share passages, directly or through others: one formula, repeated."""

    level: str
    members: list[str]          # in date order (undated last)
    sources: list[str]          # their sources, in the same order, without repeats
    formula: str                # the passage shared most often within the cluster
    pairs: int                  # pairs of members that share passages

    def to_json(self) -> dict:
        return {"level": self.level, "members": self.members, "sources": self.sources,
                "formula": self.formula, "pairs": self.pairs}


@dataclass
class CaseReuse:
    pairs: list[CasePair]
    clusters: list[Cluster]
    claim_source: dict[str, str] = field(default_factory=dict)   # statement id -> source id

    def source_of(self, ident: str) -> str:
        """The source of a text of either level."""
        return self.claim_source.get(ident, ident)

    @property
    def edges(self) -> list[dict]:
        return [p.edge() for p in self.pairs]

    def to_json(self) -> dict:
        return {"pairs": [p.to_json() for p in self.pairs],
                "clusters": [c.to_json() for c in self.clusters]}


# ------------------------------------------------------------------------------ texts


def _stored_texts(root: Path) -> dict[str, str]:
    """Ingested source texts from the case store, where there is one."""
    from belie.store.db import CaseStore, store_path

    if not store_path(root).is_file():
        return {}
    try:
        with CaseStore.open(root, create=False) as store:
            return {r.id: r.text for r in store.sources() if r.text and r.text.strip()}
    except Exception:  # noqa: BLE001 - an unreadable store: fall back on the files
        return {}


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def case_texts(case) -> CaseTexts:
    """The texts of a case's sources and of its statements (see the module's docstring)."""
    from belie.store.ingest import extract_text
    from belie.util import within_case

    out = CaseTexts()
    root = Path(case.root) if case.root is not None else None
    stored = _stored_texts(root) if root is not None else {}
    for sid, source in case.sources.items():
        text = stored.get(sid)
        if text is None and source.file and root is not None and within_case(root, source.file) \
                and (root / source.file).is_file():
            text = extract_text(root / source.file)[0]
        if text and text.strip():
            out.sources[sid] = text
            out.documents.add(sid)
    extra: dict[str, list[str]] = defaultdict(list)
    for c in case.claims:
        if c.kind == "statement" or c.quote:
            own = (c.quote or (c.text if c.kind == "statement" else "") or "").strip()
            if own:
                out.statements[c.id] = own
                out.claim_source[c.id] = c.source
        doc = _squash(out.sources.get(c.source, ""))
        for t in ((c.text if c.kind == "statement" else None), c.quote):
            t = (t or "").strip()
            if t and t not in extra[c.source] and _squash(t) not in doc:
                extra[c.source].append(t)
    for sid, lines in extra.items():
        if not lines:
            continue
        head = out.sources.get(sid, "")
        out.sources[sid] = (head.rstrip("\n") + "\n\n" if head else "") + "\n".join(lines)
    return out


# ------------------------------------------------------------------------------ order


def _said(case, sid: str):
    src = case.sources.get(sid)
    return None if src is None else src.said


def order(case, pair: ReusePair, a_source: str, b_source: str, level: str) -> CasePair:
    """`pair` with the earlier source's text as ``a``, and its direction."""
    sa, sb = _said(case, a_source), _said(case, b_source)
    direction, reason = ORDER_UNKNOWN, ""
    if sa is None or sb is None:
        undated = [s for s, d in ((a_source, sa), (b_source, sb)) if d is None]
        reason = f"undated: {', '.join(dict.fromkeys(undated))}"
    elif sa.hi < sb.lo:
        direction = EARLIER_LATER
    elif sb.hi < sa.lo:
        direction = EARLIER_LATER
        pair, a_source, b_source, sa, sb = pair.swapped(), b_source, a_source, sb, sa
    else:
        reason = "the dates overlap" if a_source != b_source else "the same source"
    return CasePair(pair, level, direction, a_source, b_source,
                    sa.edtf if sa is not None else None, sb.edtf if sb is not None else None, reason)


# ------------------------------------------------------------------------------ clusters


def _clusters(case, pairs: list[CasePair], level: str, source_of) -> list[Cluster]:
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    mine = [p for p in pairs if p.level == level]
    for p in mine:
        ra, rb = root(p.a), root(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for x in parent:
        groups[root(x)].append(x)
    phrases: dict[str, Counter] = defaultdict(Counter)
    shown: dict[str, str] = {}
    counts: Counter = Counter()
    for p in mine:
        r = root(p.a)
        counts[r] += 1
        for psg in p.pair.passages:
            key = _squash(psg.a_text).strip(" .,;:!?\"'“”")
            phrases[r][key] += 1
            if key not in shown or len(psg.a_text) < len(shown[key]):
                shown[key] = psg.a_text

    def when(x: str):
        said = _said(case, source_of(x))
        return (0, said.lo, said.hi, x) if said is not None else (1, 0, 0, x)

    out = []
    for r, members in groups.items():
        members.sort(key=when)
        best = max(phrases[r].items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0] if phrases[r] else ""
        out.append(Cluster(level, members, list(dict.fromkeys(source_of(m) for m in members)),
                           shown.get(best, ""), counts[r]))
    out.sort(key=lambda c: (-len(c.members), c.members[0]))
    return out


# ------------------------------------------------------------------------------ the case


def case_reuse(case, params: ReuseParams | None = None,
               statement_params: ReuseParams | None = None) -> CaseReuse:
    """Reuse between a case's sources and between its statements, in date order.

    ``params`` (default: `ReuseParams()`) compares the sources' texts;
    ``statement_params`` (default: `STATEMENT_PARAMS`, with ``params.min_score``)
    compares the statements.
    """
    params = params or ReuseParams()
    if statement_params is None:
        statement_params = replace(STATEMENT_PARAMS, min_score=params.min_score)
    texts = case_texts(case)
    pairs: list[CasePair] = []
    if len(texts.sources) >= 2:
        for p in find_reuse(texts.sources, params):
            pairs.append(order(case, p, p.a, p.b, "source"))
    if len(texts.statements) >= 2:
        src = texts.claim_source
        for p in find_reuse(texts.statements, statement_params):
            if src[p.a] == src[p.b]:
                continue        # a source repeating itself is not copying
            pairs.append(order(case, p, src[p.a], src[p.b], "statement"))
    pairs.sort(key=lambda p: (p.level != "source", -p.score, p.a, p.b))

    def source_of(x: str) -> str:
        return texts.claim_source.get(x, x)

    clusters = (_clusters(case, pairs, "statement", source_of)
                + _clusters(case, pairs, "source", lambda x: x))
    return CaseReuse(pairs, clusters, dict(texts.claim_source))


def save_edges(case, reuse: CaseReuse) -> int:
    """Replace the case store's reuse edges with those of ``reuse``; the count written.

    Returns 0 without writing when the case has no folder.
    """
    if case.root is None:
        return 0
    from belie.store.db import CaseStore

    with CaseStore.open(case.root, create=True) as store:
        return store.save_reuse_edges(reuse.edges)


# ------------------------------------------------------------------------------ corpus results


def ingest_results(case, path) -> tuple[int, int]:
    """Add the pairs of a corpus run's results (``NAME.reuse.parquet``, written by
    ``belie reuse CORPUS``) to the case store's reuse edges.

    A document of the corpus stands for a source of the case when its id is the
    source's id or the source's ``file:`` as written.  Pairs whose two documents both
    stand for sources (two different ones) are put in date order by the sources' ``said``
    (level ``"corpus"``) and written beside the edges already stored, replacing an
    edge of the same two ids; the others are skipped.  Returns (edges written, pairs
    skipped).  Nothing is written when the case has no folder.
    """
    from belie.sources.corpus import read_results

    by_name: dict[str, str] = {}
    for sid, src in case.sources.items():
        if src.file:
            by_name.setdefault(str(src.file), sid)
    for sid in case.sources:
        by_name[sid] = sid
    edges, skipped = [], 0
    for pair, _da, _db in read_results(path):
        sa, sb = by_name.get(pair.a), by_name.get(pair.b)
        if sa is None or sb is None or sa == sb:
            skipped += 1
            continue
        pair = replace(pair, a=sa, b=sb)
        edges.append(order(case, pair, sa, sb, "corpus").edge())
    if case.root is None or not edges:
        return 0, skipped
    from belie.store.db import CaseStore

    with CaseStore.open(case.root, create=True) as store:
        return store.add_reuse_edges(edges), skipped
