"""``make demo``: an example development concept for Emscher-Lippe for the demo user, clearly marked as an example,
and its paper (DOCX and PDF).

It rests on what the demo loaded before — the example knowledge base (:func:`regiolens.network.examples.load_demo`)
and the example fund plan (:func:`regiolens.fund.demo.load_demo_fund`) — and on the official data in the warehouse,
which it only reads. For the demo organisation it

1. stores ``examples/netzwerk-cluster.toml`` as the taxonomy "Netzwerk-Cluster (Beispiel)" shared in its network:
   the official data count employees by WZ section groups, on which the built-in hannoverimpuls clusters cannot be
   resolved, so the candidates the scorecard ranks are clusters of whole WZ 2008 sections;
2. imports ``examples/hannoverimpuls-vc-fonds.toml`` (the fund hannoverimpuls plans with private co-investors) into
   the knowledge base as example content, the second instrument beside hannoverimpuls itself;
3. creates the concept :data:`CONCEPT_KEY` from ``examples/beispiel-konzept.toml`` (text, instruments, budget,
   milestones) with the example fund plan, shared in the organisation's network — the first one by slug if it is in
   several; in none, it is written for no network and shared as soon as the organisation joins one — and then
   chooses the :data:`FOCUS_COUNT` clusters ranked highest by the scorecard, as the evidence page of the web app
   does: the same scorecard (:func:`regiolens.concept.scorecard.scorecard` with the concept's candidate taxonomies
   and initiatives, no peers, default weights), its fingerprint and vintage recorded with each cluster, and a
   justification written from the cluster's rank and figures;
4. assesses each instrument's initiative for the target region (:func:`regiolens.network.assessment.assess`) unless
   an assessment is stored, so that the paper shows its transferability;
5. writes the paper (:func:`regiolens.reports.concept_paper.gather_paper`, German) to :func:`paper_files`.

Everything goes through the functions the web app and the command line use (:mod:`regiolens.concept.records`,
:func:`regiolens.network.tomlio.import_toml`), so that running it again changes nothing: the taxonomy and the
initiative are left as they are, unchanged content adds no concept version, and the paper is written again only
when a version was added or a file is missing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.clusters.tomlfile import read_toml
from regiolens.concept import records
from regiolens.concept.content import ConceptContent, FocusCluster, FundPlanLink, Instrument, content_of
from regiolens.concept.models import Concept
from regiolens.concept.scorecard import CLASS_NAMES, Scorecard, ScorecardRow, scorecard
from regiolens.fund.demo import PLAN_KEY
from regiolens.fund.records import get_plan
from regiolens.network.assessment import assess
from regiolens.network.examples import DEMO_EMAIL, DEMO_ORGANISATION
from regiolens.network.models import Assessment, Initiative
from regiolens.network.records import get_initiative
from regiolens.network.tomlio import import_toml
from regiolens.reports import text
from regiolens.reports.concept_paper import gather_paper, write_concept_paper
from regiolens.warehouse.store import Warehouse
from regiolens.web.accounts import audit
from regiolens.web.concept_evidence import PEERS, cluster_ref
from regiolens.web.db import (
    Organisation,
    Taxonomy,
    User,
    Visibility,
    make_engine,
    normalise_email,
    session_factory,
    upgrade,
)

EXAMPLES = Path(__file__).parent / "examples"
TAXONOMY_FILE = EXAMPLES / "netzwerk-cluster.toml"
INITIATIVE_FILE = EXAMPLES / "hannoverimpuls-vc-fonds.toml"
CONCEPT_FILE = EXAMPLES / "beispiel-konzept.toml"
CONCEPT_KEY = "beispiel-konzept-emscher-lippe"
PAPER_NAME = "beispiel-konzept"
FOCUS_COUNT = 3
"""How many of the highest-ranked clusters the example chooses as focus clusters."""


def paper_files(out: Path) -> tuple[Path, Path]:
    """Where the example concept's paper is written in ``out``: the DOCX and the PDF."""
    return out / f"{PAPER_NAME}.docx", out / f"{PAPER_NAME}.pdf"


def ensure_taxonomy(s: Session, user: User, organisation: Organisation) -> tuple[Taxonomy, bool]:
    """The example taxonomy (:data:`TAXONOMY_FILE`) as the organisation's taxonomy shared in its network, created
    (and audited, as the web app's form does) unless the organisation has one of that short name; returns it and
    whether it was created. One the organisation has already is left as it is."""
    tax = read_toml(TAXONOMY_FILE)
    found = s.scalar(select(Taxonomy).where(Taxonomy.organisation_id == organisation.id, Taxonomy.slug == tax.id))
    if found is not None:
        return found, False
    definition = [
        {
            "id": c.id,
            "label_de": c.name_de,
            "label_en": c.name_en,
            "codes": [code.code for code in c.definitions[tax.classification].codes],
        }
        for c in tax.clusters
    ]
    record = Taxonomy(
        organisation_id=organisation.id,
        visibility=Visibility.network,
        created_by=user.id,
        slug=tax.id,
        name=tax.name_de,
        classification=tax.classification,
        definition=definition,
    )
    s.add(record)
    s.flush()
    detail = {"slug": tax.id, "name": record.name, "clusters": len(definition), "visibility": str(Visibility.network)}
    audit(s, user, "create", "taxonomy", record.id, detail, organisation.id)
    return record, True


def ensure_initiatives(s: Session, user: User, organisation: Organisation) -> int:
    """Import :data:`INITIATIVE_FILE` as example content unless the organisation has its initiatives already;
    returns how many records were created."""
    keys = [entry["key"] for entry in tomllib.loads(INITIATIVE_FILE.read_text(encoding="utf-8"))["initiatives"]]
    held = set(
        s.scalars(select(Initiative.key).where(Initiative.organisation_id == organisation.id, Initiative.key.in_(keys)))
    )
    if held == set(keys):
        return 0
    return import_toml(s, user, INITIATIVE_FILE, organisation=organisation.slug, example=True).count()


def ensure_assessments(s: Session, wh: Warehouse, user: User, content: ConceptContent, target: str) -> int:
    """Assess every instrument's initiative for ``target`` (:func:`regiolens.network.assessment.assess`, saved for
    the demo organisation) unless an assessment of it for that target is stored already, so that the paper shows the
    transferability beside each instrument; returns how many were added."""
    added = 0
    for instrument in content.instruments:
        initiative = Assessment.initiative_id == instrument.initiative_id
        stored = s.scalar(select(Assessment.id).where(initiative, Assessment.target == target))
        if stored is None:
            assess(s, wh, user, instrument.initiative, target)
            added += 1
    return added


def justification(row: ScorecardRow, card: Scorecard) -> str:
    """The example's justification of a focus cluster, in German, from its place in the scorecard: rank, LQ with
    strength class, employees and growth (the scorecard's own reason stands beside it in the paper)."""
    e = row.evidence
    figures = [
        f"Standortquotient {text.num(e.lq, 'de', 2)} gegenüber Deutschland ({CLASS_NAMES[e.strength_class][0]})"
        if e.lq is not None
        else "Standortquotient nicht bekannt",
    ]
    if e.employment is not None and e.share is not None:
        figures.append(f"{text.num(round(e.employment), 'de')} Beschäftigte ({text.pct(e.share, 'de')} der Region)")
    if e.growth is not None:
        sign = "+" if e.growth > 0 else ""
        figures.append(f"Wachstum {sign}{text.pct(e.growth, 'de')} {card.base_year}–{card.year}")
    return (
        f"Beispielbegründung: {e.name_de} steht in der Scorecard auf Rang {row.rank} von {len(card.rows)} "
        f"(Datenstand {card.vintage}): {'; '.join(figures)}. Vor dem Beschluss zu prüfen: ob Unternehmen, "
        "Hochschulen und Kammern der Region den Schwerpunkt mittragen."
    )


def focus_clusters(card: Scorecard) -> list[FocusCluster]:
    """The :data:`FOCUS_COUNT` clusters ranked highest, each with its justification and — as the web app's
    evidence page records a choice — the scorecard's fingerprint and data vintage."""
    return [
        FocusCluster(
            cluster=cluster_ref(row.evidence.key),
            justification=justification(row, card),
            fingerprint=card.fingerprint,
            vintage=card.vintage,
        )
        for row in card.rows[:FOCUS_COUNT]
    ]


def concept_content(s: Session, user: User, organisation: Organisation) -> ConceptContent:
    """The example concept without focus clusters: :data:`CONCEPT_FILE` with its instruments resolved in the
    organisation's knowledge base and the newest version of the example fund plan linked."""
    raw: dict[str, Any] = tomllib.loads(CONCEPT_FILE.read_text(encoding="utf-8"))
    instruments = []
    for entry in raw.pop("instruments", []):
        found = get_initiative(s, user, f"{organisation.slug}/{entry['initiative']}")
        ref = f"{found.organisation.slug}/{found.key}"
        instruments.append(Instrument(initiative=ref, initiative_id=found.id, note=entry.get("note", "")))
    plan = get_plan(s, user, f"{organisation.slug}/{PLAN_KEY}")
    link = FundPlanLink(plan=f"{plan.organisation.slug}/{plan.key}", plan_id=plan.id, version=plan.version)
    return ConceptContent.model_validate({**raw, "instruments": instruments, "fund_plan": link})


def evidence_page_scorecard(s: Session, wh: Warehouse, concept: Concept) -> Scorecard:
    """The scorecard of the concept's evidence page: its target region, the candidate taxonomies and initiatives of
    its organisation and network, :data:`~regiolens.web.concept_evidence.PEERS` peers, default weights."""
    return scorecard(
        wh,
        concept.target_region,
        extra_taxonomies=records.candidate_taxonomies(s, concept),
        initiatives=records.candidate_initiatives(s, concept),
        peers=PEERS,
    )


def save_example(s: Session, wh: Warehouse, user: User, organisation: Organisation) -> tuple[Concept, bool, Scorecard]:
    """Create the example concept or save its content again; returns it, whether a version was added, and the
    scorecard its focus clusters were chosen on."""
    content = concept_content(s, user, organisation)
    concept = s.scalar(select(Concept).where(Concept.organisation_id == organisation.id, Concept.key == CONCEPT_KEY))
    added = concept is None
    if concept is None:
        networks = sorted(organisation.networks, key=lambda n: n.slug)
        concept = records.create_concept(
            s,
            user,
            CONCEPT_KEY,
            content,
            organisation=organisation.slug,
            network=networks[0].slug if networks else None,
            visibility=Visibility.network,
            note="Beispiel angelegt",
        )
    card = evidence_page_scorecard(s, wh, concept)
    chosen = content.model_copy(update={"focus_clusters": focus_clusters(card)})
    note = f"Beispiel: Fokuscluster nach der Scorecard gewählt (Datenstand {card.vintage})"
    _, saved = records.save_concept(s, user, concept, chosen, note=note)
    return concept, added or saved, card


def load_demo_concept(warehouse: Path, out: Path, url: str | None = None) -> str:
    """Load the example concept for the demo user and write its paper to :func:`paper_files` in ``out`` (see the
    module docstring); returns what happened (German)."""
    if not Path(warehouse).exists():
        return f"Beispielkonzept nicht geladen (kein Data Warehouse unter {warehouse})."
    engine = make_engine(url)
    try:
        upgrade(engine)
        with Warehouse.open(warehouse, read_only=True) as wh:
            with session_factory(engine).begin() as s:
                user = s.scalar(select(User).where(User.email == normalise_email(DEMO_EMAIL)))
                organisation = s.scalar(select(Organisation).where(Organisation.slug == DEMO_ORGANISATION[0]))
                if user is None or organisation is None:
                    return "Beispielkonzept nicht geladen (kein Demo-Nutzer)."
                taxonomy, created = ensure_taxonomy(s, user, organisation)
                imported = ensure_initiatives(s, user, organisation)
                concept, saved, card = save_example(s, wh, user, organisation)
                assessed = ensure_assessments(s, wh, user, content_of(concept.current), concept.target_region)
                concept_id, version, name = concept.id, concept.version, taxonomy.name
                network = f"Netzwerk {concept.network.slug}" if concept.network else "in keinem Netzwerk"
            files = paper_files(out)
            written = saved or assessed > 0 or not all(f.exists() for f in files)
            if written:
                with session_factory(engine)() as s:
                    user = s.scalars(select(User).where(User.email == normalise_email(DEMO_EMAIL))).one()
                    paper = gather_paper(s, wh, user, concept_id)
                out.mkdir(parents=True, exist_ok=True)
                for file in files:
                    write_concept_paper(paper, file, "de")
    finally:
        engine.dispose()
    state = "gespeichert" if saved else "schon vorhanden"
    chosen = ", ".join(f"{r.evidence.name_de} (Rang {r.rank})" for r in card.rows[:FOCUS_COUNT])
    return (
        f"Beispielkonzept {CONCEPT_KEY} {state} (Version {version}, {network}); Fokuscluster: {chosen}; "
        f"Taxonomie „{name}“ {'angelegt' if created else 'schon vorhanden'}; "
        f"Beispiel-Initiativen: {imported} neu; Übertragbarkeitsbewertungen: {assessed} neu; "
        f"Konzeptpapier {'geschrieben' if written else 'unverändert'}."
    )
