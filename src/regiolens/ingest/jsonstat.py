"""Eurostat JSON-stat 2.0 datasets (e.g. ``nama_10r_3empers``), as the Eurostat dissemination API serves them.

Layout of such a document::

    {"version": "2.0", "class": "dataset", "label": "...", "updated": "2026-07-31T23:00:00+0200",
     "id": ["freq", "unit", "wstatus", "nace_r2", "geo", "time"], "size": [1, 1, 1, 15, 1630, 1],
     "dimension": {"geo": {"category": {"index": {"EU27_2020": 0, "BE": 1, ...},
                                        "label": {"BE": "Belgium", ...}}}, ...},
     "value": {"2850": 156.3, ...},          ← flattened position → number (or a list of N numbers/null)
     "status": {"3194": "|C", ...},          ← flattened position → flag string (or a list, or one string)
     "extension": {"id": "NAMA_10R_3EMPERS", ...}}

The flattened position of a cell is row-major over ``id`` (the last dimension varies fastest).

Decisions, each visible in the data or the notes of the import:

- **Record number.** JSON has no useful lines; the ``line`` column (and every error) carries the
  1-based flattened position of the cell, i.e. ``position + 1``.
- **Regions.** ``geo`` codes matching the NUTS pattern (two letters plus up to three letters or digits)
  get the level ``nuts0`` … ``nuts3`` by code length (2 → nuts0, …, 5 → nuts3); Extra-Regio codes
  (``DEZ``, ``DEZZ``, ``DEZZZ``) are NUTS codes too. Aggregates that are not regions — ``EU27_2020``,
  ``EA20``, ``EEA``, ``EFTA`` and any code with ``_`` — are skipped and counted in the notes (the model
  has no EU level). A ``regions`` frame carries the Eurostat label as name, the parent NUTS code
  (code minus its last character) and the kind ("country", "NUTS 1/2/3", "Extra-Regio").
- **Industries.** ``nace_r2`` codes are kept exactly as Eurostat writes them (``B-E``, ``M_N``, ``TOTAL``)
  under the classification ``nace2-eurostat-groups``. The groups nest (TOTAL, A, B-E ⊃ C, F,
  G-J ⊃ G-I + J, K-N ⊃ K + L + M_N, O-U ⊃ O-Q + R-U): only a non-overlapping set may enter shares.
  A dataset without ``nace_r2`` gets the industry ``TOTAL``.
- **Measure.** Named from the unit and the employment-status dimensions so that the unit stays
  explicit; values stay as published (thousands stay thousands):

  ============== ============ ===================================================
  unit           wstatus      measure
  ============== ============ ===================================================
  THS, THS_PER   EMP          ``employment_thousand_persons``
  THS, THS_PER   SAL          ``employees_thousand_persons``
  THS, THS_PER   SELF         ``self_employed_thousand_persons``
  THS_HW         EMP          ``hours_worked_thousand_hours``
  THS_HW         SAL          ``employee_hours_worked_thousand_hours``
  ============== ============ ===================================================

  Any other combination of the non-geo, non-time, non-industry dimensions becomes
  ``<dataset>_<code>_<code>…`` in lower case (e.g. ``nama_10r_3gva_mio_eur``) and is named in the notes;
  the ``measure`` option overrides the name when the file holds one combination only.
- **Flags.** A status string may hold several letters and the SDMX form ``<obs status>|<confidentiality>``
  (this file writes ``"|C"``). Letters, case-insensitive: ``c`` (or a confidentiality part ``C``, ``D``,
  ``N``, ``S``) → suppressed, no value; ``:``, ``z``, ``n`` → unavailable, no value; ``p`` → provisional;
  ``e``, ``s`` → estimated; ``b`` (break in series), ``d`` (definition differs), ``u`` (low reliability)
  and others → flag none, counted by letter in the notes. The strongest flag wins
  (suppressed > unavailable > provisional > estimated). A cell with a status but no number gets
  ``unavailable`` unless its status says more. A cell with neither number nor status is absent from the
  cube and is not emitted (counted in the notes).
- **Time.** Only annual data (``freq`` ``A``, four-digit ``time`` codes) are read; anything else is an
  :class:`~regiolens.errors.InputError` naming the dimension.
- **Provenance.** ``dataset_key`` ``eurostat:<dataset>:<first year>[-<last year>]:<selection>`` with the
  dataset id from ``extension.id`` (or the ``dataset`` option) and ``<selection>`` a short hash of the
  category codes of every other dimension, so that a filtered pull (some regions only) never replaces
  the full dataset, while a corrected release of the same selection does. Vintage from ``updated``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from regiolens.errors import InputError
from regiolens.ingest.base import Reader, register
from regiolens.ingest.files import sha256_of
from regiolens.model import (
    OBSERVATION_COLUMNS,
    REGION_COLUMNS,
    TOTAL_INDUSTRY,
    Flag,
    ParsedSource,
    RegionLevel,
    SourceInfo,
)

PUBLISHER = "Eurostat"
LICENCE = "CC BY 4.0 (Eurostat reuse policy)"
ATTRIBUTION = "Source: Eurostat"
CLASSIFICATION = "nace2-eurostat-groups"
"""Classification name of Eurostat's NACE Rev. 2 groups as ``nace_r2`` codes them."""

MEASURES: Mapping[tuple[str, str], str] = {
    ("THS", "EMP"): "employment_thousand_persons",
    ("THS_PER", "EMP"): "employment_thousand_persons",
    ("THS", "SAL"): "employees_thousand_persons",
    ("THS_PER", "SAL"): "employees_thousand_persons",
    ("THS", "SELF"): "self_employed_thousand_persons",
    ("THS_PER", "SELF"): "self_employed_thousand_persons",
    ("THS_HW", "EMP"): "hours_worked_thousand_hours",
    ("THS_HW", "SAL"): "employee_hours_worked_thousand_hours",
}
"""Measure name per ``(unit, wstatus)``: the unit stays in the name, values stay as published."""

_NUTS = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
_AGGREGATE_PREFIXES = ("EU", "EA", "EEA", "EFTA")
_NUTS_LEVELS = {2: RegionLevel.NUTS0, 3: RegionLevel.NUTS1, 4: RegionLevel.NUTS2, 5: RegionLevel.NUTS3}
_STRUCTURAL = ("geo", "time", "nace_r2", "freq")

# flag strength: the strongest flag of a status string wins
_RANK = {Flag.NONE: 0, Flag.ESTIMATED: 1, Flag.PROVISIONAL: 2, Flag.UNAVAILABLE: 3, Flag.SUPPRESSED: 4}
_LETTER_FLAGS = {
    "c": Flag.SUPPRESSED,
    ":": Flag.UNAVAILABLE,
    "z": Flag.UNAVAILABLE,
    "n": Flag.UNAVAILABLE,
    "p": Flag.PROVISIONAL,
    "e": Flag.ESTIMATED,
    "s": Flag.ESTIMATED,
}
_CONFIDENTIAL = set("CDNS")
_LETTER_NOTES = {"b": "break in series", "d": "definition differs", "u": "low reliability"}


def nuts_level(code: str) -> RegionLevel | None:
    """NUTS level of a Eurostat ``geo`` code, or ``None`` for aggregates and other non-NUTS codes."""
    if "_" in code or code.startswith(_AGGREGATE_PREFIXES) or not _NUTS.match(code):
        return None
    return _NUTS_LEVELS.get(len(code))


def parse_status(status: str) -> tuple[Flag, tuple[str, ...]]:
    """Flag of one Eurostat status string and the letters that only go into the notes.

    >>> parse_status("|C")
    (<Flag.SUPPRESSED: 'suppressed'>, ())
    >>> parse_status("bp")
    (<Flag.PROVISIONAL: 'provisional'>, ('b',))
    """
    obs, _, conf = status.partition("|")
    flag = Flag.NONE
    noted: list[str] = []
    for ch in conf.strip():
        if ch.upper() in _CONFIDENTIAL:
            flag = Flag.SUPPRESSED
    for ch in obs.strip().lower():
        if ch in _LETTER_FLAGS:
            if _RANK[_LETTER_FLAGS[ch]] > _RANK[flag]:
                flag = _LETTER_FLAGS[ch]
        elif not ch.isspace():
            noted.append(ch)
    return flag, tuple(noted)


def sniff(path: Path, head: bytes) -> bool:
    """A JSON-stat 2.0 dataset: ``"class": "dataset"`` and ``"version": "2.0"`` in the first bytes,
    or a ``.json`` file whose first bytes name ``"dimension"`` and ``"id"``."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    if re.search(rb'"class"\s*:\s*"dataset"', text) and re.search(rb'"version"\s*:\s*"2\.0"', text):
        return True
    return path.suffix.lower() == ".json" and b'"dimension"' in text and b'"id"' in text


def _categories(path: Path, name: str, dim: Any, size: int) -> tuple[list[str], dict[str, str]]:
    """Category codes of one dimension, ordered by index, and their labels."""
    if not isinstance(dim, Mapping) or not isinstance(dim.get("category"), Mapping):
        raise InputError(path, None, f"dimension.{name}", "dimension without 'category'")
    cat = dim["category"]
    labels = cat.get("label") or {}
    index = cat.get("index")
    if index is None:
        codes = list(labels)
    elif isinstance(index, Mapping):
        codes = [""] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index):
                raise InputError(path, None, f"dimension.{name}", f"category {code!r} has a bad index {pos!r}")
            codes[pos] = code
    elif isinstance(index, Sequence):
        codes = [str(c) for c in index]
    else:
        raise InputError(path, None, f"dimension.{name}", "category index is neither an object nor an array")
    if len(codes) != size:
        raise InputError(path, None, f"dimension.{name}", f"{len(codes)} categories where 'size' declares {size}")
    return codes, {str(k): str(v) for k, v in labels.items()}


def _positions(path: Path, field: str, raw: Any, n: int) -> tuple[np.ndarray, list[Any]]:
    """Flattened positions and entries of a JSON-stat ``value`` or ``status`` (object, array or scalar)."""
    if raw is None:
        return np.empty(0, dtype=np.int64), []
    if isinstance(raw, Mapping):
        try:
            pos = np.fromiter((int(k) for k in raw), dtype=np.int64, count=len(raw))
        except ValueError:
            raise InputError(path, None, field, "keys must be flattened positions (integers)") from None
        entries = list(raw.values())
    elif isinstance(raw, list):
        if len(raw) != n:
            raise InputError(path, None, field, f"{len(raw)} entries where the dimensions give {n} cells")
        pos = np.arange(n, dtype=np.int64)
        entries = raw
    elif isinstance(raw, str) and field == "status":
        return np.arange(n, dtype=np.int64), [raw] * n
    else:
        raise InputError(path, None, field, "must be an object or an array")
    bad = (pos < 0) | (pos >= n)
    if bad.any():
        raise InputError(path, None, field, f"position {int(pos[bad][0])} outside the cube of {n} cells")
    return pos, entries


def read(path: Path, dataset: str | None = None, measure: str | None = None) -> ParsedSource:
    """Parse a Eurostat JSON-stat 2.0 dataset into canonical observations (see the module docstring).

    Options: ``dataset`` (dataset id when the file has no ``extension.id``), ``measure`` (measure name
    overriding the unit/wstatus mapping, allowed when the file holds one measure combination).
    """
    try:
        doc = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, None, f"not valid JSON: {exc.msg}") from None
    except UnicodeDecodeError:
        raise InputError(path, None, None, "not UTF-8 JSON text") from None
    if not isinstance(doc, Mapping):
        raise InputError(path, 1, None, "not a JSON-stat dataset: top level is not an object")
    if doc.get("class") != "dataset" or str(doc.get("version")) != "2.0":
        raise InputError(path, None, "class", "not a JSON-stat 2.0 dataset ('class': 'dataset', 'version': '2.0')")
    ids, sizes, dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise InputError(path, None, "id", "'id' and 'size' must be arrays of the same length")
    if not isinstance(dims, Mapping):
        raise InputError(path, None, "dimension", "missing 'dimension' object")
    for required in ("geo", "time"):
        if required not in ids:
            raise InputError(path, None, f"dimension.{required}", f"dataset has no {required!r} dimension")
    codes: dict[str, list[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for name, size in zip(ids, sizes, strict=True):
        if name not in dims:
            raise InputError(path, None, f"dimension.{name}", "dimension listed in 'id' but not described")
        codes[name], labels[name] = _categories(path, name, dims[name], int(size))
    if "freq" in codes and codes["freq"] != ["A"]:
        raise InputError(path, None, "dimension.freq", f"only annual data are supported, not {codes['freq']}")
    bad_time = [t for t in codes["time"] if not re.fullmatch(r"\d{4}", t)]
    if bad_time:
        raise InputError(path, None, "dimension.time", f"time {bad_time[0]!r} is not a year: annual data only")

    raw_extension = doc.get("extension")
    extension: Mapping[str, Any] = raw_extension if isinstance(raw_extension, Mapping) else {}
    dataset_id = (dataset or str(extension.get("id") or "")).lower()
    if not dataset_id:
        raise InputError(path, None, "extension.id", "file names no dataset id; give it with the 'dataset' option")

    n = int(np.prod([int(s) for s in sizes], dtype=np.int64))
    v_pos, v_entries = _positions(path, "value", doc.get("value"), n)
    s_pos, s_entries = _positions(path, "status", doc.get("status"), n)
    bad = next((i for i, x in enumerate(v_entries) if x is not None and not _is_number(x)), None)
    if bad is not None:
        raise InputError(path, int(v_pos[bad]) + 1, "value", f"not a number: {v_entries[bad]!r}")
    v_arr = np.array([np.nan if x is None else float(x) for x in v_entries], dtype="float64")
    keep = ~np.isnan(v_arr) if isinstance(doc.get("value"), list) else np.ones(len(v_arr), dtype=bool)
    values = pd.Series(v_arr[keep], index=v_pos[keep])
    status = pd.Series([str(s) if s is not None else "" for s in s_entries], index=s_pos, dtype=object)
    status = status[status != ""]
    cells = np.union1d(values.index.to_numpy(), status.index.to_numpy())
    absent = n - len(cells)

    value = values.reindex(cells).to_numpy(dtype="float64", copy=True)
    stat = status.reindex(cells).fillna("").to_numpy(dtype=object)
    parsed = {s: parse_status(s) for s in set(stat)}
    flags = np.array([parsed[s][0].value for s in stat], dtype=object)
    noted: Counter[str] = Counter()
    for s, count in Counter(stat).items():
        for letter in parsed[s][1]:
            noted[letter] += count
    no_value = np.isnan(value) & (flags == Flag.NONE.value)
    flags[no_value] = Flag.UNAVAILABLE.value
    flags[np.isin(flags, [Flag.PROVISIONAL.value, Flag.ESTIMATED.value]) & np.isnan(value)] = Flag.UNAVAILABLE.value
    value[np.isin(flags, [Flag.SUPPRESSED.value, Flag.UNAVAILABLE.value])] = np.nan

    idx = np.unravel_index(cells, [int(s) for s in sizes])
    at = dict(zip(ids, idx, strict=True))
    geo = np.asarray(codes["geo"], dtype=object)[at["geo"]]
    level_of = {g: nuts_level(g) for g in codes["geo"]}
    skipped = sorted(g for g, lvl in level_of.items() if lvl is None)
    level = np.array([lvl.value if (lvl := level_of[g]) is not None else "" for g in geo], dtype=object)
    industry = (
        np.asarray(codes["nace_r2"], dtype=object)[at["nace_r2"]]
        if "nace_r2" in at
        else np.full(len(cells), TOTAL_INDUSTRY, dtype=object)
    )

    measure_dims = [d for d in ids if d not in _STRUCTURAL]
    combos = np.zeros(len(cells), dtype=np.int64)
    for d in measure_dims:
        combos = combos * len(codes[d]) + at[d]
    unique_combos = np.unique(combos)
    if measure is not None and len(unique_combos) > 1:
        raise InputError(
            path, None, "measure", f"file holds {len(unique_combos)} measure combinations: cannot name one"
        )
    names: dict[int, str] = {}
    unmapped: list[str] = []
    for combo in unique_combos:
        rest, chosen = int(combo), {}
        for d in reversed(measure_dims):
            rest, k = divmod(rest, len(codes[d]))
            chosen[d] = codes[d][k]
        key = (chosen.get("unit", ""), chosen.get("wstatus", ""))
        if measure is not None:
            names[int(combo)] = measure
        elif key in MEASURES and set(chosen) <= {"unit", "wstatus"}:
            names[int(combo)] = MEASURES[key]
        else:
            parts = [dataset_id] + [chosen[d].lower() for d in measure_dims]
            names[int(combo)] = re.sub(r"[^a-z0-9]+", "_", "_".join(parts)).strip("_")
            unmapped.append(f"{names[int(combo)]} ({', '.join(f'{d}={chosen[d]}' for d in measure_dims)})")
    measures = pd.Series(combos).map(names).to_numpy(dtype=object)

    frame = pd.DataFrame(
        {
            "region_code": geo,
            "region_level": level,
            "industry_code": industry,
            "classification": CLASSIFICATION,
            "year": np.asarray([int(t) for t in codes["time"]], dtype=np.int64)[at["time"]],
            "measure": measures,
            "value": value,
            "flag": flags,
            "line": cells + 1,
        }
    )
    frame = frame[frame["region_level"] != ""].reset_index(drop=True)
    for col in ("region_code", "region_level", "industry_code", "classification", "measure", "flag"):
        frame[col] = frame[col].astype(str)
    frame = frame[[*OBSERVATION_COLUMNS, "line"]]

    geo_labels = labels["geo"]
    regions = pd.DataFrame(
        [
            (lvl.value, g, geo_labels.get(g, g), g[:-1] if len(g) > 2 else None, g, _kind(g, lvl))
            for g in codes["geo"]
            if (lvl := level_of[g]) is not None
        ],
        columns=list(REGION_COLUMNS),
    )

    notes: list[str] = []
    if skipped:
        notes.append(f"{len(skipped)} geo codes that are not NUTS regions skipped: {', '.join(skipped)}")
    if absent:
        notes.append(f"{absent} cells of the cube without value or status (not in the dataset) not emitted")
    for letter, count in sorted(noted.items()):
        meaning = _LETTER_NOTES.get(letter, "status letter without a regiolens flag")
        notes.append(f"{count} cells with status {letter!r} ({meaning}) kept with flag 'none'")
    if unmapped:
        notes.append("measures named from the dimension codes: " + "; ".join(unmapped))
    years = sorted(set(codes["time"]))
    period = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    selection = hashlib.sha256(
        json.dumps({d: sorted(codes[d]) for d in ids if d != "time"}, sort_keys=True).encode()
    ).hexdigest()[:12]
    info = SourceInfo(
        dataset_key=f"eurostat:{dataset_id}:{period}:{selection}",
        file_name=path.name,
        sha256=sha256_of(path),
        format="jsonstat",
        publisher=PUBLISHER,
        licence=LICENCE,
        attribution=ATTRIBUTION,
        vintage=str(doc["updated"]) if doc.get("updated") else None,
        notes=tuple(notes),
    )
    return ParsedSource(info=info, observations=frame, regions=regions)


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _kind(code: str, level: RegionLevel) -> str:
    if len(code) > 2 and set(code[2:]) == {"Z"}:
        return "Extra-Regio"
    if level is RegionLevel.NUTS0:
        return "country"
    return f"NUTS {len(code) - 2}"


register(Reader("jsonstat", "Eurostat JSON-stat 2.0 dataset", sniff, read))
