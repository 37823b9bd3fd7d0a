"""The projection of a plan: assumptions by hand, one code path with the simulation, structures, reproducibility."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.errors import InputError
from regiolens.fund.performance import percentiles
from regiolens.fund.projection import entry_stages, portfolio_assumptions, project
from regiolens.fund.simulation import simulate_portfolio
from regiolens.fund.terms import FundPlan, load_plan, parse_plan

EXAMPLE = Path(__file__).parents[2] / "src/regiolens/fund/examples/emscher-lippe-seed.toml"


@pytest.fixture(scope="module")
def plan() -> FundPlan:
    return load_plan(EXAMPLE)


def _with(plan: FundPlan, **sections: dict[str, object]) -> FundPlan:
    data = plan.model_dump(by_alias=True)
    for name, values in sections.items():
        data[name] = {**(data.get(name) or {}), **values}
    return FundPlan.model_validate(data)


def test_investable_capital_is_size_less_lifetime_fees(plan: FundPlan) -> None:
    assumptions, fees = portfolio_assumptions(plan)
    # 2 % of 50 m for 5 years + 1.5 % of 50 m for the 7 years after
    assert fees == pytest.approx(0.02 * 50e6 * 5 + 0.015 * 50e6 * 7)
    assert assumptions.investable_capital == pytest.approx(50e6 - 10.25e6)
    assert (assumptions.quarters, assumptions.investment_quarters) == (48, 20)
    assert assumptions.reserve_ratio == 0.5 and assumptions.max_per_company == 3e6


def test_entry_stages_merge_pre_seed_into_seed(plan: FundPlan) -> None:
    seed, series_a = entry_stages(plan)
    # tickets 250k (pre-seed), 500k (seed), 1m (series A), each a third of the new companies;
    # ownership = ticket / post-money, seed post-money 600k / 15 % = 4m, series A 4m · 70/30
    assert (seed.stage, series_a.stage) == ("seed", "series_a")
    assert seed.share == pytest.approx(2 / 3) and series_a.share == pytest.approx(1 / 3)
    assert seed.ticket == pytest.approx(375_000)
    assert seed.ownership == pytest.approx((250_000 / 4e6 + 500_000 / 4e6) / 2)
    assert series_a.ownership == pytest.approx(1e6 / (4e6 * 70 / 30))


def test_without_fees_and_carry_the_fund_multiple_is_the_portfolio_multiple(plan: FundPlan) -> None:
    free = _with(
        plan,
        fees={"rate_investment_period": 0.0, "rate_after": 0.0},
        waterfall={"carry_rate": 0.0, "catch_up": 0.0, "hurdle_rate": 0.0},
    )
    result = project(free, paths=3_000, seed=7)
    assumptions, fees = portfolio_assumptions(free)
    assert fees == 0 and assumptions.investable_capital == free.size
    gross = simulate_portfolio(assumptions, paths=3_000, seed=7).gross_multiple()
    assert result.investor("fund").tvpi == percentiles(gross)


def test_pari_passu_classes_fare_alike(plan: FundPlan) -> None:
    result = project(plan, paths=2_000, seed=3)
    public, private, fund = result.investors
    assert (public.kind, private.kind, fund.kind) == ("public", "private", "fund")
    assert public.tvpi == private.tvpi == fund.tvpi
    assert public.loss_probability == fund.loss_probability
    assert sum(fund.tvpi_histogram.counts) == 2_000
    assert len(fund.j_curve.p50) == len(result.dates) == 48
    assert fund.j_curve.p10[0] < 0  # the first quarter is a call
    assert result.leverage.private_per_public_euro == 1.0


def test_capped_public_return_caps_the_public_irr(plan: FundPlan) -> None:
    capped = FundPlan.model_validate(
        {**plan.model_dump(by_alias=True), "structure": {"kind": "capped_public_return", "cap_rate": 0.03}}
    )
    result = project(capped, paths=2_000, seed=5)
    public, private, _ = result.investors
    assert public.irr.p95 <= 0.03 + 1e-6
    assert private.irr.p95 > public.irr.p95
    assert private.tvpi.p95 > public.tvpi.p95


def test_same_seed_same_projection(plan: FundPlan) -> None:
    first = project(plan, paths=500, seed=11).to_dict()
    assert project(plan, paths=500, seed=11).to_dict() == first
    assert project(plan, paths=500, seed=12).to_dict() != first
    json.dumps(first, allow_nan=False)  # plain JSON: no NaN, no numpy


def test_bad_simulation_settings_name_the_field() -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + "\n[simulation]\nentry_shares = { series_b = 1.0 }\n"
    with pytest.raises(InputError) as caught:
        parse_plan(text, "plan.toml")
    assert caught.value.field == "simulation"
    assert "series_b" in caught.value.message
    assert caught.value.line == len(EXAMPLE.read_text(encoding="utf-8").splitlines()) + 2


def test_paths_out_of_range(plan: FundPlan) -> None:
    with pytest.raises(ValueError, match="paths"):
        project(plan, paths=0)


def test_cli_simulate_json_equals_the_library(plan: FundPlan) -> None:
    run = CliRunner().invoke(app, ["fund", "simulate", str(EXAMPLE), "--paths", "400", "--seed", "2", "-f", "json"])
    assert run.exit_code == 0, run.output
    printed = json.loads(run.stdout)
    assert printed == project(plan, paths=400, seed=2).to_dict()
    assert [o["name"] for o in printed["investors"]][-1] == "fund"
    assert np.isclose(printed["investors"][-1]["commitment"], 50e6)


def test_cli_simulate_refuses_bad_paths() -> None:
    run = CliRunner().invoke(app, ["fund", "simulate", str(EXAMPLE), "--paths", "0"])
    assert run.exit_code == 1
    assert "--paths" in run.output


def test_cli_report_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "fonds.xlsx"
    run = CliRunner().invoke(app, ["fund", "report", str(EXAMPLE), "--out", str(out), "--paths", "300"])
    assert run.exit_code == 0, run.output
    assert out.read_bytes().startswith(b"PK")


def test_pme_against_a_flat_index_is_the_tvpi(plan: FundPlan) -> None:
    flat = _with(plan, simulation={"benchmark_return": 0.0})
    fund = project(flat, paths=1_000, seed=9).investor("fund")
    assert fund.pme is not None
    assert fund.pme.p50 == pytest.approx(fund.tvpi.p50) and fund.pme.p95 == pytest.approx(fund.tvpi.p95)
    growing = project(_with(plan, simulation={"benchmark_return": 0.07}), paths=1_000, seed=9).investor("fund")
    assert growing.pme is not None and growing.pme.p50 < fund.pme.p50  # a rising index is harder to beat
    assert project(plan, paths=200, seed=9).investor("fund").pme is None


def test_every_default_can_be_overridden_from_the_plan(plan: FundPlan) -> None:
    sure = _with(
        plan,
        simulation={
            "graduation": {"seed": 0.0, "series_a": 0.0},
            "failure_share": {"seed": 0.0, "series_a": 0.0},
            "exit_multiples": [{"probability": 1.0, "low": 2.0, "high": 2.0}],
            "exit_median_years": 3.0,
            "exit_sigma_log": 0.0,
        },
    )
    assumptions, _ = portfolio_assumptions(sure)
    assert "overridden by the plan: graduation, failure_share, exit_multiples, exit_timing" in assumptions.stages.name
    portfolio = simulate_portfolio(assumptions, paths=200, seed=1)
    # nobody fails or graduates: every company exits at exactly 2× its post-money, within the life
    assert portfolio.write_offs.sum() == 0 and (portfolio.exits == portfolio.companies_financed).all()
    assert np.allclose(portfolio.gross_multiple(), 2.0)


def test_unknown_stage_in_an_override_names_the_field() -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + "\n[simulation]\ndilution = { series_z = 0.2 }\n"
    with pytest.raises(InputError) as caught:
        parse_plan(text, "plan.toml")
    assert caught.value.field == "simulation" and "series_z" in caught.value.message
