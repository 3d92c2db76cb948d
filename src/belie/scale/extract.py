"""``belie extract`` on a Dask cluster: the spaCy pipeline runs on the workers.

Extraction has two parts per source.  The first reads the text alone: cut it into
paragraphs and sentences and parse the sentences that hold a trigger
(:func:`belie.extract.prepare`) — nearly all of the time goes there, in spaCy.  The
second links what the sentences say to the case and to what earlier sources proposed
(new entities, the names seen as persons), so it depends on the order of the sources.

Here the first part is mapped over the sources on the workers, each worker loading the
pipeline once (it is kept per process by :mod:`belie.extract.nlp`); the sentences come
back as spaCy's own binary form (``Doc.to_bytes``, without the tensors the extractor
never reads) and the second part runs on the client in the order of the
single-process run, so the candidates are the same.
"""
from __future__ import annotations

from dataclasses import fields

__all__ = ["cluster_extract"]

#: Fields of a sentence that hold spaCy objects: sent as bytes (or found again later).
_SPACY_FIELDS = ("toks", "doc", "mentions")


def _pack(sents) -> tuple[list[bytes], list[tuple]]:
    """Sentences as plain data: their paragraphs' docs (bytes) and, per sentence, its
    other fields, the token span of its paragraph doc, and its parsed doc (bytes or
    None).  ``mentions`` is not sent: it is found on the client."""
    paras: list[bytes] = []
    index: dict[int, int] = {}
    rows = []
    for s in sents:
        span = s.toks
        ref = None
        if span is not None:
            doc = span.doc
            k = index.get(id(doc))
            if k is None:
                k = index[id(doc)] = len(paras)
                paras.append(doc.to_bytes(exclude=["tensor", "user_data"]))
            ref = (k, span.start, span.end)
        parsed = s.doc.to_bytes(exclude=["tensor", "user_data"]) if s.doc is not None else None
        plain = {f.name: getattr(s, f.name) for f in fields(s) if f.name not in _SPACY_FIELDS}
        rows.append((plain, ref, parsed))
    return paras, rows


def _unpack(packed, splitter_vocab, parser_vocab):
    from spacy.tokens import Doc

    from belie.extract import _Sent

    paras_bytes, rows = packed
    paras = [Doc(splitter_vocab).from_bytes(b) for b in paras_bytes]
    sents = []
    for plain, ref, parsed in rows:
        s = _Sent(**plain)
        if ref is not None:
            k, a, b = ref
            s.toks = paras[k][a:b]
        if parsed is not None:
            s.doc = Doc(parser_vocab).from_bytes(parsed)
        sents.append(s)
    return sents


def _prepare_task(text: str):
    from belie.extract import prepare

    return _pack(prepare(text))


def cluster_extract(client, case, sources=None, texts=None, *, keep_hypothetical: bool = True):
    """:func:`belie.extract.extract` with the parsing mapped over ``client``'s workers
    (*texts*: source id -> text, read instead of the sources' files, as there)."""
    from belie.extract import extract, source_texts
    from belie.extract.nlp import load_parser, load_splitter

    if texts is None:
        texts = source_texts(case, sources)
    elif sources:
        texts = {k: v for k, v in texts.items() if k in set(sources)}
    parser = load_parser()           # its vocabulary receives the parsed sentences
    splitter = load_splitter()
    ids = list(texts)
    futures = client.map(_prepare_task, [texts[i] for i in ids], pure=False)
    prepared = {}
    for sid, fut in zip(ids, futures):
        prepared[sid] = _unpack(fut.result(), splitter.vocab, parser.vocab)
        fut.release()
    return extract(case, texts=texts, keep_hypothetical=keep_hypothetical, prepared=prepared)
