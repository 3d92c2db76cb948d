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
