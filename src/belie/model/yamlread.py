"""Read YAML (and JSON) keeping the line and column of every key and list item.

Error messages name the file, line and column, so the loader needs to know where each
value came from.  `read_located(path)` returns plain dicts and lists of the subclasses
below, which carry `.line`, `.col` and a per-key / per-item position map.  Dates stay
strings: belie reads them itself (see belie.model.dates).
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from belie.errors import InputError, Problem


class LDict(dict):
    line: int | None = None
    col: int | None = None
    key_pos: dict

    def pos(self, key) -> tuple[int | None, int | None]:
        return getattr(self, "key_pos", {}).get(key, (self.line, self.col))


class LList(list):
    line: int | None = None
    col: int | None = None
    item_pos: list

    def pos(self, i) -> tuple[int | None, int | None]:
        ip = getattr(self, "item_pos", [])
        return ip[i] if i < len(ip) else (self.line, self.col)


_SURROGATE = re.compile("[\ud800-\udfff]")

#: Tags whose values a case never needs (dates are read by belie, not by YAML); a value
#: written with one of them is refused rather than handed on as bytes, a set or a datetime.
_REFUSED_TAGS = ("binary", "set", "omap", "pairs", "timestamp")


def plain(value):
    """LDict/LList (positions kept by the located reader) -> plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Loader(yaml.SafeLoader):
    def construct_object(self, node, deep=False):
        """Every value, with the errors of a malformed tagged value (``!!float x``,
        ``!!bool maybe``, ``!!map x``) turned into a YAML error at its line and column,
        and lone surrogates (``"\\uD800"``, no character at all) refused."""
        try:
            value = super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value tagged {_short_tag(node.tag)} "
                f"({type(exc).__name__}: {exc}); write it without the tag", node.start_mark) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            bad = _SURROGATE.search(value).group()
            raise yaml.constructor.ConstructorError(
                None, None, f"the text holds a lone surrogate \\u{ord(bad):04X}, which is no "
                "character; write the character itself", node.start_mark)
        return value


def _refuse_tag(loader, node):
    raise yaml.constructor.ConstructorError(
        None, None, f"belie does not read values tagged {_short_tag(node.tag)}; write the value "
        "plainly (text, a number, a list or a mapping)", node.start_mark)


for _tag in _REFUSED_TAGS:
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


# Dates are read by belie, not by YAML: drop the implicit timestamp resolver.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader, node, deep=False):
    loader.flatten_mapping(node)
    out = LDict()
    out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
    out.key_pos = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found an unhashable key", key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_pos[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return out


def _construct_sequence(loader, node, deep=False):
    out = LList(loader.construct_object(child, deep=True) for child in node.value)
    out.line, out.col = node.start_mark.line + 1, node.start_mark.column + 1
    out.item_pos = [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_located(path: Path, display: str | None = None):
    """Parse a YAML or JSON file; raise InputError naming file, line and column on syntax errors."""
    from belie.limits import MAX_CASE_FILE_BYTES, human_bytes

    name = display or str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_CASE_FILE_BYTES:
            raise InputError(Problem(name, None, None, f"{human_bytes(size)}, more than belie reads in "
                                     f"one case file ({human_bytes(MAX_CASE_FILE_BYTES)}); split the "
                                     "claims into several files under claims/"))
        text = Path(path).read_text(encoding="utf-8-sig")   # a byte-order mark is no content
    except UnicodeDecodeError as exc:
        raise InputError(Problem(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except OSError as exc:
        raise InputError(Problem(name, None, None, f"cannot read: {exc.strerror}"))
    return parse_located(text, name, json_only=Path(path).suffix.lower() == ".json")


#: Most values a document may hold once its aliases (``*name``) are expanded.  A real case
#: holds far fewer; a few nested aliases ("billion laughs") would otherwise take the
#: loader, and every command after it, hours and all the memory there is.
MAX_EXPANDED_VALUES = 1_000_000


def _check_aliases(root, name: str) -> None:
    """Refuse a node graph whose aliases loop, or expand it past MAX_EXPANDED_VALUES.

    Each node is visited once (sizes are memoised), so the check itself is quick
    however large the expansion would be.
    """
    sizes: dict[int, int] = {}
    first_alias = None

    def size(node, path: set) -> int:
        nonlocal first_alias
        key = id(node)
        if key in sizes:
            if first_alias is None:
                first_alias = node
            return sizes[key]
        if key in path:
            raise InputError(Problem(name, node.start_mark.line + 1, node.start_mark.column + 1,
                                     "an alias refers to the value that contains it (a loop); "
                                     "belie cannot read recursive YAML"))
        total = 1
        if isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            path.add(key)
            children = node.value if isinstance(node, yaml.SequenceNode) else \
                [n for pair in node.value for n in pair]
            for child in children:
                total += size(child, path)
            path.discard(key)
        sizes[key] = total
        return total

    total = size(root, set())
    if first_alias is not None and total > max(MAX_EXPANDED_VALUES, 10 * len(sizes)):
        mark = first_alias.start_mark
        raise InputError(Problem(name, mark.line + 1, mark.column + 1,
                                 f"aliases (*name) repeat the value anchored here until the file holds "
                                 f"{total:,} values, more than belie reads ({MAX_EXPANDED_VALUES:,}); "
                                 "write the values out, or nest fewer aliases"))


def _check_json(text: str, name: str) -> None:
    """A .json file must be JSON: YAML would quietly accept a trailing comma or comments."""
    import json

    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Problem(name, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}"))
    except RecursionError:
        raise InputError(Problem(name, None, None, "not readable JSON: nested too deeply"))


def parse_located(text: str, name: str, *, json_only: bool = False):
    if json_only:
        _check_json(text, name)
    try:
        loader = _Loader(text)
        try:
            try:
                node = loader.get_single_node()
            except (ValueError, OverflowError) as exc:
                # PyYAML's scanner lets chr() fail on an escape such as "\U7fffffff"
                mark = loader.get_mark()
                raise InputError(Problem(name, mark.line + 1, mark.column + 1,
                                         f"cannot parse: an escape in a quoted text names no "
                                         f"character ({exc})"))
            if node is None:
                return None
            _check_aliases(node, name)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError:
        raise InputError(Problem(name, None, None, "cannot parse: values are nested too deeply"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise InputError(Problem(name, line, col, f"cannot parse: {msg}"))
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow: say where it is as line and column, as for any other.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise InputError(Problem(name, line, col, f"cannot parse: the character {what} (a control "
                                 "character) is not allowed in YAML; delete it or write it as an "
                                 "escape in double quotes"))
    except yaml.YAMLError as exc:
        raise InputError(Problem(name, None, None, f"cannot parse: {' '.join(str(exc).split())}"))
