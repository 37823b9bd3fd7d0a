"""Taxonomies as TOML files: the format of the built-in taxonomies and of every stored user taxonomy.

Layout (see ``data/hannoverimpuls.toml`` for a complete example)::

    schema = 1

    [taxonomy]
    id = "my-clusters"                  # lower-case letters, digits, "-"
    version = "2025.1"
    name_de = "Meine Cluster"
    name_en = "My clusters"
    classification = "wz2008"           # primary: every cluster is written on it
    source = "…"                        # optional: description, citation, licence, attribution,
                                        # published, valid_from, valid_to (TOML dates)

    [definitions.wz2025]                # optional, per classification: valid_from, valid_to, note,
    derived_from = "wz2008"             # derived_from (the codes were derived from that classification)

    [clusters.logistics]
    name_de = "Logistik"
    name_en = "Logistics"
    category = "traded"                 # optional: "traded" or "local"

    [[clusters.logistics.wz2008]]       # one table per code; the key is the classification
    code = "52.10"
    note = "Lagerei"
    source = "WZ 2008"
    # weight = 0.5                      # optional: share that belongs (then the code is partial)
    # partial = true                    # optional: partial although counted in full (say why in the note)
    # subcluster = "…", basis = "authored" | "derived", derived_from = ["…"]

    [[clusters.logistics.excluded]]     # optional: codes considered and left out, with the reason
    code = "49.41"
    note = "…"

    [[skipped]]                         # optional: rows of an imported table that did not become codes
    kind = "nonstandard"
    code = "111000"
    cluster = "agricultural-inputs-and-services"
    line = 2

TOML parsers do not report positions, so errors are located by scanning the text for the table and key
concerned; the line is that of the key (or of the table header when the key is absent).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from regiolens.clusters.model import Cluster, Definition, DefinitionInfo, ExcludedCode, SkippedRow, Taxonomy
from regiolens.clusters.validate import (
    CodeEntry,
    build_definition,
    check_classification,
    check_code,
    check_id,
    check_weight,
)
from regiolens.errors import InputError

SCHEMA = 1
_CLUSTER_KEYS = {"name_de", "name_en", "description", "category", "excluded"}
_CODE_KEYS = {"code", "weight", "partial", "note", "source", "basis", "derived_from", "subcluster"}
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


class _Locator:
    """Finds the line of a table or key in TOML text (1-based), for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...]]] = []
        for i, line in enumerate(self.lines, start=1):
            m = _HEADER.match(line)
            if m:
                self.headers.append((i, tuple(p.strip().strip('"').strip("'") for p in _split_key(m.group(2)))))

    def table(self, *key: str, index: int = 0) -> int | None:
        """The line of the ``index``-th header ``[key]`` or ``[[key]]``."""
        hits = [line for line, parts in self.headers if parts == key]
        return hits[index] if index < len(hits) else None

    def key(self, table_line: int | None, key: str) -> int | None:
        """The line of ``key = …`` in the table starting at ``table_line`` (the header line if not found)."""
        start = table_line or 0
        ends = [line for line, _ in self.headers if line > start]
        end = ends[0] if ends else len(self.lines) + 1
        pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
        for i in range(start + 1, end):
            if pattern.match(self.lines[i - 1]):
                return i
        return table_line


def _split_key(text: str) -> list[str]:
    parts, current, quote = [], "", ""
    for ch in text:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            current += ch
        elif ch == ".":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def read_toml(path: str | Path, *, builtin: bool = False) -> Taxonomy:
    """Read and check a taxonomy TOML file (errors are :class:`~regiolens.errors.InputError`)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(file, None, "encoding", f"not UTF-8 text: {exc.reason}") from None
    return parse_toml(text, file, builtin=builtin)


def parse_toml(text: str, path: str | Path, *, builtin: bool = False) -> Taxonomy:
    """Parse taxonomy TOML ``text``; ``path`` is used in error messages and kept on the taxonomy."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) if m else len(text.splitlines())
        raise InputError(path, line, None, f"not valid TOML: {exc}") from None
    loc = _Locator(text)
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise InputError(
            path, loc.key(None, "schema"), "schema", f"unknown schema {schema!r}; this regiolens reads {SCHEMA}"
        )
    head = data.get("taxonomy")
    head_line = loc.table("taxonomy")
    if not isinstance(head, dict):
        raise InputError(path, None, "taxonomy", "the file needs a [taxonomy] table with id, version, classification")

    def need(key: str) -> Any:
        if key not in head or head[key] in ("", None):
            raise InputError(path, head_line, f"taxonomy.{key}", f"missing {key!r}")
        return head[key]

    tax_id = check_id(path, loc.key(head_line, "id"), "taxonomy.id", need("id"))
    primary = check_classification(
        path, loc.key(head_line, "classification"), "taxonomy.classification", need("classification")
    )
    infos = _definition_infos(path, loc, data.get("definitions", {}))
    clusters_raw = data.get("clusters")
    if not isinstance(clusters_raw, dict) or not clusters_raw:
        raise InputError(path, None, "clusters", "the file defines no clusters ([clusters.<id>] tables)")
    clusters = tuple(_cluster(path, loc, cid, spec, primary, infos) for cid, spec in clusters_raw.items())
    return Taxonomy(
        id=tax_id,
        name_de=str(head.get("name_de", "") or head.get("name_en", "") or tax_id),
        name_en=str(head.get("name_en", "") or head.get("name_de", "") or tax_id),
        version=str(need("version")),
        classification=primary,
        clusters=clusters,
        description=str(head.get("description", "")),
        source=str(head.get("source", "")),
        citation=str(head.get("citation", "")),
        licence=str(head.get("licence", "")),
        attribution=str(head.get("attribution", "")),
        published=_date(path, loc, head_line, head, "published"),
        valid_from=_date(path, loc, head_line, head, "valid_from"),
        valid_to=_date(path, loc, head_line, head, "valid_to"),
        definitions=infos,
        skipped=_skipped(path, loc, data.get("skipped", [])),
        path=str(path),
        builtin=builtin,
    )


def _date(path: str | Path, loc: _Locator, table_line: int | None, table: Mapping[str, Any], key: str) -> date | None:
    value = table.get(key)
    if value is None or isinstance(value, date):
        return value
    raise InputError(path, loc.key(table_line, key), key, f"{value!r} is not a TOML date (write 2025-01-01, unquoted)")


def _definition_infos(path: str | Path, loc: _Locator, raw: object) -> dict[str, DefinitionInfo]:
    if not isinstance(raw, dict):
        raise InputError(path, None, "definitions", "must be a table of [definitions.<classification>] tables")
    out: dict[str, DefinitionInfo] = {}
    for name, spec in raw.items():
        line = loc.table("definitions", name)
        clf = check_classification(path, line, f"definitions.{name}", name)
        if not isinstance(spec, dict):
            raise InputError(path, line, f"definitions.{name}", "must be a table")
        derived = spec.get("derived_from")
        if derived is not None:
            derived = check_classification(
                path, loc.key(line, "derived_from"), f"definitions.{name}.derived_from", derived
            )
        out[clf] = DefinitionInfo(
            classification=clf,
            valid_from=_date(path, loc, line, spec, "valid_from"),
            valid_to=_date(path, loc, line, spec, "valid_to"),
            derived_from=derived,
            note=str(spec.get("note", "")),
        )
    return out


def _cluster(
    path: str | Path, loc: _Locator, cid: str, spec: object, primary: str, infos: Mapping[str, DefinitionInfo]
) -> Cluster:
    line = loc.table("clusters", cid)
    field = f"clusters.{cid}"
    check_id(path, line, field, cid)
    if not isinstance(spec, dict):
        raise InputError(path, line, field, "must be a table")
    category = spec.get("category")
    if category not in (None, "traded", "local"):
        raise InputError(path, loc.key(line, "category"), f"{field}.category", f"{category!r}: use 'traded' or 'local'")
    definitions: dict[str, Definition] = {}
    for key, value in spec.items():
        if key in _CLUSTER_KEYS:
            continue
        key_line = loc.table("clusters", cid, key) or loc.key(line, key)
        clf = check_classification(path, key_line, f"{field}.{key}", key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise InputError(path, key_line, f"{field}.{key}", f"write the codes as [[{field}.{key}]] tables")
        info = infos.get(clf)
        entries = [_entry(path, loc, (cid, key), i, item, info) for i, item in enumerate(value)]
        definitions[clf] = build_definition(
            path,
            cid,
            clf,
            entries,
            derived_from=info.derived_from if info else None,
            note=info.note if info else "",
        )
    if primary not in definitions:
        raise InputError(path, line, field, f"cluster {cid!r} has no codes on the primary classification {primary}")
    excluded = tuple(_excluded(path, loc, cid, i, item, primary) for i, item in enumerate(spec.get("excluded", [])))
    name_de = str(spec.get("name_de", "") or spec.get("name_en", "") or cid)
    return Cluster(
        id=cid,
        name_de=name_de,
        name_en=str(spec.get("name_en", "") or name_de),
        definitions=definitions,
        description=str(spec.get("description", "")),
        category=category,
        excluded=excluded,
    )


def _entry(
    path: str | Path,
    loc: _Locator,
    where: tuple[str, str],
    index: int,
    item: dict[str, Any],
    info: DefinitionInfo | None,
) -> CodeEntry:
    cid, key = where
    line = loc.table("clusters", cid, key, index=index)
    field = f"clusters.{cid}.{key}[{index + 1}]"
    unknown = set(item) - _CODE_KEYS
    if unknown:
        bad = sorted(unknown)[0]
        raise InputError(
            path, loc.key(line, bad), f"{field}.{bad}", f"unknown key; known are {', '.join(sorted(_CODE_KEYS))}"
        )
    if "code" not in item:
        raise InputError(path, line, f"{field}.code", "missing 'code'")
    weight = check_weight(path, loc.key(line, "weight"), f"{field}.weight", item.get("weight", 1.0))
    basis = item.get("basis", "derived" if info and info.derived_from else "authored")
    if basis not in ("authored", "derived"):
        raise InputError(path, loc.key(line, "basis"), f"{field}.basis", f"{basis!r}: use 'authored' or 'derived'")
    derived_from = item.get("derived_from", [])
    if not isinstance(derived_from, list):
        raise InputError(path, loc.key(line, "derived_from"), f"{field}.derived_from", "must be a list of codes")
    partial = item.get("partial", False)
    if not isinstance(partial, bool):
        raise InputError(path, loc.key(line, "partial"), f"{field}.partial", "must be true or false")
    return CodeEntry(
        raw=str(item["code"]),
        line=loc.key(line, "code"),
        field=f"{field}.code",
        weight=weight,
        partial=partial,
        note=str(item.get("note", "")),
        source=str(item.get("source", "")),
        basis=basis,
        derived_from=tuple(str(c) for c in derived_from),
        subcluster=str(item["subcluster"]) if item.get("subcluster") else None,
    )


def _excluded(path: str | Path, loc: _Locator, cid: str, index: int, item: object, primary: str) -> ExcludedCode:
    line = loc.table("clusters", cid, "excluded", index=index)
    field = f"clusters.{cid}.excluded[{index + 1}]"
    if not isinstance(item, dict) or "code" not in item:
        raise InputError(path, line, field, "needs 'code' and 'note'")
    clf = check_classification(
        path, loc.key(line, "classification"), f"{field}.classification", item.get("classification", primary)
    )
    code = check_code(path, clf, CodeEntry(str(item["code"]), loc.key(line, "code"), f"{field}.code"))
    return ExcludedCode(code, clf, str(item.get("note", "")), str(item.get("source", "")))


def _skipped(path: str | Path, loc: _Locator, raw: object) -> tuple[SkippedRow, ...]:
    if not isinstance(raw, list):
        raise InputError(path, None, "skipped", "must be written as [[skipped]] tables")
    out = []
    for i, item in enumerate(raw):
        line = loc.table("skipped", index=i)
        if not isinstance(item, dict) or item.get("kind") not in ("nonstandard", "unassigned", "empty_cluster"):
            raise InputError(
                path, line, f"skipped[{i + 1}].kind", "kind must be nonstandard, unassigned or empty_cluster"
            )
        out.append(
            SkippedRow(
                kind=item["kind"],
                line=int(item["line"]) if item.get("line") is not None else None,
                code=str(item.get("code", "")),
                cluster=str(item.get("cluster", "")),
                note=str(item.get("note", "")),
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------------------------- writing


def to_toml(taxonomy: Taxonomy) -> str:
    """The taxonomy as TOML text in the layout above (stored definitions only; derived ones are recomputed)."""
    head: dict[str, Any] = {
        "id": taxonomy.id,
        "version": taxonomy.version,
        "name_de": taxonomy.name_de,
        "name_en": taxonomy.name_en,
        "classification": taxonomy.classification,
    }
    for key in ("description", "source", "citation", "licence", "attribution", "published", "valid_from", "valid_to"):
        value = getattr(taxonomy, key)
        if value not in ("", None):
            head[key] = value
    doc: dict[str, Any] = {"schema": SCHEMA, "taxonomy": head}
    if taxonomy.definitions:
        doc["definitions"] = {
            name: {
                k: v
                for k, v in (
                    ("derived_from", info.derived_from),
                    ("valid_from", info.valid_from),
                    ("valid_to", info.valid_to),
                    ("note", info.note),
                )
                if v not in ("", None)
            }
            for name, info in taxonomy.definitions.items()
        }
    doc["clusters"] = {c.id: _cluster_doc(c, taxonomy.classification) for c in taxonomy.clusters}
    if taxonomy.skipped:
        doc["skipped"] = [
            {
                k: v
                for k, v in (
                    ("kind", s.kind),
                    ("code", s.code),
                    ("cluster", s.cluster),
                    ("line", s.line),
                    ("note", s.note),
                )
                if v not in ("", None)
            }
            for s in taxonomy.skipped
        ]
    return tomli_w.dumps(doc)


def _cluster_doc(cluster: Cluster, primary: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name_de": cluster.name_de, "name_en": cluster.name_en}
    if cluster.description:
        out["description"] = cluster.description
    if cluster.category:
        out["category"] = cluster.category
    for name, definition in cluster.definitions.items():
        default_basis = "derived" if definition.derived else "authored"
        rows = []
        for c in definition.codes:
            row: dict[str, Any] = {"code": c.code}
            if c.weight != 1.0:
                row["weight"] = c.weight
            if c.partial and c.weight == 1.0:
                row["partial"] = True
            for key in ("note", "source", "subcluster"):
                if getattr(c, key):
                    row[key] = getattr(c, key)
            if c.basis != default_basis:
                row["basis"] = c.basis
            if c.derived_from:
                row["derived_from"] = list(c.derived_from)
            rows.append(row)
        out[name] = rows
    if cluster.excluded:
        out["excluded"] = [
            {
                k: v
                for k, v in (
                    ("code", e.code),
                    ("classification", e.classification if e.classification != primary else ""),
                    ("note", e.note),
                    ("source", e.source),
                )
                if v
            }
            for e in cluster.excluded
        ]
    return out
