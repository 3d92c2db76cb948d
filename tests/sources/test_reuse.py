"""Text reuse: shared passages found inside longer texts, with light edits, at the right place."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from belie.sources.reuse import Passage, ReusePair, ReuseParams, find_reuse, order_pair, tokenize

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CLOUGH = SHARED / "data" / "reuse" / "clough_stevenson_short_answers"

# Unrelated filler prose (written for these tests).
HARBOUR = (
    "The harbour master kept a ledger of every ship that entered the bay, noting the hour of "
    "arrival, the name of the captain and the cargo declared at the customs house. In the "
    "winter months few vessels came, and the clerks spent their afternoons mending nets or "
    "arguing about the price of coal. When the ice broke in March the quay filled again with "
    "carts, barrels and the shouting of porters who had waited all season for work. The old "
    "lighthouse on the northern spit was repainted every second summer, always in the same "
    "red and white bands, so that fishermen returning at dusk would know it from a distance. "
)
ORCHARD = (
    "My grandmother planted the orchard behind the school in the year the railway reached our "
    "valley. She chose pears because they kept through the autumn and apples because the "
    "children liked them, and she refused to grow plums, which she said attracted wasps and "
    "gossip in equal measure. Every October the pupils picked the fruit, sorted the bruised "
    "from the sound, and carried baskets to the cellar where the air smelled of straw and "
    "damp stone. Nobody remembers who built the low wall along the lane, but it has outlived "
    "three headmasters and a flood. "
)
WEATHER = (
    "Forecasting the weather in the mountains has always been a matter of patience rather "
    "than instruments. Shepherds watched the shape of the clouds over the eastern ridge and "
    "the behaviour of their dogs, and they were right more often than the newspaper. A "
    "sudden stillness in the afternoon usually meant a storm before nightfall, while a steady "
    "wind from the south promised two dry days at least. "
)
RAILWAY = (
    "The branch line to the quarry closed long before the station did, and for years the "
    "booking office sold tickets to nowhere in particular. Children used the empty platform "
    "for roller skating, and a retired signalman grew tomatoes in the old lamp room, facing "
    "south, where the glass still held the warmth of the day well into the evening. "
)
MARKET = (
    "On Saturdays the square turned into a market before dawn. Cheese came down from the "
    "upland farms wrapped in cloth, the fishmongers set out their trays on crushed ice, and a "
    "man with a barrel organ played the same four tunes until noon, when the town council "
    "had finally persuaded him to stop. "
)

PLANTED = (
    "I admit that in the autumn of 1932 I met Smirnov in Berlin, who handed me a letter from "
    "Trotsky containing direct instructions to organise terrorist acts against the leaders of "
    "the party, and I passed these instructions on to the members of our centre in Moscow."
)


def passages(pairs: list[ReusePair]) -> list[Passage]:
    return [p for pair in pairs for p in pair.passages]


def test_a_passage_planted_inside_a_long_text_is_found_at_its_place():
    a = HARBOUR * 3 + PLANTED + " " + ORCHARD * 2
    b = WEATHER + PLANTED + " " + WEATHER
    pairs = find_reuse({"long.txt": a, "short.txt": b})
    assert [(p.a, p.b) for p in pairs] == [("long.txt", "short.txt")]
    (p,) = pairs[0].passages
    assert p.a_text == a[p.a_start:p.a_end]
    assert p.b_text == b[p.b_start:p.b_end]
    # The whole planted passage, and nothing of the surrounding text.
    assert (p.a_start, p.a_end) == (a.index(PLANTED), a.index(PLANTED) + len(PLANTED) - 1)
    assert (p.b_start, p.b_end) == (b.index(PLANTED), b.index(PLANTED) + len(PLANTED) - 1)
    assert p.a_text == PLANTED[:-1]  # the final full stop is punctuation, not a word


def test_light_edits_inside_the_passage_are_tolerated():
    edited = (
        "I admit that in the autumn of 1932 I met Smirnov in Berlin, who gave me a letter from "
        "Trotsky with direct instructions to organise terrorist acts against the leaders of "
        "the Communist party, and I passed these instructions on to members of our centre in Moscow."
    )
    a = ORCHARD + PLANTED + " " + HARBOUR
    b = RAILWAY + WEATHER + edited + " " + MARKET
    pairs = find_reuse({"a": a, "b": b}, min_words=10)
    found = passages(pairs)
    assert len(found) == 1
    p = found[0]
    # One passage spanning the whole edited text in both: "handed" replaced by
    # "gave", "containing" by "with", "Communist" inserted, "the" deleted.
    assert p.a_text == PLANTED[:-1]
    assert p.b_text == edited[:-1]
    assert b[p.b_start:p.b_end] == p.b_text


def test_edit_near_the_passage_boundary_does_not_cut_the_passage_short():
    # Edits at the 3rd word from either end: no 5-word shingle reaches the
    # ends, the alignment steps over the edit to the two words beyond it.
    edited = PLANTED.replace("that in the", "that during the").replace("our centre", "our group")
    pairs = find_reuse({"a": HARBOUR + PLANTED + " " + ORCHARD, "b": WEATHER + edited + " " + MARKET})
    (p,) = passages(pairs)
    assert p.a_text == PLANTED[:-1]
    assert p.b_text == edited[:-1]


def test_unrelated_texts_give_no_pair():
    texts = {"harbour": HARBOUR * 2, "orchard": ORCHARD * 2, "weather": WEATHER * 3}
    assert find_reuse(texts) == []


def test_a_short_shared_phrase_is_not_reuse():
    phrase = "at the end of the day"
    texts = {"a": HARBOUR + phrase + " " + ORCHARD, "b": WEATHER + phrase + " " + MARKET}
    assert find_reuse(texts) == []


def test_case_punctuation_and_typographic_quotes_do_not_hide_reuse():
    a = HARBOUR + "He said: \"I don't know who wrote the letter, and I never saw the man who carried it to " \
                  "Copenhagen in November of that year.\" " + ORCHARD
    b = WEATHER + "HE SAID “I DON’T KNOW WHO WROTE THE LETTER — AND I NEVER SAW THE MAN WHO CARRIED IT TO " \
                  "COPENHAGEN IN NOVEMBER OF THAT YEAR”. " + WEATHER
    (p,) = passages(find_reuse({"a": a, "b": b}))
    assert p.a_text.startswith("He said") and p.a_text.endswith("that year")
    assert p.b_text.startswith("HE SAID") and p.b_text.endswith("THAT YEAR")
    assert tokenize("don’t")[0][2] == tokenize("Don't")[0][2] == "dont"


def test_a_passage_reused_twice_gives_two_passages():
    a = HARBOUR + PLANTED + " " + ORCHARD
    b = WEATHER + PLANTED + " " + RAILWAY + PLANTED + " " + MARKET
    (pair,) = find_reuse({"a": a, "b": b})
    assert len(pair.passages) == 2
    starts = sorted(p.b_start for p in pair.passages)
    first = b.index(PLANTED)
    assert starts == [first, b.index(PLANTED, first + 1)]
    assert all(p.a_text == PLANTED[:-1] for p in pair.passages)


def test_score_is_the_share_of_the_more_covered_text():
    a = PLANTED  # wholly inside b
    b = HARBOUR + PLANTED + " " + ORCHARD
    (pair,) = find_reuse({"a": a, "b": b})
    assert pair.score == pytest.approx(1.0)
    assert pair.coverage_a == pytest.approx(1.0)
    assert pair.coverage_b < 0.3
    assert find_reuse({"a": a, "b": b}, min_score=1.0) == [pair]


def test_output_order_is_deterministic_and_by_score():
    texts = {
        "x": HARBOUR + PLANTED + " " + ORCHARD,  # PLANTED is 1/4 of x
        "y": WEATHER + PLANTED,  # 2/5 of y
        "z": RAILWAY + PLANTED + " " + MARKET + MARKET,  # 1/4 of z
    }
    first = find_reuse(texts)
    assert [(p.a, p.b) for p in first][:2] == [("x", "y"), ("y", "z")]
    assert [(p.a, p.b) for p in first][2:] == [("x", "z")]
    assert [p.score for p in first] == sorted((p.score for p in first), reverse=True)
    assert find_reuse(dict(texts)) == first


def test_boilerplate_in_more_than_max_df_texts_is_ignored():
    header = ("This statement was taken down by the investigator in the presence of the accused and "
              "read over to him, and he signed every page of it without objection.")
    bodies = [HARBOUR, ORCHARD, WEATHER, HARBOUR[::-1], ORCHARD[::-1]]
    texts = {f"t{i}": header + " " + body for i, body in enumerate(bodies)}
    assert len(find_reuse(texts)) == 10  # every pair shares the header
    assert find_reuse(texts, max_df=4) == []


def test_a_formula_repeated_throughout_two_transcripts_is_not_reuse():
    formula = "Vyshinsky: Do you confirm the testimony you gave during the preliminary investigation? I do."
    fillers_a = [HARBOUR[i:i + 90] for i in range(0, 600, 40)]
    fillers_b = [ORCHARD[i:i + 90] for i in range(0, 600, 40)]
    a = " ".join(f + " " + formula for f in fillers_a)
    b = " ".join(f + " " + formula for f in fillers_b)
    assert find_reuse({"a": a, "b": b}) == []  # 15 times in each: a set formula
    assert find_reuse({"a": a, "b": b}, max_repeat=20) != []  # when asked for


def test_parameters_are_checked():
    with pytest.raises(ValueError):
        ReuseParams(n=0)
    with pytest.raises(ValueError):
        ReuseParams(min_agreement=1.5)
    assert find_reuse({"only": PLANTED}) == []
    assert find_reuse({"a": "", "b": "..."}) == []


def test_order_pair_puts_the_earlier_text_first():
    (pair,) = find_reuse({"pravda": WEATHER + PLANTED, "izvestia": HARBOUR + PLANTED})
    assert (pair.a, pair.b) == ("pravda", "izvestia")
    flipped = order_pair(pair, {"pravda": "1936-08-22", "izvestia": date(1936, 8, 21)})
    assert (flipped.a, flipped.b) == ("izvestia", "pravda")
    assert flipped.passages[0].a_text == pair.passages[0].b_text
    assert flipped.passages[0].a_start == pair.passages[0].b_start
    assert order_pair(pair, {"pravda": "1936-08-22"}) is pair  # undecided: unchanged


# --------------------------------------------------------------------------
# Clough & Stevenson (2011) corpus of plagiarised short answers


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _clough_f1(**params) -> tuple[float, float, dict[str, float]]:
    with open(CLOUGH / "file_information.csv", newline="", encoding="utf-8") as fh:
        rows = [(r["File"], r["Task"], r["Category"].strip()) for r in csv.DictReader(fh)]
    answers = [r for r in rows if r[2] != "orig"]
    texts = {f"orig_task{t}.txt": _read(CLOUGH / f"orig_task{t}.txt") for t in "abcde"}
    texts.update({f: _read(CLOUGH / f) for f, _, _ in answers})
    linked = set()
    for pair in find_reuse(texts, **params):
        linked.add((pair.a, pair.b))
        linked.add((pair.b, pair.a))
    called = {f: (f, f"orig_task{t}.txt") in linked for f, t, _ in answers}
    tp = sum(called[f] for f, _, lab in answers if lab != "non")
    fp = sum(called[f] for f, _, lab in answers if lab == "non")
    fn = sum(not called[f] for f, _, lab in answers if lab != "non")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    per_label = {lab: sum(called[f] for f, _, la in answers if la == lab)
                 / sum(1 for _, _, la in answers if la == lab) for lab in ("cut", "light", "heavy", "non")}
    return 2 * precision * recall / (precision + recall), precision, per_label


@pytest.mark.shared
def test_clough_stevenson_derived_answers_are_told_from_independent_ones():
    # Rule fixed a priori: an answer is "derived" when belie, with its
    # defaults, reports any shared passage between it and its task's source.
    # Measured: F1 0.956, precision 0.964 (benchmarks/reuse_clough.py).  The
    # defaults (n=3, min_words=8) are what cross-validation over these tasks
    # chose, so this is a floor on development data, not a held-out figure.
    f1, precision, per_label = _clough_f1()
    assert f1 >= 0.95
    assert precision >= 0.95
    assert per_label["cut"] >= 0.85  # 2 of 19 "cut" answers were copied from another article
    assert per_label["light"] >= 0.95
    assert per_label["heavy"] >= 0.9
    assert per_label["non"] <= 0.06  # 2 of 38 independent answers called derived


@pytest.mark.shared
def test_clough_stevenson_with_shorter_shingles_catches_heavy_revision():
    # n=3, min_words=8 is the setting leave-one-task-out cross-validation picks
    # in every fold (benchmarks/reuse_clough.py); measured F1 0.956 with the
    # same "any passage" rule.
    f1, _, per_label = _clough_f1(n=3, min_words=8)
    assert f1 >= 0.94
    assert per_label["heavy"] >= 0.85
    assert per_label["non"] <= 0.06
