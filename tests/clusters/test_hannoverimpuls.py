"""The built-in hannoverimpuls taxonomy: its definitions code by code, and its reviewed derivations."""

from __future__ import annotations

from importlib import resources

import pytest

from regiolens.classifications import get_classification
from regiolens.clusters import check_review, get_taxonomy

HI = get_taxonomy("hannoverimpuls")


def codes(cluster: str, classification: str = "wz2008") -> list[str]:
    return HI.definition(cluster, classification).code_list()


def test_the_file_ships_inside_the_package() -> None:
    data = resources.files("regiolens.clusters") / "data" / "hannoverimpuls.toml"
    assert data.is_file()
    assert HI.builtin and HI.path is not None and HI.path.endswith("hannoverimpuls.toml")


def test_five_clusters_in_order_with_both_names() -> None:
    assert HI.cluster_ids == ["automotive", "medtech", "photonics", "production", "ict"]
    assert HI.classification == "wz2008"
    assert HI.cluster("production").label("de") == "Produktionstechnik"
    assert HI.cluster("ict").label("en") == "Information and communication technology (ICT)"
    assert HI.definitions["wz2008"].valid_to is not None and HI.definitions["wz2008"].valid_to.year == 2024
    assert HI.definitions["wz2025"].valid_from is not None and HI.definitions["wz2025"].valid_from.year == 2025


def test_wz2008_definitions_exactly() -> None:
    assert codes("automotive") == ["29.10", "29.20", "29.31", "29.32"]
    assert codes("medtech") == ["26.60", "32.50"]
    assert codes("photonics") == ["26.70", "27.31"]
    assert codes("production") == [
        "28.12", "28.15", "28.22", "28.29", "28.41", "28.49", "28.91", "28.93", "28.94", "28.95", "28.96", "28.99",
        "33.20",
    ]  # fmt: skip
    assert codes("ict") == [
        "26.11", "26.12", "26.20", "26.30", "26.40", "26.80", "46.51", "46.52", "58.21", "58.29", "61.10", "61.20",
        "61.30", "61.90", "62.01", "62.02", "62.03", "62.09", "63.11", "63.12", "95.11", "95.12",
    ]  # fmt: skip


def test_every_written_code_has_a_note_and_a_source_and_counts_in_full() -> None:
    for cluster in HI.clusters:
        for definition in cluster.definitions.values():
            for c in definition.codes:
                assert c.note and c.source, (cluster.id, definition.classification, c.code)
        for c in cluster.definitions["wz2008"].codes:
            assert c.weight == 1.0 and not c.partial and c.basis == "authored"
        for e in cluster.excluded:
            assert e.note, (cluster.id, e.code)


def test_sources_name_the_definitions_they_follow() -> None:
    ict = HI.definition("ict")
    assert ict.get("62.01") is not None and "OECD (2007)" in ict.get("62.01").source
    assert "SPECTARIS" in HI.definition("medtech").get("32.50").source
    assert "VDMA" in HI.definition("production").get("28.41").source
    assert "division 29" in HI.definition("automotive").get("29.10").source


def test_excluded_codes_are_shown_with_reasons() -> None:
    excluded = {(e.classification, e.code): e.note for e in HI.cluster("automotive").excluded}
    assert "Tyres" in excluded[("wz2008", "22.11")]
    assert ("naics2017", "336510") in excluded  # railroad rolling stock: a concordance artefact


def test_the_wz2008_clusters_do_not_overlap() -> None:
    wz = get_classification("wz2008")
    seen: dict[str, str] = {}
    for cluster in HI.clusters:
        for code in codes(cluster.id):
            for leaf in wz.leaves(code):
                assert leaf not in seen, (leaf, seen.get(leaf), cluster.id)
                seen[leaf] = cluster.id
    assert seen["29.10.1"] == "automotive" and seen["62.01.9"] == "ict"


def test_wz2025_is_derived_with_partial_codes_marked() -> None:
    definition = HI.definition("automotive", "wz2025")
    assert definition.derived_from == "wz2008" and not definition.computed
    by_code = {c.code: c for c in definition.codes}
    assert set(by_code) == {"29.10", "29.20", "29.31", "29.32"}
    assert by_code["29.32"].partial and by_code["29.32"].weight == 1.0  # counted in full, marked
    assert "23.12" in by_code["29.32"].note
    assert not by_code["29.20"].partial
    assert by_code["29.10"].derived_from == ("29.10",) and by_code["29.10"].basis == "derived"
    ict = {c.code: c for c in HI.definition("ict", "wz2025").codes}
    assert "62" in ict and "62.10" not in ict  # the whole WZ 2025 division 62
    assert ict["63.10.1"].partial and not ict["63.91"].partial
    photonics = HI.definition("photonics", "wz2025").code_list()
    assert photonics == ["26.70.1", "27.31"]  # WZ 2025 26.70 also holds the media of WZ 2008 26.80 (ICT)


@pytest.mark.parametrize("cluster", ["automotive", "medtech", "photonics", "production", "ict"])
@pytest.mark.parametrize("classification", ["wz2025", "naics2017"])
def test_every_concordance_candidate_was_reviewed(cluster: str, classification: str) -> None:
    check = check_review(HI, cluster, classification)
    assert check.unreviewed == () and check.unsupported == ()


def test_naics_2017_automotive_holds_3361_to_3363() -> None:
    naics = get_classification("naics2017")
    definition = HI.definition("automotive", "naics2017")
    assert definition.derived_from == "wz2008"
    covered = {leaf for c in definition.codes for leaf in naics.leaves(c.code)}
    wanted = {c for c in naics.codes("national_industry") if c[:4] in ("3361", "3362", "3363")}
    assert wanted <= covered
    assert covered == wanted
    stamping = definition.get("336370")
    assert stamping is not None and stamping.basis == "authored" and "ISIC 2591" in stamping.note
    seats = definition.get("336360")
    assert seats is not None and seats.partial and seats.weight == 1.0


def test_naics_2017_equivalents_of_the_other_clusters() -> None:
    assert codes("medtech", "naics2017") == ["334510", "334517", "339112", "339113", "339114", "339115", "339116"]
    assert codes("photonics", "naics2017") == ["333314", "333316", "335921"]
    ict = codes("ict", "naics2017")
    assert {"3344", "517", "5415", "511210", "518210"} <= set(ict)
    assert "515120" not in ict  # broadcasting: content and media, not ICT
    assert {"333517", "333249", "333612"} <= set(codes("production", "naics2017"))


def test_naics_2012_for_cbp_2016_is_derived_at_run_time_from_naics_2017() -> None:
    definition = HI.definition("automotive", "naics2012")
    assert definition.computed and definition.derived_from == "naics2017"
    assert definition.path == ("naics2017", "naics2012")
    by_code = {c.code: c for c in definition.codes}
    assert list(by_code) == ["3361", "3362", "3363"]
    assert not by_code["3361"].partial
    assert by_code["3363"].partial  # inherits the marks of 336310 … 336390
    assert HI.definition("automotive", "naics2012") is definition  # cached on the taxonomy


def test_ict_carried_back_to_isic_is_the_oecd_list() -> None:
    # OECD (2007): ISIC 2610, 2620, 2630, 2640, 2680, 4651, 4652, 5820, 61, 62, 631, 951 (no partial code).
    definition = HI.definition("ict", "isic4")
    assert definition.computed and definition.derived_from == "wz2008"
    assert [(c.code, c.partial) for c in definition.codes] == [
        (code, False) for code in ("261", "262", "263", "264", "268", "4651", "4652", "582", "61", "62", "631", "951")
    ]
