"""Fund plans from TOML: the example plan, the defaults and their sources, errors naming file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from regiolens.clusters import get_taxonomy
from regiolens.errors import InputError
from regiolens.fund.terms import (
    BuyoutOption,
    CappedPublicReturn,
    FundPlan,
    InvestorKind,
    PariPassu,
    PublicFirstLoss,
    SimulationSettings,
    Stage,
    TakahashiParameters,
    load_plan,
    parse_plan,
)
from regiolens.regions.groups import BUILTIN_GROUPS

EXAMPLE = Path(__file__).parents[2] / "src" / "regiolens" / "fund" / "examples" / "emscher-lippe-seed.toml"

MINIMAL = """\
name = "Testfonds"
valid_from = 2026-01-01
first_close = 2026-07-01
size = 10_000_000
investment_period_years = 4

[[classes]]
name = "Stadt"
kind = "public"
commitment = 5_000_000

[[classes]]
name = "Privat"
kind = "private"
commitment = 5_000_000

[structure]
kind = "pari_passu"

[investment.tickets]
seed = 400_000
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_plan_loads_with_a_valid_mandate_region_and_clusters() -> None:
    plan = load_plan(EXAMPLE)
    assert plan.size == 50_000_000
    assert plan.commitments(InvestorKind.public) == plan.commitments(InvestorKind.private) == 25_000_000
    assert isinstance(plan.structure, PariPassu)
    assert plan.valid_from == date(2026, 1, 1) and plan.first_close == date(2026, 7, 1)
    assert plan.investment.tickets[Stage.seed] == 500_000
    assert plan.mandate is not None
    assert plan.mandate["region"] in BUILTIN_GROUPS
    cluster_ids = {c.id for c in get_taxonomy(plan.mandate["taxonomy"]).clusters}
    assert set(plan.mandate["clusters"]) == cluster_ids  # the five hannoverimpuls clusters, by their real ids
    assert len(cluster_ids) == 5


def test_defaults_are_the_published_sets() -> None:
    plan = parse_plan(MINIMAL)
    assert plan.currency == "EUR" and plan.life_years == 12 and plan.valid_to is None
    # Takahashi-Alexander VC base set (fund_methods.md §3.1)
    assert plan.takahashi == TakahashiParameters(
        growth=0.13, bow=2.5, yield_rate=0.0, contribution_rates=(0.25, 1 / 3, 0.5), life_years=12
    )
    # §8: fee 2 % on commitment, then 1.5 %; 8 % compound hurdle, 20 % carry, 100 % catch-up; reserve 40-60 %
    assert (plan.fees.rate_investment_period, plan.fees.rate_after) == (0.02, 0.015)
    assert plan.fees.basis_investment_period == plan.fees.basis_after == "commitment"
    assert (plan.waterfall.hurdle_rate, plan.waterfall.carry_rate, plan.waterfall.catch_up) == (0.08, 0.2, 1.0)
    assert plan.waterfall.hurdle_compounding == "compound"
    assert plan.investment.follow_on_reserve_ratio == 0.5
    assert plan.mandate is None and plan.simulation == SimulationSettings()


def test_every_structure_parses_with_its_yozma_defaults() -> None:
    def with_structure(table: str) -> FundPlan:
        return parse_plan(MINIMAL.replace('kind = "pari_passu"', table))

    capped = with_structure('kind = "capped_public_return"\ncap_rate = 0.04')
    assert isinstance(capped.structure, CappedPublicReturn) and capped.structure.public_share_above_cap == 0
    first_loss = with_structure('kind = "public_first_loss"\nshare = 0.4\nbasis = "fund"')
    assert isinstance(first_loss.structure, PublicFirstLoss) and first_loss.structure.basis == "fund"
    buyout = with_structure('kind = "buyout_option"')
    assert isinstance(buyout.structure, BuyoutOption)
    assert (buyout.structure.early_rate, buyout.structure.late_rate, buyout.structure.switch_years) == (0.01, 0.05, 4)


def test_the_plan_round_trips_through_json() -> None:
    plan = load_plan(EXAMPLE)
    assert FundPlan.model_validate_json(plan.model_dump_json(by_alias=True)) == plan


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            'kind = "private"\ncommitment = 5_000_000',
            'kind = "private"\ncommitment = -5',
            "line 15, field 'classes[1].commitment': muss > 0 sein / must be > 0",
        ),
        ("size = 10_000_000", "size = 9_000_000", "line 4, field 'size': muss die Summe der Zusagen sein (10.000.000)"),
        ('kind = "public"', 'kind = "state"', "line 9, field 'classes[0].kind': muss einer dieser Werte sein"),
        ('kind = "pari_passu"', 'kind = "loan"', "line 17, field 'structure': unbekannte Art 'loan'"),
        (
            'kind = "pari_passu"',
            'kind = "buyout_option"\nlate_rate = 1.5',
            "line 19, field 'structure.late_rate': muss ≤ 1 sein / must be ≤ 1",
        ),
        (
            'kind = "pari_passu"',
            'kind = "public_first_loss"\nshare = 0.8\nbasis = "fund"',
            "line 17, field 'structure': die Erstverlusttranche (8.000.000) übersteigt die öffentliche Zusage",
        ),
        ("seed = 400_000", "seed = 0", "line 21, field 'investment.tickets.seed': muss > 0 sein"),
        (
            "seed = 400_000",
            "unicorn = 1",
            "line 21, field 'investment.tickets.unicorn': muss einer dieser Werte sein: 'pre_seed', 'seed', "
            "'series_a', 'series_b', 'series_c' oder 'growth' / must be one of 'pre_seed', 'seed', 'series_a', ",
        ),
        ("investment_period_years = 4", "investment_period_years = 4\nlife_years = 3", "line 6, field 'life_years'"),
        ("first_close = 2026-07-01", 'first_close = "July"', "line 3, field 'first_close': muss ein TOML-Datum sein"),
        ("valid_from = 2026-01-01", "valid_from = 2026-01-01\nvalid_to = 2025-01-01", "line 3, field 'valid_to'"),
        ('name = "Privat"', 'name = "Stadt"', "line 7, field 'classes': Name doppelt: Stadt / duplicate name"),
        ("[investment.tickets]", "[waterfall]\ncatch_up = 0.1\n\n[investment.tickets]", "line 21, field 'waterfall"),
        ("[structure]", "bonus = 1\n\n[structure]", "line 17, field 'classes[1].bonus': unbekanntes Feld / unknown"),
        (
            'name = "Testfonds"',
            'name = "Testfonds"\nbonus = 1',
            "line 2, field 'bonus': unbekanntes Feld / unknown field",
        ),
    ],
)
def test_errors_name_file_line_field_and_reason_in_both_languages(
    tmp_path: Path, old: str, new: str, where: str
) -> None:
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(InputError) as caught:
        load_plan(path)
    assert str(caught.value).startswith(f"{path}, {where}")
    assert " / " in caught.value.message  # German / English


def test_a_missing_field_is_named_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_plan(write(tmp_path, MINIMAL.replace('name = "Testfonds"\n', "")))
    assert (caught.value.line, caught.value.field, caught.value.message) == (None, "name", "fehlt / is required")


def test_toml_syntax_and_encoding_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_plan(write(tmp_path, MINIMAL.replace("size = 10_000_000", "size = = 1")))
    assert caught.value.line == 4 and "kein gültiges TOML / not valid TOML" in caught.value.message
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Förderfonds"\n'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_plan(path)
    with pytest.raises(InputError, match="cannot be read"):
        load_plan(tmp_path / "missing.toml")
