"""Small helpers every importer uses: hashing and reading text with a declared encoding."""

from __future__ import annotations

import hashlib
from pathlib import Path

from regiolens.errors import InputError
from regiolens.model import SourceInfo


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes, hex-encoded: the identity of one version of a source file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
) -> SourceInfo:
    """Provenance of a user's own file: what the user said, else ``<format>:<file stem>`` and "unknown"."""
    return SourceInfo(
        dataset_key=dataset_key or f"{format}:{path.stem}",
        file_name=path.name,
        sha256=sha256_of(path),
        format=format,
        publisher=publisher or "user-supplied file",
        licence=licence or "unknown (user-supplied file)",
        attribution=attribution or "",
        vintage=vintage,
        notes=tuple(notes),
    )
