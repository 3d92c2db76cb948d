"""``claims/reviewed.yaml``: the claims accepted in `belie serve`, in the case-file format.

The file is an ordinary claims file (casefile.md section 4)::

    # Claims accepted in `belie serve`: one entry per reviewed candidate.
    claims:
    # belie: accepted by Ann, 2024-05-01T09:30:00+00:00, candidate cand-0123456789abcdef
    - {id: cand-0123456789abcdef, source: statement, presence: trotsky, where: berlin, when: '1932-11-25'}

It may be edited by hand like any case file.  belie changes it as text, so that a
person's comments and layout survive: an accepted claim is appended after the last
entry; a claim that is undone, rejected or edited again is cut out (or replaced) where
it stands, with the ``# belie:`` line above it.  Where the layout is not one belie can
edit as text (a flow-style ``claims: [...]``, keys after ``claims:``), the file is
rewritten from its data, and comments in it are lost.  Every change is checked by
reading the result back: if the claims read back are not exactly the ones intended,
the file is rewritten from its data instead.

The functions here only compute the new text; :mod:`belie.review` writes it (re-read,
change, write atomically, under the store's write lock, after the decision is committed).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from belie.model.yamlread import parse_located, plain

REVIEWED_FILE = Path("claims") / "reviewed.yaml"

HEADER = ("# Claims accepted in review (`belie serve`, `belie review`): one entry per candidate.\n"
          "# An ordinary belie claims file (docs/casefile.md); you may edit it by hand.\n")


class _Dumper(yaml.SafeDumper):
    """Short lists of scalars in flow style (``meeting: [a, b]``), the rest in block style."""


def _represent_list(dumper: yaml.SafeDumper, data: list):
    flow = all(isinstance(x, (str, int, float, bool)) or x is None for x in data) and len(data) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)


def dump_claim(claim: dict, indent: int = 0) -> str:
    """One claim as a block-sequence item (``- id: ...``), indented by *indent* spaces."""
    text = yaml.dump([claim], Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
    if indent:
        text = "".join(" " * indent + line if line.strip() else line
                       for line in text.splitlines(keepends=True))
    return text


def dump_mapping(claim: dict) -> str:
    """One claim as a YAML mapping, as the edit form shows it."""
    return yaml.dump(claim, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def comment_line(claim_id: str, note: str, indent: int = 0) -> str:
    """The ``# belie: ...`` line written above an entry."""
    note = " ".join(str(note).split())
    return " " * indent + f"# belie: {note} [{claim_id}]\n"


# --------------------------------------------------------------------------
# Reading


def read_claims(text: str, name: str = str(REVIEWED_FILE)) -> list[dict]:
    """The claims of a reviewed-claims text (raises InputError on bad YAML)."""
    doc = parse_located(text, name) if text.strip() else None
    if doc is None:
        return []
    if isinstance(doc, list):
        return [plain(c) for c in doc]
    if isinstance(doc, dict):
        claims = doc.get("claims")
        return [plain(c) for c in claims] if isinstance(claims, list) else []
    return []


def claim_ids(text: str) -> list[str]:
    return [str(c.get("id")) for c in read_claims(text) if isinstance(c, dict) and c.get("id") is not None]


# --------------------------------------------------------------------------
# Locating the claims sequence in the text


def _compose(text: str):
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _claims_slot(root) -> tuple[Any, bool] | None:
    """(the node holding the claims, whether it is the last thing in the document).

    The node is a block SequenceNode, or a null ScalarNode for ``claims:`` with nothing
    after it.  None when the layout is not one to edit as text."""
    if root is None:
        return None
    if isinstance(root, yaml.SequenceNode):
        return (root, True) if not root.flow_style else None
    if not isinstance(root, yaml.MappingNode):
        return None
    for i, (k, v) in enumerate(root.value):
        if isinstance(k, yaml.ScalarNode) and k.value == "claims":
            last = i == len(root.value) - 1
            if isinstance(v, yaml.SequenceNode) and not v.flow_style:
                return v, last
            if isinstance(v, yaml.ScalarNode) and v.tag.endswith(":null") and v.value in ("", "~", "null"):
                return v, last
            return None
    return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _is_blank_or_comment(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def _dash_line(lines: list[str], line: int) -> int:
    """The line of the ``-`` indicator of the item whose node starts on *line*."""
    j = line
    while j >= 0:
        s = lines[j].lstrip()
        if s.startswith("-"):
            return j
        if j != line and not _is_blank_or_comment(lines[j]):
            break
        j -= 1
    return line


def _item_lines(text: str, seq) -> list[tuple[int, int]]:
    """[first, end) line ranges of each item of a block sequence, trailing blank and
    comment lines excluded, the ``# belie:`` line above it included."""
    lines = text.splitlines(keepends=True)
    firsts = [_dash_line(lines, item.start_mark.line) for item in seq.value]
    out = []
    for i, first in enumerate(firsts):
        if i + 1 < len(firsts):
            end = firsts[i + 1]
        else:
            end = seq.value[i].end_mark.line + (1 if seq.value[i].end_mark.column > 0 else 0)
            end = max(end, first + 1)
            end = min(end, len(lines))
        while end > first + 1 and _is_blank_or_comment(lines[end - 1]):
            end -= 1
        if first > 0 and lines[first - 1].lstrip().startswith("# belie:"):
            first -= 1
        out.append((first, end))
    return out


# --------------------------------------------------------------------------
# Changing the text


def _rewrite(text: str, claims: list[dict]) -> str:
    """The whole file from its data: the other top-level keys kept, comments lost."""
    doc = parse_located(text, str(REVIEWED_FILE)) if text.strip() else None
    rest = {}
    if isinstance(doc, dict):
        rest = {k: plain(v) for k, v in doc.items() if k != "claims"}
    out = HEADER
    if rest:
        out += yaml.dump(rest, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=100)
    out += "claims:\n"
    for c in claims:
        out += dump_claim(c)
    return out


def _checked(new_text: str, old_text: str, expected: list[dict]) -> str:
    """*new_text* if it reads back as *expected*, else the file rewritten from data."""
    try:
        if read_claims(new_text) == expected:
            return new_text
    except Exception:  # noqa: BLE001 - any doubt: rewrite from data
        pass
    return _rewrite(old_text, expected)


def upsert(text: str, claim: dict, note: str) -> str:
    """*text* with *claim* added at the end, or in place of the claim with its id."""
    cid = str(claim["id"])
    old = read_claims(text)
    ids = [str(c.get("id")) if isinstance(c, dict) else None for c in old]
    if cid in ids:
        expected = [claim if i == cid else c for c, i in zip(old, ids)]
    else:
        expected = old + [claim]
    if not text.strip():
        return HEADER + "claims:\n" + comment_line(cid, note) + dump_claim(claim)
    slot = _claims_slot(_compose(text))
    if slot is None:
        return _rewrite(text, expected)
    node, last = slot
    lines = text.splitlines(keepends=True)
    if cid in ids and isinstance(node, yaml.SequenceNode):
        k = ids.index(cid)
        first, end = _item_lines(text, node)[k]
        indent = node.start_mark.column
        new = "".join(lines[:first]) + comment_line(cid, note, indent) + dump_claim(claim, indent) \
            + "".join(lines[end:])
        return _checked(new, text, expected)
    if not last:
        return _rewrite(text, expected)
    indent = node.start_mark.column if isinstance(node, yaml.SequenceNode) else 0
    if isinstance(node, yaml.ScalarNode):
        if node.value:   # an explicit `claims: ~` / `claims: null`
            return _rewrite(text, expected)
        indent = 0
    new = text if text.endswith("\n") else text + "\n"
    new += comment_line(cid, note, indent) + dump_claim(claim, indent)
    return _checked(new, text, expected)


def remove(text: str, claim_id: str) -> str:
    """*text* without the claim whose id is *claim_id* (unchanged if absent)."""
    old = read_claims(text)
    ids = [str(c.get("id")) if isinstance(c, dict) else None for c in old]
    if claim_id not in ids:
        return text
    k = ids.index(claim_id)
    expected = old[:k] + old[k + 1:]
    slot = _claims_slot(_compose(text))
    if slot is None or not isinstance(slot[0], yaml.SequenceNode):
        return _rewrite(text, expected)
    node = slot[0]
    lines = text.splitlines(keepends=True)
    first, end = _item_lines(text, node)[k]
    new = "".join(lines[:first]) + "".join(lines[end:])
    return _checked(new, text, expected)


def find(text: str, claim_id: str) -> dict | None:
    for c in read_claims(text):
        if isinstance(c, dict) and str(c.get("id")) == claim_id:
            return c
    return None


__all__ = ["REVIEWED_FILE", "HEADER", "read_claims", "claim_ids", "upsert", "remove", "find",
           "dump_claim", "dump_mapping", "plain", "add_entities", "read_entities"]


# --------------------------------------------------------------------------
# Entities a reviewed claim brings (a photograph's device and GPS position...)


def read_entities(text: str) -> dict:
    doc = parse_located(text, str(REVIEWED_FILE)) if text.strip() else None
    ents = doc.get("entities") if isinstance(doc, dict) else None
    return {str(k): plain(v) for k, v in ents.items()} if isinstance(ents, dict) else {}


ENTITY_ORDER = ("type", "names", "at", "within", "existed", "lived", "speed", "country", "note")


def _entity_line(eid: str, spec: dict, indent: int) -> str:
    key = yaml.safe_dump(eid, allow_unicode=True).split("\n")[0]
    rank = {k: i for i, k in enumerate(ENTITY_ORDER)}
    spec = dict(sorted(spec.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    body = yaml.safe_dump(spec, allow_unicode=True, default_flow_style=True, sort_keys=False, width=100000).strip()
    return " " * indent + f"{key}: {body}\n"


def add_entities(text: str, entities: dict) -> str:
    """*text* with the *entities* it does not declare yet added under ``entities:`` (before
    ``claims:``).  Entities already there are left as they are."""
    have = read_entities(text)
    new = {k: v for k, v in entities.items() if k not in have}
    if not new:
        return text
    claims = read_claims(text)
    expected_entities = {**have, **new}
    block = "".join(_entity_line(k, v, 2) for k, v in new.items())
    if not text.strip():
        return HEADER + "entities:\n" + block + "claims:\n"
    root = _compose(text)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    out = None
    if isinstance(root, yaml.MappingNode) and not root.flow_style:
        keys = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
        if "entities" in keys:
            k, v = keys["entities"]
            if isinstance(v, yaml.MappingNode) and not v.flow_style and v.value:
                indent = v.value[0][0].start_mark.column
                end = v.value[-1][0].start_mark.line + 1
                while end < len(lines) and (_is_blank_or_comment(lines[end])
                                            or len(lines[end]) - len(lines[end].lstrip()) > indent):
                    end += 1
                while end > v.value[-1][0].start_mark.line + 1 and _is_blank_or_comment(lines[end - 1]):
                    end -= 1
                block = "".join(_entity_line(k2, v2, indent) for k2, v2 in new.items())
                out = "".join(lines[:end]) + block + "".join(lines[end:])
        elif "claims" in keys:
            at = keys["claims"][0].start_mark.line
            out = "".join(lines[:at]) + "entities:\n" + block + "".join(lines[at:])
    try:
        if out is not None and read_claims(out) == claims and read_entities(out) == expected_entities:
            return out
    except Exception:  # noqa: BLE001 - any doubt: rewrite from data
        pass
    doc = parse_located(text, str(REVIEWED_FILE))
    rest = {k: plain(v) for k, v in doc.items() if k not in ("claims", "entities")} if isinstance(doc, dict) else {}
    body = HEADER
    if rest:
        body += yaml.dump(rest, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    body += "entities:\n" + "".join(_entity_line(k, v, 2) for k, v in expected_entities.items())
    body += "claims:\n" + "".join(dump_claim(c) for c in claims)
    return body
