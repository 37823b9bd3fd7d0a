"""Vega-Lite specs: valid (they render), self-contained, German number formats, captions under every chart."""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import math
import re
from typing import Any

import pytest

from regiolens.errors import RegiolensError
from regiolens.reports import charts, render
from tests.reports import sample


def svg_text(svg: str) -> str:
    """Every text of an SVG (text elements and tooltips/aria labels), unescaped, one string."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    labels = re.findall(r'aria-label="([^"]*)"', svg)
    text = html.unescape(" | ".join(re.sub(r"<[^>]+>", " ", t) for t in [*texts, *labels]))
    return text.replace("\u00a0", " ")  # the per cent sign follows a non-breaking space


def walk(node: Any) -> list[tuple[str, Any]]:
    """Every (key, value) pair of a nested JSON document."""
    pairs: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            pairs.append((key, value))
            pairs.extend(walk(value))
    elif isinstance(node, list):
        for value in node:
            pairs.extend(walk(value))
    return pairs


SPECS = {
    "map": lambda lang: charts.lq_choropleth(sample.lq_map(), lang, sample.THRESHOLD, vintage="Stichtag 30.06.2023"),
    "bubble": lambda lang: charts.bubble_chart(sample.profile(), lang),
    "shift": lambda lang: charts.shift_share_chart(sample.profile(), lang),
    "comparison": lambda lang: charts.comparison_lq_chart(sample.comparison(), lang),
}


@pytest.fixture(scope="module")
def svgs() -> dict[tuple[str, str], str]:
    """Every chart rendered once per language."""
    return {
        (name, lang): svg_text(render.to_svg(make(lang), lang=lang))
        for name, make in SPECS.items()
        for lang in ("de", "en")
    }


@pytest.mark.parametrize("name", list(SPECS))
def test_specs_are_self_contained_vega_lite(name: str) -> None:
    spec = SPECS[name]("de")
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    json.dumps(spec, allow_nan=False)  # plain JSON, no NaN
    for key, value in walk(spec):
        assert key != "url", f"{name}: external data {value!r}"
        if isinstance(value, str) and key != "$schema":
            assert "://" not in value, f"{name}: URL in {key}: {value!r}"


@pytest.mark.parametrize("name", list(SPECS))
def test_every_chart_names_reference_threshold_vintage_and_source(svgs: dict[tuple[str, str], str], name: str) -> None:
    de, en = svgs[(name, "de")], svgs[(name, "en")]
    assert "Referenz: Deutschland · 2023" in de
    assert "Schwelle: lq>=1.25 (Standortquotient mindestens 1,25)" in de
    assert "Datenstand: Stichtag 30.06.2023" in de
    assert "Quelle: © Statistische Ämter des Bundes und der Länder, Deutschland, 2024" in de
    assert "Reference: Deutschland · 2023" in en
    assert "Threshold: lq>=1.25 (Location quotient at least 1.25)" in en
    assert "Data vintage: Stichtag 30.06.2023" in en


def test_choropleth_classes_grey_no_data_outline_and_german_tooltip(svgs: dict[tuple[str, str], str]) -> None:
    de = svgs[("map", "de")]
    assert "1,25 bis < 2" in de and "keine Daten" in de  # legend
    assert "Standortquotient: 1,25" in de and "Beschäftigte: 12.345" in de  # tooltip of Gelsenkirchen
    assert "Kennzeichen: geheim" in de  # Bottrop: suppressed, not zero
    assert "Quelle: © GeoBasis-DE / BKG 2024 (Daten verändert)" in de
    en = svgs[("map", "en")]
    assert "1.25 to < 2" in en and "no data" in en and "Employees: 12,345" in en


def test_choropleth_spec_data() -> None:
    lq_map = sample.lq_map()
    before = copy.deepcopy(lq_map.geometry)
    spec = charts.lq_choropleth(lq_map, "de")
    assert lq_map.geometry == before  # the result is not modified
    features = spec["datasets"][charts.MAP_DATASET]["features"]
    props = {f["properties"]["region_code"]: f["properties"] for f in features}
    assert props["05513"] == props["05513"] | {"lq": 1.25, "lq_class": "1,25 bis < 2", "highlight": True}
    assert props["05512"] == props["05512"] | {"lq": None, "lq_class": "keine Daten", "highlight": False}
    colours = next(v for k, v in walk(spec) if k == "range" and isinstance(v, list) and charts.NO_DATA_COLOUR in v)
    assert colours[-1] == charts.NO_DATA_COLOUR


def test_map_classes_are_log_symmetric_around_one() -> None:
    assert charts.lq_class(1.25, "de") == "1,25 bis < 2"
    assert charts.lq_class(1.0, "de") == "1 bis < 1,25"
    assert charts.lq_class(0.99, "de") == "0,8 bis < 1"
    assert charts.lq_class(0.0, "de") == "< 0,5"
    assert charts.lq_class(7.0, "en") == "≥ 2"
    assert charts.lq_class(None, "en") == "no data"
    for low, high in zip(charts.LQ_BREAKS, reversed(charts.LQ_BREAKS), strict=True):
        assert low * high == pytest.approx(1.0)


def test_bubble_chart_german_axes_and_labels(svgs: dict[tuple[str, str], str]) -> None:
    de = svgs[("bubble", "de")]
    assert "Verarbeitendes Gewerbe" in de and "Information und Kommunikation" in de
    assert "Bergbau und Gewinnung von Steinen… *" in de  # small number marked, name shortened
    assert "0,5" in de and "−60 %" in de  # log LQ axis, growth in per cent with decimal comma locale
    assert "Standortquotient: 1,25" in de and "Wachstum: −2,8 %" in de and "Beschäftigte: 45.678" in de
    assert "* kleine Fallzahl: mit Vorsicht lesen" in de
    assert "Growth: −2.8 %" in svgs[("bubble", "en")]


def test_bubble_chart_leaves_out_what_cannot_be_placed_and_says_so() -> None:
    profile = sample.hannover_profile()  # mining suppressed: no LQ, no growth
    spec = charts.bubble_chart(profile, "de")
    text = svg_text(render.to_svg(spec))
    assert "Nicht dargestellt (Werte fehlen oder sind geheim): Bergbau und Gewinnung von Steinen und Erden" in text
    spec = charts.bubble_chart(sample.profile(), "de", max_rows=2)
    data = next(v for k, v in walk(spec) if k == "values" and isinstance(v, list))
    assert [d["code"] for d in data] == ["C", "J"]
    assert "die 2 größten von 3 Branchen" in json.dumps(spec, ensure_ascii=False)


def test_shift_share_both_vocabularies(svgs: dict[tuple[str, str], str]) -> None:
    de, en = svgs[("shift", "de")], svgs[("shift", "en")]
    for word in ("Konjunkturkomponente", "Strukturkomponente", "Standortkomponente"):
        assert word in de
    for word in ("National share", "Industry mix", "Regional (competitive) effect"):
        assert word in en
    assert "national share/industry mix/regional effect" in de
    assert "Konjunktur-/Struktur-/Standortkomponente" in en
    assert "Personen: −2.622" in de and "Persons: −2,622" in en
    assert "1.000" in de and "1,000" in en


def test_comparison_chart_regions_side_by_side(svgs: dict[tuple[str, str], str]) -> None:
    de = svgs[("comparison", "de")]
    assert "Emscher-Lippe" in de and "Region Hannover" in de
    assert "Standortquotient: 1,34" in de and "Standortquotient: 0,5;" in de
    assert "Bergbau und Gewinnung von Steinen… (Region Hannover)" in de  # suppressed there: named, not zero
    spec = charts.comparison_lq_chart(sample.comparison(), "de")
    data = next(v for k, v in walk(spec) if k == "values" and isinstance(v, list))
    assert [(d["code"], d["region"], d["lq"]) for d in data] == [
        ("C", "Emscher-Lippe", 1.25),
        ("C", "Region Hannover", 1.12),
        ("J", "Emscher-Lippe", 0.5),
        ("J", "Region Hannover", 1.34),
        ("B", "Emscher-Lippe", 2.0),
    ]


def test_threshold_rule_only_for_fixed_values() -> None:
    assert charts.threshold_value(sample.THRESHOLD) == 1.25
    other = sample.Threshold("top-quartile", "oberes Quartil", "top quartile", "regiolens")
    assert charts.threshold_value(other) is None


def test_png_and_refusals() -> None:
    png = render.to_png(SPECS["bubble"]("de"), scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    remote = {"data": {"url": "https://example.invalid/data.json"}, "mark": "point"}
    with pytest.raises(RegiolensError, match="could not be rendered"):
        render.to_svg(remote)
    with pytest.raises(RegiolensError, match="'de' or 'en'"):
        charts.bubble_chart(sample.profile(), "fr")
    assert render.format_locale("de")["decimal"] == ","


def test_nan_is_no_value() -> None:
    """The analysis may leave NaN where a figure is undefined: charts treat it like None, never as a number."""
    profile = sample.profile()
    nan = float("nan")
    ict = dataclasses.replace(profile.industries[1], lq=nan, growth=nan, national=nan)
    profile = dataclasses.replace(profile, industries=[profile.industries[0], ict, profile.industries[2]])
    for spec in (charts.bubble_chart(profile, "de"), charts.shift_share_chart(profile, "de")):
        json.dumps(spec, allow_nan=False)
        assert "Nicht dargestellt (Werte fehlen oder sind geheim): Information und Kommunikation" in json.dumps(
            spec, ensure_ascii=False
        )


def test_bubble_labels_never_overlap_and_name_the_strong_first() -> None:
    """The placement works in pixels: crowded bubbles get labels where there is room, or none (then the caption
    says how many are labelled); a strong industry is labelled before larger ones."""
    base = sample.profile().industries[0]
    crowd = [
        dataclasses.replace(
            base,
            code=f"X{i}",
            label_de=f"Branche Nummer {i}",
            label_en=f"Industry number {i}",
            growth=0.01 * (i % 3),
            lq=1.0 + 0.01 * i,
            employment=1000.0 * (20 - i),
            strong=(i == 15),
            small_number=False,
        )
        for i in range(16)
    ]
    spec = charts.bubble_chart(dataclasses.replace(sample.profile(), industries=crowd), "de")
    data = next(v for k, v in walk(spec) if k == "values" and isinstance(v, list))
    placed = [d for d in data if d["place"]]
    assert 0 < len(placed) < len(data)
    assert next(d for d in data if d["code"] == "X15")["place"]  # the strong one, though the smallest
    text = json.dumps(spec, ensure_ascii=False)
    assert f"Beschriftet: {len(placed)} von {len(data)} Branchen" in text
    boxes = []
    for place, (growth, lq, label) in ((d["place"], (d["label_growth"], d["label_lq"], d["label"])) for d in placed):
        x, y = _pixels(spec, growth, lq)
        w, h = len(label) * charts.CHAR_WIDTH, charts.LABEL_FONT_SIZE + 2
        left = {"right": x, "left": x - w}.get(place, x - w / 2)
        top = {"above": y - h, "below": y}.get(place, y - h / 2)
        boxes.append((left, top, left + w, top + h))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def _pixels(spec: dict[str, Any], growth: float, lq: float) -> tuple[float, float]:
    """A point's pixel position in the bubble chart's plot, from the scale domains the spec sets."""
    scales = [
        v
        for k, v in walk(spec)
        if k == "scale" and isinstance(v, dict) and all(isinstance(d, float) for d in v.get("domain", ["none"]))
    ]
    x_domain = next(s["domain"] for s in scales if s.get("type") != "log" and len(s["domain"]) == 2)
    y_domain = next(s["domain"] for s in scales if s.get("type") == "log")
    x = (growth - x_domain[0]) / (x_domain[1] - x_domain[0]) * charts.BUBBLE_WIDTH
    share = math.log(lq / y_domain[0]) / math.log(y_domain[1] / y_domain[0])
    return x, charts.BUBBLE_HEIGHT * (1 - share)


def test_screen_readers_hear_the_chart_in_its_language(svgs: dict[tuple[str, str], str]) -> None:
    de, en = svgs[("bubble", "de")], svgs[("bubble", "en")]
    assert "X-Achse „Wachstum 2018–2023“" in de and "Legende „Beschäftigte“" in de and "Titel: Branchenportfolio" in de
    assert "X-axis titled" not in de and "Symbol legend" not in de and "Title text" not in de
    assert "X-axis titled 'Growth 2018–2023'" in en


def test_the_map_names_its_reference_in_words() -> None:
    for lang, words in (("de", "Referenz: Deutschland · 2023"), ("en", "Reference: Germany · 2023")):
        national = dataclasses.replace(sample.lq_map(), reference="DG")  # the code of Germany, as the analysis says
        text = json.dumps(charts.lq_choropleth(national, lang), ensure_ascii=False)
        assert words in text and ": DG" not in text
    named = charts.lq_choropleth(dataclasses.replace(sample.lq_map(), reference="05"), "de", reference_name="NRW")
    assert "Referenz: NRW · 2023" in json.dumps(named, ensure_ascii=False)


def test_long_caption_lines_are_wrapped() -> None:
    long = sample.Threshold("lq>=1.25", "Standortquotient mindestens 1,25 " + "und noch mehr Text " * 10, "x", "y")
    spec = charts.bubble_chart(dataclasses.replace(sample.profile(), threshold=long), "de")
    caption = spec["vconcat"][0]["title"]["text"]
    assert max(len(line) for line in caption) <= charts.CAPTION_WIDTH
