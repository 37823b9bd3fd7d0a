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


RELATEDNESS = (
    "M_{ri} = [LQ_{ri} ≥ 1];  φ_{ij} = C_{ij} / max(u_{i}, u_{j});  d_{ri} = Σ_{j} M_{rj}·φ_{ji} / Σ_{j} φ_{ji}"
)
"""Presence, proximity and density (Hidalgo et al. 2007), the same formula in both languages."""

PEER_NOTES: dict[str, MethodNote] = {
    "de": MethodNote(
        "Vergleichsregionen",
        "D = √(Σ_{k} w_{k}·d_{k}^{2});  d_{k}^{2} = (1/m_{k})·Σ_{j∈k} (z_{tj} − z_{pj})^{2};  "
        "Anteil_{k} = w_{k}·d_{k}^{2} / D^{2}",
        "z_{tj} und z_{pj} sind die Werte der Zielregion t und einer Kandidatin p in Spalte j, über alle "
        "Kandidaten standardisiert (Mittelwert 0, Standardabweichung 1). Indikatoren k: Branchenstruktur (die "
        "Anteile der überschneidungsfreien Wirtschaftszweige, m_{k} Spalten), Größe (Logarithmus der "
        "Beschäftigten), Wachstum (Basisjahr bis Jahr) und, wo Bevölkerung und Fläche vorliegen, "
        "Bevölkerung und Bevölkerungsdichte (Logarithmus); w_{k} ihre Gewichte. Jeder Indikator zählt gleich "
        "viel, gleich wie viele Spalten er hat. Je kleiner D, desto ähnlicher (D = 0: gleiche Werte); D ≈ 1 "
        "ist so weit wie ein typischer Abstand von einer Standardabweichung. Der Anteil eines Indikators "
        "sagt, wie viel er zur Distanz beiträgt; die Anteile einer Region summieren sich zu 100 %. Ähnlich "
        "heißt vergleichbar, nicht vorbildlich.",
    ),
    "en": MethodNote(
        "Peer regions",
        "D = √(Σ_{k} w_{k}·d_{k}^{2});  d_{k}^{2} = (1/m_{k})·Σ_{j∈k} (z_{tj} − z_{pj})^{2};  "
        "share_{k} = w_{k}·d_{k}^{2} / D^{2}",
        "z_{tj} and z_{pj} are the values of the target t and a candidate p in column j, standardised across "
        "all candidates (mean 0, standard deviation 1). Indicators k: industry structure (the shares of the "
        "non-overlapping industries, m_{k} columns), size (logarithm of employees), growth (base year to year) "
        "and, where population and area are available, population and population density (logarithm); w_{k} "
        "their weights. Every indicator counts the same, however many columns it has. The smaller D, the more "
        "similar (D = 0: equal values); D ≈ 1 is as far as a typical difference of one standard deviation. An "
        "indicator's share says how much of the distance it accounts for; a region's shares sum to 100 %. "
        "Similar means comparable, not exemplary.",
    ),
}
"""The method of :mod:`regiolens.analysis.peers`, shown when a report has a peers page."""

OPPORTUNITY_NOTES: dict[str, list[MethodNote]] = {
    "de": [
        MethodNote(
            "Verwandtschaft und Komplexität",
            RELATEDNESS,
            "M_{ri} = 1, wenn die Region r auf die Branche i spezialisiert ist (Standortquotient gegenüber der "
            "Summe aller Regionen der Ebene mindestens 1); C_{ij} Zahl der Regionen, die auf i und j "
            "spezialisiert sind, u_{i} Zahl der auf i spezialisierten Regionen. Die Nähe φ_{ij} misst, wie oft "
            "zwei Branchen zusammen auftreten, die Dichte d_{ri} (0 bis 1), welcher Anteil der mit i verwandten "
            "Branchen in der Region schon stark ist (Hidalgo et al. 2007). Die Komplexität einer Branche (PCI) "
            "folgt aus der Eigenvektormethode, die der Region (ECI) ist das Mittel der PCI der Branchen, auf die "
            "sie spezialisiert ist (Hidalgo und Hausmann 2009; Hausmann et al. 2014, The Atlas of Economic "
            "Complexity).",
        ),
        MethodNote(
            "Chancen",
            "q_{k} = (Rang_{k} − 1)/(C − 1) − ½;  Score = Σ_{k} w_{k}·q_{k} / Σ_{k} w_{k}",
            "Kandidaten sind die C Branchen mit Standortquotient unter 1. Für Dichte, Komplexität (PCI) und "
            "bundesweites Wachstum wird der Rang unter den Kandidaten auf −½ (niedrigster Wert) bis +½ "
            "(höchster) gebracht; fehlende Werte zählen als Median (0). Der Score ist das gewichtete Mittel "
            "(−½ bis +½); über 0 heißt besser als der mittlere Kandidat. Ränge statt z-Werten, damit eine "
            "einzelne extreme Wachstumsrate kleiner Branchen nicht alles bestimmt. Der Opportunity Gain "
            "(Hausmann et al. 2014) steht in der Excel-Mappe daneben, geht aber nicht in den Score ein. Die "
            "Begründung nennt erst, was für die Branche spricht, dann, was dagegen spricht.",
        ),
        MethodNote(
            "Gefährdete Stärken",
            "LQ_{ri}^{1} ≤ (1 − 5 %)·LQ_{ri}^{0}  oder  d_{ri} < Median(d_{si} | M_{si} = 1)",
            "Stärken sind die Branchen mit Standortquotient ab 1. Eine Stärke ist gefährdet, wenn ihr "
            "Standortquotient vom Basisjahr (^{0}) zum Jahr (^{1}) um mindestens 5 % gesunken ist "
            "(Voreinstellung; der verwendete Wert steht in den Hinweisen) oder wenn ihre Dichte unter dem "
            "Median der Dichte in den Regionen liegt, die auf dieselbe Branche spezialisiert sind: Sie hat "
            "weniger verwandte Branchen um sich als dieselbe Stärke anderswo.",
        ),
    ],
    "en": [
        MethodNote(
            "Relatedness and complexity",
            RELATEDNESS,
            "M_{ri} = 1 when region r is specialised in industry i (location quotient against the sum of all "
            "regions of the level at least 1); C_{ij} the number of regions specialised in both i and j, u_{i} "
            "the number specialised in i. The proximity φ_{ij} measures how often two industries occur together, "
            "the density d_{ri} (0 to 1) which share of the industries related to i are already strong in the "
            "region (Hidalgo et al. 2007). The complexity of an industry (PCI) follows from the eigenvector "
            "method, that of the region (ECI) is the mean PCI of the industries it is specialised in (Hidalgo "
            "and Hausmann 2009; Hausmann et al. 2014, The Atlas of Economic Complexity).",
        ),
        MethodNote(
            "Opportunities",
            "q_{k} = (rank_{k} − 1)/(C − 1) − ½;  score = Σ_{k} w_{k}·q_{k} / Σ_{k} w_{k}",
            "Candidates are the C industries with a location quotient below 1. For density, complexity (PCI) and "
            "national growth the rank among the candidates is scaled to −½ (lowest value) to +½ (highest); "
            "missing values count as the median (0). The score is the weighted mean (−½ to +½); above 0 means "
            "better than the middle candidate. Ranks rather than z-scores, so that one extreme growth rate of a "
            "small industry does not decide everything. The opportunity gain (Hausmann et al. 2014) is given "
            "beside it in the workbook but is not part of the score. The reason names first what speaks for the "
            "industry, then what speaks against it.",
        ),
        MethodNote(
            "Strengths at risk",
            "LQ_{ri}^{1} ≤ (1 − 5 %)·LQ_{ri}^{0}  or  d_{ri} < median(d_{si} | M_{si} = 1)",
            "Strengths are the industries with a location quotient of 1 or more. A strength is at risk when its "
            "location quotient fell by at least 5 % from the base year (^{0}) to the year (^{1}) (the default; "
            "the value used is given in the notes) or when its density lies below the median density in the "
            "regions specialised in the same industry: it has fewer related industries around it than the same "
            "strength elsewhere.",
        ),
    ],
}
"""The method of :mod:`regiolens.analysis.opportunities`, shown when a report has an opportunities page."""


def method_notes(profile: Profile, lang: Lang, *, peers: bool = False, opportunities: bool = False) -> list[MethodNote]:
    """The method notes for the figures of ``profile``, in the report's language.

    ``peers`` and ``opportunities`` add the notes of those pages (when the report has them).
    """
    notes = _profile_notes(profile, lang)
    if peers:
        notes.append(PEER_NOTES[lang])
    if opportunities:
        notes += OPPORTUNITY_NOTES[lang]
    return notes


def _profile_notes(profile: Profile, lang: Lang) -> list[MethodNote]:
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
