"""The transferability assessment: its figures are the analytics' figures (one code path), its total is the
documented weighted mean, its runs are saved as versions and compared per target region, scoped like records."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from regiolens.analysis.compare import compare
from regiolens.analysis.opportunities import opportunities
from regiolens.analysis.peers import peers
from regiolens.analysis.profile import profile
from regiolens.errors import RegiolensError
from regiolens.network import assessment, examples, records
from regiolens.network.assessment import AssessmentResult, Component, assess, total_score
from regiolens.network.fit import PRESET, PROXY_TAXONOMY, Analytics
from regiolens.network.inputs import FactIn, InitiativeIn
from regiolens.regions.resolve import RegionSelection, resolve_region
from regiolens.warehouse.store import Warehouse
from regiolens.web import accounts
from regiolens.web.accounts import PermissionDenied
from regiolens.web.db import Role, make_engine, session_factory, upgrade
from tests.network.conftest import PASSWORD, People

ORIGIN, TARGET = resolve_region("region-hannover"), resolve_region("emscher-lippe")
FOCUS = ("automotive", "medtech", "photonics", "production", "ict")
"""The five hannoverimpuls clusters, in the order the example initiative names them."""


@dataclass(frozen=True)
class Case:
    """One assessment and what its structural figures must be: the peers ranking of ``ranked`` (the target, or —
    when the origin is a group of several regions — the origin), in which ``other`` (a Kreis code) is found."""

    origin: RegionSelection
    target: RegionSelection
    result: AssessmentResult
    ranked: RegionSelection
    other: str

    @property
    def swapped(self) -> bool:
        """Whether the origin's ranking was read (the origin is a group): then its "peer" is the target."""
        return self.ranked is self.origin


@pytest.fixture(scope="session")
def from_a_group(wh: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> dict[str, AssessmentResult]:
    """An initiative of the group Emscher-Lippe (three Kreise) with the five hannoverimpuls clusters, assessed for
    Region Hannover (a group of one Kreis) and for Bochum (a Kreis)."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'g.db'}")
    upgrade(engine)
    initiative = InitiativeIn(
        key="el-fonds",
        name="Gründerfonds Emscher-Lippe",
        region="emscher-lippe",
        facts=[FactIn(kind="focus_cluster", taxonomy="hannoverimpuls", cluster=c) for c in FOCUS],
    )
    with session_factory(engine).begin() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        user = accounts.create_user(s, "ada@example.org", "Ada", PASSWORD, "herten", Role.editor)
        records.create_initiative(s, user, initiative)
        found = {target: assess(s, wh, user, "el-fonds", target, save=False) for target in ("region-hannover", "05911")}
    engine.dispose()
    return found


@pytest.fixture(
    scope="session",
    params=[("region-hannover", "emscher-lippe"), ("emscher-lippe", "region-hannover"), ("emscher-lippe", "05911")],
    ids=lambda pair: " to ".join(pair),
)
def case(request: pytest.FixtureRequest, result: AssessmentResult) -> Case:
    origin, target = (resolve_region(r) for r in request.param)
    if origin.ref == "region-hannover":  # a region of the target's level: found in the target's ranking
        return Case(origin, target, result, ranked=target, other="03241")
    found = request.getfixturevalue("from_a_group")[target.ref]
    return Case(origin, target, found, ranked=origin, other=target.members[0])


def test_structural_figures_are_those_of_peers(wh: Warehouse, case: Case) -> None:
    result = case.result
    ranking = peers(wh, case.ranked, n=100_000, year=result.year, base_year=result.base_year)
    other = next(p for p in ranking.peers if p.code == case.other)
    s = result.structural
    assert s.available and s.ranked_for == case.ranked.ref
    assert (s.distance, s.rank, s.candidates) == (other.distance, other.rank, len(ranking.peers))
    assert [(i.name, i.target, i.origin, i.contribution) for i in s.indicators] == [
        (i.name, i.peer, i.target, i.contribution) if case.swapped else (i.name, i.target, i.peer, i.contribution)
        for i in other.indicators
    ]
    assert s.score == pytest.approx(1 - (other.rank - 1) / (len(ranking.peers) - 1))
    assert other.reason_de in s.reason_de and other.reason_en in s.reason_en


def test_similarity_is_the_same_from_either_side(
    result: AssessmentResult, from_a_group: dict[str, AssessmentResult]
) -> None:
    """Region Hannover is found in Emscher-Lippe's ranking whichever of the two is the origin."""
    a, b = result.structural, from_a_group["region-hannover"].structural
    assert (a.distance, a.rank, a.candidates, a.score) == (b.distance, b.rank, b.candidates, b.score)
    assert [(i.target, i.origin) for i in a.indicators] == [(i.origin, i.target) for i in b.indicators]


def test_cluster_figures_are_those_of_profile_and_opportunities(wh: Warehouse, case: Case) -> None:
    result, origin, target = case.result, case.origin, case.target
    years = {"year": result.year, "base_year": result.base_year}
    clusters = profile(wh, target, **years, preset=PRESET)  # the hannoverimpuls taxonomy, as the initiative names
    proxies_t = {
        c.cluster: c for c in profile(wh, target, **years, preset=PRESET, taxonomy=str(PROXY_TAXONOMY)).clusters
    }
    proxies_o = {
        c.cluster: c for c in profile(wh, origin, **years, preset=PRESET, taxonomy=str(PROXY_TAXONOMY)).clusters
    }
    outlook = {c.cluster: c for c in opportunities(wh, target, **years, taxonomy=str(PROXY_TAXONOMY)).clusters}
    assert [f.cluster for f in result.clusters] == list(FOCUS)
    for fit in result.clusters:
        row = next(c for c in clusters.clusters if c.cluster == fit.cluster)
        assert (fit.status, fit.resolution) == (row.status, row.reason) == ("not_resolvable", row.reason)
        assert fit.basis == "proxy" and fit.proxy == ("section-j" if fit.cluster == "ict" else "section-c")
        t, o = proxies_t[fit.proxy].figures, proxies_o[fit.proxy].figures
        assert t is not None and o is not None and t.lq is not None
        assert (fit.lq, fit.employment, fit.growth, fit.reference_growth) == (
            t.lq,
            t.employment,
            t.growth,
            t.reference_growth,
        )
        assert (fit.lq_origin, fit.employment_origin) == (o.lq, o.employment)
        assert fit.density == (outlook[fit.proxy].density if t.lq < 1 else None)  # relatedness counts where weak
        assert "nicht auflösbar" in fit.reason_de and "not resolvable on these data" in fit.reason_en
        assert "nicht des Clusters" in fit.reason_de and "not of the cluster" in fit.reason_en
        assert result.target.name in fit.reason_de and result.origin.name in fit.reason_de
    ict = result.clusters[-1]
    j = next(r for r in clusters.industries if r.code == "J")
    assert ict.lq == pytest.approx(j.lq)  # the proxy J is the industry J of the profile, against the same totals
    assert "Abschnitt J" in (ict.proxy_name_de or "") and "Abschnitt C" in (result.clusters[0].proxy_name_de or "")


def test_sub_scores_follow_the_documented_formulas(case: Case) -> None:
    for fit in case.result.clusters:
        assert fit.lq is not None and fit.employment is not None and fit.employment_origin is not None
        assert fit.growth is not None and fit.reference_growth is not None
        expected = {
            "specialisation": min(1.0, fit.lq / 1.25),
            "size": min(1.0, fit.employment / fit.employment_origin),
            "growth": min(1.0, max(0.0, 0.5 + (fit.growth - fit.reference_growth) / 0.2)),
        }
        if fit.lq < 1:
            assert fit.density is not None
            expected["relatedness"] = fit.density
        assert fit.parts == pytest.approx(expected)
        assert fit.score == pytest.approx(sum(expected.values()) / len(expected))


def test_portfolio_and_side_by_side_are_those_of_compare(wh: Warehouse, case: Case) -> None:
    result, origin, target = case.result, case.origin, case.target
    comparison = compare(wh, [origin, target], result.year, result.base_year, preset=PRESET)
    p = result.portfolio
    assert [i.code for i in p.shared] == comparison.shared_strengths
    assert sorted(i.code for i in p.only_origin + p.only_target) == sorted(d.code for d in comparison.differences)
    assert all(d.strong_in == [origin.ref] for d in comparison.differences if d.code in {i.code for i in p.only_origin})
    union = len(p.shared) + len(p.only_origin) + len(p.only_target)
    assert p.score == (len(p.shared) / union if union else None)
    profile_o, profile_t = comparison.profiles
    assert [(r.code, r.lq_origin, r.lq_target) for r in result.side_by_side] == [
        (o.code, o.lq, t.lq) for o, t in zip(profile_o.industries, profile_t.industries, strict=True)
    ]


def test_every_reason_is_in_the_readers_language(result: AssessmentResult) -> None:
    """The checklist's answers read "nein"/"ja" in German and "no"/"yes" in English; the notes exist in both."""
    preconditions = result.components[-1]
    assert "Venture-Capital-Markt und private Co-Investoren: nein" in preconditions.reason_de
    assert "Hochschulen und Forschungseinrichtungen: ja" in preconditions.reason_de
    assert "Politischer Rückhalt: unbekannt" in preconditions.reason_de
    assert not re.search(r": (yes|no|partly|unknown)\b", preconditions.reason_de)
    assert "Venture-capital market and private co-investors: no" in preconditions.reason_en
    assert "score 0.50" in preconditions.reason_en and "Score 0,50" in preconditions.reason_de
    vc = result.checklist[0]
    assert (vc.answer, vc.answer_de, vc.answer_en) == ("no", "nein", "no")
    assert len(result.notes_de) == len(result.notes_en) >= 1
    assert result.notes_de[-1].startswith("Referenz:") and result.notes_en[-1].startswith("Reference:")


def test_total_is_the_weighted_mean_of_the_scored_components(result: AssessmentResult) -> None:
    by_key = {c.key: c for c in result.components}
    assert list(by_key) == ["structure", "clusters", "portfolio", "preconditions"]
    assert by_key["preconditions"].score == pytest.approx(0.5)  # no (0) and yes (1), the rest unknown
    assert by_key["clusters"].score == pytest.approx(sum(f.score or 0 for f in result.clusters) / 5)
    scored = [c for c in result.components if c.score is not None]
    assert result.total == pytest.approx(sum(c.weight * (c.score or 0) for c in scored) / sum(c.weight for c in scored))
    for c in result.components:
        assert c.reason_de and c.reason_en
    assert result.exchanges[0].title == "Besuch bei hannoverimpuls" and len(result.exchanges[0].open_follow_ups) == 2


def test_total_score_leaves_out_components_without_score() -> None:
    def component(key: str, weight: float, score: float | None) -> Component:
        return Component(key=key, name_de=key, name_en=key, weight=weight, score=score, reason_de="", reason_en="")

    parts = [component("structure", 2, 0.9), component("clusters", 1, None), component("portfolio", 1, 0.3)]
    assert total_score(parts) == pytest.approx((2 * 0.9 + 0.3) / 3)
    assert total_score([component("clusters", 1, None)]) is None


def test_the_result_survives_json(result: AssessmentResult) -> None:
    assert AssessmentResult.model_validate(result.model_dump(mode="json")) == result


# --------------------------------------------------------------------------------------------- saved versions


@pytest.fixture
def cached(wh: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    """One :class:`Analytics` for every run of a test: the same calls, each computed once."""
    shared = Analytics(wh)
    monkeypatch.setattr(assessment, "Analytics", lambda *_args: shared)


@pytest.mark.usefixtures("cached")
def test_runs_are_versions_compared_per_target_and_scoped(session: Session, people: People, wh: Warehouse) -> None:
    examples.load_examples(session, people.ada)
    first = assess(session, wh, people.ada, "hannoverimpuls", "emscher-lippe")
    second = assess(session, wh, people.ada, "hannoverimpuls", "emscher-lippe", checklist={"budget": "yes"})
    assert (first.version, second.version) == (1, 2) and first.assessment_id == second.assessment_id
    assert first.assessment_id is not None
    assert assessment.load_version(session, people.ada, first.assessment_id, 1) == first
    assert assessment.load_version(session, people.gil, first.assessment_id) == second  # shared like the initiative
    assert [v.version for v in assessment.versions_of(session, people.ada, first.assessment_id)] == [1, 2]

    other = InitiativeIn(
        key="ikt-offensive",
        name="IKT-Offensive",
        region="region-hannover",
        facts=[FactIn(kind="focus_cluster", taxonomy="hannoverimpuls", cluster="ict", valid_from=date(2020, 1, 1))],
    )
    records.create_initiative(session, people.ada, other)  # private to Herten
    third = assess(session, wh, people.ada, "ikt-offensive", "emscher-lippe", weights={"preconditions": 0})
    assert len(third.clusters) == 1 and third.components[-1].weight == 0
    side = assessment.assessments_for_target(session, people.ada, "emscher-lippe")
    assert {r.initiative_key for r in side} == {"hannoverimpuls", "ikt-offensive"}
    assert [r.total for r in side] == sorted((r.total for r in side), key=lambda t: -(t or 0))
    assert next(r for r in side if r.initiative_key == "hannoverimpuls").version == 2
    assert [r.initiative_key for r in assessment.assessments_for_target(session, people.gil, "emscher-lippe")] == [
        "hannoverimpuls"
    ]
    assert assessment.assessments_for_target(session, people.hal, "emscher-lippe") == []
    assert third.assessment_id is not None
    for user in (people.gil, people.hal):
        with pytest.raises(RegiolensError, match="no assessment"):
            assessment.load_version(session, user, third.assessment_id)


@pytest.mark.usefixtures("cached")
def test_viewers_assess_without_saving_and_outsiders_not_at_all(
    session: Session, people: People, wh: Warehouse
) -> None:
    examples.load_examples(session, people.ada)
    with pytest.raises(PermissionDenied, match="editor"):
        assess(session, wh, people.vic, "hannoverimpuls", "emscher-lippe")
    unsaved = assess(session, wh, people.vic, "hannoverimpuls", "emscher-lippe", save=False)
    assert unsaved.version is None and unsaved.total is not None
    with pytest.raises(records.NotFound):
        assess(session, wh, people.hal, "hannoverimpuls", "emscher-lippe", save=False)
    records.create_initiative(session, people.ada, InitiativeIn(key="ohne-region", name="Ohne Region"))
    with pytest.raises(RegiolensError, match="names no region"):
        assess(session, wh, people.ada, "ohne-region", "emscher-lippe", save=False)


@pytest.mark.usefixtures("cached")
def test_two_groups_leave_the_structure_out_and_say_why(session: Session, people: People, wh: Warehouse) -> None:
    accounts.create_organisation(session, "bund", "Bund")
    user = accounts.create_user(session, "bo@example.org", "Bo", PASSWORD, "bund", Role.editor)
    records.create_initiative(session, user, InitiativeIn(key="el", name="EL", region="emscher-lippe"))
    found = assess(session, wh, user, "el", "emscher-lippe", save=False)
    structure = found.components[0]
    assert structure.score is None and "Gruppen" in structure.reason_de and "groups" in structure.reason_en
    assert any("nicht im Gesamtscore" in n for n in found.notes_de)
    assert any("left out of the total" in n for n in found.notes_en)
