"""Method notes of the reports: the formulas behind the figures, short, in German and English.

Formulas and texts carry a tiny markup for indices, ``e_{ri}`` and ``E^{0}``: :func:`to_html` turns it
into ``<sub>``/``<sup>`` (escaped, for the HTML/PDF report) and :func:`to_plain` into Unicode sub- and
superscripts (for the workbook).

The notes describe what :mod:`regiolens.analysis` and :mod:`regiolens.metrics` compute; they are the
one text both the PDF/HTML report and the "Methoden"/"Methods" sheet of the workbook show. When a
method changes there, change its note here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from regiolens.analysis.results import Profile
from regiolens.reports.text import Lang, threshold_text

GERFIN = (
    "R = (e_{r}^{1}/e_{r}^{0}) / (E^{1}/E^{0}) = S·L;  "
    "S = Σ_{i} (e_{ri}^{0}/e_{r}^{0})·(E_{i}^{1}/E_{i}^{0}) / (E^{1}/E^{0});  L = R/S"
)
"""Gerfin's regional, structural and location factors (the same formula in both languages)."""

_INDEX_RE = re.compile(r"([_^])\{([^{}]*)\}")
_SUB = str.maketrans("0123456789aeijklmnoprstuvx+-", "₀₁₂₃₄₅₆₇₈₉ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ₊₋")
_SUP = str.maketrans("0123456789in+-", "⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿ⁺⁻")


def to_html(marked: str) -> Markup:
    """Text with ``_{…}``/``^{…}`` indices as HTML with ``<sub>``/``<sup>``; everything else escaped."""
    out, last = [], 0
    for m in _INDEX_RE.finditer(marked):
        out.append(str(escape(marked[last : m.start()])))
        tag = "sub" if m.group(1) == "_" else "sup"
        out.append(f"<{tag}>{escape(m.group(2))}</{tag}>")
        last = m.end()
    out.append(str(escape(marked[last:])))
    return Markup("".join(out))


def to_plain(marked: str) -> str:
    """Text with ``_{…}``/``^{…}`` indices as Unicode sub- and superscripts (``e_{ri}`` → ``eᵣᵢ``)."""
    return _INDEX_RE.sub(lambda m: m.group(2).translate(_SUB if m.group(1) == "_" else _SUP), marked)


@dataclass(frozen=True)
class MethodNote:
    """One method: its name, the formula and an explanation, with ``_{…}``/``^{…}`` index markup."""

    title: str
    formula: str
    text: str


def method_notes(profile: Profile, lang: Lang) -> list[MethodNote]:
    """The method notes for the figures of ``profile``, in the report's language."""
    reference = profile.reference.name
    t = profile.threshold
    dynamic = profile.shift_share.dynamic_national is not None
    if lang == "de":
        notes = [
            MethodNote(
                "Standortquotient",
                "LQ_{ri} = (e_{ri} / e_{r}) / (E_{i} / E)",
                "e_{ri} Beschäftigte der Branche i in der Region r, e_{r} alle Beschäftigten der Region; E_{i} und E "
                f"dasselbe im Referenzgebiet ({reference}). LQ > 1: die Branche ist in der Region stärker "
                "vertreten als in der Referenz. Die untere und obere Grenze geben die Unsicherheit bei kleinen "
                "Fallzahlen an. Eigene Regionen (z. B. Emscher-Lippe) werden vor jeder Quotientenbildung "
                "aus ihren Kreisen summiert; die Referenz bleibt das Referenzgebiet.",
            ),
            MethodNote(
                "Shift-Share (klassisch)",
                "Δe_{ri} = e_{ri}^{0}·G + e_{ri}^{0}·(G_{i} − G) + e_{ri}^{0}·(g_{ri} − G_{i})",
                "Konjunkturkomponente (Wachstum wie die Referenz insgesamt, G), Strukturkomponente (Wachstum "
                "der Branche in der Referenz, G_{i}, gegenüber G) und Standortkomponente (Wachstum der Branche "
                "in der Region, g_{ri}, gegenüber G_{i}); ^{0} bezeichnet das Basisjahr. Englisch: national share, "
                "industry mix, regional (competitive) effect (Dunn 1960).",
            ),
            MethodNote(
                "Shift-Share nach Esteban-Marquillas",
                "ê_{ri} = e_{r}^{0}·E_{i}^{0}/E^{0};  "
                "Standortkomponente = ê_{ri}·(g_{ri} − G_{i}) + (e_{ri}^{0} − ê_{ri})·(g_{ri} − G_{i})",
                "Die Standortkomponente zerfällt in den homothetischen Teil (Region mit der Struktur der "
                "Referenz) und den Allokationseffekt (Spezialisierung in Branchen mit Standortvorteil) "
                "(Esteban-Marquillas 1972).",
            ),
            MethodNote(
                "Struktur- und Standortfaktor",
                GERFIN,
                "Regionalfaktor R, Strukturfaktor S und Standortfaktor L als Verhältniszahlen; Werte über 1 "
                "sind günstig (Gerfin 1964).",
            ),
        ]
        if dynamic:
            notes.append(
                MethodNote(
                    "Dynamische Shift-Share-Analyse",
                    "Σ_{t} [Konjunktur-, Struktur-, Standortkomponente von t−1 nach t]",
                    "Die Komponenten werden Jahr für Jahr berechnet und summiert (Barff und Knight 1988).",
                )
            )
        notes += [
            MethodNote(
                "Spezialisierung",
                "K = Σ_{i} |s_{ri} − S_{i}|;  Hoover = K/2;  H = Σ_{i} s_{ri}^{2};  Entropie = −Σ_{i} s_{ri}·ln s_{ri}",
                "s_{ri} Anteil der Branche an der Region, S_{i} an der Referenz. Krugman-Index und "
                "Hoover-Koeffizient messen den Abstand zur Struktur der Referenz (0 = gleich), der "
                "Gini-Koeffizient die Ungleichheit der Standortquotienten, Herfindahl-Index und Entropie die "
                "Konzentration auf wenige Branchen.",
            ),
            MethodNote(
                "Schwelle für starke Branchen und Cluster",
                t.preset,
                f"{threshold_text(t, lang)}; Quelle: {t.source}.",
            ),
            MethodNote(
                "Cluster",
                "exakt · Näherung · nicht auflösbar",
                "Ein Cluster ist exakt, wenn alle seine Wirtschaftszweige in den Daten vorliegen, eine "
                "Näherung, wenn er aus gröberen Zweigen gebildet wird, und nicht auflösbar, wenn die Daten "
                "zu grob oder geheim sind; die Begründung steht in der Tabelle.",
            ),
        ]
        return notes
    notes = [
        MethodNote(
            "Location quotient",
            "LQ_{ri} = (e_{ri} / e_{r}) / (E_{i} / E)",
            "e_{ri} employees of industry i in region r, e_{r} all employees of the region; E_{i} and E the same "
            f"in the reference area ({reference}). LQ > 1: the industry is more strongly represented in the region "
            "than in the reference. The lower and upper bounds show the uncertainty of small numbers. "
            "Custom regions (e.g. Emscher-Lippe) are summed from their districts before any ratio is "
            "computed; the reference stays the reference area.",
        ),
        MethodNote(
            "Shift-share (classic)",
            "Δe_{ri} = e_{ri}^{0}·G + e_{ri}^{0}·(G_{i} − G) + e_{ri}^{0}·(g_{ri} − G_{i})",
            "National share (growth as in the whole reference, G), industry mix (growth of the industry in "
            "the reference, G_{i}, against G) and regional (competitive) effect (growth of the industry in the "
            "region, g_{ri}, against G_{i}); ^{0} marks the base year. German: Konjunktur-, Struktur- and "
            "Standortkomponente (Dunn 1960).",
        ),
        MethodNote(
            "Shift-share after Esteban-Marquillas",
            "ê_{ri} = e_{r}^{0}·E_{i}^{0}/E^{0};  "
            "regional effect = ê_{ri}·(g_{ri} − G_{i}) + (e_{ri}^{0} − ê_{ri})·(g_{ri} − G_{i})",
            "The regional effect splits into the homothetic competitive effect (the region with the "
            "reference's structure) and the allocation effect (specialisation in industries with a "
            "competitive advantage) (Esteban-Marquillas 1972).",
        ),
        MethodNote(
            "Structural and location factor",
            GERFIN,
            "Regional factor R, structural factor S and location factor L as ratios; values above 1 are "
            "favourable (Gerfin 1964).",
        ),
    ]
    if dynamic:
        notes.append(
            MethodNote(
                "Dynamic shift-share",
                "Σ_{t} [national, industry-mix, regional component from t−1 to t]",
                "The components are computed year by year and summed (Barff and Knight 1988).",
            )
        )
    notes += [
        MethodNote(
            "Specialisation",
            "K = Σ_{i} |s_{ri} − S_{i}|;  Hoover = K/2;  H = Σ_{i} s_{ri}^{2};  entropy = −Σ_{i} s_{ri}·ln s_{ri}",
            "s_{ri} share of the industry in the region, S_{i} in the reference. The Krugman index and the Hoover "
            "coefficient measure the distance to the reference structure (0 = equal), the Gini coefficient "
            "the inequality of the location quotients, the Herfindahl index and the entropy the "
            "concentration on few industries.",
        ),
        MethodNote(
            "Threshold for strong industries and clusters",
            t.preset,
            f"{threshold_text(t, lang)}; source: {t.source}.",
        ),
        MethodNote(
            "Clusters",
            "exact · approximation · not resolvable",
            "A cluster is exact when all its industries are in the data, an approximation when it is built "
            "from coarser industries, and not resolvable when the data are too coarse or suppressed; the "
            "reason is given in the table.",
        ),
    ]
    return notes
