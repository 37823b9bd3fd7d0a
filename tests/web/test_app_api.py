"""JSON API: the numbers of the CLI's ``--format json``, token authentication, errors, OpenAPI, scoping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from regiolens.cli import app as cli
from tests.web.app_support import BOTTROP, EDITOR, GLADBECK, VIEWER, World, api_token, build_app, client_for


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    return build_app(tmp_path_factory.mktemp("app"), loaded_warehouse)


@pytest.fixture(scope="module")
def api(world: World) -> TestClient:
    client = TestClient(world.app)
    client.headers["Authorization"] = f"Bearer {api_token(world, VIEWER)}"
    return client


def cli_json(world: World, *args: str, groups: bool = True) -> Any:
    options = ["--format", "json", "--warehouse", str(world.settings.warehouse)]
    if groups:
        options += ["--groups", str(world.settings.groups)]
    result = CliRunner().invoke(cli, [*args, *options], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_api_profile_equals_the_cli_json_number_for_number(world: World, api: TestClient) -> None:
    response = api.get("/api/v1/profile/emscher-lippe")
    assert response.status_code == 200
    assert response.json() == cli_json(world, "profile", "emscher-lippe")
    with_options = api.get("/api/v1/profile/05562?year=2019&base_year=2016&reference=05&threshold=lq>=1")
    expected = cli_json(
        world, "profile", "05562", "--year", "2019", "--base-year", "2016", "--reference", "05", "--threshold", "lq>=1"
    )
    assert with_options.json() == expected


def test_api_compare_peers_opportunities_equal_the_cli(world: World, api: TestClient) -> None:
    compared = api.get("/api/v1/compare?regions=emscher-lippe&regions=region-hannover").json()
    assert compared == cli_json(world, "compare", "emscher-lippe", "region-hannover")
    assert api.get("/api/v1/peers/emscher-lippe?n=5").json() == cli_json(world, "peers", "emscher-lippe", "-n", "5")
    assert api.get("/api/v1/opportunities/emscher-lippe?n=3").json() == cli_json(
        world, "opportunities", "emscher-lippe", "-n", "3"
    )


def test_api_metrics_and_sources(world: World, api: TestClient) -> None:
    metrics = CliRunner().invoke(cli, ["metrics", "list", "--format", "json"], catch_exceptions=False)
    assert api.get("/api/v1/metrics").json() == json.loads(metrics.stdout)
    sources = api.get("/api/v1/sources").json()
    assert sources == cli_json(world, "data", "status", groups=False)
    assert all("dl-de/by-2-0" in s["licence"] for s in sources) and len(sources) == 6


def test_api_needs_a_valid_bearer_token(world: World) -> None:
    anonymous = TestClient(world.app)
    response = anonymous.get("/api/v1/profile/emscher-lippe")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()
    wrong = anonymous.get("/api/v1/metrics", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401
    # the session cookie of a logged-in browser does not open the API
    browser = client_for(world, VIEWER)
    assert browser.get("/api/v1/metrics").status_code == 401


def test_api_errors_are_json_with_the_message(api: TestClient) -> None:
    missing = api.get("/api/v1/profile/atlantis")
    assert missing.status_code == 404 and "atlantis" in missing.json()["detail"]
    bad = api.get("/api/v1/profile/emscher-lippe?threshold=lq>=7")
    assert bad.status_code == 422 and bad.json()["detail"].startswith("unknown threshold 'lq>=7'; choose from lq>=1")
    one = api.get("/api/v1/compare?regions=emscher-lippe")
    assert one.status_code == 422
    assert api.get("/api/v1/profile/emscher-lippe?year=nineteen").status_code == 422


def test_openapi_describes_the_api_and_its_token(world: World, api: TestClient) -> None:
    spec = TestClient(world.app).get("/api/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/v1/profile/{region}", "/api/v1/compare", "/api/v1/peers/{region}", "/api/v1/metrics"):
        assert path in paths
    assert not any(p.startswith(("/regions", "/login", "/data")) for p in paths)  # pages are not API
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())
    assert "Profile" in spec["components"]["schemas"]
    docs = client_for(world, EDITOR).get("/api/docs")
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text


def test_api_taxonomies_show_only_what_the_user_may_see(world: World) -> None:
    def ids(email: str) -> set[str]:
        client = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, email)}"})
        return {t["id"] for t in client.get("/api/v1/taxonomies").json()}

    t = {slug: f"org-{number}" for slug, number in world.taxonomies.items()}
    herten = ids(EDITOR)
    assert "hannoverimpuls" in herten
    assert t["gladbeck-netz"] in herten  # shared with the network Herten belongs to
    assert t["gladbeck-privat"] not in herten and t["bottrop-geheim"] not in herten
    assert ids(BOTTROP) == {"hannoverimpuls", t["bottrop-geheim"]}
    assert {t["gladbeck-netz"], t["gladbeck-privat"]} <= ids(GLADBECK)

    herten_client = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, EDITOR)}"})
    assert herten_client.get(f"/api/v1/taxonomies/{t['bottrop-geheim']}").status_code == 404
    assert herten_client.get(f"/api/v1/taxonomies/{t['gladbeck-netz']}").json()["organisation"] == "gladbeck"


def test_api_refuses_numbers_out_of_range_with_422_and_years_without_data_with_400(api: TestClient) -> None:
    assert api.get("/api/v1/peers/emscher-lippe?n=0").status_code == 422
    assert api.get("/api/v1/peers/emscher-lippe?n=401").status_code == 422
    assert api.get("/api/v1/opportunities/emscher-lippe?n=0").status_code == 422
    assert api.get("/api/v1/profile/emscher-lippe?year=1800").status_code == 422
    # within the documented range but not in the data: a valid request the data cannot answer
    no_data = api.get("/api/v1/profile/emscher-lippe?year=1950")
    assert no_data.status_code == 400 and no_data.json()["detail"] == "no data for 1950; available: 2015–2020"
    swapped = api.get("/api/v1/profile/emscher-lippe?year=2016&base_year=2018")
    assert swapped.status_code == 400 and "base year (2018) must lie before the year (2016)" in swapped.json()["detail"]


def test_api_profile_with_an_organisations_taxonomy(world: World) -> None:
    herten = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, VIEWER)}"})
    shared = f"org-{world.taxonomies['gladbeck-netz']}"
    result = herten.get(f"/api/v1/profile/emscher-lippe?taxonomy={shared}").json()
    assert [c["cluster"] for c in result["clusters"]] == ["auto"]
    cluster = result["clusters"][0]
    assert cluster["taxonomy"].startswith(shared) and cluster["status"] == "not_resolvable"
    assert cluster["reason"].startswith("not resolvable on WZ 2008 section groups")  # both languages in the JSON
    assert cluster["reason_de"].startswith("nicht auflösbar auf WZ-2008-Abschnittsgruppen")
    assert result["notes_en"] and len(result["notes_en"]) == len(result["notes"])
    for private in ("gladbeck-privat", "bottrop-geheim"):
        response = herten.get(f"/api/v1/profile/emscher-lippe?taxonomy=org-{world.taxonomies[private]}")
        assert response.status_code == 404 and "unknown taxonomy" in response.json()["detail"]


def test_api_without_data_says_what_to_do_and_shows_no_server_path(tmp_path: Path) -> None:
    world = build_app(tmp_path, tmp_path / "nowhere" / "warehouse.duckdb")
    client = TestClient(world.app, headers={"Authorization": f"Bearer {api_token(world, VIEWER)}"})
    for path in ("/api/v1/profile/emscher-lippe", "/api/v1/peers/emscher-lippe", "/api/v1/compare?regions=a&regions=b"):
        response = client.get(path)
        assert response.status_code == 503, path
        detail = response.json()["detail"]
        assert detail.startswith("No data yet: the warehouse is empty. Import data")
        assert str(tmp_path) not in detail and "warehouse.duckdb" not in detail
    page = client_for(world, VIEWER).get("/regions/emscher-lippe")
    assert page.status_code == 503 and "Noch keine Daten" in page.text and str(tmp_path) not in page.text
