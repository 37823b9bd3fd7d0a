"""WZ section groups as the Regionalstatistik publishes them (tables 13111-*), with their nesting.

The published groups overlap: B-F contains B-E and F, B-E contains C, G-U contains G-I, J, K, L,
M-N, O-Q and R-U. Only a non-overlapping set may enter shares and location quotients; that set is
:data:`NON_OVERLAPPING` (A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U), which sums to the total up to the
persons "without assignment" that only the Germany total contains. C is a sub-group of B-E.

The same groups exist for WZ 2025 (NACE Rev. 2.1) from reporting year 2025 on; they carry the
classification name ``wz2025-sg``.
"""

from __future__ import annotations

from dataclasses import dataclass

from regiolens.model import TOTAL_INDUSTRY

WZ2008_SECTION_GROUPS = "wz2008-sg"
WZ2025_SECTION_GROUPS = "wz2025-sg"


@dataclass(frozen=True)
class SectionGroup:
    """One published group: code, parent group (``None`` for top-level), labels and WZ sections."""

    code: str
    parent: str | None
    label_de: str
    label_en: str
    sections: str  # the WZ sections it covers, e.g. "BCDE"
    short_de: str = ""  # a label short enough for a table column or a chart axis
    short_en: str = ""

    def short(self, lang: str = "de") -> str:
        """The short label in ``lang`` (falls back to the full label)."""
        if lang == "en":
            return self.short_en or self.label_en
        return self.short_de or self.label_de


GROUPS: tuple[SectionGroup, ...] = (
    SectionGroup(
        "A",
        TOTAL_INDUSTRY,
        "Land- und Forstwirtschaft, Fischerei",
        "Agriculture, forestry and fishing",
        "A",
        short_de="Land- und Forstwirtschaft",
        short_en="Agriculture, forestry",
    ),
    SectionGroup(
        "B-F",
        TOTAL_INDUSTRY,
        "Produzierendes Gewerbe",
        "Industry including construction",
        "BCDEF",
        short_de="Produzierendes Gewerbe",
        short_en="Industry incl. construction",
    ),
    SectionGroup(
        "B-E",
        "B-F",
        "Produzierendes Gewerbe ohne Baugewerbe",
        "Industry excluding construction",
        "BCDE",
        short_de="Industrie ohne Bau",
        short_en="Industry excl. construction",
    ),
    SectionGroup(
        "C",
        "B-E",
        "Verarbeitendes Gewerbe",
        "Manufacturing",
        "C",
        short_de="Verarbeitendes Gewerbe",
        short_en="Manufacturing",
    ),
    SectionGroup("F", "B-F", "Baugewerbe", "Construction", "F", short_de="Baugewerbe", short_en="Construction"),
    SectionGroup(
        "G-U",
        TOTAL_INDUSTRY,
        "Dienstleistungsbereiche",
        "Services",
        "GHIJKLMNOPQRSTU",
        short_de="Dienstleistungen",
        short_en="Services",
    ),
    SectionGroup(
        "G-I",
        "G-U",
        "Handel, Gastgewerbe, Verkehr",
        "Trade, transport, accommodation and food",
        "GHI",
        short_de="Handel, Verkehr, Gastgewerbe",
        short_en="Trade, transport, hospitality",
    ),
    SectionGroup(
        "J",
        "G-U",
        "Information und Kommunikation",
        "Information and communication",
        "J",
        short_de="Information, Kommunikation",
        short_en="Information, communication",
    ),
    SectionGroup(
        "K",
        "G-U",
        "Finanz- und Versicherungsdienstleistungen",
        "Financial and insurance activities",
        "K",
        short_de="Finanzen, Versicherungen",
        short_en="Finance, insurance",
    ),
    SectionGroup(
        "L",
        "G-U",
        "Grundstücks- und Wohnungswesen",
        "Real estate activities",
        "L",
        short_de="Grundstücke, Wohnungen",
        short_en="Real estate",
    ),
    SectionGroup(
        "M-N",
        "G-U",
        "Freiberufliche, wissenschaftliche, technische und sonstige wirtschaftliche Dienstleistungen",
        "Professional, scientific, technical, administrative and support services",
        "MN",
        short_de="Unternehmensdienstleister",
        short_en="Business services",
    ),
    SectionGroup(
        "O-Q",
        "G-U",
        "Öffentliche Verwaltung, Verteidigung, Sozialversicherung, Erziehung und Unterricht, "
        "Gesundheits- und Sozialwesen",
        "Public administration, defence, education, human health and social work",
        "OPQ",
        short_de="Öffentl. Dienste, Erziehung, Gesundheit",
        short_en="Public services, education, health",
    ),
    SectionGroup(
        "R-U",
        "G-U",
        "Kunst, Unterhaltung und Erholung, sonstige Dienstleistungen, private Haushalte, exterritoriale Organisationen",
        "Arts, entertainment, other services, households, extraterritorial organisations",
        "RSTU",
        short_de="Sonstige Dienstleistungen",
        short_en="Other services",
    ),
)

NON_OVERLAPPING: tuple[str, ...] = ("A", "B-E", "F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
"""The groups that partition the economy without overlap: the only ones to enter shares and LQs."""

BY_CODE: dict[str, SectionGroup] = {g.code: g for g in GROUPS}

_PUBLISHED_LABELS: dict[str, str] = {
    "Freiberufl,wissenschaftl. techn. Dienstl.,sonst.DL": "M-N",
    "Öff.Verw.,Verteidig.,Sozialvers.,Erz.-u.Unterricht": "O-Q",
    "Kunst, Unterhaltung, Erholung, Priv. Haush.,usw.": "R-U",
    "Insgesamt": TOTAL_INDUSTRY,
}


def code_for_label(label: str) -> str | None:
    """The group code for a label as GENESIS prints it, e.g. ``"Baugewerbe (F)"`` → ``"F"``.

    Labels end with the code in parentheses except three abbreviated ones and the total, which are
    matched literally. Returns ``None`` for a label that is not a known group.
    """
    label = label.strip()
    if label in _PUBLISHED_LABELS:
        return _PUBLISHED_LABELS[label]
    if label.endswith(")") and "(" in label:
        code = label[label.rindex("(") + 1 : -1]
        if code in BY_CODE:
            return code
    return None
