"""Layers point one way: model and store know nothing of rules; rules know nothing of output.

A reader of the code relies on this; a change that breaks it fails here, naming the file
and the import.
"""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "belie"

# package -> packages it must never import
FORBIDDEN = {
    "model": ("belie.rules", "belie.reason", "belie.report", "belie.web", "belie.commands",
              "belie.cli", "belie.store", "belie.sources", "belie.extract"),
    "store": ("belie.rules", "belie.reason", "belie.report", "belie.web", "belie.commands", "belie.cli"),
    "rules": ("belie.report", "belie.web", "belie.commands", "belie.cli"),
    "reason": ("belie.report", "belie.web", "belie.commands", "belie.cli"),
    "sources": ("belie.report", "belie.web", "belie.commands", "belie.cli"),
    "extract": ("belie.report", "belie.web", "belie.commands", "belie.cli"),
    "report": ("belie.web", "belie.commands", "belie.cli"),
    "review": ("belie.report", "belie.web", "belie.commands", "belie.cli", "belie.rules"),
    # The cluster runs the library's steps; it renders nothing and is driven by the CLI.
    "scale": ("belie.report", "belie.web", "belie.commands", "belie.cli"),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_layers_point_one_way():
    wrong = []
    for package, banned in FORBIDDEN.items():
        for path in sorted((SRC / package).rglob("*.py")):
            for line, name in _imports(path):
                if any(name == b or name.startswith(b + ".") for b in banned):
                    wrong.append(f"{path.relative_to(SRC.parent)}:{line} imports {name}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_no_rule_imports_another_rule():
    """Rules share helpers through common modules (base, whereabouts, accounts, timeline),
    never by importing a sibling rule: a rule is a module that defines ``RULE``."""
    rules_dir = SRC / "rules"
    rule_modules = {p.stem for p in rules_dir.glob("*.py")
                    if any(line.startswith("RULE = ") for line in p.read_text(encoding="utf-8").splitlines())}
    assert {"alibi", "impossible_travel", "conflicting_accounts", "register"} <= rule_modules
    wrong = []
    for path in sorted(rules_dir.glob("*.py")):
        for line, name in _imports(path):
            parts = name.split(".")
            if parts[:2] == ["belie", "rules"] and len(parts) > 2 and parts[2] in rule_modules \
                    and parts[2] != path.stem:
                wrong.append(f"{path.relative_to(SRC.parent)}:{line} imports the rule {name}")
    assert not wrong, "rules importing sibling rules:\n" + "\n".join(wrong)
