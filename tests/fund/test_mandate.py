"""The mandate check on the real hannoverimpuls taxonomy (WZ 2008, WZ 2025, NAICS) and the real region registry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from regiolens.errors import InputError
from regiolens.fund.mandate import Mandate, MandateCheck, check_deal, contains, read_mandate, warehouse_region_names
from regiolens.fund.pipeline import DealIn
from regiolens.model import RegionLevel
from regiolens.warehouse.store import Warehouse

DAY = date(2026, 3, 1)
KREIS, GEMEINDE = RegionLevel.DE_KREIS, RegionLevel.DE_GEMEINDE


def mandate(**changes: object) -> Mandate:
    spec: dict[str, object] = {
        "taxonomy": "hannoverimpuls",
        "clusters": ["ict", "medtech"],
        "region": "emscher-lippe",
        "stages": ["seed", "series_a"],
        "max_per_company": 2_000_000,
    }
    return Mandate.model_validate(spec | changes)


def deal(**changes: object) -> DealIn:
    spec: dict[str, object] = {
        "company": "Muster GmbH",
        "code": "62.01",
        "region": "05562004",
        "stage": "seed",
        "amount": 400_000,
    }
    return DealIn.model_validate(spec | changes)


def rule(check: MandateCheck, name: str) -> tuple[bool, str, str]:
    found = next(r for r in check.rules if r.rule == name)
    return found.passed, found.reason_de, found.reason_en


def test_an_eligible_deal_with_every_reason_in_german_and_english() -> None:
    check = check_deal(deal(), mandate(), on=DAY)
    assert check.eligible and check.in_region and [c.id for c in check.clusters] == ["ict"]
    assert [(r.rule, r.passed) for r in check.rules] == [
        ("cluster", True),
        ("region", True),
        ("stage", True),
        ("max_per_company", True),
    ]
    assert check.reasons("de") == [
        "WZ 2008 62.01 ist im Cluster Informations- und Kommunikationstechnologie (IKT): förderfähig",
        "Unternehmen in der Region Emscher-Lippe (05562004): förderfähig",
        "Finanzierungsphase Seed ist im Mandat vorgesehen: förderfähig",
        "400.000\u00a0€ je Unternehmen: innerhalb der Höchstgrenze von 2.000.000\u00a0€: förderfähig",
    ]
    assert check.reasons("en") == [
        "WZ 2008 62.01 is in Information and communication technology (ICT): eligible",
        "company in the region Emscher-Lippe (05562004): eligible",
        "stage Seed is within the mandate: eligible",
        "€400,000 per company: within the limit of €2,000,000: eligible",
    ]
    assert MandateCheck.from_dict(check.to_dict()) == check


def test_a_deal_failing_every_rule_says_why() -> None:
    check = check_deal(deal(code="10.11", region="03241001", stage="growth"), mandate(), earlier=1_800_000, on=DAY)
    assert not check.eligible and check.failed == list(check.rules) and not check.in_region
    assert check.reasons("de") == [
        "WZ 2008 10.11 ist in keinem Cluster des Mandats (\u201eInformations- und Kommunikationstechnologie (IKT)"
        "\u201c und \u201eBiomedizintechnik (Medizintechnik)\u201c): nicht förderfähig",
        "Unternehmen außerhalb der Region Emscher-Lippe (03241001): nicht förderfähig",
        "Finanzierungsphase Wachstum ist im Mandat nicht vorgesehen (vorgesehen: Seed und Serie A): nicht förderfähig",
        "400.000\u00a0€ + bisher 1.800.000\u00a0€ = 2.200.000\u00a0€ je Unternehmen: über der Höchstgrenze von "
        "2.000.000\u00a0€: nicht förderfähig",
    ]
    assert rule(check, "region")[2] == "company outside the region Emscher-Lippe (03241001): not eligible"
    assert rule(check, "max_per_company")[2] == (
        "€400,000 + earlier €1,800,000 = €2,200,000 per company: above the limit of €2,000,000: not eligible"
    )


def test_unknown_codes_fail_their_rule_instead_of_raising() -> None:
    check = check_deal(deal(code="99.99"), mandate(), on=DAY)
    assert rule(check, "cluster") == (
        False,
        "99.99 ist kein Code der WZ 2008: nicht förderfähig",
        "99.99 is not a WZ 2008 code: not eligible",
    )
    # 62.01 is a WZ 2008 class; WZ 2025 (NACE Rev. 2.1) splits programming differently
    assert not rule(check_deal(deal(code="62.01", classification="wz2025"), mandate(), on=DAY), "cluster")[0]
    # the other rules are still checked and reported
    assert [r.rule for r in check.rules if r.passed] == ["region", "stage", "max_per_company"]


@pytest.mark.parametrize(
    ("classification", "code", "cluster"),
    [
        ("wz2008", "62.01.9", "ict"),  # a subclass inside a cluster class
        ("wz2008", "62", "ict"),  # a whole division all of whose classes are in the cluster
        ("wz2008", "26.60", "medtech"),
        ("wz2025", "62.10", "ict"),  # WZ 2025: the cluster holds division 62
        ("wz2025", "32.50.1", "medtech"),
        ("naics2017", "541511", "ict"),  # custom computer programming, in NAICS 5415
        ("naics2017", "334510", "medtech"),
        ("naics2022", "541511", "ict"),  # NAICS 2022: derived from the 2017 definition through the concordance
    ],
)
def test_codes_of_every_classification_find_their_cluster(classification: str, code: str, cluster: str) -> None:
    check = check_deal(deal(code=code, classification=classification), mandate(), on=DAY)
    assert rule(check, "cluster")[0] and [c.id for c in check.clusters] == [cluster]


def test_too_coarse_and_partial_codes() -> None:
    # division 26 holds ICT (26.1-26.4, 26.8) and medtech (26.60) classes, but also 26.51 (measuring instruments)
    coarse = check_deal(deal(code="26"), mandate(), on=DAY)
    assert rule(coarse, "cluster") == (
        False,
        "WZ 2008 26 ist zu grob: nur ein Teil davon gehört zu \u201eInformations- und Kommunikationstechnologie "
        "(IKT)\u201c und \u201eBiomedizintechnik (Medizintechnik)\u201c; bitte den genauen Code angeben: "
        "nicht förderfähig",
        "WZ 2008 26 is too coarse: only part of it is in \u201cInformation and communication technology (ICT)"
        "\u201d and \u201cBiomedical engineering (medical technology)\u201d; give the exact code: not eligible",
    )
    # WZ 2025 26.20 counts for ICT although the correspondence links part of it elsewhere: eligible, and said so
    partial = check_deal(deal(code="26.20", classification="wz2025"), mandate(), on=DAY)
    passed, reason_de, reason_en = rule(partial, "cluster")
    assert passed and "nur teilweise" in reason_de and "only in part" in reason_en
    assert "teilweise" not in rule(check_deal(deal(code="26.20"), mandate(), on=DAY), "cluster")[1]


def test_region_membership_by_code_system_and_history() -> None:
    def inside(region: str, mandate_region: str = "emscher-lippe", **extra: object) -> tuple[bool, bool]:
        check = check_deal(deal(region=region, **extra), mandate(region=mandate_region), on=DAY)
        return check.in_region, rule(check, "region")[0]

    assert inside("05512000") == (True, True)  # Bottrop (Gemeinde of the kreisfreie Stadt)
    assert inside("05513") == (True, True)  # Gelsenkirchen as a Kreis
    assert inside("05562032") == (True, True)  # a town of Kreis Recklinghausen
    assert inside("05558004") == (False, False)  # Kreis Coesfeld, next door
    assert inside("05562004", "05") == (True, True)  # a mandate for all of NRW
    assert inside("05562004", "DG") == (True, True)  # … or all of Germany
    assert inside("us:26163", "DG") == (False, False)  # another country is outside
    undecided = check_deal(deal(region="05"), mandate(), on=DAY)  # NRW is bigger than Emscher-Lippe
    assert rule(undecided, "region")[1] == (
        "Lage in der Region Emscher-Lippe nicht prüfbar: 05 ist gröber oder in einem anderen Codesystem: "
        "nicht förderfähig"
    )
    assert rule(check_deal(deal(region="nuts:DEA36"), mandate(), on=DAY), "region")[0] is False
    assert rule(check_deal(deal(region="Herten"), mandate(), on=DAY), "region")[2] == (
        "'Herten' is not a region code (AGS such as 05562004, nuts:DEA36, us:26163): not eligible"
    )
    # Stadt Hannover (03201) became part of Region Hannover (03241) on 1 November 2001
    assert inside("03201000", "region-hannover", round_date=date(2005, 1, 1)) == (True, True)
    assert inside("03201000", "region-hannover", round_date=date(2000, 1, 1)) == (False, False)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ((KREIS, "05562"), (GEMEINDE, "05562004"), True),
        ((KREIS, "05562"), (KREIS, "05562"), True),
        ((KREIS, "05562"), (GEMEINDE, "05512000"), False),
        ((KREIS, "05562"), (RegionLevel.DE_LAND, "05"), None),
        ((RegionLevel.DE_LAND, "05"), (RegionLevel.DE_LAND, "03"), False),
        ((RegionLevel.NUTS2, "DEA3"), (RegionLevel.NUTS3, "DEA36"), True),
        ((RegionLevel.NUTS2, "DEA3"), (RegionLevel.NUTS3, "DE929"), False),
        ((RegionLevel.NUTS3, "DEA36"), (KREIS, "05562"), None),  # same country, other code system
        ((RegionLevel.NUTS3, "FR101"), (KREIS, "05562"), False),
        ((RegionLevel.US_STATE, "26"), (RegionLevel.US_COUNTY, "26163"), True),
        ((RegionLevel.US_NATION, "US"), (RegionLevel.US_COUNTY, "26163"), True),
        ((RegionLevel.US_STATE, "26"), (RegionLevel.US_NATION, "US"), None),
    ],
)
def test_contains(outer: tuple[RegionLevel, str], inner: tuple[RegionLevel, str], expected: bool | None) -> None:
    assert contains(outer, inner, DAY) is expected


def test_limit_per_company_counts_earlier_tickets_and_its_boundary() -> None:
    assert check_deal(deal(amount=1_600_000), mandate(), earlier=400_000, on=DAY).eligible  # exactly the limit
    over = check_deal(deal(amount=1_600_001), mandate(), earlier=400_000, on=DAY)
    assert [r.rule for r in over.failed] == ["max_per_company"]


def test_company_age_limit() -> None:
    seven = mandate(max_company_age_years=7)
    founded = date(2019, 3, 1)
    on_the_day = check_deal(deal(founded=founded, round_date=date(2026, 3, 1)), seven)
    assert rule(on_the_day, "company_age") == (
        True,
        "gegründet am 01.03.2019, am 01.03.2026 7 volle Jahre alt; höchstens 7 Jahre: förderfähig",
        "founded on 2019-03-01, 7 full years old on 2026-03-01; at most 7 years: eligible",
    )
    assert not rule(check_deal(deal(founded=founded, round_date=date(2026, 3, 2)), seven), "company_age")[0]
    # founded on 29 February: the limit ends on 28 February of a common year
    leap = date(2020, 2, 29)
    assert rule(check_deal(deal(founded=leap, round_date=date(2027, 2, 28)), seven), "company_age")[0]
    assert not rule(check_deal(deal(founded=leap, round_date=date(2027, 3, 1)), seven), "company_age")[0]
    missing = check_deal(deal(), seven, on=DAY)
    assert rule(missing, "company_age")[2] == (
        "founding date missing; the mandate requires at most 7 years since founding: not eligible"
    )
    assert "company_age" not in [r.rule for r in check_deal(deal(), mandate(), on=DAY).rules]


def test_mandate_rules_are_checked_when_it_is_read(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no cluster 'fintech'"):
        mandate(clusters=["ict", "fintech"])
    with pytest.raises(ValidationError, match="neither a region code"):
        mandate(region="ruhrgebiet")
    with pytest.raises(ValidationError, match="unknown taxonomy"):
        mandate(taxonomy="nowhere")
    with pytest.raises(ValidationError):
        mandate(stages=["seriesz"])
    assert mandate(stages=["Series A", "pre-seed"]).stages == ("series_a", "pre_seed")

    plan = tmp_path / "plan.toml"
    plan.write_text(
        'name = "Seedfonds"\n\n[investment]\nmax_per_company = 1\n\n[mandate]\ntaxonomy = "hannoverimpuls"\n'
        'clusters = ["ict"]\nregion = "emscher-lippe"\nstages = ["seed"]\nmax_per_company = -5\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        read_mandate(plan)
    assert (error.value.line, error.value.field) == (11, "mandate.max_per_company")
    plan.write_text(plan.read_text(encoding="utf-8").replace("-5", "2_000_000"), encoding="utf-8")
    assert read_mandate(plan).max_per_company == 2_000_000
    plan.write_text('name = "ohne Mandat"\n', encoding="utf-8")
    with pytest.raises(InputError, match="no mandate table"):
        read_mandate(plan)


@pytest.fixture(scope="module")
def warehouse(loaded_warehouse: Path) -> Iterator[Warehouse]:
    with Warehouse.open(loaded_warehouse, read_only=True) as opened:
        yield opened


@pytest.mark.integration
def test_reasons_name_regions_from_the_warehouse(warehouse: Warehouse) -> None:
    names = warehouse_region_names(warehouse)
    check = check_deal(deal(), mandate(), on=DAY, region_names=names)
    assert rule(check, "region")[1] == (
        "Unternehmen in der Region Emscher-Lippe (05562004 in Recklinghausen, Kreis): förderfähig"
    )
    outside = check_deal(deal(region="03241"), mandate(region="05562"), on=DAY, region_names=names)
    assert rule(outside, "region")[2] == (
        "company outside the region Recklinghausen, Kreis (05562) (Region Hannover, Landkreis (03241)): not eligible"
    )
