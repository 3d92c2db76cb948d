"""The resolver of parties, grammar helpers, and the finders of accusation, existence and
stance over spaCy's dependency parse.

Presence, travel, meeting and message claims are read by :mod:`belie.extract.events`
from predicates classified by :mod:`belie.extract.verbclasses`.  This module holds what
they share: :class:`Resolver` (a token -> the entity it stands for: a name of the case or a
new entity, a pronoun, a description, a group; coreference bounded by quotation marks),
the grammar helpers (``subject`` climbing clause chains, ``preps``, ``negated``,
``is_passive``), and the finders of the remaining kinds: accusations (nouns of service,
alliance, selling, serving; the holder through apposition, title, copula or naming),
existence and stance.  ``reporter`` finds who says a claim.

Nothing here knows the seed texts or the development set: the rules are those of English
grammar (docs/extract.md says how they were evaluated).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from belie.extract import lexicon as lx
from belie.extract import verbclasses as vc

SUBJ = ("nsubj", "nsubjpass", "csubj")
NEG_WORDS = {"not", "never", "n't", "no", "neither", "nor"}
REL_PRONOUNS = {"who", "which", "that", "whom"}


@dataclass
class Found:
    """One claim read from a sentence, before it is written out."""

    kind: str
    fields: dict
    trigger: object              # the spaCy token the claim hangs on
    denies: bool = False
    confidence: float = 0.7
    date_role: str = "when"      # when | during | existed
    date_text: str | None = None
    date_edtf: str | None = None # set by patterns that compute the interval themselves
    notes: list = field(default_factory=list)


# --------------------------------------------------------------------------- the resolver


class Resolver:
    """Turns tokens of one parsed sentence into entity ids, with the sentence's context.

    Coreference is rule-based and respects quotations: a pronoun outside quotation marks
    points to the last person named outside them (in this sentence, else before it); a
    pronoun inside a quotation points only to a person named inside the same quotation, and
    *I*/*me* there is whoever the sentence says is speaking ("he wrote her, 'I ...'").
    *They*, *the three*, *the pair* point to the last group named together ("Hazmi and
    Mihdhar"); *the officer*, *the chief* to the person an earlier apposition or title
    described so ("Norman Surface, a police narcotics officer"; "Chief Luthuli").
    """

    def __init__(self, doc, mentions, linker, ctx):
        self.doc = doc
        self.linker = linker
        self.ctx = ctx
        self.mentions = mentions
        self.by_token = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.by_token[i] = m
        self.used_anaphora = False
        self.negated_powers: set = set()
        self.quote_of = quote_spans(doc)
        self.resolved_subjects: list = []

    # -- entities ----------------------------------------------------------------------
    def mention(self, tok):
        return self.by_token.get(tok.i)

    def entity(self, tok, depth: int = 0):
        """Entity id of the party a token stands for, or None."""
        got = self.entities(tok, depth=depth, conjuncts=False)
        return got[0] if got else None

    def _one(self, tok, depth: int = 0) -> list:
        if tok is None or depth > 4:
            return []
        m = self.by_token.get(tok.i)
        if m is not None:
            if m.new and m.type == "organisation":
                # "the deputy People's Commissar for Transport, Livshitz": the person
                # named in apposition, not the office
                for i in range(m.start, m.end):
                    for c in self.doc[i].children:
                        if c.dep_ == "appos" and c.i not in range(m.start, m.end):
                            got = self.entity(c, depth + 1)
                            if got is not None and self.linker.entity_type(got) == "person":
                                return [got]
            return [self.linker.propose(m)]
        low = tok.lower_
        q = self.quote_of.get(tok.i)
        if low in ("i", "me", "my", "myself", "mine"):
            if q is not None and self.ctx.quote_speaker_in is not None:
                return [self.ctx.quote_speaker_in] if self.ctx.quote_speaker_in else []
            return [self.ctx.first_person] if self.ctx.first_person else []
        if low in ("she", "her") and tok.dep_ in ("nsubj", "nsubjpass", "poss") and \
                getattr(self.ctx, "subject_thing", None) is not None and \
                not any(self.linker.entity_type(self.linker.propose(m)) == "person"
                        for m in self.mentions if m.end <= tok.i):
            # English calls a ship "she": the thing the sentence before was about, when no
            # person has been named in this sentence before the pronoun
            self.used_anaphora = True
            return [self.ctx.subject_thing]
        if low in ("he", "him", "his", "himself", "she", "her", "herself"):
            got = self.last_person_before(tok)
            if got is not None:
                self.used_anaphora = True
            return [got] if got is not None else []
        if low in ("they", "them", "their", "themselves", "both") or (
                low in GROUP_WORDS and any(c.lower_ == "the" for c in tok.children)):
            group = self.group_before(tok)
            if group:
                self.used_anaphora = True
            return list(group)
        if low in ("it", "its") and tok.dep_ in ("nsubj", "nsubjpass", "poss") and \
                self.ctx.last_object is not None:
            self.used_anaphora = True
            return [self.ctx.last_object]
        if low == "country" and any(c.lower_ in ("the", "that") for c in tok.children) and \
                not any(c.dep_ == "prep" for c in tok.children):
            # "left the country": the state last named -- in this sentence first ("X, an
            # editor in Saudi Arabia, left the country"), else before it
            self.used_anaphora = True
            for m in reversed(self.mentions):
                if m.end <= tok.i and self.quote_of.get(m.start) == self.quote_of.get(tok.i):
                    eid = self.linker.propose(m)
                    etype = self.linker.entity_type(eid)
                    if etype == "power" or (etype == "place" and
                                            self.linker.power(m.text) is not None):
                        return [eid]
            last = getattr(self.ctx, "last_country", None)
            return [last] if last is not None else []
        if low == "there":
            if self.ctx.last_place is not None:
                self.used_anaphora = True
                return [self.ctx.last_place]
            return []
        if low in REL_PRONOUNS and tok.dep_ in SUBJ + ("dobj", "pobj") and tok.head.dep_ == "relcl":
            return self.entities(tok.head.head, depth=depth + 1)
        # "my son", "his brother": an alias set by an earlier apposition
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss and tok.pos_ in ("NOUN",):
            key = (poss[0].lower_, lemma(tok))
            got = self.ctx.aliases.get(key)
            if got is not None:
                self.used_anaphora = True
                return [got]
        # "Dudnik, a Ukrainian citizen who lived in Izmail": a common noun in apposition to a
        # name stands for it
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i != tok.i and \
                tok.head.i in self.by_token and depth < 3:
            got = self.entity(tok.head, depth + 1)
            if got is not None:
                return [got]
        # "a TASS correspondent, Vladimir Romm"; "the chief guardian of state security, Yagoda"
        for c in tok.children:
            if c.dep_ == "appos":
                got = self.entity(c, depth + 1)
                if got is not None:
                    return [got]
        # "the President of Jubaland, Ahmed Madobe": the parser hangs the name on the object
        # of *of*; a title so followed stands for that person
        if tok.pos_ in ("NOUN", "PROPN") and (tok.lower_ in vc.SERVICE_NOUNS or
                                              tok.lower_ in vc.RULER_NOUNS):
            for _p, o in preps(tok, {"of"}):
                for c in o.children:
                    if c.dep_ == "appos" and c.i in self.by_token:
                        got = self.entity(c, depth + 1)
                        if got is not None and self.linker.entity_type(got) == "person":
                            return [got]
        # "a man named Mohdar Abdullah", "an operative called Issa"
        named = named_by(tok)
        if named is not None:
            got = self.entity(named, depth + 1)
            if got is not None:
                return [got]
        # "the officer", "the chief": the person an earlier apposition or title so described
        if tok.pos_ == "NOUN" and any(c.lower_ in ("the", "this", "that") for c in tok.children):
            got = self.ctx.descriptions.get(lemma(tok))
            if got is not None:
                self.used_anaphora = True
                return [got]
        # "the government", "the only government which ...": the subject of its copula
        if tok.dep_ == "attr" and tok.pos_ == "NOUN":
            s = subject(tok.head)
            if s is not None and s.i != tok.i:
                return self._one(s, depth + 1)
        # a name in compound position ("Marshal Tukhachevsky" parsed the other way round)
        for c in tok.children:
            if c.dep_ in ("compound", "flat") and c.i in self.by_token:
                got = self.linker.propose(self.by_token[c.i])
                # "the Moscow press" is not Moscow
                if self.linker.entity_type(got) in ("person", "organisation"):
                    return [got]
        return []

    def last_person_before(self, tok):
        """The person a pronoun points to.

        Candidates, nearest first: persons named earlier in the sentence on the same side
        of any quotation marks (for a subject pronoun only subjects, or a subject pronoun
        already resolved: "On Friday he met X, and on Sunday he met Y" is one *he*), then
        the persons of the sentences before, the subject each made salient first.  The
        first candidate whose gender does not contradict the pronoun's wins; a person's
        gender is learnt from a title (Mr, Mrs), a noun in apposition (sister, husband)
        or a pronoun that already pointed to them.
        """
        q = self.quote_of.get(tok.i)
        low = tok.lower_
        want = "f" if low in ("she", "her", "hers", "herself") else (
            "m" if low in ("he", "him", "his", "himself") else None)
        is_subj = tok.dep_ in ("nsubj", "nsubjpass")
        cands = []
        for m in self.mentions:
            if m.end <= tok.i and self.quote_of.get(m.start) == q and \
                    self.linker.entity_type(self.linker.propose(m)) == "person":
                if is_subj and not any(self.doc[i].dep_ in ("nsubj", "nsubjpass") or (
                        self.doc[i].dep_ in ("conj", "appos") and self.doc[i].head.dep_ in (
                            "nsubj", "nsubjpass")) for i in range(m.start, m.end)):
                    # ("A former crew member, Oleg Dudnik, said that he ...": the name in
                    # apposition to a subject is a subject)
                    continue
                cands.append(m.entity)
        if is_subj:
            cands += [eid for i, eid in self.resolved_subjects
                      if i < tok.i and self.quote_of.get(i) == q]
        cands = list(reversed(cands))
        # "Hargreave had written to him": an object pronoun that is not reflexive is never
        # the subject of its own clause (binding principle B)
        banned = None
        if not is_subj and low in ("him", "her", "them") and tok.dep_ in ("dobj", "pobj",
                                                                          "dative"):
            v = clause_verb(tok)
            s = subject(v) if v is not None else None
            if s is not None and s.i != tok.i and s.i in self.by_token:
                banned = self.linker.propose(self.by_token[s.i])
        if banned is not None:
            cands = [c for c in cands if c != banned]
        if q is None:
            # the persons of this paragraph first: a new paragraph's "He arrived" points to
            # the man its first sentence named, not to the subject of the paragraph before
            before = []
            if is_subj:
                before += list(reversed(self.ctx.subjects))
            before += list(reversed(self.ctx.recent))
            here = [e for e in before if self.ctx.named_in.get(e) == self.ctx.para]
            cands += here + [e for e in before if e not in here]
        for eid in cands:
            if eid == banned:
                continue
            g = self.ctx.gender.get(eid)
            if want is not None and g is not None and g != want:
                continue
            if want is not None and g is None:
                self.ctx.gender[eid] = want
            if is_subj:
                self.resolved_subjects.append((tok.i, eid))
            return eid
        return None

    def group_before(self, tok) -> list:
        """The last group of persons or things named together before *tok*; "the three":
        the last three persons named."""
        q = self.quote_of.get(tok.i)
        n = NUMBER_WORDS.get(tok.lower_)
        if n is not None:
            seen = []
            for m in self.mentions:
                if m.end <= tok.i and self.quote_of.get(m.start) == q:
                    eid = self.linker.propose(m)
                    if self.linker.entity_type(eid) in ("person", "object"):
                        if eid in seen:
                            seen.remove(eid)
                        seen.append(eid)
            if len(seen) >= n:
                return seen[-n:]
        for t in reversed(self.doc[:tok.i]):
            if self.quote_of.get(t.i) != q or not t.conjuncts or t.i not in self.by_token:
                continue
            group = []
            for c in expand(t):
                got = self.entity(c) if c.i in self.by_token else None
                if got is not None and self.linker.entity_type(got) in ("person", "object"):
                    group.append(got)
            if len(group) >= 2:
                return group
        return list(self.ctx.last_group) if q is None else []

    def entities(self, tok, types=None, depth: int = 0, conjuncts: bool = True):
        """Entity ids of a token and its conjuncts ("Smirnov and Goltzman")."""
        out = []
        if tok is None:
            return out
        for t in (expand(tok) if conjuncts else [tok]):
            for eid in self._one(t, depth):
                if eid is None:
                    continue
                if types is not None and self.linker.entity_type(eid) not in types:
                    # a country (a power) where a place is wanted is the country as a place
                    etype = self.linker.entity_type(eid)
                    if tuple(types) == ("place",) and etype == "power":
                        eid = self.linker.as_place(eid)
                    elif tuple(types) == ("place",) and etype == "organisation":
                        eid = self.linker.org_as_place(eid)
                    elif tuple(types) == ("place",) and etype == "person":
                        eid = self.linker.person_as_place(eid)
                    elif "person" in types and etype == "place" and \
                            t.lower_ not in ("there", "here", "where"):
                        # (a place reached through *there* is a place, never a person)
                        eid = self.linker.unknown_place_as_person(eid)
                    else:
                        eid = None
                    if eid is None:
                        continue
                if eid not in out:
                    out.append(eid)
        return out

    # -- powers ------------------------------------------------------------------------
    def power(self, tok):
        """The power (or organisation) a token names: a power or organisation of the case or
        a new one, a demonym ("British imperialism", "an Italian ambassador"), "X's
        government", the speaker's own ("our") -- or None."""
        if tok is None:
            return None
        low = tok.lower_
        if low in ("our", "we", "us"):
            return self.ctx.first_person_power
        m = self.by_token.get(tok.i)
        if m is not None:
            eid = self.linker.propose(m)
            etype = self.linker.entity_type(eid)
            # "Daladier's government": the possessor of a government is its head, a person
            # whatever label spaCy gave the name
            if etype == "organisation" and m.new and tok.dep_ == "poss" and \
                    lemma(tok.head) in GOVERNMENT_NOUNS:
                etype = "person"
            if etype == "person":
                # allied with a person: with the power the text says that person leads
                got = self.ctx.served.get(eid)
                return got if got is not None and \
                    self.linker.entity_type(got) == "power" else None
            if etype in ("power", "organisation"):
                return eid
            got = self.linker.power(m.text)
            if got is not None:
                return got
            return None
        # the word itself: "Germans", "Soviet"
        got = self._word_power(tok)
        if got is not None:
            return got
        # modifiers: "British imperialism", "Daladier's government", "German fascism"
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                got = self._word_power(c) if c.i not in self.by_token else self.power(c)
                if got is not None:
                    return got
        # "the ruling party, the CNDD-FDD": an apposition names it
        for c in tok.children:
            if c.dep_ == "appos":
                got = self.power(c)
                if got is not None:
                    return got
        return None

    def _word_power(self, tok):
        if tok.pos_ in ("ADJ", "PROPN", "NOUN") and tok.text[:1].isupper():
            if len(tok.text) == 2 and tok.text.isupper() and tok.ent_type_ not in (
                    "GPE", "NORP", "LOC"):
                return None      # "the newspaper PM": a pair of capitals is not a state code
            return self.linker.power(tok.text)
        return None

    def powers(self, tok):
        out = []
        for t in expand(tok):
            got = self.power(t)
            if got is None:
                continue
            if got not in out:
                out.append(got)
                # "with the French bourgeoisie and not German fascism"
                if negated(t) or any(self.doc[j].lower_ == "not"
                                     for j in range(max(0, t.i - 2), t.i)):
                    self.negated_powers.add(got)
        return out


#: Nouns of a state's executive: "X's government" is a power only through X.
GOVERNMENT_NOUNS = frozenset({"government", "regime", "cabinet", "administration", "ministry"})

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "pair": 2, "couple": 2, "trio": 3}

#: Verbs whose object is the subject of their infinitive ("KSM sent an operative to visit
#: Hambali": the operative visits), the object-control verbs of English grammar.
OBJECT_CONTROL = frozenset("send order ask tell instruct invite allow permit persuade urge "
                           "force help dispatch direct bring take summon".split())


def named_by(tok):
    """The name a common noun is given: "a man named X", "an operative called X"."""
    for c in tok.children:
        if c.dep_ == "acl" and c.lower_ in ("named", "called", "known"):
            for o in c.children:
                if o.dep_ in ("oprd", "attr", "dobj", "xcomp"):
                    return o
            for o in c.children:
                if o.dep_ == "prep" and o.lower_ == "as":
                    for oo in o.children:
                        if oo.dep_ == "pobj":
                            return oo
    return None


#: Nouns that stand for a group named before ("the three went to ...").
GROUP_WORDS = frozenset({"two", "three", "four", "pair", "couple", "trio", "men", "women",
                         "brothers", "sisters", "group"})

_OPEN_Q = {"“", "«", "‘"}
_CLOSE_Q = {"”", "»", "’"}


def quote_spans(doc) -> dict:
    """Token index -> the index of the quotation it is inside (None outside)."""
    out: dict = {}
    depth, current, n = 0, None, 0
    for tok in doc:
        t = tok.text
        if t in _OPEN_Q or (t in ('"', "``") and depth == 0):
            depth, current = 1, n
            n += 1
            continue
        if t in _CLOSE_Q or (t in ('"', "''") and depth == 1):
            depth, current = 0, None
            continue
        if current is not None:
            out[tok.i] = current
    return out


# --------------------------------------------------------------------------- grammar helpers


def expand(tok):
    """The token and its conjuncts."""
    out = [tok]
    for c in tok.conjuncts:
        if c not in out:
            out.append(c)
    return sorted(out, key=lambda t: t.i)


def subject(verb, depth: int = 0):
    """The subject of a verb, climbing through xcomp, conj and auxiliary chains."""
    if verb is None or depth > 5:
        return None
    subs = [c for c in verb.children if c.dep_ in SUBJ]
    if subs:
        # two subjects is a parse error ("before the trials Trotsky was accused"): the one
        # nearest before the verb
        before = [c for c in subs if c.i < verb.i]
        return before[-1] if before else subs[0]
    to_inf = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    # "KSM sent an operative to visit Hambali": the object of an object-control verb
    if verb.dep_ in ("xcomp", "advcl", "ccomp") and to_inf and verb.head.i != verb.i and \
            lemma(verb.head) in OBJECT_CONTROL:
        objs = [c for c in verb.head.children if c.dep_ in ("dobj", "dative")]
        if objs:
            return objs[0]
        if is_passive(verb.head):
            s = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
            if s:
                return s[0]
    if verb.dep_ == "pcomp" and verb.head.pos_ == "ADP" and verb.head.head.i != verb.head.i:
        # "before moving on to San Diego": the subject of the clause the preposition is in
        return subject(verb.head.head, depth + 1)
    if verb.dep_ in ("xcomp", "conj", "pcomp") and verb.head.i != verb.i:
        return subject(verb.head, depth + 1)
    # "X left Otago on Tuesday, arrived at Lyttelton on Wednesday, and left again": the
    # parser leaves the middle of a list of finite verbs unlabelled (``dep``); a finite verb
    # after a comma with no subject of its own is a conjunct of the verb before it
    if verb.dep_ == "dep" and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.head.i < verb.i and \
            verb.head.pos_ in ("VERB", "AUX") and verb.i > 0 and verb.doc[verb.i - 1].text == ",":
        return subject(verb.head, depth + 1)
    # "was last seen on Oct. 2 entering the consulate": a participle adjunct shares the
    # subject of its clause
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.head.i != verb.i and \
            not any(c.dep_ == "mark" for c in verb.children):
        return subject(verb.head, depth + 1)
    # "Pravda devoted a page to prove that ...": an infinitive of purpose shares the subject
    if verb.dep_ == "advcl" and to_inf:
        return subject(verb.head, depth + 1)
    return None


def is_passive(verb) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    # "was detained at the airport and deported to X": a bare participle coordinated with a
    # passive verb shares its voice
    return verb.dep_ == "conj" and verb.tag_ in ("VBN", "VBD") and verb.head.i != verb.i and \
        not any(c.dep_ in SUBJ + ("aux",) for c in verb.children) and \
        any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.head.children)


def negated(tok) -> bool:
    """A ``neg`` child (not, never, n't) or *no*/*never* before it."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in ("no", "never")):
            return True
    return False


def clause_verb(tok):
    """The verb whose clause holds the token."""
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return t
        t = t.head
    return t


def preps(tok, words):
    """Objects of the token's prepositions among *words* (a set), as (prep, object)."""
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in words:
            for o in c.children:
                if o.dep_ in ("pobj", "pcomp"):
                    out.append((c.lower_, o))
    return out


def lemma(tok) -> str:
    return lx.lemma_of(tok)


# --------------------------------------------------------------------------- the finders


PARTY = ("person", "organisation")
PLACE = ("place",)


def holder(tok, r: Resolver, depth: int = 0):
    """Who is the agent / ally / party the trigger noun describes."""
    t = tok
    for step in range(8):
        if step == 0:
            # "his assistant commander, Captain Momir Nikolić": the name in apposition;
            # "Finance Minister Abdirahman Dualle Beileh": the name the title is part of
            for c in t.children:
                if c.dep_ == "appos":
                    got = r.entity(c)
                    if got is not None and r.linker.entity_type(got) in PARTY:
                        return got
            nm = named_by(t)
            if nm is not None:
                got = r.entity(nm)
                if got is not None and r.linker.entity_type(got) in PARTY:
                    return got
            if t.dep_ == "compound" and r.mention(t.head) is not None:
                got = r.entity(t.head)
                if got is not None and r.linker.entity_type(got) == "person":
                    return got
            # "David Astor, the editor of The Observer, Hugh Gaitskell, ...": a role in
            # apposition to a person is that person's, whatever follows it
            if t.dep_ == "appos" and r.mention(t.head) is not None:
                got = r.entity(t.head)
                if got is not None and r.linker.entity_type(got) == "person":
                    return got
            # "the prosecutor of the ICC, Fatou Bensouda" parsed with the name as the
            # object's apposition
            for _p, o in preps(t, {"of"}):
                for c in o.children:
                    if c.dep_ == "appos":
                        got = r.entity(c)
                        if got is not None and r.linker.entity_type(got) == "person":
                            return got
        for c in t.children:
            if c.dep_ == "poss" and step > 0:
                return r.entity(c)
        dep = t.dep_
        if dep == "appos":
            return r.entity(t.head)
        if dep in ("attr", "oprd", "acomp"):
            s = subject(t.head)
            if s is not None:
                return r.entity(s)
            t = t.head
            continue
        if dep == "dobj":
            # "depicted me a British agent": the other object of the verb
            for c in t.head.children:
                if c.dep_ in ("dative", "dobj") and c.i != t.i:
                    return r.entity(c)
            return None
        if dep == "pobj":
            p = t.head
            if p.lower_ in ("including", "like", "among", "with", "between"):
                return None       # "met dignitaries including Ambassador X": not the subject
            if p.lower_ == "as":
                v = p.head
                for c in v.children:
                    if c.dep_ in ("dobj", "dative"):
                        return r.entity(c)
                s = subject(v)
                return r.entity(s) if s is not None and is_passive(v) else None
            if p.lower_ in ("by", "to", "from") and p.head.pos_ in ("VERB", "AUX"):
                # "was visited in London by officials of the NIS", "passed papers to an
                # officer of X", "heard from an agent of Y": the role is that of another
                # participant, not of the verb's subject
                return None
            t = p.head
            continue
        if t.pos_ in ("VERB", "AUX"):
            s = subject(t)
            if s is not None:
                return r.entity(s)
            got = left_party(t, r)
            if got is not None:
                return got
        if t.head.i == t.i:
            return None
        t = t.head
    return None


_SKIP_LEFT = {"was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "again",
              "also", "not", "never", "then", "later", "soon", "thus", "so", "too", ",", "–", "—",
              "already", "subsequently", "once", "repeatedly", "all"}


def left_party(verb, r: Resolver):
    """A subject the parser lost ("... and the Trotskyists were again, accused of ..."): the
    party named just before the verb, across auxiliaries, adverbs and commas only."""
    i = verb.i - 1
    doc = verb.doc
    while i >= 0 and doc[i].lower_ in _SKIP_LEFT:
        i -= 1
    if i < 0 or i == verb.i - 1:
        return None
    got = r.entity(doc[i])
    if got is not None and r.linker.entity_type(got) in PARTY:
        return got
    return None


def find_accusations(doc, r: Resolver) -> list[Found]:
    out = []

    def add(accused, powers, trig, conf, neg=False):
        if accused is None or r.linker.entity_type(accused) not in PARTY:
            return
        for p in powers:
            if p == accused:
                continue
            out.append(Found("accusation", {"accuses": accused, "serving": p}, trig,
                             denies=neg or p in r.negated_powers, confidence=conf,
                             date_role="during"))

    for tok in doc:
        low = tok.lower_
        lem = lemma(tok)
        vocation = tok.pos_ == "NOUN" and low in vc.VOCATION_NOUNS
        ruler = low in vc.RULER_NOUNS
        if tok.pos_ in ("NOUN", "PROPN") and (low in vc.SERVICE_NOUNS or vocation):
            powers = []
            for _p, o in preps(tok, {"of", "for"}):
                powers += r.powers(o)
            # "a clerk with the Nigerian Railway Corporation", "an officer with the Ukrainian
            # army": *with* names an employer only when it is an organisation or a state
            # named as such (not a person: "the minister with Putin")
            for _p, o in preps(tok, {"with"}):
                # "with the firm Continental Legal": the name in apposition to a common noun
                named = expand(o) + [c for c in o.children if c.dep_ == "appos"]
                powers += [e for t in named if r.mention(t) is not None
                           for e in [r.power(t)] if e is not None and e not in powers
                           and r.linker.entity_type(r.entity(t) or e) != "person"]
            if not powers and ruler:
                # "Governor of British Guiana", "the President of Jubaland": an office over a
                # territory serves the polity, whatever the territory's status
                for _p, o in preps(tok, {"of"}):
                    for e in r.entities(o, ("place",)):
                        got = r.linker.place_as_power(e)
                        if got is not None and got not in powers:
                            powers.append(got)
            if vocation:
                # a trade names an employer only by a preposition, never by a demonym or a
                # possessor ("a Kenyan lawyer", "Mwangi's lawyer" serve nobody)
                if powers:
                    add(holder(tok, r), powers, tok, 0.55,
                        negated(tok) or negated(clause_verb(tok)))
                continue
            # "Burundi's ruling party": the possessor is what is served when no "of"
            if not powers:
                for c in tok.children:
                    if c.dep_ == "poss" and r.mention(c) is not None:
                        got = r.power(c)
                        if got is not None and r.linker.entity_type(got) in ("power",
                                                                             "organisation"):
                            powers.append(got)
            # "a British and American agent", "a German-Japanese agent"
            for c in tok.children:
                if c.dep_ in ("amod", "compound", "nmod"):
                    # "German-Japanese": the first adjective modifies the second
                    mods = expand(c) + [g for g in c.children if g.dep_ in ("amod", "compound")]
                    for t in sorted(mods, key=lambda x: x.i):
                        got = r.power(t)
                        if got is not None and got not in powers:
                            powers.append(got)
            if not powers:
                continue
            neg = negated(tok) or negated(clause_verb(tok))
            add(holder(tok, r), powers, tok, 0.7 if low in lx.AGENT_NOUNS else 0.6, neg)
        elif tok.pos_ == "NOUN" and low in lx.ALLIANCE_NOUNS:
            powers = []
            for _p, o in preps(tok, {"with"}):
                powers += r.powers(o)
            if not powers:
                continue
            who = None
            for c in tok.children:
                if c.dep_ == "poss":
                    who = r.entity(c)
            if who is None and tok.dep_ == "dobj":
                # "X signed a pact with Y", "X formed an alliance with Y"
                s = subject(tok.head)
                who = r.entity(s) if s is not None else None
            if who is None:
                who = holder(tok, r)
            add(who, powers, tok, 0.6, negated(tok))
        elif low == "service" and tok.dep_ == "pobj":
            powers = []
            for _p, o in preps(tok, {"of"}):
                powers += r.powers(o)
            if powers:
                add(holder(tok, r), powers, tok, 0.7, negated(clause_verb(tok)))
        elif tok.pos_ == "VERB" and lem in lx.SELL_VERBS:
            powers = []
            # "passed the manifests to X": the parser may hang *to* on the object
            carriers = [tok] + [c for c in tok.children if c.dep_ == "dobj"]
            for _p, o in [po for t in carriers for po in preps(t, {"to"})]:
                powers += r.powers(o)
                if not powers and o.lower_ in vc.SERVICE_NOUNS:
                    # "passed the manifests to an officer of Ukraine's security service",
                    # "handed the plans to a Soviet agent": to whom the recipient serves
                    for _q, oo in preps(o, {"of", "for"}):
                        powers += [x for x in r.powers(oo) if x not in powers]
                    for c in o.children:
                        if c.dep_ in ("amod", "compound", "nmod", "poss"):
                            got = r.power(c)
                            if got is not None and got not in powers:
                                powers.append(got)
            if not powers:
                continue
            s = subject(tok)
            who = r.entity(s) if s is not None else None
            add(who, powers, tok, 0.6, negated(tok))
        elif tok.pos_ == "VERB" and "employ" in vc.meanings(lem):
            # "X is recruited by an FBI agent as an asset": X serves whom the agent serves
            if is_passive(tok):
                s = subject(tok)
                who = r.entity(s) if s is not None else None
                served = [r.power(o) for c in tok.children if c.dep_ == "agent"
                          for o in c.children if o.dep_ == "pobj"]
            else:
                who = next((r.entity(c) for c in tok.children if c.dep_ == "dobj"), None)
                s = subject(tok)
                served = [r.power(s)] if s is not None else []
            add(who, [p for p in served if p is not None], tok, 0.6, negated(tok))
        elif tok.pos_ == "VERB" and lem in ("serve", "spy", "work"):
            powers = []
            for c in tok.children:
                if c.dep_ == "dobj":
                    powers += r.powers(c)
            for _p, o in preps(tok, {"for", "on", "of"} if lem != "work" else {"for"}):
                powers += r.powers(o)
            if lem == "work":
                powers = [p for p in powers if r.linker.entity_type(p) in ("power",
                                                                           "organisation")]
            if not powers:
                continue
            s = subject(tok)
            who = r.entity(s) if s is not None else None
            add(who, powers, tok, 0.6, negated(tok))
    return out


def find_existed(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        low = tok.lower_
        lem = lemma(tok)
        verb = None
        if low == "existence" and tok.dep_ == "pobj":
            verb = clause_verb(tok)
        elif tok.pos_ == "VERB" and lem == "exist":
            verb = tok
        if verb is not None:
            s = subject(verb)
            ents = [e for e in (r.entities(s) if s is not None else [])
                    if r.linker.entity_type(e) in ("place", "organisation", "power")]
            if not ents:
                continue
            neg = negated(verb)
            out.append(Found("existed", {"existed": ents[0]}, verb, denies=neg, confidence=0.75,
                             date_role="existed", notes=["negated" if neg else "affirmed"]))
            continue
        if tok.pos_ == "VERB" and (lem in lx.END_VERBS or lem in lx.BEGIN_VERBS):
            s = subject(tok) if is_passive(tok) else None
            if s is None:
                for c in tok.children:
                    if c.dep_ == "dobj":
                        s = c
            ents = r.entities(s, ("place", "organisation")) if s is not None else []
            if not ents:
                continue
            note = "ended" if lem in lx.END_VERBS else "began"
            out.append(Found("existed", {"existed": ents[0]}, tok, denies=False, confidence=0.55,
                             date_role="existed", notes=[note]))
    return out


def find_stances(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        low = tok.lower_
        lem = lemma(tok)
        if tok.pos_ == "NOUN" and low in lx.STANCE_NOUNS:
            value = None
            if low in lx.FRIENDLY_WORDS:
                value = "friendly"
            elif low in lx.HOSTILE_WORDS:
                value = "hostile"
            for c in tok.children:
                if c.dep_ == "amod":
                    cl = c.lower_
                    if cl in lx.FRIENDLY_WORDS:
                        value = "friendly"
                    elif cl in lx.HOSTILE_WORDS:
                        value = "hostile"
                    elif cl in lx.NEUTRAL_WORDS:
                        value = "neutral"
            if value is None:
                continue
            words = {"with", "toward", "towards", "for", "to", "against"}
            targets = []
            for _p, o in preps(tok, words):
                targets += r.powers(o)
            if not targets:
                # "speak of our sympathies for the Germans": the preposition went to the verb
                h = tok.head.head if tok.dep_ == "pobj" else tok.head
                for _p, o in preps(h, words):
                    targets += r.powers(o)
            if not targets:
                continue
            who = None
            for c in tok.children:
                if c.dep_ == "poss":
                    who = r.power(c)
            if who is None:
                verb = clause_verb(tok)
                s = subject(verb)
                if s is not None:
                    ent = r.entity(s)
                    who = r.power(s) if ent is None else (
                        ent if r.linker.entity_type(ent) == "power" else r.linker.power(
                            r.mention(s).text if r.mention(s) else s.text))
                    if who is None and ent is not None and r.linker.entity_type(ent) == "power":
                        who = ent
            if who is None:
                continue
            neg = negated(tok) or negated(clause_verb(tok))
            for t in targets:
                if t != who:
                    out.append(Found("stance", {"stance": [who, t], "is": value}, tok,
                                     denies=neg, confidence=0.6, date_role="during"))
        elif tok.pos_ == "VERB" and lem in ("attack", "invade"):
            s = subject(tok)
            if s is None:
                continue
            who = r.power(s)
            targets = []
            for c in tok.children:
                if c.dep_ == "dobj":
                    targets += r.powers(c)
            for t in targets:
                if who is not None and t != who:
                    out.append(Found("stance", {"stance": [who, t], "is": "hostile"}, tok,
                                     denies=negated(tok), confidence=0.6, date_role="during"))
    return out


def find_leaders(doc, r: Resolver) -> None:
    """Who leads which power, as the text says it, remembered for later sentences and not
    a claim: "Hitler had assumed complete power in Germany", "X took power in Y"."""
    for tok in doc:
        if tok.pos_ != "VERB" or lemma(tok) not in ("assume", "take", "seize", "hold", "win"):
            continue
        objs = [c for c in tok.children if c.dep_ == "dobj" and c.lower_ in ("power", "office",
                                                                            "control")]
        if not objs:
            continue
        where = [p for _p, o in preps(objs[0], {"in", "over", "of"}) + preps(tok, {"in", "over"})
                 for p in [r.power(o)] if p is not None]
        s = subject(tok)
        who = r.entity(s) if s is not None else None
        if who is not None and where and r.linker.entity_type(who) == "person":
            r.ctx.served.setdefault(who, where[0])


def find_all(doc, r: Resolver) -> list[Found]:
    from belie.extract.events import find_events

    find_leaders(doc, r)
    out = find_events(doc, r)
    for fn in (find_accusations, find_existed, find_stances):
        out.extend(fn(doc, r))
    return out


# --------------------------------------------------------------------------- speaker


#: Verbs that report what their subject puts forward, in the active voice only ("Pravda
#: set out to prove that ..."; but "it can be proved that ..." is the author's own word).
ACTIVE_REPORTING = frozenset({"prove", "show", "expose", "brand", "label", "call", "denounce",
                              "portray", "present", "argue", "suggest"})


def reporter(tok, r: Resolver):
    """(speaker entity or None, reported?, reporting verb) for a claim hanging on *tok*.

    The nearest reporting verb above the trigger (*confessed*, *declared*, *wrote*, *is
    alleged* ...) makes the claim reported; its subject is the speaker, unless the verb is
    passive ("is alleged to", "was accused of"), where the speaker is not named.
    "According to X" names X.
    """
    t = tok
    for _ in range(10):
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                for cc in c.children:
                    for o in ([cc] + list(cc.children)):
                        if o.dep_ == "pobj":
                            return r.entity(o), True, c
        lem = lemma(t) if t.pos_ in ("VERB", "AUX") else ""
        if lem in lx.REPORTING or (lem in ACTIVE_REPORTING and not is_passive(t)):
            if t.i != tok.i:
                if is_passive(t):
                    agent = [o for c in t.children if c.dep_ == "agent" for o in c.children
                             if o.dep_ == "pobj"]
                    return (r.entity(agent[0]) if agent else None), True, t
                s = subject(t)
                return (r.entity(s) if s is not None else None), True, t
        if t.head.i == t.i:
            break
        t = t.head
    return None, False, None
