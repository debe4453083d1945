"""sec_crash: a scheduled action that fails on its k-th record (failure
injected with mock.patch) leaves the data consistent, and running it again
completes the work exactly once (X4, P4, W1, S7, R7).

The customer pool actions commit batch by batch in production
(``autocommit=True``): they run here on committed data, in cursors of their
own, as ir.cron runs them, and the data is removed afterwards. The other
actions run in one transaction, which ir.cron rolls back on failure: a
savepoint plays that transaction."""

import logging
from datetime import timedelta
from unittest import mock

from odoo import Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.crm_custom.models import crm_customer_pool

from .sec_common import SecurityCommon

# Figures go to the test framework's logger, which tests/run shows at INFO
# (run with -s to see them).
_logger = logging.getLogger("odoo.tests.common.crm_security")


class InjectedCrash(Exception):
    pass


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
            partners = env["res.partner"].browse(self.customer_ids).exists()
            env["crm.customer.ownership.log"].search(
                [("partner_id", "in", partners.ids)]
            ).unlink()
            env["mail.activity"].search(
                [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ).unlink()
            env["mail.message"].search(
                [("model", "=", "res.partner"), ("res_id", "in", partners.ids)]
            ).unlink()
            partners.child_ids.unlink()
            partners.unlink()
            env["crm.customer.pool"].browse(self.pool).unlink()
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
                with mock.patch.object(crm_customer_pool, "split_every", split_every):
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
        _logger.info(
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

    def _failing_run(self, func):
        with mute_logger("odoo.sql_db"), self.assertRaises(InjectedCrash):
            with self.env.cr.savepoint():
                func()
        self.env.invalidate_all()

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
        Warning = type(self.env["crm.churn.warning"])
        original = Warning._churn_candidates_sql

        def only_ours(model, *args, **kwargs):
            return SQL(
                "%s AND p.id = ANY(%s)", original(model, *args, **kwargs), customers.ids
            )

        digests = []

        def crash_in_digest(warnings, per_manager):
            raise InjectedCrash("crash while reporting the new warnings")

        def digest(warnings, per_manager):
            digests.append(len(warnings))

        with mock.patch.object(Warning, "_churn_candidates_sql", only_ours):
            with mock.patch.object(Warning, "_send_digest", crash_in_digest):
                self._failing_run(
                    lambda: self.env["crm.churn.warning"]._cron_create_churn_warnings(
                        batch_size=3
                    )
                )
            Warnings = self.env["crm.churn.warning"]
            self.assertFalse(Warnings.search([("partner_id", "in", customers.ids)]))
            with mock.patch.object(Warning, "_send_digest", digest):
                first = Warnings._cron_create_churn_warnings(batch_size=3)
                second = Warnings._cron_create_churn_warnings(batch_size=3)
        self.assertEqual(first.partner_id, customers)
        self.assertFalse(second)
        self.assertEqual(digests, [len(customers)])
        self.assertEqual(
            Warnings.search_count([("partner_id", "in", customers.ids)]), len(customers)
        )

    def test_sec_crash_service_time_limits_fail_on_record_k(self):
        service_type = self.service_type
        service_type.sudo().write({"service_assign_hours": 4})
        long_ago = fields.Datetime.now() - timedelta(days=2)
        services = self.env["helpdesk.ticket"]
        for index in range(5):
            services |= self._service(
                self.customer_manager,
                self.customer_own,
                name=f"Sec late {index}",
                date_requested=long_ago,
            )
        Ticket = type(self.env["helpdesk.ticket"])
        original = Ticket._service_escalation_texts
        calls = []

        def crash_on_third(ticket, kind):
            calls.append(ticket.id)
            if len(calls) == 3:
                raise InjectedCrash("crash on the third late service")
            return original(ticket, kind)

        def activities():
            return self.env["mail.activity"].search_count(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", services.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "crm_custom_service.mail_activity_type_service_overdue"
                        ).id,
                    ),
                ]
            )

        with mock.patch.object(Ticket, "_service_escalation_texts", crash_on_third):
            self._failing_run(
                lambda: self.env["helpdesk.ticket"]._cron_service_time_limits()
            )
        self.assertEqual(activities(), 0, "nothing half escalated")
        self.assertEqual(set(services.mapped("overdue_escalated_state")), {False})
        self.env["helpdesk.ticket"]._cron_service_time_limits()
        once = activities()
        self.assertTrue(once)
        self.assertEqual(set(services.mapped("overdue_escalated_state")), {"new"})
        self.env["helpdesk.ticket"]._cron_service_time_limits()
        self.assertEqual(activities(), once, "a rerun escalates nothing twice")

    def test_sec_crash_management_report_fails_midway(self):
        Report = self.env["report.crm_custom_reports.report_customer_management"]
        ReportClass = type(Report)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_custom_reports.management_report_last_period", False)
        self.executive.write({"email": "executive@example.com"})
        mails_before = self.env["mail.mail"].search([])

        def crash(*args, **kwargs):
            raise InjectedCrash("crash while rendering the report")

        with mock.patch.object(ReportClass, "_render_pdf", crash):
            self._failing_run(lambda: Report._cron_send_management_report())
        self.assertFalse(self.env["mail.mail"].search([]) - mails_before)
        with mock.patch.object(
            ReportClass, "_render_pdf", lambda *a, **k: b"%PDF-1.4 sec"
        ):
            sent = Report._cron_send_management_report()
            again = Report._cron_send_management_report()
        self.assertTrue(sent)
        self.assertFalse(again, "one report per period")
        self.assertEqual(self.env["mail.mail"].search([]) - mails_before, sent)
