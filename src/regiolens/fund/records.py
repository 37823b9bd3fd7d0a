"""Fund plans and their deal pipelines in the app database — the only way the web app, the JSON API and the command
line touch them.

The rules of :mod:`regiolens.network.records` hold here too (``s`` first, ``user`` second, flush, the caller
commits):

- **Reading** starts from :func:`regiolens.web.accounts.visible`. A plan or deal another organisation keeps private
  is "not found" (:class:`~regiolens.network.records.NotFound`), exactly like one that does not exist. A deal is
  seen only by who sees its plan *and* the deal (deals are private by default, see :mod:`regiolens.fund.models`).
- **Changing** needs the role *editor* in the plan's organisation; a new plan belongs to
  :func:`~regiolens.network.records.owner_organisation`. Saving a changed plan adds a version; saving it unchanged
  adds nothing. Every status change of a deal is a :class:`~regiolens.fund.models.DealEvent` along
  :data:`~regiolens.fund.pipeline.TRANSITIONS`.
- **Mandate check.** Whenever a deal, its company's other deals or the plan change, the deal is checked against
  the mandate of the plan's newest version (:func:`regiolens.fund.mandate.check_deal`, earlier tickets = the
  company's other invested deals in the plan) and the check is stored with it.
- **Import** (:func:`import_deals`): every row is read and checked, and every status change checked against the
  allowed transitions, before the first deal is written; an error leaves the database as it was (the caller rolls
  back). A row whose key exists updates that deal; an identical row changes nothing, so re-importing a file is a
  no-op.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.errors import InputError, RegiolensError
from regiolens.fund.mandate import Mandate, MandateCheck, check_deal, parse_mandate
from regiolens.fund.models import Deal, DealEvent, FundPlanRecord, FundPlanVersion
from regiolens.fund.pipeline import (
    DealIn,
    DealStatus,
    PortfolioEntry,
    PortfolioSummary,
    check_transition,
    company_key,
    deal_row,
    deals_csv,
    path_between,
    read_deals_csv,
    summarise_portfolio,
)
from regiolens.network.inputs import Key
from regiolens.network.records import NotFound, find_keyed, owner_organisation
from regiolens.web.accounts import audit, require_role, visible
from regiolens.web.db import NAME_LENGTH, Role, User, Visibility

ExportFormat = Literal["json", "csv"]

_PLAN_KEY = TypeAdapter(Key)
_FIELDS = ("company", "code", "classification", "region", "stage", "amount", "round_date", "founded", "jobs", "notes")
"""The deal fields an input sets besides key and status."""


# ----------------------------------------------------------------------------------------------- plans


def get_plan(s: Session, user: User, ref: str | int) -> FundPlanRecord:
    """The plan ``ref`` the user may see: its number, its key or ``organisation/key`` (a key several visible
    organisations use means the user's own plan; if the user has none of them, name the organisation)."""
    return find_keyed(s, user, FundPlanRecord, ref, "fund plan")


def list_plans(s: Session, user: User) -> list[FundPlanRecord]:
    """The plans the user may see, by name."""
    return list(s.scalars(visible(s, user, FundPlanRecord).order_by(func.lower(FundPlanRecord.name))))


def plan_mandate(plan: FundPlanRecord) -> Mandate | None:
    """The mandate of the plan's newest version (``None`` when its terms have no ``mandate`` table)."""
    terms = plan.current.terms
    if "mandate" not in terms:
        return None
    return parse_mandate(terms, f"fund plan {plan.key} version {plan.version}")


def save_plan(
    s: Session,
    user: User,
    key: str,
    name: str,
    source: str,
    terms: dict[str, Any],
    *,
    organisation: str | None = None,
    visibility: Visibility | None = None,
    note: str = "",
) -> tuple[FundPlanRecord, bool]:
    """Create the plan ``key`` of ``organisation`` (default: the user's only one as editor) or save a new version;
    returns the plan and whether a version was added.

    ``source`` is the plan's TOML text and ``terms`` its content as JSON, validated by the caller
    (:class:`regiolens.fund.terms.FundPlan`); its ``mandate`` table is checked here. A new version is added only
    when source, terms, name or visibility differ from the newest; every deal of the plan is then checked again.
    """
    try:
        key = _PLAN_KEY.validate_python(key)
    except ValidationError as exc:
        raise RegiolensError(f"plan key: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise RegiolensError(f"a plan name has 1 to {NAME_LENGTH} characters")
    if "mandate" in terms:
        parse_mandate(terms, f"fund plan {key}")
    owner = owner_organisation(s, user, organisation)
    plan = s.scalar(select(FundPlanRecord).where(FundPlanRecord.organisation_id == owner.id, FundPlanRecord.key == key))
    if plan is None:
        plan = FundPlanRecord(
            organisation=owner, key=key, name=name, version=0, created_by=user.id, visibility=Visibility.private
        )
        s.add(plan)
    elif (plan.current.source, plan.current.terms, plan.name) == (source, terms, name) and visibility in (
        None,
        plan.visibility,
    ):
        return plan, False
    plan.name = name
    if visibility is not None:
        plan.visibility = visibility
    plan.version += 1
    plan.versions.append(
        FundPlanVersion(number=plan.version, created_by=user.id, source=source, terms=terms, note=note)
    )
    s.flush()
    audit(s, user, "save", "fund_plan", plan.id, {"key": key, "version": plan.version}, owner.id)
    _check_deals(s, plan, plan.deals)
    return plan, True


def require_plan_edit(s: Session, user: User, plan: FundPlanRecord) -> None:
    """Raise :class:`~regiolens.web.accounts.PermissionDenied` unless the user is editor in the plan's organisation."""
    require_role(s, user, plan.organisation_id, Role.editor)


# ----------------------------------------------------------------------------------------------- deals


def as_input(deal: Deal) -> DealIn:
    """The deal as the input that would create it (with its key)."""
    return DealIn.model_validate(
        {"key": deal.key, "status": deal.status, **{name: getattr(deal, name) for name in _FIELDS}}
    )


def stored_check(deal: Deal) -> MandateCheck | None:
    """The deal's latest mandate check (``None`` when its plan has no mandate)."""
    return None if deal.mandate_check is None else MandateCheck.from_dict(deal.mandate_check)


def _check_deals(s: Session, plan: FundPlanRecord, deals: list[Deal]) -> None:
    """Check ``deals`` against the plan's newest mandate; earlier tickets are the company's other invested deals."""
    mandate = plan_mandate(plan)
    invested: dict[str, list[Deal]] = {}
    for d in s.scalars(select(Deal).where(Deal.plan_id == plan.id, Deal.status == DealStatus.invested)):
        invested.setdefault(d.company_key, []).append(d)
    for deal in deals:
        if mandate is None:
            check, eligible = None, None
        else:
            earlier = sum(d.amount for d in invested.get(deal.company_key, []) if d.id != deal.id)
            found = check_deal(as_input(deal), mandate, earlier=earlier, on=date.today())
            check, eligible = found.to_dict(), found.eligible
        if (deal.mandate_check, deal.eligible, deal.checked_version) != (check, eligible, plan.version):
            deal.mandate_check, deal.eligible, deal.checked_version = check, eligible, plan.version
    s.flush()


def _company_deals(s: Session, plan: FundPlanRecord, *keys: str) -> list[Deal]:
    return list(s.scalars(select(Deal).where(Deal.plan_id == plan.id, Deal.company_key.in_(keys))))


def _apply(deal: Deal, data: DealIn) -> None:
    for name in _FIELDS:
        setattr(deal, name, getattr(data, name))
    deal.company_key = company_key(data.company)


def add_deal(
    s: Session,
    user: User,
    plan: FundPlanRecord,
    data: DealIn,
    *,
    visibility: Visibility = Visibility.private,
    note: str = "",
) -> Deal:
    """A new deal in the plan's pipeline, in the status ``data`` gives, checked against the mandate."""
    require_plan_edit(s, user, plan)
    key = data.natural_key
    if s.scalar(select(Deal.id).where(Deal.plan_id == plan.id, Deal.key == key)) is not None:
        raise RegiolensError(f"the plan {plan.key!r} has a deal {key!r} already")
    deal = Deal(plan=plan, organisation_id=plan.organisation_id, key=key, status=data.status, visibility=visibility)
    deal.created_by = user.id
    _apply(deal, data)
    deal.events.append(DealEvent(user_id=user.id, from_status=None, to_status=data.status, note=note))
    s.add(deal)
    s.flush()
    _check_deals(s, plan, _company_deals(s, plan, deal.company_key))
    return deal


def get_deal(s: Session, user: User, plan: FundPlanRecord, ref: str | int) -> Deal:
    """The deal ``ref`` (key or number) of the plan that the user may see."""
    text = str(ref).strip()
    stmt = visible(s, user, Deal).where(Deal.plan_id == plan.id)
    stmt = stmt.where(Deal.id == int(text)) if text.isdigit() else stmt.where(Deal.key == text)
    deal = s.scalar(stmt)
    if deal is None:
        raise NotFound(f"no deal {text!r} in fund plan {plan.key!r}")
    return deal


def list_deals(s: Session, user: User, plan: FundPlanRecord, *, status: DealStatus | None = None) -> list[Deal]:
    """The plan's deals the user may see (optionally of one status), by company, round date and key."""
    stmt = visible(s, user, Deal).where(Deal.plan_id == plan.id)
    if status is not None:
        stmt = stmt.where(Deal.status == status)
    return list(s.scalars(stmt.order_by(Deal.company_key, Deal.round_date.asc().nulls_first(), Deal.key)))


def preview_check(s: Session, user: User, plan: FundPlanRecord, data: DealIn) -> MandateCheck | None:
    """``data`` checked against the mandate of the plan's newest version without saving anything (``None`` when
    the plan has no mandate). Earlier tickets are the company's invested deals in the plan that the user may see,
    except a deal with the same key (the one this would update)."""
    mandate = plan_mandate(plan)
    if mandate is None:
        return None
    company, key = company_key(data.company), data.natural_key
    invested = list_deals(s, user, plan, status=DealStatus.invested)
    earlier = sum(d.amount for d in invested if d.company_key == company and d.key != key)
    return check_deal(data, mandate, earlier=earlier, on=date.today())


def move_deal(s: Session, user: User, deal: Deal, to: DealStatus, note: str = "") -> DealEvent:
    """Move the deal to status ``to`` (one step of :data:`~regiolens.fund.pipeline.TRANSITIONS`) and record it."""
    require_plan_edit(s, user, deal.plan)
    check_transition(deal.status, to)
    event = DealEvent(user_id=user.id, from_status=deal.status, to_status=to, note=note)
    deal.events.append(event)
    deal.status = to
    s.flush()
    _check_deals(s, deal.plan, _company_deals(s, deal.plan, deal.company_key))
    return event


def deal_history(s: Session, user: User, deal: Deal) -> list[DealEvent]:
    """The deal's status changes, oldest first (call it with a deal from :func:`get_deal`)."""
    get_deal(s, user, deal.plan, deal.id)  # raises NotFound unless the user may see it
    return list(deal.events)


@dataclass
class ImportSummary:
    """What an import did: the keys of the deals created, updated and found unchanged."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_deals(s: Session, user: User, plan: FundPlanRecord, path: str | Path) -> ImportSummary:
    """Import the deals of a CSV file into the plan (see the module docstring); new deals are private."""
    require_plan_edit(s, user, plan)
    rows = read_deals_csv(path)
    existing = {d.key: d for d in s.scalars(select(Deal).where(Deal.plan_id == plan.id))}
    steps: dict[str, list[DealStatus]] = {}
    for row in rows:
        deal = existing.get(row.deal.natural_key)
        if deal is None:
            continue
        chain = path_between(deal.status, row.deal.status)
        if chain is None:
            raise InputError(
                path, row.line, "status", f"deal {deal.key!r} is {deal.status}; it cannot move to {row.deal.status}"
            )
        steps[deal.key] = chain
    summary = ImportSummary()
    note = f"import {Path(path).name}"
    for row in rows:
        key, deal = row.deal.natural_key, existing.get(row.deal.natural_key)
        if deal is None:
            deal = Deal(plan=plan, organisation_id=plan.organisation_id, key=key, status=row.deal.status)
            deal.created_by, deal.visibility = user.id, Visibility.private
            _apply(deal, row.deal)
            deal.events.append(DealEvent(user_id=user.id, from_status=None, to_status=row.deal.status, note=note))
            s.add(deal)
            summary.created.append(key)
            continue
        if as_input(deal) == row.deal.model_copy(update={"key": key}):
            summary.unchanged.append(key)
            continue
        _apply(deal, row.deal)
        for step in steps[key]:
            deal.events.append(DealEvent(user_id=user.id, from_status=deal.status, to_status=step, note=note))
            deal.status = step
        summary.updated.append(key)
    s.flush()
    if summary.created or summary.updated:
        detail = {"plan": plan.key, "file": Path(path).name, "created": summary.created, "updated": summary.updated}
        audit(s, user, "import", "deals", plan.id, detail, plan.organisation_id)
        _check_deals(s, plan, list(s.scalars(select(Deal).where(Deal.plan_id == plan.id))))
    return summary


def describe_deal(deal: Deal) -> dict[str, Any]:
    """The deal as JSON: its input fields (:func:`~regiolens.fund.pipeline.deal_row`), visibility, mandate check."""
    return {
        **deal_row(as_input(deal)),
        "visibility": str(deal.visibility),
        "eligible": deal.eligible,
        "mandate_check": deal.mandate_check,
        "checked_version": deal.checked_version,
    }


def export_deals(s: Session, user: User, plan: FundPlanRecord, fmt: ExportFormat = "csv") -> str:
    """The plan's deals the user may see as CSV (what :func:`import_deals` reads back) or JSON
    (:func:`describe_deal` per deal)."""
    deals = list_deals(s, user, plan)
    if fmt == "csv":
        return deals_csv(as_input(d) for d in deals)
    if fmt == "json":
        return json.dumps([describe_deal(d) for d in deals], ensure_ascii=False, indent=2) + "\n"
    raise RegiolensError(f"unknown export format {fmt!r}: json or csv")


def portfolio(s: Session, user: User, plan: FundPlanRecord) -> PortfolioSummary:
    """The portfolio and pipeline summary of the plan's deals the user may see."""
    entries = []
    for deal in list_deals(s, user, plan):
        check = stored_check(deal)
        entries.append(
            PortfolioEntry(
                company=deal.company,
                stage=deal.stage,
                status=deal.status,
                amount=deal.amount,
                cluster=check.clusters[0] if check and check.clusters else None,
                in_region=check.in_region if check else None,
                jobs=deal.jobs,
                round_date=deal.round_date,
            )
        )
    return summarise_portfolio(entries)
