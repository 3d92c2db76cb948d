"""Declaring an ingested source in case.yaml, as text, so that the file's comments and
layout survive.

`belie add` ingests a file into the store; the case still has to *declare* the source
(its kind, speaker, date) for any claim to cite it.  :func:`source_spec` builds the
declaration from what the user said on the command line (``--kind``, ``--speaker``,
``--said``) and what the file itself says (an e-mail's sender and date, a document's
author, a photograph's capture day); :func:`insert_source` writes it under ``sources:``.
A declaration without a kind is written with a ``# belie add: declare it`` comment: the
loader then names the line until the user gives the kind.

The insertion is checked by reading the result back: it must hold exactly the old data
plus the new source.  Where case.yaml's layout cannot be edited as text (flow-style
``sources: {...}``, a JSON case), :class:`CannotDeclare` is raised and the caller prints
the declaration for the user to paste; case.yaml is never rewritten from its data.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import yaml

from belie.errors import BelieError
from belie.model.sources import SOURCE_KINDS
from belie.util import atomic_write_text

STUB_COMMENT = ("belie add: declare it: give its kind ({kinds}), and speaker and said if known")


class CannotDeclare(BelieError):
    """case.yaml's layout is not one to edit as text."""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().split())


def match_entity(name: str | None, entities: dict) -> str | None:
    """The id of the one person or organisation named *name* (an e-mail sender, a
    document's author), matched case- and accent-insensitively; None if none or several."""
    if not name:
        return None
    want = _fold(name)
    hits = [eid for eid, e in entities.items()
            if getattr(e, "type", None) in ("person", "organisation")
            and (want == _fold(eid) or any(want == _fold(n) for n in (getattr(e, "names", None) or [])))]
    return hits[0] if len(hits) == 1 else None


def source_spec(file: str, meta: dict | None, *, kind: str | None = None, speaker: str | None = None,
                said: str | None = None, title: str | None = None,
                entities: dict | None = None) -> tuple[dict, list[str]]:
    """(the source's declaration, notes on where its values came from)."""
    meta = meta or {}
    spec: dict[str, Any] = {}
    notes = []
    if kind:
        spec["kind"] = kind
    who = speaker
    if who is None:
        named = meta.get("sender") or meta.get("author")
        who = match_entity(named, entities or {})
        if who:
            notes.append(f"speaker {who!r} from the file's {'sender' if meta.get('sender') else 'author'}")
        elif named:
            notes.append(f"the file names {named!r} as its {'sender' if meta.get('sender') else 'author'}, "
                         "which is no declared person or organisation")
    if who:
        spec["speaker"] = who
    when = said or meta.get("date")
    if when:
        spec["said"] = str(when)
        if not said:
            notes.append(f"said {when} from the file's "
                         f"{'Date header' if meta.get('sender') else 'capture time' if meta.get('taken') else 'metadata'}")
    spec["file"] = file
    if title:
        spec["title"] = title
    return spec, notes


def _render(sid: str, spec: dict, indent: int, comment: str | None) -> str:
    head = yaml.safe_dump({sid: None}, allow_unicode=True, width=1000).split(":")[0]
    lines = [" " * indent + f"{head}:" + (f"   # {comment}" if comment else "")]
    body = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    lines += [" " * (indent + 2) + ln for ln in body.splitlines()]
    return "\n".join(lines) + "\n"


def _is_blank_or_comment(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith("#")


def insert_source(text: str, sid: str, spec: dict, comment: str | None = None) -> str:
    """*text* (a case.yaml) with source *sid* declared under ``sources:``."""
    return insert_sources(text, [(sid, spec, comment)])


def insert_sources(text: str, entries: list[tuple[str, dict, str | None]]) -> str:
    """*text* (a case.yaml) with each (id, declaration, comment) of *entries* declared under
    ``sources:``, in one edit (one parse, one check) however many there are."""
    try:
        old = yaml.safe_load(text) if text.strip() else {}
        root = yaml.compose(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise CannotDeclare(f"case.yaml is not valid YAML ({exc})") from exc
    if old is None:
        old = {}
    if not isinstance(old, dict) or (root is not None and (not isinstance(root, yaml.MappingNode)
                                                           or root.flow_style)):
        raise CannotDeclare("case.yaml is not a block mapping")
    sources = old.get("sources")
    for sid, _, _ in entries:
        if isinstance(sources, dict) and sid in sources:
            raise CannotDeclare(f"case.yaml already declares a source {sid!r}")

    def render(indent: int) -> str:
        return "".join(_render(sid, spec, indent, comment) for sid, spec, comment in entries)

    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    node = None
    for k, v in (root.value if root is not None else []):
        if isinstance(k, yaml.ScalarNode) and k.value == "sources":
            node = (k, v)
    if node is None:
        new = "".join(lines) + "sources:\n" + render(2)
    else:
        key, value = node
        if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
            indent = value.value[0][0].start_mark.column
            # the end of the last entry: the lines after its key indented deeper than it
            last = value.value[-1][0].start_mark.line
            end = last + 1
            while end < len(lines) and (_is_blank_or_comment(lines[end])
                                        or len(lines[end]) - len(lines[end].lstrip()) > indent):
                end += 1
            while end > last + 1 and _is_blank_or_comment(lines[end - 1]):
                end -= 1
            new = "".join(lines[:end]) + render(indent) + "".join(lines[end:])
        elif (isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and value.value in ("", "~", "null")) \
                or (isinstance(value, yaml.MappingNode) and value.flow_style and not value.value
                    and value.start_mark.line == key.start_mark.line == value.end_mark.line):
            # `sources:`, `sources: ~` or `sources: {}` (as `belie init` writes it), with nothing after
            at = key.start_mark.line
            head = lines[at].split("#")[0].rstrip()
            rest = lines[at][len(head):].strip()
            if head.replace(" ", "") not in ("sources:", "sources:~", "sources:null", "sources:{}"):
                raise CannotDeclare("`sources:` is written in a way belie cannot edit as text")
            new = "".join(lines[:at]) + "sources:" + (f"  {rest}" if rest else "") + "\n" \
                + render(2) + "".join(lines[at + 1:])
        else:
            raise CannotDeclare("`sources:` is written in flow style ({...}), which belie cannot edit as text")
    expected = dict(old)
    expected["sources"] = {**(sources if isinstance(sources, dict) else {}),
                           **{sid: spec for sid, spec, _ in entries}}
    try:
        back = yaml.safe_load(new)
    except yaml.YAMLError:
        back = None
    if not isinstance(back, dict) or _norm(back) != _norm(expected):
        raise CannotDeclare("adding the declaration as text would change other keys")
    return new


def _norm(doc: dict) -> dict:
    """Compare with the dates YAML reads as dates and the declaration's strings alike."""
    return yaml.safe_load(yaml.safe_dump(doc, default_flow_style=True, sort_keys=True, allow_unicode=True))


def declare_sources(case_file: Path, entries: list[tuple[str, dict, str | None]]) -> dict[str, int]:
    """Write the declarations into *case_file* (atomically, once); returns the line of each id."""
    if case_file.suffix.lower() == ".json":
        raise CannotDeclare("the case is a JSON file; belie declares sources only in YAML")
    text = case_file.read_text(encoding="utf-8-sig")
    new = insert_sources(text, entries)
    atomic_write_text(case_file, new)
    old_lines, new_lines = text.splitlines(), new.splitlines()
    first = next((i for i, line in enumerate(new_lines) if i >= len(old_lines) or line != old_lines[i]),
                 len(new_lines) - 1)
    lines = {}
    for i in range(first, len(new_lines)):
        head = new_lines[i].split("#")[0].strip()
        for sid, _, _ in entries:
            if sid not in lines and head.rstrip(":").strip("'\"") == sid and head.endswith(":"):
                lines[sid] = i + 1
    return lines


def declare_source(case_file: Path, sid: str, spec: dict, comment: str | None = None) -> int:
    """Write one declaration into *case_file*; returns the line of its id."""
    return declare_sources(case_file, [(sid, spec, comment)]).get(sid, 0)


def stub_comment() -> str:
    return STUB_COMMENT.format(kinds=" | ".join(SOURCE_KINDS))


__all__ = ["CannotDeclare", "declare_source", "declare_sources", "insert_source", "insert_sources", "match_entity", "source_spec", "stub_comment"]
