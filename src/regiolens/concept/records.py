"""Concepts in the app database — the only way the web app, the JSON API and the command line touch them.

The rules of :mod:`regiolens.network.records` hold here too (``s`` first, ``user`` second, flush, the caller
commits, every change writes an audit entry):

- **Reading** starts from :func:`regiolens.web.accounts.visible`: a concept another organisation keeps private is
  "not found" (:class:`~regiolens.network.records.NotFound`), exactly like one that does not exist. Its versions,
  comments and sign-offs are seen by who sees the concept.
- **Changing** the content or the status needs the role *editor* in the concept's organisation; a new concept
  belongs to :func:`~regiolens.network.records.owner_organisation`. Members of the concept's network read,
  comment and answer sign-off requests; they do not edit.
- **Versions.** Saving changed content adds a :class:`~regiolens.concept.models.ConceptVersion`; saving it unchanged
  adds nothing. Instruments and the fund plan are resolved among the records the editor may see when they are
  added (an instrument or plan link kept from the previous version stays even if its owner has since made it
  private). A version never changes; adopting one sets only its ``adopted_at``.
- **Status** moves along :data:`TRANSITIONS` (draft → in consultation → adopted; back from consultation to draft).
  Saving an adopted concept starts a new draft version; the adopted version stays as it was
  (``Concept.adopted_version`` keeps pointing at it until another version is adopted).
- **Sign-off.** An editor asks a member organisation of the concept's network to sign off the newest version; the
  concept must be shared with the network (visibility ``network``) so that the organisation can read it. Only an
  editor or admin of the asked organisation answers. Adopting needs, for every organisation asked, an approval of
  the version being adopted (:func:`missing_sign_offs`); an approval of an earlier version does not carry over to
  changed content. A concept nobody was asked to sign off is adopted by its own organisation alone.
- **Evidence.** :func:`mark_outdated` (called after new data were imported; the system's job, so no user) stores
  which focus clusters of the newest version rest on evidence whose fingerprint changed.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.clusters.model import Taxonomy as ClusterTaxonomy
from regiolens.clusters.stored import org_taxonomy
from regiolens.concept.content import (
    Change,
    ConceptContent,
    OutdatedCluster,
    content_of,
    diff_content,
    outdated_clusters,
)
from regiolens.concept.models import (
    Concept,
    ConceptComment,
    ConceptStatus,
    ConceptVersion,
    SignOff,
    SignOffStatus,
)
from regiolens.errors import RegiolensError
from regiolens.fund.records import get_plan
from regiolens.network.inputs import Key
from regiolens.network.models import FactKind, Initiative
from regiolens.network.records import NotFound, find_keyed, get_initiative, owner_organisation
from regiolens.web.accounts import audit, get_organisation, memberships, require_role, visible
from regiolens.web.db import Network, Organisation, Role, Taxonomy, User, Visibility, utcnow

TRANSITIONS: dict[ConceptStatus, frozenset[ConceptStatus]] = {
    ConceptStatus.draft: frozenset({ConceptStatus.in_consultation}),
    ConceptStatus.in_consultation: frozenset({ConceptStatus.draft, ConceptStatus.adopted}),
    ConceptStatus.adopted: frozenset(),
}
"""The statuses a concept may move to from each status. An adopted concept moves on only by being edited, which
starts a new draft version."""

_KEY = TypeAdapter(Key)


class TransitionError(RegiolensError):
    """A status change the concept workspace does not allow."""


class SignOffMissing(RegiolensError):
    """A concept cannot be adopted: an organisation asked to sign off has not approved the version."""


# ----------------------------------------------------------------------------------------------- reading


def get_concept(s: Session, user: User, ref: str | int) -> Concept:
    """The concept ``ref`` the user may see: its number, its key or ``organisation/key`` (a key several visible
    organisations use means the user's own concept; if the user has none of them, name the organisation)."""
    return find_keyed(s, user, Concept, ref, "concept")


def list_concepts(s: Session, user: User) -> list[Concept]:
    """The concepts the user may see, by title."""
    return list(s.scalars(visible(s, user, Concept).order_by(func.lower(Concept.title), Concept.id)))


def get_version(concept: Concept, number: int | None = None) -> ConceptVersion:
    """Version ``number`` of the concept (``None``: the newest); call it with a concept from :func:`get_concept`."""
    if number is None:
        return concept.current
    found = next((v for v in concept.versions if v.number == number), None)
    if found is None:
        raise NotFound(f"concept {concept.key!r} has no version {number}")
    return found


def diff_versions(a: ConceptVersion, b: ConceptVersion) -> list[Change]:
    """What changed from version ``a`` to version ``b``, in German and English
    (:func:`regiolens.concept.content.diff_content`)."""
    return diff_content(content_of(a), content_of(b))


def require_concept_edit(s: Session, user: User, concept: Concept) -> None:
    """Raise :class:`~regiolens.web.accounts.PermissionDenied` unless the user is editor in the concept's
    organisation."""
    require_role(s, user, concept.organisation_id, Role.editor)


# ----------------------------------------------------------------------------------------------- saving


def _resolve(s: Session, user: User, content: ConceptContent, previous: ConceptContent | None) -> ConceptContent:
    """The content with its instruments and fund plan resolved to records the user may see (links kept unchanged
    from ``previous`` stay without being looked up again)."""
    kept = {(i.initiative_id, i.initiative) for i in previous.instruments} if previous else set()
    instruments = []
    for instrument in content.instruments:
        if (instrument.initiative_id, instrument.initiative) not in kept:
            found = get_initiative(s, user, instrument.initiative_id or instrument.initiative)
            ref = f"{found.organisation.slug}/{found.key}"
            instrument = instrument.model_copy(update={"initiative_id": found.id, "initiative": ref})
        instruments.append(instrument)
    link = content.fund_plan
    if link is not None and (previous is None or link != previous.fund_plan):
        plan = get_plan(s, user, link.plan_id or link.plan)
        version = link.version or plan.version
        if version > plan.version:
            raise RegiolensError(f"fund plan {plan.key!r} has no version {version} (newest: {plan.version})")
        ref = f"{plan.organisation.slug}/{plan.key}"
        link = link.model_copy(update={"plan_id": plan.id, "plan": ref, "version": version})
    return content.model_copy(update={"instruments": instruments, "fund_plan": link})


def _add_version(s: Session, user: User, concept: Concept, content: ConceptContent, note: str) -> ConceptVersion:
    concept.version += 1
    concept.title, concept.target_region, concept.authors = content.title, content.target_region, content.authors
    version = ConceptVersion(number=concept.version, created_by=user.id, content=content.as_json(), note=note)
    concept.versions.append(version)
    s.flush()
    audit(
        s, user, "save", "concept", concept.id, {"key": concept.key, "version": version.number}, concept.organisation_id
    )
    return version


def create_concept(
    s: Session,
    user: User,
    key: str,
    content: ConceptContent,
    *,
    organisation: str | None = None,
    network: str | None = None,
    visibility: Visibility = Visibility.private,
    note: str = "",
) -> Concept:
    """A new concept ``key`` of ``organisation`` (default: the user's only one as editor) with ``content`` as
    version 1, in draft; ``network`` (slug) is the network it is written for, of which the organisation must be a
    member."""
    try:
        key = _KEY.validate_python(key)
    except ValidationError as exc:
        raise RegiolensError(f"concept key: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    owner = owner_organisation(s, user, organisation)
    if s.scalar(select(Concept.id).where(Concept.organisation_id == owner.id, Concept.key == key)) is not None:
        raise RegiolensError(f"organisation {owner.slug!r} has a concept {key!r} already")
    net = None
    if network is not None:
        net = s.scalar(select(Network).where(Network.slug == network))
        if net is None or owner not in net.members:
            raise RegiolensError(f"organisation {owner.slug!r} is no member of a network {network!r}")
    concept = Concept(
        organisation=owner,
        key=key,
        title=content.title,
        target_region=content.target_region,
        network=net,
        visibility=visibility,
        created_by=user.id,
        version=0,
        outdated=[],
    )
    s.add(concept)
    _add_version(s, user, concept, _resolve(s, user, content, None), note)
    return concept


def save_concept(
    s: Session,
    user: User,
    concept: Concept,
    content: ConceptContent,
    *,
    visibility: Visibility | None = None,
    note: str = "",
) -> tuple[ConceptVersion, bool]:
    """Save ``content`` as the concept's new version; returns the newest version and whether one was added.

    Unchanged content adds no version (a changed ``visibility`` alone is stored and audited). Saving an adopted
    concept starts a new draft; the adopted version stays as it was.
    """
    require_concept_edit(s, user, concept)
    if visibility is not None and visibility != concept.visibility:
        concept.visibility = visibility
        s.flush()
        detail = {"key": concept.key, "visibility": str(visibility)}
        audit(s, user, "set_visibility", "concept", concept.id, detail, concept.organisation_id)
    previous = content_of(concept.current)
    content = _resolve(s, user, content, previous)
    if content.as_json() == concept.current.content:
        return concept.current, False
    version = _add_version(s, user, concept, content, note)
    concept.outdated = _still_outdated(concept.outdated, content)
    if concept.status is ConceptStatus.adopted:
        _set_status(s, user, concept, ConceptStatus.draft, f"version {version.number} saved")
    return version, True


def _still_outdated(found: list[dict[str, Any]], content: ConceptContent) -> list[dict[str, Any]]:
    """The outdated findings new content leaves open: a cluster chosen again on the evidence the finding called
    current, or no longer chosen, is settled."""
    chosen = {c.cluster: c.fingerprint for c in content.focus_clusters}
    return [o for o in found if o["cluster"] in chosen and chosen[o["cluster"]] != o["current"]]


# ----------------------------------------------------------------------------------------------- status


def _set_status(s: Session, user: User, concept: Concept, to: ConceptStatus, note: str) -> None:
    detail = {"key": concept.key, "from": str(concept.status), "to": str(to), "version": concept.version, "note": note}
    concept.status = to
    s.flush()
    audit(s, user, "set_status", "concept", concept.id, detail, concept.organisation_id)


def check_transition(old: ConceptStatus, new: ConceptStatus) -> None:
    """Raise :class:`TransitionError` unless a concept may move from ``old`` to ``new``."""
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(TRANSITIONS[old])) or "none (edit it to start a new draft)"
        raise TransitionError(f"a concept cannot move from {old} to {new}; from {old} it may move to: {allowed}")


def missing_sign_offs(concept: Concept) -> list[Organisation]:
    """The organisations asked to sign off the concept that have not approved its newest version."""
    newest: dict[int, SignOff] = {}
    for sign_off in concept.sign_offs:
        newest[sign_off.organisation_id] = sign_off
    return [
        o.organisation
        for o in newest.values()
        if not (o.status is SignOffStatus.approved and o.version == concept.version)
    ]


def move_concept(s: Session, user: User, concept: Concept, to: ConceptStatus, note: str = "") -> None:
    """Move the concept to status ``to`` along :data:`TRANSITIONS`. Moving to ``adopted`` adopts the newest version
    (its ``adopted_at`` is set) and needs every requested sign-off approved for it (:class:`SignOffMissing`)."""
    require_concept_edit(s, user, concept)
    check_transition(concept.status, to)
    if to is ConceptStatus.adopted:
        missing = missing_sign_offs(concept)
        if missing:
            slugs = ", ".join(o.slug for o in missing)
            raise SignOffMissing(f"version {concept.version} of concept {concept.key!r} lacks the sign-off of {slugs}")
        concept.current.adopted_at = utcnow()
        concept.adopted_version = concept.version
    _set_status(s, user, concept, to, note)


def adopted(concept: Concept) -> ConceptVersion | None:
    """The version adopted last (``None``: none yet)."""
    return None if concept.adopted_version is None else get_version(concept, concept.adopted_version)


# ----------------------------------------------------------------------------------------------- comments


def add_comment(s: Session, user: User, concept: Concept, text: str, number: int | None = None) -> ConceptComment:
    """A comment by ``user`` (anyone who sees the concept) on version ``number`` (``None``: the newest)."""
    get_concept(s, user, concept.id)  # raises NotFound unless the user may see it
    text = text.strip()
    if not text:
        raise RegiolensError("a comment needs a text")
    version = get_version(concept, number)
    comment = ConceptComment(author_id=user.id, text=text)
    version.comments.append(comment)
    s.flush()
    detail = {"key": concept.key, "version": version.number, "comment": comment.id}
    audit(s, user, "comment", "concept", concept.id, detail, concept.organisation_id)
    return comment


def list_comments(s: Session, user: User, concept: Concept, number: int | None = None) -> list[ConceptComment]:
    """The comments on version ``number`` (``None``: on every version), oldest first."""
    get_concept(s, user, concept.id)
    versions = concept.versions if number is None else [get_version(concept, number)]
    return sorted((c for v in versions for c in v.comments), key=lambda c: (c.created_at, c.id))


# ----------------------------------------------------------------------------------------------- sign-off


def request_sign_off(s: Session, user: User, concept: Concept, organisation: str, note: str = "") -> SignOff:
    """Ask the member organisation ``organisation`` (slug) of the concept's network to sign off its newest
    version."""
    require_concept_edit(s, user, concept)
    org = get_organisation(s, organisation)
    if concept.network is None or org not in concept.network.members:
        network = concept.network.slug if concept.network else "none"
        raise RegiolensError(f"organisation {org.slug!r} is no member of the concept's network ({network})")
    if concept.visibility is not Visibility.network:
        raise RegiolensError(f"share concept {concept.key!r} with its network first, so that {org.slug!r} can read it")
    if concept.status is ConceptStatus.adopted:
        raise TransitionError(f"concept {concept.key!r} is adopted: edit it to start a new draft first")
    for asked in concept.sign_offs:
        if (asked.organisation_id, asked.version, asked.status) == (org.id, concept.version, SignOffStatus.requested):
            raise RegiolensError(f"{org.slug!r} was asked to sign off version {concept.version} already")
    sign_off = SignOff(organisation=org, version=concept.version, requested_by=user.id, note=note)
    concept.sign_offs.append(sign_off)
    s.flush()
    detail = {"key": concept.key, "version": concept.version, "organisation": org.slug}
    audit(s, user, "request_sign_off", "concept", concept.id, detail, concept.organisation_id)
    return sign_off


def answer_sign_off(s: Session, user: User, sign_off: SignOff, approve: bool, note: str = "") -> SignOff:
    """Approve or decline a sign-off request; only an editor or admin of the asked organisation may."""
    get_concept(s, user, sign_off.concept_id)
    require_role(s, user, sign_off.organisation_id, Role.editor)
    if sign_off.status is not SignOffStatus.requested:
        raise RegiolensError(f"this sign-off was answered already ({sign_off.status})")
    sign_off.status = SignOffStatus.approved if approve else SignOffStatus.declined
    sign_off.answered_by, sign_off.answered_at, sign_off.answer_note = user.id, utcnow(), note
    s.flush()
    concept = sign_off.concept
    detail = {"key": concept.key, "version": sign_off.version, "status": str(sign_off.status), "note": note}
    audit(s, user, "answer_sign_off", "concept", concept.id, detail, sign_off.organisation_id)
    return sign_off


def sign_offs_asked_of(s: Session, user: User) -> list[SignOff]:
    """The open sign-off requests to the user's organisations on concepts the user may see, oldest first."""
    own = [m.organisation_id for m in memberships(s, user)]
    seen = visible(s, user, Concept).with_only_columns(Concept.id)
    stmt = select(SignOff).where(
        SignOff.organisation_id.in_(own), SignOff.status == SignOffStatus.requested, SignOff.concept_id.in_(seen)
    )
    return list(s.scalars(stmt.order_by(SignOff.requested_at, SignOff.id)))


# ----------------------------------------------------------------------------------------------- evidence


def mark_outdated(s: Session, concept: Concept, current: dict[str, str]) -> list[OutdatedCluster]:
    """Compare the fingerprints stored with the focus clusters of the newest version with ``current`` (cluster →
    the scorecard's fingerprint now), store the outdated ones with the concept and return them. Versions are not
    touched; a change of the finding is audited (actor: the system)."""
    found = outdated_clusters(concept.current, current)
    stored = [asdict(o) for o in found]
    if stored != concept.outdated:
        concept.outdated = stored
        detail = {"key": concept.key, "version": concept.version, "outdated": [o.cluster for o in found]}
        audit(s, None, "mark_outdated", "concept", concept.id, detail, concept.organisation_id)
    concept.evidence_checked_at = utcnow()
    s.flush()
    return found


# ----------------------------------------------------------------------------------------------- JSON


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def describe_sign_off(sign_off: SignOff) -> dict[str, Any]:
    """A sign-off as JSON: the organisation asked (slug), for which version, the answer, who and when."""
    return {
        "organisation": sign_off.organisation.slug,
        "version": sign_off.version,
        "status": str(sign_off.status),
        "requested_by": sign_off.requested_by,
        "requested_at": _when(sign_off.requested_at),
        "note": sign_off.note,
        "answered_by": sign_off.answered_by,
        "answered_at": _when(sign_off.answered_at),
        "answer_note": sign_off.answer_note,
    }


def describe(concept: Concept) -> dict[str, Any]:
    """A concept as JSON (without its versions' content: :func:`describe_version`)."""
    return {
        "key": concept.key,
        "organisation": concept.organisation.slug,
        "network": concept.network.slug if concept.network else None,
        "visibility": str(concept.visibility),
        "title": concept.title,
        "target_region": concept.target_region,
        "authors": concept.authors,
        "status": str(concept.status),
        "version": concept.version,
        "adopted_version": concept.adopted_version,
        "outdated": concept.outdated,
        "evidence_checked_at": _when(concept.evidence_checked_at),
        "sign_offs": [describe_sign_off(o) for o in concept.sign_offs],
    }


def describe_version(version: ConceptVersion) -> dict[str, Any]:
    """A concept version as JSON: number, who saved it when and why, when it was adopted, its content."""
    return {
        "number": version.number,
        "created_at": _when(version.created_at),
        "created_by": version.created_by,
        "note": version.note,
        "adopted_at": _when(version.adopted_at),
        "content": version.content,
    }


def _evidence_owners(concept: Concept) -> set[int]:
    """The organisations whose shared records count as evidence for ``concept``: its own and its network's."""
    return {concept.organisation_id} | ({o.id for o in concept.network.members} if concept.network else set())


def candidate_taxonomies(db: Session, concept: Concept) -> list[ClusterTaxonomy]:
    """The app database's taxonomies that add candidate clusters to the built-in ones: those shared (visibility
    ``network``) by the concept's organisation and by the members of its network — the same for everyone who may
    see the concept, so that the evidence and its fingerprint do not depend on who looks."""
    stmt = (
        select(Taxonomy)
        .where(Taxonomy.visibility == Visibility.network, Taxonomy.organisation_id.in_(_evidence_owners(concept)))
        .order_by(Taxonomy.id)
    )
    return [org_taxonomy(record) for record in db.scalars(stmt)]


def candidate_initiatives(db: Session, concept: Concept, day: date | None = None) -> list[tuple[str, list[str]]]:
    """The initiatives of the knowledge base the scorecard names beside each cluster ("what visited initiatives do
    with it"): ``(name, ["taxonomy:cluster", …])`` of every initiative shared (visibility ``network``) by the
    concept's organisation or its network's members, with the focus clusters its statements give on ``day``
    (default: today; :meth:`regiolens.network.models.InitiativeFact.valid_on`). The same rule as
    :func:`candidate_taxonomies`, for the same reason; initiatives without a focus cluster that day are left out."""
    day = day or date.today()
    stmt = (
        select(Initiative)
        .where(Initiative.visibility == Visibility.network, Initiative.organisation_id.in_(_evidence_owners(concept)))
        .order_by(Initiative.id)
    )
    found = []
    for initiative in db.scalars(stmt):
        clusters = sorted(
            {
                f"{fact.taxonomy}:{fact.cluster}"
                for fact in initiative.facts
                if fact.kind is FactKind.focus_cluster and fact.taxonomy and fact.cluster and fact.valid_on(day)
            }
        )
        if clusters:
            found.append((initiative.name, clusters))
    return found
