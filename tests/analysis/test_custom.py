"""`regiolens metrics compute` on a user's long table: exact values and clear errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from regiolens.cli import app

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
