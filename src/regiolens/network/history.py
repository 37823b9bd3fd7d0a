"""Who changed what when: one :class:`~regiolens.network.models.RecordHistory` row per change of a record.

A change is stored as the fields that differ, ``{field: {"old": …, "new": …}}``, between two snapshots of the
record (:func:`regiolens.network.records.snapshot`: plain JSON values; linked records by number only, so that the
history never spells out a record the reader may not see). A creation has only new values, a deletion only old
ones. The history is read through the record it belongs to, so it is as visible as the record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from regiolens.network.models import RecordHistory
from regiolens.web.db import User

Snapshot = dict[str, Any]


def diff(old: Snapshot | None, new: Snapshot | None) -> dict[str, dict[str, Any]]:
    """The fields whose values differ between two snapshots (``None``: the record did not exist)."""
    before, after = old or {}, new or {}
    return {
        key: {"old": before.get(key), "new": after.get(key)}
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }


def log_change(
    s: Session,
    user: User | None,
    organisation_id: int,
    entity: str,
    entity_id: int,
    action: str,
    old: Snapshot | None,
    new: Snapshot | None,
) -> RecordHistory | None:
    """Record ``action`` on ``entity`` ``entity_id`` with the fields that changed; nothing when none did."""
    changes = diff(old, new)
    if not changes and action == "update":
        return None
    entry = RecordHistory(
        user_id=user.id if user else None,
        organisation_id=organisation_id,
        entity=entity,
        entity_id=entity_id,
        action=action,
        changes=changes,
    )
    s.add(entry)
    s.flush()
    return entry


def entries(s: Session, entity: str, entity_id: int, since: datetime) -> list[RecordHistory]:
    """Every change of one record since ``since`` (its creation), oldest first; call it for a record the reader
    may see. ``since`` keeps out the history of a deleted record whose number SQLite gave again."""
    return list(
        s.scalars(
            select(RecordHistory)
            .where(RecordHistory.entity == entity, RecordHistory.entity_id == entity_id, RecordHistory.at >= since)
            .order_by(RecordHistory.at, RecordHistory.id)
        )
    )
