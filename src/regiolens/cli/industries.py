"""``regiolens industries``: browse the industry classifications and their concordances."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from regiolens.classifications import classification_names, concord, get_classification
from regiolens.cli.common import FormatOption, user_errors
from regiolens.cli.output import OutputFormat, render

app = typer.Typer(
    help="Industry classifications: WZ 2008/2025, NACE, ISIC, NAICS, section groups.", no_args_is_help=True
)


class Language(StrEnum):
    de = "de"
    en = "en"


ClassificationOption = Annotated[
    str,
    typer.Option("--classification", "-c", help=f"One of {', '.join(classification_names())}."),
]


@app.command("list")
def list_(
    classification: ClassificationOption = "wz2008",
    level: Annotated[
        str | None,
        typer.Option("--level", "-l", help="e.g. section, division, group, class, subclass; NAICS: sector, …"),
    ] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", "-p", help="Only codes below this one (its children by default).")
    ] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Label language.")] = Language.de,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List codes with labels: the top level by default, or one level, or what lies below --parent."""
    with user_errors():
        scheme = get_classification(classification)
        industries = scheme.select(level=level, parent=parent)
        rows: list[dict[str, object]] = [
            {"code": i.code, "label": i.label(lang.value), "level": i.level_name, "parent": i.parent}
            for i in industries
        ]
        where = f" below {scheme.normalise(parent)}" if parent else ""
        shown = industries[0].level_name if industries else (level or "")
        render(rows, fmt, ["code", "label", "level", "parent"], title=f"{scheme.title}: {shown}{where}")


@app.command("concord")
def concord_(
    codes: Annotated[list[str], typer.Argument(help="Codes of the source classification, any level.")],
    from_: Annotated[str, typer.Option("--from", help="Source classification.")] = "wz2008",
    to: Annotated[str, typer.Option("--to", help="Target classification.")] = "wz2025",
    to_level: Annotated[str | None, typer.Option("--to-level", help="Roll targets up to this level.")] = None,
    lang: Annotated[Language, typer.Option("--lang", help="Label language.")] = Language.de,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show where codes go in another classification; partial links are marked, never hidden."""
    with user_errors():
        frame = concord(codes, from_, to, to_level=to_level)
        target = get_classification(to)
        rows: list[dict[str, object]] = [
            {
                "from_code": r["from_code"],
                "to_code": r["to_code"] if isinstance(r["to_code"], str) else None,
                "to_label": target.label(r["to_code"], lang.value) if isinstance(r["to_code"], str) else None,
                "partial": bool(r["partial"]),
                "relation": r["relation"],
                "weight": round(float(r["weight"]), 4),
            }
            for r in frame.to_dict("records")
        ]
        render(
            rows,
            fmt,
            title=f"{get_classification(from_).title} → {target.title}",
            caption="via " + " → ".join(frame.attrs["path"]) + "; weight: equal split, not an official share",
        )
