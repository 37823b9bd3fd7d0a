"""First set-up from the command line, end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from regiolens.cli import app
from regiolens.web.accounts import authenticate, user_for_token, visible_organisation_ids
from regiolens.web.db import AuditEntry, Organisation, Role, make_engine, session_factory

runner = CliRunner()
PASSWORD = "korrekt-pferd-batterie"


def ok(*args: str, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def fails(*args: str, input: str | None = None) -> str:
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stderr


def test_first_set_up_end_to_end(database_url: str) -> None:
    db = ("--database-url", database_url)
    assert "is up to date" in ok("db", "upgrade", *db)
    ok("orgs", "create", "herten", "Wirtschaftsförderung Herten", *db)
    ok("networks", "create", "emscher-lippe", "Netzwerk Emscher-Lippe", "--member", "herten", *db)
    assert "in network emscher-lippe" in ok(
        "orgs", "create", "bottrop", "WiFö Bottrop", "--network", "emscher-lippe", *db
    )
    ada = ("users", "create", "Ada@Herten.de", "--name", "Ada", "--org", "herten", "--role", "viewer")
    out = ok(*ada, "--password-stdin", *db, input=PASSWORD + "\n")
    assert "ada@herten.de (viewer in herten)" in out
    assert PASSWORD not in out
    ok("users", "set-role", "ada@herten.de", "--org", "bottrop", "--role", "editor", *db)
    token = ok("users", "token", "ada@herten.de", "--name", "notebook", *db).strip()

    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as s:
            ada = authenticate(s, "ada@herten.de", PASSWORD, "127.0.0.1")
            assert user_for_token(s, token) is ada
            assert visible_organisation_ids(s, ada) == set(s.scalars(select(Organisation.id)))
            entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
            assert [(e.action, e.entity) for e in entries] == [
                ("create", "organisation"),
                ("create", "network"),
                ("create", "organisation"),
                ("add_member", "network"),
                ("create", "user"),
                ("set_role", "user"),
                ("create", "api_token"),
            ]
            assert all(e.user_id is None for e in entries[:-1])  # the command line acts as nobody in particular
    finally:
        engine.dispose()


def test_password_from_the_hidden_prompt_twice(database_url: str) -> None:
    db = ("--database-url", database_url)
    ok("orgs", "create", "herten", "Wirtschaftsförderung Herten", *db)
    result = runner.invoke(
        app,
        ["users", "create", "bob@herten.de", "--name", "Bob", "--org", "herten", "--role", "admin", *db],
        input=f"{PASSWORD}\n{PASSWORD}\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    engine = make_engine(database_url)
    try:
        with session_factory(engine).begin() as s:
            assert authenticate(s, "bob@herten.de", PASSWORD, "127.0.0.1").email == "bob@herten.de"
    finally:
        engine.dispose()


def test_errors_are_one_line_and_change_nothing(database_url: str) -> None:
    db = ("--database-url", database_url)
    ok("orgs", "create", "herten", "Wirtschaftsförderung Herten", *db)
    create = ("users", "create", "ada@herten.de", "--name", "Ada", "--role", "viewer", "--password-stdin", *db)
    assert "at least 10 characters" in fails(*create, "--org", "herten", input="kurz\n")
    assert "no organisation 'gladbeck'" in fails(*create, "--org", "gladbeck", input=PASSWORD + "\n")
    assert "no password on standard input" in fails(*create, "--org", "herten", input="")
    assert "organisation 'herten' exists already" in fails("orgs", "create", "herten", "Noch einmal", *db)
    assert "no network 'ruhr'" in fails("orgs", "create", "gladbeck", "Gladbeck", "--network", "ruhr", *db)
    assert "no user 'eve@herten.de'" in fails("users", "token", "eve@herten.de", "--name", "x", *db)
    # the failed `orgs create gladbeck --network ruhr` was rolled back as a whole
    ok("orgs", "create", "gladbeck", "Gladbeck", *db)


def test_password_is_never_an_argument(database_url: str) -> None:
    args = [
        "users",
        "create",
        "a@b.de",
        "--name",
        "A",
        "--org",
        "x",
        "--role",
        "viewer",
        "--database-url",
        database_url,
    ]
    result = runner.invoke(app, [*args, "--password", PASSWORD])
    assert result.exit_code == 2
    assert "No such option" in result.output


@pytest.mark.parametrize("url", ["nonsense", "postgresql://regiolens:wrong@localhost:1/none"])
def test_unusable_database_url_is_a_clear_error(url: str) -> None:
    err = fails("db", "upgrade", "--database-url", url)
    assert err.startswith("Error: ")
    assert "wrong" not in err  # the password is not shown


def test_role_choices_come_from_the_model() -> None:
    result = runner.invoke(app, ["users", "set-role", "a@b.de", "--org", "x", "--role", "boss"])
    assert result.exit_code == 2
    assert all(role.value in result.output for role in Role)
