"""The GENESIS reader on the official files, checked against sums computed from the raw CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from regiolens.classifications.section_groups import code_for_label
from regiolens.errors import InputError
from regiolens.ingest import detect, read_source
from regiolens.ingest.genesis import region_level
from regiolens.model import Flag
from tests.conftest import raw_genesis_rows


@pytest.fixture(scope="module")
def parsed_2018(genesis_files: list[Path]):
    return read_source(genesis_files[3])


def _value(obs, code: str, industry: str, measure: str = "employment", level: str | None = None):
    sel = obs[(obs.region_code == code) & (obs.industry_code == industry) & (obs.measure == measure)]
    if level:
        sel = sel[sel.region_level == level]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_detected_by_content(genesis_files: list[Path]) -> None:
    assert detect(genesis_files[0]).name == "genesis"


def test_germany_total_2018(parsed_2018) -> None:
    row = _value(parsed_2018.observations, "DG", "TOTAL")
    assert row.value == 32_870_228
    assert row.region_level == "de:bund"
    assert row.year == 2018
    assert row.classification == "wz2008-sg"


def test_provenance(parsed_2018) -> None:
    info = parsed_2018.info
    assert info.dataset_key == "genesis:13111-07-05-4:2018-06-30"
    assert "dl-de/by-2-0" in info.licence
    assert info.attribution == "© Statistische Ämter des Bundes und der Länder, Deutschland, 2021"
    assert info.vintage == "17.08.2021 / 20:26:29"
    assert len(info.sha256) == 64


def test_every_cell_matches_the_raw_file(genesis_files: list[Path], parsed_2018) -> None:
    """Each numeric cell of the raw file equals the parsed value; '.' cells are suppressed, not zero."""
    obs = parsed_2018.observations
    index = {(r.region_code, r.region_level, r.industry_code, r.measure): (r.value, r.flag) for r in obs.itertuples()}
    measures = [
        "employment",
        "employment_male",
        "employment_female",
        "employment_foreign",
        "employment_foreign_male",
        "employment_foreign_female",
    ]

    checked = suppressed = 0
    for row in raw_genesis_rows(genesis_files[3]):
        code = row[0]
        level = region_level(code)
        for measure, cell in zip(measures, row[3:], strict=True):
            key = (code, level.value, code_for_label(row[2]), measure)
            if key not in index:  # regions without any value (obsolete codes) are dropped
                assert all(c == "-" for c in row[3:])
                continue
            value, flag = index[key]
            if cell == ".":
                assert flag == Flag.SUPPRESSED and value != value
                suppressed += 1
            elif cell == "-":
                assert value == 0 and flag == Flag.NONE
            else:
                assert value == int(cell) and flag == Flag.NONE
            checked += 1
    assert checked > 38_000
    assert (
        suppressed
        == (obs.flag == "suppressed").sum()
        - (
            (obs.region_level == "de:kreis") & obs.region_code.isin(["02000", "11000"]) & (obs.flag == "suppressed")
        ).sum()
    )


def test_city_states_are_also_kreise(parsed_2018) -> None:
    obs = parsed_2018.observations
    for land, kreis in (("11", "11000"), ("02", "02000")):
        assert _value(obs, kreis, "TOTAL", level="de:kreis").value == _value(obs, land, "TOTAL", level="de:land").value


def test_obsolete_codes_dropped_and_old_goettingen_kept(genesis_files: list[Path]) -> None:
    p2015 = read_source(genesis_files[0])
    codes = set(p2015.observations.region_code)
    assert {"03152", "03156"} <= codes
    assert "03159" not in codes
    assert any("03159" in n for n in p2015.info.notes)
    p2020 = read_source(genesis_files[5])
    assert "03159" in set(p2020.observations.region_code)
    assert "03152" not in set(p2020.observations.region_code)


def test_kreise_sum_to_germany_up_to_unassigned(parsed_2018) -> None:
    obs = parsed_2018.observations
    kreise = obs[(obs.region_level == "de:kreis") & (obs.industry_code == "TOTAL") & (obs.measure == "employment")]
    assert len(kreise) == 401
    total = _value(obs, "DG", "TOTAL").value
    # Germany includes persons "without assignment" that no Kreis holds: a few thousand at most
    assert 0 <= total - kreise.value.sum() < 10_000


# ------------------------------------------------------------------ bad input
@pytest.fixture
def original(genesis_files: list[Path]) -> bytes:
    return genesis_files[3].read_bytes()


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "13111-07-05-4_2018.csv"
    path.write_bytes(data)
    return path


def _replace_line(data: bytes, lineno: int, new: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[lineno - 1] = new
    return b"\n".join(lines)


def test_truncated_file(tmp_path: Path, original: bytes) -> None:
    path = _write(tmp_path, original[: len(original) // 2])
    with pytest.raises(InputError) as exc:
        read_source(path)
    assert exc.value.path == str(path)
    assert exc.value.line is not None and exc.value.line > 1000
    assert "truncated" in str(exc.value)


def test_truncated_last_line_names_missing_field(tmp_path: Path, original: bytes) -> None:
    lines = original.split(b"\n")
    cut = b"\n".join([*lines[:100], lines[100][: lines[100].rfind(b";")]])
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, cut))
    assert exc.value.line == 101
    assert exc.value.field == "Ausländer(innen)/weiblich"


def test_wrong_encoding_utf16(tmp_path: Path, original: bytes) -> None:
    path = _write(tmp_path, original.decode("iso-8859-1").encode("utf-16"))
    with pytest.raises(InputError) as exc:
        read_source(path, source="genesis")
    assert exc.value.line == 1
    assert "UTF-16" in str(exc.value)


def test_wrong_declared_encoding_names_line(tmp_path: Path, original: bytes) -> None:
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, original), encoding="utf-8")
    assert exc.value.line == 2  # "Beschäftigte" in the title holds the first non-ASCII byte
    assert "utf-8" in str(exc.value)


def test_missing_column(tmp_path: Path, original: bytes) -> None:
    line = original.split(b"\n")[19]
    bad = _replace_line(original, 20, line[: line.rfind(b";")])
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, bad))
    assert (exc.value.line, exc.value.field) == (20, "Ausländer(innen)/weiblich")


def test_unknown_region_code(tmp_path: Path, original: bytes) -> None:
    line = original.split(b"\n")[29]
    bad = _replace_line(original, 30, b"0199X" + line[line.index(b";") :])
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, bad))
    assert (exc.value.line, exc.value.field) == (30, "region code")
    assert "0199X" in str(exc.value)


def test_non_numeric_cell(tmp_path: Path, original: bytes) -> None:
    fields = original.split(b"\n")[40].split(b";")
    fields[5] = b"12a"
    bad = _replace_line(original, 41, b";".join(fields))
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, bad))
    assert (exc.value.line, exc.value.field) == (41, "Insgesamt/weiblich")
    assert "12a" in str(exc.value)


def test_unknown_industry_group(tmp_path: Path, original: bytes) -> None:
    fields = original.split(b"\n")[40].split(b";")
    fields[2] = b"Bergbau (B)"
    with pytest.raises(InputError) as exc:
        read_source(_write(tmp_path, _replace_line(original, 41, b";".join(fields))))
    assert (exc.value.line, exc.value.field) == (41, "Wirtschaftszweig")
