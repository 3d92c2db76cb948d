"""How far a claim of one value supports another value of the same item.

A similarity is any callable ``sim(claimed, other) -> float`` in ``[0, 1]``:
how much a source that said ``claimed`` has also (partly) said ``other``.  It
need not be symmetric: saying "Moscow" when the truth is "the Hotel Metropol,
Moscow" is partly right, but saying "the Hotel Metropol" when the truth is
"Leningrad" is not.

The truth-discovery engine (:mod:`belie.sources.truth`) calls a similarity
only on pairs of *different* values claimed for the *same* item, once, before
it iterates; values are always fully similar to themselves.

Four are provided, and a default chosen from the values (:func:`choose_similarity`):

``Exact``      different strings never support each other;
``TokenSet``   overlap of the sets of words (Jaccard by default);
``Numeric``    numbers (or clock times ``H:MM``) within a tolerance;
``Places``     places that nest: a coarser place is partly right when the
               truth lies inside it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping

Similarity = Callable[[str, str], float]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


class Exact:
    """Different values never support each other."""

    name = "exact"
    #: the engine skips computing pairs when this is True
    trivial = True

    def __call__(self, claimed: str, other: str) -> float:
        return 1.0 if claimed == other else 0.0

    def __repr__(self) -> str:
        return "Exact()"


class TokenSet:
    """Word-set overlap, ignoring order and case.

    ``mode="jaccard"`` (default): ``|A ∩ B| / |A ∪ B|``, symmetric.
    ``mode="covers"``: ``|A ∩ B| / |B|``, how much of ``other`` the claim names.
    ``mode="within"``: ``|A ∩ B| / |A|``, how much of the claim lies in ``other``;
    a partial list ("knuth") then fully supports a fuller one ("donald knuth").
    """

    name = "tokens"
    trivial = False

    def __init__(self, mode: str = "jaccard"):
        if mode not in ("jaccard", "covers", "within"):
            raise ValueError(f"unknown token-set mode {mode!r}")
        self.mode = mode
        self._cache: dict[str, frozenset[str]] = {}

    def tokens(self, value: str) -> frozenset[str]:
        got = self._cache.get(value)
        if got is None:
            got = frozenset(t.casefold() for t in _TOKEN.findall(value))
            self._cache[value] = got
        return got

    def __call__(self, claimed: str, other: str) -> float:
        a, b = self.tokens(claimed), self.tokens(other)
        if not a or not b:
            return 1.0 if claimed == other else 0.0
        common = len(a & b)
        if not common:
            return 0.0
        if self.mode == "jaccard":
            return common / len(a | b)
        if self.mode == "covers":
            return common / len(b)
        return common / len(a)

    def __repr__(self) -> str:
        return f"TokenSet(mode={self.mode!r})"


def parse_number(value: str) -> float | None:
    """A plain number (``1,234.5`` allowed) or a clock time ``H:MM[:SS]`` as minutes."""
    text = value.strip().replace(",", "").replace("_", "")
    if _NUMBER.match(text):
        return float(text)
    m = _CLOCK.match(text)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        return h * 60 + mi + s / 60
    return None


class Numeric:
    """Numbers close to each other support each other.

    Support falls linearly from 1 (equal) to 0 at ``tolerance`` apart; with
    ``relative=True`` the tolerance is a fraction of the larger magnitude.
    Clock times ``H:MM`` are read as minutes, so ``tolerance=5`` means five
    minutes (times are not wrapped across midnight).  Values that are not
    numbers only match themselves.
    """

    name = "numbers"
    trivial = False

    def __init__(self, tolerance: float = 1.0, relative: bool = False):
        if tolerance <= 0:
            raise ValueError("tolerance must be positive")
        self.tolerance = float(tolerance)
        self.relative = relative
        self._cache: dict[str, float | None] = {}

    def number(self, value: str) -> float | None:
        if value not in self._cache:
            self._cache[value] = parse_number(value)
        return self._cache[value]

    def __call__(self, claimed: str, other: str) -> float:
        a, b = self.number(claimed), self.number(other)
        if a is None or b is None:
            return 1.0 if claimed == other else 0.0
        tol = self.tolerance
        if self.relative:
            tol *= max(abs(a), abs(b))
            if tol == 0:
                return 1.0
        gap = abs(a - b)
        return max(0.0, 1.0 - gap / tol) if math.isfinite(gap) else 0.0

    def __repr__(self) -> str:
        return f"Numeric(tolerance={self.tolerance}, relative={self.relative})"


class Places:
    """Places that nest: city within region within country.

    ``parents`` maps a place to its parent (or to several parents, where one
    name stands for places in different regions).  A claim of a coarser place
    partly supports every place inside it, by ``partial ** steps`` where
    ``steps`` is how many levels lie between them ("USA" supports
    "Minneapolis" by 0.5² = 0.25 through "Minnesota").  A finer claim gives the
    coarser place only ``upward`` (0 by default), so that the most specific
    well-supported place wins rather than the country every claim lies in.
    Names are compared case-insensitively.
    """

    name = "places"
    trivial = False

    def __init__(self, parents: Mapping[str, str | Iterable[str]] | Iterable[tuple[str, str]],
                 partial: float = 0.5, upward: float = 0.0):
        if not 0 <= partial <= 1 or not 0 <= upward <= 1:
            raise ValueError("partial and upward must lie in [0, 1]")
        self.partial = partial
        self.upward = upward
        self.parents: dict[str, set[str]] = {}
        pairs = parents.items() if isinstance(parents, Mapping) else parents
        for child, parent in pairs:
            if parent is None:
                continue
            ps = [parent] if isinstance(parent, str) else list(parent)
            for p in ps:
                if p is None or str(p).strip() == "":
                    continue
                self.parents.setdefault(_key(child), set()).add(_key(p))
        self._ancestors: dict[str, dict[str, int]] = {}

    def ancestors(self, place: str) -> dict[str, int]:
        """Every place containing ``place``, with the fewest levels up to it."""
        key = _key(place)
        got = self._ancestors.get(key)
        if got is not None:
            return got
        found: dict[str, int] = {}
        frontier = [key]
        depth = 0
        while frontier:
            depth += 1
            nxt = []
            for node in frontier:
                for p in self.parents.get(node, ()):
                    if p not in found and p != key:
                        found[p] = depth
                        nxt.append(p)
            frontier = nxt
        self._ancestors[key] = found
        return found

    def contains(self, outer: str, inner: str) -> bool:
        return _key(outer) in self.ancestors(inner)

    def __call__(self, claimed: str, other: str) -> float:
        if _key(claimed) == _key(other):
            return 1.0
        steps = self.ancestors(other).get(_key(claimed))
        if steps is not None:              # claimed is coarser: partly right
            return self.partial ** steps
        steps = self.ancestors(claimed).get(_key(other))
        if steps is not None:              # claimed is finer than other
            return self.upward ** steps if self.upward else 0.0
        return 0.0

    def __repr__(self) -> str:
        return f"Places({len(self.parents)} places, partial={self.partial}, upward={self.upward})"


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


#: Share of an item set's distinct values that must read as names (words, no digits)
#: for :func:`choose_similarity` to compare them word by word.
NAME_SHARE = 0.8


def choose_similarity(values: Iterable[str]) -> Similarity:
    """The similarity to use when none is named, read from the values themselves.

    Values that are mostly names or lists of names — at least ``NAME_SHARE`` of
    the distinct non-empty values are words without digits, and the typical one
    has two words or more ("donald e knuth", "Smith; Jones") — are compared as
    sets of words (:class:`TokenSet`): a list that misses one author then still
    partly supports the full list.  Anything else (single words, codes, numbers,
    clock times, dates) is compared exactly: a near miss on a number or a code
    is a different value, and only the user knows the tolerance
    (``similarity="numbers"``).
    """
    distinct = {v for v in values if v and v.strip()}
    if not distinct:
        return Exact()
    words = [len(_TOKEN.findall(v)) for v in distinct if not any(map(str.isdigit, v))]
    if len(words) < NAME_SHARE * len(distinct):
        return Exact()
    words.sort()
    return TokenSet() if words[len(words) // 2] >= 2 else Exact()


def get_similarity(spec: str | Similarity | None, *, values: Iterable[str] | None = None,
                   **options) -> Similarity:
    """A similarity from a name (``exact``, ``tokens``, ``numbers``, ``places``) or a callable.

    ``None`` or ``"auto"`` chooses from ``values`` (:func:`choose_similarity`);
    without values that is :class:`Exact`.
    """
    if spec is None or (isinstance(spec, str) and spec.lower() == "auto"):
        return choose_similarity(values) if values is not None else Exact()
    if callable(spec):
        return spec
    name = str(spec).lower()
    if name == "exact":
        return Exact()
    if name in ("tokens", "token", "tokenset", "token_set", "token-set"):
        return TokenSet(**options)
    if name in ("numbers", "number", "numeric"):
        return Numeric(**options)
    if name in ("places", "place"):
        if "parents" not in options:
            raise ValueError("the places similarity needs parents= (a place -> parent mapping)")
        return Places(**options)
    raise ValueError(f"unknown similarity {spec!r}; use auto, exact, tokens, numbers, places or a function")
