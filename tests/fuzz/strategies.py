"""Hypothesis strategies that generate what a careless user or an attacker would hand belie.

Each strategy mixes the plausible (so that generated cases get past the loader and reach
the rules and every output) with the hostile: wrong types, nulls, unknown keys, odd
Unicode, long tokens, YAML tags, anchors and aliases, text edited byte by byte.
"""
from __future__ import annotations

import datetime as _dt

import yaml
from hypothesis import strategies as st

from belie.model.claims import (KEY_KIND, KIND_KEYS, MESSAGE_MEDIA, REGISTER_SCOPES, STANCES,
                                TRAVEL_MODES)
from belie.model.entities import ENTITY_TYPES
from belie.model.sources import SOURCE_KINDS

# -- text ------------------------------------------------------------------------------

ODD = ["", " ", "\t", "\u202e", "\u200b", "\ufeff", "é", "名", "🙂", "\x7f", "ǅ", "İ", "ß",
       "a" * 300, "[x]", "[/]", "{}", "*", "&", "!!", "%", "#", ":", "- ", "'", '"', "\\",
       "null", "yes", "no", "~", "1e400", "nan", "-0", "0x1f", "00", "1_000"]

words = st.sampled_from(["Lyon", "Paris", "Moscow", "the", "met", "in", "was", "Trotsky", "Berlin",
                         "said", "hotel", "Bristol", "1932", "Copenhagen", "train", "letter"])
odd = st.sampled_from(ODD)
short_text = st.one_of(st.text(max_size=12), odd,
                       st.lists(words, min_size=1, max_size=6).map(" ".join))
any_text = st.one_of(short_text, st.text(max_size=200),
                     st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True), short_text)
junk = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(short_text, inner, max_size=3)),
                    max_leaves=6)

# -- dates -----------------------------------------------------------------------------

MONTHS = ["january", "feb", "March", "apr.", "May", "june", "Jul", "august", "Sept", "oct",
          "November", "dec", "Spring", "summer", "autumn", "winter", "fall"]
PARTS = ["early", "mid", "late", "end of", "beginning of", "first days of", "last days of",
         "first half of", "second half of", "the end of", "middle of", "start of"]
LEADS = ["", "", "", "about ", "around ", "c. ", "probably ", "perhaps ", "until ", "before ",
         "after ", "since ", "from ", "by ", "not later than ", "not earlier than ", "in ",
         "on ", "during ", "the ", "up to ", "till "]
RELATIVE = ["the next day", "the very next day", "the day before", "that month", "next year",
            "a few days later", "the eve", "that day", "following week"]


@st.composite
def edtf(draw) -> str:
    y = draw(st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"),
                       st.sampled_from(["19XX", "193X", "XXXX", "99XX", "0000", "9999", "1X32",
                                        "-1932", "12345", "193"])))
    parts = [y]
    if draw(st.booleans()):
        parts.append(draw(st.one_of(st.integers(0, 25).map(lambda n: f"{n:02d}"),
                                    st.sampled_from(["XX", "1X", "X1", "21", "24"]))))
        if draw(st.booleans()):
            parts.append(draw(st.one_of(st.integers(0, 32).map(lambda n: f"{n:02d}"),
                                        st.sampled_from(["XX", "3X", "X5"]))))
    text = "-".join(parts) + draw(st.sampled_from(["", "", "~", "?", "%", "~?"]))
    return text


@st.composite
def prose_date(draw) -> str:
    day = draw(st.integers(0, 40))
    month = draw(st.sampled_from(MONTHS))
    year = draw(st.integers(1, 9999))
    form = draw(st.integers(0, 7))
    core = [f"{day} {month} {year}", f"{month} {day}, {year}", f"{month} {year}",
            f"{draw(st.sampled_from(PARTS))} {month} {year}", f"{draw(st.sampled_from(PARTS))} {year}",
            f"{year}", f"{year // 10}0s", f"{day}th of {month} {year}"][form]
    return draw(st.sampled_from(LEADS)) + core


@st.composite
def date_text(draw) -> str:
    """A date as a case file might give it: EDTF, prose, ranges, nesting, or noise."""
    one = st.one_of(edtf(), prose_date(), st.sampled_from(RELATIVE))
    kind = draw(st.integers(-3, 9))
    if kind < 0:
        return draw(good_date())
    if kind <= 3:
        return draw(one)
    if kind == 4:
        return f"{draw(one)}/{draw(one)}"
    if kind == 5:
        sep = draw(st.sampled_from([" to ", "-", " until ", " and ", "–", " till "]))
        lead = draw(st.sampled_from(["", "between ", "from "]))
        return f"{lead}{draw(one)}{sep}{draw(one)}"
    if kind == 6:
        return draw(st.sampled_from(LEADS)) * draw(st.integers(1, 12)) + draw(one)
    if kind == 7:
        return draw(st.sampled_from(["../", "", "../.."])) + draw(one) + draw(st.sampled_from(["/..", "", "/"]))
    return draw(any_text)


@st.composite
def good_date(draw) -> str:
    """A date belie reads: a day, month or year between 1900 and 1950, or an interval."""
    def one():
        y, m, d = draw(st.integers(1900, 1950)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
        return draw(st.sampled_from([f"{y}", f"{y}-{m:02d}", f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}~"]))
    a, b = one(), one()
    return draw(st.sampled_from([a, a, a, f"{min(a, b)}/{max(a, b)}", f"../{a}", f"{a}/.."]))


anchors = st.one_of(st.none(), st.dates(min_value=_dt.date(1, 1, 1), max_value=_dt.date(9999, 12, 31)))
calendars = st.sampled_from(["gregorian", "gregorian", "julian"])

# -- cases -----------------------------------------------------------------------------

KINDS = sorted(KEY_KIND)


@st.composite
def case_document(draw) -> dict:
    """A case.yaml as a mapping: mostly well formed, with hostile values mixed in."""
    n_people = draw(st.integers(1, 4))
    n_places = draw(st.integers(1, 4))
    people = [f"p{i}" for i in range(n_people)]
    places = [f"pl{i}" for i in range(n_places)]
    powers = ["pw0", "pw1"]
    sources = [f"s{i}" for i in range(draw(st.integers(1, 4)))]
    hostile = st.one_of(junk, odd, st.none())
    # Most cases are well formed, so that they reach the rules and the outputs; some carry
    # hostile values (nulls, wrong types, junk keys) here and there.
    bad = draw(st.sampled_from([0, 0, 0, 0, 0, 0, 3, 10, 25]))

    def chance(percent: float) -> bool:
        return draw(st.integers(0, 99)) < percent

    def maybe(strategy):
        return draw(hostile) if bad and chance(bad) else draw(strategy)

    def a_date():
        return draw(st.one_of(good_date(), date_text())) if bad else draw(good_date())

    entities = {}
    for pid in people:
        entities[pid] = {"type": maybe(st.just("person")), "names": maybe(st.lists(short_text, min_size=1, max_size=2))}
        if draw(st.booleans()):
            entities[pid]["lived"] = a_date()
    real_places = ["Lyon", "Paris", "Berlin", "Copenhagen", "Moscow", "Oslo", "Nowhere-upon-Sea"]
    for i, plid in enumerate(places):
        entities[plid] = {"type": "place", "names": [draw(st.sampled_from(real_places))]}
        if i and draw(st.booleans()):
            entities[plid]["within"] = maybe(st.sampled_from(places[:i]))
        if chance(20):
            entities[plid]["existed"] = a_date()
        if chance(20):
            entities[plid]["at"] = maybe(st.tuples(st.floats(-90, 90), st.floats(-180, 180)).map(list))
    for pw in powers:
        entities[pw] = {"type": maybe(st.sampled_from(["power", "organisation"])), "names": [pw.upper()]}
    if bad and chance(20):
        entities[draw(short_text)] = draw(junk)

    srcs = {}
    for sid in sources:
        spec = {"kind": maybe(st.sampled_from(SOURCE_KINDS))}
        if draw(st.booleans()):
            spec["said"] = a_date()
        if draw(st.booleans()):
            spec["speaker"] = maybe(st.sampled_from(people))
        if chance(15):
            spec["calendar"] = maybe(st.sampled_from(["julian", "gregorian"]))
        if bad and chance(10):
            spec["file"] = draw(st.sampled_from(["sources/a.txt", "../x.txt", "/etc/hostname", "s.txt", ""]))
        srcs[sid] = spec

    person, place = st.sampled_from(people), st.sampled_from(places)
    claims = []
    for i in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(KINDS))
        c: dict = {"source": maybe(st.sampled_from(sources))}
        if chance(70):
            c["id"] = maybe(st.just(f"c{i}"))
        if kind in ("presence", "travel", "existed"):
            c[kind] = maybe(person if kind != "existed" else st.sampled_from(places + people))
        elif kind in ("meeting", "message"):
            c[kind] = maybe(st.lists(person, min_size=2, max_size=3 if kind == "meeting" else 2))
        elif kind == "stance":
            c[kind] = maybe(st.lists(st.sampled_from(powers), min_size=2, max_size=2))
            c["is"] = maybe(st.sampled_from(STANCES))
        elif kind == "register":
            c[kind] = maybe(st.sampled_from(REGISTER_SCOPES))
            c["lists"] = maybe(st.lists(person, max_size=3))
        elif kind == "statement":
            c[kind] = maybe(any_text)
        else:   # accusation and its synonyms
            c[kind] = maybe(person)
            c["serving"] = maybe(st.sampled_from(powers))
        needed = {"presence": ("where",), "meeting": ("where",), "travel": ("to",), "register": ("at", "when"),
                  "accusation": ("serving",), "existed": ("during",)}.get(KEY_KIND[kind], ())
        for key in KIND_KEYS.get(KEY_KIND[kind], ()):
            if key in c or (key not in needed and chance(50)):
                continue
            if key == "throughout" and "when" in c:
                continue
            if key in ("where", "at", "from", "to"):
                c[key] = maybe(person if KEY_KIND[kind] == "register" and key in ("from", "to") else place)
            elif key in ("when", "throughout", "during"):
                c[key] = a_date()
            elif key == "by":
                c[key] = maybe(st.sampled_from(TRAVEL_MODES + MESSAGE_MEDIA))
            elif key == "about":
                c[key] = maybe(st.lists(person, max_size=2))
        if chance(20):
            c["quote"] = maybe(any_text)
        if chance(10):
            c["denies"] = maybe(st.booleans())
        if chance(10):
            c["event"] = maybe(st.sampled_from(["e1", "e2"]))
        if chance(10):
            c["note"] = maybe(any_text)
        if bad and chance(5):
            c[draw(short_text)] = draw(junk)
        claims.append(c)
    doc = {"case": maybe(short_text), "entities": entities, "sources": srcs, "claims": claims}
    if bad and chance(10):
        doc["settings"] = draw(junk)
    if bad and chance(5):
        doc[draw(short_text)] = draw(junk)
    return doc


TOKENS = ["!!float x", "!!int 1", "!!str", "!!binary aGk=", "!!set {a: null}", "&a", "*a", "*b",
          "<<: *a", ": ", "- ", "{", "}", "[", "]", ",", "\n", "\t", "  ", "#", "'", '"', "\\",
          "\x00", "\x07", "\ufeff", "\ud7ff", "---\n", "...\n", "? ", "|", ">", "%YAML 1.1\n", "\\uD800",
          "\"\\uD800\"", "!custom", "\u2028"]


@st.composite
def case_text(draw) -> str:
    """The text of a case.yaml: a dumped case, often edited by hand (badly)."""
    doc = draw(case_document())
    try:
        text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), sort_keys=False,
                              default_flow_style=draw(st.sampled_from([None, True, False])))
    except yaml.YAMLError:
        text = repr(doc)
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 0, 0, 1, 2, 5]))):
        if not text:
            break
        pos = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 2))
        if op == 0:
            text = text[:pos] + draw(st.sampled_from(TOKENS)) + text[pos:]
        elif op == 1:
            text = text[:pos] + text[pos + draw(st.integers(1, 20)):]
        else:
            text = text[:pos] + draw(st.text(max_size=3)) + text[pos + 1:]
    return text


def mutate(text: str, rng) -> str:
    """*text* edited as :func:`case_text` edits it, with a plain ``random.Random``: the long
    run makes many variants of each generated case this way, far faster than drawing each
    from hypothesis."""
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 5])):
        pos = rng.randint(0, len(text))
        op = rng.randint(0, 3)
        if op == 0:
            text = text[:pos] + rng.choice(TOKENS) + text[pos:]
        elif op == 1:
            text = text[:pos] + text[pos + rng.randint(1, 20):]
        elif op == 2:
            text = text[:pos] + rng.choice(ODD) + text[pos:]
        else:   # swap a value for another one found in the text
            words = text.split()
            if words:
                a, b = rng.choice(words), rng.choice(words)
                text = text.replace(a, b, 1)
    return text


# -- CSV sheets and documents ----------------------------------------------------------

COLUMNS = sorted(set(KEY_KIND) | {"id", "source", "quote", "denies", "note", "where", "when",
                                  "throughout", "from", "to", "by", "serving", "during", "is", "about",
                                  "lists", "at"}) + ["", "unknown", "Source", " id"]


@st.composite
def csv_text(draw) -> str:
    """A sheet of claims: usually a kind column, source and the keys of that kind, with
    cells that are ids, dates, lists or noise; sometimes any columns at all."""
    if draw(st.integers(0, 3)):
        kind = draw(st.sampled_from(KINDS))
        cols = ["source", kind] + draw(st.lists(st.sampled_from(list(KIND_KEYS.get(KEY_KIND[kind], ()))
                                                                + ["id", "quote", "note", "denies"]),
                                                max_size=4, unique=True))
    else:
        cols = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8))
    sep = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    cell = st.one_of(st.sampled_from(["p0", "p1", "s0", "pl0", "[p0, p1]", "p0; p1", "1932-11-25", "yes"]),
                     short_text, date_text(), st.sampled_from(["[a, b]", "[", "maybe", '"q""uote"', "\n"]))
    rows = [sep.join(cols)]
    for _ in range(draw(st.integers(0, 6))):
        n = len(cols) if draw(st.integers(0, 4)) else draw(st.integers(0, len(cols) + 2))
        rows.append(sep.join(draw(cell) for _ in range(n)))
    return draw(st.sampled_from(["\n", "\r\n"])).join(rows)


HTML_BITS = ["<p>", "</p>", "<title>", "</title>", "<br>", "<script>", "</script>", "<style>",
             "<!--", "-->", "<pre>", "</pre>", "<td>", "<tr>", "<meta charset=\"utf-16\">",
             "<meta charset=latin-1>", "<meta charset='x-unknown'>", "&amp;", "&#0;", "&#xD800;",
             "&nbsp;", "<", ">", "<a href='", "<![CDATA[", "<?xml ?>", "<!DOCTYPE html>", "# ", "\f"]


@st.composite
def document(draw) -> tuple[str, bytes]:
    """(suffix, bytes) of a source document: text, markdown or HTML, in several encodings."""
    suffix = draw(st.sampled_from([".txt", ".md", ".html", ".htm", ".markdown"]))
    parts = draw(st.lists(st.one_of(st.sampled_from(HTML_BITS), any_text, st.sampled_from(ODD)), max_size=20))
    text = "".join(parts)
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1", "cp1251", "utf-8-sig", "raw"]))
    if enc == "raw":
        return suffix, draw(st.binary(max_size=300))
    return suffix, text.encode(enc, errors="replace")
