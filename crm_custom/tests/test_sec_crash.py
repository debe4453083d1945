"""sec_crash: a scheduled action that fails on its k-th record (failure
injected with mock.patch) leaves the data consistent, and running it again
completes the work exactly once (X4, P4, W1; the service time limits, S7,
and the management report, R7, in the test_sec_crash.py of
crm_custom_service and crm_custom_reports).

The customer pool actions commit batch by batch in production
(``autocommit=True``): they run here on committed data, in cursors of their
own, as ir.cron runs them, and the data is removed afterwards. The other
actions run in one transaction, which ir.cron rolls back on failure: a
savepoint plays that transaction."""

from datetime import timedelta
from unittest import mock

from odoo import Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.crm_custom.models import crm_customer_pool_recycling

from .common import (
    SECURITY_LOGGER,
    InjectedCrash,
    SecurityCommon,
    delete_committed_customers,
)


def crash_at(k, ids_of_interest):
    """A replacement of ``split_every`` that keeps only the test's records
    (so that demo data is left alone) and crashes on reaching the k-th of
    them (1-based)."""

    def split_every(size, iterable, piece_maker=list):
        items = [
            item
            for item in iterable
            if (item[0] if isinstance(item, tuple) else item) in ids_of_interest
        ]
        for start in range(0, len(items), size):
            batch = items[start : start + size]
            if start < k <= start + len(batch):
                raise InjectedCrash(f"crash on record {k}")
            yield piece_maker(batch)

    return split_every


def confined(ids_of_interest):
    return crash_at(0, ids_of_interest)


@tagged("post_install", "-at_install")
class TestSecCrashCommitted(TransactionCase):
    """The pool's recycling and reminder actions, which commit per batch."""

    COUNT = 12
    BATCH = 4
    CRASH_AT = 6  # in the second batch: the first one is committed

    def setUp(self):
        super().setUp()
        self.owners = [
            self.env.ref("crm_custom.user_customer_manager_1").id,
            self.env.ref("crm_custom.user_customer_manager_2").id,
        ]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            self.pool = (
                env["crm.customer.pool"]
                .create(
                    {
                        "name": "Sec Crash Pool",
                        "sequence": 99,
                        "member_user_ids": [Command.set(self.owners)],
                        "auto_recycle": True,
                        "recycle_no_followup": True,
                        "no_followup_days": 10,
                        "recycle_no_deal": False,
                        "exempt_open_opportunity": False,
                        "reminder_days": 5,
                        "reminder_activity": True,
                        "reminder_email": False,
                        "assign_notification": "none",
                    }
                )
                .id
            )
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"Sec Crash Customer {i}",
                        "is_company": True,
                        "customer_rank": 1,
                        "user_id": self.owners[i % 2],
                    }
                    for i in range(self.COUNT)
                ]
            )
            for customer in customers:
                env["res.partner"].create(
                    {
                        "name": f"Contact of {customer.name}",
                        "parent_id": customer.id,
                        "gender": "male",
                        "function": "Buyer",
                        "phone": "021-1234567",
                    }
                )
            self.customer_ids = customers.ids
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            delete_committed_customers(env, self.customer_ids, [self.pool])
            cr.commit()  # pylint: disable=invalid-commit

    def _set_dates(self, followup_days_ago):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            day = fields.Date.today() - timedelta(days=followup_days_ago)
            env["res.partner"].browse(self.customer_ids).write(
                {
                    "home_pool_id": self.pool,
                    "date_owned": day,
                    "last_followup_date": day,
                }
            )
            cr.commit()  # pylint: disable=invalid-commit

    def _run(self, method, split_every, **kwargs):
        """Run a pool action as ir.cron does: its own cursor, rolled back
        when it fails. Returns the exception, if any."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            try:
                with mock.patch.object(
                    crm_customer_pool_recycling, "split_every", split_every
                ):
                    getattr(env["crm.customer.pool"], method)(
                        batch_size=self.BATCH, autocommit=True, **kwargs
                    )
                cr.commit()  # pylint: disable=invalid-commit
            except InjectedCrash as crash:
                cr.rollback()
                return crash
        return None

    def _state(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            rows = []
            for customer in env["res.partner"].browse(self.customer_ids):
                logs = env["crm.customer.ownership.log"].search_count(
                    [("partner_id", "=", customer.id), ("method", "=", "recycle")]
                )
                activities = env["mail.activity"].search_count(
                    [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
                )
                rows.append(
                    {
                        "owned": bool(customer.user_id),
                        "state": customer.pool_state,
                        "pool": customer.pool_id.id,
                        "contacts": set(customer.child_ids.mapped("pool_state")),
                        "logs": logs,
                        "activities": activities,
                        "reminded": customer.pool_reminder_date,
                        "recycle_date": customer.recycle_date,
                    }
                )
            return rows

    def test_sec_crash_recycling_fails_on_record_k(self):
        self._set_dates(followup_days_ago=40)
        ids = set(self.customer_ids)
        crash = self._run("_cron_recycle_customers", crash_at(self.CRASH_AT, ids))
        self.assertIsInstance(crash, InjectedCrash)
        state = self._state()
        released = [row for row in state if not row["owned"]]
        # The batches before the crash are committed, whole; nothing after.
        self.assertEqual(len(released), self.BATCH)
        for row in state:
            if row["owned"]:
                self.assertEqual(
                    (row["state"], row["pool"], row["logs"]), ("owned", False, 0)
                )
                self.assertEqual(row["contacts"], {"owned"})
            else:
                self.assertEqual(
                    (row["state"], row["pool"], row["logs"]), ("pool", self.pool, 1)
                )
                self.assertEqual(row["contacts"], {"pool"})
        # The rerun finishes the work; a third run finds nothing.
        self.assertIsNone(self._run("_cron_recycle_customers", confined(ids)))
        self.assertIsNone(self._run("_cron_recycle_customers", confined(ids)))
        state = self._state()
        self.assertEqual(
            {(row["state"], row["pool"], row["logs"]) for row in state},
            {("pool", self.pool, 1)},
        )
        SECURITY_LOGGER.info(
            "sec_crash: recycling crashed on record %s of %s, %s released before; "
            "the rerun released the rest, each once",
            self.CRASH_AT,
            self.COUNT,
            self.BATCH,
        )
        self.assertFalse(any(row["owned"] for row in state))

    def test_sec_crash_reminders_fail_on_record_k(self):
        # Recycled in 2 days, reminded 5 days before: all due for a reminder.
        self._set_dates(followup_days_ago=8)
        ids = set(self.customer_ids)
        crash = self._run("_cron_remind_owners", crash_at(self.CRASH_AT, ids))
        self.assertIsInstance(crash, InjectedCrash)
        state = self._state()
        reminded = [row for row in state if row["activities"]]
        self.assertEqual(len(reminded), self.BATCH)
        for row in state:
            # Reminded exactly when marked as reminded, once.
            self.assertEqual(row["activities"], 1 if row["reminded"] else 0)
            if row["reminded"]:
                self.assertEqual(row["reminded"], row["recycle_date"])
        self.assertIsNone(self._run("_cron_remind_owners", confined(ids)))
        self.assertIsNone(self._run("_cron_remind_owners", confined(ids)))
        state = self._state()
        self.assertEqual([row["activities"] for row in state], [1] * self.COUNT)
        self.assertTrue(
            all(row["owned"] for row in state), "reminding recycles nothing"
        )


@tagged("post_install", "-at_install")
class TestSecCrashTransactional(SecurityCommon):
    """Actions that run in one transaction: the failing run is rolled back
    whole, the rerun does everything once."""

    def test_sec_crash_churn_detection_fails_midway(self):
        customers = self.Partner.create(
            [
                {
                    "name": f"Sec Crash Churn {i}",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": (self.customer_manager, self.customer_manager_2)[
                        i % 2
                    ].id,
                }
                for i in range(7)
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET last_order_date = %s, churn_purchase_count = 1"
                " WHERE id = ANY(%s)",
                self.today - timedelta(days=400),
                customers.ids,
            )
        )
        self.env.invalidate_all()
        ChurnWarning = type(self.env["crm.churn.warning"])
        original = ChurnWarning._churn_candidates_sql

        def only_ours(model, *args, **kwargs):
            return SQL(
                "%s AND p.id = ANY(%s)", original(model, *args, **kwargs), customers.ids
            )

        digests = []

        def crash_in_digest(warnings, per_manager):
            raise InjectedCrash("crash while reporting the new warnings")

        def digest(warnings, per_manager):
            digests.append(len(warnings))

        with mock.patch.object(ChurnWarning, "_churn_candidates_sql", only_ours):
            with mock.patch.object(ChurnWarning, "_send_digest", crash_in_digest):
                self._failing_run(
                    lambda: self.env["crm.churn.warning"]._cron_create_churn_warnings(
                        batch_size=3
                    )
                )
            Warnings = self.env["crm.churn.warning"]
            self.assertFalse(Warnings.search([("partner_id", "in", customers.ids)]))
            with mock.patch.object(ChurnWarning, "_send_digest", digest):
                first = Warnings._cron_create_churn_warnings(batch_size=3)
                second = Warnings._cron_create_churn_warnings(batch_size=3)
        self.assertEqual(first.partner_id, customers)
        self.assertFalse(second)
        self.assertEqual(digests, [len(customers)])
        self.assertEqual(
            Warnings.search_count([("partner_id", "in", customers.ids)]), len(customers)
        )
