"""The web forms of the knowledge base: rows, empty rows, "add a row", unknown values, and back again."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from regiolens.network import forms
from regiolens.network.inputs import ExchangeIn, FactIn, InitiativeIn
from regiolens.network.models import FactKind

EXCHANGE = forms.SPECS["exchange"]
INITIATIVE = forms.SPECS["initiative"]


def test_an_exchange_with_several_follow_ups_and_empty_rows() -> None:
    sent = {
        "key": ["besuch"],
        "title": ["Besuch"],
        "kind": ["meeting"],
        "date": [""],
        "place": [""],
        "initiatives": ["3", "5"],
        "topics": ["Fonds, Co-Investoren\nGründungen"],
        "follow_ups-0-task": ["Satzung anfordern"],
        "follow_ups-0-owner": ["Eda"],
        "follow_ups-0-due": ["2026-12-15"],
        "follow_ups-1-task": [""],
        "follow_ups-1-owner": [""],
        "follow_ups-1-due": [""],
        "follow_ups-2-task": ["Termin; Ort; offen"],  # any punctuation in a task
        "follow_ups-2-owner": [""],
        "follow_ups-2-due": [""],
        "follow_ups-10-task": ["Weggenommen"],
        "follow_ups-10-remove": ["1"],
    }
    values = forms.read(EXCHANGE, sent)
    assert len(values["follow_ups"]) == 4 and values["initiatives"] == ["3", "5"]
    data = forms.to_input(EXCHANGE, values)
    assert isinstance(data, ExchangeIn)
    assert [(f.task, f.owner, f.due) for f in data.follow_ups] == [
        ("Satzung anfordern", "Eda", date(2026, 12, 15)),
        ("Termin; Ort; offen", None, None),  # an empty owner: not yet decided
    ]
    assert data.date is None and data.place is None and data.kind == "meeting"
    assert data.topics == ["Fonds", "Co-Investoren", "Gründungen"] and data.visibility == "private"


def test_add_a_row_and_the_rows_a_form_offers() -> None:
    new = forms.with_blank_rows(EXCHANGE, forms.empty(EXCHANGE), "new")
    assert len(new["follow_ups"]) == 3 and new["kind"] == "visit" and new["visibility"] == "private"
    sent_back = forms.with_blank_rows(EXCHANGE, new, extra="follow_ups")
    assert len(sent_back["follow_ups"]) == 4  # the rows sent, and one more; nothing else changes
    assert forms.with_blank_rows(EXCHANGE, new)["follow_ups"] == new["follow_ups"]


def test_a_wrong_date_is_named_by_its_field() -> None:
    values = forms.read(EXCHANGE, {"key": ["v"], "title": ["V"], "follow_ups-0-task": ["A"], "follow_ups-0-due": ["x"]})
    with pytest.raises(ValidationError, match=r"follow_ups\.0\.due"):
        forms.to_input(EXCHANGE, values)


def test_an_initiative_and_its_dated_statements_go_through_the_form_and_back() -> None:
    data = InitiativeIn(
        key="hannoverimpuls",
        name="hannoverimpuls",
        region="region-hannover",
        facts=[
            FactIn(kind="focus_cluster", taxonomy="hannoverimpuls", cluster="ict", valid_from=date(2005, 1, 1)),
            FactIn(kind="budget"),  # unknown
            FactIn(kind="operator", actor="7", value="Betreiberin"),
        ],
        tags=["cluster", "venture-capital"],
    )
    values = forms.write(INITIATIVE, data)
    assert values["facts"][0]["focus"] == "hannoverimpuls/ict" and values["facts"][1]["value"] == ""
    assert values["tags"] == "cluster, venture-capital" and values["region"] == "region-hannover"
    assert forms.to_input(INITIATIVE, values) == data
    ended = [{**values["facts"][0], "valid_to": "2019-12-31"}, *values["facts"][1:]]
    added = forms.with_blank_rows(INITIATIVE, {**values, "facts": ended}, "edit")
    added["facts"][-1] |= {"kind": "focus_cluster", "focus": "hannoverimpuls/production", "valid_from": "2020-01-01"}
    changed = forms.to_input(INITIATIVE, added)
    assert isinstance(changed, InitiativeIn)
    assert [(f.kind, f.cluster, f.valid_from, f.valid_to) for f in changed.facts if f.cluster] == [
        (FactKind.focus_cluster, "ict", date(2005, 1, 1), date(2019, 12, 31)),
        (FactKind.focus_cluster, "production", date(2020, 1, 1), None),
    ]
    removed = {**values, "facts": [{**values["facts"][1], "remove": True}, values["facts"][2]]}
    assert [f.kind for f in forms.to_input(INITIATIVE, removed).facts] == [FactKind.operator]  # type: ignore[attr-defined]


def test_fields_the_form_does_not_show_are_kept() -> None:
    values = forms.read(EXCHANGE, {"key": ["v"], "title": ["Besuch"]})
    kept = {"people": [{"name": "Eda", "function": None, "actor": "4", "role": "host"}]}
    data = forms.to_input(EXCHANGE, values, keep=kept)
    assert isinstance(data, ExchangeIn) and data.people[0].name == "Eda" and data.people[0].actor == "4"
