"""Word lists of the extractor: triggers, reporting verbs, and the small alias tables.

Everything here is a plain table, documented in docs/extract.md; a case's own
entities always win over these tables (an alias is used only when the name is not
a name of one of the case's entities).
"""
from __future__ import annotations

import re

#: Leaders (and a few state organs) -> the power they stand for.  Used to read
#: "sold the secrets to Hitler" as serving Germany, "an ally of Pilsudski" as Poland.
#: Keys are folded names (see belie.model.places.normalize_name).
LEADERS: dict[str, str] = {
    "hitler": "Germany", "adolf hitler": "Germany", "goering": "Germany", "goring": "Germany",
    "himmler": "Germany", "hess": "Germany", "rudolf hess": "Germany", "gestapo": "Germany",
    "reichswehr": "Germany", "wehrmacht": "Germany", "hindenburg": "Germany",
    "mikado": "Japan", "the mikado": "Japan", "hirohito": "Japan",
    "pilsudski": "Poland", "marshal pilsudski": "Poland",
    "churchill": "Britain", "winston churchill": "Britain", "chamberlain": "Britain",
    "baldwin": "Britain", "intelligence service": "Britain",
    "daladier": "France", "blum": "France", "leon blum": "France", "laval": "France",
    "deuxieme bureau": "France",
    "mussolini": "Italy", "duce": "Italy",
    "roosevelt": "United States",
    "stalin": "USSR", "molotov": "USSR", "litvinov": "USSR", "kremlin": "USSR",
    "franco": "Spain",
}

#: Entries of LEADERS that are institutions, not persons.
ORGANS = frozenset({"gestapo", "reichswehr", "wehrmacht", "intelligence service",
                    "deuxieme bureau", "kremlin"})

#: Adjectives and plural nouns of nationality -> the power.
DEMONYMS: dict[str, str] = {
    "german": "Germany", "germans": "Germany", "nazi": "Germany", "nazis": "Germany",
    "japanese": "Japan",
    "british": "Britain", "english": "Britain", "englishmen": "Britain",
    "american": "United States", "americans": "United States",
    "french": "France", "frenchmen": "France",
    "polish": "Poland", "poles": "Poland",
    "italian": "Italy", "italians": "Italy",
    "soviet": "USSR", "soviets": "USSR", "russian": "USSR", "russians": "USSR",
    "spanish": "Spain", "czech": "Czechoslovakia", "czechoslovak": "Czechoslovakia",
    "romanian": "Romania", "rumanian": "Romania", "finnish": "Finland",
    "norwegian": "Norway", "danish": "Denmark", "turkish": "Turkey", "chinese": "China",
}

#: Other names of powers, tried after the case's names and the gazetteer's countries.
POWER_NAMES: dict[str, str] = {
    "u s": "United States", "us": "United States", "u s a": "United States",
    "united states": "United States", "america": "United States",
    "ussr": "USSR", "u s s r": "USSR", "soviet union": "USSR", "russia": "USSR",
    "england": "Britain", "great britain": "Britain", "britain": "Britain",
}

#: Words in front of a person's name that are not part of it.
TITLES = frozenset("""
    mr mrs miss ms m dr doctor general marshal prosecutor comrade professor prof sir lord
    saint st president premier chancellor king queen prince captain colonel major lieutenant
    admiral judge citizen monsieur herr senor signor madame mme
""".split())

#: Reporting verbs (lemmas): the subject of one of these is the speaker of what the
#: clause under it says.
REPORTING = frozenset("""
    say tell confess declare write testify admit claim state assert allege report
    affirm maintain insist announce proclaim depict accuse charge establish swear explain
    reveal describe acknowledge repeat add avow deny
""".split())

#: Reporting verbs that deny what follows ("X denied that he met Y").
DENYING = frozenset({"deny"})

#: Verbs of travel (lemma -> mode, or None when the verb does not say).
TRAVEL_VERBS: dict[str, str | None] = {
    "go": None, "travel": None, "journey": None, "come": None, "return": None,
    "leave": None, "depart": None, "proceed": None, "move": None, "head": None,
    "fly": "air", "drive": "road", "ride": "road", "sail": "sea", "cross": None,
    "walk": "foot", "march": "foot", "emigrate": None, "escape": None, "flee": None,
}
TRAVEL_NOUNS = frozenset({"way", "journey", "trip", "voyage", "flight", "route", "passage"})
MODE_WORDS: dict[str, str] = {
    "train": "rail", "rail": "rail", "railway": "rail", "express": "rail",
    "car": "road", "automobile": "road", "bus": "road", "road": "road",
    "plane": "air", "aeroplane": "air", "airplane": "air", "air": "air", "aircraft": "air",
    "ship": "sea", "boat": "sea", "steamer": "sea", "sea": "sea", "launch": "sea",
    "foot": "foot",
}

#: Verbs of presence (lemma): "was in X", "stayed at X", "has never been to X".
PRESENCE_VERBS = frozenset({"be", "stay", "live", "remain", "reside", "visit", "arrive",
                            "spend", "sojourn", "lodge", "hide", "appear", "land"})

#: Nouns of someone's being somewhere: "the declarations of X at Geneva", "X's stay in Y".
PRESENCE_NOUNS = frozenset({"stay", "sojourn", "presence", "arrival", "visit", "speech",
                            "speeches", "declaration", "declarations", "address", "lecture",
                            "residence", "appearance", "testimony", "statement", "statements"})

#: Verbs and nouns of meeting.
MEETING_VERBS = frozenset({"meet", "see", "visit", "encounter", "interview", "receive", "join"})
MEETING_NOUNS = frozenset({"meeting", "interview", "rendezvous", "encounter", "talk", "talks",
                           "conversation", "conference", "appointment"})

#: Message media (claims.MESSAGE_MEDIA) by their nouns and verbs.
MESSAGE_NOUNS: dict[str, str] = {
    "letter": "letter", "letters": "letter", "telegram": "telegram", "telegrams": "telegram",
    "wire": "telegram", "cable": "cable", "cablegram": "cable", "note": "note",
    "message": "message", "call": "call", "radiogram": "radio", "postcard": "letter",
    "courier": "courier",
}
MESSAGE_VERBS: dict[str, str | None] = {
    "write": "letter", "telegraph": "telegram", "wire": "telegram", "cable": "cable",
    "telephone": "call", "phone": "call", "ring": "call", "call": "call", "send": None,
    "radio": "radio",
}

#: Nouns that make the holder serve or ally with a power.
AGENT_NOUNS = frozenset({"agent", "agents", "ally", "allies", "spy", "spies", "hireling",
                         "hirelings", "servant", "servants", "henchman",
                         "henchmen", "mercenary", "mercenaries", "emissary",
                         "emissaries", "accomplice", "accomplices", "collaborator",
                         "collaborators", "stooge", "stooges", "lackey", "lackeys"})
ALLIANCE_NOUNS = frozenset({"alliance", "pact", "collusion", "collaboration", "bloc",
                            "agreement", "solidarity", "conspiracy", "compact", "deal"})
SERVE_VERBS = frozenset({"serve", "spy", "work"})
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
STANCE_VERBS: dict[str, str] = {
    "attack": "hostile", "invade": "hostile", "fight": "hostile", "declare": "",
    "befriend": "friendly", "ally": "friendly",
}

#: Existence.
EXIST_WORDS = frozenset({"existence", "exist", "existed", "exists", "extant"})
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

_TRIGGER_WORDS = sorted({
    # meeting
    "met", "meet", "meets", "meeting", "meetings", "saw", "seen", "interview", "rendezvous",
    "encounter", "encountered", "conversation", "visited", "visit", "received",
    # presence
    "been", "stayed", "stay", "lived", "resided", "arrived", "arrival", "spent", "remained",
    "landed", "was in", "were in", "was at", "were at", "is in", "are in", "sojourn",
    "presence", "speech", "speeches", "declaration", "declarations", "address", "lecture",
    "residence", "appearance", "testimony", "statement", "statements",
    # travel
    "went", "go", "goes", "going", "gone", "travelled", "traveled", "travel", "travelling",
    "flew", "fly", "flown", "flight", "drove", "sailed", "journey", "journeyed", "trip",
    "voyage", "way to", "left", "leave", "departed", "returned", "came", "come", "crossed",
    "emigrated", "fled", "escaped",
    # message
    "letter", "letters", "telegram", "telegrams", "wrote", "written to", "write to", "cable",
    "cabled", "telegraphed", "telephoned", "phoned", "message", "wired", "sent",
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

TRIGGER_RX = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in _TRIGGER_WORDS) + r")\b",
                        re.IGNORECASE)

#: Anaphors that need the sentence before for their referent.
ANAPHOR_RX = re.compile(r"\b(?:he|him|his|she|her|they|them|their|there|it|its|my son|"
                        r"my father|my wife|his son|the latter|the former)\b", re.IGNORECASE)


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
