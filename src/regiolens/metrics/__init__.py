"""Regional-science metrics as pure, vectorised numpy functions: arrays in, arrays out.

Conventions shared by every function here (read them once; docstrings only state deviations):

- **Shape.** Employment (or any size measure) is an array ``x`` of shape ``(..., R, I)``: regions on the
  second-to-last axis, industries on the last; any leading axes (years, scenarios) are broadcast, so
  that a whole panel ``(T, R, I)`` is computed at once — never loop over regions or years.
- **Unknown cells.** ``NaN`` marks a cell without a value (suppressed, unavailable). A metric of a cell
  is ``NaN`` when it needs that cell; totals are taken with ``nansum`` unless given explicitly. Passing
  the published totals explicitly is better than summing rows with gaps: every function that needs a
  region total takes ``region_totals`` (shape ``(..., R)``), and every function that compares with a
  reference area takes ``reference`` (industry totals of the reference area, shape ``(..., I)``) and
  ``reference_total`` (shape ``(...)``). Defaults: region totals = row sums, reference = column sums
  over the regions given (i.e. the regions are the whole economy).
- **Reference area.** For a custom group (e.g. Emscher-Lippe) pass the national reference explicitly:
  the group is a row of ``x`` aggregated beforehand, and the reference stays Germany.
- **Division by zero.** ``0/0`` and ``x/0`` give ``NaN`` (never ``inf``, never a silent 0), without
  numpy warnings; each docstring says where a zero is meaningful instead.
- **No rounding.** Results are full float64; rounding is for display only.
- **Docstrings** give the formula, the reference (author, year) and the conventions of the
  reference implementations where ours differ (see ``shared/reference/econ_methods.md``).
"""
