"""The map page of a cluster: built-in and organisations' taxonomies, with the numbers of the library.

On the official data (WZ section groups) a cluster of WZ sections resolves exactly; the hannoverimpuls clusters
(WZ classes) do not and get the reason instead of a map.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from regiolens.analysis.maps import cluster_lq_map, lq_map
from regiolens.analysis.profile import available_years
from regiolens.classifications.section_groups import WZ2008_SECTION_GROUPS
from regiolens.clusters.stored import org_taxonomy
from regiolens.warehouse.store import Warehouse
from regiolens.web.db import Organisation, Taxonomy, User, Visibility, session_factory
from tests.web.app_support import EDITOR, VIEWER, World, build_app, client_for, mapped_warehouse

DIGITAL = [{"id": "digital", "label_de": "Digitalwirtschaft", "label_en": "Digital economy", "codes": ["J", "K"]}]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, loaded_warehouse: Path) -> World:
    """The app on a copy of the warehouse with Kreis boundaries; Herten has its own taxonomy of WZ sections."""
    tmp = tmp_path_factory.mktemp("map-clusters")
    world = build_app(tmp, mapped_warehouse(tmp, loaded_warehouse))
    with session_factory(world.app.state.engine).begin() as s:
        herten = s.scalar(select(Organisation).where(Organisation.slug == "herten"))
        editor = s.scalar(select(User).where(User.email == EDITOR))
        assert herten is not None and editor is not None
        record = Taxonomy(
            organisation_id=herten.id,
            visibility=Visibility.private,
            created_by=editor.id,
            slug="herten-digital",
            name="Digitales Herten",
            classification="wz2008",
            definition=DIGITAL,
        )
        s.add(record)
        s.flush()
        world.taxonomies["herten-digital"] = record.id
    return world


@pytest.fixture(scope="module")
def client(world: World) -> TestClient:
    return client_for(world, VIEWER)


def _csv(text: str) -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in csv.DictReader(io.StringIO(text))}


def test_a_cluster_of_the_organisations_taxonomy_is_mapped_with_the_librarys_values(
    world: World, client: TestClient
) -> None:
    taxonomy = f"org-{world.taxonomies['herten-digital']}"
    with session_factory(world.app.state.engine)() as s:
        record = s.get(Taxonomy, world.taxonomies["herten-digital"])
        assert record is not None
        tax = org_taxonomy(record)
    with Warehouse.open(world.settings.warehouse, read_only=True) as wh:
        year = max(available_years(wh, "employment", WZ2008_SECTION_GROUPS, "de:kreis"))
        expected = {v.code: v for v in cluster_lq_map(wh, tax, "digital", year).values}

    page = client.get(f"/map?taxonomy={taxonomy}&cluster=digital")
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert "Wo ist der Cluster stark?" in text and "Standortquotient des Clusters" in text
    assert "Standortquotient Digitalwirtschaft" in text  # the chart's title names the cluster
    assert f'<option value="{taxonomy}:digital" selected>' in page.text  # the form shows the choice
    figure = re.search(r'<figure class="chart" id="chart-map".*?</figure>', text, re.S)
    assert figure, text
    for caption in ("So lesen Sie diese Grafik", "Referenzgebiet", "LQ-Klassen", "Digitales Herten (WF Herten)"):
        assert caption in figure.group(0), caption  # how to read, reference, thresholds, the taxonomy
    downloads = re.findall(r'href="([^"]+)" download', page.text)
    assert {html.unescape(d) for d in downloads} == {
        f"/map/{name}?taxonomy={taxonomy}&cluster=digital" for name in ("data.csv", "chart.svg", "chart.png")
    }

    rows = _csv(client.get(f"/map/data.csv?taxonomy={taxonomy}&cluster=digital").text)
    assert rows["05562"]["industry"] == f"{taxonomy}:digital" and int(rows["05562"]["year"]) == year
    assert float(rows["05562"]["lq"]) == pytest.approx(expected["05562"].lq, rel=1e-12)
    assert float(rows["05562"]["employment"]) == pytest.approx(expected["05562"].employment)
    assert len(rows) == len(expected)
    # the form's spelling (cluster=<taxonomy>:<cluster>) is the same map
    assert _csv(client.get(f"/map/data.csv?cluster={taxonomy}:digital").text) == rows
    svg = client.get(f"/map/chart.svg?taxonomy={taxonomy}&cluster=digital")
    assert svg.status_code == 200 and "Standortquotient Digitalwirtschaft" in html.unescape(svg.text)
    assert client.get(f"/map/chart.png?taxonomy={taxonomy}&cluster=digital").content.startswith(b"\x89PNG")


def test_an_edited_taxonomy_is_mapped_anew_not_from_the_cache(world: World, client: TestClient) -> None:
    number = world.taxonomies["herten-digital"]
    url = f"/map/data.csv?taxonomy=org-{number}&cluster=digital"
    before = _csv(client.get(url).text)["05562"]
    engine = world.app.state.engine
    with session_factory(engine).begin() as s:
        record = s.get(Taxonomy, number)
        assert record is not None
        record.definition = [{**DIGITAL[0], "codes": ["J"]}]
    try:
        after = _csv(client.get(url).text)["05562"]
        assert float(after["employment"]) < float(before["employment"])  # K is no longer counted
    finally:
        with session_factory(engine).begin() as s:
            record = s.get(Taxonomy, number)
            assert record is not None
            record.definition = DIGITAL


def test_another_organisations_private_taxonomy_answers_like_an_unknown_one(world: World, client: TestClient) -> None:
    private = f"org-{world.taxonomies['bottrop-geheim']}"
    unknown = "org-999999"
    page = client.get("/map").text
    assert private not in page and f"org-{world.taxonomies['gladbeck-netz']}:auto" in page  # shared: offered
    for path in ("/map", "/map/data.csv", "/map/chart.svg"):
        hidden = client.get(f"{path}?taxonomy={private}&cluster=auto")
        absent = client.get(f"{path}?taxonomy={unknown}&cluster=auto")
        assert hidden.status_code == absent.status_code == 404, path
        assert hidden.text.replace(private, "ID") == absent.text.replace(unknown, "ID"), path
        assert "Unbekannte Cluster-Taxonomie" in html.unescape(hidden.text)
    assert client.get(f"/map?cluster={private}:auto").status_code == 404
    assert client.get("/map?taxonomy=hannoverimpuls&cluster=no-such-cluster").status_code == 404


def test_a_cluster_the_data_cannot_resolve_gets_the_reason_not_a_map(client: TestClient) -> None:
    page = client.get("/map?taxonomy=hannoverimpuls&cluster=automotive")
    assert page.status_code == 422
    text = html.unescape(page.text)
    assert 'id="map-cluster-form"' in page.text and 'id="chart-map"' not in page.text  # choose another
    # the form offers it, but marked and disabled; a cluster the data can show is not
    assert re.search(r'<option value="hannoverimpuls:ict"[^>]* disabled>[^<]*\(auf diesen Daten nicht', text)
    assert re.search(r'<option value="org-\d+:digital">Digitalwirtschaft</option>', text)
    message = re.search(r'<p id="map-unusable"[^>]*>(.*?)</p>', text, re.S)
    assert message, text
    assert "Der Cluster „Automobilwirtschaft“ lässt sich auf diesen Daten nicht als Karte zeigen" in message.group(1)
    assert "nicht auflösbar auf" in message.group(1)
    english = html.unescape(client.get("/map?taxonomy=hannoverimpuls&cluster=automotive&lang=en").text)
    assert "cannot be mapped on these data — not resolvable on" in english
    client.get("/?lang=de")
    for download in ("/map/data.csv", "/map/chart.svg"):
        response = client.get(f"{download}?taxonomy=hannoverimpuls&cluster=automotive")
        assert response.status_code == 422 and "nicht als Karte zeigen" in html.unescape(response.text)


def test_industry_and_cluster_together_are_refused(client: TestClient) -> None:
    response = client.get("/map?industry=J&taxonomy=hannoverimpuls&cluster=ict")
    assert response.status_code == 422
    assert "eine Branche oder einen Cluster, nicht beides" in html.unescape(response.text)
    assert client.get("/map?taxonomy=hannoverimpuls").status_code == 422  # a taxonomy without a cluster


def test_the_industry_map_is_unchanged(world: World, client: TestClient) -> None:
    page = client.get("/map?industry=J")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Wo ist die Branche stark?" in text and "Standortquotient der Branche" in text
    assert '<option value="J" selected>' in page.text and "Cluster-Taxonomie" not in text
    with Warehouse.open(world.settings.warehouse, read_only=True) as wh:
        year = max(available_years(wh, "employment", WZ2008_SECTION_GROUPS, "de:kreis"))
        expected = lq_map(wh, "J", year)
    response = client.get("/map/data.csv?industry=J")
    assert f'filename="map_J_{year}.csv"' in response.headers["content-disposition"]
    rows = _csv(response.text)
    assert rows["05562"]["industry"] == "J"
    assert float(rows["05562"]["lq"]) == pytest.approx(next(v.lq for v in expected.values if v.code == "05562"))
    assert client.get("/map?industry=XYZ").status_code == 422
