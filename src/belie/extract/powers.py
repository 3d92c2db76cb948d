"""States from data: which power a name or an adjective stands for, and when it existed.

* Current states come from the gazetteer's country table (GeoNames, via
  :class:`belie.model.places.Gazetteer`).
* States that no longer exist come from ISO 3166-3 ("code elements for formerly used names
  of countries", shipped with the ``pycountry`` package of the ``nlp`` extra): the USSR,
  Yugoslavia, Czechoslovakia, the German Democratic Republic, Zaire, Burma ... each with the
  date its code was withdrawn.  Such a state is never confused with the state that holds
  its territory now: "Russia" is Russia, and the USSR is the USSR, whose lifetime ends in
  1992 -- unless a case itself gives "Russia" as a name of its USSR.
* Adjectives of nationality ("Italian", "Saudi", "Burundian", "Soviet") are derived from
  the states' names by the regular English suffixes (-n, -an, -ian, -ese, -i, -ish), with
  a short table of the irregular ones (British, French, Dutch, Swiss ...), which belong to
  no era.

Nothing here names a leader, a government organ or a decade.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from belie.model.places import normalize_name

#: Adjectives that no suffix rule derives from the state's name (English usage).
IRREGULAR_DEMONYMS = {
    "british": "United Kingdom", "english": "United Kingdom", "scottish": "United Kingdom",
    "welsh": "United Kingdom", "french": "France", "dutch": "Netherlands",
    "swiss": "Switzerland", "spanish": "Spain", "irish": "Ireland", "finnish": "Finland",
    "danish": "Denmark", "greek": "Greece", "ivorian": "Ivory Coast", "filipino": "Philippines",
    "norwegian": "Norway", "peruvian": "Peru", "welshman": "United Kingdom",
    "american": "United States", "americans": "United States", "congolese": "Congo",
    "malagasy": "Madagascar", "turkish": "Turkey", "icelandic": "Iceland",
    "portuguese": "Portugal", "lebanese": "Lebanon", "vietnamese": "Vietnam",
    "maltese": "Malta", "belgian": "Belgium", "swedish": "Sweden", "polish": "Poland",
    "thai": "Thailand", "emirati": "United Arab Emirates", "czech": "Czechia",
    "slovak": "Slovakia", "croatian": "Croatia", "serbian": "Serbia", "bosnian":
    "Bosnia and Herzegovina", "cypriot": "Cyprus", "yemeni": "Yemen", "afghan": "Afghanistan",
}

#: Words of a state's long name that say nothing of which state it is.
_GENERIC = frozenset("""of the and union republic republics socialist people's peoples
    democratic federal federative state states kingdom united islamic arab federation
    ssr""".split())


@dataclass(frozen=True)
class State:
    name: str            # the name belie proposes the power under
    code: str            # ISO alpha-2 (current) or alpha-4 (former, ISO 3166-3)
    ended: str | None    # EDTF day its code was withdrawn, for a former state
    current: bool


@functools.lru_cache(maxsize=1)
def _historic() -> tuple:
    """ISO 3166-3 entries: (keys, State).  Empty without pycountry."""
    try:
        import pycountry
    except ImportError:
        return ()
    out = []
    for c in pycountry.historic_countries:
        name = c.name
        parts = [p.strip() for p in name.split(",")]
        keys = {normalize_name(p) for p in parts if p}
        keys |= {normalize_name(getattr(c, "alpha_3", "") or "")} - {""}
        words = set()
        for p in parts:
            words |= {w for w in normalize_name(p).split()}
        display = parts[0]
        ended = str(getattr(c, "withdrawal_date", "") or "") or None
        out.append((frozenset(keys), frozenset(words), State(display, c.alpha_4, ended, False)))
    return tuple(out)


def historic(name: str) -> State | None:
    """The former state a name stands for ("USSR", "Soviet Union", "Yugoslavia")."""
    k = normalize_name(name)
    if not k:
        return None
    words = k.split()
    for keys, names, state in _historic():
        if k in keys:
            return state
    distinctive = [w for w in words if w not in _GENERIC]
    if not distinctive:
        return None
    for keys, names, state in _historic():
        if all(w in names for w in words) and any(w in names for w in distinctive) and \
                len(words) >= 2:
            return state
    return None


def _derived(name: str) -> set[str]:
    """Regular adjectives of a state's name: Kenya-n, Burundi-an, Ital-ian, Japan-ese,
    Chin-ese, Israel-i, German(-y), Somali(-a), Pol-ish, Yugoslav(-ia), Saudi (Arabia)."""
    k = normalize_name(name)
    if not k:
        return set()
    out = set()
    words = k.split()
    if len(words) == 2 and words[1] not in _GENERIC:
        out.add(words[0])                         # Saudi Arabia -> Saudi
    w = words[-1] if len(words) == 1 else None
    if w is None or len(w) < 4:
        return out
    out |= {w + "n", w + "an", w + "ese", w + "i"}
    if w.endswith("y"):
        out |= {w[:-1], w[:-1] + "ian"}           # Germany -> German, Italy -> Italian
    if w.endswith("a"):
        out |= {w[:-1], w[:-1] + "ese", w[:-1] + "an"}   # Somalia, China, Cuba
    if w.endswith("ia"):
        out.add(w[:-2])                           # Yugoslavia -> Yugoslav
    if w.endswith("and"):
        out.add(w[:-3] + "ish")                   # Poland -> Polish
    if w.endswith("land"):
        out.add(w[:-4])                           # Thailand -> Thai
    if w.endswith("e"):
        out.add(w[:-1] + "ian")                   # Ukraine -> Ukrainian
    if w.endswith("o"):
        out.add(w + "an")                         # Mexico -> Mexican
    return out


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    from belie.model.places import _countries

    out: dict[str, str] = {}
    names = [c["name"] for c in _countries().countries.values()]
    for n in names:
        for adj in _derived(n):
            out.setdefault(adj, n)
            out.setdefault(adj + "s", n)          # "Italians"
    for keys, _words, state in _historic():
        for key in keys:
            for adj in _derived(key):
                out.setdefault(adj, state.name)
    for adj, n in IRREGULAR_DEMONYMS.items():
        out[adj] = n
    # an adjective that is also a country's own name is that country (Congo, Chad ...)
    for n in names:
        out.pop(normalize_name(n), None)
    return out


def demonym(word: str) -> str | None:
    """The state's name an adjective of nationality stands for ("Italian" -> "Italy";
    "Soviet" -> the USSR, as in "Soviet Union")."""
    k = normalize_name(word)
    got = _demonyms().get(k)
    if got is None and k and " " not in k:
        st = historic(k.rstrip("s") + " union")
        got = st.name if st is not None else None
    return got


_ABBREV = re.compile(r"^(?:[A-Z]\.){2,}$")


def state(name: str, gazetteer) -> State | None:
    """The state a name or an adjective stands for: a former state (ISO 3166-3) first, then
    a current one (the gazetteer's countries), through its adjective when it is one."""
    text = name.strip()
    if _ABBREV.match(text):
        text = text.replace(".", "")      # "U.S." -> "US"
    got = historic(text)
    if got is not None:
        return got
    adj = demonym(text)
    if adj is not None:
        got = historic(adj)
        if got is not None:
            return got
        text = adj
    try:
        hit = gazetteer.country(text)
    except Exception:
        hit = None
    if hit is None or hit.kind != "country":
        return None
    return State(hit.name, hit.country_code, None, True)
