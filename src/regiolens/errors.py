"""Errors that a user can act on: each names the file, the line and the field that is wrong."""

from __future__ import annotations

from pathlib import Path


class RegiolensError(Exception):
    """Base class of every error regiolens raises on purpose."""


class InputError(RegiolensError):
    """Bad input in a file: names the file, the 1-based line and the field.

    ``line`` is ``None`` when the problem concerns the whole file (e.g. a wrong encoding detected
    before any line could be read) and ``field`` is ``None`` when it concerns a whole line.
    """

    def __init__(self, path: str | Path, line: int | None, field: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class UnknownRegionError(RegiolensError):
    """A region code or group name that the registry does not know."""


class UnknownIndustryError(RegiolensError):
    """An industry code that the classification does not know."""
