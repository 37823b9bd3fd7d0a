"""The engines that run the microdata pipeline: Ibis on DuckDB (default) or on PySpark.

Both engines get the same Ibis expressions (:mod:`regiolens.ingest.microdata`); this module only opens an
engine (:func:`connect`) and reads establishment files with the same meaning on both (:func:`read_table`):

- **Parquet**: one file, or a directory of files, partitioned (``jahr=2020/part-0.parquet``) or not.
- **CSV**: a header line; ``delimiter`` (default ``,``); fields quoted with ``"`` and quotes inside doubled
  (RFC 4180); every column read as text, so that ``05562`` and ``29.10`` stay as written.
- Partition columns (``key=value`` directory names) are text on both engines: no type guessing that would turn
  Kreis ``05562`` into 5562.
- In a directory, files and directories whose name starts with ``_`` or ``.`` are not data (Spark's
  ``_SUCCESS``, checksum files), as Spark and Hive treat them.
- Locations: local paths on both engines; on Spark also every Hadoop file-system URL the cluster is set up
  for (``s3a://``, ``abfss://``, ``gs://``, ``hdfs://``), on DuckDB ``s3://``, ``gs://`` and ``https://``
  through its httpfs extension (a URL of a directory is read as ``<url>/**/*.parquet`` or ``*.csv``).

DuckDB runs in process with a memory limit and spills what does not fit to ``temp_directory`` (out of core);
Spark runs in local mode or on a cluster (see ``README.md``, "Scaling out"). An active Spark session (a
notebook's, or the one ``spark-submit`` made) is used as it is and left running; one that regiolens starts is
stopped at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ibis

from regiolens.config import EngineSettings
from regiolens.errors import RegiolensError
from regiolens.ingest.files import data_files

PARTITION_INFERENCE = "spark.sql.sources.partitionColumnTypeInference.enabled"


def is_url(location: str | Path) -> bool:
    """Whether ``location`` is a URL (``s3a://bucket/dir``) rather than a local path."""
    return "://" in str(location)


@contextmanager
def connect(settings: EngineSettings) -> Iterator[Any]:
    """An Ibis backend on the configured engine, closed (and its spill directory removed) afterwards."""
    spill = settings.temp_directory or tempfile.mkdtemp(prefix="regiolens-spill-")
    try:
        if settings.engine == "spark":
            with _spark_session(settings, spill) as session:
                yield ibis.pyspark.connect(session)
        else:
            config: dict[str, Any] = {"temp_directory": spill, "preserve_insertion_order": False}
            if settings.memory_limit:
                config["memory_limit"] = settings.memory_limit
            if settings.threads:
                config["threads"] = settings.threads
            try:
                con = ibis.duckdb.connect(**config)
            except Exception as exc:  # duckdb raises its own error types for bad settings
                raise RegiolensError(f"cannot start DuckDB with {config}: {exc}") from None
            try:
                yield con
            finally:
                con.disconnect()
    finally:
        if not settings.temp_directory:
            shutil.rmtree(spill, ignore_errors=True)


@contextmanager
def _spark_session(settings: EngineSettings, spill: str) -> Iterator[Any]:
    try:
        from pyspark.errors import PySparkRuntimeError
        from pyspark.sql import SparkSession
    except ImportError:
        raise RegiolensError(
            "the Spark engine needs PySpark and a Java 17 runtime: pip install 'regiolens[spark]'"
        ) from None
    try:
        session = SparkSession.active()  # the thread's active session, else the default one
    except PySparkRuntimeError:  # NO_ACTIVE_OR_DEFAULT_SESSION
        session = None
    started = session is None
    if session is None:
        builder = SparkSession.builder.appName("regiolens")
        if settings.spark_master:
            builder = builder.master(settings.spark_master)
        conf = {
            "spark.local.dir": spill,
            "spark.sql.execution.arrow.pyspark.enabled": "true",
            "spark.ui.showConsoleProgress": "false",
        }
        if settings.spark_driver_memory:
            conf["spark.driver.memory"] = settings.spark_driver_memory
        conf.update(dict(settings.spark_conf))
        for key, value in conf.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
    else:
        for key, value in settings.spark_conf:  # runtime settings only; the JVM is running already
            session.conf.set(key, value)
    before = str(session.conf.get(PARTITION_INFERENCE, "true"))
    session.conf.set(PARTITION_INFERENCE, "false")
    try:
        yield session
    finally:
        if started:
            session.stop()
        else:
            session.conf.set(PARTITION_INFERENCE, before)


def read_table(
    con: Any,
    location: str | Path,
    file_format: str,
    *,
    delimiter: str = ",",
    numbered: bool = False,
) -> Any:
    """The establishment records at ``location`` as an Ibis table on ``con`` (see the module docstring).

    ``numbered`` (DuckDB only, for finding a bad record) adds ``__file`` (the file's path) and ``__line``
    (1-based record number in a Parquet file, line in a CSV file with the header on line 1); DuckDB reads a CSV
    file in order only on one thread, so give it a connection with ``threads=1``.
    """
    spark = con.name == "pyspark"
    if spark and numbered:
        raise ValueError("numbered records are read with DuckDB")
    if spark:
        path = str(location)
        if file_format == "parquet":
            return con.read_parquet(path)
        return con.read_csv(path, header=True, inferSchema=False, sep=delimiter, quote='"', escape='"')
    source: str | list[str] = _duckdb_files(location, file_format)
    hive = {"hive_partitioning": True, "hive_types_autocast": False}
    if file_format == "parquet":
        table = con.read_parquet(source, union_by_name=True, filename=numbered, file_row_number=numbered, **hive)
        if numbered:
            table = table.mutate(__file=table["filename"], __line=table["file_row_number"] + 1)
        return table
    table = con.read_csv(
        source, all_varchar=True, header=True, delim=delimiter, quote='"', escape='"', filename=numbered, **hive
    )
    if numbered:  # 0-based row number within the file, header = line 1
        table = table.mutate(__file=table["filename"], __line=ibis.row_number().over(group_by="filename") + 2)
    return table


def _duckdb_files(location: str | Path, file_format: str) -> str | list[str]:
    suffix = ".parquet" if file_format == "parquet" else ".csv"
    if is_url(location):
        text = str(location).rstrip("/")
        return text if text.endswith(suffix) or "*" in text else f"{text}/**/*{suffix}"
    path = Path(location)
    if not path.is_dir():
        return str(path)
    files = data_files(path)
    if not files:
        raise RegiolensError(f"{path}: the directory holds no data files")
    return [str(f) for f in files]
