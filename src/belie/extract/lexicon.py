"""Word tables of the extractor that are grammar, not meaning classes: titles, reporting
verbs, the nouns of accusation and stance, irregular verb forms, and the cheap filter that
chooses the sentences to parse.

What predicates *mean* (motion, residence, encounter, communication, service) is in
:mod:`belie.extract.verbclasses`, with its sources; which state a name or an adjective
stands for is in :mod:`belie.extract.powers`, from data.  Nothing here names a person, a
state or an organ of any state: a case's own entities always come first.
"""
from __future__ import annotations

import re

from belie.extract import verbclasses as vc

#: Words in front of a person's name that are not part of it.
TITLES = frozenset("""
    mr mrs miss ms m dr doctor general marshal prosecutor comrade professor prof sir lord
    saint st president premier chancellor king queen prince captain colonel major lieutenant
    admiral judge citizen monsieur herr senor signor madame mme
    chief governor senator minister ambassador mayor sheikh bishop rabbi reverend rev
    sergeant sgt inspector detective gen col capt lt
""".split())

#: Reporting verbs (lemmas): the subject of one of these is the speaker of what the
#: clause under it says.
REPORTING = frozenset("""
    say tell confess declare write testify admit claim state assert allege report
    affirm maintain insist announce proclaim depict accuse charge establish swear explain
    reveal describe acknowledge repeat add avow deny recall recount remember tell
""".split())

#: Nouns that make the holder serve or ally with a power.
AGENT_NOUNS = frozenset({"agent", "agents", "ally", "allies", "spy", "spies", "hireling",
                         "hirelings", "servant", "servants", "henchman",
                         "henchmen", "mercenary", "mercenaries", "emissary",
                         "emissaries", "accomplice", "accomplices", "collaborator",
                         "collaborators", "stooge", "stooges", "lackey", "lackeys"})
ALLIANCE_NOUNS = frozenset({"alliance", "pact", "collusion", "collaboration", "bloc",
                            "solidarity", "conspiracy", "compact"})
SELL_VERBS = frozenset({"sell", "betray", "deliver", "surrender", "hand", "pass"})

#: Stance: words that state how one power stands toward another.
FRIENDLY_WORDS = frozenset({"friendly", "friendship", "sympathy", "sympathies", "cordial",
                            "amicable", "alliance", "allied", "pact", "rapprochement",
                            "good-will", "goodwill", "entente", "cooperation", "co-operation"})
HOSTILE_WORDS = frozenset({"hostile", "hostility", "enmity", "war", "attack", "attacked",
                           "aggression", "invasion", "invaded", "invade", "antagonism"})
NEUTRAL_WORDS = frozenset({"neutral", "neutrality"})
STANCE_NOUNS = frozenset({"relations", "relation", "feelings", "feeling", "attitude",
                          "policy", "sympathies", "sympathy", "friendship", "hostility",
                          "enmity", "war", "pact", "alliance", "treaty"})
#: Existence: what begins or ends a place or an organisation.
BEGIN_VERBS = frozenset({"found", "build", "open", "establish", "create", "erect"})
END_VERBS = frozenset({"close", "demolish", "dissolve", "destroy", "abolish", "disband",
                       "shut", "liquidate"})

#: Irregular English verb forms -> lemma (a fallback to the pipeline's lemmatizer).
IRREGULAR = {
    "met": "meet", "went": "go", "gone": "go", "flew": "fly", "flown": "fly",
    "drove": "drive", "driven": "drive", "wrote": "write", "written": "write",
    "saw": "see", "seen": "see", "sold": "sell", "sent": "send", "was": "be", "were": "be",
    "been": "be", "is": "be", "are": "be", "came": "come", "left": "leave", "rode": "ride",
    "fled": "flee", "spent": "spend", "said": "say", "told": "tell", "swore": "swear",
}

# -- the cheap filter: which sentences are worth parsing -----------------------------------

_TRIGGER_WORDS = sorted(vc.trigger_forms() | {
    # accusation
    "agent", "agents", "ally", "allies", "allied", "alliance", "spy", "spies", "espionage",
    "service of", "in the pay", "paid by", "sold", "hireling", "hirelings", "servant",
    "collaboration", "collusion", "pact with", "solidarity", "serving", "served", "serve",
    "betrayed", "surrender", "emissary", "emissaries", "accomplice", "henchman", "tool of",
    "instrument of", "stooge", "lackey",
    # existed
    "existence", "exist", "existed", "exists", "founded", "built", "demolished", "closed",
    "opened", "dissolved", "abolished",
    # stance
    "relations", "feelings", "hostile", "hostility", "friendly", "friendship", "sympathies",
    "sympathy", "attacked", "attack", "invaded", "war with", "war against", "war on",
    "enmity", "neutral", "neutrality", "treaty",
}, key=len, reverse=True)

#: A sentence is parsed when it holds a form of a verb or noun of some class, or places
#: something: a preposition of place or direction before a capitalised word ("trained
#: scientifically in Warshaw", "at the Crown Court at Worcester").
TRIGGER_RX = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _TRIGGER_WORDS) + r")\b|"
                        r"\b(?:in|at|near|inside|to|from|via|through)\s+(?:the\s+)?[A-Z]",
                        re.IGNORECASE)
_PLACE_RX = re.compile(r"\b(?:in|at|near|inside|to|from|via|through)\s+(?:the\s+)?[A-Z]")


def triggers(text: str) -> bool:
    """True when a sentence is worth parsing (see TRIGGER_RX; the prepositions count only
    before a capital letter)."""
    m = TRIGGER_RX.search(text)
    while m is not None:
        if not re.match(r"(?i)(?:in|at|near|inside|to|from|via|through)\s", m.group(0)) or \
                _PLACE_RX.match(text, m.start()):
            return True
        m = TRIGGER_RX.search(text, m.start() + 1)
    return False


#: A dateline at the head of a report: a place in capitals, then a country or region
#: and/or an agency in brackets, then a dash.
# Every run is bounded (no town's name in capitals runs past 40 letters), so that the
# expression stays linear even when searched through a page of capitals.
DATELINE_RX = re.compile(r"\s{0,40}([A-Z][A-Z'’.-]{1,40}(?: [A-Z][A-Z'’.-]{1,40}){0,3})"
                       r"(?:,\s{0,40}[A-Z][\w'’.]{0,40}(?:\s{1,40}[A-Z][\w'’.]{0,40}){0,3})?"
                       r"(?:\s{0,40}\([^)\n]{1,40}\))?\s{0,40}[-–—]{1,3}\s")


#: Anaphors that need the sentence before for their referent.
ANAPHOR_RX = re.compile(r"\b(?:he|him|his|she|her|they|them|their|there|it|its|my son|"
                        r"my father|my wife|his son|the latter|the former|the \w+)\b",
                        re.IGNORECASE)


def lemma_of(token) -> str:
    """The token's lemma, lower case, with the irregular table as a fallback."""
    low = token.lower_
    got = IRREGULAR.get(low)
    if got is not None:
        return got
    if token.lemma_:
        return token.lemma_.lower()
    from belie.extract.nlp import lemma

    return lemma(token) or low
