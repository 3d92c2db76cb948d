"""Linking names in text to the case's entities, or proposing new ones.

The case's own entities come first: every name of every entity is matched token by
token, case- and accent-insensitively (``normalize_name``), longest match first,
whatever label spaCy gave the words -- so "Copenhagen" is the place of the case even
where spaCy says ORG, "Olberg" the person even where spaCy says GPE, and "G.P.U." the
organisation a case declares even where spaCy says PERSON.

What the case does not name is proposed as a new entity, typed from spaCy's label
corrected by the gazetteer (a town or a country is a place or a power; a person's
name -- of the case, or tagged PERSON anywhere in the source -- is never looked up as
a place) and by a few plain rules (an acronym with dots is an organisation, not a
person).  Powers are also read from leaders' names, demonyms and a few other names of
states (:mod:`belie.extract.lexicon`), the case's names always winning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from belie.extract import lexicon as lx
from belie.extract import verbclasses as vc
from functools import lru_cache

from belie.model.places import Gazetteer
from belie.model.places import normalize_name as _normalize_name

#: The same folding, memoised: a source asks for the same few hundred names thousands of
#: times (every mention is compared with every name proposed so far).
normalize_name = lru_cache(maxsize=65536)(_normalize_name)


@dataclass
class Mention:
    start: int            # token index in the doc (inclusive)
    end: int              # token index (exclusive)
    entity: str | None    # entity id (case or proposed); None when not resolved
    type: str | None      # person | place | power | organisation
    text: str
    label: str = ""       # spaCy's label, "" for a case-name match
    new: bool = False
    aliases: list = field(default_factory=list)   # "(PAFMECSA)" after the name


@dataclass
class NewEntity:
    id: str
    type: str
    names: list[str] = field(default_factory=list)
    label: str = ""       # spaCy's label that proposed it
    existed: str | None = None   # EDTF lifetime, for a former state (ISO 3166-3)

    def as_dict(self) -> dict:
        out = {"type": self.type, "names": list(self.names)}
        if self.existed:
            out["existed"] = self.existed
        return out


#: Things that move or can be in one place at a time (case file `type: object`), named in
#: text by an ordinal or a proper modifier: "the first plane", "a Gulfstream jet".
VEHICLE_NOUNS = frozenset("""plane aeroplane airplane aircraft jet helicopter drone ship boat
    vessel ferry yacht submarine train locomotive car van truck lorry bus launcher tank
    missile convoy""".split())
ORDINALS = frozenset("first second third fourth fifth sixth last other".split())

#: Nouns of persons that a name can be given to ("a man named X").
PERSON_NOUNS = frozenset("""man woman men women person people individual boy girl child son
    daughter friend operative agent officer official informant witness prisoner soldier
    student worker journalist lawyer doctor priest sister brother wife husband mother father
    uncle aunt cousin nephew niece fiancee fiancée widow comrade colleague""".split())

#: Endings of place-names in English and its neighbours (Groutville, Hamburg, Georgetown,
#: Stalingrad, Annapolis, Oxford, Sheffield, Newport, Middlesbrough, Canterbury, Birmingham).
_TOPONYM = re.compile(r"(?:ville|burg|bourg|borough|brough|bury|town|ton|stadt|grad|polis|"
                      r"ford|field|port|ham|heim|dorf|sk|ovo|evo)$", re.IGNORECASE)

_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}[A-Z]?\.?$|^[A-Z]{2,6}$")
_THE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_POSS = re.compile(r"(?:['’]s|['’])$")


def _initials(acronym: str, span) -> bool:
    """True when the letters of *acronym* are, in order, the initials of capitalised words
    of *span* (PAFMECSA: Pan African Freedom Movement East Central Southern Africa)."""
    initials = [t.text[0].upper() for t in span if t.is_alpha and t.text[:1].isupper()]
    i = 0
    for ch in initials:
        if i < len(acronym) and ch == acronym[i].upper():
            i += 1
    return i == len(acronym) and len(acronym) >= 2


def _key(text: str) -> str:
    k = normalize_name(text)
    return k if k else text


def slug(text: str) -> str:
    return normalize_name(text).replace(" ", "-") or "entity"


class Linker:
    """Names of one case, ready to be found in parsed sentences."""

    def __init__(self, case, tokenizer, gazetteer: Gazetteer | None = None):
        self.case = case
        self.gaz = gazetteer if gazetteer is not None else Gazetteer()
        self.entities = case.entities if case is not None else {}
        self.index: dict[tuple[str, ...], str] = {}
        self.first_keys: set[str] = set()    # the first word of every name, to skip the rest
        self.place_names: set[str] = set()   # names the text's form shows to be places
        self.lower_names: set[tuple[str, ...]] = set()
        self.maxlen = 1
        self.person_keys: set[str] = set()
        for eid, ent in self.entities.items():
            names = [n for n in ent.names if n] or [eid.replace("-", " ")]
            for name in names:
                toks = tuple(_key(t.text) for t in tokenizer(str(name)) if not t.is_space)
                if not toks:
                    continue
                # the first entity declared keeps a name two entities share
                self.index.setdefault(toks, eid)
                self.first_keys.add(toks[0])
                if not any(ch.isupper() for ch in str(name)):
                    self.lower_names.add(toks)   # "first plane": declared in lower case
                self.maxlen = max(self.maxlen, len(toks))
                if ent.type == "person":
                    self.person_keys.add(normalize_name(name))
        self.power_by_key: dict[str, str] = {}
        for eid, ent in self.entities.items():
            if ent.type == "power":
                for name in ent.names or [eid]:
                    self.power_by_key.setdefault(normalize_name(name), eid)
                self.power_by_key.setdefault(normalize_name(eid), eid)
        self.new: dict[str, NewEntity] = {}
        self.labels: dict[str, dict[str, int]] = {}   # folded name -> spaCy label -> count
        self._gaz_cache: dict[str, object] = {}
        self._state_cache: dict[str, object] = {}
        self._codes: dict[str, str] | None = None

    def dateline(self, text: str) -> None:
        """A news report's dateline ("KISMAYO, Somalia - ...", "PARIS (Reuters) -") names
        the place it was filed from: its name is a place's in this source, whatever
        spaCy's label (an all-capitals word alone is often tagged PERSON)."""
        m = lx.DATELINE_RX.match(text)
        if m is not None:
            self.place_names.add(normalize_name(m.group(1)))

    # -- labels seen across a source ---------------------------------------------------
    def observe(self, doc) -> None:
        """Count spaCy's labels of each name (a name tagged PERSON anywhere is a person's)."""
        for ent in doc.ents:
            name = self._clean(ent.text)
            if not name:
                continue
            k = normalize_name(name)
            d = self.labels.setdefault(k, {})
            d[ent.label_] = d.get(ent.label_, 0) + 1
            if ent.label_ == "PERSON":
                last = k.split(" ")[-1]
                if last != k:
                    d2 = self.labels.setdefault(last, {})
                    d2["PERSON"] = d2.get("PERSON", 0) + 1

    def is_person_name(self, name: str) -> bool:
        k = normalize_name(name)
        if k in self.place_names:
            return False
        if k in self.person_keys:
            return True
        # a name already proposed as a person's stays a person's in this source
        if any(ne.type == "person" and k in {normalize_name(n) for n in ne.names}
               for ne in self.new.values()):
            return True
        d = self.labels.get(k, {})
        return d.get("PERSON", 0) > 0 and d.get("PERSON", 0) >= max(d.values())

    # -- gazetteer -------------------------------------------------------------------
    def gazetteer(self, name: str):
        k = normalize_name(name)
        if k in self._gaz_cache:
            return self._gaz_cache[k]
        hit = None
        if not self.is_person_name(name):
            try:
                exclude = self.person_keys | {n for n, d in self.labels.items()
                                              if d.get("PERSON", 0) >= max(d.values())}
                hit = self.gaz.lookup(name, exclude=exclude)
            except Exception:      # no gazetteer data: nothing is located
                hit = None
        self._gaz_cache[k] = hit
        return hit

    # -- mentions in a parsed sentence -------------------------------------------------
    @staticmethod
    def _clean(text: str) -> str:
        text = _THE.sub("", text.strip().strip("“”\"'‘’()[],;:"))
        text = _POSS.sub("", text).strip()
        return " ".join(text.split())

    def case_matches(self, doc) -> list[Mention]:
        keys = [_key(t.text) for t in doc]
        out: list[Mention] = []
        i, n = 0, len(doc)
        while i < n:
            found = None
            if keys[i] not in self.first_keys:
                i += 1
                continue
            for L in range(min(self.maxlen, n - i), 0, -1):
                eid = self.index.get(tuple(keys[i:i + L]))
                if eid is None:
                    continue
                span = doc[i:i + L]
                # case-insensitive, but a lower-case common word is not a name -- unless the
                # case itself declares the name in lower case ("first plane")
                if not any(t.text[:1].isupper() for t in span if t.is_alpha) and \
                        any(t.is_alpha for t in span) and \
                        tuple(keys[i:i + L]) not in self.lower_names:
                    continue
                found = Mention(i, i + L, eid, self.entities[eid].type, span.text)
                break
            if found is not None:
                out.append(found)
                i = found.end
            else:
                i += 1
        return out

    def mentions(self, doc) -> list[Mention]:
        """Every entity mention of a parsed sentence: the case's names, then spaCy's
        entities it does not cover, typed and proposed as new entities."""
        found = self.case_matches(doc)
        taken = set()
        for m in found:
            taken.update(range(m.start, m.end))
        for ent in doc.ents:
            if any(i in taken for i in range(ent.start, ent.end)):
                continue
            if ent.label_ not in ("PERSON", "GPE", "LOC", "FAC", "ORG", "NORP"):
                continue
            m = self._new_mention(ent)
            if m is not None:
                found.append(m)
                taken.update(range(m.start, m.end))
        # proper nouns spaCy left out: a title before them makes them a person
        # ("Marshal Tukhachevsky"); a gazetteer hit a place or a power
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or \
                    tok.ent_type_ in ("DATE", "TIME", "ORDINAL", "CARDINAL"):
                i += 1
                continue
            j = i
            while j + 1 < n and j + 1 not in taken and doc[j + 1].pos_ == "PROPN" and \
                    doc[j + 1].text[:1].isupper():
                j += 1
            start = i
            titled = i > 0 and doc[i - 1].lower_.rstrip(".") in lx.TITLES
            while start <= j and doc[start].lower_.rstrip(".") in lx.TITLES:
                start, titled = start + 1, True
            if start <= j:
                name = self._clean(doc[start:j + 1].text)
                etype = None
                if titled or self.is_person_name(name):
                    etype = "person"
                elif name and len(name) > 2:
                    if self._state(name) is not None:
                        etype = "power"
                    elif self.gazetteer(name) is not None:
                        etype = "place"
                if etype is not None and name:
                    found.append(Mention(start, j + 1, None, etype, name, label="PROPN", new=True))
                    taken.update(range(start, j + 1))
            i = j + 1
        # things that move: "the first plane", "a second plane", "the Buk launcher"
        for tok in doc:
            if tok.i in taken or tok.pos_ != "NOUN" or lx.lemma_of(tok) not in VEHICLE_NOUNS \
                    or tok.tag_ == "NNS":          # "two jets" are not one thing
                continue
            mods = [c for c in tok.children if c.i < tok.i and c.i not in taken and (
                (c.dep_ == "amod" and c.lower_ in ORDINALS) or
                (c.dep_ in ("compound", "amod") and c.pos_ == "PROPN"))]
            if not mods:
                continue
            start = min(c.i for c in mods)
            name = " ".join([doc[i].text if doc[i].pos_ == "PROPN" else doc[i].lower_
                             for i in range(start, tok.i)] + [lx.lemma_of(tok)])
            found.append(Mention(start, tok.i + 1, None, "object", name, label="OBJECT",
                                 new=True))
            taken.update(range(start, tok.i + 1))
        # "the Pan African Freedom Movement ... (PAFMECSA)": the acronym is another name
        # -- also after the rest of a long name spaCy cut short ("... Movement for East,
        # Central, and Southern Africa (PAFMECSA)"), when the acronym's letters are the
        # initials of the capitalised words before it, in order
        for m in found:
            for j in range(m.end, min(m.end + 16, len(doc) - 2)):
                if doc[j].text == "(":
                    acr = doc[j + 1].text
                    if doc[j + 2].text == ")" and doc[j + 1].is_upper and len(acr) >= 2 and \
                            (j == m.end or _initials(acr, doc[m.start:j])):
                        m.aliases = [acr]
                    break
                if doc[j].is_sent_start or doc[j].text in (".", ";", ":", ")") or (
                        doc[j].is_alpha and doc[j].is_lower and
                        doc[j].lower_ not in ("of", "for", "and", "the", "in", "on", "de")):
                    break
        # "a man named 'Khallam'": a name given to a person is a person's
        for m in found:
            if m.new and m.type not in ("person",):
                root = doc[m.end - 1]
                h = root.head
                if root.dep_ in ("oprd", "attr", "dobj") and h.lower_ in ("named", "called") \
                        and h.head.lower_ in PERSON_NOUNS:
                    m.type = "person"
                # "her sister, Bronisława", "their son Kazimierz": a name beside a noun of
                # kinship or of a person is a person's
                elif root.dep_ in ("appos", "compound") and (
                        h.lower_ in PERSON_NOUNS or h.lower_ in vc.SERVICE_NOUNS):
                    m.type = "person"
                elif any(c.dep_ == "appos" and (c.lower_ in PERSON_NOUNS or
                                                c.lower_ in vc.SERVICE_NOUNS)
                         for c in root.children):
                    m.type = "person"
        found.sort(key=lambda m: m.start)
        return found

    def _new_mention(self, ent) -> Mention | None:
        start, end = ent.start, ent.end
        doc = ent.doc
        # drop leading titles and articles from the mention
        while start < end and (doc[start].lower_.rstrip(".") in lx.TITLES or
                               doc[start].lower_ in ("the", "a", "an")):
            start += 1
        while end > start and doc[end - 1].text in ("’s", "'s", "’", "'"):
            end -= 1
        if start >= end:
            return None
        text = doc[start:end].text
        name = self._clean(text)
        if not name or not any(ch.isalpha() for ch in name):
            return None
        etype = self.type_of(name, ent.label_, doc[start:end])
        if etype is None:
            return None
        return Mention(start, end, None, etype, name, label=ent.label_, new=True)

    def type_of(self, name: str, label: str, span=None) -> str | None:
        """The type of a name the case does not have, from spaCy's label, the source's other
        labels of the same name, the states of :mod:`belie.extract.powers` and the
        gazetteer.  A name tagged PERSON anywhere in the source is a person's (so an
        all-capitals "JONES" the text elsewhere calls Mr Jones is a person, not an
        acronym); a firm that shares its name with a town stays a firm (ORG) -- it is read
        as the town only where the sentence puts someone *in* or *at* it."""
        k = normalize_name(name)
        if k in self.place_names:
            return "power" if self._state(name) is not None else "place"
        titled = span is not None and span.start > 0 and \
            span.doc[span.start - 1].lower_.rstrip(".") in lx.TITLES
        if label == "PERSON" or titled or self.is_person_name(name):
            if label != "PERSON" and not titled and self._state(name) is not None:
                return "power"
            return "person"
        if label == "NORP":
            return "power" if self._state(name) is not None else "organisation"
        if _ACRONYM.match(name.replace(" ", "")):
            # a bare two-letter code is a state only where the parser read a place or a
            # nationality ("the US", "UK officials"), not any pair of capitals ("the
            # newspaper PM", "IT staff"): "U.S." with its dots always is
            if len(name.replace(" ", "")) == 2 and label not in ("GPE", "NORP", "LOC"):
                return "organisation"
            return "power" if self._state(name) is not None else "organisation"
        if label in ("GPE", "LOC", "FAC", "ORG"):
            if self._state(name) is not None:
                return "power"
            if label == "ORG":
                return "organisation"
            if label == "FAC":
                return "place"
            hit = self.gazetteer(name)
            if hit is not None:
                return "place"
            # a GPE that no gazetteer knows: a person where it stands beside persons or
            # where it acts (subject, apposition, object, possessor), else a place
            if span is not None and not name.isupper() and (
                    _beside_person(span, self) or span.root.dep_ in (
                    "nsubj", "nsubjpass", "appos", "poss")):
                return "person"
            return "place"
        if label == "PRODUCT":
            return "object"
        return None

    def _state(self, name: str):
        from belie.extract import powers

        k = normalize_name(name)
        if k in self._state_cache:
            return self._state_cache[k]
        got = None if self.is_person_name(name) else powers.state(self._clean(name), self.gaz)
        self._state_cache[k] = got
        return got

    # -- proposing new entities -----------------------------------------------------------
    def propose(self, m: Mention) -> str:
        """The entity id of a mention, registering it as a new entity when needed."""
        if m.entity is not None:
            return m.entity
        name = m.text
        etype = m.type or "organisation"
        if etype == "power":
            eid = self.power(name)
            if eid is not None:
                m.entity = eid
                return eid
        eid = self._register(name, etype, m.label)
        ne = self.new.get(eid)
        if ne is not None:
            for a in m.aliases:
                if a not in ne.names:
                    ne.names.append(a)
        m.entity = eid
        return eid

    def _register(self, name: str, etype: str, label: str = "") -> str:
        k = normalize_name(name)
        # "Leon Sedov" and "Sedov": one new person
        if etype == "person":
            last = k.split(" ")[-1]
            for ne in self.new.values():
                if ne.type != "person":
                    continue
                keys = {normalize_name(n) for n in ne.names}
                lasts = {x.split(" ")[-1] for x in keys}
                if k in keys or last in lasts:
                    if name not in ne.names:
                        ne.names.append(name)
                    return ne.id
            base = slug(name.split()[-1]) if len(name.split()) > 1 else slug(name)
        else:
            for ne in self.new.values():
                if ne.type == etype and k in {normalize_name(n) for n in ne.names}:
                    return ne.id
            base = slug(name)
        eid, n = base, 2
        while eid in self.entities or (eid in self.new and self.new[eid].type != etype):
            eid, n = f"{base}-{n}", n + 1
        if eid in self.new:
            if name not in self.new[eid].names:
                self.new[eid].names.append(name)
            return eid
        self.new[eid] = NewEntity(eid, etype, [name], label)
        return eid

    def entity_type(self, eid: str | None) -> str | None:
        if eid is None:
            return None
        if eid in self.entities:
            return self.entities[eid].type
        if eid in self.new:
            return self.new[eid].type
        return None

    # -- powers -----------------------------------------------------------------------------
    def power(self, name: str) -> str | None:
        """The power a name or an adjective stands for: a power of the case by its names,
        else the state of :mod:`belie.extract.powers` -- the case's power for that state when
        it has one (matched by ISO code: "Great Britain" is the case's "Britain"), else a new
        power, with its lifetime when it is a former state.  None when no state is named."""
        k = normalize_name(self._clean(name))
        if not k:
            return None
        if k in self.power_by_key:
            return self.power_by_key[k]
        st = self._state(name)
        if st is None:
            return None
        for eid, code in self._case_codes().items():
            if code == st.code:
                return eid
        eid = self._register(st.name, "power")
        if st.ended and eid in self.new:
            self.new[eid].existed = f"../{st.ended}"
        return eid

    def _case_codes(self) -> dict[str, str]:
        """ISO code of each power of the case, read from its names (cached)."""
        if self._codes is None:
            self._codes = {}
            for eid, ent in self.entities.items():
                if ent.type != "power":
                    continue
                for n in list(ent.names or []) + [eid]:
                    st = self._state(n)
                    if st is not None:
                        self._codes[eid] = st.code
                        break
        return self._codes

    def as_place(self, eid: str) -> str | None:
        """A country named where a place is wanted ("arrived in Burundi") is the country
        as a place: the case's place of that name, else a new place."""
        ent = self.entities.get(eid) or self.new.get(eid)
        if ent is None:
            return None
        names = [n for n in (ent.names or []) if n] or [eid.replace("-", " ")]
        keys = {normalize_name(n) for n in names}
        for pid, pe in self.entities.items():
            if pe.type == "place" and keys & {normalize_name(n) for n in pe.names or []}:
                return pid
        return self._register(names[0], "place", "country")

    def unknown_place_as_person(self, eid: str) -> str | None:
        """A one-word name spaCy took for a place, standing where only a person can stand
        ("the declarations of Litvinov at Geneva"): a person."""
        ne = self.new.get(eid)
        if ne is None or ne.type != "place" or ne.label not in ("GPE", "LOC", "PROPN"):
            return None
        # a town of that name (Litvínov) does not stop a single surname-like word being
        # the person the slot wants; a longer name the gazetteer knows stays a place
        if len(ne.names[0].split()) > 1 and self.gazetteer(ne.names[0]) is not None:
            return None
        pid = self._register(ne.names[0], "person", ne.label)
        return pid

    def person_as_place(self, eid: str) -> str | None:
        """A name spaCy took for a person's, where only a place can stand ("drove to
        Groutville"): a place when the gazetteer knows it as a town or its form is a
        place-name's (-ville, -burg, -town ...).  Never a person the case declares."""
        ne = self.new.get(eid)
        if ne is None or ne.type != "person" or self.is_person_name(ne.names[0]) and \
                ne.label != "PERSON":
            return None
        name = ne.names[0]
        if not (_TOPONYM.search(name) or self.gazetteer(name) is not None):
            return None
        return self._register(name, "place", "PERSON-slot")

    def place_as_power(self, eid: str) -> str | None:
        """A territory named where a ruler's office is ("Governor of British Guiana",
        "President of Jubaland"): the polity, a power -- the state of that name when there
        is one, else a new power of the place's name (a province, a colony, a region)."""
        ent = self.entities.get(eid) or self.new.get(eid)
        if ent is None or self.entity_type(eid) != "place":
            return None
        names = [n for n in (ent.names or []) if n] or [eid.replace("-", " ")]
        return self.power(names[0]) or self._register(names[0], "power", "polity")

    def org_as_place(self, eid: str) -> str | None:
        """A new organisation named where a place is wanted ("trained at Sawyer Aviation",
        "went to Nokia"): the place of that name -- the site of the firm, or the town the
        gazetteer knows by that name.  Never an organisation the case declares."""
        ne = self.new.get(eid)
        if ne is None or ne.type != "organisation" or ne.label not in ("ORG", "FAC", "PROPN"):
            return None
        return self._register(ne.names[0], "place", "site")


def _beside_person(span, linker: Linker) -> bool:
    """True when a conjunct or apposition of the span's head is tagged PERSON."""
    head = span.root
    near = list(head.conjuncts)
    if head.dep_ == "appos":
        near.append(head.head)
    near += [c for c in head.children if c.dep_ == "appos"]
    for t in near:
        if t.ent_type_ == "PERSON" or linker.is_person_name(t.text):
            return True
    return False
