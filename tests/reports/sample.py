"""Small hand-made results for the report tests: three industries, two clusters, two regions on a map.

The numbers are chosen so that German formatting is visible (``45.678``, ``1,25``) and so that the
shift-share components of each industry add up to its change in employment. Nothing here is computed:
the reports must show exactly these numbers.
"""

from __future__ import annotations

from typing import Any

from regiolens.analysis.results import (
    ClusterRow,
    Comparison,
    Difference,
    GrowthGap,
    IndustryRow,
    LQMap,
    MapValue,
    Profile,
    RegionRef,
    ShiftShareTotals,
    SourceRef,
    Specialisation,
    Threshold,
)
from regiolens.regions.geometry import orient_d3

GERMANY = RegionRef(ref="DG", name="Deutschland", level="de:bund", members=["DG"])
EMSCHER_LIPPE = RegionRef(ref="emscher-lippe", name="Emscher-Lippe", level="group", members=["05562", "05512", "05513"])
HANNOVER = RegionRef(ref="region-hannover", name="Region Hannover", level="de:kreis", members=["03241"])

SOURCE = SourceRef(
    dataset_key="regionalstatistik:13111-07-05-4",
    publisher="Statistische Ämter des Bundes und der Länder",
    licence="dl-de/by-2-0",
    attribution="© Statistische Ämter des Bundes und der Länder, Deutschland, 2024",
    vintage="Stichtag 30.06.2023",
)

THRESHOLD = Threshold(
    preset="lq>=1.25",
    description_de="Standortquotient mindestens 1,25",
    description_en="Location quotient at least 1.25",
    source="regiolens preset",
)


def industry(code: str, label_de: str, label_en: str, **values: Any) -> IndustryRow:
    """An :class:`IndustryRow` with every missing figure ``None`` and the flags at their defaults."""
    fields: dict[str, Any] = {
        "employment": None,
        "employment_base": None,
        "flag": "none",
        "share": None,
        "reference_share": None,
        "lq": None,
        "lq_low": None,
        "lq_high": None,
        "growth": None,
        "cagr": None,
        "reference_growth": None,
        "national": None,
        "industry_mix": None,
        "regional": None,
        "competitive": None,
        "allocation": None,
        "strong": False,
        "small_number": False,
    }
    fields.update(values)
    return IndustryRow(code=code, label_de=label_de, label_en=label_en, **fields)


MANUFACTURING = industry(
    "C",
    "Verarbeitendes Gewerbe",
    "Manufacturing",
    employment=45678.0,
    employment_base=47000.0,
    share=0.1305,
    reference_share=0.1044,
    lq=1.25,
    lq_low=1.2,
    lq_high=1.3,
    growth=-0.0281,
    cagr=-0.0057,
    reference_growth=0.012,
    national=2800.0,
    industry_mix=-1500.0,
    regional=-2622.0,
    competitive=-2500.0,
    allocation=-122.0,
    strong=True,
)
ICT = industry(
    "J",
    "Information und Kommunikation",
    "Information and communication",
    employment=6789.0,
    employment_base=6000.0,
    share=0.0194,
    reference_share=0.0388,
    lq=0.5,
    lq_low=0.48,
    lq_high=0.52,
    growth=0.1315,
    cagr=0.025,
    reference_growth=0.18,
    national=360.0,
    industry_mix=720.0,
    regional=-291.0,
    competitive=-280.0,
    allocation=-11.0,
)
MINING = industry(
    "B",
    "Bergbau und Gewinnung von Steinen und Erden",
    "Mining and quarrying",
    employment=987.0,
    employment_base=2500.0,
    flag="estimated",
    share=0.0028,
    reference_share=0.0014,
    lq=2.0,
    lq_low=1.6,
    lq_high=2.4,
    growth=-0.6052,
    cagr=-0.1699,
    reference_growth=-0.2,
    national=151.5,
    industry_mix=-651.5,
    regional=-1013.0,
    competitive=-900.0,
    allocation=-113.0,
    strong=True,
    small_number=True,
)

AUTOMOTIVE = ClusterRow(
    taxonomy="hannoverimpuls",
    cluster="automotive",
    name_de="Automotive",
    name_en="Automotive",
    status="approximation",
    reason="WZ 29 ohne Zulieferer aus WZ 22 und 28",
    figures=industry(
        "automotive",
        "Automotive",
        "Automotive",
        employment=3456.0,
        employment_base=3300.0,
        share=0.0099,
        reference_share=0.0132,
        lq=0.75,
        growth=0.0473,
        strong=False,
    ),
)
LIFE_SCIENCES = ClusterRow(
    taxonomy="hannoverimpuls",
    cluster="life-sciences",
    name_de="Life Sciences",
    name_en="Life sciences",
    status="not_resolvable",
    reason="Die Daten enthalten nur Wirtschaftsabschnitte; der Cluster braucht WZ-Klassen (21.10, 72.11).",
    figures=None,
)


def profile() -> Profile:
    """Emscher-Lippe against Germany, 2023 with base year 2018."""
    return Profile(
        region=EMSCHER_LIPPE,
        reference=GERMANY,
        year=2023,
        base_year=2018,
        measure="employment",
        classification="WZ2008",
        total_employment=350000.0,
        total_employment_base=340000.0,
        reference_total=35000000.0,
        reference_total_base=33000000.0,
        industries=[MANUFACTURING, ICT, MINING],
        shift_share=ShiftShareTotals(
            actual_change=10000.0,
            national=20606.06,
            industry_mix=-3000.0,
            regional=-7606.06,
            competitive=-7000.0,
            allocation=-606.06,
            structural_factor=0.9912,
            location_factor=0.9781,
        ),
        specialisation=Specialisation(krugman=0.3456, hoover=0.1728, gini=0.2345, herfindahl=0.0567, entropy=2.345),
        clusters=[AUTOMOTIVE, LIFE_SCIENCES],
        threshold=THRESHOLD,
        sources=[SOURCE],
        notes=["Bergbau: Wert für Bottrop geschätzt."],
    )


def hannover_profile() -> Profile:
    """Region Hannover against Germany; mining is suppressed there."""
    return Profile(
        region=HANNOVER,
        reference=GERMANY,
        year=2023,
        base_year=2018,
        measure="employment",
        classification="WZ2008",
        total_employment=520000.0,
        total_employment_base=490000.0,
        reference_total=35000000.0,
        reference_total_base=33000000.0,
        industries=[
            industry(
                "C",
                "Verarbeitendes Gewerbe",
                "Manufacturing",
                employment=61000.0,
                employment_base=60000.0,
                share=0.1173,
                reference_share=0.1044,
                lq=1.12,
                growth=0.0167,
                national=3600.0,
                industry_mix=-1900.0,
                regional=-700.0,
            ),
            industry(
                "J",
                "Information und Kommunikation",
                "Information and communication",
                employment=27000.0,
                employment_base=22000.0,
                share=0.0519,
                reference_share=0.0388,
                lq=1.34,
                growth=0.2273,
                national=1320.0,
                industry_mix=2640.0,
                regional=1040.0,
                strong=True,
            ),
            industry("B", "Bergbau und Gewinnung von Steinen und Erden", "Mining and quarrying", flag="suppressed"),
        ],
        shift_share=ShiftShareTotals(
            actual_change=30000.0,
            national=29696.97,
            industry_mix=1500.0,
            regional=-1196.97,
            competitive=-1000.0,
            allocation=-196.97,
            structural_factor=1.003,
            location_factor=0.9976,
        ),
        specialisation=Specialisation(krugman=0.2101, hoover=0.105, gini=0.1502, herfindahl=0.0489, entropy=2.501),
        clusters=[LIFE_SCIENCES],
        threshold=THRESHOLD,
        sources=[SOURCE],
    )


def comparison() -> Comparison:
    """Emscher-Lippe and Region Hannover side by side."""
    return Comparison(
        profiles=[profile(), hannover_profile()],
        shared_strengths=["C"],
        differences=[
            Difference(
                code="J",
                label_de="Information und Kommunikation",
                label_en="Information and communication",
                lq={"emscher-lippe": 0.5, "region-hannover": 1.34},
                strong_in=["region-hannover"],
                text_de="Information und Kommunikation ist nur in der Region Hannover stark.",
                text_en="Information and communication is strong in Region Hannover only.",
            )
        ],
        growth_gaps=[
            GrowthGap(
                a="emscher-lippe",
                b="region-hannover",
                growth_a=0.0294,
                growth_b=0.0612,
                gap=-0.0318,
                structural=-0.0123,
                regional=-0.0195,
                structural_share=0.3868,
                text_de="39 % des Wachstumsrückstands gehen auf die Branchenstruktur zurück.",
                text_en="39 % of the growth gap is due to the industry structure.",
            )
        ],
        summary_de=["Emscher-Lippe wuchs langsamer als die Region Hannover."],
        summary_en=["Emscher-Lippe grew more slowly than Region Hannover."],
    )


def _square(x: float, y: float, size: float = 0.2) -> dict[str, Any]:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return orient_d3({"type": "Polygon", "coordinates": [ring]})


def lq_map() -> LQMap:
    """Manufacturing LQs of two Kreise drawn as squares; Bottrop is suppressed."""
    features = [
        {
            "type": "Feature",
            "id": f"de:kreis:{code}",
            "geometry": _square(x, 51.5),
            "properties": {"region_level": "de:kreis", "region_code": code, "name": name},
        }
        for code, name, x in (("05513", "Gelsenkirchen", 7.0), ("05512", "Bottrop", 6.8))
    ]
    return LQMap(
        industry="C",
        label_de="Verarbeitendes Gewerbe",
        label_en="Manufacturing",
        level="de:kreis",
        year=2023,
        reference="Deutschland",
        values=[
            MapValue(code="05513", name="Gelsenkirchen", lq=1.25, employment=12345.0, flag="none"),
            MapValue(code="05512", name="Bottrop", lq=None, employment=None, flag="suppressed"),
        ],
        highlight=["05513"],
        geometry={"type": "FeatureCollection", "features": features},
        attribution=["© GeoBasis-DE / BKG 2024 (Daten verändert)", SOURCE.attribution],
    )
