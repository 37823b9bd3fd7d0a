"""Options and error handling shared by every command."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from regiolens.cli.output import OutputFormat
from regiolens.errors import RegiolensError

WarehouseOption = Annotated[
    Path | None,
    typer.Option("--warehouse", "-w", help="Warehouse file (default: $REGIOLENS_WAREHOUSE, then the user data dir)."),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
GroupsOption = Annotated[
    Path | None,
    typer.Option("--groups", help="Region-group file (default: $REGIOLENS_GROUPS, then groups.toml in the data dir)."),
]

err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn regiolens errors into a one-line message on stderr and exit code 1 (no traceback)."""
    try:
        yield
    except RegiolensError as exc:
        err.print(f"[bold red]Error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def parse_weights(text: str | None) -> dict[str, float] | None:
    """``--weights`` text ``structure=2,size=1`` → ``{"structure": 2.0, "size": 1.0}`` (``None`` when empty)."""
    if not text:
        return None
    out: dict[str, float] = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise RegiolensError(f"weights look like name=2,other=1, not {text!r}")
    return out
