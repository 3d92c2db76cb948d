"""Locating a claim's quote in its source's text."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from belie.store.db import CaseStore, SourceRecord
from belie.store.quotes import check_quotes, locate_quote, normalise, normalise_quote

TEXT = ("Statement of Jean Dubois, 14 February 1923.\n\n"
        "I met Marchand at the Grand Café in the middle of March. He spoke of\n"
        "“sabo-\n   tage” at the works, and said: ‘The ledgers — all of them — must burn.’\n")


def passage(m, text=TEXT):
    return text[m.start:m.end]


def test_exact():
    m = locate_quote("I met Marchand at the Grand Café", TEXT)
    assert (m.status, m.similarity) == ("exact", 1.0)
    assert passage(m) == "I met Marchand at the Grand Café"
    assert m.nearest is None


def test_line_break_hyphen_and_typographic_quotes():
    m = locate_quote('He spoke of "sabotage" at the works', TEXT)
    assert m.status == "normalised"
    assert passage(m) == "He spoke of\n“sabo-\n   tage” at the works"


def test_apostrophes_dashes_case_accents_and_whitespace():
    m = locate_quote("He spoke of 'sabotage' at the works", TEXT)
    assert passage(m) == "He spoke of\n“sabo-\n   tage” at the works"
    m = locate_quote("spoke of sabotage at", TEXT)
    assert passage(m) == "spoke of\n“sabo-\n   tage” at"
    m = locate_quote("said: 'the LEDGERS - all of them -  must burn.'", TEXT)
    assert m.status == "normalised"
    assert passage(m) == "said: ‘The ledgers — all of them — must burn."  # marks at the edges are ignored
    m = locate_quote("i met marchand at the grand cafe\n in the middle of march", TEXT)
    assert passage(m) == "I met Marchand at the Grand Café in the middle of March"


def test_hyphen_in_the_quote_and_ligatures():
    text = "a well-\nknown ﬁgure, the oﬃcer said"
    assert passage(locate_quote("well-known figure", text), text) == "well-\nknown ﬁgure"
    assert passage(locate_quote("the officer", text), text) == "the oﬃcer"
    assert passage(locate_quote("wellknown", text), text) == "well-\nknown"


def test_elision_in_the_quote():
    m = locate_quote("I met Marchand [...] in the middle of March", TEXT)
    assert m.status == "normalised"
    assert passage(m) == "I met Marchand at the Grand Café in the middle of March"
    m = locate_quote("The ledgers … must burn", TEXT)
    assert passage(m) == "The ledgers — all of them — must burn"


def test_not_found_gives_the_nearest_passage():
    m = locate_quote("I met Marchand at the Hotel Royal at the end of March", TEXT)
    assert m.status == "not_found" and m.start is None and m.end is None
    assert m.nearest.startswith("I met Marchand at the Grand Café")
    assert TEXT[m.nearest_start:].startswith(m.nearest)
    assert 0.6 < m.similarity < 1.0


def test_nothing_in_common():
    m = locate_quote("zzz qqq", TEXT)
    assert (m.status, m.nearest, m.nearest_start, m.similarity) == ("not_found", None, None, 0.0)
    assert locate_quote("   ", TEXT).status == "not_found"
    assert locate_quote("anything", "").status == "not_found"


def test_offsets_map_back_through_expanding_and_vanishing_characters():
    text = "x\u00ad y … “z”\u200b end"
    norm = normalise(text)
    assert norm.text == "x y ... z end"
    assert len(norm.offsets) == len(norm.text) + 1 and norm.offsets[-1] == len(text)
    m = locate_quote('... "z" end', text)
    assert passage(m, text) == "… “z”\u200b end"


def test_a_quote_is_found_in_a_megabyte_of_text():
    rng = random.Random(7)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(4000)]
    words = [rng.choice(vocab[:150]) if rng.random() < 0.7 else rng.choice(vocab)
             for _ in range(180_000)]
    planted = ("The prisoner declared that Marchand had ordered him to destroy every ledger "
               "of the firm in April.")
    text = " ".join(words[:90_000]) + "\n" + planted + "\n" + " ".join(words[90_000:])
    assert len(text) > 1_000_000
    found = locate_quote("Marchand had ordered him\nto destroy every ledger", text)
    near = locate_quote("the prisoner said Marchand ordered him to burn all ledgers of the firm",
                        text)
    common = locate_quote(" ".join(rng.choice(vocab[:150]) for _ in range(30)) + " xylophone",
                          text)
    assert found.status == "normalised"
    at = text.index("Marchand had ordered him to destroy every ledger")
    assert (found.start, found.end) == (at, at + len("Marchand had ordered him to destroy every ledger"))
    assert near.status == "not_found" and "Marchand had ordered him" in near.nearest
    assert text[near.nearest_start:].startswith(near.nearest)
    assert near.similarity > 0.6
    assert common.status == "not_found"


WORDS = st.sampled_from(["Marchand", "café", "sabotage", "Lyon", "the", "in", "1921", "—", "“a”",
                         "l’homme", "X"])
SEPS = st.sampled_from([" ", "  ", "\n", " \n\t", "\u00a0"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(WORDS, SEPS), min_size=2, max_size=30), st.data())
def test_any_passage_is_found_again_with_its_whitespace_changed(tokens, data):
    text = "".join(w + s for w, s in tokens)
    i = data.draw(st.integers(0, len(tokens) - 1))
    j = data.draw(st.integers(i + 1, len(tokens)))
    quote = " ".join(w for w, _ in tokens[i:j])
    m = locate_quote(quote, text)
    assert m.found
    assert normalise_quote(text[m.start:m.end]) == normalise_quote(quote)


def test_check_quotes_reads_the_store_and_records_locations(tmp_path):
    with CaseStore.open(tmp_path) as store:
        store.add_source(SourceRecord(id="dubois", file="sources/d.txt", sha256="0" * 64,
                                      size=len(TEXT), media_type="text/plain",
                                      ingested_at="2024-01-01T00:00:00+00:00", text=TEXT))
        store.replace_claims([{"id": "c1", "source_id": "dubois"}])
        reports = check_quotes(store, [("c1", "dubois", "sabotage at the works"),
                                       ("c2", "dubois", "met Dubois"),
                                       ("c3", "absent", "anything")])
        assert [r.found for r in reports] == [True, False, False]
        assert reports[2].match is None
        [row] = store.claims()
        assert row["quote_status"] == "normalised"
        assert TEXT[row["quote_start"]:row["quote_end"]] == "sabo-\n   tage” at the works"
