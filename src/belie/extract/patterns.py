"""Claim patterns over spaCy's dependency parse, one finder per claim kind.

Each finder walks the tokens of one parsed sentence, looks for its trigger words
(:mod:`belie.extract.lexicon`) and reads the claim's parties from the parse: the
subject of the verb (``nsubj``/``nsubjpass``, climbing through ``xcomp``, ``conj`` and
the copula), its object, and the objects of its prepositions (``from``, ``to``, ``at``,
``with``, ``of``).  Negation is a ``neg`` child (*not*, *never*) of the verb, or *no*
before the noun.  The parties are resolved to entities by :class:`Resolver`: a name of
the case or a new entity, *I*/*me*/*my* as the speaker, *he*/*his* as the last person
named, *there* as the last place named, and nouns such as "my son" through an earlier
apposition ("My son, Leon Sedov, ...").

Nothing here knows the seed texts: the patterns are those of English grammar, written
against invented sentences (tests/extract/test_extract.py) -- see docs/extract.md for
how they were evaluated.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from belie.extract import lexicon as lx

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
    """Turns tokens of one parsed sentence into entity ids, with the sentence's context."""

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

    # -- entities ----------------------------------------------------------------------
    def mention(self, tok):
        return self.by_token.get(tok.i)

    def entity(self, tok, depth: int = 0):
        """Entity id of the party a token stands for, or None."""
        if tok is None or depth > 4:
            return None
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
                                return got
            return self.linker.propose(m)
        low = tok.lower_
        if low in ("i", "me", "my", "myself", "mine"):
            return self.ctx.first_person
        if low in ("he", "him", "his", "himself", "she", "her", "herself"):
            got = self.last_person_before(tok)
            if got is not None:
                self.used_anaphora = True
            return got
        if low == "there":
            if self.ctx.last_place is not None:
                self.used_anaphora = True
            return self.ctx.last_place
        if low in REL_PRONOUNS and tok.dep_ in SUBJ + ("dobj", "pobj") and tok.head.dep_ == "relcl":
            return self.entity(tok.head.head, depth + 1)
        # "my son", "his brother": an alias set by an earlier apposition
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss and tok.pos_ in ("NOUN",):
            key = (poss[0].lower_, lx.lemma_of(tok))
            got = self.ctx.aliases.get(key)
            if got is not None:
                self.used_anaphora = True
                return got
        # "a TASS correspondent, Vladimir Romm"; "the chief guardian of state security, Yagoda"
        for c in tok.children:
            if c.dep_ == "appos":
                got = self.entity(c, depth + 1)
                if got is not None:
                    return got
        # "the government", "the only government which ...": the subject of its copula
        if tok.dep_ == "attr" and tok.pos_ == "NOUN":
            s = subject(tok.head)
            if s is not None and s.i != tok.i:
                return self.entity(s, depth + 1)
        # a name in compound position ("Marshal Tukhachevsky" parsed the other way round)
        for c in tok.children:
            if c.dep_ in ("compound", "flat") and c.i in self.by_token:
                got = self.linker.propose(self.by_token[c.i])
                # "the Moscow press" is not Moscow
                if self.linker.entity_type(got) in ("person", "organisation"):
                    return got
        return None

    def last_person_before(self, tok):
        best = None
        for m in self.mentions:
            if m.end <= tok.i and self.linker.entity_type(self.linker.propose(m)) == "person":
                best = m.entity
        return best if best is not None else self.ctx.last_person

    def entities(self, tok, types=None):
        """Entity ids of a token and its conjuncts ("Smirnov and Goltzman")."""
        out = []
        for t in expand(tok):
            eid = self.entity(t)
            if eid is None:
                continue
            if types is not None and self.linker.entity_type(eid) not in types:
                continue
            if eid not in out:
                out.append(eid)
        return out

    # -- powers ------------------------------------------------------------------------
    def power(self, tok):
        """The power a token names: a power of the case, a leader, a demonym ("British
        imperialism"), "X's government", the speaker's own ("our") -- or None."""
        if tok is None:
            return None
        low = tok.lower_
        if low in ("our", "we", "us"):
            return self.ctx.first_person_power
        m = self.by_token.get(tok.i)
        if m is not None:
            eid = self.linker.propose(m)
            etype = self.linker.entity_type(eid)
            if etype == "power":
                return eid
            got = self.linker.power(m.text)
            if got is not None:
                return got
            if etype == "organisation" and not m.new:
                return eid          # an organisation of the case may be served too
            return None
        # the word itself: "the Mikado", "Germans", "Soviet"
        got = self._word_power(tok)
        if got is not None:
            return got
        # modifiers: "British imperialism", "Daladier's government", "German fascism"
        for c in tok.children:
            if c.dep_ in ("amod", "compound", "poss", "nmod"):
                got = self._word_power(c) if c.i not in self.by_token else self.power(c)
                if got is not None:
                    return got
        return None

    def _word_power(self, tok):
        low = tok.lower_
        if low in lx.DEMONYMS or low in lx.LEADERS or low in lx.POWER_NAMES:
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
    if verb.dep_ in ("xcomp", "conj", "pcomp") and verb.head.i != verb.i:
        return subject(verb.head, depth + 1)
    # "Pravda devoted a page to prove that ...": an infinitive of purpose shares the subject
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return subject(verb.head, depth + 1)
    return None


def is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


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


def _places(r: Resolver, tok, words):
    out = []
    for _p, o in preps(tok, words):
        for eid in r.entities(o, PLACE):
            if eid not in out:
                out.append(eid)
    return out


def _subjects(r: Resolver, verb, types=PARTY):
    s = subject(verb)
    if s is None:
        return []
    return r.entities(s, types)


def find_meetings(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        lem = lemma(tok)
        if tok.pos_ in ("VERB", "AUX") and lem in lx.MEETING_VERBS:
            people = _subjects(r, tok)
            objs = []
            for c in tok.children:
                if c.dep_ in ("dobj", "dative"):
                    objs += r.entities(c, PARTY)
            for _p, o in preps(tok, {"with"}):
                objs += r.entities(o, PARTY)
            if lem in ("see", "receive", "join", "visit") and not objs:
                continue
            if lem == "visit" and _places(r, tok, {"in", "at"}) == [] and not objs:
                continue
            for o in objs:
                if o not in people:
                    people.append(o)
            if len(people) < 2:
                continue
            where = _places(r, tok, {"at", "in", "near", "inside"})
            f = Found("meeting", {"meeting": people, "where": where[0] if where else None}, tok,
                      denies=negated(tok), confidence=0.75 if lem == "meet" else 0.55)
            out.append(f)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in lx.MEETING_NOUNS:
            people = []
            for c in tok.children:
                if c.dep_ == "poss":
                    people += r.entities(c, PARTY)
            for _p, o in preps(tok, {"with", "between", "of"}):
                people += r.entities(o, PARTY)
            people = list(dict.fromkeys(people))
            if len(people) < 2:
                continue
            verb = clause_verb(tok)
            where = _places(r, tok, {"at", "in"})
            if not where:
                for t in verb.subtree:
                    if t.dep_ == "prep" and t.lower_ in ("at", "in"):
                        for o in t.children:
                            if o.dep_ == "pobj":
                                where += r.entities(o, PLACE)
            f = Found("meeting", {"meeting": people, "where": where[0] if where else None}, tok,
                      denies=negated(verb) or negated(tok), confidence=0.65)
            out.append(f)
    return out


def find_presence(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        if tok.pos_ == "NOUN" and tok.lower_ in lx.PRESENCE_NOUNS:
            # "the declarations of Litvinov at Geneva", "Sedov's stay in Berlin"
            people = []
            for c in tok.children:
                if c.dep_ == "poss":
                    people += r.entities(c, PARTY)
            where = _places(r, tok, {"in", "at"})
            for _p, o in preps(tok, {"of", "by"}):
                people += r.entities(o, PARTY)
                if not where:
                    where = _places(r, o, {"in", "at"})
            if people and where:
                neg = negated(tok) or negated(clause_verb(tok))
                for person in dict.fromkeys(people):
                    out.append(Found("presence", {"presence": person, "where": where[0]}, tok,
                                     denies=neg, confidence=0.5))
            continue
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        lem = lemma(tok)
        if lem not in lx.PRESENCE_VERBS:
            continue
        words = {"in", "at", "inside"}
        if lem == "be" and any(c.lower_ in ("has", "have", "had") and c.dep_ == "aux" for c in tok.children):
            words = words | {"to"}
        if lem == "arrive":
            words = {"in", "at"}
        where = _places(r, tok, words)
        if lem == "visit":
            for c in tok.children:
                if c.dep_ == "dobj":
                    where += r.entities(c, PLACE)
        if not where:
            continue
        people = _subjects(r, tok)
        if not people:
            continue
        for person in people:
            f = Found("presence", {"presence": person, "where": where[0]}, tok,
                      denies=negated(tok), confidence=0.7 if lem != "be" else 0.65)
            out.append(f)
    return out


def find_travel(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        lem = lemma(tok)
        if tok.pos_ in ("VERB", "AUX") and lem in lx.TRAVEL_VERBS:
            origin = _places(r, tok, {"from"})
            dest = _places(r, tok, {"to", "for", "into"})
            if lem in ("leave", "depart"):
                for c in tok.children:
                    if c.dep_ == "dobj":
                        origin += r.entities(c, PLACE)
            for c in tok.children:
                if c.dep_ == "advmod" and c.lower_ == "there":
                    got = r.entity(c)
                    if got is not None and r.linker.entity_type(got) == "place":
                        dest.append(got)
            through = _places(r, tok, {"through", "via"})
            people = _subjects(r, tok)
            if not people or not (origin or dest):
                if people and through:
                    for p in people:
                        out.append(Found("presence", {"presence": p, "where": through[0]}, tok,
                                         confidence=0.6, notes=["passing through"]))
                continue
            mode = lx.TRAVEL_VERBS.get(lem)
            for _p, o in preps(tok, {"by", "on", "aboard"}):
                mode = lx.MODE_WORDS.get(o.lower_, mode)
            for p in people:
                fields = {"travel": p, "from": origin[0] if origin else None,
                          "to": dest[0] if dest else None, "by": mode}
                out.append(Found("travel", fields, tok, denies=negated(tok), confidence=0.7))
                if through:
                    out.append(Found("presence", {"presence": p, "where": through[0]}, tok,
                                     denies=negated(tok), confidence=0.6,
                                     notes=["passing through"]))
        elif tok.pos_ == "NOUN" and tok.lower_ in lx.TRAVEL_NOUNS:
            # "on my way to X through Y", "his journey from X to Y"
            people = []
            for c in tok.children:
                if c.dep_ == "poss":
                    people += r.entities(c, PARTY)
            if not people:
                continue
            head = tok.head.head if tok.dep_ == "pobj" else tok.head
            origin = _places(r, tok, {"from"}) or _places(r, head, {"from"})
            dest = _places(r, tok, {"to", "for"})
            through = []
            for t in head.subtree:
                if t.dep_ == "prep" and t.lower_ in ("through", "via"):
                    for o in t.children:
                        if o.dep_ == "pobj":
                            through += r.entities(o, PLACE)
            neg = negated(head)
            for p in people:
                if origin or dest:
                    out.append(Found("travel", {"travel": p, "from": origin[0] if origin else None,
                                                "to": dest[0] if dest else None, "by": None},
                                     tok, denies=neg, confidence=0.6))
                if through:
                    out.append(Found("presence", {"presence": p, "where": through[0]}, tok,
                                     denies=neg, confidence=0.6, notes=["passing through"]))
    return out


def find_messages(doc, r: Resolver) -> list[Found]:
    out = []
    for tok in doc:
        lem = lemma(tok)
        if tok.pos_ in ("VERB",) and lem in lx.MESSAGE_VERBS:
            by = lx.MESSAGE_VERBS[lem]
            medium_noun = None
            for c in tok.children:
                if c.dep_ == "dobj" and c.lower_ in lx.MESSAGE_NOUNS:
                    medium_noun = c
                    by = lx.MESSAGE_NOUNS[c.lower_]
            if lem == "send" and medium_noun is None:
                continue
            recipients = []
            for _p, o in preps(tok, {"to"}):
                recipients += r.entities(o, PARTY)
            if medium_noun is not None:
                for _p, o in preps(medium_noun, {"to"}):
                    recipients += r.entities(o, PARTY)
            if lem in ("telephone", "phone", "ring", "call", "telegraph", "wire", "cable") or \
                    (lem == "write" and medium_noun is None):
                for c in tok.children:
                    if c.dep_ in ("dative",) or (c.dep_ == "dobj" and lem != "write"):
                        recipients += r.entities(c, PARTY)
            if lem == "call" and not recipients:
                continue
            senders = _subjects(r, tok)
            if not senders or not recipients:
                continue
            for s in senders:
                for rc in recipients:
                    if rc == s:
                        continue
                    out.append(Found("message", {"message": [s, rc], "by": by}, tok,
                                     denies=negated(tok), confidence=0.7))
        elif tok.pos_ == "NOUN" and tok.lower_ in lx.MESSAGE_NOUNS and tok.dep_ != "dobj":
            senders, recipients = [], []
            for c in tok.children:
                if c.dep_ == "poss":
                    senders += r.entities(c, PARTY)
            for _p, o in preps(tok, {"from"}):
                senders += r.entities(o, PARTY)
            for _p, o in preps(tok, {"to"}):
                recipients += r.entities(o, PARTY)
            if senders and recipients and senders[0] != recipients[0]:
                out.append(Found("message", {"message": [senders[0], recipients[0]],
                                             "by": lx.MESSAGE_NOUNS[tok.lower_]}, tok,
                                 denies=negated(clause_verb(tok)), confidence=0.6))
    return out


def holder(tok, r: Resolver, depth: int = 0):
    """Who is the agent / ally / party the trigger noun describes."""
    t = tok
    for _ in range(8):
        for c in t.children:
            if c.dep_ == "poss":
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
            if p.lower_ == "as":
                v = p.head
                for c in v.children:
                    if c.dep_ in ("dobj", "dative"):
                        return r.entity(c)
                s = subject(v)
                return r.entity(s) if s is not None and is_passive(v) else None
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
        if tok.pos_ in ("NOUN", "PROPN") and low in lx.AGENT_NOUNS:
            powers = []
            for _p, o in preps(tok, {"of", "for"}):
                powers += r.powers(o)
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
            add(holder(tok, r), powers, tok, 0.7, neg)
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
            for _p, o in preps(tok, {"to"}):
                powers += r.powers(o)
            if not powers:
                continue
            s = subject(tok)
            who = r.entity(s) if s is not None else None
            add(who, powers, tok, 0.6, negated(tok))
        elif tok.pos_ == "VERB" and lem in ("serve", "spy"):
            powers = []
            for c in tok.children:
                if c.dep_ == "dobj":
                    powers += r.powers(c)
            for _p, o in preps(tok, {"for", "on", "of"}):
                powers += r.powers(o)
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
            ents = r.entities(s) if s is not None else []
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


FINDERS = (find_meetings, find_presence, find_travel, find_messages, find_accusations,
           find_existed, find_stances)


def find_all(doc, r: Resolver) -> list[Found]:
    out = []
    for fn in FINDERS:
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
