"""``regiolens clusters``: list, show and import cluster taxonomies."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from regiolens.classifications import Lang, classification_names, get_classification
from regiolens.cli.common import FormatOption, user_errors
from regiolens.cli.output import OutputFormat, render, render_document
from regiolens.clusters import (
    Taxonomy,
    get_taxonomy,
    import_taxonomy,
    list_taxonomies,
    read_us_benchmark_clusters,
    store_taxonomy,
)
from regiolens.clusters.registry import read_toml
from regiolens.clusters.tables import LOGICAL_COLUMNS
from regiolens.errors import RegiolensError

app = typer.Typer(
    help="Cluster taxonomies: the five hannoverimpuls clusters, U.S. benchmark clusters, your own.",
    no_args_is_help=True,
)


class Language(StrEnum):
    de = "de"
    en = "en"


class Preset(StrEnum):
    us_cmp = "us-cmp"


DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir", help="Taxonomy directory (default: $REGIOLENS_TAXONOMIES, then taxonomies/ in the data dir)."
    ),
]
LangOption = Annotated[Language, typer.Option("--lang", help="Language of names and labels.")]


@app.command("list")
def list_(fmt: FormatOption = OutputFormat.table, directory: DirOption = None) -> None:
    """List the built-in and the stored taxonomies."""
    with user_errors():
        rows: list[dict[str, Any]] = [
            {
                "id": t.id,
                "version": t.version,
                "name": t.label(),
                "classifications": ", ".join(t.classifications()),
                "clusters": len(t.clusters),
                "builtin": t.builtin,
                "source": t.source.split("\n")[0][:120],
            }
            for t in list_taxonomies(directory)
        ]
        columns = ["id", "version", "name", "clusters", "classifications", "builtin"]
        render(rows, fmt, columns if fmt is OutputFormat.table else [*columns, "source"])


@app.command()
def show(
    taxonomy: Annotated[str, typer.Argument(help="Taxonomy id (or path of a taxonomy file).")],
    cluster: Annotated[str | None, typer.Argument(help="Cluster id; without it the clusters are listed.")] = None,
    classification: Annotated[
        str | None,
        typer.Option("--classification", "-c", help=f"One of {', '.join(classification_names())} (default: primary)."),
    ] = None,
    version: Annotated[str | None, typer.Option("--version", help="Taxonomy version (default: newest).")] = None,
    lang: LangOption = Language.de,
    fmt: FormatOption = OutputFormat.table,
    directory: DirOption = None,
) -> None:
    """Show a taxonomy's clusters, or one cluster's codes with labels, notes and sources."""
    with user_errors():
        tax = get_taxonomy(taxonomy, version, directory)
        clf = get_classification(classification or tax.classification)
        language: Lang = "en" if lang is Language.en else "de"
        if cluster is None:
            _show_taxonomy(tax, clf.name, language, fmt)
        else:
            _show_cluster(tax, cluster, clf.name, language, fmt)


def _caption(tax: Taxonomy, derived_note: str = "") -> str:
    parts = [p for p in (derived_note, tax.attribution and f"Quelle/source: {tax.attribution}") if p]
    if tax.skipped:
        kinds = sorted({s.kind for s in tax.skipped})
        parts.append(f"{len(tax.skipped)} rows of the source skipped ({', '.join(kinds)}); see --format json")
    return "\n".join(parts)


def _show_taxonomy(tax: Taxonomy, classification: str, lang: Lang, fmt: OutputFormat) -> None:
    rows: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    derived = False
    for c in tax.clusters:
        definition = tax.definition(c.id, classification)
        derived = derived or definition.derived
        row = {
            "cluster": c.id,
            "name": c.label(lang),
            "category": c.category,
            "n_codes": len(definition.codes),
            "n_partial": sum(1 for x in definition.codes if x.partial),
            "codes": " ".join(x.code + ("*" if x.partial else "") for x in definition.codes),
            "derived": definition.derived,
        }
        rows.append(row)
        codes = [{"code": x.code, "weight": x.weight, "partial": x.partial} for x in definition.codes]
        documents.append({**row, "codes": codes})
    title = f"{tax.label(lang)} (version {tax.version}) – {get_classification(classification).title}"
    note = "* partial: only part of the industry belongs to the cluster" if any(r["n_partial"] for r in rows) else ""
    if derived:
        note = f"derived from {tax.classification} through the concordances. " + note
    document = {
        "taxonomy": tax.describe(),
        "classification": classification,
        "clusters": documents,
        "skipped": list(tax.skipped),
    }
    if not render_document(document, fmt):
        render(rows, fmt, title=title, caption=_caption(tax, note))


def _show_cluster(tax: Taxonomy, cluster_id: str, classification: str, language: Lang, fmt: OutputFormat) -> None:
    clf = get_classification(classification)
    cluster = tax.cluster(cluster_id)
    definition = tax.definition(cluster_id, classification)
    rows: list[dict[str, Any]] = [
        {
            "code": c.code,
            "label": clf.label(c.code, language),
            "included": True,
            "weight": c.weight,
            "partial": c.partial,
            "basis": c.basis,
            "derived_from": list(c.derived_from),
            "subcluster": c.subcluster,
            "note": c.note,
            "source": c.source,
        }
        for c in definition.codes
    ]
    rows += [
        {
            "code": e.code,
            "label": clf.label(e.code, language),
            "included": False,
            "weight": None,
            "partial": None,
            "basis": "authored",
            "derived_from": [],
            "subcluster": None,
            "note": e.note,
            "source": e.source,
        }
        for e in cluster.excluded
        if e.classification == clf.name
    ]
    derived_note = ""
    if definition.derived:
        how = "computed now" if definition.computed else "stored after review"
        derived_note = f"derived from {definition.derived_from} ({how}). {definition.note}".strip()
    if definition.unmapped:
        derived_note += f" Codes without counterpart: {', '.join(definition.unmapped)}."
    document = {
        "taxonomy": tax.describe(),
        "cluster": {"id": cluster.id, "name": cluster.label(language), "category": cluster.category},
        "description": cluster.description,
        "classification": clf.name,
        "derived_from": definition.derived_from,
        "computed": definition.computed,
        "note": definition.note,
        "unmapped": list(definition.unmapped),
        "codes": rows,
    }
    if not render_document(document, fmt):
        columns = ["code", "label", "included", "weight", "partial", "basis", "note", "source"]
        if fmt is OutputFormat.csv:
            rows = [{**r, "derived_from": " ".join(r["derived_from"])} for r in rows]
            columns = list(rows[0]) if rows else columns
        render(
            rows,
            fmt,
            columns,
            title=f"{cluster.label(language)} – {tax.id} {tax.version} – {clf.title}",
            caption=_caption(tax, derived_note),
        )


def _column_options(columns: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in columns:
        key, sep, header = item.partition("=")
        if not sep or key.strip() not in LOGICAL_COLUMNS:
            raise RegiolensError(f"--column {item!r}: write KEY=HEADER with KEY one of {', '.join(LOGICAL_COLUMNS)}")
        mapping[key.strip()] = header.strip()
    return mapping


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="Taxonomy file: .toml, or a .csv/.xlsx table.", exists=True, dir_okay=False)
    ],
    preset: Annotated[
        Preset | None, typer.Option("--preset", help="us-cmp: the ACR1 crosswalk of the U.S. benchmark clusters.")
    ] = None,
    taxonomy_id: Annotated[str | None, typer.Option("--id", help="Taxonomy id (tables; default: file name).")] = None,
    version: Annotated[str | None, typer.Option("--version", help="Taxonomy version (tables; default 1).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Taxonomy name (tables).")] = None,
    classification: Annotated[
        str | None, typer.Option("--classification", "-c", help="Classification of the codes (tables).")
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name or 0-based index.")] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help=f"KEY=HEADER, KEY one of {', '.join(LOGICAL_COLUMNS)}; repeatable."),
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the definitions come from (tables).")] = None,
    licence: Annotated[str | None, typer.Option("--licence", help="Licence of the definitions (tables).")] = None,
    attribution: Annotated[str | None, typer.Option("--attribution", help="Attribution line (tables).")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a stored taxonomy of the same id and version.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    directory: DirOption = None,
) -> None:
    """Check a taxonomy file and store it; errors name file, line and field."""
    with user_errors():
        options: dict[str, Any] = {
            k: v
            for k, v in {
                "id": taxonomy_id,
                "version": version,
                "name_de": name,
                "classification": classification,
                "sheet": int(sheet) if sheet and sheet.isdigit() else sheet,
                "columns": _column_options(column) if column else None,
                "source": source,
                "licence": licence,
                "attribution": attribution,
            }.items()
            if v is not None
        }
        if preset is Preset.us_cmp:
            extra = set(options) - {"version"}
            if extra:
                raise RegiolensError(
                    f"--preset us-cmp sets the columns and metadata itself; drop {', '.join(sorted(extra))}"
                )
            target = store_taxonomy(read_us_benchmark_clusters(file, **options), directory, replace=replace)
            tax = read_toml(target)
        else:
            tax, target = import_taxonomy(file, directory, replace=replace, **options)
        rows: list[dict[str, Any]] = [
            {
                "cluster": c.id,
                "name": c.label(),
                "category": c.category,
                **{f"codes_{k}": len(d.codes) for k, d in c.definitions.items()},
            }
            for c in tax.clusters
        ]
        skipped = [
            {"kind": s.kind, "line": s.line, "code": s.code, "cluster": s.cluster, "note": s.note} for s in tax.skipped
        ]
        if render_document(
            {"taxonomy": tax.describe(), "stored_as": str(target), "clusters": rows, "skipped": skipped}, fmt
        ):
            return
        render(rows, fmt, title=f"{tax.id} {tax.version}: {len(tax.clusters)} clusters stored as {target}")
        if skipped and fmt is OutputFormat.table:
            render(skipped, fmt, title=f"{len(skipped)} rows skipped (reported, not dropped)")
