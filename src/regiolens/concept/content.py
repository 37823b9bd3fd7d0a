"""What a concept says: its content as one typed document, what changed between two versions, and which focus
clusters rest on outdated evidence.

A concept version stores :class:`ConceptContent` as JSON (``model_dump(mode="json")``); the same model reads it back,
so the web form, the JSON API and the paper see one structure:

- ``title``, ``target_region`` (a region code or group, as ``regiolens profile`` takes it), ``authors`` (in words);
- ``summary`` and ``operator_model``: free text;
- ``focus_clusters``: the clusters chosen, each with the authors' ``justification`` and the evidence it was based
  on — the scorecard's ``fingerprint`` (an opaque string, :mod:`regiolens.concept.scorecard`) and the data
  ``vintage`` (e.g. ``2023``);
- ``instruments``: initiatives of the knowledge base adopted as instruments (``initiative_id`` and
  ``organisation/key``, resolved when the version is saved) with a note;
- ``fund_plan``: the fund plan of the fund planner and the plan version the concept refers to;
- ``budget`` rows (item, amount in euros, year) and ``milestones`` (date, title).

:func:`diff_content` says what changed, in German and English; text sections are compared line by line with
:mod:`difflib`. :func:`outdated_clusters` compares the stored fingerprints with the current ones.

>>> old = ConceptContent(title="Konzept", target_region="emscher-lippe")
>>> new = old.model_copy(update={"focus_clusters": [FocusCluster(cluster="hannoverimpuls/ict", fingerprint="a1")]})
>>> [c.de for c in diff_content(old, new)]
['Fokuscluster „hannoverimpuls/ict“ hinzugefügt']
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from regiolens.concept.models import KEY_LENGTH, REGION_LENGTH, ConceptVersion
from regiolens.i18n import format_number
from regiolens.web.db import NAME_LENGTH

Text = Annotated[str, Field(max_length=100_000)]
Line = Annotated[str, Field(max_length=NAME_LENGTH)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FocusCluster(_Part):
    """A chosen focus cluster (``taxonomy/cluster``, e.g. ``hannoverimpuls/ict``), why, and the evidence behind it."""

    cluster: str = Field(min_length=1, max_length=2 * KEY_LENGTH + 1)
    justification: Text = ""
    fingerprint: str = Field(default="", max_length=128)
    vintage: str = Field(default="", max_length=64)


class Instrument(_Part):
    """An initiative of the knowledge base adopted as an instrument; ``initiative`` is ``organisation/key``."""

    initiative: str = Field(min_length=1, max_length=2 * KEY_LENGTH + 1)
    initiative_id: int | None = None
    note: Text = ""


class FundPlanLink(_Part):
    """The fund plan the concept refers to (``organisation/key``) and the plan version its figures come from."""

    plan: str = Field(min_length=1, max_length=2 * KEY_LENGTH + 1)
    plan_id: int | None = None
    version: int | None = Field(default=None, ge=1)


class BudgetRow(_Part):
    """One budget line: what, how much (euros) and in which year."""

    item: Line = Field(min_length=1)
    amount: float
    year: int = Field(ge=1900, le=2200)


class Milestone(_Part):
    """A milestone: when and what."""

    date: date
    title: Line = Field(min_length=1)


class ConceptContent(_Part):
    """The full content of one concept version (see the module docstring)."""

    title: str = Field(min_length=1, max_length=NAME_LENGTH)
    target_region: str = Field(min_length=1, max_length=REGION_LENGTH)
    authors: Text = ""
    summary: Text = ""
    focus_clusters: list[FocusCluster] = []
    instruments: list[Instrument] = []
    fund_plan: FundPlanLink | None = None
    operator_model: Text = ""
    budget: list[BudgetRow] = []
    milestones: list[Milestone] = []

    @model_validator(mode="after")
    def _distinct(self) -> ConceptContent:
        for name, keys in (
            ("focus cluster", [c.cluster for c in self.focus_clusters]),
            ("instrument", [i.initiative for i in self.instruments]),
            ("budget row (item, year)", [f"{b.item} {b.year}" for b in self.budget]),
        ):
            twice = sorted({k for k in keys if keys.count(k) > 1})
            if twice:
                raise ValueError(f"each {name} appears once, not twice: {', '.join(twice)}")
        return self

    def as_json(self) -> dict[str, object]:
        """The content as stored in the database and sent by the API."""
        return self.model_dump(mode="json")


def content_of(version: ConceptVersion) -> ConceptContent:
    """A saved version's content as the typed document."""
    return ConceptContent.model_validate(version.content)


# ----------------------------------------------------------------------------------------------- differences

SECTIONS: dict[str, tuple[str, str]] = {
    "title": ("Titel", "Title"),
    "target_region": ("Zielregion", "Target region"),
    "authors": ("Autorinnen und Autoren", "Authors"),
    "summary": ("Zusammenfassung", "Summary"),
    "focus_clusters": ("Fokuscluster", "Focus clusters"),
    "instruments": ("Instrumente", "Instruments"),
    "fund_plan": ("Fondsplan", "Fund plan"),
    "operator_model": ("Betreibermodell", "Operator model"),
    "budget": ("Budget", "Budget"),
    "milestones": ("Meilensteine", "Milestones"),
}
"""The sections of a concept with their German and English names, in the paper's order."""


@dataclass(frozen=True)
class Change:
    """One change between two versions: the section, what happened (``added``, ``removed``, ``changed``), the
    sentence in German and English, and for text the changed lines (``difflib`` unified diff without headers)."""

    section: str
    kind: str
    de: str
    en: str
    lines: list[str] = field(default_factory=list)


def _de(text: str) -> str:
    return f"„{text}“"


def _en(text: str) -> str:
    return f"‘{text}’"


def _text_lines(old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
    return [line for line in diff if not line.startswith(("---", "+++"))]


def _text_change(section: str, old: str, new: str, what_de: str, what_en: str) -> Change | None:
    """Added, removed or changed text (with the line diff and how many lines came and went)."""
    if old == new:
        return None
    if not old:
        return Change(section, "added", f"{what_de} hinzugefügt", f"{what_en} added", _text_lines(old, new))
    if not new:
        return Change(section, "removed", f"{what_de} entfernt", f"{what_en} removed", _text_lines(old, new))
    lines = _text_lines(old, new)
    plus = sum(1 for line in lines if line.startswith("+"))
    minus = sum(1 for line in lines if line.startswith("-"))
    return Change(
        section,
        "changed",
        f"{what_de} geändert ({plus} Zeilen neu, {minus} entfernt)",
        f"{what_en} changed ({plus} lines new, {minus} removed)",
        lines,
    )


def _value_change(section: str, old: str, new: str) -> Change | None:
    if old == new:
        return None
    de, en = SECTIONS[section]
    return Change(section, "changed", f"{de}: {_de(old)} → {_de(new)}", f"{en}: {_en(old)} → {_en(new)}")


def _section_text(section: str, old: str, new: str) -> Change | None:
    de, en = SECTIONS[section]
    return _text_change(section, old, new, f"Abschnitt {_de(de)}", f"Section {_en(en)}")


def _in_and_out(
    section: str, before: Mapping[str, object], after: Mapping[str, object], noun: tuple[str, str]
) -> list[Change]:
    """The entries of a list section (keyed) that were removed and added."""
    de, en = noun
    removed = [
        Change(section, "removed", f"{de} {_de(k)} entfernt", f"{en} {_en(k)} removed")
        for k in before
        if k not in after
    ]
    added = [
        Change(section, "added", f"{de} {_de(k)} hinzugefügt", f"{en} {_en(k)} added") for k in after if k not in before
    ]
    return removed + added


def _clusters(old: list[FocusCluster], new: list[FocusCluster]) -> list[Change]:
    before, after = {c.cluster: c for c in old}, {c.cluster: c for c in new}
    changes = _in_and_out("focus_clusters", before, after, ("Fokuscluster", "Focus cluster"))
    for key, cluster in after.items():
        was = before.get(key)
        if was is None:
            continue
        text = _text_change(
            "focus_clusters",
            was.justification,
            cluster.justification,
            f"Begründung für {_de(key)}",
            f"Justification of {_en(key)}",
        )
        if text is not None:
            changes.append(text)
        if (was.fingerprint, was.vintage) != (cluster.fingerprint, cluster.vintage):
            de = f"Evidenz für {_de(key)} aktualisiert (Datenstand {was.vintage or '–'} → {cluster.vintage or '–'})"
            en = f"Evidence of {_en(key)} updated (data vintage {was.vintage or '–'} → {cluster.vintage or '–'})"
            changes.append(Change("focus_clusters", "changed", de, en))
    if [k for k in before if k in after] != [k for k in after if k in before]:
        de, en = "Reihenfolge der Fokuscluster geändert", "Order of focus clusters changed"
        changes.append(Change("focus_clusters", "changed", de, en))
    return changes


def _instruments(old: list[Instrument], new: list[Instrument]) -> list[Change]:
    before, after = {i.initiative: i for i in old}, {i.initiative: i for i in new}
    changes = _in_and_out("instruments", before, after, ("Instrument", "Instrument"))
    for key, instrument in after.items():
        was = before.get(key)
        note = (
            None
            if was is None
            else _text_change("instruments", was.note, instrument.note, f"Notiz zu {_de(key)}", f"Note on {_en(key)}")
        )
        if note is not None:
            changes.append(note)
    return changes


def _plan_name(link: FundPlanLink) -> str:
    return link.plan if link.version is None else f"{link.plan} v{link.version}"


def _fund_plan(old: FundPlanLink | None, new: FundPlanLink | None) -> list[Change]:
    if old == new:
        return []
    if old is None:
        assert new is not None
        name = _plan_name(new)
        return [Change("fund_plan", "added", f"Fondsplan {_de(name)} verknüpft", f"Fund plan {_en(name)} linked")]
    if new is None:
        name = _plan_name(old)
        return [Change("fund_plan", "removed", f"Fondsplan {_de(name)} entfernt", f"Fund plan {_en(name)} removed")]
    change = _value_change("fund_plan", _plan_name(old), _plan_name(new))
    return [] if change is None else [change]


def _euros(amount: float, lang: str) -> str:
    return f"{format_number(amount, locale='de_DE' if lang == 'de' else 'en_GB')} €"


def _budget(old: list[BudgetRow], new: list[BudgetRow]) -> list[Change]:
    before, after = {(b.item, b.year): b for b in old}, {(b.item, b.year): b for b in new}
    changes: list[Change] = []
    for (item, year), row in before.items():
        if (item, year) not in after:
            de = f"Budgetposten {_de(item)} {year} entfernt ({_euros(row.amount, 'de')})"
            en = f"Budget item {_en(item)} {year} removed ({_euros(row.amount, 'en')})"
            changes.append(Change("budget", "removed", de, en))
    for (item, year), row in after.items():
        was = before.get((item, year))
        if was is None:
            de = f"Budgetposten {_de(item)} {year} hinzugefügt ({_euros(row.amount, 'de')})"
            en = f"Budget item {_en(item)} {year} added ({_euros(row.amount, 'en')})"
            changes.append(Change("budget", "added", de, en))
        elif was.amount != row.amount:
            de = f"Budgetposten {_de(item)} {year}: {_euros(was.amount, 'de')} → {_euros(row.amount, 'de')}"
            en = f"Budget item {_en(item)} {year}: {_euros(was.amount, 'en')} → {_euros(row.amount, 'en')}"
            changes.append(Change("budget", "changed", de, en))
    total_old, total_new = sum(b.amount for b in old), sum(b.amount for b in new)
    if total_old != total_new:
        de = f"Budget insgesamt: {_euros(total_old, 'de')} → {_euros(total_new, 'de')}"
        en = f"Budget in total: {_euros(total_old, 'en')} → {_euros(total_new, 'en')}"
        changes.append(Change("budget", "changed", de, en))
    return changes


def _milestones(old: list[Milestone], new: list[Milestone]) -> list[Change]:
    before, after = {m.title: m.date for m in old}, {m.title: m.date for m in new}
    changes: list[Change] = []
    for title, day in before.items():
        if title not in after:
            de, en = f"Meilenstein {_de(title)} ({day:%d.%m.%Y}) entfernt", f"Milestone {_en(title)} ({day}) removed"
            changes.append(Change("milestones", "removed", de, en))
    for title, day in after.items():
        was = before.get(title)
        if was is None:
            de, en = f"Meilenstein {_de(title)} ({day:%d.%m.%Y}) hinzugefügt", f"Milestone {_en(title)} ({day}) added"
            changes.append(Change("milestones", "added", de, en))
        elif was != day:
            de = f"Meilenstein {_de(title)} verschoben: {was:%d.%m.%Y} → {day:%d.%m.%Y}"
            en = f"Milestone {_en(title)} moved: {was} → {day}"
            changes.append(Change("milestones", "changed", de, en))
    return changes


def diff_content(old: ConceptContent, new: ConceptContent) -> list[Change]:
    """What changed from ``old`` to ``new``, section by section in the paper's order (``[]``: nothing)."""
    changes = [
        _value_change("title", old.title, new.title),
        _value_change("target_region", old.target_region, new.target_region),
        _section_text("authors", old.authors, new.authors),
        _section_text("summary", old.summary, new.summary),
        *_clusters(old.focus_clusters, new.focus_clusters),
        *_instruments(old.instruments, new.instruments),
        *_fund_plan(old.fund_plan, new.fund_plan),
        _section_text("operator_model", old.operator_model, new.operator_model),
        *_budget(old.budget, new.budget),
        *_milestones(old.milestones, new.milestones),
    ]
    return [c for c in changes if c is not None]


# ----------------------------------------------------------------------------------------------- outdated evidence


@dataclass(frozen=True)
class OutdatedCluster:
    """A focus cluster whose evidence changed since it was chosen: the fingerprint and vintage stored with the
    choice, and the current fingerprint (``None``: the current evidence has no such cluster any more)."""

    cluster: str
    stored: str
    current: str | None
    vintage: str

    @property
    def de(self) -> str:
        """The finding in German."""
        if self.current is None:
            return f"Für Fokuscluster {_de(self.cluster)} gibt es keine aktuelle Evidenz mehr"
        return (
            f"Die Evidenz für Fokuscluster {_de(self.cluster)} hat sich seit Datenstand {self.vintage or '–'} geändert"
        )

    @property
    def en(self) -> str:
        """The finding in English."""
        if self.current is None:
            return f"Focus cluster {_en(self.cluster)} has no current evidence any more"
        return f"The evidence of focus cluster {_en(self.cluster)} changed since data vintage {self.vintage or '–'}"


def outdated_clusters(content: ConceptContent | ConceptVersion, current: Mapping[str, str]) -> list[OutdatedCluster]:
    """The focus clusters chosen in ``content`` (or a saved version) whose stored fingerprint differs from
    ``current[cluster]`` (the scorecard's fingerprints now), in the order chosen. Fingerprints are compared as
    opaque strings."""
    if isinstance(content, ConceptVersion):
        content = content_of(content)
    return [
        OutdatedCluster(c.cluster, c.fingerprint, current.get(c.cluster), c.vintage)
        for c in content.focus_clusters
        if current.get(c.cluster) != c.fingerprint
    ]
