"""The interface every importer implements, and the registry that finds one by content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from regiolens.errors import InputError
from regiolens.model import ParsedSource

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Reader:
    """One source format.

    ``sniff(path, head)`` answers whether the file looks like this format from its name and first
    bytes; ``read(path, **options)`` parses it completely into a :class:`ParsedSource` or raises an
    :class:`~regiolens.errors.InputError`. Readers never touch the warehouse.
    """

    name: str
    description: str
    sniff: Callable[[Path, bytes], bool]
    read: Callable[..., ParsedSource]
    directories: bool = False  # also reads a directory of files (a partitioned data set) as one source


_READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Add a reader to the registry (called once by each importer module)."""
    _READERS[reader.name] = reader
    return reader


def readers() -> dict[str, Reader]:
    """All registered readers by name, in registration order (which is the detection order)."""
    from regiolens.ingest import formats  # noqa: F401  (registers the built-in readers)

    return dict(_READERS)


def detect(path: Path) -> Reader:
    """The reader whose ``sniff`` accepts the file; an :class:`InputError` when none does."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    for reader in readers().values():
        if reader.sniff(path, head):
            return reader
    names = ", ".join(readers())
    raise InputError(path, None, None, f"format not recognised; name it with --source ({names})")


def read_source(path: str | Path, source: str | None = None, **options: Any) -> ParsedSource:
    """Parse one file into canonical rows, detecting the format unless ``source`` names it."""
    p = Path(path)
    if not p.is_file() and not (p.is_dir() and source is not None):
        raise InputError(p, None, None, "no such file")
    if source is None:
        reader = detect(p)
    else:
        try:
            reader = readers()[source]
        except KeyError:
            raise InputError(p, None, None, f"unknown source {source!r}; known: {', '.join(readers())}") from None
        if p.is_dir() and not reader.directories:
            raise InputError(p, None, None, f"no such file (a directory; the {reader.name} reader reads files)")
    parsed: ParsedSource = reader.read(p, **options)
    parsed.path = str(p)
    return parsed
