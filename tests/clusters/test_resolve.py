"""Which clusters a data set can show: exact, approximation or not resolvable — and the codes to use."""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest

from regiolens.classifications import get_classification
from regiolens.clusters import combined_industry_map, get_taxonomy, resolve
from regiolens.clusters.tomlfile import parse_toml
from regiolens.errors import RegiolensError, UnknownIndustryError
from regiolens.warehouse.panel import query_panel

HI = get_taxonomy("hannoverimpuls")
WZ = get_classification("wz2008")


def test_class_data_resolve_every_cluster_exactly() -> None:
    result = resolve(HI, "wz2008", WZ.codes("class"))
    assert {cid: r.status for cid, r in result.items()} == dict.fromkeys(HI.cluster_ids, "exact")
    automotive = result["automotive"]
    assert automotive.industry_map == {c: "automotive" for c in ("29.10", "29.20", "29.31", "29.32")}
    assert not automotive.weighted and automotive.unresolved == ()
    assert result["ict"].industry_map["62.01"] == "ict"
    combined = combined_industry_map(result)
    assert len(combined) == 4 + 2 + 2 + 13 + 22
    assert combined["33.20"] == "production"


def test_division_data_are_an_approximation_with_outside_shares() -> None:
    result = resolve(HI, "wz2008", WZ.codes("division"))
    assert result["automotive"].status == "exact"  # division 29 is the whole cluster
    [whole] = result["automotive"].codes
    assert (whole.code, whole.kind, whole.outside_share) == ("29", "exact", 0.0)
    assert whole.stands_for == ("29.10", "29.20", "29.31", "29.32")

    production = result["production"]
    assert production.status == "approximation"
    proxies = {c.code: c for c in production.codes}
    assert set(proxies) == {"28", "33"}
    # Division 28 has 26 subclasses, 15 of them in the cluster; division 33 has 9, one in the cluster.
    assert proxies["28"].kind == "proxy" and proxies["28"].outside_share == pytest.approx(11 / 26, abs=1e-6)
    assert proxies["33"].outside_share == pytest.approx(8 / 9, abs=1e-6)
    assert proxies["33"].stands_for == ("33.20",)
    assert "28 for" in production.message and "not employment" in production.message
    assert result["medtech"].status == "approximation"
    assert result["ict"].status == "approximation"


def test_a_limit_on_the_outside_share_turns_poor_proxies_away() -> None:
    result = resolve(HI, "wz2008", WZ.codes("division"), clusters=["production"], max_outside_share=0.5)
    production = result["production"]
    assert production.status == "not_resolvable" and production.industry_map == {}
    [unresolved] = production.unresolved
    assert (unresolved.code, unresolved.reason, unresolved.coarse_code) == ("33.20", "too_coarse", "33")


def test_section_groups_resolve_no_cluster() -> None:
    groups = get_classification("wz2008-sg").codes()
    result = resolve(HI, "wz2008-sg", groups)
    assert {r.status for r in result.values()} == {"not_resolvable"}
    automotive = result["automotive"]
    assert automotive.industry_map == {}
    assert {u.coarse_code for u in automotive.unresolved} == {"C"}
    assert "within C" in automotive.message
    ict = result["ict"]
    assert {u.coarse_code for u in ict.unresolved} == {"C", "G-I", "J", "R-U"}
    # Allowing proxies up to a whole section would let C stand in for automotive — nearly all of it outside.
    loose = resolve(HI, "wz2008-sg", groups, clusters=["automotive"], coarsest_level="section")["automotive"]
    assert loose.status == "approximation" and loose.codes[0].code == "C" and loose.codes[0].outside_share > 0.9


def test_finer_data_and_missing_rows() -> None:
    codes = ["29.10.1", "29.20.0", "29.31.0", "29.32.0", "TOTAL"]
    automotive = resolve(HI, "wz2008", codes, clusters=["automotive"])["automotive"]
    assert automotive.status == "exact"
    assert set(automotive.industry_map) == {"29.10.1", "29.20.0", "29.31.0", "29.32.0"}
    assert automotive.missing == ["29.10.2"]
    assert "no rows in the data for 29.10.2" in automotive.message


def test_nothing_in_the_data_is_not_resolvable() -> None:
    photonics = resolve(HI, "wz2008", ["29.10", "62.01"], clusters=["photonics"])["photonics"]
    assert photonics.status == "not_resolvable" and photonics.missing == ["26.70", "27.31"]
    assert "none of the cluster's codes" in photonics.message


def test_overlapping_data_codes_are_not_counted_twice() -> None:
    automotive = resolve(HI, "wz2008", ["29", "29.10", "29.20"], clusters=["automotive"])["automotive"]
    assert automotive.industry_map == {"29": "automotive"}


def test_unknown_data_codes_are_errors() -> None:
    with pytest.raises(UnknownIndustryError):
        resolve(HI, "wz2008", ["29.99"])


def test_wz2025_data_use_the_reviewed_definition() -> None:
    result = resolve(HI, "wz2025", get_classification("wz2025").codes("class"))
    assert result["automotive"].status == "exact" and not result["automotive"].weighted
    assert result["automotive"].codes[0].partial  # WZ 2025 29.10 is marked partial in the definition
    # WZ 2025 class 26.70 holds optics (photonics) and media (ICT): an approximation for both.
    assert result["photonics"].status == "approximation"
    assert result["ict"].status == "approximation"


MINI = """
schema = 1
[taxonomy]
id = "mini"
version = "1"
classification = "wz2008"
[clusters.a]
[[clusters.a.wz2008]]
code = "62.01"
[clusters.b]
[[clusters.b.wz2008]]
code = "62"
weight = 0.5
"""


def test_overlaps_and_weights_need_one_query_per_cluster() -> None:
    mini = parse_toml(MINI, Path("mini.toml"))
    result = resolve(mini, "wz2008", WZ.codes("class"))
    assert result["b"].weighted and result["b"].weights["62.01"] == 0.5
    with pytest.raises(RegiolensError, match="weighted"):
        combined_industry_map(result)
    only_a = {"a": result["a"], "a2": result["a"]}
    with pytest.raises(RegiolensError, match="belongs to clusters"):
        combined_industry_map(only_a)


def test_the_industry_map_works_in_query_panel() -> None:
    rows = [("03241", "29.10", 100.0), ("03241", "29.32", 20.0), ("03241", "62.01", 7.0), ("05562", "29.20", 5.0)]
    frame = pd.DataFrame(
        {
            "source_id": 1,
            "region_code": [r[0] for r in rows],
            "region_level": "de:kreis",
            "industry_code": [r[1] for r in rows],
            "classification": "wz2008",
            "year": 2020,
            "measure": "employment",
            "value": [r[2] for r in rows],
            "flag": "none",
        }
    )
    duck = duckdb.connect()
    duck.register("frame", frame)
    duck.execute("CREATE TABLE observations AS SELECT * FROM frame")
    con = ibis.duckdb.from_connection(duck)
    automotive = resolve(HI, "wz2008", frame.industry_code, clusters=["automotive"])["automotive"]
    assert automotive.status == "exact" and automotive.missing == ["29.31"]
    panel = query_panel(
        con,
        measure="employment",
        years=2020,
        region_level="de:kreis",
        classification="wz2008",
        industry_map=automotive.industry_map,
    )
    assert panel.industries == ("automotive",)
    assert dict(zip(panel.regions, panel.values[0, :, 0], strict=True)) == {"03241": 120.0, "05562": 5.0}
