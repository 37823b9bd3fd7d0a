"""The demo's example fund: saved for the demo user through the library, idempotent, with reasons for misfits."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from regiolens.fund import records
from regiolens.fund.demo import PLAN_KEY, load_demo_fund
from regiolens.network.examples import DEMO_EMAIL, load_demo
from regiolens.web.db import User, make_engine, normalise_email, session_factory


def test_the_example_fund_loads_once_and_explains_its_misfits(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    load_demo(url)  # makes the demo user and organisation
    assert "5 neu" in load_demo_fund(url)
    assert "0 neu, 0 geändert, 5 unverändert" in load_demo_fund(url)
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            user = s.scalars(select(User).where(User.email == normalise_email(DEMO_EMAIL))).one()
            plan = records.get_plan(s, user, PLAN_KEY)
            checks = {d.company: records.stored_check(d) for d in records.list_deals(s, user, plan)}
    finally:
        engine.dispose()
    eligible = {company for company, check in checks.items() if check is not None and check.eligible}
    assert eligible == {"Beispiel Werkzeugmaschinen GmbH", "Beispiel Medizintechnik GmbH", "Beispiel Software GmbH"}
    handel, laser = checks["Beispiel Handel GmbH"], checks["Beispiel Laser GmbH"]
    assert handel is not None and any("47.11" in r.reason("de") and not r.passed for r in handel.rules)
    assert laser is not None and any("außerhalb der Region" in r.reason("de") for r in laser.rules)
