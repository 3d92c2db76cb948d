"""Truth discovery inside a case: disputed facts, source accuracy, copying, the reading."""
from __future__ import annotations

import json

import pytest

import belie
from belie.cli import main
from belie.sources.reliability import CaseSimilarity, case_item_list, case_items, case_reliability

# Three confessions (Dubois's, and two men's who say they saw it) put Marchand at a
# café in Paris with Dubois on 20 November 1932; a hotel register
# and a police log keep him at the Hotel Adlon in Berlin over those days.  A porter says
# only "in Berlin" (a city around the truth: partly right); a neighbour says Lyon (wrong).
CONFESSIONS = """
case: a meeting in Paris that three confess to
entities:
  marchand: {type: person, names: [Paul Marchand]}
  dubois:   {type: person, names: [Jean Dubois]}
  durand:   {type: person, names: [Louis Durand]}
  lefevre:  {type: person, names: [Henri Lefèvre]}
  berlin:   {type: place, names: [Berlin], at: [52.52, 13.40]}
  adlon:    {type: place, names: [Hotel Adlon], within: berlin, at: [52.516, 13.38]}
  paris:    {type: place, names: [Paris], at: [48.86, 2.35]}
  cafe:     {type: place, names: [Café de la Paix], within: paris, at: [48.871, 2.332]}
  lyon:     {type: place, names: [Lyon], at: [45.76, 4.84]}
sources:
  conf-dubois:    {kind: confession, speaker: dubois, said: 1937-01-10}
  conf-durand:    {kind: confession, speaker: durand, said: 1937-01-11}
  conf-lefevre:   {kind: confession, speaker: lefevre, said: 1937-01-12}
  hotel-register: {kind: record, said: 1932-11-30}
  police-log:     {kind: record, said: 1932-11-30}
  porter:         {kind: testimony, said: 1936-05-01}
  neighbour:      {kind: testimony, said: 1936-05-02}
claims:
  - {id: dubois-cafe, source: conf-dubois, event: cafe-meeting, meeting: [dubois, marchand], where: cafe, when: 1932-11-20}
  - {id: durand-cafe, source: conf-durand, event: cafe-meeting, meeting: [dubois, marchand], where: cafe, when: 1932-11-20}
  - {id: lefevre-cafe, source: conf-lefevre, event: cafe-meeting, meeting: [dubois, marchand], where: cafe, when: 1932-11-20}
  - {id: marchand-adlon, source: hotel-register, presence: marchand, where: adlon, throughout: 1932-11-15/1932-11-25}
  - {id: marchand-logged, source: police-log, presence: marchand, where: adlon, throughout: 1932-11-18/1932-11-22}
  - {id: porter-berlin, source: porter, presence: marchand, where: berlin, when: 1932-11-20}
  - {id: neighbour-lyon, source: neighbour, presence: marchand, where: lyon, when: 1932-11-20}
"""

WHERE_MARCHAND = "where was Paul Marchand from 18 Nov 1932 to 22 Nov 1932"

PRESS = ("gazette", "courier", "herald", "tribune")
# Five stays of John Smith, each kept by a register.  Four papers print one wire story
# that puts him elsewhere each time, always at the same wrong place; two witnesses err
# too, but each in a way of his own.  On the last stay only one register and Smith's
# own word stand against the four papers.
PLAN = [  # (truth, the papers' place, the clerk's, the driver's)
    ("paris", "lyon", "nice", "berlin"),
    ("rome", "vienna", "madrid", "lisbon"),
    ("prague", "geneva", "brussels", "milan"),
    ("oslo", "bergen", "malmo", "hamburg"),
    ("turin", "basel", "munich", "warsaw"),      # the last stay: 4 papers against 2
]


def chorus_case() -> str:
    places = sorted({p for row in PLAN for p in row})
    lines = ["case: a wire story repeated by four papers", "entities:",
             "  smith: {type: person, names: [John Smith]}"]
    for i, p in enumerate(places):
        lines.append(f"  {p}: {{type: place, names: [{p.title()}], at: [{40 + i * 0.7:.2f}, {-5 + i * 1.3:.2f}]}}")
    lines += ["sources:",
              "  register-a: {kind: record, said: 1930-12-31}",
              "  register-b: {kind: record, said: 1930-12-31}",
              "  smith-own:  {kind: testimony, speaker: smith, said: 1931-02-01}",
              "  clerk:      {kind: testimony, said: 1931-02-02}",
              "  driver:     {kind: testimony, said: 1931-02-03}"]
    lines += [f"  {p}: {{kind: press, said: 1931-01-0{i + 5}}}" for i, p in enumerate(PRESS)]
    lines.append("claims:")
    for k, (truth, press, clerk, driver) in enumerate(PLAN, 1):
        stay, day = f"1930-0{k}-10/1930-0{k}-14", f"1930-0{k}-12"
        last = k == len(PLAN)
        lines.append(f"  - {{id: a{k}, source: register-a, presence: smith, where: {truth}, throughout: {stay}}}")
        lines.append(f"  - {{id: own{k}, source: smith-own, presence: smith, where: {truth}, when: {day}}}")
        if not last:
            lines.append(f"  - {{id: b{k}, source: register-b, presence: smith, where: {truth}, throughout: {stay}}}")
            lines.append(f"  - {{id: c{k}, source: clerk, presence: smith, where: {clerk}, when: {day}}}")
            lines.append(f"  - {{id: d{k}, source: driver, presence: smith, where: {driver}, when: {day}}}")
        for p in PRESS:
            lines.append(f"  - {{id: {p}{k}, source: {p}, presence: smith, where: {press}, when: {day}}}")
    return "\n".join(lines) + "\n"


LAST_STAY = "where was John Smith from 10 May 1930 to 14 May 1930"

# A press report that the register bears out three times, a witness it contradicts three
# times; in June the two alone disagree, and only their record can tell between them.
LIAR = """
case: a witness found out
entities:
  smith:  {type: person, names: [John Smith]}
  paris:  {type: place, names: [Paris], at: [48.86, 2.35]}
  lyon:   {type: place, names: [Lyon], at: [45.76, 4.84]}
  nice:   {type: place, names: [Nice], at: [43.70, 7.27]}
  berlin: {type: place, names: [Berlin], at: [52.52, 13.40]}
  rome:   {type: place, names: [Rome], at: [41.90, 12.50]}
  vienna: {type: place, names: [Vienna], at: [48.21, 16.37]}
sources:
  register: {kind: record, said: 1930-12-31}
  reporter: {kind: press, said: 1931-01-05}
  liar:     {kind: testimony, said: 1931-02-01}
claims:
  - {id: reg-1, source: register, presence: smith, where: paris, throughout: 1930-01-10/1930-01-14}
  - {id: rep-1, source: reporter, presence: smith, where: paris, when: 1930-01-12}
  - {id: liar-1, source: liar, presence: smith, where: berlin, when: 1930-01-12}
  - {id: reg-2, source: register, presence: smith, where: nice, throughout: 1930-02-10/1930-02-14}
  - {id: rep-2, source: reporter, presence: smith, where: nice, when: 1930-02-12}
  - {id: liar-2, source: liar, presence: smith, where: rome, when: 1930-02-12}
  - {id: reg-3, source: register, presence: smith, where: berlin, throughout: 1930-03-10/1930-03-14}
  - {id: rep-3, source: reporter, presence: smith, where: berlin, when: 1930-03-12}
  - {id: liar-3, source: liar, presence: smith, where: vienna, when: 1930-03-12}
  - {id: rep-june, source: reporter, presence: smith, where: paris, throughout: 1930-06-10/1930-06-14}
  - {id: liar-june, source: liar, presence: smith, where: lyon, when: 1930-06-12}
"""


def run(capsys, *args):
    code = main(["sources", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ the disputed facts


def test_confessions_against_records(case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    rel = case_reliability(case)
    item = rel.item(WHERE_MARCHAND)
    assert item is not None and item.kind == "where"
    assert item.truth == "adlon"
    assert {s for s, (v, _c) in item.votes.items() if v == "cafe"} == {"conf-dubois", "conf-durand", "conf-lefevre"}
    acc = rel.accuracy
    for record in ("hotel-register", "police-log"):
        for confession in ("conf-dubois", "conf-durand", "conf-lefevre"):
            assert acc[record] > acc[confession] + 0.5
    # the table, most accurate first
    assert [r["source"] for r in rel.rows][:2] == ["hotel-register", "police-log"]
    assert rel.rows[-1]["kind"] == "confession"


def test_a_city_around_the_truth_is_partly_right(case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    rel = case_reliability(case)
    item = rel.item(WHERE_MARCHAND)
    assert rel.credit(item, "berlin") == pytest.approx(0.5)     # Berlin contains the Adlon
    assert rel.credit(item, "lyon") == 0.0
    acc = rel.accuracy
    assert acc["neighbour"] < acc["porter"] < acc["hotel-register"]
    sim = CaseSimilarity(case)
    assert sim("berlin", "adlon") == 0.5 and sim("adlon", "berlin") == 0.0
    assert sim("not paris", "adlon") > 0 and sim("not berlin", "adlon") == 0.0


def test_items_are_grouped_by_person_event_and_time(case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    names = {it.name: it for it in case_item_list(case)}
    assert WHERE_MARCHAND in names
    # the meeting's place: all three say the café, so it is corroborated, not disputed
    place = names["cafe-meeting: place"]
    assert set(place.votes) == {"conf-dubois", "conf-durand", "conf-lefevre"}
    triples = case_items(case)
    assert ("porter", WHERE_MARCHAND, "berlin") in triples
    assert all(len(t) == 3 for t in triples)
    rel = case_reliability(case)
    assert rel.item("cafe-meeting: place").confidence is None          # all agree: not weighed
    assert rel.item(WHERE_MARCHAND).confidence > 0.9


def test_denials_and_stays_make_one_fact(case_from_yaml):
    case = case_from_yaml("""
case: denials
entities:
  sedov: {type: person, names: [Leon Sedov]}
  goltzman: {type: person, names: [Holtzman]}
  berlin: {type: place, names: [Berlin], at: [52.52, 13.40]}
  copenhagen: {type: place, names: [Copenhagen], at: [55.68, 12.57]}
  bristol: {type: place, names: [Hotel Bristol], within: copenhagen, at: [55.676, 12.568]}
sources:
  papers: {kind: record, said: 1932-12}
  confession: {kind: confession, said: 1936-08-21}
  commission: {kind: finding, said: 1937-09-21}
  father: {kind: testimony, said: 1936-12-18}
claims:
  - {id: in-berlin, source: papers, presence: sedov, where: berlin, throughout: 1932-11-23/1932-12-02}
  - {id: bristol, source: confession, meeting: [goltzman, sedov], where: bristol, when: 1932-11-2X}
  - {id: not-cph, source: commission, presence: sedov, where: copenhagen, when: 1932-11-23/1932-12-02, denies: true}
  - {id: never, source: father, presence: sedov, where: copenhagen, when: ../1936-12-18, denies: true}
""")
    items = case_item_list(case)
    sedov = [it for it in items if it.kind == "where" and it.subject == "sedov"]
    assert len(sedov) == 1
    votes = {s: v for s, (v, _c) in sedov[0].votes.items()}
    assert votes == {"papers": "berlin", "confession": "bristol", "commission": "not copenhagen",
                     "father": "not copenhagen"}
    rel = case_reliability(case)
    it = rel.item(sedov[0].name)
    assert it.truth in ("berlin", "not copenhagen")
    assert rel.credit(it, "bristol") == 0.0
    assert rel.accuracy["confession"] < min(rel.accuracy[s] for s in ("papers", "commission", "father"))


# ------------------------------------------------------------------ copying


def test_a_chorus_of_copies_outvotes_the_truth_by_majority_but_not_by_accucopy(case_from_yaml):
    case = case_from_yaml(chorus_case())
    majority = case_reliability(case, method="majority")
    assert majority.truths[LAST_STAY] == "basel"               # four papers against two
    rel = case_reliability(case)
    assert rel.truths[LAST_STAY] == "turin"
    # the copying is found from the data: the papers share their mistakes
    assert set(PRESS) in [set(g) for g in rel.clusters]
    pairs = {frozenset((a, b)) for a, b, _p in rel.copying}
    assert frozenset(("gazette", "tribune")) in pairs
    assert all(rel.evidence[(a, b)] == "claims" for a, b, _p in rel.copying)
    assert not ({"clerk", "driver"} & {s for a, b, _p in rel.copying for s in (a, b)})
    for p in PRESS:
        assert rel.accuracy[p] < rel.accuracy["register-a"]


def test_text_reuse_in_the_case_store_counts_copiers_as_one_voice(case_from_yaml):
    from belie.store.db import CaseStore

    case = case_from_yaml(chorus_case())
    with CaseStore.open(case.root) as store:
        store.save_reuse_edges([("gazette", "courier", 0.9), ("gazette", "herald", 0.85),
                                ("gazette", "tribune", 0.8), ("clerk", "driver", 0.1)])
    rel = case_reliability(case, method="majority")
    assert rel.truths[LAST_STAY] == "turin"                    # the four papers vote once
    assert rel.set_aside == {"courier": 5, "herald": 5, "tribune": 5}
    assert (["gazette", "courier", "herald", "tribune"], "text reuse") in rel.voices
    known = [(a, b) for a, b, _p in rel.copying if rel.evidence[(a, b)] == "text reuse"]
    assert ("courier", "gazette") in known                     # the later said copies
    assert not any("clerk" in pair for pair in known)          # below the threshold
    # set-aside claims still count against their source
    assert rel.accuracy["tribune"] < 0.5
    # without merging, majority is fooled again
    assert case_reliability(case, method="majority", merge=()).truths[LAST_STAY] == "basel"


def test_one_speakers_sources_are_one_voice(case_from_yaml):
    case = case_from_yaml("""
case: one man, three statements
entities:
  smith: {type: person, names: [John Smith]}
  jones: {type: person, names: [Ann Jones]}
  paris: {type: place, names: [Paris], at: [48.86, 2.35]}
  lyon:  {type: place, names: [Lyon], at: [45.76, 4.84]}
sources:
  jones-1: {kind: testimony, speaker: jones, said: 1931-01-01}
  jones-2: {kind: testimony, speaker: jones, said: 1931-02-01}
  jones-3: {kind: testimony, speaker: jones, said: 1931-03-01}
  clerk-a: {kind: testimony, said: 1931-01-02}
  clerk-b: {kind: testimony, said: 1931-01-03}
claims:
  - {id: j1, source: jones-1, presence: smith, where: lyon, when: 1930-05-02}
  - {id: j2, source: jones-2, presence: smith, where: lyon, when: 1930-05-02}
  - {id: j3, source: jones-3, presence: smith, where: lyon, when: 1930-05-02}
  - {id: ca, source: clerk-a, presence: smith, where: paris, throughout: 1930-05-01/1930-05-03}
  - {id: cb, source: clerk-b, presence: smith, where: paris, throughout: 1930-05-01/1930-05-03}
""")
    rel = case_reliability(case, method="majority")
    assert list(rel.truths.values()) == ["paris"]              # Jones once against two clerks
    assert rel.speakers["jones"] < rel.speakers["clerk-a"]
    assert case_reliability(case, method="majority", merge=()).truths == {
        name: "lyon" for name in rel.truths}                   # three statements, three votes


# ------------------------------------------------------------------ the reading


def test_check_with_reliability_rejects_the_claims_of_the_inaccurate(case_from_yaml):
    case = case_from_yaml(LIAR)
    plain = belie.check(case)
    assert plain.reliability is None
    # by kind alone a testimony outweighs a press report
    assert "rep-june" in plain.reading.rejected_ids and "liar-june" not in plain.reading.rejected_ids
    weighed = belie.check(case, reliability=True)
    rel = weighed.reliability
    assert rel.accuracy["liar"] < 0.4 < 0.7 < rel.accuracy["reporter"]
    assert set(weighed.reading.rejected_ids) == {"liar-1", "liar-2", "liar-3", "liar-june"}
    row = next(r for r in weighed.reading.rejected if r["claim"] == "liar-june")
    assert row["kind_weight"] == 0.6 and row["accuracy"] == pytest.approx(rel.accuracy["liar"])
    assert row["weight"] == pytest.approx((0.6 * rel.accuracy["liar"]) ** 0.5)
    assert [c.claims for c in weighed.conflicts] == [c.claims for c in plain.conflicts]


def test_check_with_reliability_on_the_records_case(case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    result = belie.check(case, reliability=True)
    assert {"dubois-cafe", "durand-cafe", "lefevre-cafe"} <= set(result.reading.rejected_ids)
    assert not {"marchand-adlon", "marchand-logged"} & set(result.reading.rejected_ids)


# ------------------------------------------------------------------ the command


def test_sources_json(capsys, case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    code, out, err = run(capsys, case.root, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert {"sources", "items", "copying", "clusters"} <= set(data)
    src = data["sources"]["hotel-register"]
    assert src["kind"] == "record" and src["weight"] == 0.95 and src["claims"] == 1
    assert src["accuracy"] > data["sources"]["conf-dubois"]["accuracy"]
    item = next(i for i in data["items"] if i["item"] == WHERE_MARCHAND)
    assert item["value"] == "adlon" and item["disputed"] is True and 0 < item["confidence"] <= 1
    said = {s["source"]: s for s in item["said"]}
    assert said["conf-dubois"]["value"] == "cafe" and said["conf-dubois"]["agrees"] is False
    assert said["conf-dubois"]["claim"] == "dubois-cafe"
    assert said["porter"]["credit"] == 0.5
    assert isinstance(data["copying"], list) and isinstance(data["clusters"], list)


def test_sources_json_copying_shape(capsys, case_from_yaml):
    case = case_from_yaml(chorus_case())
    code, out, err = run(capsys, case.root, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert sorted(data["clusters"][0]) == sorted(PRESS)
    first = data["copying"][0]
    assert set(first) == {"copier", "original", "probability", "evidence"}
    assert first["copier"] in PRESS and first["evidence"] == "claims" and 0.5 <= first["probability"] <= 1


def test_sources_text_table(capsys, case_from_yaml):
    case = case_from_yaml(CONFESSIONS)
    code, out, err = run(capsys, case.root, "--method", "majority")
    assert code == 0, err
    assert "majority" in out and "Disputed facts" in out
    assert out.index("hotel-register") < out.index("conf-dubois")       # most accurate first
    assert "Hotel Adlon" in out and "Café de la Paix" in out


def test_sources_help_has_an_example(capsys):
    code, out, _err = run(capsys, "--help")
    assert code == 0
    assert "belie sources examples/moscow-1936" in out and "--method" in out


def test_sources_of_a_missing_case(capsys, tmp_path):
    code, _out, err = run(capsys, tmp_path / "nowhere")
    assert code == 2 and "error" in err


def test_a_case_without_disputes(capsys, case_from_yaml):
    case = case_from_yaml("""
case: quiet
entities:
  smith: {type: person, names: [John Smith]}
  paris: {type: place, names: [Paris], at: [48.86, 2.35]}
sources:
  register: {kind: record, said: 1930}
claims:
  - {id: r, source: register, presence: smith, where: paris, when: 1930-05-02}
""")
    rel = case_reliability(case)
    assert rel.items == [] and rel.accuracy == {} and rel.rows == []
    code, out, err = run(capsys, case.root, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["items"] == [] and data["sources"] == {}
    code, out, _err = run(capsys, case.root)
    assert code == 0 and "nothing to weigh" in out


def test_the_example_case(example_case_dir):
    if not (example_case_dir / "case.yaml").is_file():
        pytest.skip("examples/moscow-1936 is absent")
    case = belie.load_case(example_case_dir)
    rel = case_reliability(case)
    acc = rel.accuracy
    # the records outrank every confession; the Commission outranks the confessions it denies
    records = [s for s, src in case.sources.items() if src.kind == "record" and s in acc]
    confessions = [s for s, src in case.sources.items() if src.kind == "confession" and s in acc]
    assert records and confessions
    assert min(acc[s] for s in records) > max(acc[s] for s in confessions)
    assert acc["dewey-commission"] > max(acc[s] for s in confessions)
    assert rel.truths["oslo-meeting: place"] == "not oslo"
