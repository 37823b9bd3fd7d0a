"""The ``regiolens`` command: one sub-command group per area."""

from __future__ import annotations

import typer

import regiolens.cli.serve as serve_cli
from regiolens import __version__
from regiolens.cli import accounts, analysis, clusters, data, industries, metrics, opportunities, regions
from regiolens.cli import concept as concept_cli
from regiolens.cli import fund as fund_cli
from regiolens.cli import network as network_cli

app = typer.Typer(
    name="regiolens",
    help="Cluster analytics and benchmarking for regional economic development.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(data.app, name="data")
app.add_typer(regions.app, name="regions")
app.add_typer(industries.app, name="industries")
app.add_typer(metrics.app, name="metrics")
app.add_typer(clusters.app, name="clusters")
app.command("profile")(analysis.profile_cmd)
app.command("compare")(analysis.compare_cmd)
app.command("report")(analysis.report_cmd)
app.command("peers")(analysis.peers_cmd)
app.command("opportunities")(opportunities.opportunities_cmd)
app.add_typer(accounts.orgs_app, name="orgs")
app.add_typer(accounts.networks_app, name="networks")
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.db_app, name="db")
app.command("serve")(serve_cli.serve_cmd)
app.add_typer(network_cli.app, name="network")
app.add_typer(fund_cli.app, name="fund")
app.add_typer(concept_cli.app, name="concept")


@app.command()
def version() -> None:
    """Print the regiolens version."""
    typer.echo(__version__)
