"""``regiolens serve``: run the web app (uvicorn) on the warehouse and app database of this machine."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from regiolens.cli.common import WarehouseOption, user_errors


def serve_cmd(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.")] = 8000,
    warehouse: WarehouseOption = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (each opens the warehouse read-only).")
    ] = 1,
    demo_user: Annotated[
        bool,
        typer.Option(
            "--demo-user",
            help="When the app database has no user: create organisation 'demo' and its editor, the demo user "
            "(password $REGIOLENS_DEMO_PASSWORD or a random one, printed).",
        ),
    ] = False,
) -> None:
    """Serve the web app: pages in German and English, the JSON API under /api/v1, its docs at /api/docs.

    The app database is $REGIOLENS_DATABASE_URL (default: regiolens.db in the user data dir); create the first
    organisation and user with `regiolens orgs create` and `regiolens users create`.
    """
    import uvicorn
    from sqlalchemy import func, select

    from regiolens.config import warehouse_path
    from regiolens.network.examples import create_demo_user
    from regiolens.web.app import create_app
    from regiolens.web.db import User, session_factory
    from regiolens.web.settings import Settings

    with user_errors():
        settings = Settings(warehouse=warehouse_path(warehouse))
        app = create_app(settings)
        with session_factory(app.state.engine)() as s:
            users = s.scalar(select(func.count()).select_from(User)) or 0
            if not users and demo_user:
                login = create_demo_user(s)
                s.commit()
                users = 1
                typer.echo(login)
    if not users:
        typer.echo(
            "No users yet: create one with\n"
            "  regiolens orgs create herten 'Wirtschaftsförderung Herten'\n"
            "  regiolens users create ada@example.org --name Ada --org herten --role editor",
            err=True,
        )
    typer.echo(f"regiolens web app: http://{host}:{port}/  (warehouse {settings.warehouse})")
    if workers > 1:
        # Several processes need an import string; each builds its app from the same environment.
        os.environ.setdefault("REGIOLENS_WAREHOUSE", str(settings.warehouse))
        uvicorn.run("regiolens.web.app:create_app", factory=True, host=host, port=port, workers=workers)
    else:
        uvicorn.run(app, host=host, port=port)
