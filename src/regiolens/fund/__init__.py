"""Co-investment fund planner: terms, projections, Monte Carlo, waterfall, deal pipeline and mandate.

Modules:

- :mod:`~regiolens.fund.terms` — the fund plan (Pydantic models) and its TOML loader :func:`load_plan`.
- :mod:`~regiolens.fund.takahashi` — the Takahashi–Alexander cash-flow model and its calibration.
- :mod:`~regiolens.fund.waterfall` — European (whole-fund) waterfall with hurdle, catch-up and carry; management fees.
- :mod:`~regiolens.fund.classes` — split of the LP cash flows between investor classes (pari passu, capped public
  return, public first loss, buy-out option) and the leverage of public money.
- :mod:`~regiolens.fund.performance` — IRR/XIRR, TVPI, DPI, RVPI, J-curve, PME and their percentiles over paths.
- :mod:`~regiolens.fund.simulation` — Monte-Carlo portfolio simulation, vectorised over paths.
- :mod:`~regiolens.fund.defaults` — published outcome distributions and graduation rates, each with its source.
- :mod:`~regiolens.fund.mandate` — the investment mandate (clusters, region, stages) and the deal check.
- :mod:`~regiolens.fund.pipeline` — deals through screening, due diligence, committee and investment.

The numbers follow ``shared/reference/fund_methods.md``; every default names its source where it is defined.
"""
