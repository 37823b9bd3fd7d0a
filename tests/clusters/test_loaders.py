"""Reading taxonomies from TOML, CSV and XLSX: every kind of bad input names file, line and field."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from regiolens.clusters import get_taxonomy, read_table, read_toml, to_toml
from regiolens.clusters.tomlfile import parse_toml
from regiolens.errors import InputError

GOOD = """\
schema = 1

[taxonomy]
id = "logistik"
version = "2025.1"
name_de = "Logistik-Cluster"
classification = "wz2008"
published = 2025-03-01
attribution = "Stadt Herten"

[definitions.wz2008]
valid_to = 2024-12-31

[clusters.logistics]
name_de = "Logistik"
name_en = "Logistics"
category = "traded"

[[clusters.logistics.wz2008]]
code = "5210"
note = "Lagerei"
source = "WZ 2008"

[[clusters.logistics.wz2008]]
code = "H49.41"
weight = 0.5
note = "only road haulage for trade"

[[clusters.logistics.excluded]]
code = "53.10"
note = "postal services"
"""


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_toml(path) if path.suffix == ".toml" else read_table(path, classification="wz2008")
    return info.value


def test_a_good_file_reads_with_canonical_codes(tmp_path: Path) -> None:
    tax = read_toml(write(tmp_path, GOOD))
    assert (tax.id, tax.version, tax.classification) == ("logistik", "2025.1", "wz2008")
    assert tax.published is not None and tax.published.isoformat() == "2025-03-01"
    cluster = tax.cluster("logistics")
    assert cluster.category == "traded" and cluster.label("en") == "Logistics"
    codes = cluster.definitions["wz2008"].codes
    assert [(c.code, c.weight, c.partial) for c in codes] == [("52.10", 1.0, False), ("49.41", 0.5, True)]
    assert cluster.excluded[0].code == "53.10"
    assert tax.definitions["wz2008"].valid_to is not None


def test_writing_and_reading_back_gives_the_same_taxonomy(tmp_path: Path) -> None:
    tax = read_toml(write(tmp_path, GOOD))
    again = parse_toml(to_toml(tax), tmp_path / "again.toml")
    assert again.clusters == tax.clusters
    assert (again.id, again.version, again.published, again.attribution) == (
        tax.id,
        tax.version,
        tax.published,
        tax.attribution,
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ('code = "5210"', 'code = "52.99"', 20, "clusters.logistics.wz2008[1].code", "not a WZ 2008 code"),
        ('code = "5210"', 'code = "29.10.0"', 20, "clusters.logistics.wz2008[1].code", "29.10.1, 29.10.2"),
        ('code = "5210"', 'code = "1110"', 20, "clusters.logistics.wz2008[1].code", "leading zero"),
        ("weight = 0.5", "weight = 1.5", 26, "clusters.logistics.wz2008[2].weight", "(0, 1]"),
        ('code = "H49.41"', 'code = "52.10"', 25, "clusters.logistics.wz2008[2].code", "twice"),
        ('code = "H49.41"', 'code = "52"', 25, "clusters.logistics.wz2008[2].code", "count twice"),
        ('note = "Lagerei"', 'nte = "Lagerei"', 21, "clusters.logistics.wz2008[1].nte", "unknown key"),
        ('category = "traded"', 'category = "global"', 17, "clusters.logistics.category", "traded"),
        ('classification = "wz2008"', 'classification = "sic87"', 7, "taxonomy.classification", "sic87"),
        ('id = "logistik"', 'id = "Logistik Cluster"', 4, "taxonomy.id", "lower-case"),
        ('[[clusters.logistics.wz2008]]\ncode = "5210"', '[[clusters.logistics.wz2099]]\ncode = "5210"', 19,
         "clusters.logistics.wz2099", "unknown classification"),
        ('code = "53.10"', 'code = "53.99"', 30, "clusters.logistics.excluded[1].code", "not a WZ 2008 code"),
        ("published = 2025-03-01", 'published = "März 2025"', 8, "published", "TOML date"),
    ],
)  # fmt: skip
def test_errors_name_line_and_field(tmp_path: Path, old: str, new: str, line: int, field: str, words: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    exc = error(path)
    assert (exc.path, exc.line, exc.field) == (str(path), line, field), str(exc)
    assert words in exc.message


def test_broken_toml_names_its_line(tmp_path: Path) -> None:
    exc = error(write(tmp_path, GOOD.replace('name_en = "Logistics"', 'name_en = "Logistics')))
    assert exc.line == 16 and "not valid TOML" in exc.message


def test_a_cluster_needs_codes_on_the_primary_classification(tmp_path: Path) -> None:
    text = GOOD.replace("[[clusters.logistics.wz2008]]", "[[clusters.logistics.nace2]]")
    exc = error(write(tmp_path, text))
    assert (exc.line, exc.field) == (14, "clusters.logistics") and "primary classification wz2008" in exc.message


# ------------------------------------------------------------------------------------------------ tables


def test_csv_with_german_headers_through_a_column_mapping(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Cluster;WZ;Anteil;Hinweis\nLogistik;52.10;;Lagerei\nLogistik;49.41;0,5;Straße\nGesundheit;86.10;;\n",
        "meine.csv",
    )
    tax = read_table(
        path,
        columns={"cluster": "Cluster", "code": "WZ", "weight": "Anteil", "note": "Hinweis"},
        classification="wz2008",
    )
    assert tax.id == "meine" and tax.cluster_ids == ["logistik", "gesundheit"]
    codes = tax.cluster("logistik").definitions["wz2008"].codes
    assert [(c.code, c.weight, c.note) for c in codes] == [("52.10", 1.0, "Lagerei"), ("49.41", 0.5, "Straße")]


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        ("cluster,code\nLogistik,52.10\nLogistik,52.99\n", 3, "code", "not a WZ 2008 code"),
        ("cluster,code,weight\nLogistik,52.10,2\n", 2, "weight", "(0, 1]"),
        ("cluster,code,weight\nLogistik,52.10,viel\n", 2, "weight", "not a number"),
        ("cluster,code,category\nA,52.10,traded\nA,52.21,local\n", 3, "category", "'traded' on line 2"),
        ("cluster,code,nonstandard\nA,52.10,vielleicht\n", 2, "nonstandard", "true/false"),
        ("cluster,code\nA,\n", 2, "code", "empty code"),
        ("cluster,code\nA,52.10\nA,52.1\n", 3, "code", "count twice"),
        ("cluster,wz\nA,52.10\n", 1, "code", "missing column"),
    ],
)
def test_table_errors_name_line_and_column(tmp_path: Path, body: str, line: int, field: str, words: str) -> None:
    exc = error(write(tmp_path, body, "t.csv"))
    assert (exc.line, exc.field) == (line, field), str(exc)
    assert words in exc.message


def test_xlsx_numbers_as_codes(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (["Cluster", "NAICS"], ["Autos", 336111], ["Autos", 336112.0]):
        ws.append(row)
    wb.save(path)
    tax = read_table(path, columns={"code": "NAICS", "cluster": "Cluster"}, classification="naics2017")
    assert tax.cluster("autos").definitions["naics2017"].code_list() == ["336111", "336112"]

    ws.append(["Autos", 29.1])
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_table(path, columns={"code": "NAICS", "cluster": "Cluster"}, classification="wz2008")
    assert (info.value.line, info.value.field) == (4, "NAICS") and "format the column as text" in info.value.message


def test_flagged_unknown_codes_and_rows_without_cluster_are_reported_not_dropped(tmp_path: Path) -> None:
    body = (
        "cluster,code,nonstandard,note\nA,52.10,false,\nA,52.99,true,own code\nNA,52.21,,\nB,99.99.9,TRUE,\n"
        "A,49.41,true,\n"
    )
    tax = read_table(write(tmp_path, body, "t.csv"), classification="wz2008")
    assert tax.cluster_ids == ["a"]
    assert [(s.kind, s.line, s.code, s.cluster) for s in tax.skipped] == [
        ("nonstandard", 3, "52.99", "a"),
        ("unassigned", 4, "52.21", "NA"),
        ("nonstandard", 5, "99.99.9", "b"),
        ("empty_cluster", None, "", "b"),
    ]
    kept = tax.cluster("a").definitions["wz2008"].get("49.41")
    assert kept is not None and "flagged non-standard" in kept.note


def test_the_builtin_taxonomy_survives_a_round_trip() -> None:
    hi = get_taxonomy("hannoverimpuls")
    again = parse_toml(to_toml(hi), Path("copy.toml"))
    assert again.clusters == hi.clusters and again.definitions == hi.definitions
