"""The transferability assessment: how well would an initiative seen in one region suit a target region?

:func:`assess` combines four components, each a score from 0 to 1 with its reason in German and English:

============== =====================================================================================================
component      score (details in :mod:`regiolens.network.fit` and :mod:`regiolens.network.checklist`)
============== =====================================================================================================
structure      ``1 − (r − 1)/(C − 1)``: rank ``r`` of the origin among the ``C`` regions that
               :func:`~regiolens.analysis.peers.peers` ranks by distance to the target
clusters       mean of ``s_c`` over the initiative's focus clusters with a figure (or a proxy, marked):
               ``s_c`` = mean of specialisation ``min(1, LQ/1.25)``, size ``min(1, E_t/E_o)``, growth
               ``clip(½ + (g_t − g_D)/0.2, 0, 1)`` and, for a weak cluster (LQ < 1), its relatedness density
portfolio      ``|S_o ∩ S_t| / |S_o ∪ S_t|`` of the strong industries and clusters (``compare``)
preconditions  ``Σ w_i v_i / Σ_known w_i`` of the checklist (yes 1, partly ½, no 0; unknown left out)
============== =====================================================================================================

and the total is their weighted mean over the components that have a score::

    total = Σ_{k ∈ A} w_k · s_k / Σ_{k ∈ A} w_k          A = components with a score; w_k from the checklist
                                                          defaults (all 1) or the caller's ``weights``

A component without a score (e.g. both regions are groups, no focus cluster resolvable and no proxy, no
precondition answered) is left out of the total and said so; with none at all there is no total. Notes from the
exchanges in which the initiative was discussed (findings, open follow-ups) and the lessons learned from it are
listed beside the scores: they inform the judgement but are not scored.

Every run can be saved (:func:`assess` with ``save=True``): the assessment of one initiative for one target
region in one organisation is an :class:`~regiolens.network.models.Assessment`, each run a new
:class:`~regiolens.network.models.AssessmentVersion` with its inputs and the whole result as JSON.
:func:`assessments_for_target` sets the latest versions for one target side by side ("which of the approaches we
saw suits us best?").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.analysis.results import SourceRef
from regiolens.errors import RegiolensError
from regiolens.i18n import format_number
from regiolens.network import checklist as checklists
from regiolens.network.fit import (
    Analytics,
    ClusterFit,
    Portfolio,
    Structural,
    cluster_fits,
    portfolio_overlap,
    structural_similarity,
)
from regiolens.network.models import Assessment, AssessmentVersion, FactKind, Initiative
from regiolens.network.records import (
    exchanges_about,
    facts_on,
    get_initiative,
    lessons_about,
    owner_organisation,
)
from regiolens.regions.resolve import resolve_region
from regiolens.warehouse.store import Warehouse
from regiolens.web.accounts import visible
from regiolens.web.db import Organisation, User, Visibility, utcnow

NAMES: dict[str, tuple[str, str]] = {
    "structure": ("Strukturelle Ähnlichkeit", "Structural similarity"),
    "clusters": ("Stärke der Fokuscluster im Ziel", "Strength of the focus clusters in the target"),
    "portfolio": ("Überschneidung der Portfolios", "Overlap of the portfolios"),
    "preconditions": ("Voraussetzungen (Checkliste)", "Preconditions (checklist)"),
}
"""Names of the components in German and English."""

METHOD_DE = (
    "Gesamtscore = Σ w_k · s_k / Σ w_k über die Komponenten k mit Score (0 bis 1). Struktur: 1 − (Rang − 1)/"
    "(Kandidaten − 1) der Herkunft in der Vergleichsregionen-Rangfolge des Ziels. Cluster: Mittel je Fokuscluster "
    "aus Spezialisierung min(1, LQ/1,25), Größe min(1, Beschäftigte Ziel/Herkunft), Wachstum clip(½ + (g − g_D)/0,2, "
    "0, 1) und bei LQ < 1 der Verwandtschaftsdichte; nicht auflösbare Cluster über eine ausdrücklich genannte "
    "Näherung (ganzer WZ-Abschnitt). Portfolio: gemeinsame starke Branchen/Cluster geteilt durch alle starken "
    "(Jaccard). Voraussetzungen: gewichtetes Mittel der beantworteten Punkte (ja 1, teilweise ½, nein 0)."
)
METHOD_EN = (
    "Total = Σ w_k · s_k / Σ w_k over the components k with a score (0 to 1). Structure: 1 − (rank − 1)/(candidates "
    "− 1) of the origin in the target's peers ranking. Clusters: mean per focus cluster of specialisation min(1, "
    "LQ/1.25), size min(1, employees target/origin), growth clip(½ + (g − g_D)/0.2, 0, 1) and, where LQ < 1, the "
    "relatedness density; clusters that cannot be resolved through an explicitly named proxy (a whole WZ section). "
    "Portfolio: shared strong industries/clusters over all strong ones (Jaccard). Preconditions: weighted mean of "
    "the answered items (yes 1, partly ½, no 0)."
)


class RegionOut(BaseModel):
    """A region of the assessment: the reference typed and its name."""

    model_config = ConfigDict(frozen=True)

    ref: str
    name: str


class Component(BaseModel):
    """One component of the total: weight, score (``None``: not available) and why."""

    model_config = ConfigDict(frozen=True)

    key: str
    name_de: str
    name_en: str
    weight: float
    score: float | None
    reason_de: str
    reason_en: str


class SideRow(BaseModel):
    """One industry in both regions side by side (from the comparison's profiles)."""

    model_config = ConfigDict(frozen=True)

    code: str
    label_de: str
    label_en: str
    share_origin: float | None
    share_target: float | None
    lq_origin: float | None
    lq_target: float | None
    growth_origin: float | None
    growth_target: float | None
    strong_origin: bool
    strong_target: bool


class ExchangeNote(BaseModel):
    """What an exchange about the initiative found, and what is still to do."""

    model_config = ConfigDict(frozen=True)

    exchange_id: int
    title: str
    date: date | None
    findings: str
    open_follow_ups: list[str]


class LessonNote(BaseModel):
    """A lesson learned from the initiative."""

    model_config = ConfigDict(frozen=True)

    lesson_id: int
    title: str
    outcome: str
    preconditions: str


class AssessmentResult(BaseModel):
    """Everything an assessment found; serialises to JSON (:meth:`model_dump`) and back (:meth:`model_validate`).

    Every text that explains a figure is there in German and English (``reason_de``/``reason_en``,
    ``notes_de``/``notes_en``, the checklist's ``answer_de``/``answer_en`` beside its ``answer`` code), so the
    page, the report and the JSON API say it in the reader's language. ``assessment_id`` and ``version`` are set
    once it is saved.
    """

    model_config = ConfigDict(frozen=True)

    initiative_id: int
    initiative_key: str
    initiative_name: str
    origin: RegionOut
    target: RegionOut
    year: int
    base_year: int
    as_of: date
    total: float | None
    components: list[Component]
    structural: Structural
    clusters: list[ClusterFit]
    portfolio: Portfolio
    side_by_side: list[SideRow]
    checklist: list[checklists.ChecklistItem]
    exchanges: list[ExchangeNote]
    lessons: list[LessonNote]
    notes_de: list[str] = []  # a default: versions saved before the notes were in both languages still load
    notes_en: list[str] = []
    sources: list[SourceRef]
    method_de: str = METHOD_DE
    method_en: str = METHOD_EN
    assessment_id: int | None = None
    version: int | None = None
    created_at: datetime | None = None


class AssessmentSummary(BaseModel):
    """One row of the side-by-side list of assessments for a target: the latest version's scores."""

    model_config = ConfigDict(frozen=True)

    assessment_id: int
    organisation: str
    initiative_key: str
    initiative_name: str
    target: str
    version: int
    created_at: datetime
    total: float | None
    scores: dict[str, float | None]


def total_score(components: list[Component]) -> float | None:
    """``Σ w_k s_k / Σ w_k`` over the components with a score and a positive weight (``None`` if there are none)."""
    scored = [c for c in components if c.score is not None and c.weight > 0]
    weight = sum(c.weight for c in scored)
    return sum(c.weight * (c.score or 0.0) for c in scored) / weight if weight else None


def _num(value: float, lang: str) -> str:
    return format_number(round(value, 2), digits=2, locale="de_DE" if lang == "de" else "en_GB")


def _components(
    structural: Structural,
    clusters: list[ClusterFit],
    portfolio: Portfolio,
    items: list[checklists.ChecklistItem],
    weights: Mapping[str, float],
) -> list[Component]:
    scored = [c for c in clusters if c.score is not None]
    cluster_score = sum(c.score or 0.0 for c in scored) / len(scored) if scored else None
    texts: dict[str, tuple[str, str]] = {"structure": (structural.reason_de, structural.reason_en)}
    if not clusters:
        texts["clusters"] = ("Die Initiative nennt keine Fokuscluster.", "The initiative names no focus clusters.")
    else:
        proxies = sum(c.basis == "proxy" for c in clusters)
        lead = []
        for lang in ("de", "en"):
            de = lang == "de"
            head = (
                f"Mittel über {len(scored)} von {len(clusters)} Fokusclustern"
                if de
                else f"Mean over {len(scored)} of {len(clusters)} focus clusters"
            )
            if proxies:
                head += (
                    f", davon {proxies} über eine Näherung (ganzer WZ-Abschnitt)"
                    if de
                    else f", {proxies} of them through a proxy (a whole WZ section)"
                )
            head += (
                f": Score {_num(cluster_score, lang)}. "
                if cluster_score is not None
                else ": kein Score. "
                if de
                else ": no score. "
            )
            entries = [
                f"{c.name_de if de else c.name_en} {_num(c.score, lang) if c.score is not None else '–'}"
                + (f" ({c.proxy_name_de if de else c.proxy_name_en})" if c.basis == "proxy" else "")
                for c in clusters
            ]
            lead.append(head + "; ".join(entries) + ".")
        texts["clusters"] = (lead[0], lead[1])
    texts["portfolio"] = (portfolio.reason_de, portfolio.reason_en)
    answered = [i for i in items if i.value is not None]
    pre_score = checklists.score(items)
    texts["preconditions"] = (
        (
            f"{len(answered)} von {len(items)} Voraussetzungen beantwortet: "
            + "; ".join(f"{i.label_de}: {i.answer_de}" for i in items)
            + (f" (Score {_num(pre_score, 'de')})." if pre_score is not None else " — kein Score.")
        ),
        (
            f"{len(answered)} of {len(items)} preconditions answered: "
            + "; ".join(f"{i.label_en}: {i.answer_en}" for i in items)
            + (f" (score {_num(pre_score, 'en')})." if pre_score is not None else " — no score.")
        ),
    )
    scores = {
        "structure": structural.score,
        "clusters": cluster_score,
        "portfolio": portfolio.score,
        "preconditions": pre_score,
    }
    return [
        Component(
            key=k,
            name_de=NAMES[k][0],
            name_en=NAMES[k][1],
            weight=float(weights.get(k, 1.0)),
            score=scores[k],
            reason_de=texts[k][0],
            reason_en=texts[k][1],
        )
        for k in checklists.COMPONENTS
    ]


def _focus(initiative: Initiative, day: date) -> list[tuple[str, str]]:
    """The focus clusters ``(taxonomy, cluster)`` valid on ``day``, in order, without repeats."""
    facts = [f for f in facts_on(initiative, day) if f.kind is FactKind.focus_cluster]
    return list(dict.fromkeys((f.taxonomy or "", f.cluster or "") for f in facts))


def _weights(base: Mapping[str, float], weights: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(base)
    for key, value in (weights or {}).items():
        if key not in checklists.COMPONENTS:
            raise RegiolensError(f"unknown component {key!r}; choose from {', '.join(checklists.COMPONENTS)}")
        if value < 0:
            raise RegiolensError(f"the weight of {key} must not be negative")
        out[key] = float(value)
    return out


def assess(
    s: Session,
    wh: Warehouse,
    user: User,
    initiative: Initiative | str | int,
    target_region: str,
    *,
    checklist: checklists.Checklist | Mapping[str, checklists.Answer] | None = None,
    weights: Mapping[str, float] | None = None,
    year: int | None = None,
    base_year: int | None = None,
    as_of: date | None = None,
    save: bool = True,
    organisation: str | None = None,
) -> AssessmentResult:
    """Assess how well ``initiative`` (a record or its reference) would suit ``target_region`` (see the module
    docstring for the score).

    ``checklist``: a filled :class:`~regiolens.network.checklist.Checklist` (e.g. from
    :func:`~regiolens.network.checklist.read_checklist`) or answers by key for the defaults. ``weights`` override
    the components' weights. ``as_of`` picks the initiative's statements valid on that day (today by default).
    ``save`` stores the run as a new version of the organisation's assessment (editor role needed; the
    organisation is ``organisation`` or the user's only one).
    """
    record = initiative if isinstance(initiative, Initiative) else get_initiative(s, user, initiative)
    record = get_initiative(s, user, record.id)  # the user must be able to see it
    if not record.region:
        raise RegiolensError(f"initiative {record.key!r} names no region: its origin is needed for the comparison")
    filled = (
        checklist
        if isinstance(checklist, checklists.Checklist)
        else checklists.fill(checklists.default_checklist(), checklist)
    )
    component_weights = _weights(filled.components, weights)
    owner = owner_organisation(s, user, organisation) if save else None
    day = as_of or date.today()
    origin, target = resolve_region(record.region), resolve_region(target_region)
    an = Analytics(wh, year, base_year)
    comparison = an.comparison(origin, target)
    structural = structural_similarity(an, origin, target)
    clusters = cluster_fits(an, origin, target, _focus(record, day))
    portfolio = portfolio_overlap(comparison)
    components = _components(structural, clusters, portfolio, filled.items, component_weights)
    p_o, p_t = comparison.profiles
    side = [
        SideRow(
            code=o.code,
            label_de=o.label_de,
            label_en=o.label_en,
            share_origin=o.share,
            share_target=t.share,
            lq_origin=o.lq,
            lq_target=t.lq,
            growth_origin=o.growth,
            growth_target=t.growth,
            strong_origin=o.strong,
            strong_target=t.strong,
        )
        for o, t in zip(p_o.industries, p_t.industries, strict=True)
    ]
    exchanges = [
        ExchangeNote(
            exchange_id=e.id,
            title=e.title,
            date=e.date,
            findings=e.findings,
            open_follow_ups=[f.task for f in e.follow_ups if not f.done],
        )
        for e in exchanges_about(s, user, record)
    ]
    lessons = [
        LessonNote(lesson_id=x.id, title=x.title, outcome=str(x.outcome), preconditions=x.preconditions)
        for x in lessons_about(s, user, record)
    ]
    missing = [c for c in components if c.score is None]
    notes_de = [f"Komponente ohne Score, nicht im Gesamtscore: {c.name_de}." for c in missing] + [
        f"Referenz: {p_t.reference.name}; Schwelle starker Branchen: {p_t.threshold.description_de}."
    ]
    notes_en = [f"Component without a score, left out of the total: {c.name_en}." for c in missing] + [
        f"Reference: {p_t.reference.name}; threshold of strong industries: {p_t.threshold.description_en}."
    ]
    result = AssessmentResult(
        initiative_id=record.id,
        initiative_key=record.key,
        initiative_name=record.name,
        origin=RegionOut(ref=origin.ref, name=p_o.region.name),
        target=RegionOut(ref=target.ref, name=p_t.region.name),
        year=p_t.year,
        base_year=p_t.base_year,
        as_of=day,
        total=total_score(components),
        components=components,
        structural=structural,
        clusters=clusters,
        portfolio=portfolio,
        side_by_side=side,
        checklist=filled.items,
        exchanges=exchanges,
        lessons=lessons,
        notes_de=notes_de,
        notes_en=notes_en,
        sources=list(dict.fromkeys([*p_o.sources, *p_t.sources])),
    )
    if owner is None:
        return result
    inputs = {
        "target": target_region,
        "year": year,
        "base_year": base_year,
        "as_of": day.isoformat(),
        "weights": component_weights,
        "checklist": [i.model_dump(mode="json") for i in filled.items],
    }
    return _save(s, user, owner, record, target_region, result, inputs)


def _save(
    s: Session,
    user: User,
    owner: Organisation,
    initiative: Initiative,
    target: str,
    result: AssessmentResult,
    inputs: dict[str, Any],
) -> AssessmentResult:
    assessment = s.scalar(
        select(Assessment).where(
            Assessment.organisation_id == owner.id,
            Assessment.initiative_id == initiative.id,
            Assessment.target == target,
        )
    )
    if assessment is None:
        assessment = Assessment(
            organisation_id=owner.id,
            organisation=owner,
            initiative_id=initiative.id,
            target=target,
            created_by=user.id,
            visibility=initiative.visibility if initiative.organisation_id == owner.id else Visibility.private,
        )
        s.add(assessment)
        s.flush()
    else:  # the owner organisation is one the user is editor in (owner_organisation checked it)
        assessment.updated_at = utcnow()
    number = (
        s.scalar(select(func.max(AssessmentVersion.number)).where(AssessmentVersion.assessment_id == assessment.id))
        or 0
    ) + 1
    now = utcnow()
    saved = result.model_copy(update={"assessment_id": assessment.id, "version": number, "created_at": now})
    s.add(
        AssessmentVersion(
            assessment_id=assessment.id,
            number=number,
            created_at=now,
            created_by=user.id,
            total=saved.total,
            inputs=inputs,
            result=saved.model_dump(mode="json"),
        )
    )
    s.flush()
    return saved


def get_assessment(s: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment, if the user may see it."""
    found = s.scalar(visible(s, user, Assessment).where(Assessment.id == assessment_id))
    if found is None:
        raise RegiolensError(f"no assessment {assessment_id}")
    return found


def load_version(s: Session, user: User, assessment_id: int, number: int | None = None) -> AssessmentResult:
    """A saved run (the latest if ``number`` is ``None``) as the result it was."""
    assessment = get_assessment(s, user, assessment_id)
    versions = {v.number: v for v in assessment.versions}
    if not versions:
        raise RegiolensError(f"assessment {assessment_id} has no version")
    version = versions.get(number if number is not None else max(versions))
    if version is None:
        raise RegiolensError(f"assessment {assessment_id} has no version {number} (versions: {sorted(versions)})")
    return AssessmentResult.model_validate(version.result)


def versions_of(s: Session, user: User, assessment_id: int) -> list[AssessmentSummary]:
    """Every run of one assessment, oldest first."""
    assessment = get_assessment(s, user, assessment_id)
    return [_summary(assessment, v) for v in assessment.versions]


def _summary(assessment: Assessment, version: AssessmentVersion) -> AssessmentSummary:
    components = version.result.get("components", [])
    return AssessmentSummary(
        assessment_id=assessment.id,
        organisation=assessment.organisation.slug,
        initiative_key=assessment.initiative.key,
        initiative_name=assessment.initiative.name,
        target=assessment.target,
        version=version.number,
        created_at=version.created_at,
        total=version.total,
        scores={c["key"]: c["score"] for c in components},
    )


def assessments_for_target(s: Session, user: User, target: str) -> list[AssessmentSummary]:
    """The latest version of every assessment for ``target`` the user may see, best total first: the approaches
    seen, side by side. Assessments of initiatives the user may not see are left out."""
    initiatives = visible(s, user, Initiative).with_only_columns(Initiative.id)
    found = s.scalars(
        visible(s, user, Assessment).where(Assessment.target == target, Assessment.initiative_id.in_(initiatives))
    )
    rows = [_summary(a, a.versions[-1]) for a in found if a.versions]
    return sorted(rows, key=lambda r: (r.total is None, -(r.total or 0.0), r.initiative_name.lower()))
