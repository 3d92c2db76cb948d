"""Read a case file fast (libyaml), keeping only the positions a correct case needs.

`belie.model.yamlread.read_located` parses with PyYAML's pure-Python scanner and keeps
the line and column of every key and list item, so that any mistake can be named
exactly.  On a large case nearly all of a run's time went there.  `read_fast` parses
with libyaml (PyYAML's ``CSafeLoader``) into the same `LDict` / `LList` types, but keeps
only what the loader reads from a *correct* case: the line of each mapping (a claim's
``line``) and the line of each key whose value is a mapping (an entity's or a source's
line).  Everything else falls back to the position of the enclosing mapping.

So the fast read is only for the happy path: when anything is wrong -- a syntax error
here, or a problem the loader finds -- the caller reads the file again with
`read_located`, whose messages (file, line, column) are the ones reported.
`belie.model.loading.load_case` does exactly that.

The reader keeps the slow reader's guarantees, handing the file to it whenever one is in
question: dates stay strings (no timestamp resolver), duplicate keys, Python tags and the
tags the located reader refuses (binary, set, omap, pairs, timestamp) are refused, a
malformed tagged value or an escape that may be a lone surrogate sends the file to the
slow reader, a file over `belie.limits.MAX_CASE_FILE_BYTES` too, and aliases are checked
for loops and expansion (`yamlread._check_aliases`) whenever the text holds an anchor at
all -- without an anchor (``&name``) there can be no alias.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from belie.errors import InputError
from belie.model.yamlread import LDict, LList, _check_aliases

#: False where PyYAML was built without libyaml: `read_fast` then returns None and the
#: caller reads slowly.
AVAILABLE = bool(getattr(yaml, "__with_libyaml__", False))


class FastReadError(Exception):
    """The fast reader cannot read this file; read it with `read_located` for the message."""


#: An escape that may write a lone surrogate (``"\uD800"``): the located reader decides.
_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89abAB]")
#: The tags the located reader refuses (belie.model.yamlread._REFUSED_TAGS).
_REFUSED_TAGS = ("binary", "set", "omap", "pairs", "timestamp")

if AVAILABLE:
    class _FastLoader(yaml.CSafeLoader):
        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (yaml.YAMLError, FastReadError):
                raise
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
                raise FastReadError(f"malformed tagged value: {exc}") from exc

    def _refuse_tag(loader, node):
        raise FastReadError(f"refused tag {node.tag}")

    for _tag in _REFUSED_TAGS:
        _FastLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)

    _FastLoader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }

    _MAPPING = yaml.MappingNode

    def _construct_mapping(loader, node, deep=False):
        loader.flatten_mapping(node)
        out = LDict()
        mark = node.start_mark
        out.line, out.col = mark.line + 1, mark.column + 1
        key_pos = None
        construct = loader.construct_object
        for key_node, value_node in node.value:
            key = construct(key_node, deep=True)
            try:
                if key in out:
                    raise FastReadError("duplicate key")
            except TypeError:
                raise FastReadError("unhashable key")
            out[key] = construct(value_node, deep=True)
            if value_node.__class__ is _MAPPING:
                if key_pos is None:
                    key_pos = out.key_pos = {}
                km = key_node.start_mark
                key_pos[key] = (km.line + 1, km.column + 1)
        return out

    def _construct_sequence(loader, node, deep=False):
        construct = loader.construct_object
        out = LList([construct(child, deep=True) for child in node.value])
        mark = node.start_mark
        out.line, out.col = mark.line + 1, mark.column + 1
        return out

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

    _SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
    _STR_TAG = "tag:yaml.org,2002:str"
    _MAP_TAG = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
    _SEQ_TAG = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG

    def _build(loader, node):
        """What ``construct_document`` makes of *node*, built directly: text, plain
        mappings and lists (nearly every node of a case) without the constructor's
        per-node bookkeeping; any other node (numbers, booleans, null, tags, merge keys)
        through the loader's own constructors, as before."""
        cls = node.__class__
        if cls is _SCALAR:
            if node.tag == _STR_TAG:
                return node.value
            return loader.construct_object(node, deep=True)
        if cls is _MAPPING:
            if node.tag != _MAP_TAG or any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
                return loader.construct_object(node, deep=True)
            out = LDict()
            mark = node.start_mark
            out.line, out.col = mark.line + 1, mark.column + 1
            key_pos = None
            for key_node, value_node in node.value:
                key = _build(loader, key_node)
                try:
                    if key in out:
                        raise FastReadError("duplicate key")
                except TypeError:
                    raise FastReadError("unhashable key")
                out[key] = _build(loader, value_node)
                if value_node.__class__ is _MAPPING:
                    if key_pos is None:
                        key_pos = out.key_pos = {}
                    km = key_node.start_mark
                    key_pos[key] = (km.line + 1, km.column + 1)
            return out
        if cls is _SEQUENCE and node.tag == _SEQ_TAG:
            out = LList([_build(loader, child) for child in node.value])
            mark = node.start_mark
            out.line, out.col = mark.line + 1, mark.column + 1
            return out
        return loader.construct_object(node, deep=True)


def parse_fast(text: str, name: str):
    """Parse *text*; raise FastReadError on anything the slow reader must explain."""
    if not AVAILABLE:
        raise FastReadError("libyaml is not available")
    if _SURROGATE_ESCAPE.search(text):
        raise FastReadError("an escape that may be a lone surrogate")
    try:
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if "&" in text:
                try:
                    _check_aliases(node, name)
                except InputError as exc:
                    raise FastReadError(str(exc)) from exc
            return _build(loader, node)
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise FastReadError(str(exc)) from exc


def read_fast(path: Path, display: str | None = None):
    """Read a YAML or JSON case file fast; raise FastReadError when it must be read slowly."""
    from belie.limits import MAX_CASE_FILE_BYTES

    try:
        if Path(path).stat().st_size > MAX_CASE_FILE_BYTES:
            raise FastReadError("over the size limit")
        text = Path(path).read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise FastReadError(str(exc)) from exc
    if Path(path).suffix.lower() == ".json":
        import json

        try:
            json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise FastReadError(str(exc)) from exc
    return parse_fast(text, display or str(path))
