"""Panel queries: region × industry (× year) matrices of one measure, with flags, from the warehouse.

The transform is written once as an Ibis expression (filter → latest source per cell → map old
region codes to the territorial status at ``as_of`` → aggregate groups → roll up industries →
sum), so that the same pipeline runs on DuckDB here and on another Ibis backend for large data.

Aggregation rules for flags (members of a group, old codes merged into a new one, industries rolled
up into a coarser one):

- every part without a value → ``suppressed`` (``unavailable`` if all parts were unavailable), no value;
- some parts without a value → ``partial``: the value is the sum of the known parts, a lower bound;
- otherwise ``estimated`` if any part is estimated, else ``provisional`` if any is, else ``none``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import numpy as np
import pandas as pd

from regiolens.classifications import get_classification
from regiolens.errors import RegiolensError
from regiolens.model import Flag
from regiolens.regions.groups import RegionGroup
from regiolens.regions.history import code_map


@dataclass(frozen=True)
class Panel:
    """Values of one measure on a years × regions × industries grid.

    ``values[t, r, i]`` is the value of region ``regions[r]`` in industry ``industries[i]`` in
    ``years[t]``; ``NaN`` where there is none, with the reason in ``flags`` (a :class:`Flag` value,
    ``"missing"`` where no observation exists at all).
    """

    values: np.ndarray
    flags: np.ndarray
    years: tuple[int, ...]
    regions: tuple[str, ...]
    industries: tuple[str, ...]
    region_level: str
    measure: str
    classification: str
    as_of: date
    source_ids: tuple[int, ...]

    def at(self, year: int) -> tuple[np.ndarray, np.ndarray]:
        """The region × industry matrix and its flags for one year."""
        t = self.years.index(year)
        return self.values[t], self.flags[t]

    def to_frame(self) -> pd.DataFrame:
        """The panel as a long table (year, region_code, industry_code, value, flag)."""
        t, r, i = np.indices(self.values.shape).reshape(3, -1)
        return pd.DataFrame(
            {
                "year": np.asarray(self.years)[t],
                "region_code": np.asarray(self.regions, dtype=object)[r],
                "industry_code": np.asarray(self.industries, dtype=object)[i],
                "value": self.values.reshape(-1),
                "flag": self.flags.reshape(-1),
            }
        )


def panel_expr(
    observations: Any,
    *,
    measure: str,
    years: Sequence[int],
    region_level: str,
    classification: str,
    as_of: date,
    regions: Sequence[str] | None = None,
    groups: Sequence[RegionGroup] = (),
    industry_map: Mapping[str, str] | None = None,
    industries: Sequence[str] | None = None,
) -> Any:
    """The Ibis expression behind :func:`query_panel` (one row per year × region × industry)."""
    o = observations
    t = o.filter(
        o.measure == measure,
        o.classification == classification,
        o.region_level == region_level,
        o.year.isin([int(y) for y in years]),
    )
    key = [t.region_level, t.region_code, t.industry_code, t.year]
    latest = ibis.window(group_by=key, order_by=ibis.desc(t.source_id))
    t = t.mutate(_rank=ibis.row_number().over(latest)).filter(lambda x: x._rank == 0).drop("_rank")

    changes = [(old, new) for level, old, new in code_map(as_of) if level == region_level]
    if changes:
        cmap = ibis.memtable(pd.DataFrame(changes, columns=["_old", "_new"]))
        t = t.left_join(cmap, t.region_code == cmap._old)
        t = t.mutate(region_code=ibis.coalesce(t._new, t.region_code)).drop("_old", "_new")

    if industry_map is not None:
        imap = ibis.memtable(pd.DataFrame(list(industry_map.items()), columns=["_from", "_to"]))
        t = t.join(imap, t.industry_code == imap._from).mutate(industry_code=lambda x: x._to).drop("_from", "_to")
    if industries is not None:
        t = t.filter(t.industry_code.isin(list(industries)))

    parts = []
    if regions is None or len(regions):
        parts.append(t if regions is None else t.filter(t.region_code.isin(list(regions))))
    members = [(m, g.name) for g in groups for m in g.members]
    if members:
        gmap = ibis.memtable(pd.DataFrame(members, columns=["_member", "_group"]))
        g = t.join(gmap, t.region_code == gmap._member).mutate(region_code=lambda x: x._group).drop("_member", "_group")
        parts.append(g)
    if not parts:
        raise RegiolensError("a panel needs regions or groups")
    t = parts[0] if len(parts) == 1 else parts[0].union(parts[1], distinct=False)

    no_value = t.value.isnull()
    return t.group_by(["year", "region_code", "industry_code"]).aggregate(
        value=t.value.sum(),
        source_id=t.source_id.max(),
        n=t.count(),
        n_no_value=no_value.sum(),
        n_unavailable=(t.flag == Flag.UNAVAILABLE.value).sum(),
        n_partial=(t.flag == Flag.PARTIAL.value).sum(),
        n_estimated=(t.flag == Flag.ESTIMATED.value).sum(),
        n_provisional=(t.flag == Flag.PROVISIONAL.value).sum(),
        any_flag=t.flag.max(),
    )


def _combined_flags(df: pd.DataFrame) -> np.ndarray:
    conditions = [
        (df.n_no_value == df.n) & (df.n_unavailable == df.n),
        df.n_no_value == df.n,
        (df.n_no_value > 0) | (df.n_partial > 0),
        df.n_estimated > 0,
        df.n_provisional > 0,
        df.n == 1,
    ]
    choices: list[Any] = [
        Flag.UNAVAILABLE.value,
        Flag.SUPPRESSED.value,
        Flag.PARTIAL.value,
        Flag.ESTIMATED.value,
        Flag.PROVISIONAL.value,
        df.any_flag,
    ]
    return np.select(conditions, choices, default=Flag.NONE.value)


def stored_codes(backend: Any, *, measure: str, classification: str, region_level: str) -> list[str]:
    """The industry codes stored for ``measure`` in ``classification`` at ``region_level``."""
    o = backend.table("observations")
    stored = o.filter(
        o.measure == measure, o.classification == classification, o.region_level == region_level
    ).industry_code.name("code")
    return sorted(str(c) for c in stored.as_table().distinct().execute()["code"])


def level_roll_up(
    backend: Any, *, measure: str, classification: str, region_level: str, level: str, source_level: str | None = None
) -> dict[str, str]:
    """An industry map that rolls the codes stored at one level up to the coarser ``level``.

    Only codes at ``source_level`` (default: the finest level stored for this measure, classification and
    region level) enter the roll-up, so that a file holding divisions *and* their classes is not counted
    twice. Example: WZ 2008 classes → divisions, ``{"29.10": "29", "29.20": "29", …}``.
    """
    clf = get_classification(classification)
    codes = stored_codes(backend, measure=measure, classification=classification, region_level=region_level)
    depth = {c: clf.get(c).level for c in codes}
    if not depth:
        return {}
    from_depth = clf.level_index(source_level) if source_level is not None else max(depth.values())
    return {c: clf.ancestor(c, level) for c, d in depth.items() if d == from_depth}


def query_panel(
    backend: Any,
    *,
    measure: str,
    years: int | Sequence[int],
    region_level: str,
    classification: str,
    regions: Sequence[str] | None = None,
    groups: Sequence[RegionGroup] = (),
    industries: Sequence[str] | None = None,
    industry_map: Mapping[str, str] | None = None,
    industry_level: str | None = None,
    as_of: date | None = None,
) -> Panel:
    """Build a :class:`Panel` from the ``observations`` table of an Ibis ``backend``.

    ``regions`` selects codes at ``region_level`` (all if ``None``; old codes count under their
    successor at ``as_of``, by default the end of the latest requested year); ``groups`` adds one
    row per group, summed from its members. ``industry_level`` rolls the stored codes up to a level of the
    classification (see :func:`level_roll_up`); ``industry_map`` is any other roll-up (code → coarser code);
    ``industries`` selects and orders the industry axis.
    """
    if industry_level is not None:
        if industry_map is not None:
            raise RegiolensError("give industry_level or industry_map, not both")
        industry_map = level_roll_up(
            backend, measure=measure, classification=classification, region_level=region_level, level=industry_level
        )
    year_list = [years] if isinstance(years, int) else sorted({int(y) for y in years})
    if not year_list:
        raise RegiolensError("a panel needs at least one year")
    as_of = as_of or date(max(year_list), 12, 31)
    expr = panel_expr(
        backend.table("observations"),
        measure=measure,
        years=year_list,
        region_level=region_level,
        classification=classification,
        as_of=as_of,
        regions=regions,
        groups=groups,
        industry_map=industry_map,
        industries=industries,
    )
    df = expr.execute()
    if df.empty:
        raise RegiolensError(
            f"no {measure!r} observations for {region_level} in {classification} for {', '.join(map(str, year_list))}"
        )
    flags = _combined_flags(df)
    region_axis = (
        list(regions or []) + [g.name for g in groups]
        if regions is not None
        else sorted(set(df.region_code) - {g.name for g in groups}) + [g.name for g in groups]
    )
    industry_axis = list(industries) if industries is not None else sorted(set(df.industry_code))
    r_index = {c: k for k, c in enumerate(region_axis)}
    i_index = {c: k for k, c in enumerate(industry_axis)}
    y_index = {y: k for k, y in enumerate(year_list)}
    shape = (len(year_list), len(region_axis), len(industry_axis))
    values = np.full(shape, np.nan)
    flag_grid = np.full(shape, Flag.MISSING.value, dtype=object)
    pos = (
        df.year.map(y_index).to_numpy(),
        df.region_code.map(r_index).to_numpy(),
        df.industry_code.map(i_index).to_numpy(),
    )
    values[pos] = df.value.to_numpy(dtype="float64")
    flag_grid[pos] = flags
    return Panel(
        values=values,
        flags=flag_grid,
        years=tuple(year_list),
        regions=tuple(region_axis),
        industries=tuple(industry_axis),
        region_level=region_level,
        measure=measure,
        classification=classification,
        as_of=as_of,
        source_ids=tuple(sorted({int(s) for s in df.source_id})),
    )
