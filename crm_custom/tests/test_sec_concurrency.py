"""sec_concurrency: the same operation started at the same moment from
separate database transactions (threads with their own cursors, as the
Odoo workers of two users). No customer gets two owners, no customer gets
two churn warnings or is recycled twice, limits hold, and no update is lost
(P2, P4, P5, W1, X4; the monthly sales of simultaneous orders, R1, in
crm_custom_reports/tests/test_sec_concurrency.py).

The data is committed from its own cursor (the other transactions must see
it) and removed at the end. Each thread runs its work through Odoo's own
``retrying`` (what every RPC request does), so that a serialization failure
is retried exactly as in production. Scheduled actions are confined to the
test's customers so that the demo data is left alone."""

from datetime import timedelta
from unittest import mock

from odoo import api, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import THREADS, SecConcurrencyCommon


@tagged("post_install", "-at_install")
class TestSecConcurrency(SecConcurrencyCommon):
    # ------------------------------------------------------------------
    # P2 / P5: claims
    # ------------------------------------------------------------------

    def test_sec_concurrency_parallel_claims_of_one_customer(self):
        def setup(env):
            pool = self._pool(env)
            customer = env["res.partner"].create(
                {
                    "name": "Sec Contested Customer",
                    "is_company": True,
                    "customer_rank": 1,
                    "pool_id": pool.id,
                    "home_pool_id": pool.id,
                }
            )
            return pool.id, customer.id

        pool_id, customer_id = self._committed(setup)
        try:
            outcomes = self._race(
                [
                    (
                        uid,
                        lambda env: env["res.partner"]
                        .browse(customer_id)
                        ._pool_claim(),
                    )
                    for uid in self.user_ids
                ]
            )
            winners = [i for i, (kind, _r) in enumerate(outcomes) if kind == "ok"]
            self.assertEqual(len(winners), 1, outcomes)
            for kind, error in outcomes:
                if kind == "error":
                    self.assertIsInstance(error, UserError)

            def check(env):
                customer = env["res.partner"].browse(customer_id)
                logs = env["crm.customer.ownership.log"].search(
                    [("partner_id", "=", customer_id)]
                )
                return (
                    customer.user_id.id,
                    customer.pool_state,
                    logs.mapped("to_user_id").ids,
                )

            owner, state, log_owners = self._committed(check)
            self.assertEqual(owner, self.user_ids[winners[0]])
            self.assertEqual(state, "owned")
            self.assertEqual(log_owners, [owner], "exactly one claim logged")
        finally:
            self._cleanup(partner_ids=[customer_id], pool_ids=[pool_id])

    def _limit_race(self, uid, **pool_vals):
        """THREADS claims by ``uid`` at once, one customer each, from a
        pool with ``pool_vals``; Odoo's retry sleeps counted (and skipped).
        Returns (successes, customers owned by uid, retries)."""

        def setup(env):
            pool = self._pool(env, **pool_vals)
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Sec Serialized Customer {i}",
                        "is_company": True,
                        "customer_rank": 1,
                        "pool_id": pool.id,
                        "home_pool_id": pool.id,
                    }
                    for i in range(THREADS)
                ]
            )
            return pool.id, customers.ids

        pool_id, customer_ids = self._committed(setup)
        try:
            with mock.patch("odoo.service.model.random") as backoff:
                backoff.uniform.return_value = 0
                outcomes = self._race(
                    [
                        (
                            uid,
                            lambda env, cid=cid: env["res.partner"]
                            .browse(cid)
                            ._pool_claim(),
                        )
                        for cid in customer_ids
                    ]
                )
            for kind, error in outcomes:
                if kind == "error":
                    self.assertIsInstance(error, UserError)
            owned = self._committed(
                lambda env: env["res.partner"].search_count(
                    [("id", "in", customer_ids), ("user_id", "=", uid)]
                )
            )
            return (
                sum(kind == "ok" for kind, _r in outcomes),
                owned,
                backoff.uniform.call_count,
            )
        finally:
            self._cleanup(partner_ids=customer_ids, pool_ids=[pool_id])

    def test_sec_concurrency_daily_claim_limit_holds(self):
        """One salesperson claiming from several sessions at once cannot
        pass the daily claim limit of one."""
        successes, owned, _retries = self._limit_race(
            self.user_ids[0], daily_claim_limit=1
        )
        self.assertEqual((successes, owned), (1, 1))

    def test_p5_concurrent_claims_of_one_user_wait_without_retries(self):
        """Claims of one salesperson under a limit take turns on a lock:
        each one waits for the one before and counts what it committed,
        with no serialization failure, hence no retry after a random sleep
        (which made the slow tail of concurrent claims)."""
        successes, owned, retries = self._limit_race(
            self.user_ids[0], daily_claim_limit=THREADS
        )
        self.assertEqual((successes, owned), (THREADS, THREADS))
        self.assertEqual(retries, 0, "no claim was retried")

    def test_sec_concurrency_owned_limit_holds(self):
        """A salesperson owning nothing, claiming from several sessions at
        once under an owned-customers limit of two, ends with two."""
        uid = self.user_ids[1]
        already = self._committed(
            lambda env: env["res.partner"].search_count(
                [
                    ("user_id", "=", uid),
                    ("pool_state", "=", "owned"),
                    ("is_company", "=", True),
                ]
            )
        )
        successes, owned, retries = self._limit_race(
            uid, owned_limit=already + 2, owned_limit_count_deals=True
        )
        self.assertEqual((successes, owned), (2, 2))
        self.assertEqual(retries, 0)

    # ------------------------------------------------------------------
    # P4: two recycling runs at once
    # ------------------------------------------------------------------

    def test_sec_concurrency_two_recycling_runs(self):
        count = 30

        def setup(env):
            pool = self._pool(
                env,
                auto_recycle=True,
                recycle_no_followup=True,
                no_followup_days=10,
                recycle_no_deal=False,
                exempt_open_opportunity=False,
            )
            long_ago = fields.Date.today() - timedelta(days=40)
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Sec Idle Customer {i}",
                        "is_company": True,
                        "customer_rank": 1,
                        "user_id": self.user_ids[i % 2],
                    }
                    for i in range(count)
                ]
            )
            customers.write(
                {
                    "home_pool_id": pool.id,
                    "date_owned": long_ago,
                    "last_followup_date": long_ago,
                }
            )
            return pool.id, customers.ids

        pool_id, customer_ids = self._committed(setup)
        Pool = type(self.env["crm.customer.pool"])
        original = Pool._recycle_plan_sql

        def confined(pool_model, condition, **kwargs):
            return original(
                pool_model,
                SQL("(%s) AND p.id = ANY(%s)", condition, customer_ids),
                **kwargs,
            )

        try:
            with mock.patch.object(Pool, "_recycle_plan_sql", confined):
                outcomes = self._race(
                    [
                        (
                            api.SUPERUSER_ID,
                            lambda env: env[
                                "crm.customer.pool"
                            ]._cron_recycle_customers(batch_size=7),
                        )
                        for _i in range(2)
                    ]
                )
            self.assertTrue(all(kind == "ok" for kind, _r in outcomes), outcomes)
            released = [result for _k, result in outcomes]
            self.assertEqual(sum(released), count, f"released per run: {released}")

            def check(env):
                customers = env["res.partner"].browse(customer_ids)
                logs = env["crm.customer.ownership.log"].search(
                    [("partner_id", "in", customer_ids), ("method", "=", "recycle")]
                )
                return (
                    set(customers.mapped("pool_state")),
                    bool(customers.user_id),
                    sorted(logs.partner_id.ids),
                    len(logs),
                )

            states, owned, logged, log_count = self._committed(check)
            self.assertEqual(states, {"pool"})
            self.assertFalse(owned)
            self.assertEqual(logged, sorted(customer_ids))
            self.assertEqual(log_count, count, "one recycle log per customer")
        finally:
            self._cleanup(partner_ids=customer_ids, pool_ids=[pool_id])

    # ------------------------------------------------------------------
    # W1: two churn runs at once
    # ------------------------------------------------------------------

    def test_sec_concurrency_two_churn_runs(self):
        count = 25

        def setup(env):
            long_ago = fields.Date.today() - timedelta(days=400)
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Sec Silent Customer {i}",
                        "is_company": True,
                        "customer_rank": 1,
                        "user_id": self.user_ids[i % 2],
                    }
                    for i in range(count)
                ]
            )
            env.cr.execute(
                SQL(
                    "UPDATE res_partner SET last_order_date = %s,"
                    " churn_purchase_count = 1 WHERE id = ANY(%s)",
                    long_ago,
                    customers.ids,
                )
            )
            return customers.ids

        customer_ids = self._committed(setup)
        ChurnWarning = type(self.env["crm.churn.warning"])
        original = ChurnWarning._churn_candidates_sql
        digests = []

        def confined(warning_model, *args, **kwargs):
            candidates = original(warning_model, *args, **kwargs)
            return SQL("%s AND p.id = ANY(%s)", candidates, customer_ids)

        def digest(warnings, per_manager):
            digests.append(len(warnings))

        try:
            with (
                mock.patch.object(ChurnWarning, "_churn_candidates_sql", confined),
                mock.patch.object(ChurnWarning, "_send_digest", digest),
            ):
                outcomes = self._race(
                    [
                        (
                            api.SUPERUSER_ID,
                            lambda env: env["crm.churn.warning"]
                            ._cron_create_churn_warnings(batch_size=6)
                            .ids,
                        )
                        for _i in range(2)
                    ]
                )
            self.assertTrue(all(kind == "ok" for kind, _r in outcomes), outcomes)
            created = [len(result) for _k, result in outcomes]
            self.assertEqual(sum(created), count, f"created per run: {created}")

            def check(env):
                warnings = env["crm.churn.warning"].search(
                    [("partner_id", "in", customer_ids)]
                )
                return len(warnings), len(set(warnings.partner_id.ids))

            total, partners = self._committed(check)
            self.assertEqual(
                (total, partners), (count, count), "one warning per customer"
            )
            self.assertEqual(sum(digests), count, "each new warning reported once")
        finally:
            self._cleanup(partner_ids=customer_ids)

    # ------------------------------------------------------------------
    # No lost update
    # ------------------------------------------------------------------

    def test_sec_concurrency_followups_lose_no_update(self):
        """Four follow-ups of one customer on four dates, recorded at the
        same moment: the last follow-up date is the latest of them."""
        owner = self.user_ids[0]

        def setup(env):
            customer = env["res.partner"].create(
                {
                    "name": "Sec Busy Customer",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": owner,
                }
            )
            customer.last_followup_date = fields.Date.today() - timedelta(days=50)
            return customer.id

        customer_id = self._committed(setup)
        dates = [fields.Date.today() - timedelta(days=days) for days in (9, 3, 7, 5)]
        try:
            outcomes = self._race(
                [
                    (
                        owner,
                        lambda env, day=day: env["crm.interaction"]
                        .create(
                            {
                                "partner_id": customer_id,
                                "summary": f"Call {day}",
                                "date": day,
                            }
                        )
                        .id,
                    )
                    for day in dates
                ]
            )
            self.assertTrue(all(kind == "ok" for kind, _r in outcomes), outcomes)
            last, interactions = self._committed(
                lambda env: (
                    env["res.partner"].browse(customer_id).last_followup_date,
                    env["crm.interaction"].search_count(
                        [("partner_id", "=", customer_id)]
                    ),
                )
            )
            self.assertEqual(interactions, len(dates))
            self.assertEqual(last, max(dates))
        finally:
            self._cleanup(partner_ids=[customer_id])
