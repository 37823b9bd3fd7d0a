"""The fund's mandate and the check of a deal against it, rule by rule, with the reason in German and English.

A :class:`Mandate` is the ``[mandate]`` table of a fund plan::

    [mandate]
    taxonomy = "hannoverimpuls"          # a cluster taxonomy (id or file, see regiolens.clusters)
    clusters = ["ict", "medtech"]        # its eligible clusters
    region = "emscher-lippe"             # a region group or code (05562, nuts:DEA36, us:26163)
    stages = ["seed", "series_a"]
    max_per_company = 2_000_000          # euros per company, earlier tickets included
    max_company_age_years = 7            # optional: at most this many years after founding

:func:`check_deal` applies five rules and returns a :class:`MandateCheck`; a deal is eligible when every rule passes.

``cluster``
    The deal's code, on its own classification (WZ 2008, WZ 2025, NAICS …), lies in a mandate cluster: the cluster's
    definition on that classification (written in the taxonomy, or derived through the official concordances,
    :meth:`regiolens.clusters.Taxonomy.definition`) holds the code or a coarser code containing it
    (:func:`regiolens.clusters._tree.covered_by`). A code coarser than the cluster's codes passes only when all its
    finest codes lie in the cluster; when only some do, it is too coarse to decide. An unknown code fails.
``region``
    The deal's region lies in the mandate's region: codes of one system contain each other by prefix (Gemeinde
    ``05562004`` lies in Kreis ``05562``, which lies in Land ``05``; ``nuts:DEA36`` in ``nuts:DEA3``), a group
    contains what one of its members contains (``emscher-lippe`` = 05562 + 05512 + 05513). Merged Kreis codes
    are first mapped to the code valid at the check date (:func:`regiolens.regions.history.successor`). A region
    in another country lies outside; a deal region coarser than the mandate's, or in another code system of the
    same country (NUTS against AGS), cannot be decided and fails.
``stage``
    The deal's stage is one of the mandate's stages.
``max_per_company``
    ``earlier + amount ≤ max_per_company``: the fund's earlier tickets in the company plus this one.
``company_age`` (only when the mandate sets ``max_company_age_years``)
    The check date lies no later than the founding date plus that many years (29 February counts as 28 February
    in other years). A deal without a founding date fails.

The check date is the deal's round date, else the ``on`` date given, else today.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from regiolens.classifications import get_classification
from regiolens.clusters import Taxonomy, get_taxonomy
from regiolens.clusters._tree import covered_by
from regiolens.clusters.tomlfile import _Locator
from regiolens.errors import InputError, RegiolensError, UnknownIndustryError
from regiolens.fund.pipeline import ClusterRef, DealIn, Lang, StageField, label
from regiolens.i18n import MINUS, format_number
from regiolens.model import RegionLevel
from regiolens.regions.codes import parse_region_ref
from regiolens.regions.history import successor
from regiolens.regions.resolve import RegionSelection, resolve_region

if TYPE_CHECKING:
    from regiolens.warehouse.store import Warehouse

RuleName = Literal["cluster", "region", "stage", "max_per_company", "company_age"]
"""The rules of a mandate check, in the order they are applied."""

LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}
NBSP = "\u00a0"

RegionNames = Mapping[tuple[RegionLevel, str], str]
"""Names of regions by ``(level, code)``, e.g. from the warehouse (:func:`warehouse_region_names`)."""


class Mandate(BaseModel):
    """What the fund may finance (the ``[mandate]`` table of a plan; see the module docstring).

    The taxonomy, its clusters and the region are looked up when the mandate is read, so that a misspelt cluster
    or region is an error at once rather than a failed check of every deal.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    taxonomy_version: str | None = None
    taxonomy: str = Field(min_length=1)
    clusters: tuple[str, ...] = Field(min_length=1)
    region: str = Field(min_length=1)
    stages: tuple[StageField, ...] = Field(min_length=1)
    max_per_company: int = Field(gt=0)
    max_company_age_years: int | None = Field(default=None, gt=0)

    # Lookups fail with RegiolensError, a KeyError that Pydantic would not report: each becomes a ValueError of its
    # field, so that an error names the key of the [mandate] table that is wrong.
    @field_validator("taxonomy")
    @classmethod
    def _known_taxonomy(cls, value: str, info: ValidationInfo) -> str:
        try:
            get_taxonomy(value, info.data.get("taxonomy_version"))
        except RegiolensError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("clusters")
    @classmethod
    def _known_clusters(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if "taxonomy" in info.data:  # else the taxonomy's own error is reported
            taxonomy = get_taxonomy(info.data["taxonomy"], info.data.get("taxonomy_version"))
            try:
                for cluster_id in value:
                    taxonomy.cluster(cluster_id)
            except RegiolensError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        try:
            resolve_region(value)
        except RegiolensError as exc:
            raise ValueError(str(exc)) from None
        return value

    def get_taxonomy(self) -> Taxonomy:
        """The mandate's cluster taxonomy."""
        return get_taxonomy(self.taxonomy, self.taxonomy_version)

    def selection(self) -> RegionSelection:
        """The mandate's region: one region or a group."""
        return resolve_region(self.region)


@dataclass(frozen=True)
class RuleResult:
    """One rule of a mandate check: passed or not, and why, in German and English."""

    rule: RuleName
    passed: bool
    reason_de: str
    reason_en: str

    def reason(self, lang: Lang = "de") -> str:
        """The reason in ``lang``."""
        return self.reason_de if lang == "de" else self.reason_en


@dataclass(frozen=True)
class MandateCheck:
    """A deal checked against a mandate: every rule with its reason.

    ``clusters`` are the mandate clusters the deal's code lies in; ``in_region`` whether its region lies in the
    mandate's (``False`` also when that cannot be decided).
    """

    rules: tuple[RuleResult, ...]
    clusters: tuple[ClusterRef, ...] = ()
    in_region: bool = False

    @property
    def eligible(self) -> bool:
        """Whether every rule passes."""
        return all(r.passed for r in self.rules)

    @property
    def failed(self) -> list[RuleResult]:
        """The rules that fail."""
        return [r for r in self.rules if not r.passed]

    def reasons(self, lang: Lang = "de") -> list[str]:
        """Every rule's reason in ``lang``."""
        return [r.reason(lang) for r in self.rules]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            "eligible": self.eligible,
            "in_region": self.in_region,
            "clusters": [{"id": c.id, "label_de": c.label_de, "label_en": c.label_en} for c in self.clusters],
            "rules": [
                {"rule": r.rule, "passed": r.passed, "reason_de": r.reason_de, "reason_en": r.reason_en}
                for r in self.rules
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MandateCheck:
        """The check :meth:`to_dict` wrote (e.g. stored with a deal)."""
        return cls(
            rules=tuple(RuleResult(**r) for r in data["rules"]),
            clusters=tuple(ClusterRef(**c) for c in data["clusters"]),
            in_region=bool(data["in_region"]),
        )


def _rule(rule: RuleName, passed: bool, de: str, en: str) -> RuleResult:
    """A rule result whose reasons end in the verdict (``förderfähig`` / ``eligible``)."""
    verdict_de, verdict_en = ("förderfähig", "eligible") if passed else ("nicht förderfähig", "not eligible")
    return RuleResult(rule, passed, f"{de}: {verdict_de}", f"{en}: {verdict_en}")


def euros(value: int, lang: Lang) -> str:
    """An amount in the language's format: ``400.000 €`` (German), ``€400,000`` (English)."""
    text = format_number(abs(value), locale=LOCALES[lang])
    sign = MINUS if value < 0 else ""
    return f"{sign}{text}{NBSP}€" if lang == "de" else f"{sign}€{text}"


def _names(labels: Sequence[str], lang: Lang, quote: bool = False) -> str:
    """``A``, ``A und B``, ``A, B und C`` (English: ``and``); with ``quote`` several names are quoted (cluster names
    hold commas and "und" themselves: „Laser, Optik und Photonik“ und „Produktionstechnik“)."""
    if len(labels) == 1:
        return labels[0]
    if quote:
        labels = [f"„{name}“" if lang == "de" else f"“{name}”" for name in labels]
    conj = " und " if lang == "de" else " and "
    return ", ".join(labels[:-1]) + conj + labels[-1]


# ----------------------------------------------------------------------------------------------- cluster


def _cluster_rule(deal: DealIn, mandate: Mandate) -> tuple[RuleResult, tuple[ClusterRef, ...]]:
    clf = get_classification(deal.classification)
    shown = f"{clf.title} {deal.code}"
    taxonomy = mandate.get_taxonomy()
    clusters = [taxonomy.cluster(cid) for cid in mandate.clusters]
    all_de = _names([c.label("de") for c in clusters], "de", quote=True)
    all_en = _names([c.label("en") for c in clusters], "en", quote=True)
    try:
        code = clf.normalise(deal.code)
    except UnknownIndustryError:
        return _rule(
            "cluster", False, f"{deal.code} ist kein Code der {clf.title}", f"{deal.code} is not a {clf.title} code"
        ), ()
    inside, partly, partial_code = [], [], False
    for cluster in clusters:
        try:
            definition = taxonomy.definition(cluster.id, clf.name)
        except RegiolensError as exc:
            return _rule(
                "cluster",
                False,
                f"Cluster {cluster.label('de')} ist auf der {clf.title} nicht bestimmbar ({exc})",
                f"cluster {cluster.label('en')} cannot be determined on {clf.title} ({exc})",
            ), ()
        codes = definition.code_list()
        hit = covered_by(clf, code, codes)
        leaves = [hit] if hit else [leaf for leaf in clf.leaves(code) if covered_by(clf, leaf, codes)]
        if hit or (leaves and len(leaves) == len(clf.leaves(code))):
            inside.append(cluster)
            entry = definition.get(hit) if hit else None
            partial_code = partial_code or bool(entry and entry.partial)
        elif leaves:
            partly.append(cluster)
    refs = tuple(ClusterRef(c.id, c.label("de"), c.label("en")) for c in inside)
    if inside:
        names_de = _names([c.label_de for c in refs], "de", quote=True)
        names_en = _names([c.label_en for c in refs], "en", quote=True)
        where_de = f"im Cluster {names_de}" if len(refs) == 1 else f"in den Clustern {names_de}"
        note_de = " (der Code gehört nur teilweise zum Cluster)" if partial_code else ""
        note_en = " (the code belongs to the cluster only in part)" if partial_code else ""
        return _rule("cluster", True, f"{shown} ist {where_de}{note_de}", f"{shown} is in {names_en}{note_en}"), refs
    if partly:
        part_de = _names([c.label("de") for c in partly], "de", quote=True)
        part_en = _names([c.label("en") for c in partly], "en", quote=True)
        return _rule(
            "cluster",
            False,
            f"{shown} ist zu grob: nur ein Teil davon gehört zu {part_de}; bitte den genauen Code angeben",
            f"{shown} is too coarse: only part of it is in {part_en}; give the exact code",
        ), ()
    return _rule(
        "cluster",
        False,
        f"{shown} ist in keinem Cluster des Mandats ({all_de})",
        f"{shown} is in none of the mandate's clusters ({all_en})",
    ), ()


# ----------------------------------------------------------------------------------------------- region

_FAMILIES: dict[RegionLevel, tuple[str, bool]] = {
    RegionLevel.DE_BUND: ("ags", True),
    RegionLevel.DE_LAND: ("ags", False),
    RegionLevel.DE_REGBEZ: ("ags", False),
    RegionLevel.DE_KREIS: ("ags", False),
    RegionLevel.DE_GEMEINDE: ("ags", False),
    RegionLevel.NUTS0: ("nuts", False),
    RegionLevel.NUTS1: ("nuts", False),
    RegionLevel.NUTS2: ("nuts", False),
    RegionLevel.NUTS3: ("nuts", False),
    RegionLevel.US_NATION: ("us", True),
    RegionLevel.US_STATE: ("us", False),
    RegionLevel.US_COUNTY: ("us", False),
}
"""Code system of each level, and whether the level is the whole country (containing every code of its system)."""


def _country(level: RegionLevel, code: str) -> str | None:
    """The country a region lies in (``DE``, ``US``, a NUTS country), ``None`` for groups and the user's codes."""
    family = _FAMILIES.get(level, ("", False))[0]
    return {"ags": "DE", "us": "US", "nuts": code[:2]}.get(family)


KREIS_DIGITS = 5


def _current(level: RegionLevel, code: str, on: date) -> str:
    """A German code of Kreis level or finer with its Kreis part mapped to the code valid ``on`` (mergers)."""
    if _FAMILIES.get(level, ("", False))[0] == "ags" and len(code) >= KREIS_DIGITS:
        return successor(RegionLevel.DE_KREIS, code[:KREIS_DIGITS], on) + code[KREIS_DIGITS:]
    return code


def contains(outer: tuple[RegionLevel, str], inner: tuple[RegionLevel, str], on: date) -> bool | None:
    """Whether region ``inner`` lies in region ``outer`` (both ``(level, code)``): ``None`` when that cannot be
    decided — ``inner`` is coarser than ``outer`` and overlaps it, or the two are in different code systems of one
    country (AGS and NUTS). Regions of different countries never contain each other."""
    (outer_level, outer_code), (inner_level, inner_code) = outer, inner
    if (outer_level, outer_code) == (inner_level, inner_code):
        return True
    outer_family, outer_whole = _FAMILIES.get(outer_level, (outer_level.value, False))
    inner_family, inner_whole = _FAMILIES.get(inner_level, (inner_level.value, False))
    if outer_family != inner_family or outer_family in (RegionLevel.GROUP.value, RegionLevel.OTHER.value):
        countries = _country(outer_level, outer_code), _country(inner_level, inner_code)
        return False if None not in countries and countries[0] != countries[1] else None
    if outer_whole:
        return True
    if inner_whole:
        return None
    a, b = _current(outer_level, outer_code, on), _current(inner_level, inner_code, on)
    if len(b) >= len(a):
        return b.startswith(a)
    return None if a.startswith(b) else False


def _region_label(level: RegionLevel, code: str, names: RegionNames) -> str:
    """``Recklinghausen (05562)``, ``05562004 in Recklinghausen`` or the code alone, as the names allow."""
    if (level, code) in names:
        return f"{names[(level, code)]} ({code})"
    kreis = code[:KREIS_DIGITS]
    if level is RegionLevel.DE_GEMEINDE and (RegionLevel.DE_KREIS, kreis) in names:
        return f"{code} in {names[(RegionLevel.DE_KREIS, kreis)]}"
    return code


def _region_rule(deal: DealIn, mandate: Mandate, on: date, names: RegionNames) -> tuple[RuleResult, bool]:
    selection = mandate.selection()
    target = selection.group.label if selection.group else _region_label(selection.level, selection.code, names)
    parsed = parse_region_ref(deal.region)
    if parsed is None:
        return _rule(
            "region",
            False,
            f"{deal.region!r} ist kein Regionscode (AGS wie 05562004, nuts:DEA36, us:26163)",
            f"{deal.region!r} is not a region code (AGS such as 05562004, nuts:DEA36, us:26163)",
        ), False
    shown = _region_label(*parsed, names)
    verdicts = [contains((selection.level, member), parsed, on) for member in selection.members]
    if any(verdicts):
        return _rule(
            "region", True, f"Unternehmen in der Region {target} ({shown})", f"company in the region {target} ({shown})"
        ), True
    if None in verdicts:
        return _rule(
            "region",
            False,
            f"Lage in der Region {target} nicht prüfbar: {shown} ist gröber oder in einem anderen Codesystem",
            f"location in the region {target} cannot be checked: {shown} is coarser or in another code system",
        ), False
    return _rule(
        "region",
        False,
        f"Unternehmen außerhalb der Region {target} ({shown})",
        f"company outside the region {target} ({shown})",
    ), False


# ----------------------------------------------------------------------------------------------- other rules


def _stage_rule(deal: DealIn, mandate: Mandate) -> RuleResult:
    allowed_de = _names([label(s, "de") for s in mandate.stages], "de")
    allowed_en = _names([label(s, "en") for s in mandate.stages], "en")
    if deal.stage in mandate.stages:
        return _rule(
            "stage",
            True,
            f"Finanzierungsphase {label(deal.stage, 'de')} ist im Mandat vorgesehen",
            f"stage {label(deal.stage, 'en')} is within the mandate",
        )
    return _rule(
        "stage",
        False,
        f"Finanzierungsphase {label(deal.stage, 'de')} ist im Mandat nicht vorgesehen (vorgesehen: {allowed_de})",
        f"stage {label(deal.stage, 'en')} is not within the mandate ({allowed_en})",
    )


def _limit_rule(deal: DealIn, mandate: Mandate, earlier: int) -> RuleResult:
    total, limit = earlier + deal.amount, mandate.max_per_company
    passed = total <= limit

    def sentence(lang: Lang) -> str:
        amount = euros(deal.amount, lang)
        if lang == "de":
            sum_ = f"{amount} + bisher {euros(earlier, lang)} = {euros(total, lang)}" if earlier else amount
            where = "innerhalb der" if passed else "über der"
            return f"{sum_} je Unternehmen: {where} Höchstgrenze von {euros(limit, lang)}"
        sum_ = f"{amount} + earlier {euros(earlier, lang)} = {euros(total, lang)}" if earlier else amount
        where = "within the" if passed else "above the"
        return f"{sum_} per company: {where} limit of {euros(limit, lang)}"

    return _rule("max_per_company", passed, sentence("de"), sentence("en"))


def _plus_years(day: date, years: int) -> date:
    """``day`` so many years later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _full_years(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _day(value: date, lang: Lang) -> str:
    return f"{value:%d.%m.%Y}" if lang == "de" else value.isoformat()


def _age_rule(deal: DealIn, limit: int, on: date) -> RuleResult:
    if deal.founded is None:
        return _rule(
            "company_age",
            False,
            f"Gründungsdatum fehlt; das Mandat verlangt höchstens {limit} Jahre seit der Gründung",
            f"founding date missing; the mandate requires at most {limit} years since founding",
        )
    years = _full_years(deal.founded, on)
    passed = on <= _plus_years(deal.founded, limit)
    founded_de, founded_en = _day(deal.founded, "de"), _day(deal.founded, "en")
    return _rule(
        "company_age",
        passed,
        f"gegründet am {founded_de}, am {_day(on, 'de')} {years} volle Jahre alt; höchstens {limit} Jahre",
        f"founded on {founded_en}, {years} full years old on {_day(on, 'en')}; at most {limit} years",
    )


def check_deal(
    deal: DealIn,
    mandate: Mandate,
    *,
    earlier: int = 0,
    on: date | None = None,
    region_names: RegionNames | None = None,
) -> MandateCheck:
    """Check ``deal`` against ``mandate`` (the rules of the module docstring).

    ``earlier`` is what the fund put into the same company before (euros); ``on`` the check date when the deal
    has no round date (default today); ``region_names`` names regions in the reasons (else their codes).
    """
    if earlier < 0:
        raise RegiolensError(f"earlier tickets cannot be negative ({earlier})")
    day = deal.round_date or on or date.today()
    names = region_names or {}
    cluster, refs = _cluster_rule(deal, mandate)
    region, in_region = _region_rule(deal, mandate, day, names)
    rules = [cluster, region, _stage_rule(deal, mandate), _limit_rule(deal, mandate, earlier)]
    if mandate.max_company_age_years is not None:
        rules.append(_age_rule(deal, mandate.max_company_age_years, day))
    return MandateCheck(tuple(rules), refs, in_region)


# ----------------------------------------------------------------------------------------------- reading


def parse_mandate(data: Mapping[str, Any], path: str | Path = "<mandate>", text: str = "") -> Mandate:
    """The mandate in the ``[mandate]`` table of a parsed plan; :class:`InputError` names the field (and its line,
    when the TOML ``text`` is given)."""
    table = data.get("mandate")
    if not isinstance(table, Mapping):
        raise InputError(path, None, "mandate", "the plan has no mandate table")
    try:
        return Mandate.model_validate(table)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else None
        locator = _Locator(text)
        line = locator.key(locator.table("mandate"), key) if key else locator.table("mandate")
        field = f"mandate.{key}" if key else "mandate"
        raise InputError(path, line, field, error["msg"].removeprefix("Value error, ")) from None


def read_mandate(path: str | Path) -> Mandate:
    """The ``[mandate]`` table of a plan TOML file (the rest of the plan is not read here)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegiolensError(f"cannot read {file}: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(file, getattr(exc, "lineno", None), None, f"not valid TOML: {exc}") from None
    return parse_mandate(data, file, text)


def warehouse_region_names(wh: Warehouse) -> dict[tuple[RegionLevel, str], str]:
    """The names of every region the warehouse knows, for the reasons of :func:`check_deal`."""
    known = {level.value: level for level in RegionLevel}
    return {
        (known[str(level)], str(code)): str(name)
        for level, code, name in wh.regions()[["region_level", "region_code", "name"]].itertuples(index=False)
        if str(level) in known
    }
