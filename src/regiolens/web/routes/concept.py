"""The concept builder in the browser: concepts of a target region with status, versions and their differences,
comments, sign-off per member organisation, the focus-cluster evidence, instruments, fund plan and organisation.

Every concept is read and changed through :mod:`regiolens.concept.records` (scoped by
:func:`regiolens.web.accounts.visible`): another organisation's private concept answers 404 exactly like a missing
one. Changing content or status needs the role editor in the concept's organisation (403 otherwise); members of the
concept's network read, comment and answer sign-off requests as the records allow.

- **Evidence.** ``/concepts/<id>/evidence?strength=…&dynamics=…&potential=…`` shows
  :func:`regiolens.concept.scorecard.scorecard` for the concept's target region (the built-in taxonomies and those
  shared in the concept's network: :func:`regiolens.concept.records.candidate_taxonomies`) — the function the CLI
  and the JSON API call — with :data:`~regiolens.web.concept_evidence.PEERS` nearest peers (the library's default, 5;
  the page says so), kept in the app's warehouse cache
  (:func:`regiolens.web.concept_evidence.concept_scorecard`). Choosing focus clusters saves a new
  version recording the scorecard's fingerprint and data vintage with each cluster.
- **Outdated evidence.** The concept page compares the stored fingerprints with the current scorecard's
  (:func:`regiolens.concept.content.outdated_clusters`) and, where the stored vintage is an earlier year the data
  still hold, says what changed (:func:`regiolens.concept.scorecard.compare_scorecards`). The finding is stored
  with the concept (:func:`regiolens.concept.records.mark_outdated`) by every upload that changes the data
  (:func:`regiolens.web.concept_evidence.check_all_evidence`), and by an editor's "check" on the page.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from regiolens.analysis.weights import MAX_WEIGHT
from regiolens.concept import records
from regiolens.concept.content import (
    BudgetRow,
    ConceptContent,
    FocusCluster,
    FundPlanLink,
    Instrument,
    Milestone,
    OutdatedCluster,
    content_of,
    outdated_clusters,
)
from regiolens.concept.models import Concept, ConceptStatus, SignOff, SignOffStatus
from regiolens.concept.scorecard import (
    DIMENSIONS,
    Scorecard,
    ScorecardChange,
    compare_scorecards,
)
from regiolens.errors import RegiolensError
from regiolens.fund import records as fund_records
from regiolens.fund.models import FundPlanRecord
from regiolens.fund.pipeline import Lang
from regiolens.fund.terms import parse_plan
from regiolens.network import records as network_records
from regiolens.network.models import Initiative
from regiolens.regions.resolve import resolve_region
from regiolens.reports.concept_paper import gather_paper, write_concept_paper
from regiolens.web import accounts
from regiolens.web.concept_evidence import PEERS, cluster_ref, current_fingerprints, evidence_scorecard
from regiolens.web.db import Role, User, Visibility
from regiolens.web.lookup import editable_or_403, known_number, visible_or_404
from regiolens.web.routes.fund import attempt, plan_leverage, user_names
from regiolens.web.routes.fund import helpers as fund_helpers
from regiolens.web.routes.regions import filename
from regiolens.web.security import current_user, editable_organisations, get_db
from regiolens.web.templating import csv_response, file_response, lang_of, render
from regiolens.web.words import t

router = APIRouter(dependencies=[Depends(current_user)])

SCORECARD_COLUMNS = (
    "rank",
    "cluster",
    "name_de",
    "name_en",
    "score",
    "lq",
    "employment",
    "share",
    "strength_class",
    "growth",
    "regional",
    "density",
    "pci",
    "opportunity_gain",
    "reason_de",
    "reason_en",
)


# ----------------------------------------------------------------------------------------------- lookups


def visible_concept(db: Session, user: User, ref: int | str) -> Concept:
    """The concept (number or key) the user may see, else 404 (another organisation's private concept looks
    missing)."""
    return visible_or_404(db, user, Concept, ref, "concept")


def editable_concept(db: Session, user: User, concept_id: int, lang: Lang) -> Concept:
    """The concept the user may change: 404 unless the user belongs to its organisation, 403 unless as editor."""
    return editable_or_403(db, user, Concept, concept_id, "concept", t("concept_editors_only", lang))


# ----------------------------------------------------------------------------------------------- the scorecard


def scorecard_of(
    request: Request, db: Session, concept: Concept, weights: Mapping[str, float] | None = None, year: int | None = None
) -> Scorecard:
    """The scorecard of the concept's target region with its candidate taxonomies and the initiatives shared in its
    network (:func:`regiolens.web.concept_evidence.evidence_scorecard`) on the app's warehouse."""
    return evidence_scorecard(request.app.state.warehouse, db, concept, weights, year)


class WeightInput(ValueError):
    """A weight of the URL that cannot be used: the page says why."""


def url_weights(params: Mapping[str, str], lang: Lang) -> dict[str, float]:
    """The weights of the URL (``strength``, ``dynamics``, ``potential``; each from 0 to
    :data:`~regiolens.analysis.weights.MAX_WEIGHT`, default 1)."""
    weights: dict[str, float] = {}
    for name in DIMENSIONS:
        given = params.get(name, "").strip().replace(",", ".")
        if not given:
            continue
        try:
            value = float(given)
        except ValueError:
            raise WeightInput(t("concept_weight_invalid", lang, name=t(f"concept_{name}", lang), value=given)) from None
        if not math.isfinite(value) or not 0 <= value <= MAX_WEIGHT:
            raise WeightInput(t("concept_weight_invalid", lang, name=t(f"concept_{name}", lang), value=given))
        weights[name] = value
    if weights and not any(weights.get(d, 1.0) > 0 for d in DIMENSIONS):
        raise WeightInput(t("concept_weights_zero", lang))
    return weights


def evidence_changes(
    request: Request, db: Session, concept: Concept, card: Scorecard
) -> tuple[list[OutdatedCluster], list[ScorecardChange]]:
    """The focus clusters of the newest version whose evidence changed, and — where they were chosen on an earlier
    data year the warehouse still holds — what changed in the scorecard since (for those clusters)."""
    outdated = outdated_clusters(concept.current, current_fingerprints(card))
    years = {o.vintage for o in outdated if o.vintage.isdigit() and int(o.vintage) != card.year}
    changes: list[ScorecardChange] = []
    for vintage in sorted(years):
        try:
            old = scorecard_of(request, db, concept, year=int(vintage))
        except RegiolensError:
            continue  # that year is no longer in the data: the finding stands without the details
        wanted = {o.cluster for o in outdated if o.vintage == vintage}
        changes += [c for c in compare_scorecards(old, card) if cluster_ref(c.key) in wanted]
    return outdated, changes


# ----------------------------------------------------------------------------------------------- pages


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, template, {"nav": "concept", **fund_helpers(lang_of(request)), **context}, status)


async def _fields(request: Request) -> dict[str, Any]:
    """The fields of a posted form; a field given several times (checkboxes) as a list."""
    async with request.form() as raw:
        out: dict[str, Any] = {}
        for key in raw:
            values = [v for v in raw.getlist(key) if isinstance(v, str)]
            out[key] = values if len(values) > 1 else (values[0] if values else "")
        return out


def _list(form: Mapping[str, Any], key: str) -> list[str]:
    value = form.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def _text(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else (value[0] if value else "")


@router.get("/concepts")
def concepts_page(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    context = {
        "concepts": records.list_concepts(db, user),
        "asked": records.sign_offs_asked_of(db, user),
        "can_create": bool(editable_organisations(db, user)),
    }
    return _page(request, "concept_index.html", context)


def _new_form(
    request: Request, db: Session, user: User, form: dict[str, Any], error: str | None = None, status: int = 200
) -> Response:
    organisations = editable_organisations(db, user)
    if not organisations:
        raise accounts.PermissionDenied(t("concept_editors_only", lang_of(request)))
    networks = sorted({n for o in organisations for n in o.networks}, key=lambda n: n.name)
    context = {"form": form, "error": error, "organisations": organisations, "networks": networks}
    return _page(request, "concept_new.html", context, status)


@router.get("/concepts/new")
def new_concept_form(request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)) -> Response:
    form = {"key": "", "title": "", "target_region": "", "authors": "", "visibility": "private", "network": ""}
    return _new_form(request, db, user, form)


def _create(db: Session, user: User, form: dict[str, Any]) -> Concept:
    target = _text(form, "target_region").strip()
    resolve_region(target)  # an unknown region or group is an error the form shows
    content = ConceptContent.model_validate(
        {"title": _text(form, "title"), "target_region": target, "authors": _text(form, "authors")}
    )
    organisation = next(
        (o.slug for o in editable_organisations(db, user) if str(o.id) == _text(form, "organisation_id")), None
    )
    return records.create_concept(
        db,
        user,
        _text(form, "key").strip(),
        content,
        organisation=organisation,
        network=_text(form, "network") or None,
        visibility=Visibility.network if _text(form, "visibility") == "network" else Visibility.private,
    )


def _error_text(exc: Exception, lang: Lang) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    if isinstance(exc, RegiolensError):
        return exc.localised(lang)
    return str(exc)


@router.post("/concepts/new")
async def create_concept(
    request: Request, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    form = await _fields(request)
    try:
        outcome = attempt(db, lambda: _create(db, user, form))
    except ValidationError as exc:
        return _new_form(request, db, user, form, _error_text(exc, lang), 400)
    if isinstance(outcome, RegiolensError):
        return _new_form(request, db, user, form, _error_text(outcome, lang), 400)
    db.commit()
    return RedirectResponse(f"/concepts/{outcome.id}?saved=1", status_code=303)


def plan_figures(db: Session, user: User, content: ConceptContent) -> dict[str, Any] | None:
    """The linked fund plan's key figures (the plan page's: size, classes, leverage) as the concept shows them;
    ``None`` without a link or when the user cannot see the plan."""
    link = content.fund_plan
    if link is None:
        return None
    try:
        plan = fund_records.get_plan(db, user, link.plan_id or link.plan)
    except records.NotFound:
        return {"link": link, "plan": None}
    version = next((v for v in plan.versions if v.number == (link.version or plan.version)), plan.current)
    terms = parse_plan(version.source, f"{plan.key}.toml")
    return {"link": link, "plan": plan, "terms": terms, "leverage": plan_leverage(terms)}


def _sign_off_targets(concept: Concept) -> list[Any]:
    """The member organisations of the concept's network (other than its own) that may be asked to sign off."""
    if concept.network is None:
        return []
    return [o for o in concept.network.members if o.id != concept.organisation_id]


def _answerable(db: Session, user: User, concept: Concept) -> set[int]:
    """The open sign-off requests of the concept the user may answer (editor of the asked organisation)."""
    answering = set()
    for sign_off in concept.sign_offs:
        role = accounts.role_in(db, user, sign_off.organisation_id)
        if sign_off.status is SignOffStatus.requested and role is not None and role.allows(Role.editor):
            answering.add(sign_off.id)
    return answering


@router.get("/concepts/{concept_id}")
def concept_page(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    concept = visible_concept(db, user, concept_id)
    content = content_of(concept.current)
    outdated: list[OutdatedCluster] = []
    changes: list[ScorecardChange] = []
    cluster_names: dict[str, tuple[str, str]] = {}
    evidence_error = None
    if content.focus_clusters:
        try:
            card = scorecard_of(request, db, concept)
            outdated, changes = evidence_changes(request, db, concept, card)
            cluster_names = {cluster_ref(r.evidence.key): (r.evidence.name_de, r.evidence.name_en) for r in card.rows}
        except RegiolensError as exc:
            evidence_error = exc.localised(lang)
    comments = records.list_comments(db, user, concept)
    context = {
        "concept": concept,
        "content": content,
        "can_edit": accounts.can_edit(db, user, concept),
        "moves": sorted(records.TRANSITIONS[concept.status], key=list(ConceptStatus).index),
        "missing": records.missing_sign_offs(concept),
        "adopted": records.adopted(concept),
        "outdated": outdated,
        "changes": changes,
        "evidence_error": evidence_error,
        "cluster_names": cluster_names,
        "comments": comments,
        "names": user_names(
            db,
            {v.created_by for v in concept.versions}
            | {c.author_id for c in comments}
            | {o.answered_by for o in concept.sign_offs},
        ),
        "sign_off_targets": _sign_off_targets(concept),
        "answerable": _answerable(db, user, concept),
        "initiatives": _initiative_names(db, user, content),
        "fund": plan_figures(db, user, content),
        "notice": next(
            (
                k
                for k in ("saved", "unchanged", "moved", "commented", "asked", "answered", "checked")
                if request.query_params.get(k)
            ),
            None,
        ),
    }
    return _page(request, "concept_page.html", context)


def _initiative_names(db: Session, user: User, content: ConceptContent) -> dict[str, Initiative]:
    """The visible initiatives of the content's instruments by reference."""
    found: dict[str, Initiative] = {}
    for instrument in content.instruments:
        try:
            found[instrument.initiative] = network_records.get_initiative(
                db, user, instrument.initiative_id or instrument.initiative
            )
        except network_records.NotFound:
            continue
    return found


@router.get("/concepts/{concept_id}/compare")
def compare_page(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """What changed from version ``a`` to version ``b`` (default: the two newest)."""
    concept = visible_concept(db, user, concept_id)
    params = request.query_params
    newest = concept.version
    try:
        b = int(params.get("b", newest))
        a = int(params.get("a", max(1, b - 1)))
    except ValueError:
        raise HTTPException(404, "versions are numbers") from None
    old, new = records.get_version(concept, a), records.get_version(concept, b)
    context = {"concept": concept, "a": old, "b": new, "changes": records.diff_versions(old, new)}
    return _page(request, "concept_compare.html", context)


@router.post("/concepts/{concept_id}/status")
async def move_concept(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    concept = editable_concept(db, user, concept_id, lang_of(request))
    form = await _fields(request)
    to = _text(form, "to")
    if to not in set(ConceptStatus):
        raise RegiolensError(f"unknown status {to!r}; choose one of {', '.join(ConceptStatus)}")
    records.move_concept(db, user, concept, ConceptStatus(to), _text(form, "note"))
    db.commit()
    return RedirectResponse(f"/concepts/{concept.id}?moved={to}", status_code=303)


@router.post("/concepts/{concept_id}/comments")
async def add_comment(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    concept = visible_concept(db, user, concept_id)
    form = await _fields(request)
    records.add_comment(db, user, concept, _text(form, "text"))
    db.commit()
    return RedirectResponse(f"/concepts/{concept.id}?commented=1#comments", status_code=303)


@router.post("/concepts/{concept_id}/sign-offs")
async def request_sign_off(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    concept = editable_concept(db, user, concept_id, lang_of(request))
    form = await _fields(request)
    records.request_sign_off(db, user, concept, _text(form, "organisation"), _text(form, "note"))
    db.commit()
    return RedirectResponse(f"/concepts/{concept.id}?asked=1#sign-offs", status_code=303)


def find_sign_off(concept: Concept, sign_off_id: int) -> SignOff:
    """The concept's sign-off request ``sign_off_id``, else 404."""
    found = next((o for o in concept.sign_offs if o.id == sign_off_id), None)
    if found is None:
        raise HTTPException(404, f"concept {concept.key!r} has no sign-off request {sign_off_id}")
    return found


@router.post("/concepts/{concept_id}/sign-offs/{sign_off_id}")
async def answer_sign_off(
    request: Request,
    concept_id: int,
    sign_off_id: int,
    db: Session = Depends(get_db),
    user: User = Depends(current_user),
) -> Response:
    concept = visible_concept(db, user, concept_id)
    sign_off = find_sign_off(concept, sign_off_id)
    form = await _fields(request)
    answer = _text(form, "answer")
    if answer not in ("approve", "decline"):
        raise RegiolensError(f"answer approve or decline, not {answer!r}")
    records.answer_sign_off(db, user, sign_off, answer == "approve", _text(form, "note"))
    db.commit()
    return RedirectResponse(f"/concepts/{concept.id}?answered=1#sign-offs", status_code=303)


@router.post("/concepts/{concept_id}/evidence/check")
async def check_evidence(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Store which focus clusters rest on outdated evidence (:func:`regiolens.concept.records.mark_outdated`)."""
    concept = editable_concept(db, user, concept_id, lang_of(request))
    card = scorecard_of(request, db, concept)
    records.mark_outdated(db, concept, current_fingerprints(card))
    db.commit()
    return RedirectResponse(f"/concepts/{concept.id}?checked=1#evidence", status_code=303)


# ----------------------------------------------------------------------------------------------- editing sections


def _save(db: Session, user: User, concept: Concept, update: dict[str, Any], note: str) -> tuple[int, bool]:
    """Save the newest content with ``update`` as a new version; returns the newest number and whether saved."""
    data = {**content_of(concept.current).model_dump(), **update}
    version, saved = records.save_concept(db, user, concept, ConceptContent.model_validate(data), note=note)
    return version.number, saved


def _saved_redirect(concept: Concept, number: int, saved: bool) -> Response:
    return RedirectResponse(f"/concepts/{concept.id}?{'saved' if saved else 'unchanged'}={number}", status_code=303)


def _evidence_context(request: Request, db: Session, concept: Concept, lang: Lang) -> dict[str, Any]:
    params = request.query_params
    form = {d: params.get(d, "") for d in DIMENSIONS}
    try:
        weights = url_weights(params, lang)
    except WeightInput as exc:
        return {"form": form, "card": None, "error": str(exc), "weights": {}}
    card = scorecard_of(request, db, concept, weights)
    return {"form": form, "card": card, "error": None, "weights": weights}


@router.get("/concepts/{concept_id}/evidence")
def evidence_page(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    lang = lang_of(request)
    concept = visible_concept(db, user, concept_id)
    context = _evidence_context(request, db, concept, lang)
    chosen = {c.cluster: c for c in content_of(concept.current).focus_clusters}
    context |= {
        "concept": concept,
        "chosen": chosen,
        "can_edit": accounts.can_edit(db, user, concept),
        "peers": PEERS,
        "cluster_ref": cluster_ref,
        "query": str(request.url.query),
    }
    return _page(request, "concept_evidence.html", context, 422 if context["error"] else 200)


@router.get("/concepts/{concept_id}/evidence.csv")
def evidence_csv(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """The scorecard of the page (the URL's weights) as CSV, one row per ranked cluster."""
    concept = visible_concept(db, user, concept_id)
    try:
        weights = url_weights(request.query_params, lang_of(request))
    except WeightInput as exc:
        raise HTTPException(422, str(exc)) from None
    card = scorecard_of(request, db, concept, weights)
    rows = [
        {
            "rank": r.rank,
            "cluster": cluster_ref(r.evidence.key),
            "name_de": r.evidence.name_de,
            "name_en": r.evidence.name_en,
            "score": r.score,
            **{k: getattr(r.evidence, k) for k in SCORECARD_COLUMNS[5:14]},
            "reason_de": r.reason_de,
            "reason_en": r.reason_en,
        }
        for r in card.rows
    ]
    return csv_response(rows, SCORECARD_COLUMNS, filename(concept.key, "scorecard", card.vintage) + ".csv")


@router.post("/concepts/{concept_id}/evidence")
async def choose_clusters(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Save the chosen focus clusters (``cluster`` checkboxes, ``justification-<cluster>`` texts) with the current
    scorecard's fingerprint and vintage as a new version."""
    lang = lang_of(request)
    concept = editable_concept(db, user, concept_id, lang)
    form = await _fields(request)
    card = scorecard_of(request, db, concept)
    known = {cluster_ref(r.evidence.key) for r in card.rows}
    chosen = [c for c in _list(form, "cluster") if c]
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise RegiolensError(t("concept_unknown_clusters", lang, clusters=", ".join(unknown)))
    previous = {c.cluster: c for c in content_of(concept.current).focus_clusters}
    clusters = []
    for ref in chosen:
        justification = _text(form, f"justification-{ref}").strip()
        kept = previous.get(ref)
        if kept is not None and kept.fingerprint == card.fingerprint and kept.justification == justification:
            clusters.append(kept)
        else:
            clusters.append(
                FocusCluster(
                    cluster=ref, justification=justification, fingerprint=card.fingerprint, vintage=card.vintage
                )
            )
    number, saved = _save(db, user, concept, {"focus_clusters": clusters}, _text(form, "note"))
    db.commit()
    return _saved_redirect(concept, number, saved)


def _instrument_context(db: Session, user: User, concept: Concept) -> dict[str, Any]:
    content = content_of(concept.current)
    return {
        "concept": concept,
        "content": content,
        "initiatives": network_records.list_records(db, user, Initiative),
        "plans": fund_records.list_plans(db, user),
        "chosen": {i.initiative_id: i for i in content.instruments},
        "fund": plan_figures(db, user, content),
    }


@router.get("/concepts/{concept_id}/instruments")
def instruments_page(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    concept = editable_concept(db, user, concept_id, lang_of(request))
    return _page(request, "concept_instruments.html", _instrument_context(db, user, concept))


def _plan_link(db: Session, user: User, ref: str, version: str) -> FundPlanLink | None:
    if not ref:
        return None
    plan: FundPlanRecord = fund_records.get_plan(db, user, int(ref) if ref.isdigit() else ref)
    number = int(version) if version.isdigit() else None
    return FundPlanLink(plan=f"{plan.organisation.slug}/{plan.key}", plan_id=plan.id, version=number)


@router.post("/concepts/{concept_id}/instruments")
async def save_instruments(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Save the chosen initiatives (``initiative`` checkboxes, ``note-<id>`` texts) and the fund plan link
    (``fund_plan``, ``fund_plan_version``)."""
    concept = editable_concept(db, user, concept_id, lang_of(request))
    form = await _fields(request)
    previous = {i.initiative_id: i for i in content_of(concept.current).instruments}
    instruments = []
    for ref in _list(form, "initiative"):
        if not ref.isdigit() or not known_number(ref):
            raise HTTPException(404, f"no initiative {ref}")
        note = _text(form, f"note-{ref}").strip()
        kept = previous.get(int(ref))
        if kept is not None and kept.note == note:
            instruments.append(kept)
            continue
        found = network_records.get_initiative(db, user, int(ref))
        instruments.append(
            Instrument(initiative=f"{found.organisation.slug}/{found.key}", initiative_id=found.id, note=note)
        )
    link = _plan_link(db, user, _text(form, "fund_plan"), _text(form, "fund_plan_version"))
    update = {"instruments": instruments, "fund_plan": link}
    number, saved = _save(db, user, concept, update, _text(form, "note"))
    db.commit()
    return _saved_redirect(concept, number, saved)


BUDGET_SEPARATOR = ";"


def read_budget(text: str) -> list[BudgetRow]:
    """Budget rows of the form's text, one a line: ``item; amount in euros; year`` (German or plain numbers)."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(BUDGET_SEPARATOR)]
        if len(parts) != 3:
            raise RegiolensError(f"budget line {number}: write item; amount; year, not {line.strip()!r}")
        amount = parts[1].replace("€", "").replace(" ", "").replace(".", "").replace(",", ".")
        try:
            rows.append(BudgetRow(item=parts[0], amount=float(amount), year=int(parts[2])))
        except (ValueError, ValidationError):
            raise RegiolensError(f"budget line {number}: {line.strip()!r} has no amount or year") from None
    return rows


def read_milestones(text: str) -> list[Milestone]:
    """Milestones of the form's text, one a line: ``YYYY-MM-DD; title``."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day, _, title = line.partition(BUDGET_SEPARATOR)
        try:
            rows.append(Milestone.model_validate({"date": day.strip(), "title": title.strip()}))
        except ValidationError:
            raise RegiolensError(f"milestone line {number}: write YYYY-MM-DD; title, not {line.strip()!r}") from None
    return rows


def budget_text(rows: list[BudgetRow]) -> str:
    """The budget rows as the form writes them."""
    return "\n".join(f"{r.item}{BUDGET_SEPARATOR} {r.amount:g}{BUDGET_SEPARATOR} {r.year}" for r in rows)


def milestone_text(rows: list[Milestone]) -> str:
    """The milestones as the form writes them."""
    return "\n".join(f"{m.date.isoformat()}{BUDGET_SEPARATOR} {m.title}" for m in rows)


def _organisation_form(
    request: Request, concept: Concept, form: dict[str, Any], error: str | None = None, status: int = 200
) -> Response:
    return _page(request, "concept_organisation.html", {"concept": concept, "form": form, "error": error}, status)


@router.get("/concepts/{concept_id}/organisation")
def organisation_page(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    concept = editable_concept(db, user, concept_id, lang_of(request))
    content = content_of(concept.current)
    form = {
        "title": content.title,
        "authors": content.authors,
        "summary": content.summary,
        "operator_model": content.operator_model,
        "budget": budget_text(content.budget),
        "milestones": milestone_text(content.milestones),
        "visibility": str(concept.visibility),
    }
    return _organisation_form(request, concept, form)


@router.post("/concepts/{concept_id}/organisation")
async def save_organisation(
    request: Request, concept_id: int, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """Save title, authors, summary, operator model, budget, milestones and the visibility."""
    lang = lang_of(request)
    concept = editable_concept(db, user, concept_id, lang)
    form = await _fields(request)

    def save() -> tuple[int, bool]:
        update = {
            "title": _text(form, "title"),
            "authors": _text(form, "authors"),
            "summary": _text(form, "summary"),
            "operator_model": _text(form, "operator_model"),
            "budget": read_budget(_text(form, "budget")),
            "milestones": read_milestones(_text(form, "milestones")),
        }
        data = {**content_of(concept.current).model_dump(), **update}
        visibility = Visibility.network if _text(form, "visibility") == "network" else Visibility.private
        version, saved = records.save_concept(
            db, user, concept, ConceptContent.model_validate(data), visibility=visibility, note=_text(form, "note")
        )
        return version.number, saved

    try:
        outcome = attempt(db, save)
    except ValidationError as exc:
        db.rollback()
        return _organisation_form(request, concept, form, _error_text(exc, lang), 400)
    if isinstance(outcome, RegiolensError):
        return _organisation_form(request, concept, form, _error_text(outcome, lang), 400)
    db.commit()
    return _saved_redirect(concept, *outcome)


# ----------------------------------------------------------------------------------------------- the paper

PAPER_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@router.get("/concepts/{concept_id}/paper.{ext}")
def concept_paper(
    request: Request, concept_id: int, ext: str, db: Session = Depends(get_db), user: User = Depends(current_user)
) -> Response:
    """The concept paper of the newest version (``?version=N``: that version) as DOCX or PDF in the page language
    (:func:`regiolens.reports.concept_paper.write_concept_paper`, the command line's ``concept export``)."""
    concept = visible_concept(db, user, concept_id)
    if ext not in PAPER_TYPES:
        raise HTTPException(404, f"no paper as .{ext}; choose docx or pdf")
    given = request.query_params.get("version", "")
    number = int(given) if given.isascii() and given.isdigit() and len(given) < 10 else None
    with request.app.state.warehouse.read() as wh:
        paper = gather_paper(db, wh, user, concept.id, number)
    name = filename(concept.key, f"v{paper.version['number']}") + f".{ext}"
    with tempfile.TemporaryDirectory() as tmp:
        body = write_concept_paper(paper, Path(tmp) / name, lang_of(request)).read_bytes()
    return file_response(body, PAPER_TYPES[ext], name)
