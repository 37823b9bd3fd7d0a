"""Strength classification of region × industry (or cluster) cells, and small-number flags.

A *rule* says when a cell counts as a regional strength: an absolute LQ threshold (``LQ ≥ 1``), a
relative one (the region is in the top quartile of LQs for that industry) or the U.S. Cluster Mapping
"strong cluster" rule that combines relative LQ and size conditions. Rules are named presets in
:data:`PRESETS`, each with German and English descriptions and its source, so that every chart can
name the rule and the thresholds it used. The result keeps every condition, whether it held and the
threshold it was tested against.

Inputs have shape ``(..., R, I)`` (package conventions, see :mod:`regiolens.metrics`). Percentiles are
taken along the region axis, separately for every industry and every leading index (year): pass only
regions of one type (all Kreise, all states) on the region axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
from numpy.typing import ArrayLike

from regiolens.i18n.messages import both
from regiolens.metrics.stats import BoolArray, FloatArray, masked_quantile

__all__ = [
    "PRESETS",
    "SMALL_NUMBER_RULES",
    "Condition",
    "SmallNumberRule",
    "SmallNumbers",
    "StrengthResult",
    "StrengthRule",
    "classify_strength",
    "small_numbers",
]

_CMP_SOURCE = (
    "Delgado, M., Porter, M. E. & Stern, S. (2016), 'Defining clusters of related industries', Journal of "
    "Economic Geography 16(1), 1–38; U.S. Cluster Mapping Project, clustermapping/cmp "
    "data/processing/cluster_calcs_reducer.js (rule as coded; percentiles via d3.quantile)"
)


@dataclass(frozen=True)
class StrengthRule:
    """A strength rule: which conditions a cell must meet.

    - ``lq_min``: ``LQ ≥ lq_min`` (absolute threshold), if set;
    - ``lq_quantile``: ``LQ ≥ P_q(LQ)`` (or ``>`` with ``lq_quantile_strict``), the percentile taken
      across the regions with employment > 0 in that industry (and year), if set;
    - ``size_quantile``: ``employment > P_q(employment)`` and ``establishments > P_q(establishments)``
      over the same regions, if set.
    """

    key: str
    name_de: str
    name_en: str
    description_de: str
    description_en: str
    source: str
    lq_min: float | None = None
    lq_quantile: float | None = None
    lq_quantile_strict: bool = False
    size_quantile: float | None = None

    def name(self, lang: str = "de") -> str:
        return self.name_de if lang == "de" else self.name_en

    def description(self, lang: str = "de") -> str:
        return self.description_de if lang == "de" else self.description_en


def _cmp_rule(key: str, label: str, q: float, strict: bool, lq_min: float | None) -> StrengthRule:
    p = f"P{round(q * 100)}"
    op = ">" if strict else "≥"
    lq1_de = " und LQ ≥ 1" if lq_min is not None else ""
    lq1_en = " and LQ ≥ 1" if lq_min is not None else ""
    return StrengthRule(
        key=key,
        name_de=f"U.S. Cluster Mapping: {label}",
        name_en=f"U.S. Cluster Mapping: {label}",
        description_de=(
            f"LQ {op} {p} der LQ{lq1_de}, Beschäftigte > P25 und Betriebe > P25; Perzentile über alle Regionen "
            "desselben Typs mit Beschäftigten > 0, je Cluster und Jahr (lineare Interpolation)."
        ),
        description_en=(
            f"LQ {op} {p} of LQ{lq1_en}, employment > P25 and establishments > P25; percentiles across all "
            "regions of the same type with employment > 0, per cluster and year (linear interpolation)."
        ),
        source=_CMP_SOURCE,
        lq_min=lq_min,
        lq_quantile=q,
        lq_quantile_strict=strict,
        size_quantile=0.25,
    )


PRESETS: dict[str, StrengthRule] = {
    r.key: r
    for r in (
        StrengthRule(
            key="lq>=1",
            name_de="LQ ≥ 1",
            name_en="LQ ≥ 1",
            description_de="Spezialisiert: Der Anteil der Branche an der Beschäftigung der Region ist mindestens so "
            "hoch wie im Referenzgebiet.",
            description_en="Specialised: the industry's share of the region's employment is at least its share in "
            "the reference area.",
            source="Location quotient, e.g. Isard, W. (1960), Methods of Regional Analysis; the LQ ≥ 1 condition of "
            "the U.S. Cluster Mapping strong rule; EconGeo location_quotient(binary=TRUE) keeps LQ = 1 as 1.",
            lq_min=1.0,
        ),
        StrengthRule(
            key="lq>=1.25",
            name_de="LQ ≥ 1,25",
            name_en="LQ ≥ 1.25",
            description_de="Deutlich spezialisiert: Der Branchenanteil liegt mindestens 25 % über dem des "
            "Referenzgebiets (Faustregel, kein statistischer Test).",
            description_en="Clearly specialised: the industry's share is at least 25 % above the reference area's "
            "(a rule of thumb, not a statistical test).",
            source="Rule of thumb of applied cluster mapping, e.g. the UK cluster mapping study (DTI 2001, Business "
            "Clusters in the UK); on the arbitrariness of such cut-offs see Crawley, Beynon & Munday (2013), "
            "Urban Studies 50(9).",
            lq_min=1.25,
        ),
        StrengthRule(
            key="top-quartile",
            name_de="Oberes Quartil der LQ",
            name_en="Top quartile of LQ",
            description_de="LQ ≥ P75 der LQ aller Regionen mit Beschäftigten > 0 in dieser Branche (und diesem Jahr).",
            description_en="LQ ≥ P75 of the LQs of all regions with employment > 0 in this industry (and year).",
            source="Relative LQ threshold as in the U.S. Cluster Mapping strong rule (Delgado, Porter & Stern 2016), "
            "without its size conditions and without LQ ≥ 1.",
            lq_quantile=0.75,
        ),
        _cmp_rule("us-cmp-qualifying", "qualifying", 0.25, True, None),
        _cmp_rule("us-cmp-significant", "significant", 0.5, True, None),
        _cmp_rule("us-cmp-strong", "strong", 0.75, False, 1.0),
        _cmp_rule("us-cmp-strong10", "strong (top 10 %)", 0.9, False, 1.0),
    )
}
"""The named strength rules. The U.S. CMP keys reproduce ``qualifying_b``, ``significant_b``,
``strong_b`` and ``strong10_b`` of the CMP processing code."""


@dataclass(frozen=True)
class Condition:
    """One condition of a rule, as tested: ``statistic operator threshold``.

    ``threshold`` is the value tested against: a scalar for absolute thresholds, shape ``(..., 1, I)``
    for percentiles (one per industry and year) — so a chart can print "LQ ≥ 1.37 (P75)".
    """

    key: str
    statistic: str  # "lq", "employment" or "establishments"
    operator: str  # ">=" or ">"
    quantile: float | None  # None for an absolute threshold
    threshold: FloatArray
    held: BoolArray
    label_de: str
    label_en: str


@dataclass(frozen=True)
class StrengthResult:
    """Which cells count as strong under a rule, and why.

    ``strong`` is ``False`` both for "not strong" and for "cannot tell": ``known`` is ``False`` where an
    input the rule needs is ``NaN`` (e.g. a suppressed cell). ``approximate`` says that the rule could
    not be applied as defined (see ``notes``).
    """

    rule: StrengthRule
    strong: BoolArray
    known: BoolArray
    conditions: tuple[Condition, ...]
    approximate: bool
    notes: tuple[str, ...]
    notes_de: tuple[str, ...] = ()
    """``notes`` in German (both from :data:`regiolens.i18n.messages.NOTE_KINDS`)."""

    def condition(self, key: str) -> Condition:
        """The condition named ``key`` (e.g. ``"lq_quantile"``)."""
        for c in self.conditions:
            if c.key == key:
                return c
        raise KeyError(key)


def _percent(q: float) -> str:
    return f"P{round(q * 100)}"


def classify_strength(
    lq: ArrayLike,
    *,
    rule: str | StrengthRule = "lq>=1",
    employment: ArrayLike | None = None,
    establishments: ArrayLike | None = None,
) -> StrengthResult:
    """Classify every cell of ``lq`` (shape ``(..., R, I)``) as strong or not under a named rule.

    Percentile thresholds ``P_q`` are taken along the region axis for each industry (and leading
    index), over the **population** of regions with employment > 0 (``LQ > 0`` where ``employment`` is
    not given) and a known value, with linear interpolation between order statistics
    (``d3.quantile`` = numpy ``method="linear"``). The U.S. CMP strong rule then reads::

        strong = LQ ≥ P75(LQ) ∧ emp > P25(emp) ∧ est > P25(est) ∧ LQ ≥ 1

    Reference: Delgado, M., Porter, M. E. & Stern, S. (2016), *Journal of Economic Geography* 16(1);
    U.S. Cluster Mapping Project code (``cluster_calcs_reducer.js``), whose flags this reproduces when
    fed the same LQ, employment and establishment counts. See :data:`PRESETS` for every rule's source.

    Conventions and deviations:

    - Rules with size conditions need ``employment``. Without ``establishments`` the establishment
      condition is **dropped**: the result is flagged ``approximate`` with a note — fewer conditions,
      so more cells may count as strong than under the rule as defined.
    - CMP computes these flags for *traded* clusters only, with the cluster LQ against traded
      employment; which industries or clusters to classify, and which LQ, is the caller's choice.
    - CMP sets non-finite LQs to 0; we keep ``NaN`` cells out of the percentile population and mark them
      ``known = False``. Where a column has unknown cells, its percentiles come from the known cells
      only (noted in ``notes``).
    """
    r = PRESETS[rule] if isinstance(rule, str) else rule
    q = np.asarray(lq, dtype=np.float64)
    if q.ndim < 2:
        raise ValueError(f"lq must have shape (..., R, I), got {q.shape}")
    emp = None if employment is None else np.broadcast_to(np.asarray(employment, dtype=np.float64), q.shape)
    est = None if establishments is None else np.broadcast_to(np.asarray(establishments, dtype=np.float64), q.shape)
    if r.size_quantile is not None and emp is None:
        raise ValueError(f"rule {r.key!r} needs employment")

    notes: list[tuple[str, str]] = []  # (German, English)
    approximate = False
    relative = r.lq_quantile is not None or r.size_quantile is not None
    lq_known = np.isfinite(q)
    emp_known = np.isfinite(emp) if emp is not None else np.ones(q.shape, dtype=bool)
    present = (emp > 0) if emp is not None else (q > 0)
    population = present & lq_known & emp_known
    known = lq_known & emp_known if relative else lq_known

    conditions: list[Condition] = []
    if r.lq_quantile is not None:
        p = r.lq_quantile
        threshold = masked_quantile(q, population, p)
        sym = ">" if r.lq_quantile_strict else "≥"
        label = f"LQ {sym} {_percent(p)}(LQ)"
        conditions.append(
            Condition(
                key="lq_quantile",
                statistic="lq",
                operator=">" if r.lq_quantile_strict else ">=",
                quantile=p,
                threshold=threshold,
                held=(q > threshold) if r.lq_quantile_strict else (q >= threshold),
                label_de=label,
                label_en=label,
            )
        )
    if r.size_quantile is not None and emp is not None:
        p = r.size_quantile
        pe = _percent(p)
        threshold = masked_quantile(emp, population, p)
        conditions.append(
            Condition(
                key="employment_quantile",
                statistic="employment",
                operator=">",
                quantile=p,
                threshold=threshold,
                held=emp > threshold,
                label_de=f"Beschäftigte > {pe}(Beschäftigte)",
                label_en=f"employment > {pe}(employment)",
            )
        )
        if est is None:
            approximate = True
            notes.append(both("establishments_missing", p=pe, rule=repr(r.key)))
        else:
            est_known = np.isfinite(est)
            known &= est_known
            threshold = masked_quantile(est, population & est_known, p)
            conditions.append(
                Condition(
                    key="establishments_quantile",
                    statistic="establishments",
                    operator=">",
                    quantile=p,
                    threshold=threshold,
                    held=est > threshold,
                    label_de=f"Betriebe > {pe}(Betriebe)",
                    label_en=f"establishments > {pe}(establishments)",
                )
            )
        # no employment: fails 'employment > P(employment)' whatever else is unknown
        known |= emp == 0
    if r.lq_min is not None:
        threshold = np.asarray(r.lq_min, dtype=np.float64)
        label = f"LQ ≥ {r.lq_min:g}"
        conditions.append(
            Condition(
                key="lq_min",
                statistic="lq",
                operator=">=",
                quantile=None,
                threshold=threshold,
                held=q >= threshold,
                label_de=label.replace(".", ","),
                label_en=label,
            )
        )
    if relative and not np.all(known):
        notes.append(both("cells_unknown", n=int(np.sum(~known))))

    strong = np.ones(q.shape, dtype=bool)
    for c in conditions:
        strong &= c.held
    strong &= known
    return StrengthResult(
        rule=r,
        strong=strong,
        known=known,
        conditions=tuple(conditions),
        approximate=approximate,
        notes=tuple(en for _, en in notes),
        notes_de=tuple(de for de, _ in notes),
    )


# ------------------------------------------------------------------ small numbers
@dataclass(frozen=True)
class SmallNumberRule:
    """When a cell counts as a "small number": ``0 < value < minimum`` for employment or establishments."""

    key: str
    min_employment: float
    min_establishments: float
    description_de: str
    description_en: str
    source: str


SMALL_NUMBER_RULES: dict[str, SmallNumberRule] = {
    "de-min3": SmallNumberRule(
        key="de-min3",
        min_employment=3,
        min_establishments=3,
        description_de="Kleine Fallzahl: weniger als 3 Beschäftigte oder weniger als 3 Betriebe (Mindestfallzahl der "
        "statistischen Geheimhaltung).",
        description_en="Small number: fewer than 3 employees or fewer than 3 establishments (minimum case count of "
        "German statistical confidentiality).",
        source="Statistik der Bundesagentur für Arbeit, Regeln der statistischen Geheimhaltung: standard "
        "Mindestfallzahl of three units per table cell (§ 16 BStatG, § 281 (3) SGB III); the dominance rule "
        "needs establishment-level data and is not checked here.",
    ),
}
"""Named small-number rules (default ``"de-min3"``)."""


@dataclass(frozen=True)
class SmallNumbers:
    """Small-number flags (boolean arrays of the inputs' shape; ``None`` for an input not given)."""

    rule: SmallNumberRule
    employment: BoolArray | None
    establishments: BoolArray | None
    any: BoolArray


def small_numbers(
    employment: ArrayLike | None = None,
    establishments: ArrayLike | None = None,
    *,
    rule: str | SmallNumberRule = "de-min3",
) -> SmallNumbers:
    """Flag small numbers: ``0 < employment < min_employment`` or ``0 < establishments < min_establishments``.

    Small numbers make ratios such as the LQ unstable and would be confidential in official
    statistics; mark them in tables and charts rather than hide them.

    Conventions: zero is *not* a small number (nothing is there, nothing to disclose), and ``NaN``
    cells are not flagged — they are already flagged as suppressed or missing upstream. Default rule
    ``"de-min3"``: fewer than 3 units, the standard minimum case count of German official statistics
    (see :data:`SMALL_NUMBER_RULES` for the source).
    """
    r = SMALL_NUMBER_RULES[rule] if isinstance(rule, str) else rule
    if employment is None and establishments is None:
        raise ValueError("give employment, establishments or both")
    by_emp = None if employment is None else _between_zero_and(employment, r.min_employment)
    by_est = None if establishments is None else _between_zero_and(establishments, r.min_establishments)
    flags = [f for f in (by_emp, by_est) if f is not None]
    return SmallNumbers(rule=r, employment=by_emp, establishments=by_est, any=reduce(np.logical_or, flags))


def _between_zero_and(values: ArrayLike, minimum: float) -> BoolArray:
    v = np.asarray(values, dtype=np.float64)
    return (v > 0) & (v < minimum)
