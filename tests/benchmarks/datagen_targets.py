"""Sales targets 业绩目标 (R8, issue 16) of the benchmark's company: every
customer manager and both sales teams get a target per month, per quarter
and per year over the period of the generated orders, so that the
"Targets vs Actual" analysis and the targets' measures of the sales
performance analysis read real rows.

Created through the ORM (a few hundred to a few thousand rows: the model's
constraints and computed period ends are the product's own)."""

import logging
import random
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger("crm_bench")

# Years of targets, ending with the current one (the orders span 3 years).
TARGET_YEARS = 3


def _periods(today):
    """(period type, first day) of every month, quarter and year of the
    last TARGET_YEARS years, up to the current period."""
    first_year = today.year - TARGET_YEARS + 1
    periods = []
    for year in range(first_year, today.year + 1):
        periods.append(("year", date(year, 1, 1)))
        for quarter in range(4):
            start = date(year, 1 + 3 * quarter, 1)
            if start <= today:
                periods.append(("quarter", start))
        for month in range(1, 13):
            start = date(year, month, 1)
            if start <= today:
                periods.append(("month", start))
    return periods


def fill_targets(registry, people, today=None):
    """Create the targets; return how many. Amounts are drawn around what
    a customer manager sells (a seeded generator: the same rows each run)."""
    today = today or date.today()
    rng = random.Random(42)
    months = {"month": 1, "quarter": 3, "year": 12}
    vals_list = []
    owners = [("user", user_id) for user_id in people["manager_ids"]]
    owners += [("team", team_id) for team_id in people["team_ids"]]
    for period_type, start in _periods(today):
        for target_type, owner_id in owners:
            scale = months[period_type] * (10 if target_type == "team" else 1)
            vals_list.append(
                {
                    "target_type": target_type,
                    "user_id": owner_id if target_type == "user" else False,
                    "team_id": owner_id if target_type == "team" else False,
                    "period_type": period_type,
                    "date_start": start,
                    "amount_target": round(rng.uniform(20_000, 60_000) * scale, -2),
                    "new_customer_target": rng.randint(1, 5) * scale,
                }
            )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        if "crm.sales.target" not in env:
            return 0
        env["crm.sales.target"].create(vals_list)
        env.flush_all()
    _logger.info(
        "sales targets: %s (%s periods from %s)",
        len(vals_list),
        len(_periods(today)),
        today - relativedelta(years=TARGET_YEARS - 1),
    )
    return len(vals_list)
