"""Text reuse over a corpus on a Dask cluster: the same pairs as ``find_reuse``.

The single-process run (:func:`belie.sources.reuse.find_reuse`) hashes every shingle
of every text, sorts them together, turns shared shingles into seeds, chains the
seeds of each pair of texts and aligns the chains word by word.  Here the same steps
run as five rounds of tasks, each bounded by one partition:

1. **shingle** (one task per corpus partition, :class:`belie.sources.corpus.Part`):
   read the partition, hash its words (:func:`~belie.sources.reuse.word_hash`, the
   same in every process) and its shingles, and cut the records ``(hash, document,
   position)`` into ``B`` hash buckets by the top bits of the hash, so that equal
   shingles land in one bucket;
2. **seed** (one task per hash bucket): sort the bucket, keep the shingles shared by
   two texts or more, apply the ``max_df`` / ``max_repeat`` cuts
   (:func:`~belie.sources.reuse.group_seeds`) and cut the seeds into ``B`` pair
   buckets by the pair of documents (the shuffle of candidate pairs);
3. **chain** (one task per pair bucket): every seed of a pair is now in one task;
   runs and chains as in the single-process run; the documents the chains need;
4. **fetch** (one task per corpus partition): read the partition again and send the
   words and text of each needed document to its pair bucket;
5. **align** (one task per pair bucket): extend, merge, keep and score the chains,
   and cut the passages.

The client only sums word counts, checks that ids are unique, and sorts and writes
the pairs found.  The hash bits compared are those of the single-process run (they
depend only on the total number of words), so the seeds, and thus the pairs, are the
same; word equality is tested on 64-bit word hashes instead of one process's word
ids (two different words with one hash: about 1 in 10⁸ for ten million distinct
words).  A worker lost in the middle of a run is replaced and its tasks are
recomputed by the scheduler from their inputs.
"""
from __future__ import annotations

from array import array
from hashlib import blake2b

import numpy as np

from belie.errors import InputError, Problem
from belie.sources.corpus import Corpus, Part, read_part
from belie.sources.reuse import (
    ReusePair,
    TOKEN,
    ReuseParams,
    WordHashes,
    _mix,
    _shingle_hashes,
    extend_chain,
    group_seeds,
    keep_passages,
    make_passages,
    prefix_bits,
    seed_runs,
    shingle_prefix,
    word_hash_array,
    word_offsets,
)

__all__ = ["cluster_reuse", "buckets_for"]

# Buckets are chosen by bits 48..62 of the shingle hash, above the bits the
# comparison may drop (it drops fewer than 48 bits below 2**47 words).
_BUCKET_SHIFT = np.uint64(48)
_EMPTY_I = np.empty(0, np.int64)


def buckets_for(corpus: Corpus, workers: int) -> int:
    """How many hash and pair buckets: at least two per worker and one per partition."""
    return max(4, 2 * max(1, workers), len(corpus.parts))


def _id_hashes(ids: list[str]) -> np.ndarray:
    return np.fromiter((int.from_bytes(blake2b(i.encode("utf-8", "surrogatepass"),
                                               digest_size=8).digest(), "little") for i in ids),
                       dtype=np.uint64, count=len(ids))


# ----------------------------------------------------------------------------- tasks


def _shingle_part(part: Part, n: int, nbuckets: int):
    """Round 1: (words, id hashes, [(hash, doc, pos) per bucket])."""
    ids, _dates, texts = read_part(part)
    get = WordHashes().__getitem__
    findall = TOKEN.findall
    buf = array("Q")
    lengths = np.empty(len(texts), dtype=np.int64)
    for k, text in enumerate(texts):
        before = len(buf)
        buf.extend(map(get, findall(text)))
        lengths[k] = len(buf) - before
    del texts
    words = len(buf)
    if words >= n:
        # Shingles of the whole partition at once; those running past the end of
        # their document are dropped.
        h = _shingle_hashes(np.frombuffer(buf, dtype=np.uint64), n)
        doc = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)[:len(h)]
        first = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pos = np.arange(len(h), dtype=np.int64) - first[doc]
        keep = pos + n <= lengths[doc]
        h, d, pos = h[keep], doc[keep] + part.first, pos[keep]
        del doc, keep
    else:
        h, d, pos = np.empty(0, np.uint64), _EMPTY_I, _EMPTY_I
    del buf
    bucket = ((h >> _BUCKET_SHIFT) % np.uint64(nbuckets)).astype(np.int64)
    order = np.argsort(bucket, kind="stable")
    bounds = np.searchsorted(bucket[order], np.arange(nbuckets + 1))
    pieces = []
    for j in range(nbuckets):
        sel = order[bounds[j]:bounds[j + 1]]
        pieces.append((h[sel], d[sel].astype(np.uint32 if part.first + part.count < 2**32
                                             else np.int64), pos[sel].astype(np.int32)))
    return words, _id_hashes(ids), pieces


def _pick(result, j):
    return result[2][j]


def _meta(result):
    return result[0], result[1]


def _seed_bucket(pieces, bits: int, ndocs: int, nbuckets: int, p: ReuseParams):
    """Round 2: the seeds of one hash bucket, cut by pair bucket."""
    pieces = [x for x in pieces if len(x[0])]
    if not pieces:
        return [(_EMPTY_I,) * 4] * nbuckets
    prefix = shingle_prefix(np.concatenate([x[0] for x in pieces]), bits)
    d = np.concatenate([x[1] for x in pieces]).astype(np.int64)
    pos = np.concatenate([x[2] for x in pieces]).astype(np.int64)
    del pieces
    # The pieces come in partition order, each in (document, position) order, so a
    # stable sort by prefix gives the order of the single-process run.
    order = np.argsort(prefix, kind="stable")
    prefix, d, pos = prefix[order], d[order], pos[order]
    del order
    same = prefix[1:] == prefix[:-1]
    shared = np.zeros(len(prefix), dtype=bool)
    shared[1:] = same
    shared[:-1] |= same
    del same
    da, pa, db, pb = group_seeds(prefix[shared], d[shared], pos[shared], p)
    del prefix, d, pos, shared
    q = (_mix((da * ndocs + db).astype(np.uint64)) % np.uint64(nbuckets)).astype(np.int64)
    order = np.argsort(q, kind="stable")
    bounds = np.searchsorted(q[order], np.arange(nbuckets + 1))
    out = []
    for j in range(nbuckets):
        sel = order[bounds[j]:bounds[j + 1]]
        out.append((da[sel], pa[sel], db[sel], pb[sel]))
    return out


def _pick_list(result, j):
    return result[j]


def _chain_bucket(pieces, ndocs: int, p: ReuseParams):
    """Round 3: chains of the pairs of one pair bucket, and the documents they need."""
    pieces = [x for x in pieces if len(x[0])]
    if not pieces:
        return [], _EMPTY_I
    da, pa, db, pb = (np.concatenate([x[i] for x in pieces]) for i in range(4))
    chains = seed_runs(da, pa, db, pb, ndocs, p)
    keys = np.fromiter((c[0] for c in chains), dtype=np.int64, count=len(chains))
    needed = np.unique(np.concatenate([keys // ndocs, keys % ndocs])) if len(keys) else _EMPTY_I
    return chains, needed


def _needed(result):
    return result[1]


def _fetch_part(part: Part, needed: list, nbuckets: int):
    """Round 4: the words, text, id and date of each document a pair bucket needs."""
    lo, hi = part.first, part.first + part.count
    wanted = {}
    for q, docs in enumerate(needed):
        docs = docs[(docs >= lo) & (docs < hi)]
        for dd in docs.tolist():
            wanted.setdefault(dd, []).append(q)
    out: list[dict] = [{} for _ in range(nbuckets)]
    if not wanted:
        return out
    ids, dates, texts = read_part(part)
    cache = WordHashes()
    for dd, qs in wanted.items():
        k = dd - lo
        doc = (ids[k], dates[k], word_hash_array(texts[k], cache), texts[k])
        for q in qs:
            out[q][dd] = doc
    return out


def _align_bucket(chained, docs_pieces, ndocs: int, p: ReuseParams):
    """Round 5: the pairs of one pair bucket, as (-score, a, b, pair, a_date, b_date)."""
    chains, _needed_docs = chained
    docs: dict[int, tuple] = {}
    for piece in docs_pieces:
        docs.update(piece)
    views = {d: v[2].tolist() for d, v in docs.items()}
    per_pair: dict[int, list[list[int]]] = {}
    for k, *chain in chains:
        a, b = divmod(k, ndocs)
        per_pair.setdefault(k, []).append(extend_chain(views[a], views[b], chain))
    out = []
    for k in sorted(per_pair):
        a, b = divmod(k, ndocs)
        ida, datea, wa, ta = docs[a]
        idb, dateb, wb, tb = docs[b]
        got = keep_passages(per_pair[k], len(wa), len(wb), p)
        if got is None:
            continue
        kept, cov_a, cov_b, score = got
        passages = make_passages(kept, ta, tb, word_offsets(ta), word_offsets(tb))
        out.append((-score, a, b, ReusePair(ida, idb, score, passages, cov_a, cov_b),
                    datea, dateb))
    return out


def _find_ids(part: Part, dup: np.ndarray):
    ids, _d, _t = read_part(part)
    hashes = _id_hashes(ids)
    return [(part.path, i) for i, h in zip(ids, hashes) if h in set(dup.tolist())]


# ----------------------------------------------------------------------------- driver


def cluster_reuse(client, corpus: Corpus, params: ReuseParams | None = None,
                  nbuckets: int | None = None):
    """Run reuse over ``corpus`` on ``client``'s cluster.

    Returns ``(pairs, dates)``: the pairs in the order of ``find_reuse`` (score
    descending, then the documents' order in the corpus) and the date of each
    document named by a pair.
    """
    p = params or ReuseParams()
    ndocs = corpus.ndocs
    if ndocs < 2:
        return [], {}
    workers = len(client.scheduler_info().get("workers", {})) or 1
    nb = nbuckets or buckets_for(corpus, workers)
    submit = client.submit

    # 1. shingles, cut by hash bucket
    shingled = [submit(_shingle_part, part, p.n, nb, pure=False) for part in corpus.parts]
    metas = [submit(_meta, s) for s in shingled]
    by_bucket = [[submit(_pick, s, j) for s in shingled] for j in range(nb)]
    del shingled
    got = client.gather(metas)
    total = sum(w for w, _h in got)
    id_hashes = np.concatenate([h for _w, h in got])
    del metas, got
    uniq, counts = np.unique(id_hashes, return_counts=True)
    if (counts > 1).any():
        dup = uniq[counts > 1]
        found = client.gather([submit(_find_ids, part, dup) for part in corpus.parts])
        seen, problems = set(), []
        for hits in found:
            for path, ident in hits:
                if ident in seen:
                    problems.append(Problem(path or ident, None, None,
                                            f"the id {ident!r} is given to more than one document"))
                seen.add(ident)
        if problems:
            raise InputError(problems)
    bits = prefix_bits(total, p.n)

    # 2. seeds per hash bucket, cut by pair bucket
    seeded = [submit(_seed_bucket, pieces, bits, ndocs, nb, p) for pieces in by_bucket]
    del by_bucket
    to_pairs = [[submit(_pick_list, s, q) for s in seeded] for q in range(nb)]
    del seeded

    # 3. chains per pair bucket
    chained = [submit(_chain_bucket, pieces, ndocs, p) for pieces in to_pairs]
    del to_pairs
    needed = [submit(_needed, c) for c in chained]

    # 4. the documents each pair bucket needs
    fetched = [submit(_fetch_part, part, needed, nb) for part in corpus.parts]
    docs_for = [[submit(_pick_list, f, q) for f in fetched] for q in range(nb)]
    del fetched, needed

    # 5. align
    aligned = [submit(_align_bucket, c, docs_for[q], ndocs, p) for q, c in enumerate(chained)]
    del chained, docs_for
    rows = []
    for fut in aligned:
        rows.extend(fut.result())
        fut.release()
    rows.sort(key=lambda t: t[:3])
    dates: dict[str, str | None] = {}
    for _s, _a, _b, pair, da, db in rows:
        dates[pair.a] = da
        dates[pair.b] = db
    return [r[3] for r in rows], dates
