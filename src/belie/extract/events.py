"""Events read from the dependency parse: presence, travel, meeting and message claims.

For every predicate of a parsed sentence -- a verb, or a noun that names an event
("his arrival in X", "Waheed's meeting with Arpea") -- the reader takes its arguments from
the parse (subject, object, the objects of its prepositions, the *by*-agent of a passive)
and asks :mod:`belie.extract.verbclasses` what the predicate means:

==========  =========================================================================
motion      the subject travels: *from*, *to*/*into*/*for*, *via*/*through* (a presence)
arrival     the subject is at the goal (*in*, *at*, *to*, or the object: *enter X*)
departure   the subject travels from the object or *from* (to *for*/*to*)
caused      the object, or the subject of the passive, travels (*was sent to*, *deported*)
accompany   the subject and the object travel together, and are together
residence   the subject is at the place (*in*, *at*, the object of *visit*); *be in/at*
encounter   the subject and each object (or *with*, or the *by*-agent) are together
contact     the subject sends each object (or *to*) a message; the medium from the verb or
            the noun (*wrote a letter to*, *received an invitation from*)
==========  =========================================================================

Beyond the classes, any event placed by a locative adjunct -- "was arrested near Howick",
"was trained in Warsaw", "were married in Sceaux" -- puts its participants there (a
presence, with a lower confidence): what happens at a place happens with its participants
there.  Communication verbs are excluded (one can write *about* a place).

What the parse offers for free is used throughout: **coordination** (every conjunct of a
subject or object is a party: "Hazmi and Mihdhar arrived"), **asides** (an apposition or a
parenthesis is a child of the noun it describes, so "X, a Y of Z, travelled from A to B"
still has X as subject), **passives** (the subject of a passive of caused motion is the one
moved; the *by*-agent of *received by* is the host) and clause chains (the subject of an
*xcomp*, *conj* or purpose clause is the subject above it).  Reported speech is handled
where the claim is written (:func:`belie.extract.patterns.reporter`).
"""
from __future__ import annotations

from belie.extract import verbclasses as vc
from belie.extract.patterns import (Found, Resolver, clause_verb, is_passive, lemma,
                                    negated, preps, subject)

MOVERS = ("person", "object", "organisation")
PEOPLE = ("person", "organisation")
PLACE = ("place",)

_TO = {"to", "into", "toward", "towards", "for", "onto"}
_FROM = {"from", "out"}
_VIA = {"via", "through"}
_AT = {"in", "at", "inside", "near", "outside", "within", "on"}
#: Verbs whose locative adjuncts do not place their subject ("wrote about events in X",
#: "he was accused in Moscow") -- communication and judgement happen at a distance.
_NOT_PLACED = frozenset("say tell write report describe accuse charge claim deny believe "
                        "think know publish announce declare state allege hear learn read "
                        "order plan hope want intend expect decide agree promise fear "
                        "die kill born bear assume seize hold win rule govern reign command".split())


#: Verbs of giving and transfer of possession (Levin 13.1 give, 13.2 contribute, 13.3
#: future having, 13.4 provide): their locative may be the object's place.
_GIVING = frozenset("give lend pass hand sell offer provide supply furnish "
                    "present entrust issue grant leave bequeath allocate assign send show "
                    "promise owe".split())


def _places(r: Resolver, tok, words) -> list:
    out = []
    for _p, o in preps(tok, words):
        if o.lemma_ == "be" or o.lower_ in ("was", "is", "were", "are"):
            # "via what was then Bechuanaland", "to what is now Tanzania": the name the
            # free relative's copula gives
            if any(c.lower_ == "what" for c in o.children):
                o = next((c for c in o.children if c.dep_ in ("attr", "nsubj") and
                          c.lower_ != "what"), o)
        got = r.entities(o, PLACE)
        if not got and o.pos_ == "NOUN":
            # "in Pierre's hometown of Sceaux", "in the city of Lyon"
            got = [e for _q, oo in preps(o, {"of"}) for e in r.entities(oo, PLACE)]
        # "at the Crown Court at Worcester": the town the site is in is the checkable place
        inner = [e for _q, oo in preps(o, {"at", "in"}) for e in r.entities(oo, PLACE)]
        if inner and (not got or all(g in r.linker.new and r.linker.new[g].label in (
                "ORG", "FAC", "site") for g in got)):
            got = inner
        for eid in got:
            if eid not in out:
                out.append(eid)
    # "Cairo, where it remains for 25 hours": *where* stands for the place it follows
    if not out and words & {"in", "at"} and tok.dep_ == "relcl" and \
            any(c.lower_ == "where" for c in tok.children):
        out += r.entities(tok.head, PLACE)
    return out


def _place_objects(r: Resolver, verb) -> list:
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "attr"):
            got = r.entities(c, PLACE)
            if not got and c.pos_ in ("NOUN", "PROPN"):
                # "left the port of Novorossiysk", "reached the city of Lyon", "attended the
                # University of Vienna" (a site the case does not name: its town)
                got = [e for _q, oo in preps(c, {"of"}) for e in r.entities(oo, PLACE)]
            out += [e for e in got if e not in out]
    return out


def _party_objects(r: Resolver, verb, types=PEOPLE) -> list:
    """The objects of a verb that are parties, with the members a plural object names
    ("greeted various individuals ..., including a man named Khallam")."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "dative"):
            got = [e for e in r.entities(c, types) if e not in out]
            if not any(r.linker.entity_type(e) == "person" for e in got) and \
                    c.tag_ in ("NNS", "NNPS"):
                # "met senior ANC members in exile, Yusuf Dadoo and Vela Pillay": the
                # persons an apposition names, wherever the parser hung it -- under a plural
                # object that can stand for them, not under "received the support of ..."
                for t in c.subtree:
                    if t.dep_ == "appos" and t.i != c.i:
                        got += [e for e in r.entities(t, ("person",)) if e not in got]
                if not any(r.linker.entity_type(e) == "person" for e in got) and \
                        c.tag_ == "NNS":
                    # ... or hung on the verb itself, after a comma at the end of the
                    # object's phrase ("met senior ANC members in exile, Yusuf Dadoo and
                    # Vela Pillay" parsed with the names as an adverbial of *met*)
                    # (or on a later verb): the names right after the comma that ends the
                    # clause's own words
                    doc, k = verb.doc, verb.right_edge.i
                    k = k if doc[k].text == "," else k + 1
                    if k + 1 < len(doc) and doc[k].text == "," and doc[k + 1].pos_ == "PROPN":
                        t = doc[k + 1]
                        while t.dep_ in ("compound", "flat") and t.head.i > t.i:
                            t = t.head
                        for u in [t] + list(t.conjuncts):
                            got += [e for e in r.entities(u, ("person",)) if e not in got]
                if any(r.linker.entity_type(e) == "person" for e in got):
                    got = [e for e in got if r.linker.entity_type(e) == "person"]
            out += got
            for _p, o in preps(c, {"including", "like", "among"}):
                out += [e for e in r.entities(o, types) if e not in out]
    return out


def _agents(r: Resolver, verb) -> list:
    return [e for c in verb.children if c.dep_ == "agent" for o in c.children
            if o.dep_ == "pobj" for e in r.entities(o, PEOPLE)]


def _subjects(r: Resolver, verb, types=MOVERS) -> list:
    s = subject(verb)
    return r.entities(s, types) if s is not None else []


def _mode(verb, lem) -> str | None:
    mode = vc.VERB_MODE.get(lem)
    for _p, o in preps(verb, {"by", "on", "aboard", "in"}):
        mode = vc.MODE_NOUNS.get(o.lower_, mode)
    for c in verb.children:
        if c.dep_ == "dobj" and lem in ("take", "board", "catch", "ride"):
            mode = vc.MODE_NOUNS.get(c.lower_, mode)
    return mode


def _future(verb) -> bool:
    """A plan, not an event: "will offer", "is to visit", "plans to go"."""
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "would", "could", "might",
                                            "may", "should", "must"):
            return True
    # "he was not to visit London again": *be to* tells what was destined, not what happened
    if verb.dep_ == "xcomp" and lemma(verb.head) == "be" and \
            any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True
    t = verb
    for _ in range(3):
        if t.dep_ in ("xcomp", "ccomp", "advcl") and lemma(t.head) in (
                "plan", "intend", "hope", "want", "wish", "agree", "decide", "arrange",
                "promise", "try", "attempt", "expect", "refuse", "seek", "ask", "instruct",
                "order", "invite", "urge", "advise"):
            return True
        if t.head.i == t.i:
            break
        t = t.head
    return False


def _travel(out, movers, verb, origin, dest, via, mode, neg, conf, notes=None):
    for p in movers:
        if origin or dest:
            out.append(Found("travel", {"travel": p, "from": origin[0] if origin else None,
                                        "to": dest[0] if dest else None, "by": mode}, verb,
                             denies=neg, confidence=conf, notes=list(notes or [])))
        for v in via:
            out.append(Found("presence", {"presence": p, "where": v}, verb, denies=neg,
                             confidence=conf * 0.9, notes=["passing through"]))


def _presence(out, who, where, trig, neg, conf, notes=None):
    for p in who:
        for w in where[:1]:
            out.append(Found("presence", {"presence": p, "where": w}, trig, denies=neg,
                             confidence=conf, notes=list(notes or [])))


def _meetings(out, parties, others, where, trig, neg, conf):
    """One meeting of all *parties* with each of *others* ("A and B met C and D": [A, B, C]
    and [A, B, D]); of the parties alone when there are no others and they are several."""
    if others:
        for o in others:
            group = list(dict.fromkeys(parties + [o]))
            if len(group) >= 2:
                out.append(Found("meeting", {"meeting": group, "where": where[0] if where
                                             else None}, trig, denies=neg, confidence=conf))
    elif len(parties) >= 2:
        out.append(Found("meeting", {"meeting": list(parties), "where": where[0] if where
                                     else None}, trig, denies=neg, confidence=conf * 0.9))


def find_events(doc, r: Resolver) -> list[Found]:
    out: list[Found] = []
    placed: set[int] = set()      # verbs already read by a class
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX"):
            lem = lemma(tok)
            prt = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
            kinds = vc.meanings(lem, prt)
            if lem == "be":
                _copula(out, tok, r)
                placed.add(tok.i)
                continue
            if not kinds:
                continue
            if _future(tok):
                placed.add(tok.i)
                continue
            # "they were married in Sceaux", "she was received ... at the White House": an
            # encounter without an object (or a passive one) is placed like any other event
            # below; "A met B at the hotel" gives the place to the meeting only
            if not (set(kinds) == {"encounter"} and (
                    is_passive(tok) or not any(c.dep_ == "dobj" for c in tok.children))):
                placed.add(tok.i)
            _verb_event(out, tok, lem, kinds, r)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in vc.NOUNS:
            _noun_event(out, tok, vc.NOUNS[tok.lower_], r)
        elif tok.pos_ == "NOUN" and tok.lower_ in vc.RESIDENT_NOUNS:
            # "Abdussattar Shaikh, a San Diego resident"; "a resident of Lyon"
            from belie.extract.patterns import holder

            where = [e for c in tok.children if c.dep_ in ("compound", "amod")
                     for e in r.entities(c, PLACE)] + _places(r, tok, {"of"})
            who = holder(tok, r)
            if who is not None and where and r.linker.entity_type(who) == "person":
                _presence(out, [who], where, tok, negated(clause_verb(tok)), 0.55, ["resident"])
    # any other event with a locative adjunct places its participants
    for tok in doc:
        if tok.pos_ != "VERB" or tok.i in placed or lemma(tok) in _NOT_PLACED or _future(tok):
            continue
        # "was arrested near Howick", "train at Sawyer Aviation", "are renting an apartment
        # in Phoenix" -- but not "provided him with an address in California": the place of
        # a verb of giving (Levin 13.1-13.4) may be its object's, not its subject's
        if not is_passive(tok) and lemma(tok) in _GIVING and \
                any(c.dep_ in ("dobj", "dative") for c in tok.children):
            continue
        where = _places(r, tok, {"in", "at", "near", "inside"})
        if not where:
            continue
        who = r.entities(subject(tok), ("person", "object")) if subject(tok) is not None else []
        if not who:
            continue
        _presence(out, who, where, tok, negated(tok), 0.5, ["placed by the event"])
    return out


def _copula(out, verb, r: Resolver):
    """"X was in Y", "X has never been to Y", "X, a Y resident" is handled as a noun."""
    if _future(verb):
        return
    words = {"in", "at", "inside", "near"}
    if any(c.lower_ in ("has", "have", "had") and c.dep_ == "aux" for c in verb.children):
        words = words | {"to"}
    where = _places(r, verb, words)
    if not where:
        return
    who = _subjects(r, verb, ("person", "object"))
    _presence(out, who, where, verb, negated(verb), 0.65)


#: Verbs that take a vehicle as object to mean travelling in it ("took the 8.15 train from
#: Nairobi to Mombasa", "caught the night bus", "boarded a flight to Rome"): FrameNet
#: Ride_vehicle / Disembarking's support verbs.
_RIDE_VERBS = frozenset({"take", "catch", "board", "ride"})


def _verb_event(out, verb, lem, kinds, r: Resolver):
    neg = negated(verb)
    passive = is_passive(verb)
    subj = _subjects(r, verb)
    if lem in _RIDE_VERBS and not passive:
        vehicle = next((c for c in verb.children if c.dep_ == "dobj" and
                        c.lower_ in vc.MODE_NOUNS), None)
        if vehicle is not None and subj:
            carriers = (verb, vehicle)
            origin = [e for t in carriers for e in _places(r, t, _FROM)]
            dest = [e for t in carriers for e in _places(r, t, _TO)]
            if origin or dest:
                _travel(out, subj, verb, origin, dest, [], vc.MODE_NOUNS[vehicle.lower_], neg,
                        0.6)
                return
    if "caused" in kinds and (passive or _party_objects(r, verb, MOVERS)):
        moved = subj if passive else _party_objects(r, verb, MOVERS)
        dest = _places(r, verb, {"to", "into", "toward", "towards"})
        origin = _places(r, verb, _FROM)
        via = _places(r, verb, _VIA | {"across"})
        if moved and (dest or origin or via):
            _travel(out, moved, verb, origin, dest, via, _mode(verb, lem), neg, 0.6,
                    ["forced movement"])
            return
    if "accompany" in kinds:
        objs = _party_objects(r, verb, MOVERS)
        others = _agents(r, verb) if passive else objs
        movers = subj + [o for o in others if o not in subj]
        dest = _places(r, verb, _TO)
        if dest:
            _travel(out, movers, verb, _places(r, verb, _FROM), dest, [], _mode(verb, lem), neg,
                    0.6)
            for d in dest[:1]:
                _presence(out, movers, [d], verb, neg, 0.55)
        _meetings(out, subj, others, dest, verb, neg, 0.55)
        return
    if "arrival" in kinds:
        where = _places(r, verb, {"in", "at", "to", "into", "on"}) + (
            _place_objects(r, verb) if lem in ("enter", "reach") else [])
        _presence(out, subj, where, verb, neg, 0.7, ["arrival"])
        origin = _places(r, verb, _FROM)
        if origin:
            _travel(out, subj, verb, origin, where, [], _mode(verb, lem), neg, 0.6)
        return
    if "departure" in kinds:
        origin = _places(r, verb, _FROM) + _place_objects(r, verb)
        dest = _places(r, verb, _TO)
        _travel(out, subj, verb, origin, dest, _places(r, verb, _VIA), _mode(verb, lem), neg,
                0.65)
        return
    if "motion" in kinds:
        origin = _places(r, verb, _FROM)
        dest = _places(r, verb, _TO)
        if lem == "cross":
            dest = dest or _place_objects(r, verb)
        for c in verb.children:
            if c.dep_ == "advmod" and c.lower_ == "there":
                got = r.entity(c)
                if got is not None and r.linker.entity_type(got) == "place":
                    dest.append(got)
            # "moving on to San Diego": the particle carries the destination
            if c.dep_ == "prt":
                dest += [e for e in _places(r, c, _TO) if e not in dest]
        via = _places(r, verb, _VIA)
        _travel(out, subj, verb, origin, dest, via, _mode(verb, lem), neg, 0.7)
        if not (origin or dest or via) and lem in ("come", "go", "return"):
            _presence(out, subj, _places(r, verb, {"in", "at"}), verb, neg, 0.5)
        return
    if "residence" in kinds and not (lem == "visit" and not _place_objects(r, verb) and
                                     _party_objects(r, verb)):
        # ("visited Sheffield": a place the parser labelled as one is visited, not met)
        where = _places(r, verb, {"in", "at", "inside", "near"})
        if lem in ("visit", "tour", "attend"):
            where += _place_objects(r, verb)
        if lem == "spend" and not where:
            # "spent most of his exile in London and Johannesburg": the place hangs on the
            # time spent
            for c in verb.children:
                if c.dep_ == "dobj":
                    for t in [c] + [o for _p, o in preps(c, {"of"})]:
                        where += [e for e in _places(r, t, {"in", "at"}) if e not in where]
        if lem == "spend":
            for c in verb.children:
                if c.dep_ == "advmod" and c.lower_ == "there":
                    got = r.entity(c)
                    if got is not None:
                        where.append(got)
        if where:
            # "lived in Izmail and Odesa", "spent the war in London and Johannesburg": a stay
            # names every place it gives
            for w in dict.fromkeys(where):
                _presence(out, subj, [w], verb, neg, 0.65)
            return
    if "encounter" in kinds:
        others = _party_objects(r, verb)
        for _p, o in preps(verb, {"with", "to"} if lem == "introduce" else {"with"}):
            others += [e for e in r.entities(o, PEOPLE) if e not in others]
            # "met with foreign dignitaries including X and Y"
            for _q, oo in preps(o, {"including", "like", "among"}):
                others += [e for e in r.entities(oo, PEOPLE) if e not in others]
        parties = list(subj)
        if passive:
            agents = _agents(r, verb)
            if lem == "introduce":
                others += [e for _p, o in preps(verb, {"to"}) for e in r.entities(o, PEOPLE)]
                parties += agents
            else:
                others += [a for a in agents if a not in others]
        if lem in ("see", "visit", "receive", "join", "host") and not others:
            return
        # "whom they had met": an object that names no one is someone unnamed
        if not others and any(c.dep_ in ("dobj", "dative") for c in verb.children) or \
                not others and verb.dep_ == "relcl":
            return
        where = _places(r, verb, {"at", "in", "near", "inside"})
        if not where:
            # "met Ban in Vienna": the parser may hang the place on the object
            for c in verb.children:
                if c.dep_ in ("dobj", "dative"):
                    where += _places(r, c, {"at", "in", "near", "inside"})
        if not where and verb.dep_ in ("advcl", "xcomp") and \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            # "drove to Groutville to confer with the chief", "flew to Rome to meet X": a
            # purpose clause of a movement meets at the movement's destination
            up = verb.head
            if up.pos_ == "VERB" and set(vc.meanings(lemma(up), None)) & {"motion", "arrival"}:
                where = _places(r, up, {"to"})
        if lem in ("meet", "marry", "wed") or others:
            # a meeting is of persons; an organisation only where the case declares it
            # one that meets ("the G.P.U. met Olberg"), not one spaCy merely tagged
            def meets(e):
                t = r.linker.entity_type(e)
                return t == "person" or (t == "organisation" and e not in r.linker.new)
            parties = [p for p in parties if meets(p)]
            others = [o for o in others if meets(o) and o not in parties]
            if lem == "introduce" and passive and len(others) >= 1:
                out.append(Found("meeting", {"meeting": list(dict.fromkeys(parties + others)),
                                             "where": where[0] if where else None}, verb,
                                 denies=neg, confidence=0.6))
            else:
                _meetings(out, parties, others, where, verb, neg,
                          0.75 if lem in ("meet", "marry", "wed") else 0.6)
        return
    if "contact" in kinds:
        by = vc.MEDIUM.get(lem)
        recipients = []
        medium = None
        for c in verb.children:
            if c.dep_ == "dobj" and c.lower_ in vc.MEDIUM:
                medium = c
                by = vc.MEDIUM[c.lower_]
        if lem in ("write",) and medium is None:
            # "he wrote her": the object is the recipient; "wrote a book": nothing
            for c in verb.children:
                if c.dep_ in ("dobj", "dative"):
                    recipients += r.entities(c, PEOPLE)
        elif lem != "write":
            recipients += _party_objects(r, verb)
        for _p, o in preps(verb, {"to"}):
            recipients += r.entities(o, PEOPLE)
        if medium is not None:
            for _p, o in preps(medium, {"to"}):
                recipients += r.entities(o, PEOPLE)
        for s in subj:
            for rc in dict.fromkeys(recipients):
                if rc != s:
                    out.append(Found("message", {"message": [s, rc], "by": by}, verb,
                                     denies=neg, confidence=0.7))
        return
    # "sent a letter to X", "received an invitation from X": the verb is the carrier
    return


#: Support verbs of event nouns (FrameNet's "support" of Meet_with, Social_event): "have
#: lunch", "hold talks", "take tea", "share a meal".
_SUPPORT = frozenset({"have", "hold", "take", "share", "attend"})
_HAVE = {"had": "have", "has": "have", "having": "have"}


def _noun_event(out, noun, meaning, r: Resolver):
    """An event named by a noun: "his arrival in X", "Waheed's meeting with Arpea",
    "a trip with Hazmi and Mihdhar to Los Angeles", "a letter from X to Y",
    "received an invitation from X"."""
    verb = clause_verb(noun)
    neg = negated(noun) or negated(verb)
    if _future(verb):
        return
    owners = []
    for c in noun.children:
        if c.dep_ == "poss":
            owners += r.entities(c, MOVERS)
    # "the visit to Sudan by the prosecutor", "the declarations of X at Y"
    for _p, o in preps(noun, {"of", "by"}):
        owners += [e for e in r.entities(o, MOVERS) if e not in owners]
    lv = _HAVE.get(lemma(verb), lemma(verb))       # "had" as an auxiliary keeps its form
    if not owners and noun.dep_ in ("dobj",) and lv in ("make", "take", "pay", "have",
                                                        "hold", "recall", "begin", "share"):
        owners = _subjects(r, verb)
    companions = [e for _p, o in preps(noun, {"with"}) for e in r.entities(o, PEOPLE)]
    if meaning == "encounter" and noun.dep_ == "dobj" and lv in _SUPPORT:
        # "had lunch with X", "held talks with Y": the support verb carries the noun's *with*
        companions += [e for _p, o in preps(verb, {"with"}) for e in r.entities(o, PEOPLE)
                       if e not in companions]
    if meaning == "contact":
        senders = [e for _p, o in preps(noun, {"from"}) for e in r.entities(o, PEOPLE)]
        recipients = [e for _p, o in preps(noun, {"to"}) for e in r.entities(o, PEOPLE)]
        lv = lemma(verb)
        if noun.dep_ == "dobj" and lv in ("send", "write", "address", "dispatch", "mail"):
            senders = senders or _subjects(r, verb, PEOPLE)
            recipients += [e for _p, o in preps(verb, {"to"}) for e in r.entities(o, PEOPLE)]
            recipients += [e for c in verb.children if c.dep_ == "dative"
                           for e in r.entities(c, PEOPLE)]
        elif noun.dep_ == "dobj" and lv in ("receive", "get", "obtain"):
            recipients = recipients or _subjects(r, verb, PEOPLE)
            senders += [e for _p, o in preps(verb, {"from"}) for e in r.entities(o, PEOPLE)]
        senders = senders or [o for o in owners if o not in recipients]
        for s in senders[:1]:
            for rc in dict.fromkeys(recipients):
                if rc != s:
                    out.append(Found("message", {"message": [s, rc],
                                                 "by": vc.MEDIUM.get(noun.lower_)}, noun,
                                     denies=neg, confidence=0.6))
        return
    if meaning == "encounter":
        parties = owners + [e for _p, o in preps(noun, {"between"}) for e in
                            r.entities(o, PEOPLE)]
        where = _places(r, noun, {"at", "in"})
        if not where:
            for t in verb.subtree:
                if t.dep_ == "prep" and t.lower_ in ("at", "in"):
                    for o in t.children:
                        if o.dep_ == "pobj":
                            where += r.entities(o, PLACE)
        if not parties and noun.dep_ in ("nsubj", "nsubjpass"):
            return
        if parties or companions:
            _meetings(out, list(dict.fromkeys(parties)), companions, where, noun, neg, 0.6)
        return
    movers = owners + companions if meaning == "motion" else owners
    if not movers and meaning in ("motion", "residence", "arrival") and noun.dep_ == "dobj":
        movers = _subjects(r, verb)
    if not movers:
        return
    if meaning == "motion":
        # "recalled a trip ... to Los Angeles", "I was on my way ... through Marseilles": the
        # parser often hangs the noun's places on the verb of its clause
        carrier = [noun] + ([verb] if noun.dep_ == "dobj" or (
            noun.dep_ == "pobj" and noun.head.head.i == verb.i) else [])
        origin = [e for t in carrier for e in _places(r, t, _FROM)]
        dest = [e for t in carrier for e in _places(r, t, _TO)]
        via = [e for t in carrier for e in _places(r, t, _VIA)]
        # "on my way to Royan through Marseilles": *through* may hang anywhere below
        for t in noun.subtree:
            if t.dep_ == "prep" and t.lower_ in _VIA:
                via += [e for o in t.children if o.dep_ == "pobj"
                        for e in r.entities(o, PLACE) if e not in via]
        _travel(out, movers, noun, origin, dest, via, None, neg, 0.6)
    elif meaning in ("arrival", "residence"):
        where = _places(r, noun, {"in", "at", "to", "inside", "near"})
        _presence(out, movers, where, noun, neg, 0.55)
    elif meaning == "departure":
        _travel(out, movers, noun, _places(r, noun, _FROM), _places(r, noun, _TO), [], None,
                neg, 0.55)

