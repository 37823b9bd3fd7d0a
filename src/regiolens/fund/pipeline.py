"""The deal pipeline: what a deal is, how it moves, its CSV import and export, and the portfolio summary.

A deal is one financing round of one company that the fund considers (:class:`DealIn`): the company, its industry
code and classification (``wz2008``, ``wz2025``, ``naics2017`` …), its region (a Gemeinde or Kreis AGS, ``nuts:…``,
``us:…``), the stage, the amount the fund would put in (whole euros), its status, dates, the jobs the company has
in the region and notes. The status moves through the pipeline as :data:`TRANSITIONS` allows::

    screening → due_diligence → committee → invested
        ↓             ↓  ↑          ↓  ↑
     declined ←───────┴──┴──────────┘  (declined → screening reopens a deal; invested is final)

**Natural key.** A deal is identified within its plan by :func:`deal_key`: the company (compared case-folded, runs
of anything but letters and digits read as one hyphen), the stage and the round date when given —
``muster-gmbh/seed/2026-03-01``. A CSV row may name its ``key`` explicitly instead (the export always writes it), so
that an exported file whose round dates were edited still updates the same deals. Re-importing the same file
therefore changes nothing; a row whose key exists updates that deal (its status only along :data:`TRANSITIONS`).

**CSV.** The first line names the columns (:data:`COLUMNS`, or the German names in :data:`ALIASES`); ``;`` or tab
as separator means German numbers (``400.000``), ``,`` English ones (``"400,000"``, quoted, or ``400000``). Dates
are ISO (``2026-03-01``) or German (``01.03.2026``). :func:`read_deals_csv` checks every row before anything is
written and names file, line and field of the first error.

>>> deal = DealIn(company="Muster GmbH", code="6201", region="05562004", stage="Seed", amount=400_000)
>>> deal.code, deal.stage.value, deal.natural_key
('62.01', 'seed', 'muster-gmbh/seed')
"""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from regiolens.classifications import UnknownClassificationError, get_classification
from regiolens.errors import InputError, RegiolensError, UnknownIndustryError
from regiolens.fund.terms import Stage

Lang = Literal["de", "en"]

COMPANY_LENGTH = 200
"""Longest company name."""
KEY_LENGTH = 255
"""Longest deal key."""
CODE_LENGTH = 16
"""Longest industry code (``336111``, ``29.10.1``)."""
CLASSIFICATION_LENGTH = 16
"""Longest classification name (``naics2017``)."""
REGION_LENGTH = 64
"""Longest region reference (``05562004``, ``nuts:DEA36``, ``us:26163``)."""

DEFAULT_CLASSIFICATION = "wz2008"
"""The classification of a deal's code when none is named (German firms are registered by WZ 2008 until the
register switches to WZ 2025; name ``wz2025`` or ``naics2017`` explicitly for those codes)."""


class DealStatus(StrEnum):
    """Where a deal stands in the pipeline."""

    screening = "screening"
    due_diligence = "due_diligence"
    committee = "committee"
    invested = "invested"
    declined = "declined"


LABELS: dict[StrEnum, tuple[str, str]] = {
    Stage.pre_seed: ("Pre-Seed", "Pre-seed"),
    Stage.seed: ("Seed", "Seed"),
    Stage.series_a: ("Serie A", "Series A"),
    Stage.series_b: ("Serie B", "Series B"),
    Stage.series_c: ("Serie C", "Series C"),
    Stage.growth: ("Wachstum", "Growth"),
    DealStatus.screening: ("Sichtung", "Screening"),
    DealStatus.due_diligence: ("Prüfung (Due Diligence)", "Due diligence"),
    DealStatus.committee: ("Investitionskomitee", "Investment committee"),
    DealStatus.invested: ("Investiert", "Invested"),
    DealStatus.declined: ("Abgelehnt", "Declined"),
}
"""German and English names of every stage and status."""

TRANSITIONS: dict[DealStatus, frozenset[DealStatus]] = {
    DealStatus.screening: frozenset({DealStatus.due_diligence, DealStatus.declined}),
    DealStatus.due_diligence: frozenset({DealStatus.committee, DealStatus.declined, DealStatus.screening}),
    DealStatus.committee: frozenset({DealStatus.invested, DealStatus.declined, DealStatus.due_diligence}),
    DealStatus.invested: frozenset(),
    DealStatus.declined: frozenset({DealStatus.screening}),
}
"""The statuses a deal may move to from each status in one step (one step back is allowed before the decision)."""


def label(value: Stage | DealStatus, lang: Lang = "de") -> str:
    """The German or English name of a stage or status."""
    de, en = LABELS[value]
    return de if lang == "de" else en


class TransitionError(RegiolensError):
    """A status change the pipeline does not allow: from ``old`` to ``new`` (English text; :meth:`localised`)."""

    def __init__(self, old: DealStatus, new: DealStatus) -> None:
        self.old, self.new = old, new
        super().__init__(self.localised("en"))

    def localised(self, lang: str) -> str:
        """The message in German (statuses by name) or English (statuses as the command line writes them)."""
        targets = sorted(TRANSITIONS[self.old])
        if lang == "de":
            old, new = label(self.old, "de"), label(self.new, "de")
            allowed = ", ".join(label(s, "de") for s in targets) or "keinen (Endstatus)"
            return f"Ein Deal kann nicht von „{old}“ zu „{new}“ wechseln; von „{old}“ aus nur zu: {allowed}"
        allowed = ", ".join(targets) or "none (final)"
        return f"a deal cannot move from {self.old} to {self.new}; from {self.old} it may move to: {allowed}"


def check_transition(old: DealStatus, new: DealStatus) -> None:
    """Raise :class:`TransitionError` unless a deal may move from ``old`` to ``new`` in one step."""
    if new not in TRANSITIONS[old]:
        raise TransitionError(old, new)


def path_between(old: DealStatus, new: DealStatus) -> list[DealStatus] | None:
    """The shortest chain of allowed steps from ``old`` to ``new`` (without ``old``; ``[]`` when equal), or
    ``None`` when ``new`` cannot be reached (an import may move a deal along such a chain, never against it)."""
    previous: dict[DealStatus, DealStatus] = {}
    queue = deque([old])
    while queue:
        current = queue.popleft()
        if current == new:
            chain = []
            while current != old:
                chain.append(current)
                current = previous[current]
            return chain[::-1]
        for step in sorted(TRANSITIONS[current]):
            if step not in previous and step != old:
                previous[step] = current
                queue.append(step)
    return None


def _choice(enum: type[StrEnum]) -> Any:
    """A before-validator accepting an enum's value in any case, with spaces or hyphens, or its German/English
    name (``Series A``, ``series-a``, ``Serie A`` → ``series_a``)."""
    names = {v.casefold(): member for member in enum for v in (member.value, *LABELS[member])}

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().casefold()
            return names.get(text) or names.get(re.sub(r"[\s-]+", "_", text)) or value
        return value

    return parse


StageField = Annotated[Stage, BeforeValidator(_choice(Stage))]
"""A stage, also as written by people (``Series A``)."""
StatusField = Annotated[DealStatus, BeforeValidator(_choice(DealStatus))]
"""A status, also as written by people (``Due Diligence``, ``Abgelehnt``)."""


def company_key(company: str) -> str:
    """The company as compared: case-folded, every run of other characters than letters and digits one hyphen
    (``Muster GmbH`` and ``muster-gmbh`` are the same company)."""
    return re.sub(r"[\W_]+", "-", company.casefold()).strip("-")


def deal_key(company: str, stage: Stage, round_date: date | None) -> str:
    """The natural key of a deal: ``company/stage[/round date]`` (``muster-gmbh/seed/2026-03-01``)."""
    parts = [company_key(company), stage.value]
    if round_date is not None:
        parts.append(round_date.isoformat())
    return "/".join(parts)


_KEY = re.compile(r"[\w.-]+(?:/[\w.-]+)*")


class DealIn(BaseModel):
    """One deal as a person or a CSV row enters it (see the module docstring).

    ``code`` is kept in the classification's canonical spelling when the classification knows it (``6201`` →
    ``62.01``) and as written otherwise: an unknown code is not an input error but fails the mandate check, which
    says so. ``amount`` is the fund's ticket in whole euros; ``jobs`` the jobs the company has in the region.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: str | None = Field(default=None, max_length=KEY_LENGTH)
    company: str = Field(min_length=1, max_length=COMPANY_LENGTH)
    code: str = Field(min_length=1, max_length=CODE_LENGTH)
    classification: str = Field(default=DEFAULT_CLASSIFICATION, max_length=CLASSIFICATION_LENGTH)
    region: str = Field(min_length=1, max_length=REGION_LENGTH)
    stage: StageField
    amount: int = Field(gt=0)
    status: StatusField = DealStatus.screening
    round_date: date | None = None
    founded: date | None = None
    jobs: int | None = Field(default=None, ge=0)
    notes: str = ""

    @field_validator("key")
    @classmethod
    def _key_form(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _KEY.fullmatch(value):
            raise ValueError(
                "ein Schlüssel hat Buchstaben, Ziffern, '.', '-' und '_', Teile getrennt durch '/' / "
                "a key has letters, digits, '.', '-' and '_', parts separated by '/'"
            )
        return value

    @field_validator("classification")
    @classmethod
    def _known_classification(cls, value: str) -> str:
        try:
            clf = get_classification(value)
        except UnknownClassificationError as exc:  # a KeyError, which Pydantic would not report
            raise ValueError(str(exc)) from None
        if clf.name.endswith("-sg"):
            raise ValueError(
                f"{clf.title} fasst ganze Abschnitte zusammen; ein Deal braucht einen Branchencode / "
                f"{clf.title} groups whole sections; a deal needs an industry code"
            )
        return clf.name

    @model_validator(mode="after")
    def _canonical_code(self) -> DealIn:
        with suppress(UnknownIndustryError):  # an unknown code is kept as written; the mandate check reports it
            self.code = get_classification(self.classification).normalise(self.code)
        return self

    @property
    def natural_key(self) -> str:
        """``key`` when given, else :func:`deal_key` of company, stage and round date."""
        return self.key or deal_key(self.company, self.stage, self.round_date)


# ----------------------------------------------------------------------------------------------- CSV

COLUMNS: tuple[str, ...] = (
    "key",
    "company",
    "code",
    "classification",
    "region",
    "stage",
    "amount",
    "status",
    "round_date",
    "founded",
    "jobs",
    "notes",
)
"""The columns of a deal CSV, in the order the export writes them."""

REQUIRED: tuple[str, ...] = ("company", "code", "region", "stage", "amount")
"""Columns every deal CSV must have."""

ALIASES: dict[str, str] = {
    "schlüssel": "key",
    "unternehmen": "company",
    "firma": "company",
    "wz": "code",
    "branche": "code",
    "branchencode": "code",
    "klassifikation": "classification",
    "regionalschlüssel": "region",
    "ags": "region",
    "phase": "stage",
    "finanzierungsphase": "stage",
    "betrag": "amount",
    "ticket": "amount",
    "rundendatum": "round_date",
    "datum": "round_date",
    "gründung": "founded",
    "gründungsdatum": "founded",
    "arbeitsplätze": "jobs",
    "beschäftigte": "jobs",
    "notizen": "notes",
    "bemerkungen": "notes",
}
"""German column names (compared case-folded) and what they mean."""

_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_CURRENCY = re.compile(r"\s*(€|EUR|Euro)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CsvDeal:
    """A deal read from a CSV file, with the line its row starts on."""

    line: int
    deal: DealIn


def _date(text: str) -> date:
    german = _GERMAN_DATE.fullmatch(text)
    if german:
        day, month, year = map(int, german.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def _whole(text: str, decimal: str, what: str) -> int:
    from regiolens.ingest.numbers import parse_number  # here: the ingest package loads every reader

    value = parse_number(_CURRENCY.sub("", text), decimal)
    if not value.is_integer():
        raise ValueError(f"{text!r}: {what} are whole numbers")
    return int(value)


def _cell(column: str, text: str, decimal: str) -> Any:
    """One cell as the model takes it; :class:`ValueError` with the reason when it cannot be read."""
    if column == "amount":
        return _whole(text, decimal, "amounts (in euros)")
    if column == "jobs":
        return _whole(text, decimal, "jobs")
    if column in ("round_date", "founded"):
        try:
            return _date(text)
        except ValueError:
            raise ValueError(f"{text!r} is no date: write 2026-03-01 or 01.03.2026") from None
    return text


def _header(path: Path, cells: Sequence[str]) -> list[str]:
    columns = []
    for raw in cells:
        name = raw.strip().casefold().replace(" ", "_")
        name = ALIASES.get(name, ALIASES.get(raw.strip().casefold(), name))
        if name not in COLUMNS:
            known = ", ".join(COLUMNS)
            raise InputError(path, 1, raw.strip(), f"unknown column; a deal file has the columns {known}")
        if name in columns:
            raise InputError(path, 1, raw.strip(), "column given twice")
        columns.append(name)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(path, 1, None, f"missing column(s) {', '.join(missing)}")
    return columns


def read_deals_csv(path: str | Path) -> list[CsvDeal]:
    """Every deal of a CSV file, each checked; :class:`InputError` names file, line and field of the first error.

    Blank rows are skipped; two rows with the same natural key are an error (the second names the first's line).
    Nothing is written anywhere: the caller imports the list as a whole.
    """
    from regiolens.ingest.files import read_text  # here: the ingest package loads every reader

    file = Path(path)
    try:
        text = read_text(file, "utf-8-sig")
    except OSError as exc:
        raise RegiolensError(f"cannot read {file}: {exc.strerror}") from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count)
    decimal = "." if delimiter == "," else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        head = next(reader)
    except StopIteration:
        raise InputError(file, None, None, "the file is empty") from None
    columns = _header(file, head)
    shown = dict(zip(columns, (c.strip() for c in head), strict=True))
    deals: list[CsvDeal] = []
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(file, line, None, f"not valid CSV: {exc}") from None
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            raise InputError(file, line, None, f"{len(row)} cells, but the header names {len(columns)} columns")
        values: dict[str, Any] = {}
        for column, cell in zip(columns, row, strict=False):
            if not cell.strip():
                continue
            try:
                values[column] = _cell(column, cell.strip(), decimal)
            except ValueError as exc:
                raise InputError(file, line, shown[column], str(exc)) from None
        try:
            deal = DealIn.model_validate(values)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = shown.get(str(error["loc"][0]), str(error["loc"][0])) if error["loc"] else None
            raise InputError(file, line, where, error["msg"].removeprefix("Value error, ")) from None
        key = deal.natural_key
        if key in seen:
            raise InputError(file, line, shown.get("key", "company"), f"the same deal {key!r} as line {seen[key]}")
        seen[key] = line
        deals.append(CsvDeal(line, deal))
    return deals


def deal_row(deal: DealIn) -> dict[str, Any]:
    """The deal as one export row: :data:`COLUMNS` in order, ``key`` always filled, dates ISO, empty as ``None``."""
    row = deal.model_dump(mode="json")
    row["key"] = deal.natural_key
    return {c: row[c] for c in COLUMNS}


def deals_csv(deals: Iterable[DealIn]) -> str:
    """The deals as CSV (``,``-separated, UTF-8, the :data:`COLUMNS`): what :func:`read_deals_csv` reads back."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for deal in deals:
        writer.writerow({k: "" if v is None else v for k, v in deal_row(deal).items()})
    return out.getvalue()


# ----------------------------------------------------------------------------------------------- portfolio


@dataclass(frozen=True)
class ClusterRef:
    """A cluster as results name it: taxonomy cluster id and its German and English names."""

    id: str
    label_de: str
    label_en: str

    def label(self, lang: Lang = "de") -> str:
        """The name in ``lang``."""
        return self.label_de if lang == "de" else self.label_en


@dataclass(frozen=True)
class PortfolioEntry:
    """What the portfolio summary needs of one deal: the deal and the outcome of its mandate check (``cluster``:
    the first mandate cluster its code lies in; ``in_region``: whether it lies in the mandate's region; both
    ``None`` when the deal was not checked)."""

    company: str
    stage: Stage
    status: DealStatus
    amount: int
    cluster: ClusterRef | None = None
    in_region: bool | None = None
    jobs: int | None = None
    round_date: date | None = None


@dataclass(frozen=True)
class Total:
    """Deals, euros and distinct companies of one group (a cluster, stage or status)."""

    key: str
    label_de: str
    label_en: str
    deals: int
    amount: int
    companies: int


NO_CLUSTER = ClusterRef("", "ohne Mandatscluster", "outside the mandate's clusters")
"""The group of invested deals whose code lies in no mandate cluster (or that were not checked)."""


@dataclass(frozen=True)
class PortfolioSummary:
    """The invested portfolio and the pipeline of one plan.

    Attributes:
        deals_invested, amount_invested: invested deals and the euros put into them.
        companies_financed: distinct companies (:func:`company_key`) with at least one invested deal.
        by_cluster, by_stage: the invested deals grouped (clusters in order of first appearance, stages in order).
        by_status: every deal of the pipeline by status — the totals of the pipeline board.
        companies_in_region: financed companies with an invested deal inside the mandate's region.
        jobs_in_region: the sum over financed companies in the region of the jobs reported with their latest
            invested deal (by round date) that reports jobs; ``None`` when no such deal reports jobs.
        companies_with_jobs: how many of the companies in the region the jobs figure covers.
    """

    deals_invested: int
    amount_invested: int
    companies_financed: int
    companies_in_region: int
    jobs_in_region: int | None
    companies_with_jobs: int
    by_cluster: tuple[Total, ...]
    by_stage: tuple[Total, ...]
    by_status: tuple[Total, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the groups as lists of dicts)."""
        return asdict(self)


def _totals(groups: Mapping[str, tuple[str, str, list[PortfolioEntry]]]) -> tuple[Total, ...]:
    return tuple(
        Total(key, de, en, len(entries), sum(e.amount for e in entries), len({company_key(e.company) for e in entries}))
        for key, (de, en, entries) in groups.items()
    )


def summarise_portfolio(entries: Sequence[PortfolioEntry]) -> PortfolioSummary:
    """Count the invested deals, euros and companies per cluster and stage, the pipeline per status, and the
    regional impact (see :class:`PortfolioSummary` for each figure's definition)."""
    invested = [e for e in entries if e.status is DealStatus.invested]
    by_cluster: dict[str, tuple[str, str, list[PortfolioEntry]]] = {}
    for e in invested:
        ref = e.cluster or NO_CLUSTER
        by_cluster.setdefault(ref.id, (ref.label_de, ref.label_en, []))[2].append(e)
    by_stage = {s.value: (*LABELS[s], [e for e in invested if e.stage is s]) for s in Stage}
    by_status = {s.value: (*LABELS[s], [e for e in entries if e.status is s]) for s in DealStatus}
    in_region = [e for e in invested if e.in_region]
    latest_jobs: dict[str, int] = {}
    for e in sorted(in_region, key=lambda e: (e.round_date is not None, e.round_date or date.min)):
        if e.jobs is not None:
            latest_jobs[company_key(e.company)] = e.jobs
    return PortfolioSummary(
        deals_invested=len(invested),
        amount_invested=sum(e.amount for e in invested),
        companies_financed=len({company_key(e.company) for e in invested}),
        companies_in_region=len({company_key(e.company) for e in in_region}),
        jobs_in_region=sum(latest_jobs.values()) if latest_jobs else None,
        companies_with_jobs=len(latest_jobs),
        by_cluster=_totals(by_cluster),
        by_stage=tuple(t for t in _totals(by_stage) if t.deals),
        by_status=_totals(by_status),
    )
