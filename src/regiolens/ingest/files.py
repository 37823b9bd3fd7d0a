"""Small helpers every importer uses: hashing and reading text with a declared encoding."""

from __future__ import annotations

import hashlib
from pathlib import Path

from regiolens.errors import InputError
from regiolens.model import SourceInfo


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex-encoded: the identity of one version of a source file.

    For a directory (a partitioned data set), of the relative names and bytes of its :func:`data_files`.
    """
    digest = hashlib.sha256()
    for file in data_files(path) if path.is_dir() else [path]:
        if file is not path:
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def data_files(directory: Path) -> list[Path]:
    """The data files of a directory, sorted: every file below it but those under a ``_`` or ``.`` name.

    Spark and Hive treat such names (``_SUCCESS``, ``.part-0.crc``, ``_temporary/``) as not data; so do we.
    """
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not any(part.startswith(("_", ".")) for part in p.relative_to(directory).parts)
    )


def read_text(path: Path, encoding: str) -> str:
    """Read a whole file strictly in ``encoding``; a byte that does not decode names its line."""
    data = path.read_bytes()
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            line,
            "encoding",
            f"cannot be decoded as {encoding} (byte {data[exc.start]:#04x}); wrong encoding?",
        ) from None


def user_source_info(
    path: Path,
    format: str,
    notes: list[str],
    dataset_key: str | None = None,
    publisher: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    vintage: str | None = None,
    sha256: str | None = None,
) -> SourceInfo:
    """Provenance of a user's own file: what the user said, else ``<format>:<file stem>`` and "unknown".

    ``sha256`` is the identity of a source that is not a local file (default: :func:`sha256_of` the file).
    """
    return SourceInfo(
        dataset_key=dataset_key or f"{format}:{path.stem}",
        file_name=path.name,
        sha256=sha256 or sha256_of(path),
        format=format,
        publisher=publisher or "user-supplied file",
        licence=licence or "unknown (user-supplied file)",
        attribution=attribution or "",
        vintage=vintage,
        notes=tuple(notes),
    )
