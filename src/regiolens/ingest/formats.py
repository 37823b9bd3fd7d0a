"""Imports every built-in reader module so that each registers itself (order = detection order)."""

from regiolens.ingest import genesis  # noqa: F401
