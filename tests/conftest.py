from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "moscow-1936"


def pytest_collection_modifyitems(config, items):
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs ../shared/ beside the project ({SHARED} is absent)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the project; a test that asks for it skips where it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"needs ../shared/ beside the project ({SHARED} is absent)")
    return SHARED


@pytest.fixture
def example_case_dir() -> Path:
    return EXAMPLE


@pytest.fixture
def case_from_yaml(tmp_path):
    """Write a case.yaml from text into a fresh folder and load it with belie."""
    import textwrap

    def make(text: str, claims: dict[str, str] | None = None):
        from belie.model.loading import load_case

        folder = tmp_path / "case"
        folder.mkdir(exist_ok=True)
        (folder / "case.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        for name, body in (claims or {}).items():
            (folder / "claims").mkdir(exist_ok=True)
            (folder / "claims" / name).write_text(textwrap.dedent(body), encoding="utf-8")
        return load_case(folder)

    return make


# A small case whose candidates `belie extract` really proposes (tests/review, tests/web).
REPORTED_CASE = """\
case: A reported allegation
entities:
  trotsky: {type: person, names: [Leon Trotsky, Trotsky]}
  pyatakov: {type: person, names: [Pyatakov, Yuri Pyatakov]}
  oslo: {type: place, names: [Oslo]}
  honefoss: {type: place, names: [Honefoss], at: [60.17, 10.26]}
sources:
  reply: {kind: testimony, speaker: trotsky, said: 1937-01-30, file: sources/reply.txt}
"""
REPORTED_TEXT = ("Pyatakov testified that he flew to Oslo in December 1935 and met Trotsky there.\n"
                 "I was in Honefoss throughout December 1935. I never met Pyatakov in Oslo.\n")


@pytest.fixture
def extracted_case(tmp_path):
    """A case folder whose text was ingested and run through `belie extract` (the
    candidates stored for review, as the command stores them).  Skips where the `nlp`
    extra is absent."""
    from belie.errors import MissingExtra

    def make(folder: Path | None = None, case_text: str = REPORTED_CASE,
             files: dict[str, str] | None = None) -> Path:
        import belie
        from belie.store.db import CaseStore
        from belie.store.ingest import ingest

        folder = folder or tmp_path / "case"
        (folder / "sources").mkdir(parents=True, exist_ok=True)
        (folder / "case.yaml").write_text(case_text, encoding="utf-8")
        files = files if files is not None else {"reply.txt": REPORTED_TEXT}
        for name, text in files.items():
            (folder / "sources" / name).write_text(text, encoding="utf-8")
        try:
            from belie.extract import candidates, extract

            result = extract(belie.load_case(folder))
        except MissingExtra as exc:
            pytest.skip(f"needs the nlp extra: {exc}")
        with CaseStore.open(folder) as store:
            ingest(store, folder, [folder / "sources" / n for n in files])
            store.add_candidates(candidates(result))
        return folder

    return make
