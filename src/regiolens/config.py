"""Where regiolens keeps its files (warehouse, region groups) and which engine runs the microdata pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import platformdirs

from regiolens.errors import RegiolensError

APP_NAME = "regiolens"


def user_data_dir() -> Path:
    """The per-user data directory (e.g. ``~/.local/share/regiolens`` on Linux)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def warehouse_path(explicit: str | Path | None = None) -> Path:
    """The warehouse file: ``explicit`` (``--warehouse``), then ``REGIOLENS_WAREHOUSE``, then the user data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REGIOLENS_WAREHOUSE")
    if env:
        return Path(env)
    return user_data_dir() / "warehouse.duckdb"


def groups_path(explicit: str | Path | None = None) -> Path:
    """The user's region-group file: ``explicit``, then ``REGIOLENS_GROUPS``, then ``groups.toml`` in the data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REGIOLENS_GROUPS")
    if env:
        return Path(env)
    return user_data_dir() / "groups.toml"


Engine = Literal["duckdb", "spark"]
"""Engines that run the microdata pipeline (:mod:`regiolens.ingest.microdata`)."""

ENGINES: tuple[Engine, ...] = ("duckdb", "spark")


@dataclass(frozen=True)
class EngineSettings:
    """How the microdata pipeline runs: the engine and its resources.

    - ``engine``: ``"duckdb"`` (default; in-process, out of core) or ``"spark"`` (PySpark, ``pip install
      regiolens[spark]``).
    - ``memory_limit``: DuckDB's ``memory_limit`` (e.g. ``"4GB"``; default: DuckDB's own, 80 % of RAM). Beyond
      it DuckDB spills to ``temp_directory``.
    - ``temp_directory``: where DuckDB spills and Spark keeps its shuffle files (``spark.local.dir``); default
      a fresh directory in the system's temporary directory, removed afterwards.
    - ``threads``: DuckDB's worker threads (default: all cores).
    - ``spark_master``: ``local[*]``, ``local[2]``, ``spark://host:7077``, ``yarn``, ``k8s://…``; default: what
      ``spark-submit`` was given, else ``local[*]``.
    - ``spark_driver_memory``: ``spark.driver.memory`` (e.g. ``"4g"``), effective only when regiolens starts the
      JVM (under ``spark-submit`` give ``--driver-memory`` instead).
    - ``spark_conf``: further Spark settings, e.g. ``(("spark.sql.shuffle.partitions", "64"),)`` or the
      ``spark.hadoop.fs.s3a.*`` settings for object storage.
    """

    engine: Engine = "duckdb"
    memory_limit: str | None = None
    temp_directory: str | None = None
    threads: int | None = None
    spark_master: str | None = None
    spark_driver_memory: str | None = None
    spark_conf: tuple[tuple[str, str], ...] = ()


ENGINE_ENVIRONMENT: dict[str, str] = {
    "engine": "REGIOLENS_ENGINE",
    "memory_limit": "REGIOLENS_MEMORY_LIMIT",
    "temp_directory": "REGIOLENS_TEMP_DIRECTORY",
    "threads": "REGIOLENS_THREADS",
    "spark_master": "REGIOLENS_SPARK_MASTER",
    "spark_driver_memory": "REGIOLENS_SPARK_DRIVER_MEMORY",
    "spark_conf": "REGIOLENS_SPARK_CONF",
}
"""The environment variable that configures each :class:`EngineSettings` field."""


def engine_settings(**explicit: Any) -> EngineSettings:
    """Engine settings: each field from ``explicit`` (API argument or CLI option), then the environment, then default.

    Environment variables are listed in :data:`ENGINE_ENVIRONMENT`; ``REGIOLENS_SPARK_CONF`` holds
    ``key=value`` pairs separated by commas (``spark.sql.shuffle.partitions=64,spark.executor.memory=8g``),
    and so may the ``spark_conf`` option as text. ``None`` values in ``explicit`` count as not given.
    """
    unknown = sorted(set(explicit) - set(ENGINE_ENVIRONMENT))
    if unknown:
        raise RegiolensError(f"unknown engine setting(s) {', '.join(unknown)}; known: {', '.join(ENGINE_ENVIRONMENT)}")
    values: dict[str, Any] = {}
    for name, variable in ENGINE_ENVIRONMENT.items():
        given = explicit.get(name)
        if given is None:
            given = os.environ.get(variable) or None
        if given is not None:
            values[name] = given
    engine = str(values.get("engine", "duckdb")).strip().lower()
    if engine not in ENGINES:
        raise RegiolensError(f"unknown engine {values['engine']!r}; choose {' or '.join(ENGINES)}")
    values["engine"] = engine
    if "threads" in values:
        try:
            values["threads"] = int(values["threads"])
        except ValueError:
            raise RegiolensError(f"threads must be a whole number, not {values['threads']!r}") from None
    if isinstance(values.get("spark_conf"), str):
        values["spark_conf"] = _pairs(values["spark_conf"])
    elif "spark_conf" in values:
        conf = values["spark_conf"]
        values["spark_conf"] = tuple((str(k), str(v)) for k, v in (conf.items() if isinstance(conf, dict) else conf))
    return EngineSettings(**values)


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise RegiolensError(f"Spark settings look like key=value,key=value, not {text!r}")
        pairs.append((key.strip(), value.strip()))
    return tuple(pairs)
