"""`regiolens metrics compute` on a user's long table: exact values and clear errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from regiolens.analysis.custom import compute_metric
from regiolens.cli import app
from regiolens.errors import RegiolensError
from regiolens.metrics import complexity, location, relatedness

TABLE = """region;branche;jahr;beschaeftigte
Herten;C;2015;1.000
Herten;J;2015;200
Gladbeck;C;2015;500
Gladbeck;J;2015;500
Herten;C;2020;1.100
Herten;J;2020;250
Gladbeck;C;2020;450
Gladbeck;J;2020;600
"""
ARGS = ["--region-col", "region", "--industry-col", "branche", "--year-col", "jahr", "--value-col", "beschaeftigte"]


def _run(path: Path, metric: str) -> list[dict[str, str]]:
    result = CliRunner().invoke(app, ["metrics", "compute", "-i", str(path), *ARGS, "-m", metric])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "long.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_lq_by_hand(table: Path) -> None:
    rows = {(r["year"], r["region_code"], r["industry_code"]): float(r["value"]) for r in _run(table, "lq")}
    # 2015: Gladbeck C share 500/1000, reference C share 1500/2200
    assert rows[("2015", "Gladbeck", "C")] == pytest.approx(0.5 / (1500 / 2200))
    assert rows[("2020", "Herten", "J")] == pytest.approx((250 / 1350) / (850 / 2400))


def test_shift_share_identity_and_values(table: Path) -> None:
    rows = _run(table, "shift-share")
    herten_c = {
        r["metric"]: float(r["value"]) for r in rows if (r["region_code"], r["industry_code"]) == ("Herten", "C")
    }
    g = 2400 / 2200 - 1
    g_c = 1550 / 1500 - 1
    assert herten_c["actual_change"] == 100
    assert herten_c["national"] == pytest.approx(1000 * g)
    assert herten_c["industry_mix"] == pytest.approx(1000 * (g_c - g))
    assert herten_c["regional"] == pytest.approx(1100 - 1000 * (1 + g_c))
    assert {r["period"] for r in rows} == {"2015–2020"}


def test_region_metric_has_no_industry(table: Path) -> None:
    rows = _run(table, "herfindahl")
    assert {r["industry_code"] for r in rows} == {""}
    h = {(r["year"], r["region_code"]): float(r["value"]) for r in rows}
    assert h[("2015", "Gladbeck")] == pytest.approx(0.5)


def test_bad_cell_names_file_line_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(TABLE.replace("Gladbeck;J;2020;600", "Gladbeck;J;2020;sechshundert"), encoding="utf-8")
    result = CliRunner().invoke(app, ["metrics", "compute", "-i", str(path), *ARGS, "-m", "lq"])
    assert result.exit_code == 1
    assert f"{path}, line 9, field 'beschaeftigte'" in result.stderr


def test_unknown_metric(table: Path) -> None:
    result = CliRunner().invoke(app, ["metrics", "compute", "-i", str(table), *ARGS, "-m", "magic"])
    assert result.exit_code == 1
    assert "shift-share" in result.stderr


# Complexity and relatedness: 4 regions × 4 industries whose region and industry totals are all 100 (total 400),
# so RCA = x / 25 and presence is x ≥ 25. 2019 (rows Bochum, Dortmund, Essen, Herne; columns C, F, J, M):
#   Bochum 30 30 30 10 → C F J      Essen 30 10 10 50 → C M
#   Dortmund 40 40 10 10 → C F      Herne  0 20 50 30 → J M
# 2020 permutes regions and industries, so a value placed in the wrong year, region or industry shows.
REGIONS = ["Bochum", "Dortmund", "Essen", "Herne"]
INDUSTRIES = ["C", "F", "J", "M"]
YEARS = [2019, 2020]
X_2019 = np.array([[30, 30, 30, 10], [40, 40, 10, 10], [30, 10, 10, 50], [0, 20, 50, 30]], dtype=float)
X = np.stack([X_2019, X_2019[[2, 0, 3, 1]][:, [1, 3, 0, 2]]])
M = X >= 25


def _complexity_csv(path: Path) -> Path:
    lines = ["region;branche;jahr;beschaeftigte"]
    lines += [
        f"{region};{industry};{year};{X[t, r, i]:.0f}"
        for t, year in enumerate(YEARS)
        for r, region in enumerate(REGIONS)
        for i, industry in enumerate(INDUSTRIES)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _observations() -> pd.DataFrame:
    t, r, i = np.indices(X.shape).reshape(3, -1)
    frame = pd.DataFrame(
        {
            "year": np.asarray(YEARS)[t],
            "region_code": np.asarray(REGIONS)[r],
            "industry_code": np.asarray(INDUSTRIES)[i],
            "measure": "value",
            "value": X.reshape(-1),
        }
    )
    return frame.sample(frac=1, random_state=0)  # row order must not matter


def _as_array(long: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """The long output as an array over ``keys``, in the order YEARS × REGIONS/INDUSTRIES (every key once)."""
    axes = {"year": YEARS, "region_code": REGIONS, "industry_code": INDUSTRIES, "other_industry_code": INDUSTRIES}
    index = pd.MultiIndex.from_product([axes[k] for k in keys], names=keys)
    series = long.set_index(keys)["value"]
    assert series.index.is_unique and len(series) == len(index)
    return series.reindex(index).to_numpy().reshape([len(axes[k]) for k in keys])


CELL = ["year", "region_code", "industry_code"]
PAIR = ["year", "industry_code", "other_industry_code"]
PHI = relatedness.proximity(M)
PCI = complexity.eci_pci(M).pci
EXPECTED: dict[str, tuple[list[str], np.ndarray]] = {
    "rca": (CELL, location.location_quotient(X)),
    "presence": (CELL, M.astype(float)),
    "diversity": (["year", "region_code"], complexity.diversity(M)),
    "ubiquity": (["year", "industry_code"], complexity.ubiquity(M)),
    "eci": (["year", "region_code"], complexity.eci_pci(M).eci),
    "pci": (["year", "industry_code"], PCI),
    "proximity": (PAIR, PHI),
    **{
        f"relatedness-{m}": (PAIR, relatedness.relatedness(M, m))
        for m in ("probability", "association", "cosine", "jaccard")
    },
    "density": (CELL, relatedness.density(M, PHI)),
    "complexity-outlook": (["year", "region_code"], relatedness.complexity_outlook(M, PHI, PCI)),
    "opportunity-gain": (CELL, relatedness.opportunity_gain(M, PHI, PCI)),
}


@pytest.mark.parametrize("metric", EXPECTED)
def test_complexity_metric_places_the_function_values(metric: str) -> None:
    keys, expected = EXPECTED[metric]
    long = compute_metric(_observations(), metric)
    assert set(long["metric"]) == {metric}
    np.testing.assert_array_equal(_as_array(long, keys), expected)
    if keys == PAIR:
        assert list(long.columns) == [*PAIR, "metric", "value"]
    elif len(keys) == 2:  # region or industry metric: the other key is empty
        assert set(long[({"region_code", "industry_code"} - set(keys)).pop()]) == {""}


def test_complexity_by_hand() -> None:
    long = {m: compute_metric(_observations(), m) for m in ("rca", "presence", "diversity", "ubiquity", "proximity")}
    np.testing.assert_allclose(_as_array(long["rca"], CELL), X / 25)
    assert _as_array(long["presence"], CELL)[0].tolist() == [[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 1]]
    assert _as_array(long["diversity"], ["year", "region_code"]).tolist() == [[3, 2, 2, 2], [2, 3, 2, 2]]
    assert _as_array(long["ubiquity"], ["year", "industry_code"]).tolist() == [[3, 2, 2, 2], [2, 2, 3, 2]]
    # φ_ij = regions with both / the larger ubiquity; 2019: C in Bochum, Dortmund, Essen; F in Bochum, Dortmund;
    # J in Bochum, Herne; M in Essen, Herne
    phi = _as_array(long["proximity"], PAIR)[0]
    np.testing.assert_allclose(
        phi, [[1, 2 / 3, 1 / 3, 1 / 3], [2 / 3, 1, 1 / 2, 0], [1 / 3, 1 / 2, 1, 1 / 2], [1 / 3, 0, 1 / 2, 1]]
    )


def test_rca_threshold() -> None:
    # presence at RCA ≥ 1.5, i.e. x ≥ 37.5: Bochum none, Dortmund C and F, Essen M, Herne J
    diversity = compute_metric(_observations(), "diversity", threshold=1.5)
    assert _as_array(diversity, ["year", "region_code"])[0].tolist() == [0, 2, 1, 1]
    with pytest.raises(RegiolensError, match="lq does not use presence"):
        compute_metric(_observations(), "lq", threshold=1.5)
    with pytest.raises(RegiolensError, match="must be positive"):
        compute_metric(_observations(), "eci", threshold=0)


def test_eci_and_proximity_through_the_cli(tmp_path: Path) -> None:
    path = _complexity_csv(tmp_path / "complexity.csv")
    eci = {(int(r["year"]), r["region_code"]): float(r["value"]) for r in _run(path, "eci")}
    expected = complexity.eci_pci(M).eci
    assert eci == {
        (year, region): pytest.approx(expected[t, r], rel=1e-12)
        for t, year in enumerate(YEARS)
        for r, region in enumerate(REGIONS)
    }
    rows = _run(path, "proximity")
    assert list(rows[0]) == ["year", "industry_code", "other_industry_code", "metric", "value"]
    phi = {(r["year"], r["industry_code"], r["other_industry_code"]): float(r["value"]) for r in rows}
    assert len(phi) == 2 * 4 * 4
    assert phi[("2019", "C", "F")] == phi[("2019", "F", "C")] == pytest.approx(2 / 3)
    assert phi[("2019", "F", "M")] == 0
    assert phi[("2020", "J", "F")] == pytest.approx(1 / 3)  # J in 2020 is C in 2019, F is M


def test_metrics_list_shows_complexity() -> None:
    result = CliRunner().invoke(app, ["metrics", "list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    kinds = {r["metric"]: r["kind"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert kinds == kinds | {
        "rca": "cell",
        "presence": "cell",
        "diversity": "region",
        "ubiquity": "industry",
        "eci": "region",
        "pci": "industry",
        "proximity": "pair",
        "relatedness-probability": "pair",
        "relatedness-association": "pair",
        "relatedness-cosine": "pair",
        "relatedness-jaccard": "pair",
        "density": "cell",
        "complexity-outlook": "region",
        "opportunity-gain": "cell",
    }


def test_eci_without_industries_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "totals.csv"
    path.write_text("region;jahr;beschaeftigte\nBochum;2019;100\nDortmund;2019;100\n", encoding="utf-8")
    args = ["--region-col", "region", "--year-col", "jahr", "--value-col", "beschaeftigte", "-m", "eci"]
    result = CliRunner().invoke(app, ["metrics", "compute", "-i", str(path), *args])
    assert result.exit_code == 1
    assert "eci needs at least two industries (map --industry-col)" in result.stderr
