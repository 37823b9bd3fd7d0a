"""The optional pages of a region in a report: its peer regions and its opportunities, matched by region.

:func:`regiolens.reports.write_report` takes at most one :class:`Peers` and one :class:`Opportunities` per
profiled region, in any order; :func:`attach` pairs them with the profiles by the region key
(``RegionRef.ref``, e.g. ``emscher-lippe`` or ``05562``) and refuses results of a region the report does not
profile, or two results of one kind for the same region. Every writer (HTML/PDF, XLSX) uses this one
matching, so the pages and the sheets always belong to the same region.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from regiolens.analysis.results import Opportunities, Peer, Peers, Profile, SourceRef
from regiolens.errors import RegiolensError


@dataclass(frozen=True)
class Attached:
    """What a report shows of one profiled region beyond its profile (``None``: no such page)."""

    profile: Profile
    peers: Peers | None = None
    opportunities: Opportunities | None = None


R = TypeVar("R", Peers, Opportunities)


def _by_region(profiles: Sequence[Profile], items: Sequence[R] | R | None, kind: type[R], what: str) -> dict[str, R]:
    if items is None:
        return {}
    # one result given where a sequence is expected: accept it
    listed: list[object] = [items] if isinstance(items, Peers | Opportunities) else list(items)
    known = [p.region.ref for p in profiles]
    found: dict[str, R] = {}
    for item in listed:
        if not isinstance(item, kind):
            raise RegiolensError(f"{what} of a report must be {kind.__name__} results, not {type(item).__name__}")
        ref = item.region.ref
        if ref not in known:
            raise RegiolensError(f"{what} of {ref!r} given, but the report profiles {', '.join(map(repr, known))}")
        if ref in found:
            raise RegiolensError(f"{what} of {ref!r} given twice")
        found[ref] = item
    return found


def attach(
    profiles: Sequence[Profile],
    peers: Sequence[Peers] | Peers | None = (),
    opportunities: Sequence[Opportunities] | Opportunities | None = (),
) -> list[Attached]:
    """One :class:`Attached` per profile, in the profiles' order, with its peers and opportunities (if given)."""
    by_peers = _by_region(profiles, peers, Peers, "peers")
    by_opportunities = _by_region(profiles, opportunities, Opportunities, "opportunities")
    return [Attached(p, by_peers.get(p.region.ref), by_opportunities.get(p.region.ref)) for p in profiles]


def peer_shares(peer: Peer, indicators: Sequence[str]) -> dict[str, float]:
    """Each indicator's share of a peer's distance: the contributions of its columns summed.

    :class:`~regiolens.analysis.results.PeerIndicator` names are ``size``, ``growth``, … or ``structure:<code>``
    (one per industry); the share of ``structure`` is the sum over its industries. The page and the sheet
    show these sums, so both use this one rule.
    """
    return {k: math.fsum(i.contribution for i in peer.indicators if i.name.split(":", 1)[0] == k) for k in indicators}


def sources(attached: Sequence[Attached]) -> list[SourceRef]:
    """The sources of every profile, then of its peers and opportunities; distinct, in order."""
    found: list[SourceRef] = []
    for a in attached:
        found += a.profile.sources
    for a in attached:
        found += [*(a.peers.sources if a.peers else ()), *(a.opportunities.sources if a.opportunities else ())]
    return list(dict.fromkeys(found))


__all__ = ["Attached", "attach", "peer_shares", "sources"]
