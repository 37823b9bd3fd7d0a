"""German and English: number formats with the true minus, dates, and the message catalogue (errors, notes, reasons)."""

from __future__ import annotations

import re
import string
from datetime import date
from pathlib import Path

import pytest

from regiolens.errors import InputError, InvalidParameter, RegiolensError
from regiolens.i18n import MINUS, format_number, format_share, messages
from regiolens.ingest import read_source
from regiolens.reports.text import vintage_text, vintages
from tests.conftest import SHARED_DATA


def test_negative_numbers_have_the_true_minus() -> None:
    assert format_number(-1.234, 1, "de_DE") == f"{MINUS}1,2"
    assert format_number(-32870, locale="de_DE") == f"{MINUS}32.870"
    assert format_share(-0.045, 1, "de_DE") == f"{MINUS}4,5 %"
    assert format_number(-3, locale="en_GB") == f"{MINUS}3"
    assert "-" not in format_number(-0.5, 2, "de_DE")


@pytest.mark.parametrize(
    ("vintage", "de", "en"),
    [
        ("17.08.2021 / 20:24:09", "17.08.2021", "17 Aug 2021"),  # GENESIS export
        ("2018-12-31", "31.12.2018", "31 Dec 2018"),
        ("2026-07-31T23:00:00+0200", "31.07.2026", "31 Jul 2026"),  # Eurostat update time
        ("Stichtag 30.06.2023", "Stichtag 30.06.2023", "Stichtag 30.06.2023"),  # no day to read: as written
    ],
)
def test_vintages_are_dates_in_the_language(vintage: str, de: str, en: str) -> None:
    assert vintage_text(vintage, "de") == de and vintage_text(vintage, "en") == en


def test_vintages_of_several_sources_are_distinct_days() -> None:
    class Source:
        def __init__(self, vintage: str) -> None:
            self.vintage = vintage

    sources = [Source("17.08.2021 / 20:24:09"), Source("17.08.2021 / 20:25:48"), Source("2021-01-01")]
    assert vintages(sources, "de") == "17.08.2021; 01.01.2021"  # type: ignore[arg-type]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("kind", list(messages.KINDS))
def test_every_kind_has_the_same_placeholders_in_both_languages(kind: str) -> None:
    entry = messages.KINDS[kind]
    assert _fields(entry.de) == _fields(entry.en), kind
    params = {name: "x" for name in _fields(entry.en)}
    assert messages.render(kind, "de", **params) and messages.render(kind, "en", **params)
    if entry.pattern:  # what the library writes (the English template) is recognised as this kind again
        sample = {name: "'x'" if f"{{{name}}}" in entry.en else "x" for name in _fields(entry.en)}
        found = messages.recognise(messages.render(kind, "en", **_sample(entry.pattern, sample)))
        assert found is not None and found[0] == kind, (kind, found)


def _sample(pattern: str, params: dict[str, str]) -> dict[str, str]:
    """Values a pattern's groups accept: digits where the group wants digits, quoted text where it wants quotes."""
    out = {}
    for name in params:
        group = re.search(rf"\(\?P<{name}>([^)]*)\)", pattern)
        body = group.group(1) if group else ""
        out[name] = "7" if "\\d" in body else "'x'" if "'" in body else "x"
    return out


BROKEN_FILES = [
    ("leer_2018.csv", b"", "landkreise-deutschland", "no_header"),
    ("landkreise_2018.csv", b"ags,name\n05562,Recklinghausen\n", "landkreise-deutschland", "missing_column"),
    ("kaputt.json", b'{"class": "dataset",', "jsonstat", "not_valid_json"),
    ("unbekannt.bin", b"\x00\x01\x02 nothing known", None, "format_not_recognised"),
    ("fehlt.csv", None, None, "no_such_file"),
    ("landkreise.csv", b"ags,name\n", "landkreise-deutschland", "no_year_in_name"),
]


@pytest.mark.parametrize(("name", "content", "source", "kind"), BROKEN_FILES, ids=[f[3] for f in BROKEN_FILES])
def test_the_readers_messages_are_recognised(
    tmp_path: Path, name: str, content: bytes | None, source: str | None, kind: str
) -> None:
    """The patterns follow what the readers really write (a changed wording fails here, not on a page)."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_source(path, source)
    error = caught.value
    assert error.kind == kind, error.message
    german = error.localised_message("de")
    assert german != error.message and not re.search(r"\b(the|not|no|missing|file)\b", german), german


def test_a_truncated_genesis_export_in_german(tmp_path: Path) -> None:
    files = sorted((SHARED_DATA / "de" / "regionalstatistik_13111-07-05-4").glob("13111-07-05-4_*.csv"))
    if not files:
        pytest.skip("official data not found")
    content = files[0].read_bytes()
    path = tmp_path / "export.csv"
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(InputError) as caught:
        read_source(path)
    error = caught.value
    assert error.kind == "missing_fields_truncated"
    assert re.fullmatch(
        r"Datei „abgeschnitten\.csv“, Zeile \d+, Feld „Wirtschaftszweig“: Spalte fehlt: \d von 9 Feldern; "
        r"die Datei endet in dieser Zeile – abgeschnitten\?",
        error.localised("de", "abgeschnitten.csv"),
    )
    assert error.localised("en", "x.csv").startswith("File 'x.csv', line ")
    assert str(error).startswith(str(path))  # the CLI's message is unchanged


def test_an_unknown_message_stays_as_it_is() -> None:
    error = InputError("a.csv", 3, "region code", "something nobody foresaw")
    assert error.kind is None and error.localised_message("de") == "something nobody foresaw"
    assert error.localised("de") == "Datei „a.csv“, Zeile 3, Feld „Regionalschlüssel“: something nobody foresaw"
    assert RegiolensError("no idea").localised("de") == "no idea"


def test_analysis_errors_on_pages_are_german() -> None:
    error = RegiolensError("the base year (2020) must lie before the year (2016)")
    assert error.localised("de") == "Das Basisjahr (2020) muss vor dem Jahr (2016) liegen."
    assert error.localised("en") == str(error)
    invalid = InvalidParameter("out_of_range", name=messages.parameter("n"), low=1, high=400, value=0)
    assert str(invalid) == "n must lie between 1 and 400, not 0" and invalid.status_code == 422
    assert invalid.localised("de") == "Ungültige Angabe „Anzahl (n)“: erlaubt sind 1 bis 400, nicht 0."


def test_notes_come_in_both_languages_with_numbers_in_each_format() -> None:
    de, en = messages.both("opportunities_at_risk", decline=messages.Bilingual("5 %", "5%"))
    assert "mindestens 5 % gesunken" in de and "at least 5%" in en
    de, en = messages.both("cells_unknown", n=49)
    assert de.startswith("49 Zelle(n)") and en.startswith("49 cell(s)")
    assert messages.render("exact", "de", data=-1.5, tail="") == f"exakt auf {MINUS}1,50"
    assert date(2021, 8, 17).isoformat() not in messages.render("no_data_for_years", "de", years=2021, available="x")


def test_account_errors_are_german(tmp_path: Path) -> None:
    """What the account functions raise — read from the functions themselves on a real app database — is in the
    catalogue: its German form has no English word left (a changed wording fails here, not on a page)."""
    from regiolens.web import accounts
    from regiolens.web.db import Role, make_engine, session_factory, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade(engine)
    password = "ein-langes-passwort"
    raised: list[RegiolensError] = []
    with session_factory(engine)() as s:
        accounts.create_organisation(s, "herten", "WF Herten")
        accounts.create_organisation(s, "bottrop", "WF Bottrop")
        accounts.create_network(s, "emscher-lippe", "Netzwerk", ["herten"])
        admin = accounts.create_user(s, "ada@herten.de", "Ada", password, "herten", Role.admin)
        vera = accounts.create_user(s, "vera@herten.de", "Vera", password, "herten", Role.viewer)
        attempts = [
            lambda: accounts.create_organisation(s, "Nicht Gültig", "X"),
            lambda: accounts.create_organisation(s, "leer", ""),
            lambda: accounts.create_organisation(s, "herten", "Noch einmal"),
            lambda: accounts.create_network(s, "emscher-lippe", "Noch einmal"),
            lambda: accounts.get_organisation(s, "nirgendwo"),
            lambda: accounts.get_user(s, "niemand@example.org"),
            lambda: accounts.create_user(s, "keine-adresse", "X", password, "herten", Role.viewer),
            lambda: accounts.create_user(s, "ada@herten.de", "X", password, "herten", Role.viewer),
            lambda: accounts.create_user(s, "neu@herten.de", "X", "kurz", "herten", Role.viewer),
            lambda: accounts.change_role(s, "ada@herten.de", "bottrop", Role.viewer),
            lambda: accounts.change_role(s, "ada@herten.de", "herten", Role.viewer),
            lambda: accounts.add_member(s, "vera@herten.de", "herten", Role.viewer),
            lambda: accounts.require_role(s, vera, admin.memberships[0].organisation_id, Role.editor),
        ]
        for attempt in attempts:
            with pytest.raises(RegiolensError) as caught:
                attempt()
            raised.append(caught.value)
    english = re.compile(r"\b(the|not|no|exists|already|must|member|needs|yours|is|an|of)\b")
    for error in raised:
        german = error.localised("de")
        assert german != str(error) and not english.search(german.split("„")[0]), (str(error), german)
