"""The warehouse: a DuckDB file with observations, their sources, region names and geometries.

Written only by imports, each one a single transaction: a failing file leaves the warehouse exactly
as it was. Importing the same file again changes nothing (same dataset key and SHA-256); a file
with the same dataset key but other content is a corrected version and replaces the earlier one.
Readers (the web app, analyses) open the file read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import ibis
import pandas as pd

from regiolens.config import warehouse_path
from regiolens.errors import RegiolensError
from regiolens.ingest.base import read_source
from regiolens.ingest.validate import validate
from regiolens.model import GEOMETRY_COLUMNS, OBSERVATION_COLUMNS, REGION_COLUMNS, ParsedSource
from regiolens.regions.history import CHANGES
from regiolens.warehouse.schema import DDL, SCHEMA_VERSION

ImportStatus = Literal["added", "replaced", "unchanged"]


@dataclass(frozen=True)
class ImportResult:
    """What one file did to the warehouse."""

    dataset_key: str
    file_name: str
    status: ImportStatus
    observations: int
    regions: int
    geometries: int
    notes: tuple[str, ...]


class Warehouse:
    """A regiolens warehouse file. Use as a context manager or call :meth:`close`.

    >>> with Warehouse.open("/tmp/example.duckdb") as wh:   # doctest: +SKIP
    ...     wh.import_files(["13111-07-05-4_2018.csv"])
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        self._ibis: Any = None

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False) -> Warehouse:
        """Open (and, unless read-only, create) the warehouse at ``path`` (see :func:`warehouse_path`)."""
        file = warehouse_path(path)
        if read_only:
            if not file.exists():
                raise RegiolensError(f"no warehouse at {file}; import data first (regiolens data import …)")
            con = duckdb.connect(str(file), read_only=True)
        else:
            file.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(file))
            con.execute(DDL)
            con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None or int(version[0]) != SCHEMA_VERSION:
            con.close()
            raise RegiolensError(
                f"{file} has schema version {version and version[0]}, this regiolens needs {SCHEMA_VERSION}"
            )
        return cls(con, file, read_only)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def ibis(self) -> Any:
        """An Ibis backend on this warehouse's connection, for transforms written as Ibis expressions."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self.con)
        return self._ibis

    # ---------------------------------------------------------------- imports
    def import_files(
        self,
        paths: Sequence[str | Path],
        source: str | None = None,
        progress: Callable[[str], None] | None = None,
        **options: Any,
    ) -> list[ImportResult]:
        """Parse every file, validate all, then store all in one transaction (all or nothing)."""
        parsed = []
        for p in paths:
            parsed.append(read_source(p, source, **options))
            if progress:
                progress(str(p))
        return self.import_parsed(parsed)

    def import_parsed(self, parsed: Iterable[ParsedSource]) -> list[ImportResult]:
        """Store already parsed sources atomically; see the module docstring for the rules."""
        if self.read_only:
            raise RegiolensError(f"{self.path} is open read-only")
        batch = list(parsed)
        for p in batch:
            validate(p, self.registry_codes)
        results: list[ImportResult] = []
        self.con.begin()
        try:
            for p in batch:
                results.append(self._store(p))
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        return results

    def _store(self, p: ParsedSource) -> ImportResult:
        info = p.info
        row = self.con.execute(
            "SELECT source_id, sha256 FROM sources WHERE dataset_key = ?", [info.dataset_key]
        ).fetchone()
        if row is not None and row[1] == info.sha256:
            return ImportResult(info.dataset_key, info.file_name, "unchanged", 0, 0, 0, info.notes)
        status: ImportStatus = "added"
        if row is not None:
            status = "replaced"
            for table in ("observations", "regions", "geometries", "sources"):
                self.con.execute(f"DELETE FROM {table} WHERE source_id = ?", [row[0]])
        (source_id,) = self.con.execute(
            """INSERT INTO sources (dataset_key, kind, format, file_name, sha256, publisher, licence,
                   attribution, vintage, notes, observation_count, imported_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING source_id""",
            [
                info.dataset_key,
                info.kind,
                info.format,
                info.file_name,
                info.sha256,
                info.publisher,
                info.licence,
                info.attribution,
                info.vintage,
                list(info.notes),
                len(p.observations),
                datetime.now(UTC),
            ],
        ).fetchone()  # type: ignore[misc]
        self._append("observations", source_id, p.observations, OBSERVATION_COLUMNS)
        self._append("regions", source_id, p.regions, REGION_COLUMNS)
        self._append("geometries", source_id, p.geometries, GEOMETRY_COLUMNS)
        return ImportResult(
            info.dataset_key, info.file_name, status, len(p.observations), len(p.regions), len(p.geometries), info.notes
        )

    def _append(self, table: str, source_id: int, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        if frame.empty:
            return
        incoming = frame[list(columns)]
        self.con.register("incoming", incoming)
        try:
            self.con.execute(
                f"INSERT INTO {table} (source_id, {', '.join(columns)}) SELECT ?, {', '.join(columns)} FROM incoming",
                [source_id],
            )
        finally:
            self.con.unregister("incoming")

    # ---------------------------------------------------------------- reading
    def sources(self) -> pd.DataFrame:
        """All imported sources with provenance, oldest first."""
        return self.con.execute(
            "SELECT source_id, dataset_key, kind, format, file_name, sha256, publisher, licence, attribution,"
            " vintage, notes, observation_count, imported_at FROM sources ORDER BY source_id"
        ).df()

    def coverage(self) -> pd.DataFrame:
        """Per source, classification, level and measure: years and counts of what is stored."""
        return self.con.execute(
            """SELECT source_id, classification, region_level, measure, min(year) AS first_year,
                      max(year) AS last_year, count(DISTINCT region_code) AS regions, count(*) AS observations,
                      count(*) FILTER (WHERE flag = 'suppressed') AS suppressed
               FROM observations GROUP BY ALL ORDER BY ALL"""
        ).df()

    def registry_codes(self, level: str) -> set[str] | None:
        """Codes a registry or geometry source lists for ``level`` plus historical codes; ``None`` if none does."""
        rows = self.con.execute(
            """SELECT DISTINCT r.region_code FROM regions r JOIN sources s USING (source_id)
               WHERE s.kind IN ('registry', 'geometry') AND r.region_level = ?""",
            [level],
        ).fetchall()
        if not rows:
            return None
        return {r[0] for r in rows} | {c.old for c in CHANGES if c.level.value == level}

    def regions(self, level: str | None = None) -> pd.DataFrame:
        """One row per known region: name and attributes, registry sources before statistics, newest first."""
        where = "WHERE r.region_level = ?" if level else ""
        return self.con.execute(
            f"""SELECT region_level, region_code, name, parent_code, nuts_code, kind FROM (
                  SELECT r.*, row_number() OVER (
                      PARTITION BY r.region_level, r.region_code
                      ORDER BY (s.kind = 'statistics'), r.nuts_code IS NULL, r.source_id DESC) AS rank
                  FROM regions r JOIN sources s USING (source_id) {where})
                WHERE rank = 1 ORDER BY region_level, region_code""",
            [level] if level else [],
        ).df()

    def geometries(self, level: str) -> pd.DataFrame:
        """Region names and stored geometries (GeoJSON text, wound for Vega/d3) at ``level``, newest source first.

        Feed the result to :func:`regiolens.regions.geometry.feature_collection` for a map; the attribution
        of the geometry source is in the ``attribution`` column.
        """
        return self.con.execute(
            """SELECT g.region_level, g.region_code, coalesce(r.name, g.region_code) AS name, g.geojson,
                      s.attribution
               FROM (SELECT *, row_number() OVER (PARTITION BY region_level, region_code ORDER BY source_id DESC)
                     AS rank FROM geometries WHERE region_level = ?) g
               JOIN sources s USING (source_id)
               LEFT JOIN regions r ON r.source_id = g.source_id AND r.region_level = g.region_level
                                  AND r.region_code = g.region_code
               WHERE g.rank = 1 ORDER BY g.region_code""",
            [level],
        ).df()
