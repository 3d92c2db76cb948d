"""What a predicate means: the verb and noun classes the extractor reads events with.

A claim is read from a predicate and its arguments (:mod:`belie.extract.events`); this
module says which predicates mean what.  The classes are not word lists fitted to the
texts belie was tried on: they are the published classes of English verbs and frames that
bear on the five claim kinds, with their class ids, so that a reader can check them.

* **Verbs**: Beth Levin, *English Verb Classes and Alternations* (1993), as refined in
  VerbNet 3 (Kipper-Schuler 2005; https://verbs.colorado.edu/verbnet/).  The numbers are
  Levin's section numbers, which VerbNet keeps in its class ids (``escape-51.1``).
* **Nouns and a few verbs VerbNet files elsewhere**: FrameNet 1.7 frames (Baker, Fillmore
  and Lowe 1998; https://framenet.icsi.berkeley.edu/), named by frame.

Only members in their common senses are listed (Levin's classes hold rarer members too:
``bounce`` in banish-10.2, ``box`` in meet-36.3).  Where belie reads a predicate that
neither resource files under the class it is used for, the entry says so (``order`` with a
destination, read as forced movement).  No data is downloaded: WordNet through PyPI's
``wn`` or NLTK fetches its data at run time, which belie may not do.
"""
from __future__ import annotations

#: Each class: (what it means for a claim, source, members).  Meanings:
#:   motion     -- the subject goes (from / to / via)
#:   arrival    -- the subject arrives: present at the goal
#:   departure  -- the subject leaves: the object or ``from`` is the origin
#:   caused     -- the object (the passive subject) is moved: sent, deported, smuggled
#:   accompany  -- the subject goes with the object: both travel, and are together
#:   residence  -- the subject is at a place (in / at / the object of *visit*)
#:   encounter  -- the subject and the object (or *with*) are together in person
#:   contact    -- the subject sends the object (or *to*) a message at a distance
#:   service    -- the subject serves the object (or *for*)
#:   employ     -- the object (passive subject) serves the subject (or the *by* agent)
VERB_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("motion", "VerbNet escape-51.1 (Levin 51.1, verbs of inherently directed motion)",
     "come go proceed return travel journey advance emigrate immigrate cross head move"),
    ("arrival", "VerbNet escape-51.1 and reach-51.8 (arrive, enter, reach), FrameNet Arriving",
     "arrive enter reach land"),
    ("departure", "VerbNet escape-51.1 and leave-51.2 (Levin 51.2, leave verbs)",
     "leave depart exit escape flee abandon desert"),
    ("motion", "VerbNet run-51.3.2 (Levin 51.3.2, run verbs; the common ones)",
     "walk march run ride hurry rush wander"),
    ("motion", "VerbNet vehicle-51.4.1 (Levin 51.4.1, verbs that are vehicle names and "
     "verbs of motion using a vehicle)", "fly sail drive cycle motor taxi steam"),
    ("caused", "VerbNet send-11.1 (Levin 11.1, send verbs)",
     "send ship dispatch transfer transport smuggle forward post"),
    ("caused", "VerbNet banish-10.2 (Levin 10.2, banish verbs)",
     "banish deport evacuate exile expel extradite recall remove"),
    ("caused", "VerbNet bring-11.3 and carry-11.4 (Levin 11.3, 11.4)",
     "bring take carry ferry fly"),
    ("caused", "belie's own: a directive with a destination ('was ordered to Detroit') is "
     "read as forced movement; FrameNet files it under Request", "order summon"),
    ("accompany", "VerbNet accompany-51.7 (Levin 51.7)", "accompany escort guide lead conduct"),
    ("residence", "VerbNet lodge-46 (Levin 46, lodge verbs)",
     "board camp dwell live lodge reside settle shelter sojourn stay room"),
    ("residence", "VerbNet exist-47.1 (Levin 47.1) and spend_time-104",
     "exist remain spend hide wait"),
    ("residence", "FrameNet Visiting (a place as object) and Being_located",
     "visit tour"),
    ("residence", "FrameNet Attending (attend a school, a meeting: the attendee is at its "
     "place)", "attend"),
    ("encounter", "VerbNet meet-36.3 (Levin 36.3, meet verbs; the peaceable ones)",
     "meet encounter visit"),
    ("encounter", "VerbNet marry-36.2 (Levin 36.2)", "marry wed"),
    ("encounter", "VerbNet correspond-36.1 (Levin 36.1; in person: confer, consult, "
     "negotiate) and FrameNet Meet_with, Social_event", "confer consult negotiate dine lunch"),
    ("encounter", "FrameNet Visiting and Meet_with (received by, greeted by, introduced to)",
     "receive greet welcome host interview introduce join see"),
    ("contact", "FrameNet Contacting (call, contact, e-mail, fax, phone, ring, telephone, "
     "write) and VerbNet instr_communication-37.4 (cable, radio, telegraph, wire)",
     "call contact email e-mail fax phone ring telephone text write cable radio telegraph "
     "wire message"),
    ("service", "FrameNet Being_employed and Serving_in_capacity (serve, work for); "
     "VerbNet masquerade-29.6 (serve as)", "serve work spy"),
    ("employ", "VerbNet hire-13.5.3 (Levin 13.5.3: employ, engage, hire, recruit) and "
     "appoint-29.1", "employ engage hire recruit appoint enlist"),
)

#: Phrasal verbs (verb + particle) of the same classes: FrameNet Arriving (touch down),
#: Departing (set off, take off), Self_motion (move on, come back, head off).
PHRASAL: dict[str, str] = {
    "touch down": "arrival", "set down": "arrival", "pull up": "arrival", "check in": "arrival",
    "set off": "departure", "set out": "departure", "take off": "departure",
    "head off": "departure", "check out": "departure", "move on": "motion",
    "come back": "motion", "go back": "motion", "fly back": "motion", "move in": "residence",
    "stay on": "residence", "meet up": "encounter", "call up": "contact",
}

#: lemma -> meanings (a verb may have several: *fly* is motion and caused motion).
VERBS: dict[str, tuple[str, ...]] = {}
for _meaning, _src, _members in VERB_CLASSES:
    for _v in _members.split():
        if _meaning not in VERBS.get(_v, ()):
            VERBS[_v] = VERBS.get(_v, ()) + (_meaning,)

#: Manner of travel by the verb (claims.TRAVEL_MODES), VerbNet vehicle-51.4.1.
VERB_MODE = {"fly": "air", "sail": "sea", "drive": "road", "motor": "road", "cycle": "road",
             "ride": "road", "steam": "sea", "walk": "foot", "march": "foot", "taxi": "road"}

#: Manner of travel by the instrument ("by train", "on a steamer", "took the train").
MODE_NOUNS = {
    "train": "rail", "rail": "rail", "railway": "rail", "railroad": "rail", "express": "rail",
    "car": "road", "automobile": "road", "bus": "road", "road": "road", "coach": "road",
    "taxi": "road", "truck": "road", "lorry": "road", "van": "road", "bicycle": "road",
    "plane": "air", "aeroplane": "air", "airplane": "air", "air": "air", "aircraft": "air",
    "jet": "air", "flight": "air", "helicopter": "air", "airline": "air",
    "ship": "sea", "boat": "sea", "steamer": "sea", "sea": "sea", "ferry": "sea",
    "vessel": "sea", "yacht": "sea", "foot": "foot",
}

#: Nouns (FrameNet frames) that carry an event of one of the meanings above.
NOUN_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("motion", "FrameNet Travel and Self_motion (trip, journey, voyage, flight, travels)",
     "trip journey voyage flight travel travels way route passage crossing"),
    ("arrival", "FrameNet Arriving", "arrival return landing"),
    ("departure", "FrameNet Departing", "departure exit escape"),
    ("residence", "FrameNet Temporary_stay, Residence, Presence, Visiting",
     "stay sojourn visit stop stops presence residence appearance"),
    ("residence", "FrameNet Statement and Speak_on_topic: a statement made at a place puts its "
     "maker there", "declaration declarations speech speeches statement statements address "
     "lecture testimony"),
    ("encounter", "FrameNet Meet_with, Discussion, Social_event",
     "meeting meetings interview rendezvous encounter talks conversation conference "
     "appointment audience reception dinner lunch wedding"),
    ("contact", "FrameNet Contacting, Communication (media as nouns)",
     "letter letters telegram telegrams cable call calls phone message messages email "
     "e-mail note invitation postcard wire radiogram"),
)
NOUNS: dict[str, str] = {n: m for m, _s, members in NOUN_CLASSES for n in members.split()}

#: Nouns of living somewhere (FrameNet Residence: resident, inhabitant).
RESIDENT_NOUNS = frozenset({"resident", "residents", "inhabitant", "inhabitants"})

#: Medium of a message by its noun or verb (claims.MESSAGE_MEDIA).
MEDIUM = {
    "letter": "letter", "letters": "letter", "postcard": "letter", "note": "letter",
    "invitation": "letter", "write": "letter", "mail": "letter",
    "telegram": "telegram", "telegrams": "telegram", "wire": "telegram",
    "telegraph": "telegram", "cable": "cable", "radiogram": "radio", "radio": "radio",
    "call": "call", "calls": "call", "phone": "call", "telephone": "call", "ring": "call",
    "email": "message", "e-mail": "message", "message": "message", "messages": "message",
    "text": "message", "fax": "message",
}

#: Nouns of a role held in the service of someone (FrameNet Leadership, Being_employed,
#: Employing, Member_of_military, People_by_vocation; and the vocabulary of intelligence
#: work: agent, spy, informant, asset, handler, operative).  "X, chairman of the Y",
#: "the FBI agent X", "an Italian ambassador, X" state that X serves Y.
SERVICE_NOUNS = frozenset("""
    agent agents spy spies informant informer asset handler operative operatives officer
    officers official officials employee employees staffer envoy emissary
    ambassador ambassadors diplomat consul attache commissioner minister secretary chairman chairwoman
    chair president commander chief head director leader governor spokesman spokeswoman
    representative delegate soldier general colonel captain lieutenant prosecutor advisor
    adviser aide collaborator ally allies servant hireling mercenary lackey stooge henchman
    accomplice
""".split())

#: Nouns of a trade or profession (FrameNet People_by_vocation; the common ones): "a clerk
#: with the X Corporation", "a journalist with ITV", "a lawyer for the firm" state that the
#: holder works for the organisation its *with* / *for* / *of* names -- never by a modifier
#: ("a Kenyan lawyer" serves no one).
VOCATION_NOUNS = frozenset("""
    clerk clerks lawyer lawyers attorney solicitor barrister journalist journalists reporter
    reporters correspondent editor porter engineer engineers manager organiser organizer
    accountant analyst researcher investigator detective constable sergeant inspector
    superintendent mayor worker workers staff banker pilot driver guard
    mechanic teacher professor lecturer translator interpreter economist
""".split())


#: Offices of rule over a territory (FrameNet Leadership, the heads of polities): "the
#: Governor of British Guiana", "the President of Jubaland", "Superintendent of Canterbury"
#: serve the territory as a power even where it is no state of the ISO tables.
RULER_NOUNS = frozenset("""governor president mayor premier king queen emperor sultan emir
    superintendent viceroy""".split())


def meanings(lemma: str, particle: str | None = None) -> tuple[str, ...]:
    if particle:
        got = PHRASAL.get(f"{lemma} {particle}")
        if got is not None:
            return (got,)
    return VERBS.get(lemma, ())


# -- the cheap filter: forms of the class members, to choose the sentences to parse ---------

_IRREGULAR = {
    "come": "came", "go": "went gone goes", "leave": "left", "flee": "fled", "fly": "flew flown flies",
    "drive": "drove driven", "ride": "rode ridden", "run": "ran", "take": "took taken",
    "bring": "brought", "send": "sent", "meet": "met", "see": "saw seen", "write": "wrote written",
    "spend": "spent", "lead": "led", "ring": "rang rung", "wed": "wed wedded", "hide": "hid hidden",
    "be": "was were been is are", "make": "made", "forsake": "forsook",
    "arrive": "arrived arrives arriving", "lie": "lay",
}


def forms(lemma: str) -> set[str]:
    """Inflected forms of a verb (regular English morphology plus irregular forms)."""
    out = {lemma}
    out.update(_IRREGULAR.get(lemma, "").split())
    if lemma.endswith("e"):
        out.update({lemma + "s", lemma + "d", lemma[:-1] + "ing"})
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out.update({lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"})
    else:
        out.update({lemma + "s", lemma + "es", lemma + "ed", lemma + "ing"})
        if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and \
                lemma[-3] not in "aeiou":
            out.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    return out


def trigger_forms() -> set[str]:
    """Every word form that can carry an event: verb forms, event nouns, service nouns."""
    words: set[str] = set()
    for v in VERBS:
        words |= forms(v)
    words |= set(NOUNS) | SERVICE_NOUNS | VOCATION_NOUNS | RESIDENT_NOUNS
    for ph in PHRASAL:
        words |= forms(ph.split()[0])
    return words
