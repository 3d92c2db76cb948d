"""The case file's schema, read from ``belie/data/schema.yaml`` (the one place it is written).

The loader, the CSV importer, the exports and the key tables of docs/casefile.md all
read it from here, so a new key or claim kind is added once, in the data file.

``SCHEMA`` is the parsed schema; the module's constants (``CLAIM_KINDS``,
``KIND_KEYS``, ``ENTITY_TYPES``...) are views of it for code that wants a tuple.
``python -m belie.model.schema --write`` regenerates the key tables of docs/casefile.md
(between its ``<!-- schema:... -->`` markers); ``--check`` exits 1 when they are stale.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml


@dataclass(frozen=True)
class KeySpec:
    """One key: what value it holds, what it may name, and its line of documentation."""

    name: str
    value: str
    doc: str = ""
    field: str | None = None          # the Claim attribute that holds it (claim keys)
    refs: tuple[str, ...] | None = None   # entity types it may name (None: any)
    enum: str | None = None           # the enum its value comes from (value: enum)
    required: bool = False
    count: int | None = None          # exactly this many entities
    min: int | None = None            # at least this many entities
    many: bool = False                # a list of entities
    moment: str | None = None         # dates: "some" (at some moment) or "whole" (throughout)
    default: str | None = None        # dates: "said" (the source's date)
    nonempty: bool = False            # text that must not be blank
    for_types: tuple[str, ...] | None = None      # entity keys: the types it belongs to
    not_for: tuple[str, ...] = ()                 # entity keys: the types it does not
    wrong_type: str | None = None                 # entity keys: message when misplaced

    @property
    def is_list(self) -> bool:
        """True when the key holds a list of entities (a single id is read as a list of one)."""
        return self.many or self.min is not None or (self.count is not None and self.count > 1)

    def allowed_for(self, etype: str) -> bool:
        if etype in self.not_for:
            return False
        return self.for_types is None or etype in self.for_types


@dataclass(frozen=True)
class KindSpec:
    """One claim kind: its kind key, the keys beside it, and what it requires."""

    name: str
    key: str
    doc: str
    subject: KeySpec
    keys: dict[str, KeySpec]
    aliases: tuple[str, ...] = ()
    requires_one_of: tuple[tuple[str, ...], ...] = ()
    scopes: dict[str, dict] = field(default_factory=dict)

    @property
    def date_keys(self) -> tuple[KeySpec, ...]:
        return tuple(k for k in self.keys.values() if k.value == "date")

    @property
    def entity_keys(self) -> tuple[KeySpec, ...]:
        return tuple(k for k in self.keys.values() if k.value == "entity")


@dataclass(frozen=True)
class Enum:
    name: str
    noun: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    enums: dict[str, Enum]
    case_file: dict[str, KeySpec]
    claims_file: tuple[str, ...]
    entity_types: dict[str, str]
    one_place_types: tuple[str, ...]
    entity_keys: dict[str, KeySpec]
    source_kinds: dict[str, str]
    source_keys: dict[str, KeySpec]
    claim_common_keys: dict[str, KeySpec]
    claim_keys: tuple[str, ...]
    kinds: dict[str, KindSpec]

    def enum(self, name: str) -> tuple[str, ...]:
        return self.enums[name].values

    def kind_of_key(self) -> dict[str, str]:
        """Kind key (and alias) -> kind, kind keys first in kind order, then aliases."""
        out = {k.key: k.name for k in self.kinds.values()}
        for k in self.kinds.values():
            for a in k.aliases:
                out[a] = k.name
        return out

    def all_claim_keys(self) -> set[str]:
        """Every key a claim may carry: kind keys, aliases, common keys and kind keys' keys."""
        return set(self.kind_of_key()) | set(self.claim_common_keys) | set(self.claim_keys)


def _key(name: str, d: dict) -> KeySpec:
    if not isinstance(d, dict):
        raise ValueError(f"schema: key {name!r} must be a mapping")
    known = {"value", "doc", "field", "refs", "enum", "required", "count", "min", "list", "moment",
             "default", "nonempty", "for", "not_for", "wrong_type"}
    extra = set(d) - known
    if extra:
        raise ValueError(f"schema: key {name!r} has unknown fields {sorted(extra)}")
    return KeySpec(
        name=name, value=d["value"], doc=d.get("doc", ""), field=d.get("field"),
        refs=tuple(d["refs"]) if d.get("refs") is not None else None, enum=d.get("enum"),
        required=bool(d.get("required", False)), count=d.get("count"), min=d.get("min"),
        many=bool(d.get("list", False)), moment=d.get("moment"), default=d.get("default"),
        nonempty=bool(d.get("nonempty", False)),
        for_types=tuple(d["for"]) if d.get("for") is not None else None,
        not_for=tuple(d.get("not_for", ())), wrong_type=d.get("wrong_type"))


def parse_schema(doc: dict) -> Schema:
    """Build a `Schema` from the parsed YAML document (raises ValueError when malformed)."""
    enums = {n: Enum(n, e["noun"], tuple(e["values"])) for n, e in doc["enums"].items()}
    enums["entity_types"] = Enum("entity_types", enums["entity_types"].noun, tuple(doc["entity_types"]))
    enums["source_kinds"] = Enum("source_kinds", enums["source_kinds"].noun, tuple(doc["source_kinds"]))
    kinds = {}
    for name, k in doc["claim_kinds"].items():
        kinds[name] = KindSpec(
            name=name, key=k["key"], doc=k["doc"], subject=_key(k["key"], k["subject"]),
            keys={kn: _key(kn, kd) for kn, kd in k["keys"].items()},
            aliases=tuple(k.get("aliases", ())),
            requires_one_of=tuple(tuple(g) for g in k.get("requires_one_of", ())),
            scopes=dict(k.get("scopes", {})))
    schema = Schema(
        enums=enums,
        case_file={n: _key(n, d) for n, d in doc["case_file"].items()},
        claims_file=tuple(doc["claims_file"]),
        entity_types=dict(doc["entity_types"]),
        one_place_types=tuple(doc["one_place_types"]),
        entity_keys={n: _key(n, d) for n, d in doc["entity_keys"].items()},
        source_kinds=dict(doc["source_kinds"]),
        source_keys={n: _key(n, d) for n, d in doc["source_keys"].items()},
        claim_common_keys={n: _key(n, d) for n, d in doc["claim_common_keys"].items()},
        claim_keys=tuple(doc["claim_keys"]),
        kinds=kinds,
    )
    _validate(schema)
    return schema


def _validate(s: Schema) -> None:
    """The schema's own consistency: every name it uses is defined somewhere in it."""
    types = set(s.entity_types)
    keys = [*s.entity_keys.values(), *s.source_keys.values()]
    for t in s.one_place_types:
        if t not in types:
            raise ValueError(f"schema: one_place_types names unknown entity type {t!r}")
    for k in s.kinds.values():
        keys += [k.subject, *k.keys.values()]
        for k2 in k.keys:
            if k2 not in s.claim_keys:
                raise ValueError(f"schema: {k.name} key {k2!r} is missing from claim_keys")
        for scope in k.scopes:
            if k.subject.enum is None or scope not in s.enum(k.subject.enum):
                raise ValueError(f"schema: {k.name} scope {scope!r} is not a value of its kind key")
    used = {kn for k in s.kinds.values() for kn in k.keys}
    unused = set(s.claim_keys) - used
    if unused:
        raise ValueError(f"schema: claim_keys {sorted(unused)} belong to no claim kind")
    for k in keys:
        for t in (k.refs or ()) + (k.for_types or ()) + k.not_for:
            if t not in types:
                raise ValueError(f"schema: key {k.name!r} names unknown entity type {t!r}")
        if k.value == "enum" and k.enum not in s.enums:
            raise ValueError(f"schema: key {k.name!r} names unknown enum {k.enum!r}")


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    text = resources.files("belie.data").joinpath("schema.yaml").read_text("utf-8")
    return parse_schema(yaml.safe_load(text))


SCHEMA = load_schema()

# Views of the schema as tuples and mappings, for code that wants them.
ENTITY_TYPES: tuple[str, ...] = SCHEMA.enum("entity_types")
#: Entity types in one place at a time (persons, objects): the whereabouts rules judge them.
ONE_PLACE_TYPES: tuple[str, ...] = SCHEMA.one_place_types
SOURCE_KINDS: tuple[str, ...] = SCHEMA.enum("source_kinds")
CALENDARS: tuple[str, ...] = SCHEMA.enum("calendars")
TRAVEL_MODES: tuple[str, ...] = SCHEMA.enum("travel_modes")
MESSAGE_MEDIA: tuple[str, ...] = SCHEMA.enum("message_media")
REGISTER_SCOPES: tuple[str, ...] = SCHEMA.enum("register_scopes")
STANCES: tuple[str, ...] = SCHEMA.enum("stances")
CASE_KEYS: tuple[str, ...] = tuple(SCHEMA.case_file)
CLAIMS_FILE_KEYS: tuple[str, ...] = SCHEMA.claims_file
ENTITY_KEYS: tuple[str, ...] = tuple(SCHEMA.entity_keys)
SOURCE_KEYS: tuple[str, ...] = tuple(SCHEMA.source_keys)
CLAIM_KINDS: tuple[str, ...] = tuple(SCHEMA.kinds)
COMMON_KEYS: tuple[str, ...] = tuple(SCHEMA.claim_common_keys)
KIND_KEY: dict[str, str] = {k.name: k.key for k in SCHEMA.kinds.values()}
KEY_KIND: dict[str, str] = SCHEMA.kind_of_key()
KIND_KEYS: dict[str, tuple[str, ...]] = {k.name: tuple(k.keys) for k in SCHEMA.kinds.values()}
#: Claim keys whose value is a list (in a spreadsheet cell: ``[a, b]`` or ``a; b``).
LIST_KEYS: frozenset[str] = frozenset(
    [k.key for k in SCHEMA.kinds.values() if k.subject.is_list]
    + [a for k in SCHEMA.kinds.values() if k.subject.is_list for a in k.aliases]
    + [kn for k in SCHEMA.kinds.values() for kn, ks in k.keys.items() if ks.is_list])


# ----------------------------------------------------------------------------------
# The key tables of docs/casefile.md
# ----------------------------------------------------------------------------------

def _value_text(s: Schema, k: KeySpec) -> str:
    if k.value == "entity":
        noun = " or ".join(k.refs) if k.refs else "any entity"
        if k.count and k.count > 1:
            return f"[{k.count} × {noun}]"
        if k.min:
            return f"[{noun}, …] (at least {k.min})"
        return f"[{noun}, …]" if k.many else noun
    if k.value == "enum":
        return " / ".join(s.enum(k.enum))
    return {"date": "date", "text": "text", "bool": "true / false", "names": "[names]",
            "coordinates": "[lat, lon]", "speed": "km/h", "path": "file path", "id": "id",
            "mapping": "mapping", "list": "list"}.get(k.value, k.value)


def _cell(x: str) -> str:
    return x.replace("|", "\\|")


def _rows(s: Schema, keys, *, kinds_col=False, required=()) -> list[str]:
    out = []
    for k in keys:
        req = "yes" if k.required or k in required else ""
        row = [f"`{k.name}`", _cell(_value_text(s, k)), req]
        if kinds_col:
            if k.for_types is not None:
                row.append(", ".join(k.for_types))
            elif k.not_for:
                row.append("not " + ", ".join(k.not_for))
            else:
                row.append("all")
        row.append(_cell(k.doc))
        out.append("| " + " | ".join(row) + " |")
    return out


def markdown_tables(s: Schema | None = None) -> dict[str, str]:
    """The generated blocks of docs/casefile.md, by marker name."""
    s = s or SCHEMA
    blocks: dict[str, list[str]] = {}
    b = blocks["case"] = ["| key | value | required | meaning |", "|---|---|---|---|"]
    b += _rows(s, s.case_file.values())
    b.append("")
    b.append("A file under `claims/` may hold " + ", ".join(f"`{k}`" for k in s.claims_file) + ".")
    b = blocks["entities"] = ["| type | what it is |", "|---|---|"]
    b += [f"| `{t}` | {_cell(d)} |" for t, d in s.entity_types.items()]
    b += ["", "In one place at a time (each is placed at a meeting, and the whereabouts rules judge it): "
          + ", ".join(s.one_place_types) + "."]
    b += ["", "| key | value | required | for | meaning |", "|---|---|---|---|---|"]
    b += _rows(s, s.entity_keys.values(), kinds_col=True)
    b = blocks["sources"] = ["| kind | what it is |", "|---|---|"]
    b += [f"| `{t}` | {_cell(d)} |" for t, d in s.source_kinds.items()]
    b += ["", "| key | value | required | meaning |", "|---|---|---|---|"]
    b += _rows(s, s.source_keys.values())
    b = blocks["claims"] = ["Every claim:", "", "| key | value | required | meaning |", "|---|---|---|---|"]
    b += _rows(s, s.claim_common_keys.values())
    for k in s.kinds.values():
        alias = "".join(f", or `{a}:`" for a in k.aliases)
        b += ["", f"**{k.name}** (`{k.key}:`{alias}): {_cell(k.doc)}.", "",
              "| key | value | required | meaning |", "|---|---|---|---|"]
        b += _rows(s, [k.subject, *k.keys.values()], required=(k.subject,))
        notes = []
        for group in k.requires_one_of:
            notes.append("at least one of " + ", ".join(f"`{g}`" for g in group))
        whole = [d.name for d in k.date_keys if d.moment == "whole"]
        some = [d.name for d in k.date_keys if d.moment == "some"]
        if whole and some:
            notes.append(f"`{some[0]}` or `{whole[0]}`, not both")
        for scope, spec in k.scopes.items():
            parts = []
            if spec.get("requires"):
                parts.append("needs " + ", ".join(f"`{x}`" for x in spec["requires"]))
            for group in spec.get("requires_one_of", ()):
                parts.append("needs " + " and/or ".join(f"`{x}`" for x in group))
            if spec.get("forbids"):
                parts.append("takes no " + ", ".join(f"`{x}`" for x in spec["forbids"]))
            if spec.get("by"):
                parts.append(f"`by` is a {s.enums[spec['by']].noun} ({', '.join(s.enum(spec['by']))})")
            if spec.get("doc"):
                parts.insert(0, spec["doc"])
            if parts:
                notes.append(f"`{k.key}: {scope}`: " + "; ".join(parts))
        if notes:
            b += ["", "Also: " + "; ".join(notes) + "."]
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def render_doc(text: str, s: Schema | None = None) -> str:
    """*text* (docs/casefile.md) with every ``<!-- schema:NAME -->`` block regenerated."""
    for name, body in markdown_tables(s).items():
        start, end = f"<!-- schema:{name} -->", f"<!-- /schema:{name} -->"
        i, j = text.find(start), text.find(end)
        if i < 0 or j < i:
            raise ValueError(f"docs/casefile.md lacks the markers {start} ... {end}")
        text = text[: i + len(start)] + "\n" + body + "\n" + text[j:]
    return text


def _main(argv: list[str]) -> int:
    doc = Path(argv[1]) if len(argv) > 1 else Path("docs/casefile.md")
    old = doc.read_text(encoding="utf-8")
    new = render_doc(old)
    if argv and argv[0] == "--write":
        if new != old:
            doc.write_text(new, encoding="utf-8")
        return 0
    if new != old:
        print(f"{doc} is stale: run python -m belie.model.schema --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:] or ["--check"]))
