"""`belie reuse` as a user runs it: files, folders, cases, JSON and readable output, bad paths."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from belie.cli import cli, main

SHARED_PASSAGE = (
    "I admit that in the autumn of 1932 I met Smirnov in Berlin, who handed me a letter from "
    "Trotsky containing direct instructions to organise terrorist acts against the leaders of "
    "the party, and I passed these instructions on to the members of our centre in Moscow."
)
OPENING_A = ("The harbour master kept a ledger of every ship that entered the bay, noting the hour "
             "of arrival and the cargo declared at the customs house. ")
OPENING_B = ("Forecasting the weather in the mountains has always been a matter of patience rather "
             "than instruments, and shepherds were right more often than the newspaper. ")
UNRELATED = ("My grandmother planted the orchard behind the school in the year the railway reached "
             "our valley, and every October the pupils picked the fruit and carried it to the cellar.")


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "statements"
    (root / "sub").mkdir(parents=True)
    (root / "zinoviev.txt").write_text(OPENING_A + SHARED_PASSAGE, encoding="utf-8")
    (root / "sub" / "kamenev.md").write_text(OPENING_B + SHARED_PASSAGE + "\n", encoding="utf-8")
    (root / "orchard.txt").write_text(UNRELATED, encoding="utf-8")
    (root / "notes.csv").write_text(SHARED_PASSAGE, encoding="utf-8")  # not a text file: ignored
    return root


def test_json_gives_pairs_with_passages_and_character_offsets(tmp_path):
    root = _folder(tmp_path)
    res = CliRunner().invoke(cli, ["reuse", str(root), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert list(data) == ["pairs"]
    (pair,) = data["pairs"]
    assert list(pair) == ["a", "b", "score", "passages"]
    assert {pair["a"], pair["b"]} == {str(root / "zinoviev.txt"), str(root / "sub" / "kamenev.md")}
    assert isinstance(pair["score"], float) and 0 < pair["score"] <= 1
    (passage,) = pair["passages"]
    assert list(passage) == ["a_start", "a_end", "b_start", "b_end", "a_text", "b_text"]
    for side in "ab":
        text = Path(pair[side]).read_text(encoding="utf-8")
        assert passage[f"{side}_text"] == text[passage[f"{side}_start"]:passage[f"{side}_end"]]
        assert passage[f"{side}_text"].startswith("I admit that in the autumn of 1932")


def test_text_output_shows_both_texts_side_by_side(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(OPENING_A + SHARED_PASSAGE, encoding="utf-8")
    b.write_text(OPENING_B + SHARED_PASSAGE.replace("handed", "gave"), encoding="utf-8")
    res = CliRunner().invoke(cli, ["reuse", str(a), str(b)], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "a.txt" in res.output and "b.txt" in res.output
    assert "score" in res.output
    assert res.output.count("Smirnov") == 2  # the passage once in each column
    assert "1 pair of texts share passages" in res.output


def test_no_shared_passage_is_said_plainly(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(OPENING_A, encoding="utf-8")
    b.write_text(UNRELATED, encoding="utf-8")
    res = CliRunner().invoke(cli, ["reuse", str(a), str(b)])
    assert res.exit_code == 0
    assert "No shared passages found." in res.output
    res = CliRunner().invoke(cli, ["reuse", str(a), str(b), "--format", "json"])
    assert json.loads(res.output) == {"pairs": []}


def test_parameters_change_what_is_found(tmp_path):
    root = _folder(tmp_path)
    res = CliRunner().invoke(cli, ["reuse", str(root), "--format", "json", "--min-words", "60"])
    assert json.loads(res.output) == {"pairs": []}  # the shared passage has 40 words
    res = CliRunner().invoke(cli, ["reuse", str(root), "--format", "json", "--min-score", "0.99"])
    assert json.loads(res.output) == {"pairs": []}


def test_windows_1252_file_is_read(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_bytes((OPENING_A + "\u201cQuoted\u201d: " + SHARED_PASSAGE).encode("cp1252"))
    b.write_text(OPENING_B + SHARED_PASSAGE, encoding="utf-8")
    res = CliRunner().invoke(cli, ["reuse", str(a), str(b), "--format", "json"])
    (pair,) = json.loads(res.output)["pairs"]
    assert pair["passages"][0]["a_text"].startswith("I admit")


def test_a_case_folder_compares_the_files_of_its_sources(tmp_path):
    case = tmp_path / "case"
    (case / "texts").mkdir(parents=True)
    (case / "case.yaml").write_text(
        "case: reuse\n"
        "sources:\n"
        "  zinoviev: {kind: confession, said: 1936-08-20, file: zinoviev.txt}\n"
        "  kamenev: {kind: confession, said: 1936-08-21, file: texts/kamenev.txt}\n"
        "  pravda: {kind: press, said: 1936-08-22}\n", encoding="utf-8")
    (case / "zinoviev.txt").write_text(OPENING_A + SHARED_PASSAGE, encoding="utf-8")
    (case / "texts" / "kamenev.txt").write_text(OPENING_B + SHARED_PASSAGE, encoding="utf-8")
    res = CliRunner().invoke(cli, ["reuse", str(case), "--format", "json"])
    assert res.exit_code == 0, res.output
    (pair,) = json.loads(res.output)["pairs"]
    assert (pair["a"], pair["b"]) == ("zinoviev", "kamenev")


def test_missing_path_is_an_input_error_naming_it(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text(OPENING_A, encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["reuse", str(a), str(tmp_path / "missing.txt"), str(empty)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in err
    assert f"{empty}: folder holds no .txt or .md files" in err


def test_help_gives_an_example():
    res = CliRunner().invoke(cli, ["reuse", "--help"])
    assert res.exit_code == 0
    assert "Example" in res.output and "belie reuse" in res.output
    for option in ("--ngram", "--min-words", "--max-gap", "--max-df", "--min-score", "--format"):
        assert option in res.output
