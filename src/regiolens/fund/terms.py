"""The terms of a co-investment fund plan, as Pydantic models read from TOML.

A plan is one dated set of programme terms: ``valid_from`` … ``valid_to`` is the period in which these terms apply
(a call for proposals, a programme guideline, a term sheet). Programme terms change over time (NRW.SeedCap's ticket
range, BAFA INVEST's grant rate; fund_methods.md §6.1, §6.3): when they change, write a new plan file with the new
dates rather than several term sets in one file, so that every projection runs on exactly one set of terms and two
versions are compared by running both. ``first_close`` is the fund's start, period 0 of every projection (the
dates of XIRR).

Layout (``examples/emscher-lippe-seed.toml`` is a complete example)::

    name = "…"
    currency = "EUR"
    valid_from = 2026-01-01             # TOML dates, unquoted
    valid_to = 2027-12-31               # optional: open-ended
    first_close = 2026-07-01
    size = 50_000_000                   # = sum of the commitments of the classes
    investment_period_years = 5
    life_years = 12

    [[classes]]                         # one table per investor class
    name = "Öffentliche Hand"
    kind = "public"                     # public | private | other
    commitment = 25_000_000

    [structure]                         # how LP cash flows are split between the classes
    kind = "pari_passu"                 # | capped_public_return | public_first_loss | buyout_option

    [fees]                              # management fee (optional: defaults below)
    [waterfall]                         # hurdle, carry, catch-up (optional: defaults below)
    [investment]                        # follow-on reserve, maximum per company
    [investment.tickets]                # initial ticket per stage
    seed = 500_000
    [mandate]                           # validated by regiolens.fund.mandate
    [takahashi]                         # Takahashi–Alexander parameters (optional: the VC base set)
    [simulation]                        # Monte-Carlo overrides (optional)

Every default below names its source (fund_methods.md §8, "Recommended defaults"). Errors are
:class:`~regiolens.errors.InputError` naming the file, the line (found by scanning the text: TOML parsers give no
positions; best effort) and the dotted field, with the reason in German and English.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails

from regiolens.clusters.tomlfile import _Locator
from regiolens.errors import InputError

SIMULATION_STAGES = ("seed", "series_a", "series_b", "series_c", "later")
"""The stages of the Monte-Carlo simulation (:data:`regiolens.fund.defaults.STAGES`; ``later`` = Series D on)."""

CENT = 0.005
"""Half a cent: two amounts in euro that differ by less are equal."""


class InvestorKind(StrEnum):
    """Who an investor class is: the public side (city, Land, promotional bank), private investors, or others."""

    public = "public"
    private = "private"
    other = "other"


class Stage(StrEnum):
    """Financing stages of a start-up, in the order a company passes them."""

    pre_seed = "pre_seed"
    seed = "seed"
    series_a = "series_a"
    series_b = "series_b"
    series_c = "series_c"
    growth = "growth"


class _Terms(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, populate_by_name=True)


Rate = Annotated[float, Field(ge=-0.99, le=10.0)]
"""An annual rate as a fraction (0.08 = 8 %)."""
Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A share as a fraction of 1."""


class InvestorClass(_Terms):
    """One class of limited partners with its commitment in euro."""

    name: str = Field(min_length=1)
    """Name shown in results, unique in the plan."""
    kind: InvestorKind
    """public, private or other (others follow the private side in asymmetric structures)."""
    commitment: float = Field(gt=0)
    """Committed capital in euro."""


class PariPassu(_Terms):
    """All classes share every call, distribution and value pro rata to their commitments.

    The default: NRW.SeedCap and the EIF European Angels Fund match 1:1 on equal terms (fund_methods.md §6.1).
    """

    kind: Literal["pari_passu"] = "pari_passu"


class CappedPublicReturn(_Terms):
    """The public return is capped at ``cap_rate``; the private side takes the upside above it.

    Tiers per period (fund_methods.md §6.6 "asymmetric profit share"): 1. capital back to every class pro rata;
    2. the public classes up to ``cap_rate`` on their unreturned capital (compound, ranks ahead of private profit);
    3. the rest: ``public_share_above_cap`` to the public classes, the remainder to the others, each pro rata.
    """

    kind: Literal["capped_public_return"]
    cap_rate: float = Field(ge=0, le=1)
    """Annual return at which the public side is capped (e.g. 0.05). No default: a programme decision."""
    public_share_above_cap: float = Field(default=0.0, ge=0, lt=1)
    """Share of the profit above the cap that still goes to the public side (§6.6: "s < pro rata"; default 0)."""


class PublicFirstLoss(_Terms):
    """The public side absorbs the first losses, up to ``share`` of its commitment or of the fund.

    That part of each public contribution is junior: distributions first return the private capital and the senior
    public capital pro rata, then the junior public capital, then profits pro rata to commitments. (Israel's 2020
    programme protected 40 % of the private commitment as a guarantee, fund_methods.md §6.2; here the protection is a
    junior tranche of the public commitment, the usual "first-loss piece".)
    """

    kind: Literal["public_first_loss"]
    share: float = Field(gt=0, le=1)
    """Size of the first-loss piece as a share of ``basis``. No default: a programme decision."""
    basis: Literal["public_commitment", "fund"] = "public_commitment"
    """What ``share`` refers to: the public commitment or the fund size."""


class BuyoutOption(_Terms):
    """Private investors may buy the public share at its paid-in capital accrued at a low rate (Yozma).

    Price at time t (years since the first public contribution): P = Σ (public contributions − public distributions)
    compounded to t at i, with i = ``early_rate`` while t ≤ ``switch_years`` and ``late_rate`` after (Yozma 2.0 RFP,
    Israel Innovation Authority 2024: 1 % compound p.a. within the first 4 years, 5 % after; fund_methods.md §6.2,
    §6.6 P = C_pub·(1+i)^t). Exercised at the first period end, from ``exercise_from_years`` on, at which the public
    share's value exceeds the price.
    """

    kind: Literal["buyout_option"]
    early_rate: float = Field(default=0.01, ge=0, le=1)
    """Accrual rate if exercised within ``switch_years`` (Yozma 2.0: 1 %)."""
    late_rate: float = Field(default=0.05, ge=0, le=1)
    """Accrual rate if exercised later (Yozma 2.0: 5 %)."""
    switch_years: float = Field(default=4.0, ge=0)
    """Years after the first public contribution at which the rate switches (Yozma 2.0: 4)."""
    exercise_from_years: float = Field(default=0.0, ge=0)
    """Earliest exercise, years after the first close (Yozma 2.0: any time; Yozma I: after 5 years)."""


Structure = Annotated[PariPassu | CappedPublicReturn | PublicFirstLoss | BuyoutOption, Field(discriminator="kind")]
"""How the LP cash flows are split between the investor classes (:mod:`regiolens.fund.classes`)."""


class ManagementFee(_Terms):
    """The management fee: a rate p.a. on a basis, one in the investment period and one after.

    Defaults: 2 % p.a. on commitments in the investment period, then a step-down to 1.5 % on commitments (Psymen
    simulator; the monthly engine switches to invested capital instead; fund_methods.md §5.4, §8).
    """

    basis_investment_period: Literal["commitment", "invested"] = "commitment"
    """Fee basis in the investment period (Psymen: commitment)."""
    rate_investment_period: float = Field(default=0.02, ge=0, le=0.1)
    """Fee rate p.a. in the investment period (Psymen: 2 %)."""
    basis_after: Literal["commitment", "invested"] = "commitment"
    """Fee basis after the investment period (Psymen: commitment; monthly engine: invested capital)."""
    rate_after: float = Field(default=0.015, ge=0, le=0.1)
    """Fee rate p.a. after the investment period (Psymen: 1.5 %)."""


class WaterfallTerms(_Terms):
    """Preferred return, carried interest and catch-up of the European (whole-fund) waterfall.

    Defaults: 8 % compound hurdle, 20 % carry, 100 % catch-up (A7 tiers ROC → pref → catch-up → carry; ILPA
    preference for the whole-fund waterfall; fund_methods.md §5.4, §8).
    """

    hurdle_rate: float = Field(default=0.08, ge=0, le=1)
    """Preferred return p.a. (A3, A6, A7: 8 %)."""
    hurdle_compounding: Literal["compound", "simple"] = "compound"
    """compound: accrues on unreturned capital and unpaid pref (aryashah); simple: on unreturned capital (Psymen)."""
    carry_rate: float = Field(default=0.20, ge=0, lt=1)
    """Carried interest: the GP's share of the profit (20 %)."""
    catch_up: float = Field(default=1.0, ge=0, le=1)
    """GP's share of each euro in the catch-up tier (100 %); 0 = no catch-up. Otherwise it must exceed the carry."""

    @field_validator("catch_up")
    @classmethod
    def _catch_up_above_carry(cls, value: float, info: ValidationInfo) -> float:
        carry = info.data.get("carry_rate")
        if value and carry is not None and value <= carry:
            raise ValueError(
                f"muss 0 (kein Catch-up) oder größer als der Carry {_num(carry, 'de')} sein / "
                f"must be 0 (no catch-up) or greater than the carry {_num(carry, 'en')}"
            )
        return value


class InvestmentPolicy(_Terms):
    """Ticket sizes, follow-on reserve and the limit per company."""

    tickets: dict[Stage, Annotated[float, Field(gt=0)]] = Field(min_length=1)
    """Initial ticket in euro per stage the fund invests in (HTGF 2016 terms: seed up to €600k; §6.3)."""
    follow_on_reserve_ratio: Share = 0.5
    """Share of the investable capital kept for follow-ons (Psymen research note: 40–60 % common; §4.3, §8)."""
    max_per_company: float | None = Field(default=None, gt=0)
    """Most the fund puts into one company over all rounds, in euro (HTGF today: €8m; §6.3); none: no limit."""


class TakahashiParameters(_Terms):
    """Parameters of the Takahashi–Alexander model (:mod:`regiolens.fund.takahashi`).

    Defaults: the published venture-capital base set, G 13 %, L 12, RC 25 % / 33.3 % / 50 %, B 2.5, Y 0
    (Takahashi & Alexander 2002, as quoted by the study guide; used by elizabethsztan/TA_model; fund_methods.md §3.1).
    """

    growth: Rate = 0.13
    """Annual growth of the NAV, G (VC base: 13 %)."""
    bow: float = Field(default=2.5, gt=0, le=50)
    """Bow B of the distribution rate (t/L)^B (VC base: 2.5)."""
    yield_rate: float = Field(default=0.0, alias="yield", ge=0, le=1)
    """Yield Y, the floor of the distribution rate (VC base: 0). TOML key ``yield``."""
    contribution_rates: tuple[Share, ...] = Field(default=(0.25, 1 / 3, 0.5), min_length=1)
    """Rate of contribution RC per year of age, on the uncalled commitment; the last repeats (VC base 25/33.3/50 %)."""
    life_years: int = Field(default=12, ge=1, le=50)
    """Fund life L in years: everything is distributed at L (VC base: 12)."""


class ExitBucket(_Terms):
    """A bucket of exit multiples: ``probability`` of a multiple in ``[low, high]`` (see
    :class:`regiolens.fund.defaults.ExitMultiples` for how a multiple is drawn within it)."""

    probability: Share
    low: float = Field(ge=0)
    high: float = Field(ge=0)


class SimulationSettings(_Terms):
    """Overrides of the Monte-Carlo assumptions (:mod:`regiolens.fund.projection`); every one defaults to a source.

    Defaults: the stage table of :data:`regiolens.fund.defaults.DEFAULT_STAGE_TABLE` (Carta 2018 graduation, Monaco
    split and dilution, Correlation Ventures multiples, aryashah exit timing) or its conservative alternative (Atas
    graduation); new companies spread evenly over the stages the plan has tickets for; ownership bought with a seed
    ticket 15 % (HTGF 2016 terms), at later entry stages the ticket's share of the post-money implied by the HTGF
    seed post-money and Monaco's step-ups; companies per path from the capital and the mean ticket.
    """

    stage_table: Literal["default", "conservative"] = "default"
    """default: Carta 2018 graduation; conservative: Atas graduation (fund_methods.md §4.2, §8)."""
    graduation: dict[str, Share] = Field(default_factory=dict)
    """Probability of raising the next round per stage (seed, series_a, series_b, series_c), overriding the table."""
    entry_shares: dict[Stage, Share] = Field(default_factory=dict)
    """Share of new companies per entry stage (must sum to 1); default: equal over the stages with tickets."""
    ownership: dict[Stage, Annotated[float, Field(gt=0, le=1)]] = Field(default_factory=dict)
    """Equity share bought with the initial ticket per entry stage; default as in the class docstring."""
    companies: int | None = Field(default=None, ge=1, le=10_000)
    """New companies per path; default: initial pool / share-weighted mean ticket."""
    failure_share: dict[str, Share] = Field(default_factory=dict)
    """Share of the companies that do not graduate at a stage and fail (the rest exit); Monaco by default."""
    dilution: dict[str, Annotated[float, Field(ge=0, lt=1)]] = Field(default_factory=dict)
    """Share of the post-money sold in the round opening each stage; Monaco by default."""
    step_up: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    """Post-money of a stage's round ÷ that of the previous stage; Monaco's stage valuations by default."""
    years_in_stage: dict[str, tuple[Annotated[float, Field(gt=0)], Annotated[float, Field(gt=0)]]] = Field(
        default_factory=dict
    )
    """[low, high] years in a stage before the next round or the failure; Atas by default."""
    exit_multiples: tuple[ExitBucket, ...] = ()
    """Buckets of exit multiples (probabilities summing to 1); Correlation Ventures 2004–13 by default."""
    exit_median_years: float | None = Field(default=None, gt=0, le=30)
    """Median years from first investment to exit (lognormal); aryashah's 7 by default."""
    exit_sigma_log: float | None = Field(default=None, ge=0, le=3)
    """σ of the log of the years to exit; aryashah's 0.6 by default."""
    benchmark_return: float | None = Field(default=None, ge=-0.5, le=1.0)
    """Annual return of a public-market index to compare with (KS-PME, Kaplan & Schoar 2005), e.g. 0.07; none: no
    PME. An ex-ante plan has no index history, so the index grows at this constant rate from the first close."""


class FundPlan(_Terms):
    """A co-investment fund plan: one dated set of terms (see the module docstring)."""

    name: str = Field(min_length=1)
    """Name of the fund or plan."""
    currency: Literal["EUR"] = "EUR"
    """Currency of every amount (euro only for now)."""
    valid_from: date
    """First day on which these programme terms apply."""
    valid_to: date | None = None
    """Last day on which these terms apply; none: until replaced."""
    source: str | None = None
    """Where the terms come from (programme guideline, term sheet), for the report."""
    first_close: date
    """Start of the fund: period 0 of every projection and the first date of XIRR."""
    classes: tuple[InvestorClass, ...] = Field(min_length=1)
    """Investor classes with their commitments."""
    size: float = Field(gt=0)
    """Fund size in euro: the sum of the commitments of the classes."""
    structure: Structure = PariPassu()
    """How the LP cash flows are split between the classes (default pari passu, §6.1)."""
    investment_period_years: float = Field(gt=0, le=30)
    """Years from the first close in which new companies are financed."""
    life_years: float = Field(default=12, gt=0, le=30)
    """Fund life in years (TA VC base: 12; allow 10 + 2 extension; §8)."""
    fees: ManagementFee = ManagementFee()
    """Management fee."""
    waterfall: WaterfallTerms = WaterfallTerms()
    """Hurdle, carry and catch-up of the European waterfall."""
    investment: InvestmentPolicy
    """Tickets per stage, follow-on reserve, maximum per company."""
    mandate: dict[str, Any] | None = None
    """Investment mandate (eligible clusters with their taxonomy, region, stages); kept as the TOML table here and
    validated by :class:`regiolens.fund.mandate.Mandate`."""
    takahashi: TakahashiParameters = TakahashiParameters()
    """Takahashi–Alexander parameters of the deterministic projection."""
    simulation: SimulationSettings = SimulationSettings()
    """Overrides of the Monte-Carlo defaults."""

    @field_validator("valid_to")
    @classmethod
    def _valid_to_after_from(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise ValueError(f"liegt vor valid_from {start} / is before valid_from {start}")
        return value

    @field_validator("classes")
    @classmethod
    def _unique_names(cls, value: tuple[InvestorClass, ...]) -> tuple[InvestorClass, ...]:
        names = [c.name for c in value]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"Name doppelt: {', '.join(doubled)} / duplicate name: {', '.join(doubled)}")
        return value

    @field_validator("size")
    @classmethod
    def _size_is_sum(cls, value: float, info: ValidationInfo) -> float:
        classes = info.data.get("classes")
        if classes is not None:
            total = sum(c.commitment for c in classes)
            if abs(total - value) >= CENT:
                raise ValueError(
                    f"muss die Summe der Zusagen sein ({_num(total, 'de')}) / "
                    f"must be the sum of the commitments ({_num(total, 'en')})"
                )
        return value

    @field_validator("structure")
    @classmethod
    def _structure_fits_classes(cls, value: Any, info: ValidationInfo) -> Any:
        classes = info.data.get("classes")
        if classes is None or isinstance(value, PariPassu):
            return value
        kinds = {c.kind for c in classes}
        if InvestorKind.public not in kinds:
            raise ValueError(
                f"{value.kind} braucht eine Klasse der Art 'public' / {value.kind} needs a class of kind 'public'"
            )
        if isinstance(value, BuyoutOption) and InvestorKind.private not in kinds:
            raise ValueError("buyout_option braucht eine Klasse 'private' / buyout_option needs a 'private' class")
        if isinstance(value, PublicFirstLoss):
            public = sum(c.commitment for c in classes if c.kind is InvestorKind.public)
            piece = first_loss_amount(value, classes)
            if piece > public + CENT:
                raise ValueError(
                    f"die Erstverlusttranche ({_num(piece, 'de')}) übersteigt die öffentliche Zusage "
                    f"({_num(public, 'de')}) / the first-loss piece ({_num(piece, 'en')}) exceeds the public "
                    f"commitment ({_num(public, 'en')})"
                )
        return value

    @field_validator("simulation")
    @classmethod
    def _entry_stages_have_tickets(cls, value: SimulationSettings, info: ValidationInfo) -> SimulationSettings:
        investment = info.data.get("investment")
        if investment is None:
            return value
        for name, stages in (("entry_shares", value.entry_shares), ("ownership", value.ownership)):
            missing = sorted(set(stages) - set(investment.tickets))
            if missing:
                raise ValueError(
                    f"{name}: kein Ticket für {', '.join(missing)} in [investment.tickets] / "
                    f"{name}: no ticket for {', '.join(missing)} in [investment.tickets]"
                )
        if value.entry_shares and abs(sum(value.entry_shares.values()) - 1) > 1e-9:
            raise ValueError("entry_shares: Summe muss 1 sein / entry_shares must sum to 1")
        for name, table, allowed in (
            ("graduation", value.graduation, ("seed", "series_a", "series_b", "series_c")),
            ("failure_share", value.failure_share, SIMULATION_STAGES),
            ("dilution", value.dilution, SIMULATION_STAGES),
            ("step_up", value.step_up, SIMULATION_STAGES),
            ("years_in_stage", value.years_in_stage, SIMULATION_STAGES),
        ):
            unknown = sorted(set(table) - set(allowed))
            if unknown:
                raise ValueError(
                    f"{name}: unbekannte Phase {', '.join(unknown)} / {name}: unknown stage {', '.join(unknown)}; "
                    f"{', '.join(allowed)}"
                )
        if value.exit_multiples and abs(sum(b.probability for b in value.exit_multiples) - 1) > 1e-9:
            raise ValueError("exit_multiples: Summe der Wahrscheinlichkeiten muss 1 sein / probabilities must sum to 1")
        return value

    @field_validator("life_years")
    @classmethod
    def _life_after_investment_period(cls, value: float, info: ValidationInfo) -> float:
        period = info.data.get("investment_period_years")
        if period is not None and value < period:
            raise ValueError(
                f"muss mindestens die Investitionsphase ({_num(period, 'de')} Jahre) sein / "
                f"must be at least the investment period ({_num(period, 'en')} years)"
            )
        return value

    def commitments(self, kind: InvestorKind | None = None) -> float:
        """Sum of the commitments of the classes of ``kind`` (all classes if None)."""
        return sum(c.commitment for c in self.classes if kind is None or c.kind is kind)


def first_loss_amount(structure: PublicFirstLoss, classes: Sequence[InvestorClass]) -> float:
    """The first-loss piece in euro: ``share`` × public commitment, or ``share`` × fund size."""
    public = sum(c.commitment for c in classes if c.kind is InvestorKind.public)
    base = public if structure.basis == "public_commitment" else sum(c.commitment for c in classes)
    return structure.share * base


# ---------------------------------------------------------------------------------------------------- loading


def load_plan(path: str | Path) -> FundPlan:
    """Read and check a fund plan TOML file; every problem is an :class:`~regiolens.errors.InputError`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(file, None, None, f"kein UTF-8-Text / not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise InputError(file, None, None, f"nicht lesbar / cannot be read: {exc.strerror}") from None
    return parse_plan(text, file)


def parse_plan(text: str, path: str | Path = "<plan>") -> FundPlan:
    """Parse plan TOML ``text`` (e.g. from the web editor); ``path`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"at line (\d+)", str(exc))
        line = int(m.group(1)) if m else len(text.splitlines())
        raise InputError(path, line, None, f"kein gültiges TOML / not valid TOML: {exc}") from None
    try:
        return FundPlan.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field, keys = _field_path(error["loc"], data)
        raise InputError(path, _line(_Locator(text), keys), field, _reason(error)) from None


def _field_path(loc: tuple[int | str, ...], data: Mapping[str, Any]) -> tuple[str, list[tuple[str, int | None]]]:
    """The dotted field (``classes[1].commitment``) and its keys with list indices, from a Pydantic location.

    Parts of the location that are not keys of the data (the tag of a discriminated union) are dropped.
    """
    keys: list[tuple[str, int | None]] = []
    node: Any = data
    for i, part in enumerate(loc):
        if part == "[key]":  # the error is in the key itself, already named
            continue
        if isinstance(part, int):
            if keys and isinstance(node, list) and part < len(node):
                keys[-1] = (keys[-1][0], part)
                node = node[part]
            continue
        if isinstance(node, Mapping) and part in node:
            keys.append((part, None))
            node = node[part]
        elif i == len(loc) - 1 or not isinstance(node, Mapping):
            keys.append((part, None))  # a missing or unknown key: name it
            node = None
        # else: the tag of a union (e.g. 'buyout_option'), not a key of the file
    field = ".".join(name + ("" if index is None else f"[{index}]") for name, index in keys)
    return field or "(plan)", keys


def _line(locator: _Locator, keys: list[tuple[str, int | None]]) -> int | None:
    """The line of the field: the deepest table header ``[a.b]``/``[[a]]`` on its path, then the key in it."""
    for depth in range(len(keys), 0, -1):
        names = tuple(name for name, _ in keys[:depth])
        table_line = locator.table(*names, index=keys[depth - 1][1] or 0)
        if table_line is not None:
            return locator.key(table_line, keys[depth][0]) if depth < len(keys) else table_line
    return locator.key(None, keys[0][0]) if keys else None


def _num(value: Any, lang: str) -> str:
    """A number in a reason text: decimal comma in German; euro amounts without needless decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value).replace(" or ", " oder ") if lang == "de" else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.10g}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("fehlt", "is required"),
    "extra_forbidden": ("unbekanntes Feld", "unknown field"),
    "greater_than": ("muss > {gt} sein", "must be > {gt}"),
    "greater_than_equal": ("muss ≥ {ge} sein", "must be ≥ {ge}"),
    "less_than": ("muss < {lt} sein", "must be < {lt}"),
    "less_than_equal": ("muss ≤ {le} sein", "must be ≤ {le}"),
    "literal_error": ("muss einer dieser Werte sein: {expected}", "must be one of {expected}"),
    "enum": ("muss einer dieser Werte sein: {expected}", "must be one of {expected}"),
    "union_tag_invalid": (
        "unbekannte Art '{tag}'; erlaubt: {expected_tags}",
        "unknown kind '{tag}'; use {expected_tags}",
    ),
    "union_tag_not_found": ("braucht 'kind'", "needs 'kind'"),
    "too_short": ("braucht mindestens {min_length} Einträge", "needs at least {min_length} entries"),
    "float_type": ("muss eine Zahl sein", "must be a number"),
    "float_parsing": ("muss eine Zahl sein", "must be a number"),
    "int_type": ("muss eine ganze Zahl sein", "must be a whole number"),
    "int_from_float": ("muss eine ganze Zahl sein", "must be a whole number"),
    "int_parsing": ("muss eine ganze Zahl sein", "must be a whole number"),
    "date": ("muss ein TOML-Datum sein (2026-01-01, ohne Anführungszeichen)", "must be a TOML date (2026-01-01)"),
    "string_type": ("muss ein Text sein", "must be text"),
    "string_too_short": ("darf nicht leer sein", "must not be empty"),
    "model_type": ("muss eine Tabelle sein", "must be a table"),
    "dict_type": ("muss eine Tabelle sein", "must be a table"),
    "tuple_type": ("muss eine Liste sein", "must be a list"),
}


def _reason(error: ErrorDetails) -> str:
    """The reason of a validation error in German and English (``deutsch / english``)."""
    ctx = error.get("ctx", {})
    if error["type"] == "value_error":  # our own validators write both languages
        return str(ctx.get("error", error["msg"]))
    if _REASONS.get(_kind(error)) is None:
        return error["msg"]
    return reason(error, "de") + " / " + reason(error, "en")


def _kind(error: ErrorDetails) -> str:
    return "date" if error["type"].startswith("date_") else error["type"]


def reason(error: ErrorDetails, lang: str) -> str:
    """The reason of a Pydantic validation error in ``lang`` ("de" or "en"), for forms and files alike.

    Known error kinds (:data:`_REASONS`) are translated; a validator's own "deutsch / english" text gives its half;
    any other message is Pydantic's (English).
    """
    ctx = error.get("ctx", {})
    message = str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
    if error["type"] == "value_error":
        de, sep, en = message.partition(" / ")
        return (de if lang == "de" else en) if sep else message
    texts = _REASONS.get(_kind(error))
    if texts is None:
        return message
    template = texts[0] if lang == "de" else texts[1]
    return template.format(**{k: _num(v, "de" if lang == "de" else "en") for k, v in ctx.items()})
