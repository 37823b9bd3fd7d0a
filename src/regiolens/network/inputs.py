"""What a person enters: actors, initiatives with their dated statements, exchanges, follow-ups, lessons.

The same Pydantic models serve the web forms, the JSON API and the TOML import (:mod:`regiolens.network.tomlio`),
so a record is checked by one set of rules wherever it comes from. References to other records are keys
(``hannover-impuls``) or ``organisation/key`` (``herten/hannoverimpuls``), resolved among the records the person
may see (:func:`regiolens.network.records.get`). Unknown facts are written as such: a statement without ``value``
records that the value is unknown; dates left out are unknown.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from regiolens.network.models import KEY_LENGTH, REGION_LENGTH, ActorKind, ExchangeKind, FactKind, Outcome, PartyRole
from regiolens.web.db import NAME_LENGTH, Visibility

Day = date
"""``datetime.date`` under a name the field ``ExchangeIn.date`` does not shadow."""

_KEY = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_TAG_SPACES = re.compile(r"[\s_]+")


def _key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(f"{value!r}: a key has lower-case letters, digits and inner hyphens, at most {KEY_LENGTH}")
    return value


def _tag(value: str) -> str:
    tag = _TAG_SPACES.sub("-", value.strip().lower())
    if not tag or len(tag) > KEY_LENGTH:
        raise ValueError(f"a tag has 1 to {KEY_LENGTH} characters, not {value!r}")
    return tag


Key = Annotated[str, AfterValidator(_key)]
"""A record key: lower-case letters, digits and inner hyphens (``hannoverimpuls``)."""
Ref = Annotated[str, Field(min_length=1, max_length=2 * KEY_LENGTH + 1)]
"""A reference to another record: its key, ``organisation/key`` or its number."""
Tag = Annotated[str, AfterValidator(_tag)]
"""A tag, stored lower-case with hyphens for spaces (``Venture Capital`` → ``venture-capital``)."""
Name = Annotated[str, Field(min_length=1, max_length=NAME_LENGTH)]
Region = Annotated[str, Field(min_length=1, max_length=REGION_LENGTH)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FactIn(_In):
    """One dated statement about an initiative (see :class:`regiolens.network.models.InitiativeFact`).

    ``focus_cluster`` needs ``taxonomy`` and ``cluster``; ``owner``, ``operator`` and ``partner`` may name an
    ``actor``. ``value`` left out means *unknown*.
    """

    kind: FactKind
    value: str | None = None
    actor: Ref | None = None
    taxonomy: str | None = Field(None, max_length=KEY_LENGTH)
    cluster: str | None = Field(None, max_length=KEY_LENGTH)
    valid_from: Day | None = None
    valid_to: Day | None = None
    source: str | None = None
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> FactIn:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to ({self.valid_to}) lies before valid_from ({self.valid_from})")
        if self.kind is FactKind.focus_cluster and not (self.taxonomy and self.cluster):
            raise ValueError("a focus_cluster statement names its taxonomy and cluster (e.g. hannoverimpuls, ict)")
        if self.kind is not FactKind.focus_cluster and (self.taxonomy or self.cluster):
            raise ValueError(f"only focus_cluster statements name a taxonomy and cluster, not {self.kind}")
        if self.actor and self.kind not in (FactKind.owner, FactKind.operator, FactKind.partner):
            raise ValueError(f"only owner, operator and partner statements name an actor, not {self.kind}")
        return self


class ActorIn(_In):
    """An agency, city, network, investor …; ``members`` (keys) for a network or other group."""

    key: Key
    name: Name
    kind: ActorKind = ActorKind.other
    region: Region | None = None
    website: str | None = Field(None, max_length=500)
    notes: str = ""
    members: list[Ref] = []
    visibility: Visibility = Visibility.private


class InitiativeIn(_In):
    """An initiative: name, region (a code or group as ``regiolens profile`` takes it), summary, statements, tags."""

    key: Key
    name: Name
    region: Region | None = None
    summary: str = ""
    website: str | None = Field(None, max_length=500)
    facts: list[FactIn] = []
    tags: list[Tag] = []
    visibility: Visibility = Visibility.private


class PersonIn(_In):
    """Someone who took part; ``name`` may be left out (not recorded), ``actor`` is the body they came for."""

    name: str | None = Field(None, max_length=NAME_LENGTH)
    function: str | None = Field(None, max_length=NAME_LENGTH)
    actor: Ref | None = None
    role: PartyRole = PartyRole.participant


class FollowUpIn(_In):
    """A task after an exchange: who does it (in words; left out: not yet decided), by when, done or not."""

    task: str = Field(min_length=1)
    owner: str | None = Field(None, max_length=NAME_LENGTH)
    due: Day | None = None
    done: bool = False


class ExchangeIn(_In):
    """A visit, meeting or call; ``hosts``, ``visitors`` and ``participants`` are actor references."""

    key: Key
    title: Name
    kind: ExchangeKind = ExchangeKind.visit
    date: Day | None = None
    place: str | None = Field(None, max_length=NAME_LENGTH)
    hosts: list[Ref] = []
    visitors: list[Ref] = []
    participants: list[Ref] = []
    people: list[PersonIn] = []
    initiatives: list[Ref] = []
    topics: list[str] = []
    findings: str = ""
    notes: str = ""
    follow_ups: list[FollowUpIn] = []
    tags: list[Tag] = []
    visibility: Visibility = Visibility.private


class LessonIn(_In):
    """A practice that worked or failed, under which preconditions, from which initiatives and exchanges."""

    key: Key
    title: Name
    outcome: Outcome = Outcome.open
    what_worked: str = ""
    what_failed: str = ""
    preconditions: str = ""
    initiatives: list[Ref] = []
    exchanges: list[Ref] = []
    tags: list[Tag] = []
    visibility: Visibility = Visibility.private
