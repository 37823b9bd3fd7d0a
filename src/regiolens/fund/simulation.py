"""Monte Carlo simulation of a venture portfolio, stage by stage, with follow-ons decided at each round.

**Model** (one path = one possible history of the fund's portfolio; times in quarters from the first closing):

1. *Entry.* ``N`` companies per path enter at times uniform on the investment period ``[0, investment_quarters)``
   (sorted: the company index is the entry order). Each enters at a stage drawn from the entry mix
   (:class:`EntryStage`) and gets that stage's ticket for that stage's ownership, so its post-money is
   ``ticket / ownership``. Initial tickets are paid from the *initial pool* ``(1 − reserve_ratio) · capital`` in
   entry order; the first company whose ticket no longer fits and all after it are not financed.
2. *Stages.* At each stage (:class:`~regiolens.fund.defaults.Stage`) a company graduates to the next round,
   fails or exits with the stage's probabilities. Graduation and failure happen after ``years_in_stage``
   (uniform); an exit happens at ``max(stage start + years_in_stage, entry + exit timing)`` with the lognormal
   exit timing of the stage table, i.e. never before the company would have left its stage, and otherwise as the
   published time from first investment to exit. The post-money of the next round is the current one times the
   next stage's ``step_up``; the round sells ``dilution`` of it.
3. *Follow-ons, without look-ahead.* When a company graduates, the fund asks for its pro-rata share of the round,
   ``own · dilution · post_new`` (which keeps its ownership), capped by ``max_per_company`` minus what the company
   has received so far, and gets it from the *reserve* ``reserve_ratio · capital`` first come, first served in the
   order of the graduation times: the grant is ``min(request, reserve left at that time)``. The decision uses only
   the company's state (ownership, money in so far) and the reserve left then — never the company's later outcome
   (the outcome of a stage is drawn when the company enters it, and nothing reads it before the stage ends). Ownership
   after the round: ``own · (1 − dilution) + grant / post_new`` (less than ``own`` when the fund does not follow
   fully).
4. *Outcome.* A failure writes the holding off; an exit pays ``own · post · multiple`` (post-money of the last
   round, multiple drawn from the stage's :class:`~regiolens.fund.defaults.ExitMultiples`). Events at or after
   ``quarters`` do not happen within the fund's life: the company is still held at the end.

**NAV (marking rule).** A holding is carried at cost (the initial ticket) until its next priced round, then at
``own · post_new`` of that round (the fund's share of the round's post-money, follow-on included) until the
next round; it drops out of the NAV at a write-off (value 0) or an exit (realised). The NAV is the running sum of
these changes; running-sum residue below one cent is set to 0.

**Vectorised over paths and companies** (:func:`simulate_portfolio`): the companies of a block of paths are drawn
as flat arrays, one pass per stage (≤ 5 passes), and summed into ``(paths, quarters)`` with ``np.bincount`` on
flattened ``path · quarters + quarter`` indices; blocks run on one thread per core. The first-come-first-served reserve
is exact without a loop over events: with requests ``r_i`` in time order, the grants are ``G_i − G_{i−1}`` with
``G_i = min(Σ_{j≤i} r_j, R)`` (induction on ``i``). The requests come from each company's own history assuming
its earlier follow-ons were granted in full; that is exact for every event that gets money, because all events
before the reserve runs out are granted in full, and every event after it gets nothing whatever it asked. Paths
whose requests all fit into the reserve need no sorting at all.

:func:`simulate_portfolio_loop` is the **reference implementation** of the same model: a plain loop over paths,
and within a path an event queue processed in time order, deciding each follow-on with the reserve left at that
moment. It draws from the same distributions (not the same random stream) and serves as the anchor of
``benchmarks/bench_fund.py`` and as the statistical cross-check of the vectorised version in the tests.

Sources of the default numbers: :mod:`regiolens.fund.defaults` (``shared/reference/fund_methods.md`` §4, §8).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from regiolens.fund.defaults import (
    DEFAULT_STAGE_TABLE,
    HTGF_2016_MAX_PER_COMPANY,
    HTGF_2016_SEED_OWNERSHIP,
    HTGF_2016_SEED_TICKET,
    PSYMEN_RESERVE_RATIO,
    ExitMultiples,
    StageTable,
)
from regiolens.metrics.stats import BLOCK_CELLS, FloatArray, map_blocks, safe_divide

__all__ = [
    "EntryStage",
    "PortfolioAssumptions",
    "PortfolioPaths",
    "sample_multiples",
    "simulate_portfolio",
    "simulate_portfolio_loop",
]

IntArray = NDArray[np.int64]
QUARTERS_PER_YEAR = 4
NAV_RESIDUE = 0.01
"""A NAV below one cent is running-sum residue (a held company is worth far more) and is set to 0."""


@dataclass(frozen=True)
class EntryStage:
    """New companies entering at ``stage``: their ``share`` of all new companies, the ticket and the ownership."""

    stage: str
    share: float
    ticket: float
    ownership: float


@dataclass(frozen=True)
class PortfolioAssumptions:
    """What the simulation needs; defaults from :mod:`regiolens.fund.defaults` (HTGF 2016 seed terms, Psymen reserve).

    ``investable_capital``: euros for investments, reserves included (the fund size net of fees and costs).
    ``companies``: companies per path; ``None`` derives it as ``floor(initial pool / mean ticket)`` with the mean
    ticket weighted by the entry shares (so about all of them can be financed from the initial pool).
    """

    investable_capital: float
    quarters: int
    investment_quarters: int
    entry: tuple[EntryStage, ...] = (EntryStage("seed", 1.0, HTGF_2016_SEED_TICKET, HTGF_2016_SEED_OWNERSHIP),)
    companies: int | None = None
    reserve_ratio: float = PSYMEN_RESERVE_RATIO
    max_per_company: float = HTGF_2016_MAX_PER_COMPANY
    stages: StageTable = DEFAULT_STAGE_TABLE

    def __post_init__(self) -> None:
        if not self.investable_capital > 0:
            raise ValueError("investable_capital must be positive")
        if not 1 <= self.investment_quarters <= self.quarters:
            raise ValueError("need 1 ≤ investment_quarters ≤ quarters")
        if not 0 <= self.reserve_ratio < 1:
            raise ValueError("reserve_ratio must be in [0, 1)")
        if not self.entry:
            raise ValueError("entry needs at least one entry stage")
        if any(e.share < 0 for e in self.entry) or not math.isclose(sum(e.share for e in self.entry), 1.0):
            raise ValueError("entry shares must be ≥ 0 and sum to 1")
        for e in self.entry:
            self.stages.index(e.stage)  # raises for an unknown stage
            if not (0 < e.ticket <= self.max_per_company and 0 < e.ownership <= 1):
                raise ValueError(f"entry {e.stage}: need 0 < ticket ≤ max_per_company and 0 < ownership ≤ 1")
        if self.companies is not None and self.companies < 1:
            raise ValueError("companies must be at least 1")
        if self.companies_per_path < 1:
            raise ValueError("the initial pool does not cover one mean ticket: raise the capital or lower the reserve")

    @property
    def initial_pool(self) -> float:
        """Euros for initial tickets: ``(1 − reserve_ratio) · investable_capital``."""
        return (1.0 - self.reserve_ratio) * self.investable_capital

    @property
    def reserve(self) -> float:
        """Euros for follow-ons: ``reserve_ratio · investable_capital``."""
        return self.reserve_ratio * self.investable_capital

    @property
    def companies_per_path(self) -> int:
        """``companies``, or ``floor(initial pool / share-weighted mean ticket)`` when it is not given."""
        if self.companies is not None:
            return self.companies
        return math.floor(self.initial_pool / sum(e.share * e.ticket for e in self.entry))


@dataclass(frozen=True)
class PortfolioPaths:
    """Simulated paths: euro arrays of shape ``(paths, quarters)`` and counts of shape ``(paths,)``."""

    invested: FloatArray
    """Paid into companies in the quarter: initial tickets + follow-ons."""
    proceeds: FloatArray
    """Exit proceeds received in the quarter."""
    nav: FloatArray
    """Value of the holdings at the quarter's end (marking rule in the module docstring)."""
    companies_financed: IntArray
    follow_ons: IntArray
    """Follow-on investments made (rounds in which the fund put in money)."""
    write_offs: IntArray
    exits: IntArray
    assumptions: PortfolioAssumptions
    seed: int

    def gross_multiple(self) -> FloatArray:
        """Gross TVPI of each path on invested capital, before fees: ``(Σ proceeds + final NAV) / Σ invested``."""
        return safe_divide(self.proceeds.sum(axis=1) + self.nav[:, -1], self.invested.sum(axis=1))


# ------------------------------------------------------------------------------------------------ shared parts
@dataclass(frozen=True)
class _Tables:
    """The assumptions as arrays indexed by stage (``s``) or entry kind (``k``); times in quarters."""

    graduation: FloatArray  # P(graduate) by s
    not_exit: FloatArray  # P(graduate) + P(fail) by s: u ≥ this means exit
    dilution: FloatArray
    step_up: FloatArray
    quarters_low: FloatArray  # years_in_stage in quarters: low and high − low
    quarters_span: FloatArray
    exit_median_quarters: float
    exit_sigma: float
    multiples: tuple[ExitMultiples, ...]  # the distinct exit-multiple distributions
    multiples_of_stage: IntArray  # by s: index into multiples
    entry_cum_share: FloatArray  # by k
    entry_stage: IntArray
    ticket: FloatArray
    ownership: FloatArray

    @classmethod
    def of(cls, a: PortfolioAssumptions) -> _Tables:
        st = a.stages.stages
        cum = np.cumsum([e.share for e in a.entry])
        cum[-1] = 1.0
        multiples = tuple(dict.fromkeys(s.exit_multiples for s in st))

        def by_stage(values: list[float]) -> FloatArray:
            return np.array(values, dtype=np.float64)

        return cls(
            graduation=by_stage([s.graduation for s in st]),
            not_exit=by_stage([s.graduation + s.failure for s in st]),
            dilution=by_stage([s.dilution for s in st]),
            step_up=by_stage([s.step_up for s in st]),
            quarters_low=QUARTERS_PER_YEAR * by_stage([s.years_in_stage[0] for s in st]),
            quarters_span=QUARTERS_PER_YEAR * by_stage([s.years_in_stage[1] - s.years_in_stage[0] for s in st]),
            exit_median_quarters=QUARTERS_PER_YEAR * a.stages.exit_timing.median_years,
            exit_sigma=a.stages.exit_timing.sigma_log,
            multiples=multiples,
            multiples_of_stage=np.array([multiples.index(s.exit_multiples) for s in st], dtype=np.intp),
            entry_cum_share=cum,
            entry_stage=np.array([a.stages.index(e.stage) for e in a.entry], dtype=np.intp),
            ticket=np.array([e.ticket for e in a.entry], dtype=np.float64),
            ownership=np.array([e.ownership for e in a.entry], dtype=np.float64),
        )

    def entry_kind(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> IntArray:
        """Entry kinds (indices into ``assumptions.entry``) drawn by their shares: the number of cumulative shares
        at or below a uniform draw."""
        if self.entry_cum_share.size == 1:
            return np.zeros(size, dtype=np.intp)
        u = rng.random(size)
        kind = np.zeros(u.shape, dtype=np.intp)
        for c in self.entry_cum_share[:-1]:
            kind += u >= c
        return kind

    def quarters_in_stage(self, rng: np.random.Generator, s: IntArray) -> FloatArray:
        """Time until the next round or the failure: uniform on the stage's ``years_in_stage``."""
        t = rng.random(s.shape)
        t *= self.quarters_span.take(s)
        t += self.quarters_low.take(s)
        return t

    def quarters_to_exit(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Time from first investment to exit: lognormal ``median · exp(σ·Z)``."""
        return self.exit_median_quarters * np.exp(self.exit_sigma * rng.standard_normal(size))

    def exit_multiples(self, rng: np.random.Generator, s: IntArray) -> FloatArray:
        """One exit multiple per entry of ``s`` (stage of the exit), from that stage's distribution."""
        if len(self.multiples) == 1:
            return sample_multiples(rng, self.multiples[0], s.size).reshape(s.shape)
        group = self.multiples_of_stage.take(s.ravel())
        out = np.empty(group.shape)
        for i, spec in enumerate(self.multiples):
            where = np.flatnonzero(group == i)
            out[where] = sample_multiples(rng, spec, where.size)
        return out.reshape(s.shape)


def sample_multiples(rng: np.random.Generator, spec: ExitMultiples, size: int) -> FloatArray:
    """``size`` exit multiples from ``spec``: a bucket by its probability, then a multiple within it.

    One uniform ``u`` per multiple: the bucket ``k`` with ``c_{k−1} ≤ u < c_k`` (``c`` = cumulative
    probabilities), and ``v = (u − c_{k−1}) / p_k``, uniform on ``[0, 1)`` given the bucket, places the multiple
    within ``[low, high]``: uniform when ``low == 0``, log-uniform ``low · (high/low)^v`` otherwise, and for the
    last bucket with ``tail_alpha`` a truncated Pareto, ``low · (1 − v·(1 − (low/high)^α))^(−1/α)``.
    """
    u = rng.random(size)
    out = np.empty(size)
    last = len(spec.buckets) - 1
    lower = 0.0
    for i, b in enumerate(spec.buckets):
        upper = lower + b.probability
        where = np.flatnonzero(u >= lower) if i == last else np.flatnonzero((u >= lower) & (u < upper))
        v = np.minimum((u.take(where) - lower) / b.probability, 1.0) if b.probability > 0 else u.take(where)
        if b.low == b.high:
            out[where] = b.low
        elif i == last and spec.tail_alpha is not None:
            a = spec.tail_alpha
            out[where] = b.low * (1.0 - v * (1.0 - (b.low / b.high) ** a)) ** (-1.0 / a)
        elif b.low == 0:
            out[where] = b.high * v
        else:
            out[where] = b.low * np.exp(v * math.log(b.high / b.low))
        lower = upper
    return out


def _check_run(paths: int) -> None:
    if paths < 1:
        raise ValueError("paths must be at least 1")


def _nav_from_changes(changes: FloatArray) -> FloatArray:
    """NAV at each quarter's end from the value changes booked in each quarter (running sum over quarters)."""
    nav = np.cumsum(changes, axis=1, out=changes)
    np.copyto(nav, 0.0, where=nav < NAV_RESIDUE)
    return nav


# ------------------------------------------------------------------------------------------------ vectorised
BLOCK_COMPANIES = 1 << 15
"""Companies per block of :func:`simulate_portfolio` (whole paths): the work arrays of a block (~0.25 MiB each)
stay in the CPU caches. Measured (CPU time, one thread, 100,000 paths × 30 companies): 8 Ki 0.81 s, 16 Ki 0.79,
32 Ki 0.72, 64 Ki 0.94, 128 Ki 1.12."""


@dataclass
class _Ending:
    """The companies that failed or exited in one stage pass."""

    row: IntArray  # path (row of the block)
    time: FloatArray
    exit: NDArray[np.bool_]
    exit_stage: IntArray  # of each exit
    among_active: IntArray  # positions among the pass's active companies


@dataclass
class _Pass:
    """One stage pass over the companies still active: the endings, and the graduations with their rounds."""

    ended: _Ending
    graduated: IntArray  # positions among the pass's active companies
    row: IntArray  # of each graduation
    time: FloatArray
    request: FloatArray  # pro-rata up to the company's cap, as if its earlier follow-ons were granted in full
    post: FloatArray  # post-money of the new round
    dilution: FloatArray


def simulate_portfolio(assumptions: PortfolioAssumptions, *, paths: int, seed: int) -> PortfolioPaths:
    """Simulate ``paths`` portfolio histories (model in the module docstring), vectorised over paths and companies.

    The paths are computed in blocks of whole paths (about :data:`BLOCK_COMPANIES` companies each) on the threads
    of :func:`~regiolens.metrics.stats.map_blocks`; each block draws from its own generator,
    ``SeedSequence(seed, spawn_key=(first path of the block,))``, so one ``seed`` gives identical arrays whatever
    the threads do.
    """
    _check_run(paths)
    a, tab = assumptions, _Tables.of(assumptions)
    shape = (paths, a.quarters)
    result = PortfolioPaths(
        invested=np.empty(shape),
        proceeds=np.empty(shape),
        nav=np.empty(shape),
        companies_financed=np.empty(paths, dtype=np.int64),
        follow_ons=np.empty(paths, dtype=np.int64),
        write_offs=np.empty(paths, dtype=np.int64),
        exits=np.empty(paths, dtype=np.int64),
        assumptions=a,
        seed=seed,
    )

    def block(index: tuple[int | slice, ...]) -> None:
        rows = index[0]
        assert isinstance(rows, slice)
        rows = slice(rows.start, min(rows.stop, paths))
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(rows.start,)))
        _simulate_block(a, tab, rng, result, rows)

    paths_per_block = max(1, BLOCK_COMPANIES // a.companies_per_path)
    map_blocks(block, (paths,), axis=0, cells=max(1, BLOCK_CELLS // paths_per_block))
    return result


def _simulate_block(
    a: PortfolioAssumptions, tab: _Tables, rng: np.random.Generator, out: PortfolioPaths, rows: slice
) -> None:
    """Simulate the paths ``rows`` and write them into ``out``: entry, stage passes, reserve, money, sums."""
    paths, n, q_n = rows.stop - rows.start, a.companies_per_path, a.quarters

    # entry: sorted uniform times on [0, investment_quarters) as normalised cumulative exponential spacings
    spacing = np.cumsum(rng.standard_exponential((paths, n + 1)), axis=1)
    t_entry = spacing[:, :n] / spacing[:, n:] * a.investment_quarters
    np.minimum(t_entry, np.nextafter(a.investment_quarters, 0), out=t_entry)
    kind = tab.entry_kind(rng, (paths, n))
    if n * tab.ticket.max() <= a.initial_pool:  # every ticket fits
        financed = np.ones((paths, n), dtype=bool)
    else:
        financed = np.cumsum(tab.ticket.take(kind), axis=1) <= a.initial_pool
    company = np.flatnonzero(financed)
    row, kind, t_in = company // n, kind.ravel()[company], t_entry.ravel()[company]
    entry_cell = row * q_n + _quarter(t_in)
    ticket, stage, own = tab.ticket.take(kind), tab.entry_stage.take(kind), tab.ownership.take(kind)
    post, paid, start = ticket / own, ticket, t_in

    # stage passes over the active companies (compact arrays; a graduate stays active for the next pass);
    # requests from each company's own history as if its earlier follow-ons were granted in full
    passes: list[_Pass] = []
    for _ in range(tab.graduation.size):  # a pass per stage: no company is active after the last
        u = rng.random(row.size)
        t = tab.quarters_in_stage(rng, stage)
        t += start
        is_exit = u >= tab.not_exit.take(stage)
        ex = np.flatnonzero(is_exit)
        t[ex] = np.maximum(t.take(ex), t_in.take(ex) + tab.quarters_to_exit(rng, ex.size))
        inside = t < q_n
        graduated = u < tab.graduation.take(stage)
        graduated &= inside
        ended = np.flatnonzero(inside & ~graduated)
        exit_end = is_exit.take(ended)
        g = np.flatnonzero(graduated)
        end = _Ending(row.take(ended), t.take(ended), exit_end, stage.take(ended)[exit_end], ended)

        row, t_in, start, stage = row.take(g), t_in.take(g), t.take(g), stage.take(g) + 1
        d = tab.dilution.take(stage)
        post = post.take(g) * tab.step_up.take(stage)
        own, paid = own.take(g), paid.take(g)
        request = np.maximum(np.minimum(own * d * post, a.max_per_company - paid), 0.0)
        own = own * (1.0 - d) + request / post
        paid = paid + request
        passes.append(_Pass(end, g, row, start, request, post, d))

    # reserve, first come first served in time order per path
    grant = _grant_from_reserve(
        np.concatenate([p.row for p in passes]),
        np.concatenate([p.time for p in passes]),
        np.concatenate([p.request for p in passes]),
        a.reserve,
        paths,
        q_n,
    )

    # money with the actual grants: ownership, value changes (NAV), payments and proceeds, by path × quarter cell
    own, value = tab.ownership.take(kind), ticket
    nav_cells, nav_changes = [entry_cell], [ticket]
    paid_cells, paid_amounts = [entry_cell], [ticket]
    exit_cells, exit_values = [], []
    offset = 0
    for p in passes:
        e = p.ended
        end_cell = e.row * q_n + _quarter(e.time)
        end_value = value.take(e.among_active)
        nav_cells.append(end_cell)
        nav_changes.append(-end_value)
        exit_cells.append(end_cell[e.exit])
        exit_values.append(end_value[e.exit])
        gr = grant[offset : offset + p.row.size]
        offset += p.row.size
        own = own.take(p.graduated) * (1.0 - p.dilution) + gr / p.post
        new_value = own * p.post
        cell = p.row * q_n + _quarter(p.time)
        nav_cells.append(cell)
        nav_changes.append(new_value - value.take(p.graduated))
        paid_cells.append(cell)
        paid_amounts.append(gr)
        value = new_value

    size, shape = paths * q_n, (paths, q_n)
    out.invested[rows] = np.bincount(np.concatenate(paid_cells), np.concatenate(paid_amounts), size).reshape(shape)
    exit_stage = np.concatenate([p.ended.exit_stage for p in passes])
    exit_amounts = np.concatenate(exit_values) * tab.exit_multiples(rng, exit_stage)
    out.proceeds[rows] = np.bincount(np.concatenate(exit_cells), exit_amounts, size).reshape(shape)
    changes = np.bincount(np.concatenate(nav_cells), np.concatenate(nav_changes), size).reshape(shape)
    out.nav[rows] = _nav_from_changes(changes)
    row_end = np.concatenate([p.ended.row for p in passes])
    exit_end = np.concatenate([p.ended.exit for p in passes])
    out.companies_financed[rows] = np.count_nonzero(financed, axis=1)
    out.follow_ons[rows] = np.bincount(np.concatenate([p.row for p in passes])[grant > 0], minlength=paths)
    out.write_offs[rows] = np.bincount(row_end[~exit_end], minlength=paths)
    out.exits[rows] = np.bincount(row_end[exit_end], minlength=paths)


def _quarter(t: FloatArray) -> IntArray:
    """The quarter of each time (``floor``; times are ≥ 0)."""
    return t.astype(np.int64)


def _grant_from_reserve(
    row: IntArray, time: FloatArray, request: FloatArray, reserve: float, paths: int, quarters: int
) -> FloatArray:
    """Grants of the follow-on requests, first come first served per path: ``G_i − G_{i−1}``, ``G = min(Σ r, R)``.

    Only paths whose requests exceed the reserve are sorted (by path, then time, as one float key
    ``path · (quarters + 1) + time``: graduations less than ~10⁻⁹ quarters apart may be taken in either order) and
    summed row by row in a ``(binding paths, events)`` array, so that each path's running sum is exact to its own
    magnitude.
    """
    grant = request.copy()
    binding = np.bincount(row, request, paths) > reserve
    sel = np.flatnonzero(binding[row])
    if sel.size == 0:
        return grant
    order = sel[np.argsort(row[sel] * (quarters + 1.0) + time[sel])]  # by path, then time (< quarters)
    p = row.take(order)
    new_path = np.r_[True, p[1:] != p[:-1]]
    first = np.flatnonzero(new_path)
    line = np.cumsum(new_path) - 1
    col = np.arange(order.size) - first.take(line)
    width = int(col.max()) + 2  # column 0 stays 0: the sum before a path's first event
    cell = line * width + col + 1
    running = np.zeros(first.size * width)
    running[cell] = request.take(order)
    np.cumsum(running.reshape(-1, width), axis=1, out=running.reshape(-1, width))
    np.minimum(running, reserve, out=running)
    grant[order] = running.take(cell) - running.take(cell - 1)
    return grant


# ------------------------------------------------------------------------------------------------ reference loop
_GRADUATE, _FAIL, _EXIT = 0, 1, 2


def simulate_portfolio_loop(assumptions: PortfolioAssumptions, *, paths: int, seed: int) -> PortfolioPaths:
    """Reference implementation of :func:`simulate_portfolio`: the same model, path by path, event by event.

    Within a path the companies' events (next round, failure, exit) are kept in a priority queue and processed in
    time order; a follow-on is decided when its round is popped, with the reserve left at that moment. The same
    distributions as the vectorised version, drawn per path and company (a different random stream). Used as the
    benchmark anchor and as the statistical cross-check of the vectorised version; reproducible with ``seed``.
    """
    _check_run(paths)
    a, tab = assumptions, _Tables.of(assumptions)
    rng = np.random.default_rng(seed)
    invested, proceeds, nav = (np.zeros((paths, a.quarters)) for _ in range(3))
    counts = np.zeros((4, paths), dtype=np.int64)  # financed, follow-ons, write-offs, exits
    for p in range(paths):
        counts[:, p] = _loop_path(a, tab, rng, invested[p], proceeds[p], nav[p])
    return PortfolioPaths(
        invested=invested,
        proceeds=proceeds,
        nav=_nav_from_changes(nav),
        companies_financed=counts[0],
        follow_ons=counts[1],
        write_offs=counts[2],
        exits=counts[3],
        assumptions=a,
        seed=seed,
    )


def _loop_path(
    a: PortfolioAssumptions,
    tab: _Tables,
    rng: np.random.Generator,
    invested: FloatArray,
    proceeds: FloatArray,
    nav_change: FloatArray,
) -> tuple[int, int, int, int]:
    """One path of :func:`simulate_portfolio_loop`, booked into its rows; returns the four counts."""
    n, n_stages = a.companies_per_path, tab.graduation.size
    t_in = np.sort(rng.random(n)) * a.investment_quarters
    kind = tab.entry_kind(rng, n)
    # the randomness of every (company, stage), drawn up front; each is read only when the stage is reached
    stages = np.broadcast_to(np.arange(n_stages), (n, n_stages))
    u = rng.random((n, n_stages))
    in_stage = tab.quarters_in_stage(rng, stages)
    to_exit = tab.quarters_to_exit(rng, n)
    multiple = tab.exit_multiples(rng, stages)
    own, post, paid, value = {}, {}, {}, {}
    queue: list[tuple[float, int, int, int]] = []  # (time, company, stage, outcome)
    financed = follow_ons = write_offs = exits = 0

    def enter(c: int, s: int, t: float) -> None:
        """Company ``c`` reaches stage ``s`` at time ``t``: schedule the end of the stage."""
        outcome = _GRADUATE if u[c, s] < tab.graduation[s] else _FAIL if u[c, s] < tab.not_exit[s] else _EXIT
        t_end = t + in_stage[c, s]
        if outcome == _EXIT:
            t_end = max(t_end, t_in[c] + to_exit[c])
        heapq.heappush(queue, (t_end, c, s, outcome))

    spent = 0.0
    for c in range(n):
        k = kind[c]
        if spent + tab.ticket[k] > a.initial_pool:
            break
        spent += tab.ticket[k]
        financed += 1
        own[c], post[c] = tab.ownership[k], tab.ticket[k] / tab.ownership[k]
        paid[c] = value[c] = tab.ticket[k]
        invested[int(t_in[c])] += tab.ticket[k]
        nav_change[int(t_in[c])] += tab.ticket[k]
        enter(c, int(tab.entry_stage[k]), t_in[c])

    reserve = a.reserve
    while queue:
        t, c, s, outcome = heapq.heappop(queue)
        if t >= a.quarters:
            break  # this and every later event fall after the fund's life
        q = int(t)
        if outcome == _GRADUATE:
            d, new_post = tab.dilution[s + 1], post[c] * tab.step_up[s + 1]
            grant = max(min(own[c] * d * new_post, a.max_per_company - paid[c], reserve), 0.0)
            reserve -= grant
            paid[c] += grant
            own[c] = own[c] * (1.0 - d) + grant / new_post
            post[c] = new_post
            invested[q] += grant
            follow_ons += grant > 0
            nav_change[q] += own[c] * new_post - value[c]
            value[c] = own[c] * new_post
            enter(c, s + 1, t)
        else:
            nav_change[q] -= value[c]
            if outcome == _EXIT:
                proceeds[q] += value[c] * multiple[c, s]
                exits += 1
            else:
                write_offs += 1
    return financed, follow_ons, write_offs, exits
