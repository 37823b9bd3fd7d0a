"""The warehouse schema (DuckDB DDL). Bump :data:`SCHEMA_VERSION` with every change."""

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE SEQUENCE IF NOT EXISTS source_id_seq START 1;
CREATE TABLE IF NOT EXISTS sources (
    source_id INTEGER PRIMARY KEY DEFAULT nextval('source_id_seq'),
    dataset_key VARCHAR NOT NULL UNIQUE,
    kind VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    publisher VARCHAR NOT NULL,
    licence VARCHAR NOT NULL,
    attribution VARCHAR NOT NULL,
    vintage VARCHAR,
    notes VARCHAR[] NOT NULL,
    observation_count BIGINT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS observations (
    source_id INTEGER NOT NULL,
    region_code VARCHAR NOT NULL,
    region_level VARCHAR NOT NULL,
    industry_code VARCHAR NOT NULL,
    classification VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    measure VARCHAR NOT NULL,
    value DOUBLE,
    flag VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS regions (
    source_id INTEGER NOT NULL,
    region_level VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    parent_code VARCHAR,
    nuts_code VARCHAR,
    kind VARCHAR
);
CREATE TABLE IF NOT EXISTS geometries (
    source_id INTEGER NOT NULL,
    region_level VARCHAR NOT NULL,
    region_code VARCHAR NOT NULL,
    geojson VARCHAR NOT NULL
);
"""
