"""``regiolens orgs|networks|users|db``: first set-up of the app database (organisations, networks, users, roles).

Every command brings the schema up to date first and commits only when it succeeds. Passwords are read from
standard input (``--password-stdin``) or a hidden prompt, never from an argument (it would land in the shell
history and the process list).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from regiolens.cli.common import err, user_errors
from regiolens.errors import RegiolensError
from regiolens.web.accounts import (
    add_to_network,
    create_network,
    create_organisation,
    create_token,
    create_user,
    get_user,
)
from regiolens.web.accounts import set_role as set_user_role
from regiolens.web.db import Role, database_url, make_engine, normalise_email, session_factory, upgrade

orgs_app = typer.Typer(help="Organisations (agencies) in the app database.", no_args_is_help=True)
networks_app = typer.Typer(help="Networks of organisations that share records.", no_args_is_help=True)
users_app = typer.Typer(help="Users, their roles per organisation, and API tokens.", no_args_is_help=True)
db_app = typer.Typer(help="The app database (SQLite file or PostgreSQL).", no_args_is_help=True)

DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="App database URL (default: $REGIOLENS_DATABASE_URL, then regiolens.db in the user data dir).",
    ),
]
OrgOption = Annotated[str, typer.Option("--org", help="Organisation slug.")]
RoleOption = Annotated[Role, typer.Option("--role", help="Role in the organisation.")]


@contextmanager
def _database(url: str | None) -> Iterator[Session]:
    """A session on the app database at ``url``, schema upgraded; committed when the block ends without error."""
    url = url or database_url()
    try:
        engine = make_engine(url)
    except ArgumentError:
        raise RegiolensError(
            "not a database URL (e.g. sqlite:///path/regiolens.db or postgresql://user:password@host/db)"
        ) from None
    try:
        upgrade(engine)
        with session_factory(engine).begin() as s:
            yield s
    except OperationalError as exc:
        shown = make_url(url).render_as_string(hide_password=True)
        raise RegiolensError(f"app database {shown}: {exc.orig}") from None
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> str:
    """The first line of standard input, or the password typed twice at a hidden prompt."""
    if not from_stdin:
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    password = typer.get_text_stream("stdin").readline().rstrip("\r\n")
    if not password:
        raise RegiolensError("--password-stdin: no password on standard input")
    return password


@orgs_app.command("create")
def orgs_create(
    slug: Annotated[str, typer.Argument(help="URL name, e.g. herten (lower-case letters, digits, hyphens).")],
    name: Annotated[str, typer.Argument(help='Full name, e.g. "Wirtschaftsförderung Herten".')],
    network: Annotated[str | None, typer.Option("--network", help="Also add it to this (existing) network.")] = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Create an organisation."""
    with user_errors(), _database(url) as s:
        create_organisation(s, slug, name)
        if network:
            add_to_network(s, network, slug)
    typer.echo(f"created organisation {slug}" + (f" in network {network}" if network else ""))


@networks_app.command("create")
def networks_create(
    slug: Annotated[str, typer.Argument(help="URL name, e.g. emscher-lippe.")],
    name: Annotated[str, typer.Argument(help='Full name, e.g. "Netzwerk Emscher-Lippe".')],
    members: Annotated[
        list[str] | None, typer.Option("--member", help="Slug of a member organisation (repeat the option).")
    ] = None,
    url: DatabaseUrlOption = None,
) -> None:
    """Create a network of organisations."""
    with user_errors(), _database(url) as s:
        network = create_network(s, slug, name, members or ())
        count = len(network.members)
    typer.echo(f"created network {slug} with {count} member organisation(s)")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="E-mail address (the login name).")],
    name: Annotated[str, typer.Option("--name", help="The person's name.")],
    org: OrgOption,
    role: RoleOption,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
    ] = False,
    url: DatabaseUrlOption = None,
) -> None:
    """Create a user with a role in an organisation; the password is asked for twice (or read from stdin)."""
    with user_errors(), _database(url) as s:
        create_user(s, email, name, _read_password(password_stdin), org, role)
    typer.echo(f"created user {normalise_email(email)} ({role} in {org})")


@users_app.command("set-role")
def users_set_role(
    email: Annotated[str, typer.Argument(help="E-mail address of the user.")],
    org: OrgOption,
    role: RoleOption,
    url: DatabaseUrlOption = None,
) -> None:
    """Give a user a role in an organisation (made a member if not yet one)."""
    with user_errors(), _database(url) as s:
        set_user_role(s, email, org, role)
    typer.echo(f"{normalise_email(email)} is {role} in {org}")


@users_app.command("token")
def users_token(
    email: Annotated[str, typer.Argument(help="E-mail address of the user.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for, e.g. notebook.")],
    url: DatabaseUrlOption = None,
) -> None:
    """Create an API token for a user and print it (once: only its hash is stored)."""
    with user_errors(), _database(url) as s:
        token = create_token(s, get_user(s, email), name)
    typer.echo(token)
    err.print("Store the token now: it is shown only this once.", highlight=False)


@db_app.command("upgrade")
def db_upgrade(url: DatabaseUrlOption = None) -> None:
    """Bring the app database's schema up to date (every other command does this first, too)."""
    with user_errors(), _database(url):
        pass
    typer.echo(f"app database {make_url(url or database_url()).render_as_string(hide_password=True)} is up to date")
