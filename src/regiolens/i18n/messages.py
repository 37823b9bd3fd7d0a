"""What regiolens says to people, in German and English, in one place: message kinds with both templates.

A *kind* is one form of sentence (``missing_column``, ``base_year_after_year``, ``cells_counted_as_zero`` …)
with a German and an English template (``{placeholders}`` filled by :func:`render`). Code that writes a note
or a reason for people asks for it by kind (:func:`both` gives the pair that a result stores as ``…_de`` and
``…_en``), so that the page, the PDF, the workbook and the JSON API say the same thing in each language.

Errors are the exception to that rule, by decision: the readers and the analysis raise
:class:`regiolens.errors.InputError` and :class:`regiolens.errors.RegiolensError` with an English message
(the CLI's language, tested in many places), and about two hundred raise sites should not be rewritten to
show a message in German. Instead, the error kinds carry a *pattern* that recognises the English wording
(named groups become the placeholders), and :func:`translate` renders a recognised message in the reader's
language. A message no pattern knows is shown as it is (English): :func:`recognise` returning ``None`` is the
signal to say so. New code may name the kind itself (``InputError(…, kind="empty_value")``); a test keeps the
patterns in step with the messages the readers actually write.

Placeholders: numbers that are floats are formatted in the language's locale (decimal comma, true minus),
``int`` as digits (years, line numbers, counts; a negative one with the true minus); a :class:`Bilingual`
value gives each language its own word; a list is joined with commas; a value written quoted (``'29.10'``, as
``repr`` quotes it) is quoted the German way („29.10“) in German.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple

from regiolens.i18n import MINUS, format_number

Lang = Literal["de", "en"]

_LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}


class Bilingual(NamedTuple):
    """A word or phrase that differs by language (a placeholder's value)."""

    de: str
    en: str

    def pick(self, lang: str) -> str:
        return self.de if lang == "de" else self.en


@dataclass(frozen=True)
class Kind:
    """One form of message: German and English template, and (for errors) the pattern of the English text."""

    de: str
    en: str
    pattern: str | None = None


def _k(de: str, en: str, pattern: str | None = None) -> Kind:
    return Kind(de, en, pattern)


_Q = r"(?P<{}>'[^']*'|\"[^\"]*\")"  # a value as repr() quotes it


def _q(name: str) -> str:
    return _Q.format(name)


INPUT_KINDS: dict[str, Kind] = {
    # files and formats
    "no_such_file": _k("Datei nicht gefunden", "no such file", r"no such file"),
    "format_not_recognised": _k(
        "Format nicht erkannt; bitte das Format auswählen ({names})",
        "format not recognised; name it with --source ({names})",
        r"format not recognised; name it with --source \((?P<names>.*)\)",
    ),
    "unknown_source": _k(
        "unbekanntes Format {source}; bekannt sind: {known}",
        "unknown source {source}; known: {known}",
        rf"unknown (?:source|format) {_q('source')}; known: (?P<known>.*)",
    ),
    "not_utf8": _k(
        "keine UTF-8-Textdatei; falsche Zeichenkodierung?",
        "not UTF-8 text; wrong encoding?",
        r"(?:cannot be decoded as UTF-8; wrong encoding\?|not UTF-8(?: JSON)? text.*)",
    ),
    "nul_bytes": _k(
        "enthält NUL-Bytes: kein {encoding}-Text (UTF-16?)",
        "contains NUL bytes: not {encoding} text (UTF-16?)",
        r"contains NUL bytes: not (?P<encoding>\S+) text \(UTF-16\?\)",
    ),
    "malformed_csv": _k(
        "fehlerhaftes CSV (Meldung des Parsers: {detail})",
        "malformed CSV: {detail}",
        r"malformed CSV: (?P<detail>.*)",
    ),
    "not_valid_json": _k(
        "kein gültiges JSON (Meldung des Parsers: {detail})",
        "not valid JSON: {detail}",
        r"not valid JSON: (?P<detail>.*)",
    ),
    "cannot_open_xlsx": _k(
        "lässt sich nicht als Excel-Datei (XLSX) öffnen ({detail})",
        "cannot open as XLSX: {detail}",
        r"cannot open as XLSX: (?P<detail>.*)",
    ),
    # header and columns
    "no_header": _k("leere Datei: keine Kopfzeile", "empty file: no header line", r"empty file: no header line"),
    "missing_column": _k(
        "Spalte {column} fehlt (Kopfzeile: {header})",
        "missing column {column}; header: {header}",
        rf"missing column {_q('column')}(?: in header |; (?:header|columns): )(?P<header>.*)",
    ),
    "missing_fields": _k(
        "Spalte fehlt: {found} von {expected} Feldern",
        "missing column: {found} of {expected} fields",
        r"missing column: (?P<found>\d+) of (?P<expected>\d+) fields",
    ),
    "missing_fields_truncated": _k(
        "Spalte fehlt: {found} von {expected} Feldern; die Datei endet in dieser Zeile – abgeschnitten?",
        "missing column: {found} of {expected} fields; the file ends in this line: truncated?",
        r"missing column: (?P<found>\d+) of (?P<expected>\d+) fields; the file ends in this line: truncated\?",
    ),
    "field_count": _k(
        "{found} Felder, die Kopfzeile nennt {expected}",
        "{found} fields where the header has {expected}",
        r"(?P<found>\d+) fields where the header (?:has|declares) (?P<expected>\d+)",
    ),
    "file_ends_before_header": _k(
        "die Datei endet vor der Kopfzeile", "file ends before the header line", r"file ends before the header line"
    ),
    # values
    "empty_value": _k("leerer Wert", "empty value", r"empty(?: value)?"),
    "empty_value_without_flag": _k(
        "leerer Wert ohne Kennzeichen, das ihn erklärt",
        "empty value without a flag that explains it",
        r"empty value without a flag that explains it",
    ),
    "not_a_number_or_symbol": _k(
        "keine Zahl und kein statistisches Zeichen: {value}",
        "not a number or statistical symbol: {value}",
        r"not a number or statistical symbol: (?P<value>.*)",
    ),
    "not_a_number": _k("keine Zahl: {value}", "not a number: {value}", r"not a number: (?P<value>.*)"),
    "negative_employees": _k("negative Zahl von Beschäftigten", "negative employee count", r"negative employee count"),
    "infinite_value": _k("unendlicher Wert", "infinite value", r"infinite value"),
    "unknown_flag": _k("unbekanntes Kennzeichen {flag}", "unknown flag {flag}", rf"unknown flag {_q('flag')}"),
    # regions and industries
    "not_kreis_key": _k(
        "kein fünfstelliger Kreisschlüssel (AGS wie 05562): {value}",
        "not a 5-digit Kreis key (AGS such as 05562): {value}",
        r"not a 5-digit Kreis key(?: \(AGS such as 05562\))?: (?P<value>.*)",
    ),
    "kreis_twice": _k(
        "Kreis {code} steht zweimal in der Datei (zuerst in Zeile {first})",
        "Kreis {code} listed twice (first on line {first})",
        r"Kreis (?P<code>\S+) listed twice \(first on line (?P<first>\d+)\)",
    ),
    "not_nuts3": _k(
        "kein deutscher NUTS-3-Code: {value}",
        "not a German NUTS 3 code: {value}",
        r"not a German NUTS 3 code: (?P<value>.*)",
    ),
    "no_kreis_rows": _k(
        "keine Kreiszeilen unter der Kopfzeile", "no Kreis rows below the header", r"no Kreis rows below the header"
    ),
    "unknown_region_code": _k(
        "unbekannter Regionalschlüssel {code}",
        "unknown region code {code}",
        rf"unknown region code {_q('code')}",
    ),
    "unknown_industry_group": _k(
        "unbekannte Wirtschaftszweig-Gruppe {value}",
        "unknown industry group {value}",
        rf"unknown industry group {_q('value')}",
    ),
    "unknown_region_level": _k(
        "unbekannte Regionsebene {level}",
        "unknown region level {level}",
        rf"unknown region level {_q('level')}.*",
    ),
    # GENESIS exports (Regionalstatistik)
    "not_genesis": _k(
        "keine Zeile „GENESIS-Tabelle:“ – kein GENESIS-Export",
        "no 'GENESIS-Tabelle:' line: not a GENESIS export",
        r"no 'GENESIS-Tabelle:' line: not a GENESIS export",
    ),
    "no_reference_date": _k(
        "der Kopf nennt keinen Stichtag („Stichtag:“ oder „Jahr:“)",
        "header names no reference date ('Stichtag:' or 'Jahr:')",
        r"header names no reference date \('Stichtag:' or 'Jahr:'\)",
    ),
    "header_incomplete": _k(
        "Tabellenkopf unvollständig: Datei abgeschnitten?",
        "header block incomplete: file truncated?",
        r"header block incomplete: file truncated\?",
    ),
    "ends_before_footer": _k(
        "die Datei endet vor dem Tabellenfuß („__________“): abgeschnitten?",
        "file ends before the table footer ('__________'): truncated?",
        r"file ends before the table footer \('_+'\): truncated\?",
    ),
    "genesis_columns": _k(
        "diese Leseroutine liest Tabellen mit den Spalten Regionalschlüssel, Name und Wirtschaftszweig",
        "this reader handles tables with region code, name and Wirtschaftszweig columns",
        r"this reader handles tables with region code, name and Wirtschaftszweig columns",
    ),
    # options of the generic reader
    "option_required": _k(
        "die Angabe {option} fehlt", "option {option} is required", rf"option {_q('option')} is required.*"
    ),
    "no_year_in_name": _k(
        "kein Jahr im Datei- oder Ordnernamen (z. B. „…-2016.csv“); bitte das Jahr angeben",
        "no year in the file name (e.g. '…-2016.csv'); give the 'year' option",
        r"no year in the (?:file|file or folder) name.*",
    ),
}
"""Messages of the readers (:class:`regiolens.errors.InputError`), recognised by their English wording."""

ERROR_KINDS: dict[str, Kind] = {
    "base_year_after_year": _k(
        "Das Basisjahr ({base_year}) muss vor dem Jahr ({year}) liegen.",
        "the base year ({base_year}) must lie before the year ({year})",
        r"the base year \((?P<base_year>-?\d+)\) must lie before the year \((?P<year>-?\d+)\)",
    ),
    "no_data_for_years": _k(
        "Keine Daten für {years}; vorhanden sind die Jahre {available}.",
        "no data for {years}; available: {available}",
        r"no data for (?P<years>[-\d, ]+); available: \[?(?P<available>[^\]]*)\]?",
    ),
    "unknown_threshold": _k(
        "Unbekannte Schwelle {value}; möglich sind: {choices}.",
        "unknown threshold {value}; choose from {choices}",
        rf"unknown threshold {_q('value')}; choose from (?P<choices>.*)",
    ),
    "whole_number": _k(
        "Ungültige Angabe „{name}“: nötig ist eine ganze Zahl, nicht {value}.",
        "{name} must be a whole number, not {value}",
        rf"(?P<name>\w+) must be a whole number, not {_q('value')}",
    ),
    "out_of_range": _k(
        "Ungültige Angabe „{name}“: erlaubt sind {low} bis {high}, nicht {value}.",
        "{name} must lie between {low} and {high}, not {value}",
        r"(?P<name>\w+) must lie between (?P<low>-?\d+) and (?P<high>-?\d+), not (?P<value>-?\d+)",
    ),
    "n_at_least_one": _k("n muss mindestens 1 sein.", "n must be at least 1", r"n must be at least 1"),
    "unknown_region": _k(
        "{ref} ist weder ein Regionalschlüssel (AGS wie 05562, nuts:DEA36, us:26163) noch eine Regionsgruppe "
        "({groups}).",
        "{ref} is neither a region code (AGS such as 05562, nuts:DEA36, us:26163) nor a group ({groups})",
        rf"{_q('ref')} is neither a region code \(AGS such as 05562, nuts:DEA36, us:26163\) nor a group "
        r"\((?P<groups>.*)\)",
    ),
    "region_not_in_warehouse": _k(
        "Die Region {code} ({level}) ist nicht in der Datenbasis.",
        "region {code} ({level}) is not in the warehouse",
        r"region (?P<code>\S+) \((?P<level>[^)]*)\) is not in the warehouse",
    ),
    "name_a_region": _k(
        "Bitte eine Region angeben (einen Schlüssel wie 05562 oder eine Gruppe wie emscher-lippe).",
        "name a region (a code such as 05562 or a group such as emscher-lippe)",
        r"name a region \(a code such as 05562 or a group such as emscher-lippe\)",
    ),
    "comparison_needs_two": _k(
        "Ein Vergleich braucht mindestens zwei Regionen.",
        "a comparison needs at least two regions",
        r"a comparison needs at least two regions.*",
    ),
    "no_data_import_first": _k(
        "Keine Daten ({measure}, {classification}); bitte zuerst Daten importieren.",
        "no {measure} data in {classification}; import data first",
        rf"no {_q('measure')} data in (?P<classification>\S+)(?: for \S+)?; import data first",
    ),
    "unknown_industry": _k(
        "{industry} ist keine der Branchen {choices}.",
        "{industry} is not one of {choices}",
        rf"{_q('industry')} is not one of (?P<choices>.*)",
    ),
    "unknown_indicators": _k(
        "Unbekannte Merkmale {unknown}; möglich sind: {choices}.",
        "unknown indicator(s) {unknown}; choose from {choices}",
        r"unknown indicator\(s\) (?P<unknown>.*); choose from (?P<choices>.*)",
    ),
    "weights_not_selected": _k(
        "Gewichte für nicht gewählte Merkmale: {extra} (gewählt: {selected}).",
        "weights for indicators not selected: {extra} (selected: {selected})",
        r"weights for indicators not selected: (?P<extra>.*) \(selected: (?P<selected>.*)\)",
    ),
    "weights_range": _k(
        "Gewichte müssen zwischen 0 und {high} liegen: {weights}.",
        "weights must lie between 0 and {high}: {weights}",
        r"weights must lie between 0 and (?P<high>\S+): (?P<weights>.*)",
    ),
    "weight_positive": _k(
        "Mindestens ein Gewicht muss positiv sein.",
        "at least one weight must be positive",
        r"at least one weight must be positive",
    ),
    "weights_syntax": _k(
        "Gewichte werden als name=2,andere=1 geschrieben, nicht {text}.",
        "weights look like name=2,other=1, not {text}",
        rf"weights look like name=2,other=1, not {_q('text')}",
    ),
    "unknown_within": _k(
        "Unbekannter Suchraum {within}; möglich sind: {choices}.",
        "unknown --within {within}; available: {choices}",
        rf"unknown --within {_q('within')}; available: (?P<choices>.*)",
    ),
    "no_table": _k(
        "Keine Tabelle {table}; möglich sind: {choices}.",
        "no table {table}; choose {choices}",
        rf"no table {_q('table')}; choose (?P<choices>.*)",
    ),
    "no_chart": _k(
        "Keine Grafik {chart}; möglich sind: {choices}.",
        "no chart {chart}; choose {choices}",
        rf"no chart {_q('chart')}; choose (?P<choices>.*)",
    ),
    "report_format": _k(
        "Berichte gibt es als pdf oder xlsx, nicht {ext}.",
        "reports are pdf or xlsx, not {ext}",
        rf"reports are pdf or xlsx, not {_q('ext')}",
    ),
    "chart_format": _k(
        "Grafiken gibt es als svg oder png, nicht {ext}.",
        "charts are svg or png, not {ext}",
        rf"charts are svg or png, not {_q('ext')}",
    ),
    "unknown_taxonomy": _k(
        "Unbekannte Cluster-Taxonomie {taxonomy}.",
        "unknown taxonomy {taxonomy}",
        rf"unknown taxonomy {_q('taxonomy')}.*",
    ),
    "no_warehouse": _k(
        "Noch keine Daten: Die Datenbasis ist leer. Importieren Sie Daten auf der Seite „Daten“ oder mit "
        "„regiolens data import“ (oder „make demo“).",
        "No data yet: the warehouse is empty. Import data on the Data page or with `regiolens data import` "
        "(or `make demo`).",
    ),
    # accounts (regiolens.web.accounts): what an administrator or a user can act on
    "bad_slug": _k(
        "Kurzname {slug}: nur Kleinbuchstaben, Ziffern und Bindestriche im Innern, höchstens 64 Zeichen.",
        "slug {slug}: lower-case letters, digits and inner hyphens, at most 64",
        rf"(?:\w+ )?slug {_q('slug')}: lower-case letters, digits and inner hyphens, at most 64",
    ),
    "bad_name_length": _k(
        "Der Name muss 1 bis {n} Zeichen haben.",
        "the name must have 1 to {n} characters",
        r"the (?:\w+ )?name must have 1 to (?P<n>\d+) characters",
    ),
    "no_organisation": _k("Keine Organisation {slug}.", "no organisation {slug}", rf"no organisation {_q('slug')}"),
    "no_network": _k("Kein Netzwerk {slug}.", "no network {slug}", rf"no network {_q('slug')}"),
    "organisation_exists": _k(
        "Die Organisation {slug} gibt es schon.",
        "organisation {slug} exists already",
        rf"organisation {_q('slug')} exists already",
    ),
    "network_exists": _k(
        "Das Netzwerk {slug} gibt es schon.", "network {slug} exists already", rf"network {_q('slug')} exists already"
    ),
    "no_user": _k("Kein Benutzer {email}.", "no user {email}", rf"no user {_q('email')}"),
    "not_an_email": _k(
        "{email} ist keine E-Mail-Adresse.",
        "{email} is not an e-mail address",
        rf"{_q('email')} is not an e-mail address",
    ),
    "email_taken": _k(
        "Es gibt schon einen Benutzer mit der E-Mail-Adresse {email}.",
        "a user with the e-mail address {email} exists already",
        rf"a user with the e-mail address {_q('email')} exists already",
    ),
    "password_too_short": _k(
        "Das Passwort muss mindestens {n} Zeichen haben.",
        "the password must have at least {n} characters",
        r"the password must have at least (?P<n>\d+) characters",
    ),
    "not_a_member": _k(
        "{email} ist kein Mitglied der Organisation {organisation}.",
        "{email} is no member of organisation {organisation}",
        rf"{_q('email')} is no member of organisation {_q('organisation')}",
    ),
    "last_admin": _k(
        "{email} ist die letzte Administratorin bzw. der letzte Administrator der Organisation {organisation}.",
        "{email} is the last admin of organisation {organisation}",
        rf"{_q('email')} is the last admin of organisation {_q('organisation')}",
    ),
    "already_member": _k(
        "{email} ist schon Mitglied der Organisation {organisation}.",
        "{email} is a member of organisation {organisation} already",
        rf"{_q('email')} is a member of organisation {_q('organisation')} already",
    ),
    "role_needed": _k(
        "Dafür ist die Rolle „{needed}“ in der Organisation {where} nötig (Ihre: „{role}“).",
        "this needs the role {needed} in organisation {where} (yours: {role})",
        rf"this needs the role (?P<needed>\w+) in organisation {_q('where')} \(yours: (?P<role>\w+)\)",
    ),
}
"""Messages of the analysis and the pages (:class:`regiolens.errors.RegiolensError`)."""

RESOLUTION_KINDS: dict[str, Kind] = {
    "exact": _k("exakt auf {data}{tail}", "exact on {data}{tail}"),
    "approximation": _k(
        "Näherung auf {data}: gröbere Codes stehen für feinere – {parts}; Außenanteile zählen feinste Codes, "
        "nicht Beschäftigte{tail}",
        "approximation on {data}: coarser codes stand in — {parts}; outside shares count finest codes, "
        "not employment{tail}",
    ),
    "proxy": _k("{code} für {stands_for} ({outside} außerhalb)", "{code} for {stands_for} ({outside} outside)"),
    "too_coarse": _k(
        "nicht auflösbar auf {data}: Die Daten enthalten den Cluster nur innerhalb von {codes}, gröber als die "
        "Ebene „{level}“ der {classification}; der Cluster braucht feinere Daten{tail}",
        "not resolvable on {data}: the data hold the cluster only within {codes}, coarser than one "
        "{classification} {level}; the cluster needs finer data{tail}",
    ),
    "none_held": _k(
        "nicht auflösbar auf {data}: Die Daten enthalten keinen Code des Clusters",
        "not resolvable on {data}: the data hold none of the cluster's codes",
    ),
    "missing_rows": _k("; keine Zeilen in den Daten für {codes}", "; no rows in the data for {codes}"),
}
"""Why a cluster can or cannot be computed on a data set (:mod:`regiolens.clusters.resolve`)."""

NOTE_KINDS: dict[str, Kind] = {
    # profile
    "profile_basis": _k(
        "Anteile und Standortquotienten über die {n} überschneidungsfreien Wirtschaftszweige ({classification}); "
        "Referenz: {reference}.",
        "Shares and location quotients over the {n} non-overlapping industries ({classification}); "
        "reference: {reference}.",
    ),
    "cells_incomplete": _k(
        "Zellen ohne vollständigen Wert im Jahr {year}: {codes}", "Cells without a complete value in {year}: {codes}"
    ),
    "percentiles_over_level": _k(
        "{rule}: Perzentile über alle {n} Regionen der Ebene", "{rule}: percentiles over all {n} regions of the level"
    ),
    # strength rules (regiolens.metrics.strength)
    "establishments_missing": _k(
        "Betriebszahlen fehlen: Die Bedingung „Betriebe > {p}(Betriebe)“ entfällt; das nähert die Regel {rule} "
        "nur an und kann mehr Zellen als stark zählen als die Regel selbst",
        "establishment counts missing: the condition 'establishments > {p}(establishments)' was dropped, so this "
        "approximates {rule} and may count more cells as strong than the rule as defined",
    ),
    "cells_unknown": _k(
        "{n} Zelle(n) mit unbekannten Werten: nicht eingestuft und bei den Perzentilen ausgelassen",
        "{n} cell(s) with unknown values: not classified, and left out of the percentiles",
    ),
    # peers and opportunities
    "cells_counted_as_zero": _k(
        "{n} Zellen ohne Wert (geheim gehalten o. ä.) als 0 gezählt.",
        "{n} cells without a value (suppressed or similar) counted as 0.",
    ),
    "group_summed_peers": _k(
        "{group} aus den Mitgliedern summiert; Mitglieder sind keine Kandidaten.",
        "{group} summed from its members; the members are no candidates.",
    ),
    "group_summed_opportunities": _k(
        "{group} aus den Mitgliedern summiert; die Mitglieder bilden mit allen anderen Regionen die Vergleichsmenge.",
        "{group} summed from its members; the members and all other regions form the comparison set.",
    ),
    "peers_distance": _k(
        "Distanz = Wurzel aus Σ_k w_k · d_k², d_k² = mittlere quadrierte Differenz der über {n} Kandidaten ({level}) "
        "standardisierten Werte des Indikators k; Gewichte {weights}.",
        "Distance = square root of Σ_k w_k · d_k², d_k² = mean squared difference of the values of indicator k "
        "standardised over {n} candidates ({level}); weights {weights}.",
    ),
    "peers_structure": _k(
        "Struktur: Anteile der überschneidungsfreien Wirtschaftszweige {industries}",
        "structure: shares of the non-overlapping industries {industries}",
    ),
    "peers_size": _k("Größe: Logarithmus der {persons} ({source})", "size: logarithm of the {persons} ({source})"),
    "peers_growth": _k("Wachstum der {persons} {base_year} → {year}", "growth of the {persons} {base_year} → {year}"),
    "peers_population": _k(
        "Bevölkerung: Logarithmus der Einwohner ({year})", "population: logarithm of the inhabitants ({year})"
    ),
    "peers_density": _k(
        "Dichte: Logarithmus der Einwohner ({year}) je km² ({area_year})",
        "density: logarithm of the inhabitants ({year}) per km² ({area_year})",
    ),
    "peers_no_growth": _k(
        "Wachstum entfällt: die Daten ({source}) enthalten nur das Jahr {year}.",
        "No growth: the data ({source}) hold only the year {year}.",
    ),
    "peers_as_nuts3": _k(
        "{region} als NUTS-3: {members} (NUTS-Codes der Kreise {kreise}).",
        "{region} as NUTS 3: {members} (NUTS codes of the Kreise {kreise}).",
    ),
    "peers_as_kreis": _k("{region} als Kreis: {members}.", "{region} as Kreis: {members}."),
    "peers_no_population": _k(
        "Bevölkerung und Bevölkerungsdichte liegen im Warehouse für {level} nicht vor{hint}.",
        "Population and population density are not in the warehouse for {level}{hint}.",
    ),
    "peers_import_districts": _k(" (districts.csv importieren)", " (import districts.csv)"),
    "peers_extra_regio": _k(
        "Extra-Regio ohne Gebietsbezug sind keine Kandidaten: {codes}.",
        "Extra-Regio units without a territory are no candidates: {codes}.",
    ),
    "peers_left_out": _k(
        "Ohne vollständige Angaben ausgelassen ({n}): {codes}", "Left out for incomplete data ({n}): {codes}"
    ),
    "and_more": _k(" und {n} weitere", " and {n} more"),
    "opportunities_presence": _k(
        "Präsenz: Standortquotient ≥ 1 gegenüber der Summe der {n} Regionen der Ebene {level} im Jahr {year}; "
        "Nähe (Proximity) = gemeinsames Auftreten / größere Ubiquität; Dichte = Anteil der verwandten "
        "Wirtschaftszweige, die die Region hat.",
        "Presence: location quotient ≥ 1 against the sum of the {n} regions of level {level} in {year}; "
        "proximity = co-occurrence / the larger ubiquity; density = share of the related industries the region has.",
    ),
    "opportunities_rank": _k(
        "Chancen: Wirtschaftszweige mit Standortquotient < 1, Rang nach gewichtetem Mittel der zentrierten "
        "Perzentilränge von Dichte, Komplexität (PCI) und bundesweitem Wachstum {period}; Gewichte {weights}.",
        "Opportunities: industries with a location quotient < 1, ranked by the weighted mean of the centred "
        "percentile ranks of density, complexity (PCI) and national growth {period}; weights {weights}.",
    ),
    "opportunities_at_risk": _k(
        "Gefährdete Stärken: Standortquotient um mindestens {decline} gesunken oder Dichte unter dem Median der "
        "darauf spezialisierten Regionen.",
        "Strengths at risk: location quotient fallen by at least {decline} or density below the median of the "
        "regions specialised in the industry.",
    ),
    "opportunities_growth_missing": _k(
        "Wachstum ohne {n} Regionen ohne Angaben in beiden Jahren.",
        "Growth without {n} regions lacking data in both years.",
    ),
}
"""Notes of the analyses (profile, peers, opportunities): how every figure was made."""

CLASSIFICATION_TITLES: dict[str, str] = {
    "WZ 2008 section groups": "WZ-2008-Abschnittsgruppen",
    "WZ 2025 section groups": "WZ-2025-Abschnittsgruppen",
}
"""German titles of the classifications whose English title is not a name (``WZ 2008`` is the same in both)."""

LEVEL_NAMES: dict[str, str] = {
    "section": "Abschnitt",
    "division": "Abteilung",
    "group": "Gruppe",
    "class": "Klasse",
    "subclass": "Unterklasse",
    "area": "Bereich",
    "subgroup": "Untergruppe",
    "sector": "Sektor",
    "subsector": "Teilsektor",
    "industry_group": "Industriegruppe",
    "industry": "Industrie",
    "national_industry": "nationale Industrie",
}
"""German names of the levels of a classification (their keys are the English names)."""


def classification_title(title: str) -> Bilingual:
    """A classification's title in both languages."""
    return Bilingual(CLASSIFICATION_TITLES.get(title, title), title)


def level_name(level: str) -> Bilingual:
    """A classification level in both languages (``division`` → Abteilung)."""
    return Bilingual(LEVEL_NAMES.get(level, level), level)


FIELDS: dict[str, Bilingual] = {
    "region code": Bilingual("Regionalschlüssel", "region code"),
    "encoding": Bilingual("Zeichenkodierung", "encoding"),
    "geometry": Bilingual("Geometrie", "geometry"),
    "value": Bilingual("Wert", "value"),
    "flag": Bilingual("Kennzeichen", "flag"),
    "year": Bilingual("Jahr", "year"),
    "features": Bilingual("Objekte (features)", "features"),
    "crs": Bilingual("Koordinatensystem (crs)", "crs"),
    "sheet": Bilingual("Tabellenblatt", "sheet"),
}
"""Names of the fields that the readers name in English (a file's own column names are shown as they are)."""

PARAMETERS: dict[str, Bilingual] = {
    "n": Bilingual("Anzahl (n)", "n"),
    "year": Bilingual("Jahr (year)", "year"),
    "base_year": Bilingual("Basisjahr (base_year)", "base_year"),
}
"""The query parameters of the pages and the API in words (the key is what the URL says)."""


def parameter(name: str) -> Bilingual | str:
    """A query parameter in words (its key where none are known)."""
    return PARAMETERS.get(name, name)


FRAME: dict[str, Bilingual] = {
    "file": Bilingual("Datei", "file"),
    "line": Bilingual("Zeile", "line"),
    "field": Bilingual("Feld", "field"),
    "untranslated": Bilingual("Meldung der Leseroutine (englisch)", "message of the reader"),
}
"""The words around a message: which file, line and field it concerns."""

KINDS: dict[str, Kind] = {**INPUT_KINDS, **ERROR_KINDS, **RESOLUTION_KINDS, **NOTE_KINDS}
"""Every kind by name (the names are unique across the groups)."""

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(kind.pattern, re.DOTALL)) for name, kind in {**INPUT_KINDS, **ERROR_KINDS}.items() if kind.pattern
]
_REPR = re.compile(r"""^(?:'([^']*)'|"([^"]*)")$""")


def _value(value: object, lang: str) -> str:
    if isinstance(value, Bilingual):
        return value.pick(lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value, locale=_LOCALES[lang])
    if isinstance(value, int):
        return str(value).replace("-", MINUS)
    if isinstance(value, list | tuple):
        return ", ".join(_value(v, lang) for v in value)
    text = str(value)
    quoted = _REPR.match(text)
    if quoted and lang == "de":
        return f"„{quoted.group(1) if quoted.group(1) is not None else quoted.group(2)}“"
    return text


def render(kind: str, lang: str, **params: object) -> str:
    """The message ``kind`` in ``lang`` (``"de"`` or ``"en"``) with its placeholders filled."""
    entry = KINDS[kind]
    template = entry.de if lang == "de" else entry.en
    return template.format(**{k: _value(v, lang) for k, v in params.items()})


def both(kind: str, **params: object) -> tuple[str, str]:
    """The message ``kind`` in German and in English (what a result stores as ``…_de`` and ``…_en``)."""
    return render(kind, "de", **params), render(kind, "en", **params)


def recognise(message: str) -> tuple[str, dict[str, str]] | None:
    """The kind and placeholders of an English error message, or ``None`` when no pattern knows it."""
    for name, pattern in _PATTERNS:
        match = pattern.fullmatch(message.strip())
        if match:
            return name, {k: v for k, v in match.groupdict().items() if v is not None}
    return None


def translate(message: str, lang: str) -> str:
    """An English error message in ``lang``: rendered from its kind when recognised, else as it is."""
    if lang == "en":
        return message
    found = recognise(message)
    return render(found[0], lang, **found[1]) if found else message


def field_name(field: str, lang: str) -> str:
    """A field a reader names: its German name where the reader uses an English word, else the field itself."""
    entry = FIELDS.get(field)
    return entry.pick(lang) if entry else field


def frame_word(key: str, lang: str) -> str:
    """``file``, ``line``, ``field`` in ``lang``."""
    return FRAME[key].pick(lang)


def quoted(value: str, lang: str) -> str:
    """``value`` in the language's quotation marks („…“ or '…')."""
    return f"„{value}“" if lang == "de" else repr(value)


def weights_text(weights: Mapping[str, float], names: Mapping[str, tuple[str, str]], lang: str) -> str:
    """``Branchenstruktur 1, Größe 2`` — weights named in ``lang`` (``names``: key → (German, English))."""
    return ", ".join(
        f"{names[k][0] if lang == 'de' else names[k][1]} {format_number(v, locale=_LOCALES[lang])}"
        for k, v in weights.items()
    )
