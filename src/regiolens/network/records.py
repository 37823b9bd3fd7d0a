"""Create, change, delete, find and list knowledge-base records — the only way the web app, the JSON API and the
command line touch them.

Rules every function keeps (``s`` first, ``user`` second, flush, the caller commits):

- **Reading** starts from :func:`regiolens.web.accounts.visible`: a record another organisation keeps private is
  "not found", exactly like one that does not exist (:class:`NotFound`), so its existence does not leak. Links to
  other records (an exchange's initiatives, a lesson's exchanges, an actor's members) are read the same way:
  :func:`describe` and the ``linked_*`` functions show only the linked records the reader may see.
- **Changing** needs the role *editor* in the record's organisation (:func:`require_edit`); a new record belongs
  to :func:`owner_organisation`. References given in an input (``hosts``, ``initiatives``, a statement's
  ``actor`` …) must be records the editor may see — except that a change keeps the links the record has to
  records the editor can no longer see (another organisation made them private): they can be kept, never added
  (:func:`_links`). :func:`as_input` gives a record's input for an edit form; given back unchanged, it changes
  nothing.
- Every change writes a :class:`~regiolens.network.models.RecordHistory` entry (old and new values,
  :mod:`regiolens.network.history`) and updates the record's search document (:mod:`regiolens.network.search`).

>>> with session_factory(make_engine()).begin() as s:                         # doctest: +SKIP
...     user = get_user(s, "ada@herten.de")
...     hi = create_initiative(s, user, InitiativeIn(key="hannoverimpuls", name="hannoverimpuls"))
...     [i.name for i in list_records(s, user, Initiative)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from regiolens.clusters import get_taxonomy
from regiolens.errors import RegiolensError
from regiolens.network import history, search
from regiolens.network.attachments import AttachmentStore, remove_attachments
from regiolens.network.inputs import ActorIn, ExchangeIn, FactIn, FollowUpIn, InitiativeIn, LessonIn, PersonIn
from regiolens.network.models import (
    Actor,
    Exchange,
    ExchangeParty,
    FollowUp,
    Initiative,
    InitiativeFact,
    Lesson,
    PartyRole,
    RecordHistory,
    Tag,
    actor_members,
    exchange_initiatives,
    lesson_exchanges,
    lesson_initiatives,
)
from regiolens.web.accounts import PermissionDenied, can_edit, get_organisation, memberships, visible
from regiolens.web.db import Organisation, OrgRecord, Role, User, Visibility, utcnow

Record = Actor | Initiative | Exchange | Lesson
"""A knowledge-base record a person opens on its own."""

R = TypeVar("R", bound=Record)
K = TypeVar("K", bound=OrgRecord)

KINDS: dict[str, type[Actor] | type[Initiative] | type[Exchange] | type[Lesson]] = {
    "actor": Actor,
    "initiative": Initiative,
    "exchange": Exchange,
    "lesson": Lesson,
}
"""Record kinds by name (the ``entity`` of their history, the ``kind`` of their search document)."""

UNKNOWN = "unbekannt / unknown"
"""How a statement recorded as unknown reads in texts."""


class NotFound(RegiolensError):
    """No record with this reference among those the user may see (whether it does not exist or is private)."""


def kind_of(record: Record) -> str:
    """``actor``, ``initiative``, ``exchange`` or ``lesson``."""
    return next(k for k, model in KINDS.items() if isinstance(record, model))


def _title(record: Record) -> str:
    return record.title if isinstance(record, Exchange | Lesson) else record.name


# ----------------------------------------------------------------------------------------------- who and where


def owner_organisation(s: Session, user: User, organisation: str | None = None) -> Organisation:
    """The organisation a new record of ``user`` belongs to: ``organisation`` (slug) if given, else the only one
    in which the user is editor. Raises :class:`PermissionDenied` without the editor role there."""
    if organisation is not None:
        org = get_organisation(s, organisation)
        membership = next((m for m in memberships(s, user) if m.organisation_id == org.id), None)
        if membership is None or not membership.role.allows(Role.editor):
            role = membership.role if membership else "none"
            raise PermissionDenied(f"this needs the role editor in organisation {org.slug!r} (yours: {role})")
        return org
    editable = [m.organisation for m in memberships(s, user) if m.role.allows(Role.editor)]
    if not editable:
        raise PermissionDenied(f"{user.email} is editor in no organisation: records can only be read")
    if len(editable) > 1:
        slugs = ", ".join(o.slug for o in editable)
        raise RegiolensError(f"{user.email} is editor in several organisations ({slugs}): name the organisation")
    return editable[0]


def require_edit(s: Session, user: User, record: Record) -> None:
    """Raise :class:`PermissionDenied` unless the user is editor (or admin) in the record's organisation."""
    if not can_edit(s, user, record):
        raise PermissionDenied(
            f"changing {kind_of(record)} {record.key!r} needs the role editor in its organisation "
            f"{record.organisation.slug!r}"
        )


# ----------------------------------------------------------------------------------------------- reading


def get(s: Session, user: User, model: type[R], ref: str | int) -> R:
    """The knowledge-base record ``ref`` of ``model`` that ``user`` may see (:func:`find_keyed`)."""
    return find_keyed(s, user, model, ref, next(k for k, m in KINDS.items() if m is model))


def find_keyed(s: Session, user: User, model: type[K], ref: str | int, kind: str) -> K:
    """The record ``ref`` of ``model`` (any organisation-owned record with a ``key``: knowledge-base records, fund
    plans, concepts) that ``user`` may see: its number, its key or ``organisation/key``; ``kind`` names it in errors.

    A key held by several visible organisations means the user's own record; if the user has none of them, the
    reference is ambiguous and must name the organisation. One the user may not see is :class:`NotFound`.
    """
    columns: Any = model  # an OrgRecord model with id and key columns
    text = str(ref).strip()
    stmt: Select[Any] = visible(s, user, model)
    if text.isdigit():
        stmt = stmt.where(columns.id == int(text))
    elif "/" in text:
        org, _, key = text.partition("/")
        stmt = stmt.join(Organisation, Organisation.id == columns.organisation_id).where(
            Organisation.slug == org, columns.key == key
        )
    else:
        stmt = stmt.where(columns.key == text)
    found: list[Any] = list(s.scalars(stmt))
    if len(found) > 1:
        own = {m.organisation_id for m in memberships(s, user)}
        found = [r for r in found if r.organisation_id in own] or found
    if not found:
        raise NotFound(f"no {kind} {text!r}")
    if len(found) > 1:
        options = ", ".join(f"{r.organisation.slug}/{r.key}" for r in found)
        raise RegiolensError(f"{kind} {text!r} is ambiguous: {options}")
    result: K = found[0]
    return result


def get_actor(s: Session, user: User, ref: str | int) -> Actor:
    """The visible actor ``ref`` (see :func:`get`)."""
    return get(s, user, Actor, ref)


def get_initiative(s: Session, user: User, ref: str | int) -> Initiative:
    """The visible initiative ``ref`` (see :func:`get`)."""
    return get(s, user, Initiative, ref)


def get_exchange(s: Session, user: User, ref: str | int) -> Exchange:
    """The visible exchange ``ref`` (see :func:`get`)."""
    return get(s, user, Exchange, ref)


def get_lesson(s: Session, user: User, ref: str | int) -> Lesson:
    """The visible lesson ``ref`` (see :func:`get`)."""
    return get(s, user, Lesson, ref)


def list_records(
    s: Session,
    user: User,
    model: type[R],
    *,
    tag: str | None = None,
    organisation: str | None = None,
    example: bool | None = None,
) -> list[R]:
    """The records of ``model`` the user may see; optionally with a tag, of one organisation (slug), example
    content only (``True``) or none of it (``False``). Exchanges newest first, the others by name."""
    stmt: Select[Any] = visible(s, user, model)
    if tag is not None and model is not Actor:
        column = {Initiative: Tag.initiative_id, Exchange: Tag.exchange_id, Lesson: Tag.lesson_id}[model]
        stmt = stmt.where(model.id.in_(select(column).where(Tag.label == tag.strip().lower())))
    if organisation is not None:
        stmt = stmt.where(model.organisation_id == get_organisation(s, organisation).id)
    if example is not None:
        stmt = stmt.where(model.example.is_(example))
    if model is Exchange:
        stmt = stmt.order_by(Exchange.date.desc().nulls_last(), func.lower(Exchange.title), Exchange.id)
    elif model is Lesson:
        stmt = stmt.order_by(func.lower(Lesson.title), Lesson.id)
    else:
        named: Any = model  # an actor or initiative
        stmt = stmt.order_by(func.lower(named.name), model.id)
    return list(s.scalars(stmt))


def _linked(s: Session, user: User, model: type[R], link: Table, other: str, own: str, own_id: int) -> list[R]:
    """The visible records of ``model`` linked through ``link`` (column ``other`` → model, ``own`` → the record)."""
    stmt = visible(s, user, model).join(link, link.c[other] == model.id).where(link.c[own] == own_id)
    return list(s.scalars(stmt))


def exchange_initiatives_of(s: Session, user: User, exchange: Exchange) -> list[Initiative]:
    """The initiatives discussed in the exchange that the user may see."""
    return _linked(s, user, Initiative, exchange_initiatives, "initiative_id", "exchange_id", exchange.id)


def exchange_parties_of(s: Session, user: User, exchange: Exchange) -> list[tuple[PartyRole, Actor]]:
    """``(role, actor)`` of the exchange's hosts, visitors and participants that the user may see."""
    stmt = (
        visible(s, user, Actor)
        .add_columns(ExchangeParty.role)
        .join(ExchangeParty, ExchangeParty.actor_id == Actor.id)
        .where(ExchangeParty.exchange_id == exchange.id)
        .order_by(ExchangeParty.role, func.lower(Actor.name))
    )
    return [(role, actor) for actor, role in s.execute(stmt)]


def actor_members_of(s: Session, user: User, actor: Actor) -> list[Actor]:
    """The members of a network actor that the user may see."""
    return sorted(
        _linked(s, user, Actor, actor_members, "member_id", "group_id", actor.id), key=lambda a: a.name.lower()
    )


def lesson_initiatives_of(s: Session, user: User, lesson: Lesson) -> list[Initiative]:
    """The initiatives a lesson was learned from that the user may see."""
    return _linked(s, user, Initiative, lesson_initiatives, "initiative_id", "lesson_id", lesson.id)


def lesson_exchanges_of(s: Session, user: User, lesson: Lesson) -> list[Exchange]:
    """The exchanges a lesson was learned in that the user may see."""
    return _linked(s, user, Exchange, lesson_exchanges, "exchange_id", "lesson_id", lesson.id)


def exchanges_about(s: Session, user: User, initiative: Initiative) -> list[Exchange]:
    """The exchanges the user may see in which the initiative was discussed, newest first."""
    found = _linked(s, user, Exchange, exchange_initiatives, "exchange_id", "initiative_id", initiative.id)
    return sorted(found, key=lambda e: (e.date is None, -(e.date or date.min).toordinal(), e.title.lower()))


def lessons_about(s: Session, user: User, initiative: Initiative) -> list[Lesson]:
    """The lessons the user may see that were learned from the initiative."""
    found = _linked(s, user, Lesson, lesson_initiatives, "lesson_id", "initiative_id", initiative.id)
    return sorted(found, key=lambda lesson: lesson.title.lower())


def visible_actor_names(s: Session, user: User, ids: Iterable[int | None]) -> dict[int, str]:
    """``{id: name}`` of those of the actors ``ids`` that the user may see."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {a.id: a.name for a in s.scalars(visible(s, user, Actor).where(Actor.id.in_(wanted)))}


def facts_on(initiative: Initiative, day: date | None = None) -> list[InitiativeFact]:
    """The initiative's statements that hold on ``day`` (today if ``None``)."""
    day = day or date.today()
    return [f for f in initiative.facts if f.valid_on(day)]


def open_follow_ups(s: Session, user: User) -> list[FollowUp]:
    """The follow-ups not yet done of the exchanges the user may see, by due date (unknown last)."""
    exchanges = visible(s, user, Exchange).with_only_columns(Exchange.id)
    stmt = (
        select(FollowUp)
        .where(FollowUp.exchange_id.in_(exchanges), FollowUp.done.is_(False))
        .order_by(FollowUp.due.asc().nulls_last(), FollowUp.id)
    )
    return list(s.scalars(stmt))


def record_history(s: Session, user: User, record: Record) -> list[RecordHistory]:
    """Who changed the record when (call it with a record from :func:`get`: its history is as visible as it)."""
    get(s, user, type(record), record.id)  # raises NotFound unless the user may see it
    return history.entries(s, kind_of(record), record.id, record.created_at)


# ----------------------------------------------------------------------------------------------- snapshots and texts


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _fact_snapshot(fact: InitiativeFact) -> dict[str, Any]:
    return {
        "kind": str(fact.kind),
        "value": fact.value,
        "actor_id": fact.actor_id,
        "taxonomy": fact.taxonomy,
        "cluster": fact.cluster,
        "valid_from": _day(fact.valid_from),
        "valid_to": _day(fact.valid_to),
        "source": fact.source,
        "note": fact.note,
    }


def snapshot(record: Record) -> dict[str, Any]:
    """The record's fields as plain JSON values (linked records by number only): what the history compares."""
    out: dict[str, Any] = {"key": record.key, "visibility": str(record.visibility), "example": record.example}
    if isinstance(record, Actor):
        out |= {"name": record.name, "kind": str(record.kind), "region": record.region, "website": record.website}
        out |= {"notes": record.notes, "members": sorted(m.id for m in record.members)}
    elif isinstance(record, Initiative):
        out |= {"name": record.name, "region": record.region, "summary": record.summary, "website": record.website}
        out |= {"facts": [_fact_snapshot(f) for f in record.facts], "tags": [t.label for t in record.tags]}
    elif isinstance(record, Exchange):
        out |= {"title": record.title, "kind": str(record.kind), "date": _day(record.date), "place": record.place}
        out |= {"topics": list(record.topics), "findings": record.findings, "notes": record.notes}
        out |= {"people": [dict(p) for p in record.people], "tags": [t.label for t in record.tags]}
        out["parties"] = sorted([str(p.role), p.actor_id] for p in record.parties)
        out["initiatives"] = sorted(i.id for i in record.initiatives)
        out["follow_ups"] = [
            {"task": f.task, "owner": f.owner, "due": _day(f.due), "done": f.done} for f in record.follow_ups
        ]
    else:
        out |= {"title": record.title, "outcome": str(record.outcome), "what_worked": record.what_worked}
        out |= {"what_failed": record.what_failed, "preconditions": record.preconditions}
        out |= {"initiatives": sorted(i.id for i in record.initiatives)}
        out |= {"exchanges": sorted(e.id for e in record.exchanges), "tags": [t.label for t in record.tags]}
    return out


def _shared(record: Record, linked: Record) -> bool:
    """Whether everyone who sees ``record`` sees ``linked`` too: then its name may stand in the record's text."""
    same = linked.organisation_id == record.organisation_id
    return same and (linked.visibility == Visibility.network or record.visibility == Visibility.private)


def _fact_text(initiative: Initiative, fact: InitiativeFact) -> str:
    parts = [str(fact.kind), fact.value or UNKNOWN]
    if fact.cluster:
        parts.append(f"{fact.taxonomy} {fact.cluster}")
    if fact.actor is not None and _shared(initiative, fact.actor):
        parts.append(fact.actor.name)
    return " ".join([*parts, fact.note])


def document_text(record: Initiative | Exchange | Lesson) -> str:
    """The searchable text of a record: its own words, and the names of the records it links to that everyone who
    sees it may see (:func:`_shared`) — so that a search never reveals a private name."""
    parts: list[str] = [_title(record), record.key, *(t.label for t in record.tags)]
    if isinstance(record, Initiative):
        parts += [record.region or "", record.summary, *(_fact_text(record, f) for f in record.facts)]
    elif isinstance(record, Exchange):
        parts += [str(record.kind), record.place or "", *record.topics, record.findings, record.notes]
        parts += [" ".join(filter(None, (p.get("name"), p.get("function")))) for p in record.people]
        parts += [f"{f.task} {f.owner or ''}" for f in record.follow_ups]
        parts += [p.actor.name for p in record.parties if _shared(record, p.actor)]
        parts += [i.name for i in record.initiatives if _shared(record, i)]
    else:
        parts += [str(record.outcome), record.what_worked, record.what_failed, record.preconditions]
        parts += [i.name for i in record.initiatives if _shared(record, i)]
        parts += [e.title for e in record.exchanges if _shared(record, e)]
    return "\n".join(p for p in parts if p)


def _dependents(s: Session, record: Record) -> list[Initiative | Exchange | Lesson]:
    """The records whose search text may name ``record`` (see :func:`document_text`)."""
    if isinstance(record, Actor):
        facts = select(InitiativeFact.initiative_id).where(InitiativeFact.actor_id == record.id)
        parties = select(ExchangeParty.exchange_id).where(ExchangeParty.actor_id == record.id)
        return [
            *s.scalars(select(Initiative).where(Initiative.id.in_(facts))),
            *s.scalars(select(Exchange).where(Exchange.id.in_(parties))),
        ]
    if isinstance(record, Initiative):
        exchanges = select(exchange_initiatives.c.exchange_id).where(exchange_initiatives.c.initiative_id == record.id)
        lessons = select(lesson_initiatives.c.lesson_id).where(lesson_initiatives.c.initiative_id == record.id)
        return [
            *s.scalars(select(Exchange).where(Exchange.id.in_(exchanges))),
            *s.scalars(select(Lesson).where(Lesson.id.in_(lessons))),
        ]
    if isinstance(record, Exchange):
        lessons = select(lesson_exchanges.c.lesson_id).where(lesson_exchanges.c.exchange_id == record.id)
        return list(s.scalars(select(Lesson).where(Lesson.id.in_(lessons))))
    return []


def _reindex(s: Session, record: Record) -> None:
    if not isinstance(record, Actor):
        search.index(s, kind_of(record), record.id, _title(record), document_text(record))


# ----------------------------------------------------------------------------------------------- writing


def _resolve(s: Session, user: User, model: type[R], ref: str, linked: Mapping[int, R]) -> R:
    """The record ``ref``: one the user may see, or — given by its number — one the changed record links to already
    (kept even when the user may no longer see it: a record the editor cannot see can be kept, never added)."""
    text = str(ref).strip()
    if text.isdigit() and int(text) in linked:
        return linked[int(text)]
    return get(s, user, model, text)


def _links(s: Session, user: User, model: type[R], refs: Sequence[str], current: Sequence[R] = ()) -> list[R]:
    """The records ``refs`` (without repeats), followed by those of ``current`` the user cannot see: an update
    replaces the links the editor sees and keeps the others, which the editor could neither see nor choose."""
    linked = {r.id: r for r in current}
    chosen = list({r.id: r for r in (_resolve(s, user, model, ref, linked) for ref in refs)}.values())
    if not linked:
        return chosen
    seen = set(s.scalars(visible(s, user, model).with_only_columns(model.id).where(model.id.in_(list(linked)))))
    taken = {r.id for r in chosen}
    return chosen + [r for r in current if r.id not in seen and r.id not in taken]


def _check_key(s: Session, model: type[R], organisation_id: int, key: str, record: R | None) -> None:
    existing = s.scalar(select(model.id).where(model.organisation_id == organisation_id, model.key == key))
    if existing is not None and (record is None or existing != record.id):
        kind = next(k for k, m in KINDS.items() if m is model)
        raise RegiolensError(f"{kind} {key!r} exists already in this organisation")


def _facts(
    s: Session, user: User, facts: Sequence[FactIn], linked: Mapping[int, Actor] | None = None
) -> list[InitiativeFact]:
    out = []
    for fact in facts:
        if fact.taxonomy and fact.cluster:
            get_taxonomy(fact.taxonomy).cluster(fact.cluster)  # an unknown taxonomy or cluster is an error
        actor = _resolve(s, user, Actor, fact.actor, linked or {}) if fact.actor else None
        values = fact.model_dump(exclude={"actor"})
        out.append(InitiativeFact(**values, actor=actor))
    return out


def _start(s: Session, user: User, model: type[R], organisation: str | None, example: bool) -> R:
    org = owner_organisation(s, user, organisation)
    return model(organisation_id=org.id, organisation=org, created_by=user.id, example=example)


def _finish(s: Session, user: User, record: Record, before: dict[str, Any] | None) -> None:
    """Flush, then write history and search text of a created (``before`` ``None``) or changed record."""
    if before is not None:
        record.updated_at = utcnow()  # also when only links or statements changed
    s.add(record)
    s.flush()
    action = "create" if before is None else "update"
    history.log_change(s, user, record.organisation_id, kind_of(record), record.id, action, before, snapshot(record))
    for changed in [record, *_dependents(s, record)]:
        _reindex(s, changed)


def _apply_actor(s: Session, user: User, actor: Actor, data: ActorIn) -> None:
    _check_key(s, Actor, actor.organisation_id, data.key, actor if actor.id else None)
    members = _links(s, user, Actor, data.members, actor.members if actor.id else ())
    if any(m is actor for m in members):
        raise RegiolensError(f"actor {data.key!r} cannot be a member of itself")
    actor.key, actor.name, actor.kind, actor.region = data.key, data.name, data.kind, data.region
    actor.website, actor.notes, actor.visibility, actor.members = data.website, data.notes, data.visibility, members


def create_actor(
    s: Session, user: User, data: ActorIn, *, organisation: str | None = None, example: bool = False
) -> Actor:
    """A new actor of the user's organisation (or ``organisation``)."""
    actor = _start(s, user, Actor, organisation, example)
    _apply_actor(s, user, actor, data)
    _finish(s, user, actor, None)
    return actor


def update_actor(s: Session, user: User, actor: Actor, data: ActorIn) -> Actor:
    """Replace the actor's fields and members with ``data``."""
    require_edit(s, user, actor)
    before = snapshot(actor)
    _apply_actor(s, user, actor, data)
    _finish(s, user, actor, before)
    return actor


def _apply_initiative(s: Session, user: User, initiative: Initiative, data: InitiativeIn) -> None:
    _check_key(s, Initiative, initiative.organisation_id, data.key, initiative if initiative.id else None)
    initiative.key, initiative.name, initiative.region = data.key, data.name, data.region
    initiative.summary, initiative.website, initiative.visibility = data.summary, data.website, data.visibility
    linked = {f.actor.id: f.actor for f in initiative.facts if f.actor is not None}
    initiative.facts = _facts(s, user, data.facts, linked)
    initiative.tags = [Tag(label=t) for t in sorted(set(data.tags))]


def create_initiative(
    s: Session, user: User, data: InitiativeIn, *, organisation: str | None = None, example: bool = False
) -> Initiative:
    """A new initiative with its dated statements and tags."""
    initiative = _start(s, user, Initiative, organisation, example)
    _apply_initiative(s, user, initiative, data)
    _finish(s, user, initiative, None)
    return initiative


def update_initiative(s: Session, user: User, initiative: Initiative, data: InitiativeIn) -> Initiative:
    """Replace the initiative's fields, statements and tags with ``data`` (end a statement by giving it a
    ``valid_to`` and add the new one beside it: the old statement stays in the record)."""
    require_edit(s, user, initiative)
    before = snapshot(initiative)
    _apply_initiative(s, user, initiative, data)
    _finish(s, user, initiative, before)
    return initiative


def add_fact(s: Session, user: User, initiative: Initiative, fact: FactIn) -> InitiativeFact:
    """Add one dated statement to an initiative."""
    require_edit(s, user, initiative)
    before = snapshot(initiative)
    (new,) = _facts(s, user, [fact])
    initiative.facts.append(new)
    _finish(s, user, initiative, before)
    return new


def _apply_exchange(s: Session, user: User, exchange: Exchange, data: ExchangeIn) -> None:
    _check_key(s, Exchange, exchange.organisation_id, data.key, exchange if exchange.id else None)
    exchange.key, exchange.title, exchange.kind, exchange.date = data.key, data.title, data.kind, data.date
    exchange.place, exchange.topics, exchange.findings = data.place, list(data.topics), data.findings
    exchange.notes, exchange.visibility = data.notes, data.visibility
    parties: dict[tuple[int, PartyRole], ExchangeParty] = {}
    sides = (
        (PartyRole.host, data.hosts),
        (PartyRole.visitor, data.visitors),
        (PartyRole.participant, data.participants),
    )
    for role, refs in sides:
        current = [p.actor for p in exchange.parties if p.role is role]
        for actor in _links(s, user, Actor, refs, current):
            parties[(actor.id, role)] = ExchangeParty(actor_id=actor.id, actor=actor, role=role)
    exchange.parties = list(parties.values())
    known = [p["actor_id"] for p in exchange.people or [] if p.get("actor_id")]
    linked = {a.id: a for a in s.scalars(select(Actor).where(Actor.id.in_(known)))} if known else {}
    exchange.people = [
        {
            "name": p.name,
            "function": p.function,
            "actor_id": _resolve(s, user, Actor, p.actor, linked).id if p.actor else None,
            "role": str(p.role),
        }
        for p in data.people
    ]
    exchange.initiatives = _links(s, user, Initiative, data.initiatives, exchange.initiatives if exchange.id else ())
    exchange.follow_ups = _follow_ups(exchange.follow_ups, data.follow_ups)
    exchange.tags = [Tag(label=t) for t in sorted(set(data.tags))]


def _follow_ups(current: Sequence[FollowUp], wanted: Sequence[FollowUpIn]) -> list[FollowUp]:
    """The follow-ups ``wanted``; one with the task of a current follow-up is that follow-up, changed (so it keeps
    its number and the time it was done)."""
    unused = list(current)
    out = []
    for data in wanted:
        follow_up = next((f for f in unused if f.task == data.task), None)
        if follow_up is None:
            follow_up = FollowUp(task=data.task)
        else:
            unused.remove(follow_up)
        _set_done(follow_up, data.done)
        follow_up.owner, follow_up.due = data.owner, data.due
        out.append(follow_up)
    return out


def _set_done(follow_up: FollowUp, done: bool) -> None:
    """Mark done (keeping the first time it was marked) or open."""
    if done and not follow_up.done_at:
        follow_up.done_at = utcnow()
    elif not done:
        follow_up.done_at = None
    follow_up.done = done


def create_exchange(
    s: Session, user: User, data: ExchangeIn, *, organisation: str | None = None, example: bool = False
) -> Exchange:
    """A new exchange with its parties, people, initiatives discussed, findings and follow-ups."""
    exchange = _start(s, user, Exchange, organisation, example)
    _apply_exchange(s, user, exchange, data)
    _finish(s, user, exchange, None)
    return exchange


def update_exchange(s: Session, user: User, exchange: Exchange, data: ExchangeIn) -> Exchange:
    """Replace the exchange's fields, parties, links, follow-ups and tags with ``data``."""
    require_edit(s, user, exchange)
    before = snapshot(exchange)
    _apply_exchange(s, user, exchange, data)
    _finish(s, user, exchange, before)
    return exchange


def add_follow_up(s: Session, user: User, exchange: Exchange, data: FollowUpIn) -> FollowUp:
    """Add a follow-up to an exchange."""
    require_edit(s, user, exchange)
    before = snapshot(exchange)
    follow_up = FollowUp(task=data.task, owner=data.owner, due=data.due)
    _set_done(follow_up, data.done)
    exchange.follow_ups.append(follow_up)
    _finish(s, user, exchange, before)
    return follow_up


def set_follow_up_done(s: Session, user: User, follow_up_id: int, done: bool = True) -> FollowUp:
    """Mark a follow-up (of an exchange the user may edit) done or not done."""
    follow_up = s.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(f"no follow-up {follow_up_id}")
    exchange = get(s, user, Exchange, follow_up.exchange_id)  # NotFound unless the user may see it
    require_edit(s, user, exchange)
    before = snapshot(exchange)
    _set_done(follow_up, done)
    _finish(s, user, exchange, before)
    return follow_up


def _apply_lesson(s: Session, user: User, lesson: Lesson, data: LessonIn) -> None:
    _check_key(s, Lesson, lesson.organisation_id, data.key, lesson if lesson.id else None)
    lesson.key, lesson.title, lesson.outcome = data.key, data.title, data.outcome
    lesson.what_worked, lesson.what_failed = data.what_worked, data.what_failed
    lesson.preconditions, lesson.visibility = data.preconditions, data.visibility
    lesson.initiatives = _links(s, user, Initiative, data.initiatives, lesson.initiatives if lesson.id else ())
    lesson.exchanges = _links(s, user, Exchange, data.exchanges, lesson.exchanges if lesson.id else ())
    lesson.tags = [Tag(label=t) for t in sorted(set(data.tags))]


def create_lesson(
    s: Session, user: User, data: LessonIn, *, organisation: str | None = None, example: bool = False
) -> Lesson:
    """A new lesson linked to initiatives and exchanges."""
    lesson = _start(s, user, Lesson, organisation, example)
    _apply_lesson(s, user, lesson, data)
    _finish(s, user, lesson, None)
    return lesson


def update_lesson(s: Session, user: User, lesson: Lesson, data: LessonIn) -> Lesson:
    """Replace the lesson's fields, links and tags with ``data``."""
    require_edit(s, user, lesson)
    before = snapshot(lesson)
    _apply_lesson(s, user, lesson, data)
    _finish(s, user, lesson, before)
    return lesson


def delete_record(s: Session, user: User, record: Record, store: AttachmentStore | None = None) -> None:
    """Delete a record with its statements, follow-ups, tags, attachments (files too) and search text.

    ``store`` is where the attachment files are; it is needed when the record has attachments.
    """
    require_edit(s, user, record)
    kind = kind_of(record)
    if not isinstance(record, Actor):
        remove_attachments(s, store, kind, record.id)
        search.unindex(s, kind, record.id)
    history.log_change(s, user, record.organisation_id, kind, record.id, "delete", snapshot(record), None)
    dependents = _dependents(s, record)
    s.delete(record)
    s.flush()
    for dependent in dependents:
        s.refresh(dependent)
        _reindex(s, dependent)


# ----------------------------------------------------------------------------------------------- describing


def as_input(record: Record) -> ActorIn | InitiativeIn | ExchangeIn | LessonIn:
    """The input that would make the record as it is (links by number): what an edit form starts from. Given back
    to the ``update_*`` function unchanged, it changes nothing — links to records the editor cannot see included."""
    common: dict[str, Any] = {"key": record.key, "visibility": record.visibility}
    if isinstance(record, Actor):
        return ActorIn(
            **common,
            name=record.name,
            kind=record.kind,
            region=record.region,
            website=record.website,
            notes=record.notes,
            members=[str(m.id) for m in record.members],
        )
    if isinstance(record, Initiative):
        facts = [
            FactIn(
                kind=f.kind,
                value=f.value,
                actor=str(f.actor_id) if f.actor_id else None,
                taxonomy=f.taxonomy,
                cluster=f.cluster,
                valid_from=f.valid_from,
                valid_to=f.valid_to,
                source=f.source,
                note=f.note,
            )
            for f in record.facts
        ]
        return InitiativeIn(
            **common,
            name=record.name,
            region=record.region,
            summary=record.summary,
            website=record.website,
            facts=facts,
            tags=[t.label for t in record.tags],
        )
    if isinstance(record, Exchange):
        sides = {role: [str(p.actor_id) for p in record.parties if p.role is role] for role in PartyRole}
        return ExchangeIn(
            **common,
            title=record.title,
            kind=record.kind,
            date=record.date,
            place=record.place,
            hosts=sides[PartyRole.host],
            visitors=sides[PartyRole.visitor],
            participants=sides[PartyRole.participant],
            people=[
                PersonIn(
                    name=p.get("name"),
                    function=p.get("function"),
                    actor=str(p["actor_id"]) if p.get("actor_id") else None,
                    role=p["role"],
                )
                for p in record.people
            ],
            initiatives=[str(i.id) for i in record.initiatives],
            topics=list(record.topics),
            findings=record.findings,
            notes=record.notes,
            follow_ups=[FollowUpIn(task=f.task, owner=f.owner, due=f.due, done=f.done) for f in record.follow_ups],
            tags=[t.label for t in record.tags],
        )
    return LessonIn(
        **common,
        title=record.title,
        outcome=record.outcome,
        what_worked=record.what_worked,
        what_failed=record.what_failed,
        preconditions=record.preconditions,
        initiatives=[str(i.id) for i in record.initiatives],
        exchanges=[str(e.id) for e in record.exchanges],
        tags=[t.label for t in record.tags],
    )


def describe(s: Session, user: User, record: Record) -> dict[str, Any]:
    """The record as JSON-ready values for showing and exporting (``type`` is the kind of record, ``kind`` that of
    an actor or exchange): names of the linked records the user may see, never others."""
    out: dict[str, Any] = {
        "type": kind_of(record),
        "id": record.id,
        "organisation": record.organisation.slug,
        **snapshot(record),
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
    }
    if isinstance(record, Actor):
        out["members"] = [a.key for a in actor_members_of(s, user, record)]
    elif isinstance(record, Initiative):
        names = visible_actor_names(s, user, (f.actor_id for f in record.facts))
        for fact in out["facts"]:
            fact["actor"] = names.get(fact.pop("actor_id"))
    elif isinstance(record, Exchange):
        parties = exchange_parties_of(s, user, record)
        for role in PartyRole:
            out[f"{role}s"] = [a.name for r, a in parties if r is role]
        del out["parties"]
        names = visible_actor_names(s, user, (p.get("actor_id") for p in record.people))
        out["people"] = [
            {
                "name": p.get("name"),
                "function": p.get("function"),
                "actor": names.get(p.get("actor_id") or 0),
                "role": p["role"],
            }
            for p in record.people
        ]
        out["initiatives"] = [i.name for i in exchange_initiatives_of(s, user, record)]
    else:
        out["initiatives"] = [i.name for i in lesson_initiatives_of(s, user, record)]
        out["exchanges"] = [e.title for e in lesson_exchanges_of(s, user, record)]
    return out
