"""The deal pipeline: inputs, statuses, CSV import/export, portfolio summary, and the plans and deals in the app
database (SQLite and PostgreSQL) with their visibility rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from regiolens.errors import InputError, RegiolensError
from regiolens.fund import records
from regiolens.fund.models import Deal, DealEvent, FundPlanRecord, FundPlanVersion
from regiolens.fund.pipeline import (
    ClusterRef,
    DealIn,
    DealStatus,
    PortfolioEntry,
    Stage,
    TransitionError,
    check_transition,
    company_key,
    deal_key,
    deals_csv,
    path_between,
    read_deals_csv,
    summarise_portfolio,
)
from regiolens.network.records import NotFound
from regiolens.web.accounts import PermissionDenied
from regiolens.web.db import AuditEntry, Visibility
from tests.network import conftest as network
from tests.network.conftest import People

# the app database on SQLite and PostgreSQL, and Herten (ada editor, vic viewer), Gelsenkirchen (gil, same network)
# and Hannover (hal, no network with them)
database_url, engine, session, fast_password_hashing, people = (
    network.database_url,
    network.engine,
    network.session,
    network.fast_password_hashing,
    network.people,
)

MANDATE: dict[str, Any] = {
    "taxonomy": "hannoverimpuls",
    "clusters": ["ict", "medtech"],
    "region": "emscher-lippe",
    "stages": ["seed", "series_a"],
    "max_per_company": 3_000_000,
}

# ----------------------------------------------------------------------------------------------- inputs and statuses


def test_deal_input_reads_what_people_write() -> None:
    deal = DealIn(company=" Muster GmbH ", code="6201", region="05562004", stage="Series A", amount=400_000)
    assert (deal.company, deal.code, deal.classification, deal.stage) == ("Muster GmbH", "62.01", "wz2008", "series_a")
    assert deal.natural_key == "muster-gmbh/series_a"
    assert DealIn.model_validate({**deal.model_dump(), "status": "Due Diligence"}).status is DealStatus.due_diligence
    assert DealIn.model_validate({**deal.model_dump(), "status": "Abgelehnt"}).status is DealStatus.declined
    assert DealIn.model_validate({**deal.model_dump(), "classification": "NAICS2017", "code": "541511"}).code == (
        "541511"
    )
    unknown = DealIn.model_validate({**deal.model_dump(), "code": "99.99"})
    assert unknown.code == "99.99"  # kept: the mandate check reports it
    for bad, match in (
        ({"classification": "wz1993"}, "unknown classification"),
        ({"classification": "wz2008-sg"}, "groups whole sections"),
        ({"amount": 0}, "greater than 0"),
        ({"stage": "series_z"}, "stage"),
        ({"key": "a key with spaces"}, "a key has"),
    ):
        with pytest.raises(ValidationError, match=match):
            DealIn.model_validate({**deal.model_dump(), **bad})


def test_keys() -> None:
    assert company_key("Müller & Söhne GmbH") == "müller-söhne-gmbh" == company_key("MÜLLER   & söhne gmbh")
    assert deal_key("Muster GmbH", Stage.seed, date(2026, 3, 1)) == "muster-gmbh/seed/2026-03-01"
    assert deal_key("Muster GmbH", Stage.seed, None) == "muster-gmbh/seed"


def test_status_transitions() -> None:
    check_transition(DealStatus.screening, DealStatus.due_diligence)
    check_transition(DealStatus.committee, DealStatus.due_diligence)  # one step back before the decision
    check_transition(DealStatus.declined, DealStatus.screening)  # reopened
    for old, new in (
        (DealStatus.screening, DealStatus.invested),
        (DealStatus.invested, DealStatus.declined),
        (DealStatus.screening, DealStatus.screening),
    ):
        with pytest.raises(TransitionError, match=f"from {old} to {new}"):
            check_transition(old, new)
    assert path_between(DealStatus.screening, DealStatus.invested) == [
        DealStatus.due_diligence,
        DealStatus.committee,
        DealStatus.invested,
    ]
    assert path_between(DealStatus.declined, DealStatus.due_diligence) == [
        DealStatus.screening,
        DealStatus.due_diligence,
    ]
    assert path_between(DealStatus.committee, DealStatus.committee) == []
    assert path_between(DealStatus.invested, DealStatus.screening) is None


# ----------------------------------------------------------------------------------------------- CSV

GERMAN = (
    "Unternehmen;WZ;Regionalschlüssel;Phase;Betrag;Status;Rundendatum;Gründung;Arbeitsplätze;Notizen\n"
    "Muster GmbH;62.01;05562004;Seed;400.000 €;investiert;01.03.2026;15.01.2024;12;\n"
    'Photon AG;26.70;05512000;Serie A;1.250.000;Due Diligence;;;;"zwei\nZeilen"\n'
    "\n"
    "Kfz-Teile KG;29.32;05513000;seed;300.000;Sichtung;2026-05-01;;;\n"
)


def write(tmp_path: Path, text: str, name: str = "deals.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_read_a_german_csv(tmp_path: Path) -> None:
    rows = read_deals_csv(write(tmp_path, GERMAN, encoding="utf-8-sig"))
    assert [r.line for r in rows] == [2, 3, 6]  # a quoted note over two lines and a blank line are counted
    first, second, third = (r.deal for r in rows)
    assert (first.amount, first.status, first.round_date, first.founded, first.jobs) == (
        400_000,
        DealStatus.invested,
        date(2026, 3, 1),
        date(2024, 1, 15),
        12,
    )
    assert (second.stage, second.amount, second.notes, second.round_date) == (
        "series_a",
        1_250_000,
        "zwei\nZeilen",
        None,
    )
    assert third.natural_key == "kfz-teile-kg/seed/2026-05-01"


def test_read_an_english_csv(tmp_path: Path) -> None:
    text = (
        "company,code,classification,region,stage,amount,founded\n"
        'A Inc,541511,naics2017,us:26163,seed,"400,000",2024-01-15\n'
    )
    (row,) = read_deals_csv(write(tmp_path, text))
    assert (row.line, row.deal.amount, row.deal.code, row.deal.founded) == (2, 400_000, "541511", date(2024, 1, 15))


def test_csv_round_trip(tmp_path: Path) -> None:
    rows = [r.deal for r in read_deals_csv(write(tmp_path, GERMAN))]
    exported = deals_csv(rows)
    assert (
        exported.splitlines()[0]
        == "key,company,code,classification,region,stage,amount,status,round_date,founded,jobs,notes"
    )
    again = [r.deal for r in read_deals_csv(write(tmp_path, exported, "again.csv"))]
    assert [d.model_copy(update={"key": None}) for d in again] == rows
    assert [d.natural_key for d in again] == [d.natural_key for d in rows]


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("company,code,region,stage\nA,62.01,05562,seed\n", 1, None, "missing column(s) amount"),
        ("company,code,region,stage,amount,colour\n", 1, "colour", "unknown column"),
        ("company,code,region,stage,amount\nA,62.01,05562,seed,400000\nB,62.01,05562,seed,4.5\n", 3, "amount", "whole"),
        ("company,code,region,stage,amount\nA,62.01,05562,seed,vierhundert\n", 2, "amount", "not a number"),
        ("Unternehmen;WZ;AGS;Phase;Betrag\nA;62.01;05562;seed;400.000,50\n", 2, "Betrag", "whole"),
        ("company,code,region,stage,amount,status\nA,62.01,05562,seed,1,won\n", 2, "status", "Input should be"),
        ("company,code,region,stage,amount,round_date\nA,62.01,05562,seed,1,31.02.2026\n", 2, "round_date", "no date"),
        ("company,code,region,stage,amount\nA,62.01,05562,seed,1\nB,62.01,05562,seed,1,9\n", 3, None, "6 cells"),
        ("company,code,region,stage,amount\nA,62.01,05562,seed,1\na,62.01,05562,Seed,2\n", 3, "company", "line 2"),
        ("company,code,region,stage,amount,classification\nA,62.01,05562,seed,1,sic\n", 2, "classification", "sic"),
        ("company,code,region,stage,amount\n,62.01,05562,seed,1\n", 2, "company", "Field required"),
    ],
)
def test_csv_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str | None, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as error:
        read_deals_csv(path)
    assert (error.value.path, error.value.line, error.value.field) == (str(path), line, field)
    assert message in error.value.message


def test_csv_encoding_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "company,code,region,stage,amount\nMüller,62.01,05562,seed,1\n", encoding="latin-1")
    with pytest.raises(InputError) as error:
        read_deals_csv(path)
    assert (error.value.line, error.value.field) == (2, "encoding")


# ----------------------------------------------------------------------------------------------- portfolio


def test_portfolio_summary_by_hand() -> None:
    ict, med = ClusterRef("ict", "IKT", "ICT"), ClusterRef("medtech", "Medizintechnik", "Medtech")

    def entry(company: str, stage: Stage, status: DealStatus, amount: int, **more: Any) -> PortfolioEntry:
        return PortfolioEntry(company, stage, status, amount, **more)

    summary = summarise_portfolio(
        [
            entry(
                "A GmbH",
                Stage.seed,
                DealStatus.invested,
                500,
                cluster=ict,
                in_region=True,
                jobs=10,
                round_date=date(2024, 1, 1),
            ),
            entry(
                "a gmbh",
                Stage.series_a,
                DealStatus.invested,
                1500,
                cluster=ict,
                in_region=True,
                jobs=25,
                round_date=date(2026, 1, 1),
            ),
            entry("B AG", Stage.seed, DealStatus.invested, 700, cluster=med, in_region=True),
            entry("C KG", Stage.seed, DealStatus.invested, 300, in_region=False, jobs=99),
            entry("D SE", Stage.seed, DealStatus.committee, 900, cluster=ict, in_region=True, jobs=5),
            entry("E UG", Stage.seed, DealStatus.declined, 100),
        ]
    )
    assert (summary.deals_invested, summary.amount_invested, summary.companies_financed) == (4, 3000, 3)
    # A (latest: 25 jobs) and B (no figure) are in the region; C is outside, D not invested
    assert (summary.companies_in_region, summary.jobs_in_region, summary.companies_with_jobs) == (2, 25, 1)
    assert [(t.key, t.deals, t.amount, t.companies) for t in summary.by_cluster] == [
        ("ict", 2, 2000, 1),
        ("medtech", 1, 700, 1),
        ("", 1, 300, 1),
    ]
    assert [(t.key, t.label_de, t.deals, t.amount) for t in summary.by_stage] == [
        ("seed", "Seed", 3, 1500),
        ("series_a", "Serie A", 1, 1500),
    ]
    assert [(t.key, t.deals, t.amount) for t in summary.by_status] == [
        ("screening", 0, 0),
        ("due_diligence", 0, 0),
        ("committee", 1, 900),
        ("invested", 4, 3000),
        ("declined", 1, 100),
    ]
    assert summary.to_dict()["by_cluster"][0] == {
        "key": "ict",
        "label_de": "IKT",
        "label_en": "ICT",
        "deals": 2,
        "amount": 2000,
        "companies": 1,
    }
    assert summarise_portfolio([]).jobs_in_region is None


# ----------------------------------------------------------------------------------------------- app database


def plan(session: Session, people: People, visibility: Visibility = Visibility.network) -> FundPlanRecord:
    saved, added = records.save_plan(
        session,
        people.ada,
        "seedfonds",
        "Seedfonds Emscher-Lippe",
        "# v1\n",
        {"mandate": MANDATE},
        visibility=visibility,
    )
    assert added
    return saved


def new_deal(**changes: Any) -> DealIn:
    spec: dict[str, Any] = {
        "company": "Muster GmbH",
        "code": "62.01",
        "region": "05562004",
        "stage": "seed",
        "amount": 400_000,
        "round_date": date(2026, 3, 1),
    }
    return DealIn.model_validate(spec | changes)


def test_plans_are_versioned(session: Session, people: People) -> None:
    first = plan(session, people)
    same, added = records.save_plan(
        session, people.ada, "seedfonds", "Seedfonds Emscher-Lippe", "# v1\n", {"mandate": MANDATE}
    )
    assert same is first and not added and first.version == 1
    changed = {"mandate": MANDATE | {"max_per_company": 1_000_000}}
    second, added = records.save_plan(
        session, people.ada, "seedfonds", "Seedfonds Emscher-Lippe", "# v2\n", changed, note="Höchstgrenze gesenkt"
    )
    assert added and second is first and second.version == 2
    assert [(v.number, v.source, v.note) for v in second.versions] == [
        (1, "# v1\n", ""),
        (2, "# v2\n", "Höchstgrenze gesenkt"),
    ]
    mandate = records.plan_mandate(second)
    assert mandate is not None and mandate.max_per_company == 1_000_000
    with pytest.raises(InputError, match=r"mandate\.clusters"):
        records.save_plan(session, people.ada, "seedfonds", "x", "", {"mandate": MANDATE | {"clusters": ["x"]}})
    with pytest.raises(PermissionDenied):
        records.save_plan(session, people.vic, "seedfonds", "x", "", {}, organisation="herten")
    with pytest.raises(RegiolensError, match="plan key"):
        records.save_plan(session, people.ada, "Seed Fonds", "x", "", {})
    session.commit()
    count = session.scalar(select(func.count()).select_from(FundPlanVersion))
    assert count == 2


def test_deals_are_checked_moved_and_recorded(session: Session, people: People) -> None:
    fund = plan(session, people)
    deal = records.add_deal(session, people.ada, fund, new_deal(), note="Pitch beim Gründerabend")
    assert deal.key == "muster-gmbh/seed/2026-03-01" and deal.organisation.slug == "herten"
    assert deal.eligible is True and deal.checked_version == 1
    check = records.stored_check(deal)
    assert check is not None and check.clusters[0].id == "ict"
    with pytest.raises(TransitionError):
        records.move_deal(session, people.ada, deal, DealStatus.invested)
    for step in (DealStatus.due_diligence, DealStatus.committee, DealStatus.invested):
        records.move_deal(session, people.ada, deal, step)
    history = records.deal_history(session, people.ada, deal)
    assert [(e.from_status, e.to_status, e.user_id) for e in history] == [
        (None, DealStatus.screening, people.ada.id),
        (DealStatus.screening, DealStatus.due_diligence, people.ada.id),
        (DealStatus.due_diligence, DealStatus.committee, people.ada.id),
        (DealStatus.committee, DealStatus.invested, people.ada.id),
    ]
    assert history[0].note == "Pitch beim Gründerabend"
    with pytest.raises(RegiolensError, match="has a deal"):
        records.add_deal(session, people.ada, fund, new_deal())

    # the follow-on round counts the invested seed ticket: 400,000 + 2,700,000 > 3,000,000
    follow_on = records.add_deal(
        session, people.ada, fund, new_deal(stage="series_a", amount=2_700_000, round_date=date(2027, 6, 1))
    )
    assert follow_on.eligible is False
    failed = records.stored_check(follow_on)
    assert failed is not None and [r.rule for r in failed.failed] == ["max_per_company"]
    assert "400.000\u00a0€ + bisher" not in failed.failed[0].reason_de
    assert failed.failed[0].reason_de.startswith("2.700.000\u00a0€ + bisher 400.000\u00a0€ = 3.100.000\u00a0€")

    # a stricter mandate re-checks every deal of the plan
    records.save_plan(
        session, people.ada, "seedfonds", fund.name, "# v2\n", {"mandate": MANDATE | {"region": "region-hannover"}}
    )
    session.refresh(deal)
    assert deal.eligible is False and deal.checked_version == 2
    session.commit()


def test_who_sees_and_changes_plans_and_deals(session: Session, people: People) -> None:
    fund = plan(session, people, Visibility.network)
    private = records.add_deal(session, people.ada, fund, new_deal())
    shared = records.add_deal(
        session, people.ada, fund, new_deal(company="Photon AG", code="26.60"), visibility=Visibility.network
    )
    hidden, _ = records.save_plan(session, people.ada, "intern", "Interner Plan", "", {})
    session.commit()

    # a viewer of Herten sees everything of Herten but changes nothing
    assert {d.key for d in records.list_deals(session, people.vic, fund)} == {private.key, shared.key}
    with pytest.raises(PermissionDenied):
        records.add_deal(session, people.vic, fund, new_deal(company="Neu GmbH"))
    with pytest.raises(PermissionDenied):
        records.move_deal(session, people.vic, private, DealStatus.due_diligence)

    # Gelsenkirchen (same network) sees the shared plan and its shared deal, not the private deal or plan
    assert [p.key for p in records.list_plans(session, people.gil)] == ["seedfonds"]
    assert [d.key for d in records.list_deals(session, people.gil, fund)] == [shared.key]
    with pytest.raises(NotFound):
        records.get_deal(session, people.gil, fund, private.key)
    with pytest.raises(NotFound):
        records.get_plan(session, people.gil, "herten/intern")
    with pytest.raises(PermissionDenied):
        records.move_deal(session, people.gil, shared, DealStatus.due_diligence)
    assert records.portfolio(session, people.gil, fund).by_status[0].deals == 1

    # Hannover (no network with Herten) sees none of it
    assert records.list_plans(session, people.hal) == []
    for ref in ("seedfonds", "herten/seedfonds", str(fund.id), str(hidden.id)):
        with pytest.raises(NotFound):
            records.get_plan(session, people.hal, ref)
    assert records.get_plan(session, people.ada, "herten/seedfonds") is fund


def snapshot(session: Session) -> tuple[Any, ...]:
    session.expire_all()
    deals = session.execute(
        select(Deal.key, Deal.status, Deal.amount, Deal.updated_at, Deal.eligible).order_by(Deal.key)
    )
    events = session.scalar(select(func.count()).select_from(DealEvent))
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    return tuple(deals), events, audits


def test_import_is_atomic_and_idempotent(session: Session, people: People, tmp_path: Path) -> None:
    fund = plan(session, people)
    session.commit()
    broken = write(
        tmp_path, GERMAN.replace("Kfz-Teile KG;29.32;05513000;seed;300.000", "Kfz-Teile KG;29.32;05513000;seed;3,5")
    )
    with pytest.raises(InputError) as error:
        records.import_deals(session, people.ada, fund, broken)
    assert (error.value.line, error.value.field) == (6, "Betrag")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Deal)) == 0

    with pytest.raises(PermissionDenied):
        records.import_deals(session, people.vic, fund, write(tmp_path, GERMAN))

    file = write(tmp_path, GERMAN)
    summary = records.import_deals(session, people.ada, fund, file)
    session.commit()
    assert (len(summary.created), summary.updated, summary.unchanged) == (3, [], [])
    invested = records.get_deal(session, people.ada, fund, "muster-gmbh/seed/2026-03-01")
    assert invested.status is DealStatus.invested and invested.eligible is True and invested.visibility == "private"
    kfz = records.get_deal(session, people.ada, fund, "kfz-teile-kg/seed/2026-05-01")
    kfz_check = records.stored_check(kfz)
    assert kfz.eligible is False and kfz_check is not None
    assert [r.rule for r in kfz_check.failed] == ["cluster"]  # automotive is not in this mandate

    before = snapshot(session)
    again = records.import_deals(session, people.ada, fund, file)
    session.commit()
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 3)
    assert snapshot(session) == before

    # the exported CSV reads back as the same deals: importing it changes nothing either
    exported = write(tmp_path, records.export_deals(session, people.ada, fund, "csv"), "export.csv")
    assert len(records.import_deals(session, people.ada, fund, exported).unchanged) == 3
    session.commit()
    assert snapshot(session) == before

    # an updated file moves a deal forward along the allowed steps, each recorded; backwards is refused
    forward = write(tmp_path, GERMAN.replace("1.250.000;Due Diligence", "1.300.000;investiert"), "forward.csv")
    moved = records.import_deals(session, people.ada, fund, forward)
    assert moved.updated == ["photon-ag/series_a"]
    photon = records.get_deal(session, people.ada, fund, "photon-ag/series_a")
    assert photon.amount == 1_300_000
    assert [(e.from_status, e.to_status) for e in photon.events][1:] == [
        (DealStatus.due_diligence, DealStatus.committee),
        (DealStatus.committee, DealStatus.invested),
    ]
    session.commit()
    backwards = write(tmp_path, GERMAN, "backwards.csv")
    with pytest.raises(InputError) as error:
        records.import_deals(session, people.ada, fund, backwards)
    assert (error.value.line, error.value.field) == (3, "status")
    assert "cannot move to due_diligence" in error.value.message


def test_export_json_and_portfolio(session: Session, people: People, tmp_path: Path) -> None:
    fund = plan(session, people)
    records.import_deals(session, people.ada, fund, write(tmp_path, GERMAN))
    session.commit()
    exported = json.loads(records.export_deals(session, people.ada, fund, "json"))
    assert [d["key"] for d in exported] == [
        "kfz-teile-kg/seed/2026-05-01",
        "muster-gmbh/seed/2026-03-01",
        "photon-ag/series_a",
    ]
    assert exported[1]["mandate_check"]["clusters"][0]["id"] == "ict" and exported[1]["eligible"] is True
    summary = records.portfolio(session, people.ada, fund)
    assert (summary.deals_invested, summary.amount_invested, summary.companies_in_region, summary.jobs_in_region) == (
        1,
        400_000,
        1,
        12,
    )
    assert [(t.key, t.amount) for t in summary.by_cluster] == [("ict", 400_000)]
    assert [(t.key, t.deals) for t in summary.by_status if t.deals] == [
        ("screening", 1),
        ("due_diligence", 1),
        ("invested", 1),
    ]
