"""Online pullers: download a dataset to a file, then parse it with the normal reader.

For users with internet access. Each puller writes one file into ``dest_dir`` (a cache or target
directory) and returns a :class:`PulledFile`; ``PulledFile.read()`` parses it with the same reader
that a manually downloaded file would go through, so a pulled and a downloaded file give the same
observations. Pullers never write to the warehouse.

- :func:`pull_eurostat` — Eurostat dissemination API, JSON-stat 2.0 → reader ``jsonstat``;
- :func:`pull_genesis` — GENESIS-Online webservice 2020 ``data/tablefile`` with ``format=csv``
  (Regionalstatistik by default) → reader ``genesis``;
- :func:`pull_cbp` — Census API ``/data/<year>/cbp``, a JSON array of arrays converted to the extract
  layout ``Fips,Naics,Establishments,Employees,Payroll`` → reader ``cbp``.

Every HTTP failure, a service error reported inside a 200 response, and a missing credential raise
:class:`PullError`, naming the URL (credentials are sent in headers, never in URLs or messages).
``base_url`` is a parameter of every puller so that tests (and mirrors) can point it elsewhere.

Assumptions about the services, checked against their public documentation where possible:

- **Eurostat**: ``GET {base_url}/{dataset}?format=JSON&lang=EN&<dim>=<code>&<dim>=<code>…``; a
  filter value that is a list repeats the parameter. Errors come as JSON ``{"error": …}``.
- **GENESIS** (since July 2025 POST only): ``POST {base_url}/data/tablefile`` with the credentials in
  the ``username``/``password`` headers and the form fields ``name``, ``area=all``, ``compress=false``,
  ``transpose=false``, ``startyear``/``endyear``, optional ``regionalvariable``/``regionalkey``,
  ``format=csv``, ``job=false``, ``language=de``. An API token goes into ``username`` with an empty
  password. The service reports errors (login failed, table too large for a synchronous download) as
  JSON ``{"Status": {"Code": …, "Content": …}}`` with HTTP 200, and may answer with a ZIP archive;
  both are handled. The CSV is stored in ISO-8859-1 (the GENESIS reader's default) when it can be
  encoded so, otherwise as UTF-8 with the reader option ``encoding="utf-8-sig"``.
- **Census CBP**: ``GET {base_url}/{year}/cbp?get=ESTAB,EMP,PAYANN,<NAICS variable>&for=…[&in=…]``
  with the predicates ``EMPSZES=001`` (all size classes) and ``LFO=001`` (all legal forms) so that
  each county and industry comes once (override with ``predicates``). The NAICS variable is
  ``NAICS2007`` up to 2011, ``NAICS2012`` for 2012–2016, ``NAICS2017`` for 2017–2022 and ``NAICS2022``
  from 2023 (override with ``naics_variable``). Null numbers are written as 0, which the CBP reader
  treats as withheld when establishments > 0. The optional API key comes from
  ``REGIOLENS_CENSUS_KEY``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from regiolens.errors import RegiolensError
from regiolens.ingest.base import read_source
from regiolens.ingest.cbp import API_FILE_PREFIX
from regiolens.model import ParsedSource

EUROSTAT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data"
GENESIS_BASE_URL = "https://www.regionalstatistik.de/genesisws/rest/2020"
CENSUS_BASE_URL = "https://api.census.gov/data"
GENESIS_USER_ENV = "REGIOLENS_GENESIS_USER"
GENESIS_PASSWORD_ENV = "REGIOLENS_GENESIS_PASSWORD"
CENSUS_KEY_ENV = "REGIOLENS_CENSUS_KEY"
CBP_PREDICATES: Mapping[str, str] = {"EMPSZES": "001", "LFO": "001"}
"""Default Census CBP predicates: all employment-size classes, all legal forms of organisation."""

DEFAULT_TIMEOUT = 120.0
USER_AGENT = "regiolens (https://github.com/regiolens)"


class PullError(RegiolensError):
    """A download that failed: names the URL (without credentials) and the reason."""

    def __init__(self, url: str, message: str) -> None:
        self.url = url
        self.message = message
        super().__init__(f"{url}: {message}")


@dataclass(frozen=True)
class PulledFile:
    """A downloaded file and how to parse it: ``read()`` runs the named reader with ``options``."""

    path: Path
    source: str
    url: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def read(self) -> ParsedSource:
        """Parse the file with its reader (no warehouse involved)."""
        return read_source(self.path, self.source, **dict(self.options))


def _request(
    method: str,
    url: str,
    *,
    params: Any = None,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float,
    client: httpx.Client | None,
) -> httpx.Response:
    """One HTTP request; network errors and non-2xx answers become :class:`PullError`."""
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})
    try:
        response = http.request(method, url, params=params, data=data, headers=headers)
    except httpx.HTTPError as exc:
        raise PullError(url, f"request failed: {exc}") from None
    finally:
        if own:
            http.close()
    if response.is_error:
        raise PullError(url, f"HTTP {response.status_code} {response.reason_phrase}: {_excerpt(response.content)}")
    return response


def _excerpt(body: bytes, limit: int = 300) -> str:
    """The service's own words: an error label from JSON, or the start of the body."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        doc = json.loads(text)
    except ValueError:
        return re.sub(r"\s+", " ", text)[:limit]
    label = _json_error(doc)
    return label if label else re.sub(r"\s+", " ", text)[:limit]


def _json_error(doc: Any) -> str | None:
    """Error text of a Eurostat (``error``) or GENESIS (``Status``) JSON answer, or ``None``."""
    if not isinstance(doc, Mapping):
        return None
    err = doc.get("error")
    if isinstance(err, list) and err:
        err = err[0]
    if isinstance(err, Mapping):
        return str(err.get("label") or err.get("message") or err)
    if isinstance(err, str):
        return err
    status = doc.get("Status")
    if isinstance(status, Mapping) and status.get("Content"):
        code = status.get("Code")
        return f"{status['Content']}" + (f" (code {code})" if code is not None else "")
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", text).strip("-") or "all"


def _write(path: Path, data: bytes) -> Path:
    """Write atomically: a partly downloaded file never looks complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def pull_eurostat(
    dataset: str,
    dest_dir: str | Path,
    *,
    filters: Mapping[str, str | Sequence[str]] | None = None,
    base_url: str = EUROSTAT_BASE_URL,
    timeout: float = DEFAULT_TIMEOUT,
    client: httpx.Client | None = None,
) -> PulledFile:
    """Download a Eurostat dataset as JSON-stat 2.0 into ``dest_dir``; parse it with ``jsonstat``.

    ``filters`` restrict dimensions, e.g. ``{"geo": ["DE", "FR"], "time": "2018", "unit": "THS"}``
    (the API also knows ``sinceTimePeriod``/``untilTimePeriod``). The file is named
    ``<dataset>_<filters>.json``.
    """
    url = f"{base_url.rstrip('/')}/{dataset}"
    params: list[tuple[str, str]] = [("format", "JSON"), ("lang", "EN")]
    parts: list[str] = []
    for dim, value in sorted((filters or {}).items()):
        values = [value] if isinstance(value, str) else list(value)
        params.extend((dim, str(v)) for v in values)
        parts.append(f"{dim}-{'+'.join(str(v) for v in values)}")
    response = _request("GET", url, params=params, timeout=timeout, client=client)
    try:
        doc = response.json()
    except ValueError:
        raise PullError(url, f"answer is not JSON: {_excerpt(response.content)}") from None
    if not isinstance(doc, Mapping) or doc.get("class") != "dataset":
        raise PullError(url, f"answer is not a JSON-stat dataset: {_json_error(doc) or _excerpt(response.content)}")
    name = f"{_slug(dataset)}_{_slug('_'.join(parts)) if parts else 'all'}.json"
    path = _write(Path(dest_dir) / name, response.content)
    return PulledFile(path=path, source="jsonstat", url=str(response.url), options={"dataset": dataset.lower()})


def _genesis_credentials(url: str, username: str | None, password: str | None) -> tuple[str, str]:
    user = username if username is not None else os.environ.get(GENESIS_USER_ENV)
    secret = password if password is not None else os.environ.get(GENESIS_PASSWORD_ENV, "")
    if not user:
        raise PullError(
            url,
            f"GENESIS needs credentials: set {GENESIS_USER_ENV} (user name or API token) and "
            f"{GENESIS_PASSWORD_ENV} (empty for a token), or pass username/password",
        )
    return user, secret


def pull_genesis(
    table: str,
    years: int | Sequence[int] | None,
    dest_dir: str | Path,
    *,
    regional_variable: str | None = None,
    regional_key: str | Sequence[str] | None = None,
    base_url: str = GENESIS_BASE_URL,
    username: str | None = None,
    password: str | None = None,
    language: str = "de",
    timeout: float = DEFAULT_TIMEOUT,
    client: httpx.Client | None = None,
) -> PulledFile:
    """Download a GENESIS table as CSV (the export layout the ``genesis`` reader reads) into ``dest_dir``.

    ``years`` is one year, a sequence of years (the span from the first to the last is requested)
    or ``None`` (all years). Credentials come from ``username``/``password`` or the environment
    variables ``REGIOLENS_GENESIS_USER``/``REGIOLENS_GENESIS_PASSWORD``. The file is named
    ``<table>_<first>-<last>.csv``.
    """
    url = f"{base_url.rstrip('/')}/data/tablefile"
    user, secret = _genesis_credentials(url, username, password)
    form: dict[str, str] = {
        "name": table,
        "area": "all",
        "compress": "false",
        "transpose": "false",
        "format": "csv",
        "job": "false",
        "language": language,
    }
    span = "all"
    if years is not None:
        ys = [int(years)] if isinstance(years, int) else sorted(int(y) for y in years)
        if not ys:
            raise PullError(url, "no years given")
        form["startyear"], form["endyear"] = str(ys[0]), str(ys[-1])
        span = str(ys[0]) if ys[0] == ys[-1] else f"{ys[0]}-{ys[-1]}"
    if regional_variable is not None:
        form["regionalvariable"] = regional_variable
    if regional_key is not None:
        form["regionalkey"] = regional_key if isinstance(regional_key, str) else ",".join(regional_key)
    headers = {"username": user, "password": secret, "Content-Type": "application/x-www-form-urlencoded"}
    response = _request("POST", url, data=form, headers=headers, timeout=timeout, client=client)
    body = response.content
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
                body = archive.read(members[0])
        except (zipfile.BadZipFile, IndexError):
            raise PullError(url, "answer is a damaged or empty ZIP archive") from None
    stripped = body.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped.startswith(b"{"):
        try:
            doc = json.loads(stripped)
        except ValueError:
            doc = None
        raise PullError(
            url, f"GENESIS answered with a status instead of the table: {_json_error(doc) or _excerpt(body)}"
        )
    if not stripped.startswith(b"GENESIS-Tabelle:"):
        raise PullError(url, f"answer is not a GENESIS CSV table: {_excerpt(body, 120)}")
    text = _decode(body, response.charset_encoding)
    try:
        data, options = text.encode("iso-8859-1"), {}
    except UnicodeEncodeError:
        data, options = text.encode("utf-8"), {"encoding": "utf-8-sig"}
    path = _write(Path(dest_dir) / f"{_slug(table)}_{span}.csv", data)
    return PulledFile(path=path, source="genesis", url=url, options=options)


def _decode(body: bytes, charset: str | None) -> str:
    """Text of a GENESIS answer: the declared charset, else UTF-8 if it decodes, else ISO-8859-1."""
    body = body.removeprefix(b"\xef\xbb\xbf")
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("iso-8859-1")


def cbp_naics_variable(year: int) -> str:
    """Name of the NAICS variable of the Census CBP API for a year (see the module docstring)."""
    if year <= 2011:
        return "NAICS2007"
    if year <= 2016:
        return "NAICS2012"
    if year <= 2022:
        return "NAICS2017"
    return "NAICS2022"


def pull_cbp(
    year: int,
    geography: str,
    dest_dir: str | Path,
    *,
    base_url: str = CENSUS_BASE_URL,
    key: str | None = None,
    naics_variable: str | None = None,
    predicates: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    client: httpx.Client | None = None,
) -> PulledFile:
    """Download County Business Patterns from the Census API and store them as a CBP extract CSV.

    ``geography``: ``"us"`` for all states, a two-digit state FIPS (``"26"``) for the counties of
    that state, or ``"us:county"`` for all counties. The file is named
    ``cbp-api-<geography>-<year>.csv`` and is read by the ``cbp`` reader (year from the name; the
    classification from the NAICS variable requested, e.g. ``naics2017``).
    The API key comes from ``key`` or ``REGIOLENS_CENSUS_KEY`` and is optional.
    """
    year = int(year)
    url = f"{base_url.rstrip('/')}/{year}/cbp"
    naics = naics_variable or cbp_naics_variable(year)
    params: dict[str, str] = {"get": f"ESTAB,EMP,PAYANN,{naics}"}
    if geography == "us":
        params["for"], scope = "state:*", "us"
    elif geography == "us:county":
        params["for"], scope = "county:*", "us-counties"
    elif re.fullmatch(r"\d{2}", geography):
        params["for"], params["in"], scope = "county:*", f"state:{geography}", geography
    else:
        raise PullError(url, f"geography must be 'us', 'us:county' or a two-digit state FIPS, not {geography!r}")
    params.update(CBP_PREDICATES if predicates is None else predicates)
    api_key = key if key is not None else os.environ.get(CENSUS_KEY_ENV)
    if api_key:
        params["key"] = api_key
    response = _request("GET", url, params=params, timeout=timeout, client=client)
    if response.status_code == 204 or not response.content.strip():
        raise PullError(url, "the Census API has no data for this request (HTTP 204)")
    try:
        rows = response.json()
    except ValueError:
        raise PullError(url, f"answer is not JSON (invalid key?): {_excerpt(response.content)}") from None
    csv_text = census_to_cbp_csv(rows, naics, url)
    path = _write(Path(dest_dir) / f"{API_FILE_PREFIX}{scope}-{year}.csv", csv_text.encode("utf-8"))
    options: dict[str, Any] = {"year": year}
    if re.fullmatch(r"NAICS\d{4}", naics):  # the codes are in the version the API names
        options["classification"] = naics.lower()
    return PulledFile(path=path, source="cbp", url=url, options=options)


def census_to_cbp_csv(rows: Any, naics_variable: str, url: str = CENSUS_BASE_URL) -> str:
    """Convert a Census API answer (header row, then rows of strings) to ``Fips,Naics,Establishments,…``."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
        raise PullError(url, "answer is not a JSON array of arrays")
    header = [str(h) for h in rows[0]]
    need = ["ESTAB", "EMP", "PAYANN", naics_variable, "state"]
    missing = [h for h in need if h not in header]
    if missing:
        raise PullError(url, f"answer lacks the columns {', '.join(missing)}; header: {', '.join(header)}")
    col = {h: header.index(h) for h in header}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Fips", "Naics", "Establishments", "Employees", "Payroll"])
    seen: set[tuple[str, str]] = set()
    for row in rows[1:]:
        fips = str(row[col["state"]]) + (str(row[col["county"]]) if "county" in col else "")
        naics = str(row[col[naics_variable]])
        if (fips, naics) in seen:
            raise PullError(
                url,
                f"several rows for FIPS {fips} and NAICS {naics}: restrict the request (e.g. EMPSZES=001, LFO=001)",
            )
        seen.add((fips, naics))
        numbers = ["0" if row[col[h]] in (None, "") else str(row[col[h]]) for h in ("ESTAB", "EMP", "PAYANN")]
        writer.writerow([fips, naics, *numbers])
    return out.getvalue()
