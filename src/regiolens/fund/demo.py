"""``make demo``: the example fund plan and a few example deals for the demo user, clearly marked as examples.

The plan is ``examples/emscher-lippe-seed.toml`` (a 1:1 public/private seed fund for Emscher-Lippe in the five
hannoverimpuls clusters), saved as the plan ``beispiel-seedfonds`` of the demo organisation; the deals are
``examples/emscher-lippe-deals.csv`` (companies named "Beispiel …": three inside the mandate, one outside the cluster
mandate, one outside the region). Both go through the same functions as the command line and the web app
(:func:`regiolens.fund.records.save_plan`, :func:`regiolens.fund.records.import_deals`), so loading them again
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from regiolens.fund import records
from regiolens.fund.terms import load_plan
from regiolens.network.examples import DEMO_EMAIL, DEMO_ORGANISATION
from regiolens.web.db import User, make_engine, normalise_email, session_factory, upgrade

EXAMPLES = Path(__file__).parent / "examples"
PLAN_FILE = EXAMPLES / "emscher-lippe-seed.toml"
DEALS_FILE = EXAMPLES / "emscher-lippe-deals.csv"
PLAN_KEY = "beispiel-seedfonds"


def load_demo_fund(url: str | None = None) -> str:
    """Save the example plan and import the example deals for the demo user; returns what happened (German)."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine).begin() as s:
            user = s.scalar(select(User).where(User.email == normalise_email(DEMO_EMAIL)))
            if user is None:
                return "Beispielfonds nicht geladen (kein Demo-Nutzer)."
            terms = load_plan(PLAN_FILE)
            plan, saved = records.save_plan(
                s,
                user,
                PLAN_KEY,
                terms.name,
                PLAN_FILE.read_text(encoding="utf-8"),
                terms.model_dump(mode="json"),
                organisation=DEMO_ORGANISATION[0],
                note="Beispiel / example",
            )
            summary = records.import_deals(s, user, plan, DEALS_FILE)
            state = "gespeichert" if saved else "schon vorhanden"
            return (
                f"Beispielfonds {plan.key} {state} (Version {plan.version}); Beispiel-Deals: "
                f"{len(summary.created)} neu, {len(summary.updated)} geändert, {len(summary.unchanged)} unverändert."
            )
    finally:
        engine.dispose()
