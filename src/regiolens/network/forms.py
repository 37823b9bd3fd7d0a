"""The web forms of the knowledge base: what a form sends, read into the inputs of :mod:`regiolens.network.inputs`,
and an input written back into the values a form shows (an edit form starts from
:func:`regiolens.network.records.as_input`).

A form is flat. It has single fields (``title``), multi-selects sent as repeated fields (``initiatives``), words
separated by commas or lines (``tags``, ``topics``) and the rows of a list, named ``<list>-<n>-<field>``
(``follow_ups-0-task``, ``facts-2-valid_to``). A row whose fields are all empty is left out, and so is a row whose
box ``remove`` is ticked; a form can therefore offer empty rows to fill in. Text left empty is "not given": ``None``
for a field that may be unknown (a region, a date, a follow-up's owner, a statement's value), the default for a
field that has one (a choice not sent), else empty text (a required field: refused, naming the field).

Several follow-ups of an exchange are entered as rows — three empty ones in a new exchange, one below the existing
ones in an edit — and the button "add a row" sends the form back to be shown with one more row (nothing is saved;
it works without JavaScript). Rows were chosen over a text area with one follow-up per line ("task; owner; due"):
each row has its own date field (the browser's date picker, no date format to learn or mistype), a task may contain
any punctuation, and a wrong field is named by its row. An initiative's dated statements are rows the same way:
end one by giving it a "valid to" date and add its successor in the empty row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from regiolens.network.inputs import ActorIn, ExchangeIn, FactIn, FollowUpIn, InitiativeIn, LessonIn

FormData = Mapping[str, list[str]]
"""What a browser sent: every field name with its values (several for a multi-select)."""

Values = dict[str, Any]
"""What a form shows: text by field name, lists of chosen numbers for multi-selects, lists of row values."""

MAX_ROWS = 200
"""At most this many rows of one list are read from a form."""

Stage = Literal["new", "edit"]


@dataclass(frozen=True)
class Rows:
    """The rows of one list of a form: its input model, text fields, check boxes, fields that hold two of the
    model's fields as ``a/b`` (``focus`` → taxonomy/cluster), and how many empty rows a new and an edit form offer.
    """

    model: type[BaseModel]
    texts: tuple[str, ...]
    checks: tuple[str, ...] = ()
    pairs: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    blank: Mapping[Stage, int] = field(default_factory=lambda: {"new": 1, "edit": 1})


@dataclass(frozen=True)
class FormSpec:
    """The fields of one kind of record's form (see the module docstring)."""

    model: type[BaseModel]
    texts: tuple[str, ...]
    choices: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    rows: Mapping[str, Rows] = field(default_factory=dict)


FACTS = Rows(
    FactIn,
    texts=("kind", "value", "actor", "valid_from", "valid_to", "source", "note"),
    checks=("remove",),
    pairs={"focus": ("taxonomy", "cluster")},
)
FOLLOW_UPS = Rows(FollowUpIn, texts=("task", "owner", "due"), checks=("done", "remove"), blank={"new": 3, "edit": 1})

SPECS: dict[str, FormSpec] = {
    "actor": FormSpec(
        ActorIn, texts=("key", "name", "kind", "region", "website", "notes", "visibility"), choices=("members",)
    ),
    "initiative": FormSpec(
        InitiativeIn,
        texts=("key", "name", "region", "summary", "website", "visibility"),
        words=("tags",),
        rows={"facts": FACTS},
    ),
    "exchange": FormSpec(
        ExchangeIn,
        texts=("key", "title", "kind", "date", "place", "findings", "notes", "visibility"),
        choices=("hosts", "visitors", "participants", "initiatives"),
        words=("topics", "tags"),
        rows={"follow_ups": FOLLOW_UPS},
    ),
    "lesson": FormSpec(
        LessonIn,
        texts=("key", "title", "outcome", "what_worked", "what_failed", "preconditions", "visibility"),
        choices=("initiatives", "exchanges"),
        words=("tags",),
    ),
}
"""The form of each kind of record."""

_WORD_SEPARATORS = re.compile(r"[,\n]")


def words(text: str) -> list[str]:
    """Entries separated by commas or lines, stripped, without empty ones."""
    return [w.strip() for w in _WORD_SEPARATORS.split(text) if w.strip()]


def _default(model: type[BaseModel], name: str) -> str:
    default = model.model_fields[name].default
    return "" if default is None or default is PydanticUndefined else str(default)


def _blank_row(rows: Rows) -> dict[str, Any]:
    return {**{f: "" for f in (*rows.texts, *rows.pairs)}, **{c: False for c in rows.checks}}


def with_blank_rows(spec: FormSpec, values: Values, stage: Stage | None = None, extra: str | None = None) -> Values:
    """``values`` with the empty rows a ``stage`` form first offers below each list (none for a form sent back),
    and one more in the list ``extra`` (the button "add a row")."""
    out = dict(values)
    for name, rows in spec.rows.items():
        more = (rows.blank[stage] if stage else 0) + (1 if name == extra else 0)
        out[name] = [*values.get(name, []), *(_blank_row(rows) for _ in range(more))]
    return out


def empty(spec: FormSpec) -> Values:
    """The values of an empty form: the model's defaults (kind ``visit``, visibility ``private`` …)."""
    values: Values = {k: _default(spec.model, k) for k in spec.texts}
    values |= {k: "" for k in spec.words} | {k: [] for k in spec.choices} | {k: [] for k in spec.rows}
    return values


def read(spec: FormSpec, form: FormData) -> Values:
    """The values a browser sent, as the form shows them again (after an error, or with one more row)."""

    def one(name: str) -> str:
        return (form.get(name) or [""])[0]

    values: Values = {k: one(k) for k in (*spec.texts, *spec.words)}
    values |= {k: [v for v in form.get(k, []) if v] for k in spec.choices}
    for name, rows in spec.rows.items():
        pattern = re.compile(rf"{re.escape(name)}-(\d{{1,4}})-\w+")
        numbers = sorted({int(m.group(1)) for key in form if (m := pattern.fullmatch(key))})[:MAX_ROWS]
        values[name] = [
            {
                **{f: one(f"{name}-{i}-{f}") for f in (*rows.texts, *rows.pairs)},
                **{c: bool(one(f"{name}-{i}-{c}")) for c in rows.checks},
            }
            for i in numbers
        ]
    return values


def _texts(model: type[BaseModel], texts: Mapping[str, str]) -> dict[str, str | None]:
    """The text fields as input values: empty text is ``None`` for a field that may be unknown (default ``None``),
    the model's default for a field that has one (a choice left unmade), else empty (a required field, refused)."""
    out: dict[str, str | None] = {}
    for name, text in texts.items():
        default = model.model_fields[name].default
        if text.strip() or default is PydanticUndefined:
            out[name] = text
        elif default is None:
            out[name] = None
    return out


def _row(rows: Rows, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """The input of one row, ``None`` for an empty or removed row."""
    if row.get("remove") or not any(str(row.get(f, "")).strip() for f in (*rows.texts, *rows.pairs)):
        return None
    data: dict[str, Any] = _texts(rows.model, {f: str(row.get(f, "")) for f in rows.texts})
    data |= {c: bool(row.get(c)) for c in rows.checks if c in rows.model.model_fields}
    for pair, (first, second) in rows.pairs.items():
        a, _, b = str(row.get(pair, "")).partition("/")
        data[first], data[second] = (a.strip() or None), (b.strip() or None)
    return data


def to_input(spec: FormSpec, values: Values, keep: Mapping[str, Any] | None = None) -> BaseModel:
    """The input of the form's values (raises :class:`pydantic.ValidationError`); ``keep`` gives the fields the
    form does not show (an exchange's people) their current values."""
    data: dict[str, Any] = dict(keep or {})
    data |= _texts(spec.model, {k: str(values.get(k, "")) for k in spec.texts})
    data |= {k: words(str(values.get(k, ""))) for k in spec.words}
    data |= {k: list(values.get(k, [])) for k in spec.choices}
    for name, rows in spec.rows.items():
        data[name] = [d for d in (_row(rows, r) for r in values.get(name, [])) if d is not None]
    return spec.model.model_validate(data)


def write(spec: FormSpec, data: BaseModel) -> Values:
    """The values an input shows in its form (an edit form starts from the record's input)."""
    dumped = data.model_dump(mode="json")

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    values: Values = {k: text(dumped[k]) for k in spec.texts}
    values |= {k: ", ".join(dumped[k]) for k in spec.words}
    values |= {k: [str(v) for v in dumped[k]] for k in spec.choices}
    for name, rows in spec.rows.items():
        values[name] = [
            {
                **{f: text(r.get(f)) for f in rows.texts},
                **{c: bool(r.get(c)) for c in rows.checks},
                **{p: f"{r[a]}/{r[b]}" if r.get(a) else "" for p, (a, b) in rows.pairs.items()},
            }
            for r in dumped[name]
        ]
    return values
