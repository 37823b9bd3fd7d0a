"""The online pullers against a real HTTP server on 127.0.0.1 serving recorded answers (no network)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from regiolens.ingest import read_source
from regiolens.ingest.pull import (
    GENESIS_PASSWORD_ENV,
    GENESIS_USER_ENV,
    PullError,
    census_to_cbp_csv,
    pull_cbp,
    pull_eurostat,
    pull_genesis,
)
from tests.conftest import Server

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
EUROSTAT_FILE = DATA / "eu" / "eurostat" / "nama_10r_3empers_2018.json"
GENESIS_FILE = DATA / "de" / "regionalstatistik_13111-07-05-4" / "13111-07-05-4_2018.csv"
MICHIGAN_2021 = DATA / "us" / "cbp" / "US-MI-census-naics6-counties-2021.csv"


def _obs(parsed, code: str, industry: str, measure: str):
    o = parsed.observations
    sel = o[(o.region_code == code) & (o.industry_code == industry) & (o.measure == measure)]
    assert len(sel) == 1, sel
    return sel.iloc[0]


# ---------------------------------------------------------------- Eurostat


def _small_jsonstat() -> bytes:
    doc = {
        "version": "2.0",
        "class": "dataset",
        "updated": "2026-07-31T23:00:00+0200",
        "id": ["freq", "unit", "wstatus", "nace_r2", "geo", "time"],
        "size": [1, 1, 1, 1, 2, 1],
        "dimension": {
            "freq": {"category": {"index": {"A": 0}}},
            "unit": {"category": {"index": {"THS": 0}}},
            "wstatus": {"category": {"index": {"EMP": 0}}},
            "nace_r2": {"category": {"index": {"C": 0}}},
            "geo": {"category": {"index": {"DE": 0, "FR": 1}, "label": {"DE": "Germany", "FR": "France"}}},
            "time": {"category": {"index": {"2018": 0}}},
        },
        "value": {"0": 7910.2, "1": 3133.0},
        "status": {"1": "p"},
        "extension": {"id": "NAMA_10R_3EMPERS"},
    }
    return json.dumps(doc).encode()


def test_pull_eurostat_then_read(server: Server, tmp_path: Path) -> None:
    server.serve("GET", "/eurostat/nama_10r_3empers", _small_jsonstat(), content_type="application/json")
    pulled = pull_eurostat(
        "nama_10r_3empers",
        tmp_path / "cache",
        filters={"geo": ["DE", "FR"], "time": "2018", "nace_r2": "C"},
        base_url=f"{server.base_url}/eurostat",
    )
    (request,) = server.requests
    assert request.query["format"] == ["JSON"]
    assert request.query["lang"] == ["EN"]
    assert request.query["geo"] == ["DE", "FR"]
    assert request.query["time"] == ["2018"]
    assert pulled.path == tmp_path / "cache" / "nama_10r_3empers_geo-DE+FR_nace_r2-C_time-2018.json"
    assert pulled.source == "jsonstat"
    parsed = pulled.read()
    assert _obs(parsed, "DE", "C", "employment_thousand_persons").value == 7910.2
    fr = _obs(parsed, "FR", "C", "employment_thousand_persons")
    assert (fr.value, fr.flag) == (3133.0, "provisional")
    assert parsed.info.dataset_key.startswith("eurostat:nama_10r_3empers:2018:")
    # a filtered pull must not replace the full dataset in the warehouse
    full = read_source(DATA / "eu" / "eurostat" / "nama_10r_3empers_2018.json")
    assert full.info.dataset_key.startswith("eurostat:nama_10r_3empers:2018:")
    assert parsed.info.dataset_key != full.info.dataset_key
    assert read_source(pulled.path).observations.equals(parsed.observations)  # detected without options


@pytest.mark.integration
def test_pull_eurostat_recorded_official_answer(server: Server, tmp_path: Path) -> None:
    if not EUROSTAT_FILE.is_file():
        pytest.skip("official data not found")
    server.serve("GET", "/data/nama_10r_3empers", EUROSTAT_FILE.read_bytes(), content_type="application/json")
    pulled = pull_eurostat("nama_10r_3empers", tmp_path, base_url=f"{server.base_url}/data")
    parsed = pulled.read()
    assert _obs(parsed, "DE", "TOTAL", "employment_thousand_persons").value == 44878.0
    assert pulled.path.read_bytes() == EUROSTAT_FILE.read_bytes()


def test_pull_eurostat_error_answer(server: Server, tmp_path: Path) -> None:
    body = json.dumps({"error": [{"status": 404, "id": 100, "label": "Dataset NAMA_XYZ does not exist"}]})
    server.serve("GET", "/data/nama_xyz", body.encode(), status=404, content_type="application/json")
    with pytest.raises(PullError) as err:
        pull_eurostat("nama_xyz", tmp_path, base_url=f"{server.base_url}/data")
    assert "HTTP 404" in str(err.value)
    assert "Dataset NAMA_XYZ does not exist" in str(err.value)
    assert err.value.url.endswith("/data/nama_xyz")
    assert not list(tmp_path.iterdir())


def test_pull_eurostat_not_a_dataset(server: Server, tmp_path: Path) -> None:
    server.serve("GET", "/data/big", json.dumps({"warning": {"label": "asynchronous"}}).encode())
    with pytest.raises(PullError, match="not a JSON-stat dataset"):
        pull_eurostat("big", tmp_path, base_url=f"{server.base_url}/data")


def test_unreachable_server(tmp_path: Path) -> None:
    with pytest.raises(PullError, match="request failed"):
        pull_eurostat("x", tmp_path, base_url="http://127.0.0.1:9", timeout=2)


# ---------------------------------------------------------------- GENESIS

GENESIS_CSV = """GENESIS-Tabelle: 13111-07-05-4
Sozialversicherungspflichtig Beschäftigte am Arbeitsort;;;;;;;;
Stichtag: 30.06.2018;;;;;;;;
;;;Nationalität;Nationalität;Nationalität;Nationalität;Nationalität;Nationalität
;;;Insgesamt;Insgesamt;Insgesamt;Ausländer(innen);Ausländer(innen);Ausländer(innen)
;;;Geschlecht;Geschlecht;Geschlecht;Geschlecht;Geschlecht;Geschlecht
;;;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich
05562;      Recklinghausen, Kreis;Verarbeitendes Gewerbe (C);30000;25000;5000;3000;2500;500
05562;      Recklinghausen, Kreis;Insgesamt;180000;95000;85000;15000;9000;.
__________
"© Statistische Ämter des Bundes und der Länder, Deutschland, 2021.
Dieses Werk ist lizenziert unter der Datenlizenz Deutschland – Namensnennung – Version 2.0."
Stand: 17.08.2021 / 20:26:29
"""


@pytest.fixture
def genesis_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GENESIS_USER_ENV, "analyst@herten.example")
    monkeypatch.setenv(GENESIS_PASSWORD_ENV, "s3cret")


def test_pull_genesis_utf8_answer(server: Server, tmp_path: Path, genesis_env: None) -> None:
    server.serve(
        "POST",
        "/genesisws/rest/2020/data/tablefile",
        GENESIS_CSV.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    pulled = pull_genesis("13111-07-05-4", 2018, tmp_path, base_url=f"{server.base_url}/genesisws/rest/2020")
    (request,) = server.requests
    assert request.method == "POST"
    assert (request.headers["username"], request.headers["password"]) == ("analyst@herten.example", "s3cret")
    assert request.query == {}  # credentials never in the URL
    assert request.form["name"] == ["13111-07-05-4"]
    assert (request.form["startyear"], request.form["endyear"]) == (["2018"], ["2018"])
    assert request.form["format"] == ["csv"]
    assert "username" not in request.form
    assert pulled.path.name == "13111-07-05-4_2018.csv"
    # the en dash of the licence line has no ISO-8859-1 form: kept as UTF-8, the reader is told so
    assert pulled.options == {"encoding": "utf-8-sig"}
    parsed = pulled.read()
    assert _obs(parsed, "05562", "TOTAL", "employment").value == 180000
    assert _obs(parsed, "05562", "TOTAL", "employment_foreign_female").flag == "suppressed"
    assert parsed.regions.set_index("region_code").loc["05562", "name"] == "Recklinghausen, Kreis"
    assert parsed.info.dataset_key == "genesis:13111-07-05-4:2018-06-30"


@pytest.mark.integration
def test_pull_genesis_recorded_official_answer_zipped(server: Server, tmp_path: Path, genesis_env: None) -> None:
    if not GENESIS_FILE.is_file():
        pytest.skip("official data not found")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("13111-07-05-4.csv", GENESIS_FILE.read_bytes())  # ISO-8859-1 as exported
    server.serve("POST", "/rest/2020/data/tablefile", buffer.getvalue(), content_type="application/zip")
    pulled = pull_genesis(
        "13111-07-05-4", [2018], tmp_path, regional_variable="KREISE", regional_key=["05562", "05512"],
        base_url=f"{server.base_url}/rest/2020",
    )  # fmt: skip
    (request,) = server.requests
    assert request.form["regionalvariable"] == ["KREISE"]
    assert request.form["regionalkey"] == ["05562,05512"]
    assert pulled.options == {}  # stored as ISO-8859-1, the GENESIS reader's default
    assert pulled.path.read_bytes() == GENESIS_FILE.read_bytes()
    parsed = read_source(pulled.path)  # detected, like any downloaded export
    assert _obs(parsed, "DG", "TOTAL", "employment").value == 32_870_228


def test_pull_genesis_status_answer(server: Server, tmp_path: Path, genesis_env: None) -> None:
    status = {"Status": {"Code": 15, "Content": "Login fehlgeschlagen", "Type": "Fehler"}}
    server.serve("POST", "/rest/2020/data/tablefile", json.dumps(status).encode(), content_type="application/json")
    with pytest.raises(PullError) as err:
        pull_genesis("13111-07-05-4", None, tmp_path, base_url=f"{server.base_url}/rest/2020")
    assert "Login fehlgeschlagen (code 15)" in str(err.value)
    assert "s3cret" not in str(err.value)
    assert "startyear" not in server.requests[0].form


def test_pull_genesis_http_error(server: Server, tmp_path: Path, genesis_env: None) -> None:
    server.serve("POST", "/rest/2020/data/tablefile", b"Service Unavailable", status=503)
    with pytest.raises(PullError, match="HTTP 503"):
        pull_genesis("13111-07-05-4", 2018, tmp_path, base_url=f"{server.base_url}/rest/2020")


def test_pull_genesis_needs_credentials(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GENESIS_USER_ENV, raising=False)
    monkeypatch.delenv(GENESIS_PASSWORD_ENV, raising=False)
    with pytest.raises(PullError) as err:
        pull_genesis("13111-07-05-4", 2018, tmp_path, base_url=f"{server.base_url}/rest/2020")
    assert GENESIS_USER_ENV in str(err.value) and GENESIS_PASSWORD_ENV in str(err.value)
    assert server.requests == []


# ---------------------------------------------------------------- Census CBP

CENSUS_HEADER = ["ESTAB", "EMP", "PAYANN", "NAICS2017", "EMPSZES", "LFO", "state", "county"]
CENSUS_ROWS = [
    ["7", "55", "2705", "113310", "001", "001", "26", "001"],
    ["3", "0", "0", "336390", "001", "001", "26", "163"],
    ["1200", "45000", "2500000", "00", "001", "001", "26", "163"],
    ["40", "9000", "700000", "31-33", "001", "001", "26", "163"],
]


def test_pull_cbp_then_read(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGIOLENS_CENSUS_KEY", "k3y")
    server.serve(
        "GET", "/data/2021/cbp", json.dumps([CENSUS_HEADER, *CENSUS_ROWS]).encode(), content_type="application/json"
    )
    pulled = pull_cbp(2021, "26", tmp_path, base_url=f"{server.base_url}/data")
    (request,) = server.requests
    assert request.query["get"] == ["ESTAB,EMP,PAYANN,NAICS2017"]
    assert (request.query["for"], request.query["in"]) == (["county:*"], ["state:26"])
    assert (request.query["EMPSZES"], request.query["LFO"]) == (["001"], ["001"])
    assert request.query["key"] == ["k3y"]
    assert pulled.path.name == "cbp-api-26-2021.csv"
    parsed = pulled.read()
    assert _obs(parsed, "26001", "113310", "employment").value == 55
    withheld = _obs(parsed, "26163", "336390", "employment")
    assert withheld.flag == "suppressed"
    assert _obs(parsed, "26163", "TOTAL", "payroll_thousand_usd").value == 2_500_000
    assert _obs(parsed, "26163", "31-33", "establishments").value == 40
    assert parsed.info.dataset_key == "cbp:26:2021"
    assert parsed.info.attribution.endswith("extract: Census API via regiolens pull")
    assert read_source(pulled.path).observations.equals(parsed.observations)  # detected by its header


@pytest.mark.integration
def test_pull_cbp_recorded_from_official_rows(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Census answer built from the Michigan 2021 extract reproduces the extract's observations."""
    if not MICHIGAN_2021.is_file():
        pytest.skip("official data not found")
    monkeypatch.delenv("REGIOLENS_CENSUS_KEY", raising=False)
    lines = MICHIGAN_2021.read_text(encoding="utf-8").splitlines()[1:]
    rows = [[e, emp, pay, naics, "26", fips[2:]] for fips, naics, e, emp, pay in (line.split(",") for line in lines)]
    body = json.dumps([["ESTAB", "EMP", "PAYANN", "NAICS2017", "state", "county"], *rows]).encode()
    server.serve("GET", "/data/2021/cbp", body, content_type="application/json")
    pulled = pull_cbp(2021, "26", tmp_path, base_url=f"{server.base_url}/data")
    assert "key" not in server.requests[0].query
    pulled_obs = pulled.read().observations
    extract_obs = read_source(MICHIGAN_2021).observations
    assert pulled_obs.drop(columns="line").equals(extract_obs.drop(columns="line"))
    assert pulled_obs[pulled_obs.measure == "employment"].value.sum() == 3_140_115


def test_pull_cbp_states_and_naics_variable(server: Server, tmp_path: Path) -> None:
    body = json.dumps([["ESTAB", "EMP", "PAYANN", "NAICS2012", "state"], ["49", "59", "2279", "113110", "01"]])
    server.serve("GET", "/data/2016/cbp", body.encode(), content_type="application/json")
    pulled = pull_cbp(2016, "us", tmp_path, base_url=f"{server.base_url}/data", key="")
    assert server.requests[0].query["get"] == ["ESTAB,EMP,PAYANN,NAICS2012"]
    assert server.requests[0].query["for"] == ["state:*"]
    parsed = pulled.read()
    assert parsed.info.dataset_key == "cbp:us:2016"
    assert set(parsed.observations.classification) == {"naics2012"}
    assert pulled.options == {"year": 2016, "classification": "naics2012"}
    assert _obs(parsed, "01", "113110", "payroll_thousand_usd").value == 2279


def test_pull_cbp_errors(server: Server, tmp_path: Path) -> None:
    base = f"{server.base_url}/data"
    with pytest.raises(PullError, match="geography"):
        pull_cbp(2021, "Michigan", tmp_path, base_url=base)
    server.serve("GET", "/data/2021/cbp", b"error: unknown variable 'NAICS2017X'", status=400)
    with pytest.raises(PullError, match="unknown variable"):
        pull_cbp(2021, "26", tmp_path, base_url=base, naics_variable="NAICS2017X")
    server.serve("GET", "/data/2021/cbp", b"", status=204)
    with pytest.raises(PullError, match="no data"):
        pull_cbp(2021, "26", tmp_path, base_url=base)
    server.serve("GET", "/data/2021/cbp", b"<html>Invalid Key</html>", content_type="text/html")
    with pytest.raises(PullError, match="Invalid Key"):
        pull_cbp(2021, "26", tmp_path, base_url=base)
    duplicated = [CENSUS_HEADER, CENSUS_ROWS[0], CENSUS_ROWS[0]]
    server.serve("GET", "/data/2021/cbp", json.dumps(duplicated).encode(), content_type="application/json")
    with pytest.raises(PullError, match="several rows"):
        pull_cbp(2021, "26", tmp_path, base_url=base, predicates={})
    assert not list(tmp_path.iterdir())


def test_census_to_cbp_csv() -> None:
    text = census_to_cbp_csv(
        [["NAICS2017", "ESTAB", "EMP", "PAYANN", "state", "county"], ["336111", "4", None, "100", "26", "163"]],
        "NAICS2017",
    )
    assert text == "Fips,Naics,Establishments,Employees,Payroll\n26163,336111,4,0,100\n"
    with pytest.raises(PullError, match="lacks the columns PAYANN"):
        census_to_cbp_csv([["NAICS2017", "ESTAB", "EMP", "state"]], "NAICS2017")
