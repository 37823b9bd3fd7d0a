"""Importers: one module per source format, each turning a file into canonical observations.

Use :func:`read_source` to parse a file (format detected by content, or named) and
:meth:`regiolens.warehouse.Warehouse.import_files` to parse and store files atomically.
"""

from regiolens.ingest.base import Reader, detect, read_source, readers

__all__ = ["Reader", "detect", "read_source", "readers"]
