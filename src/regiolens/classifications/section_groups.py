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


GROUPS: tuple[SectionGroup, ...] = (
    SectionGroup("A", TOTAL_INDUSTRY, "Land- und Forstwirtschaft, Fischerei", "Agriculture, forestry and fishing", "A"),
    SectionGroup("B-F", TOTAL_INDUSTRY, "Produzierendes Gewerbe", "Industry including construction", "BCDEF"),
    SectionGroup("B-E", "B-F", "Produzierendes Gewerbe ohne Baugewerbe", "Industry excluding construction", "BCDE"),
    SectionGroup("C", "B-E", "Verarbeitendes Gewerbe", "Manufacturing", "C"),
    SectionGroup("F", "B-F", "Baugewerbe", "Construction", "F"),
    SectionGroup("G-U", TOTAL_INDUSTRY, "Dienstleistungsbereiche", "Services", "GHIJKLMNOPQRSTU"),
    SectionGroup("G-I", "G-U", "Handel, Gastgewerbe, Verkehr", "Trade, transport, accommodation and food", "GHI"),
    SectionGroup("J", "G-U", "Information und Kommunikation", "Information and communication", "J"),
    SectionGroup("K", "G-U", "Finanz- und Versicherungsdienstleistungen", "Financial and insurance activities", "K"),
    SectionGroup("L", "G-U", "Grundstücks- und Wohnungswesen", "Real estate activities", "L"),
    SectionGroup(
        "M-N",
        "G-U",
        "Freiberufliche, wissenschaftliche, technische und sonstige wirtschaftliche Dienstleistungen",
        "Professional, scientific, technical, administrative and support services",
        "MN",
    ),
    SectionGroup(
        "O-Q",
        "G-U",
        "Öffentliche Verwaltung, Verteidigung, Sozialversicherung, Erziehung und Unterricht, "
        "Gesundheits- und Sozialwesen",
        "Public administration, defence, education, human health and social work",
        "OPQ",
    ),
    SectionGroup(
        "R-U",
        "G-U",
        "Kunst, Unterhaltung und Erholung, sonstige Dienstleistungen, private Haushalte, exterritoriale Organisationen",
        "Arts, entertainment, other services, households, extraterritorial organisations",
        "RSTU",
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
