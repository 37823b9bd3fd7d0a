"""Words and number formats of the reports: German first (decimal comma, thousands dot), English second.

Every label of a result field comes from :data:`regiolens.analysis.results.LABELS`; the few words the
reports need beyond those (table headings, status names, captions) are in :data:`PHRASES`. Numbers are
formatted with :mod:`regiolens.i18n` and the locale of the report's language, passed explicitly
(``de_DE`` or ``en_GB``), never read from the environment.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal, TypeVar, cast

from babel.dates import format_date

from regiolens.analysis.results import LABELS, Profile, SourceRef, Threshold
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number, format_share
from regiolens.model import GERMANY_CODE

Lang = Literal["de", "en"]
"""The language of a report or chart."""

LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}
"""Babel locale of each report language."""

MISSING = "–"
"""What a table shows for a missing, suppressed or undefined number."""

NBSP = "\u00a0"
"""Non-breaking space, between a number and its per cent sign (as in the charts)."""


EXTRA_LABELS: dict[str, dict[str, str]] = {
    "code": {"de": "Code", "en": "Code"},
    "label": {"de": "Branche", "en": "Industry"},
    "flag": {"de": "Kennzeichen", "en": "Flag"},
    "region": {"de": "Region", "en": "Region"},
    "region_ref": {"de": "Regionskennung", "en": "Region key"},
    "reference": {"de": "Referenzgebiet", "en": "Reference area"},
    "year": {"de": "Jahr", "en": "Year"},
    "base_year": {"de": "Basisjahr", "en": "Base year"},
    "total_employment": {"de": "Beschäftigte insgesamt", "en": "Total employees"},
    "total_employment_base": {"de": "Beschäftigte insgesamt (Basisjahr)", "en": "Total employees (base year)"},
    "reference_total": {"de": "Beschäftigte Referenz", "en": "Reference employees"},
    "reference_total_base": {"de": "Beschäftigte Referenz (Basisjahr)", "en": "Reference employees (base year)"},
    "dynamic_national": {"de": "Konjunkturkomponente (dynamisch)", "en": "National share (dynamic)"},
    "dynamic_industry_mix": {"de": "Strukturkomponente (dynamisch)", "en": "Industry mix (dynamic)"},
    "dynamic_regional": {"de": "Standortkomponente (dynamisch)", "en": "Regional effect (dynamic)"},
    "krugman": {"de": "Krugman-Index", "en": "Krugman index"},
    "hoover": {"de": "Hoover-Koeffizient", "en": "Hoover coefficient"},
    "gini": {"de": "Gini-Koeffizient", "en": "Gini coefficient"},
    "herfindahl": {"de": "Herfindahl-Index", "en": "Herfindahl index"},
    "entropy": {"de": "Entropie", "en": "Entropy"},
    "related_variety": {"de": "Verwandte Vielfalt", "en": "Related variety"},
    "unrelated_variety": {"de": "Unverwandte Vielfalt", "en": "Unrelated variety"},
    "taxonomy": {"de": "Taxonomie", "en": "Taxonomy"},
    "cluster": {"de": "Cluster", "en": "Cluster"},
    "cluster_name": {"de": "Clustername", "en": "Cluster name"},
    "status": {"de": "Status", "en": "Status"},
    "reason": {"de": "Begründung", "en": "Reason"},
    "name": {"de": "Name", "en": "Name"},
    "level": {"de": "Ebene", "en": "Level"},
    "industry": {"de": "Branche", "en": "Industry"},
    "highlight": {"de": "Hervorgehoben", "en": "Highlighted"},
    "dataset_key": {"de": "Datensatz", "en": "Dataset"},
    "publisher": {"de": "Herausgeber", "en": "Publisher"},
    "licence": {"de": "Lizenz", "en": "Licence"},
    "attribution": {"de": "Namensnennung", "en": "Attribution"},
    "vintage": {"de": "Datenstand", "en": "Data vintage"},
    "threshold": {"de": "Schwelle", "en": "Threshold"},
    "measure": {"de": "Merkmal", "en": "Measure"},
    "classification": {"de": "Klassifikation", "en": "Classification"},
    "strong_in": {"de": "Stark in", "en": "Strong in"},
    "text": {"de": "Befund", "en": "Finding"},
    "a": {"de": "Region A", "en": "Region A"},
    "b": {"de": "Region B", "en": "Region B"},
    "growth_a": {"de": "Wachstum A", "en": "Growth A"},
    "growth_b": {"de": "Wachstum B", "en": "Growth B"},
    "gap": {"de": "Wachstumsdifferenz", "en": "Growth gap"},
    "structural": {"de": "Strukturbedingt", "en": "Due to structure"},
    "structural_share": {"de": "Strukturanteil an der Differenz", "en": "Share of the gap due to structure"},
    # peer regions (regiolens.analysis.peers)
    "rank": {"de": "Rang", "en": "Rank"},
    "distance": {"de": "Distanz", "en": "Distance"},
    "indicator:structure": {"de": "Branchenstruktur", "en": "Industry structure"},
    "indicator:size": {"de": "Größe", "en": "Size"},
    "indicator:growth": {"de": "Wachstum", "en": "Growth"},
    "indicator:population": {"de": "Bevölkerung", "en": "Population"},
    "indicator:density": {"de": "Bevölkerungsdichte", "en": "Population density"},
    "share_of_distance": {"de": "Anteil an der Distanz", "en": "Share of the distance"},
    # opportunities and strengths at risk (regiolens.analysis.opportunities)
    "eci": {"de": "Komplexität der Region (ECI)", "en": "Economic complexity (ECI)"},
    "density": {"de": "Dichte", "en": "Density"},
    "density_percentile": {"de": "Dichte-Perzentil", "en": "Density percentile"},
    "pci": {"de": "Komplexität (PCI)", "en": "Complexity (PCI)"},
    "national_growth": {"de": "Wachstum bundesweit", "en": "National growth"},
    "opportunity_gain": {"de": "Opportunity Gain", "en": "Opportunity gain"},
    "score": {"de": "Score", "en": "Score"},
    "contribution:density": {"de": "Beitrag Verwandtschaft", "en": "Contribution of relatedness"},
    "contribution:complexity": {"de": "Beitrag Komplexität", "en": "Contribution of complexity"},
    "contribution:growth": {"de": "Beitrag Wachstum", "en": "Contribution of growth"},
    "lq_base": {"de": "Standortquotient Basisjahr", "en": "LQ, base year"},
    "density_median": {"de": "Median-Dichte der Spezialisierten", "en": "Median density where specialised"},
    "declining": {"de": "Rückläufig", "en": "Declining"},
    "weakly_related": {"de": "Schwach eingebettet", "en": "Weakly embedded"},
    "at_risk": {"de": "Gefährdet", "en": "At risk"},
}
"""Labels of the columns the reports show beyond the fields of :data:`LABELS`."""

PHRASES: dict[str, dict[str, str]] = {
    "report": {"de": "Regionalprofil", "en": "Regional profile"},
    "comparison_report": {"de": "Regionalvergleich", "en": "Regional comparison"},
    "reference_is": {"de": "Referenz", "en": "Reference"},
    "base_year_is": {"de": "Basisjahr", "en": "base year"},
    "threshold_is": {"de": "Schwelle", "en": "Threshold"},
    "source_is": {"de": "Quelle", "en": "Source"},
    "vintage_is": {"de": "Datenstand", "en": "Data vintage"},
    "vintage_unknown": {"de": "unbekannt", "en": "unknown"},
    "no_data": {"de": "keine Daten", "en": "no data"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "not_strong": {"de": "nicht stark", "en": "not strong"},
    "highlighted": {"de": "Umrandet: betrachtete Region", "en": "Outlined: region profiled"},
    "lq_class": {"de": "Klasse", "en": "Class"},
    "vocabulary": {
        "de": "Konjunktur-/Struktur-/Standortkomponente = national share/industry mix/regional effect",
        "en": "National share/industry mix/regional effect = Konjunktur-/Struktur-/Standortkomponente",
    },
    "component": {"de": "Komponente", "en": "Component"},
    "persons": {"de": "Personen", "en": "persons"},
    "map_title": {"de": "Standortquotient {industry}", "en": "Location quotient, {industry}"},
    "bubble_title": {"de": "Branchenportfolio", "en": "Industry portfolio"},
    "bubble_subtitle": {
        "de": "Wachstum {base_year}–{year} und Standortquotient {year}; Fläche: Beschäftigte",
        "en": "Growth {base_year}–{year} and location quotient {year}; area: employees",
    },
    "shift_title": {"de": "Shift-Share-Analyse", "en": "Shift-share analysis"},
    "shift_subtitle": {
        "de": "Veränderung der Beschäftigten {base_year}–{year} nach Komponenten (Personen)",
        "en": "Change in employees {base_year}–{year} by component (persons)",
    },
    "comparison_title": {"de": "Standortquotienten im Vergleich", "en": "Location quotients compared"},
    "not_shown": {
        "de": "Nicht dargestellt (Werte fehlen oder sind geheim): {items}",
        "en": "Not shown (values missing or suppressed): {items}",
    },
    "largest_shown": {
        "de": "Dargestellt: die {n} größten von {total} Branchen nach Beschäftigten; alle in der Tabelle.",
        "en": "Shown: the {n} largest of {total} industries by employees; all in the table.",
    },
    "labelled": {
        "de": "Beschriftet: {n} von {total} Branchen (die starken, dann die größten, ohne Überdeckung); alle Werte "
        "in der Tabelle.",
        "en": "Labelled: {n} of {total} industries (the strong ones, then the largest, without overlap); all values "
        "in the table.",
    },
    "small_number_note": {
        "de": "* kleine Fallzahl: mit Vorsicht lesen",
        "en": "* small number: read with care",
    },
    "opportunity_title": {"de": "Chancen {region}", "en": "Opportunities, {region}"},
    "opportunity_subtitle": {
        "de": "Branchen mit Standortquotient unter 1, {year}: Verwandtschaft (Dichte) und Komplexität (PCI)",
        "en": "Industries with a location quotient below 1, {year}: relatedness (density) and complexity (PCI)",
    },
    "score_above": {"de": "über 0", "en": "above 0"},
    "score_below": {"de": "0 oder darunter", "en": "0 or below"},
    "opportunity_score": {
        "de": "Score über 0: besser als der mittlere Kandidat nach Dichte, PCI und Wachstum.",
        "en": "Score above 0: better than the middle candidate by density, PCI and growth.",
    },
    "opportunity_labelled": {
        "de": "Nummeriert: die {n} besten Chancen; alle in der Tabelle.",
        "en": "Numbered: the {n} best opportunities; all in the table.",
    },
}
"""Words and sentence templates of the reports beyond the field labels."""

STATUS: dict[str, dict[str, str]] = {
    "exact": {"de": "exakt", "en": "exact"},
    "approximation": {"de": "Näherung", "en": "approximation"},
    "not_resolvable": {"de": "nicht auflösbar", "en": "not resolvable"},
}
"""Names of the resolution status of a cluster."""

FLAGS: dict[str, dict[str, str]] = {
    "none": {"de": "", "en": ""},
    "suppressed": {"de": "geheim", "en": "suppressed"},
    "estimated": {"de": "geschätzt", "en": "estimated"},
    "provisional": {"de": "vorläufig", "en": "provisional"},
    "unavailable": {"de": "nicht verfügbar", "en": "not available"},
    "partial": {"de": "Untergrenze (Teile geheim)", "en": "lower bound (parts suppressed)"},
    "missing": {"de": "fehlt", "en": "missing"},
}
"""Names of the quality flags of :class:`regiolens.model.Flag`."""


LEVELS: dict[str, dict[str, str]] = {
    "de:bund": {"de": "Bund", "en": "Germany"},
    "de:land": {"de": "Länder", "en": "states"},
    "de:regbez": {"de": "Regierungsbezirke", "en": "government regions"},
    "de:kreis": {"de": "Kreise", "en": "districts"},
    "de:gemeinde": {"de": "Gemeinden", "en": "municipalities"},
    "nuts3": {"de": "NUTS-3-Regionen", "en": "NUTS 3 regions"},
}
"""Names of region levels in the plural, for "the 401 Kreise" (unknown levels are shown by their key)."""


def level_name(level: str, lang: Lang) -> str:
    """The plural name of a region level (``de:kreis`` → ``Kreise``); the key itself when none is known."""
    entry = LEVELS.get(level)
    return entry[lang] if entry else level


def universe_text(universe: str, lang: Lang) -> str:
    """An :class:`~regiolens.analysis.results.Opportunities` universe, ``"401 de:kreis"`` → ``401 Kreise``."""
    count, _, level = universe.partition(" ")
    if not count.isdigit() or not level:
        return universe
    return f"{num(int(count), lang)} {level_name(level, lang)}"


def reference_name(ref: str, lang: Lang) -> str:
    """A reference area in words: Germany for the national reference (``DG``), else the reference as given."""
    return name("Deutschland", "Germany", lang) if ref in (GERMANY_CODE, "de") else ref


def check_lang(lang: str) -> Lang:
    """``lang`` as a :data:`Lang`; anything but ``"de"`` or ``"en"`` is a :class:`RegiolensError`."""
    if lang not in LOCALES:
        raise RegiolensError(f"report language must be 'de' or 'en', not {lang!r}")
    return cast(Lang, lang)


def locale(lang: Lang) -> str:
    """The Babel locale of a report language (``de_DE`` or ``en_GB``)."""
    return LOCALES[lang]


def label(key: str, lang: Lang) -> str:
    """The label of a result field or report column in ``lang``; the key itself when none is known."""
    entry = LABELS.get(key) or EXTRA_LABELS.get(key)
    return entry[lang] if entry else key


def phrase(key: str, lang: Lang, **values: object) -> str:
    """A phrase of :data:`PHRASES` in ``lang`` with ``{placeholders}`` filled from ``values``."""
    text = PHRASES[key][lang]
    return text.format(**values) if values else text


def status_label(status: str, lang: Lang) -> str:
    """The resolution status of a cluster in words (unknown statuses are shown as they are)."""
    entry = STATUS.get(status)
    return entry[lang] if entry else status


def flag_label(flag: str, lang: Lang) -> str:
    """A quality flag in words; the empty string for ``none``."""
    entry = FLAGS.get(flag)
    return entry[lang] if entry else flag


T = TypeVar("T")


def known(value: float | None) -> float | None:
    """``value``, or ``None`` when it is missing or not a finite number (NaN stands for "no value" too)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def finite(item: T) -> T:
    """A copy of a result dataclass with every non-finite float field (NaN, ±inf) set to ``None``."""
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return item
    changes: dict[str, Any] = {
        f.name: None
        for f in dataclasses.fields(item)
        if isinstance(v := getattr(item, f.name), float) and not math.isfinite(v)
    }
    return dataclasses.replace(item, **changes) if changes else item


def num(value: float | int | None, lang: Lang, digits: int | None = None) -> str:
    """A number in the report's format (``45.678``, ``1,25``, ``−2.622``); :data:`MISSING` for ``None``/NaN."""
    value = known(value)
    if value is None:
        return MISSING
    return format_number(value, digits=digits, locale=locale(lang))


def pct(value: float | None, lang: Lang, digits: int = 1) -> str:
    """A ratio as a percentage (``−2,8 %``, non-breaking space); :data:`MISSING` for ``None``/NaN."""
    value = known(value)
    if value is None:
        return MISSING
    return format_share(value, digits=digits, locale=locale(lang)).replace(" %", NBSP + "%")


def name(de: str, en: str, lang: Lang) -> str:
    """The German or English one of two names."""
    return de if lang == "de" else en


def notes(result: Any, lang: Lang) -> list[str]:
    """The notes of a profile, peers or opportunities result in ``lang`` (``notes`` German, ``notes_en`` English)."""
    english = getattr(result, "notes_en", None)
    return list(english if lang == "en" and english else result.notes)


def reason(item: Any, lang: Lang) -> str:
    """Why a cluster is (not) resolvable, in ``lang`` (``reason`` English, ``reason_de`` German)."""
    german = str(getattr(item, "reason_de", None) or "")
    return german if lang == "de" and german else str(item.reason)


def industry_names(profiles: Sequence[Profile], codes: Iterable[str], lang: Lang) -> list[str]:
    """The names of industries (or clusters) given by code, as the profiles label them; unknown codes as they are."""
    names: dict[str, str] = {}
    for p in profiles:
        for r in p.industries:
            names.setdefault(r.code, name(r.label_de, r.label_en, lang))
        for c in p.clusters:
            names.setdefault(c.cluster, name(c.name_de, c.name_en, lang))
    return [names.get(code, code) for code in codes]


def threshold_text(threshold: Threshold, lang: Lang) -> str:
    """A threshold preset with its description, e.g. ``lq>=1.25 (Standortquotient mindestens 1,25)``."""
    return f"{threshold.preset} ({name(threshold.description_de, threshold.description_en, lang)})"


def vintages(sources: Iterable[SourceRef], lang: Lang) -> str:
    """The data vintages of the sources as dates in ``lang``, distinct and in order; "unbekannt" when none is known."""
    found = list(dict.fromkeys(vintage_text(s.vintage, lang) for s in sources if s.vintage))
    return "; ".join(found) if found else phrase("vintage_unknown", lang)


_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def vintage_date(vintage: str) -> date | None:
    """The day of a source's vintage as the sources write it: ``17.08.2021 / 20:24:09`` (GENESIS), ``2018-12-31``,
    ``2026-07-31T23:00:00+0200`` (Eurostat); ``None`` when it names no day (then it is shown as written).

    A report names the day, not the second of an export.
    """
    text = vintage.strip()
    for pattern, order in ((_GERMAN_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(match.group(i)) for i in order))
            except ValueError:
                return None
    return None


def vintage_text(vintage: str, lang: Lang) -> str:
    """A source's vintage as a date in ``lang`` (``17.08.2021``, ``17 Aug 2021``), else as the source wrote it."""
    day = vintage_date(vintage)
    return date_text(day, lang) if day else vintage.strip()


def date_text(day: date, lang: Lang, form: str = "medium") -> str:
    """A date in the language's format: ``17.08.2021`` in German, ``17 Aug 2021`` in English (Babel, CLDR)."""
    return format_date(day, format=form, locale=locale(lang))


def attributions(sources: Iterable[SourceRef], extra: Sequence[str] = ()) -> list[str]:
    """The attribution lines the licences require, distinct and in order."""
    return list(dict.fromkeys([*(s.attribution for s in sources), *extra]))


def years(profile: Profile) -> str:
    """The period of a profile, e.g. ``2018–2023``."""
    return f"{profile.base_year}–{profile.year}"


def caption(
    lang: Lang,
    *,
    reference: str,
    period: str,
    threshold: Threshold | None,
    attribution: Sequence[str],
    vintage: str | None,
    notes: Sequence[str] = (),
) -> list[str]:
    """The lines under a chart: reference area and period, threshold preset, data vintage, attribution."""
    lines = [f"{phrase('reference_is', lang)}: {reference} · {period}"]
    if threshold is not None:
        lines.append(f"{phrase('threshold_is', lang)}: {threshold_text(threshold, lang)}")
    lines.extend(notes)
    lines.append(f"{phrase('vintage_is', lang)}: {vintage or phrase('vintage_unknown', lang)}")
    lines.extend(f"{phrase('source_is', lang)}: {a}" for a in attribution)
    return lines


def profile_caption(profile: Profile, lang: Lang, notes: Sequence[str] = ()) -> list[str]:
    """:func:`caption` for a chart of one profile."""
    return caption(
        lang,
        reference=profile.reference.name,
        period=f"{profile.year}, {phrase('base_year_is', lang)} {profile.base_year}",
        threshold=profile.threshold,
        attribution=attributions(profile.sources),
        vintage=vintages(profile.sources, lang),
        notes=notes,
    )
