import logging
import os
import tempfile
import threading
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from odoo import Command, api, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import retrying
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


class CrmCustomCommon(TransactionCase):
    """Users for each role of the spec, created fresh so that tests do not
    depend on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # The test users live in the time zone of the test's environment:
        # the day they act on (context_today: owned since, follow-ups) is the
        # day the tests compare with, at any hour (without it, a user
        # without time zone is a day behind an administrator in Europe
        # between 23:00 and 24:00 UTC).
        tz = cls.env.user.tz
        cls.sales_manager = new_test_user(
            cls.env,
            login="test_sales_manager",
            tz=tz,
            name="Test Sales Manager",
            groups="base.group_user,crm_custom.group_sales_manager",
        )
        cls.customer_manager = new_test_user(
            cls.env,
            login="test_customer_manager",
            tz=tz,
            name="Test Customer Manager",
            groups="base.group_user,crm_custom.group_customer_manager",
        )
        cls.customer_manager_2 = new_test_user(
            cls.env,
            login="test_customer_manager_2",
            tz=tz,
            name="Test Customer Manager 2",
            groups="base.group_user,crm_custom.group_customer_manager",
        )
        cls.executive = new_test_user(
            cls.env,
            login="test_executive",
            tz=tz,
            name="Test Executive",
            groups="base.group_user,crm_custom.group_executive",
        )
        cls.internal_user = new_test_user(
            cls.env,
            login="test_internal_user",
            tz=tz,
            name="Test Internal User",
            groups="base.group_user",
        )


# ----------------------------------------------------------------------
# Security and reliability tests (issue 10, B2): test_sec_*.py of the three
# addons build on these.
# ----------------------------------------------------------------------

# Figures go to the test framework's logger, which tests/run shows at INFO
# (run with -s to see them).
SECURITY_LOGGER = logging.getLogger("odoo.tests.common.crm_security")

# The roles every check runs as, in the order of the rights matrices.
ROLES = ("sales_manager", "customer_manager", "executive", "portal", "internal")
ROLE_LETTERS = dict(zip(ROLES, "SCEPI", strict=True))


class PoolCommon(CrmCustomCommon):
    """A pool whose members are the two test customer managers, and helpers
    to make customers owned or in a pool at a given distance in time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Pool = cls.env["crm.customer.pool"]
        cls.Log = cls.env["crm.customer.ownership.log"]
        cls.today = fields.Date.context_today(cls.Partner)
        cls.pool = cls.Pool.create(
            {
                "name": "Test Pool",
                "sequence": 0,
                "member_user_ids": [
                    Command.set([cls.customer_manager.id, cls.customer_manager_2.id])
                ],
                "recycle_no_followup": True,
                "no_followup_days": 30,
                "recycle_no_deal": False,
                "exempt_open_opportunity": True,
                "exempt_locked": True,
                "reminder_days": 3,
                "reminder_activity": True,
                "reminder_email": False,
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "mask_contact": True,
                "assign_notification": "message",
            }
        )

    @classmethod
    def _days_ago(cls, days):
        return cls.today - timedelta(days=days)

    @classmethod
    def _owned(cls, name, owner, owned_days=0, followup_days=None, pool=None, **vals):
        """A customer owned by ``owner`` for ``owned_days`` days, followed up
        ``followup_days`` days ago (never if None)."""
        customer = cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "user_id": owner.id,
                **vals,
            }
        )
        customer.write(
            {
                "home_pool_id": (pool or cls.pool).id,
                "date_owned": cls._days_ago(owned_days),
                "last_followup_date": (
                    cls._days_ago(followup_days) if followup_days is not None else False
                ),
            }
        )
        return customer

    @classmethod
    def _in_pool(cls, name, pool=None, previous_owner=None, entry_days=0, **vals):
        customer = cls.Partner.create(
            {
                "name": name,
                "is_company": True,
                "user_id": False,
                "pool_id": (pool or cls.pool).id,
                "home_pool_id": (pool or cls.pool).id,
                "pool_previous_user_id": previous_owner.id if previous_owner else False,
                "pool_entry_date": cls._days_ago(entry_days),
                "phone": "021-66668888",
                "email": "info@pool-customer.example.com",
                "street": "Zhangjiang Road 1",
                **vals,
            }
        )
        return customer

    def _logs(self, customer):
        return self.Log.search([("partner_id", "=", customer.id)], order="id")


class InjectedCrash(Exception):
    """The failure sec_crash tests inject with mock.patch."""


class _Rollback(Exception):
    pass


class SecurityCommon(CrmCustomCommon):
    """Shared fixture of the security and reliability tests.

    One record of every model crm_custom adds or extends, on each side of the
    ownership line: a customer manager's own records, another customer
    manager's records and pool records, plus users for the five roles the
    tests probe (sales manager, customer manager, executive, portal user,
    internal user without CRM rights). crm_custom_service's
    ServiceSecurityCommon adds services."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.Partner = env["res.partner"]
        cls.Lead = env["crm.lead"]
        cls.today = fields.Date.context_today(cls.Partner)
        cls.pool = env["crm.customer.pool"].create(
            {
                "name": "Security Pool",
                "sequence": 0,
                "member_user_ids": [
                    Command.set([cls.customer_manager.id, cls.customer_manager_2.id])
                ],
                "recycle_no_followup": True,
                "no_followup_days": 30,
                "recycle_no_deal": False,
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "mask_contact": True,
                "assign_notification": "none",
            }
        )
        cls.customer_own = cls._customer("Sec Own Customer Co", cls.customer_manager)
        cls.customer_other = cls._customer(
            "Sec Other Customer Co", cls.customer_manager_2
        )
        cls.customer_pool = cls._customer(
            "Sec Pool Customer Co",
            False,
            pool_id=cls.pool.id,
            home_pool_id=cls.pool.id,
            phone="021-66668888",
            mobile="13812345678",
            email="pool@sec-pool.example.com",
            street="Zhangjiang Road 1",
        )
        cls.contact_own = cls._contact("Sec Own Contact", cls.customer_own)
        cls.contact_other = cls._contact("Sec Other Contact", cls.customer_other)
        cls.contact_pool = cls._contact(
            "Sec Pool Contact", cls.customer_pool, email="contact@sec-pool.example.com"
        )
        # A portal user of the customer manager's customer (services, S4).
        cls.portal_user = new_test_user(
            env,
            login="test_sec_portal",
            name="Sec Portal Customer",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.write(
            {
                "parent_id": cls.customer_own.id,
                "gender": "female",
                "function": "Buyer",
                "phone": "021-11112222",
            }
        )
        cls.users = {
            "sales_manager": cls.sales_manager,
            "customer_manager": cls.customer_manager,
            "executive": cls.executive,
            "portal": cls.portal_user,
            "internal": cls.internal_user,
        }
        cls.customer_level = env["crm.dictionary.item"].create(
            {"name": "Sec Level", "category": "customer_level", "code": "sec_level"}
        )
        cls.product = env["product.product"].create(
            {"name": "Sec Office Chair", "list_price": 100.0, "type": "consu"}
        )
        cls.lost_reason = env["crm.lost.reason"].create({"name": "Sec no budget"})

    # ------------------------------------------------------------------
    # Builders (as superuser unless a user is given)
    # ------------------------------------------------------------------

    @classmethod
    def _customer(cls, name, owner, env=None, **vals):
        Partner = (env or cls.env)["res.partner"]
        return Partner.create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "user_id": owner.id if owner else False,
                **vals,
            }
        )

    @classmethod
    def _contact(cls, name, customer, **vals):
        return customer.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "gender": "male",
                "function": "Purchasing Manager",
                "phone": "021-55556666",
                **vals,
            }
        )

    @classmethod
    def _order(cls, customer, salesperson, days_ago=0, confirm=True, env=None):
        env = env or cls.env
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesperson.id if salesperson else False,
                "date_order": fields.Datetime.now() - timedelta(days=days_ago),
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 2,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    @classmethod
    def _lead(cls, creator, assignee=None, **vals):
        lead = (
            cls.env["crm.lead"]
            .with_user(creator)
            .create(
                {
                    "name": "Sec needs 50 desks",
                    "partner_name": "Sec Prospect Ltd",
                    "type": "opportunity",
                    "contact_name": "Sec Liu",
                    "phone": "13800138001",
                    "is_development": True,
                    **vals,
                }
            )
        )
        if assignee:
            lead.with_user(cls.sales_manager)._assign_customer_manager(assignee)
        return lead.with_env(cls.env)

    @classmethod
    def _warning(cls, customer, days_ago=200, **vals):
        return cls.env["crm.churn.warning"].create(
            {
                "partner_id": customer.id,
                "last_order_date": cls.today - timedelta(days=days_ago),
                **vals,
            }
        )

    # ------------------------------------------------------------------
    # sec_crash: actions that run in one transaction
    # ------------------------------------------------------------------

    def _failing_run(self, func):
        """``func`` raises InjectedCrash; its transaction (a savepoint, as
        ir.cron rolls back a failed run) is rolled back whole."""
        with mute_logger("odoo.sql_db"), self.assertRaises(InjectedCrash):
            with self.env.cr.savepoint():
                func()
        self.env.invalidate_all()


# ----------------------------------------------------------------------
# sec_concurrency: transactions of their own, committed data
# ----------------------------------------------------------------------

THREADS = 4


def delete_committed_customers(env, partner_ids=(), pool_ids=(), order_ids=()):
    """Delete what a test committed from a cursor of its own: its orders, its
    customers (with their contacts, warnings, interactions, ownership
    history, activities and messages) and its pools."""
    orders = env["sale.order"].browse(order_ids).exists()
    orders.picking_ids.filtered(lambda p: p.state != "done").action_cancel()
    orders.with_context(disable_cancel_warning=True).action_cancel()
    orders.picking_ids.unlink()
    orders.unlink()
    partners = (
        env["res.partner"].with_context(active_test=False).browse(partner_ids).exists()
    )
    env["crm.churn.warning"].search([("partner_id", "in", partners.ids)]).unlink()
    env["crm.interaction"].search([("partner_id", "in", partners.ids)]).unlink()
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
    env["crm.customer.pool"].browse(pool_ids).exists().unlink()


class SecConcurrencyCommon(TransactionCase):
    """The same operation started at the same moment from separate database
    transactions (threads with their own cursors, as the Odoo workers of two
    users). The data is committed from its own cursor (the other
    transactions must see it) and removed at the end. Each thread runs its
    work through Odoo's own ``retrying`` (what every RPC request does), so
    that a serialization failure is retried exactly as in production."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_ids = [
            cls.env.ref(xmlid).id
            for xmlid in (
                "crm_custom.user_customer_manager_1",
                "crm_custom.user_customer_manager_2",
                "crm_custom.user_sales_manager",
                "base.user_admin",
            )
        ]

    def _committed(self, func):
        """Run ``func(env)`` as superuser in a cursor of its own, commit, and
        return its result."""
        with self.registry.cursor() as cr:
            result = func(api.Environment(cr, api.SUPERUSER_ID, {}))
            cr.commit()  # pylint: disable=invalid-commit
        return result

    def _cleanup(self, partner_ids=(), pool_ids=(), order_ids=()):
        self._committed(
            lambda env: delete_committed_customers(
                env, partner_ids, pool_ids, order_ids
            )
        )

    def _pool(self, env, **vals):
        return env["crm.customer.pool"].create(
            {
                "name": "Sec Concurrency Pool",
                "sequence": 99,
                "member_user_ids": [Command.set(self.user_ids)],
                "daily_claim_limit": 0,
                "owned_limit": 0,
                "reclaim_cooldown_days": 0,
                "assign_notification": "none",
                "reminder_days": 0,
                **vals,
            }
        )

    def _race(self, jobs):
        """Run each ``(uid, func)`` of ``jobs`` in its own thread and cursor,
        all released at once; ``func(env)`` goes through ``retrying``.
        Returns one ``("ok", result)`` or ``("error", exception)`` per job."""
        barrier = threading.Barrier(len(jobs))
        outcomes = [None] * len(jobs)
        dbname = self.env.cr.dbname

        def work(index, uid, func):
            threading.current_thread().dbname = dbname
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, uid, {})
                    barrier.wait(timeout=60)
                    outcomes[index] = ("ok", retrying(lambda: func(env), env))
            except Exception as error:  # noqa: BLE001 - the outcome under test
                outcomes[index] = ("error", error)

        threads = [
            threading.Thread(target=work, args=(index, uid, func), daemon=True)
            for index, (uid, func) in enumerate(jobs)
        ]
        with mute_logger("odoo.sql_db", "odoo.service.model"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
        self.assertTrue(all(outcome for outcome in outcomes), "a thread did not finish")
        SECURITY_LOGGER.info(
            "sec_concurrency: %s: %s transactions at once, %s went through",
            self._testMethodName,
            len(jobs),
            sum(kind == "ok" for kind, _result in outcomes),
        )
        return outcomes


# ----------------------------------------------------------------------
# sec_fuzz: property-based tests (hypothesis)
# ----------------------------------------------------------------------

# hypothesis keeps caches in ./.hypothesis: not in the work tree.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "crm_custom_hypothesis"))

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,  # no example database written into the work tree
    derandomize=True,  # the same inputs on every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)

ASCII_DIGITS = "0123456789"


class SecFuzzMixin:
    """Probes of the sec_fuzz tests, mixed into a SecurityCommon class: each
    attempt runs in a savepoint that is always rolled back; the number of
    inputs tried is logged."""

    tried = 0

    @classmethod
    def tearDownClass(cls):
        summary = f"sec_fuzz: {cls.tried} generated inputs tried"
        SECURITY_LOGGER.info(summary)
        super().tearDownClass()

    def _probe(self, func):
        """'ok' or the error class name; the attempt is always rolled back."""
        type(self).tried += 1
        try:
            with self.env.cr.savepoint():
                func()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            return "ok"
        except ValidationError as error:
            self.assertTrue(str(error), "an explained refusal")
            return "ValidationError"
        finally:
            self.env.invalidate_all()

    def _succeeds(self, func, refusals=()):
        """Run ``func`` in a savepoint that is always rolled back: True when
        it went through, False when refused with one of ``refusals``."""
        try:
            with self.env.cr.savepoint():
                func()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            return True
        except refusals:
            return False
        finally:
            self.env.invalidate_all()


# ----------------------------------------------------------------------
# sec_rbac: every role against every model
# ----------------------------------------------------------------------


class SecRbacCommon(SecurityCommon):
    """The rights matrix check of sec_rbac. A test class gives the spec as
    tables: ``RIGHTS`` maps (model, scope) to {operation: rights of the
    roles}, in the order of ROLES, "A" allowed or "D" denied; scopes: the
    customer manager's own record, another customer manager's record, a pool
    record, or the model as a whole. ``WIZARD_RIGHTS`` maps a wizard to who
    may open it; ``NO_SUPERUSER_BASELINE`` lists the models even the
    superuser cannot write (SQL views).

    Each cell is checked through the ORM with ``with_user`` on a fresh
    record, inside a savepoint that is rolled back, so that checks never
    influence each other. Every operation is first run as superuser to prove
    that it is valid at all: a denial is then a matter of rights, not of bad
    test data. Addons extend ``_builders``, ``_simple_vals``, ``_create_vals``
    and ``WRITE_VALS`` for their models."""

    RIGHTS = {}
    WIZARD_RIGHTS = {}
    NO_SUPERUSER_BASELINE = frozenset()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        # Records the read-only models and the children of the matrix need.
        cls.lead_own = cls._lead(cls.sales_manager, assignee=cls.customer_manager)
        cls.lead_other = cls._lead(cls.sales_manager, assignee=cls.customer_manager_2)
        cls.template = env["crm.lead.plan.template"].create(
            {
                "name": "Sec template",
                "line_ids": [Command.create({"day_offset": 1, "content": "Call"})],
            }
        )
        # Report rows on both sides: orders, a lost customer each, pool
        # history, assigned opportunities (above); services come with
        # crm_custom_service's ServiceRbacCommon.
        cls._order(cls.customer_own, cls.customer_manager, days_ago=3)
        cls._order(cls.customer_other, cls.customer_manager_2, days_ago=3)
        # After the orders, which would resolve them (W3).
        cls.warning_own = cls._warning(cls.customer_own)
        cls.warning_other = cls._warning(cls.customer_other)
        lost_own = cls._customer("Sec Lost Own Co", cls.customer_manager)
        lost_other = cls._customer("Sec Lost Other Co", cls.customer_manager_2)
        for customer in lost_own | lost_other:
            cls._warning(customer)._confirm_loss("Moved to a competitor")
        env["crm.customer.ownership.log"].create(
            [
                {
                    "partner_id": cls.customer_own.id,
                    "method": "assign",
                    "to_user_id": cls.customer_manager.id,
                    "pool_id": cls.pool.id,
                },
                {
                    "partner_id": cls.customer_other.id,
                    "method": "assign",
                    "to_user_id": cls.customer_manager_2.id,
                    "pool_id": cls.pool.id,
                },
            ]
        )
        env.flush_all()  # the analyses are SQL views
        cls.checks = []

    # ------------------------------------------------------------------
    # Fresh records per model and scope (as superuser)
    # ------------------------------------------------------------------

    def _owner(self, scope):
        return (
            self.customer_manager
            if scope.startswith("own")
            else self.customer_manager_2
        )

    def _make(self, model, scope):
        """A fresh record of ``model`` in ``scope``, as superuser."""
        seq = len(self.checks)
        builders = self._builders(scope)
        if model in builders:
            return builders[model](scope, seq)
        vals = self._simple_vals(model, scope, seq)
        if vals is not None:
            return self.env[model].create(vals)
        return self._existing_row(model, scope)

    def _builders(self, scope):
        """Builders of fresh records, by model: ``builder(scope, seq)``."""
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        owner = self._owner(scope)
        return {
            "res.partner": self._make_partner,
            "crm.churn.warning": self._make_warning,
            "crm.lead": self._make_lead,
            "crm.lead.plan.item": self._make_plan_item,
            "sale.order": lambda scope, seq: self._order(
                customer, owner, confirm=False
            ),
        }

    def _simple_vals(self, model, scope, seq):
        customer = self.customer_own if scope == "own" else self.customer_other
        if model == "crm.customer.pool.level.rule":
            pool = self.env["crm.customer.pool"].create({"name": f"Sec pool {seq}"})
            return {
                "pool_id": pool.id,
                "customer_level_id": self.customer_level.id,
                "no_followup_days": 60,
            }
        warning = self.warning_own if scope == "own" else self.warning_other
        return {
            "crm.dictionary.item": {
                "name": f"Sec region {seq}",
                "category": "region",
                "code": f"sec_r{seq}",
            },
            "crm.interaction": {
                "partner_id": customer.id,
                "summary": "Visit",
                "user_id": self._owner(scope).id,
            },
            "crm.customer.pool": {"name": f"Sec pool {seq}"},
            "crm.customer.ownership.log": {
                "partner_id": customer.id,
                "method": "claim",
                "to_user_id": self._owner(scope).id,
            },
            "crm.churn.warning.measure": {
                "warning_id": warning.id,
                "measure": "Call the buyer",
            },
            "crm.lead.plan.template": {"name": f"Sec template {seq}"},
            "crm.lead.plan.template.line": {
                "template_id": self.template.id,
                "content": "Visit",
                "day_offset": 2,
            },
        }.get(model)

    def _make_partner(self, scope, seq):
        if scope == "pool":
            return self._customer(
                f"Sec Fresh Pool {seq}",
                False,
                pool_id=self.pool.id,
                home_pool_id=self.pool.id,
            )
        if scope == "contact_other":
            return self._contact(f"Sec Fresh Contact {seq}", self.customer_other)
        return self._customer(f"Sec Fresh {scope} {seq}", self._owner(scope))

    def _make_warning(self, scope, seq):
        customer = self._customer(f"Sec Churn {scope} {seq}", self._owner(scope))
        warning = self._warning(customer)
        self.env["crm.churn.warning.measure"].create(
            {"warning_id": warning.id, "measure": "Visit with a discount offer"}
        )
        return warning

    def _make_lead(self, scope, seq):
        creator = self._owner(scope)
        if scope.endswith("unassigned"):
            return self._lead(creator)
        return self._lead(self.sales_manager, assignee=creator)

    def _make_plan_item(self, scope, seq):
        lead = self.lead_own if scope == "own" else self.lead_other
        return (
            self.env["crm.lead.plan.item"]
            .with_user(lead.user_id)
            .create({"lead_id": lead.id, "date": self.today, "content": "Call"})
            .sudo()
        )

    def _existing_row(self, model, scope):
        """Read-only models (analyses): an existing row of the scope."""
        Model = self.env[model]
        if model == "crm.customer.sales.month":
            rows = Model.search([], limit=1)
        else:
            owner_field = (
                "customer_manager_id"
                if "customer_manager_id" in Model._fields
                else "user_id"
            )
            rows = Model.search([(owner_field, "=", self._owner(scope).id)], limit=1)
        self.assertTrue(rows, f"no {model} row for scope {scope}: fixture incomplete")
        return rows

    def _create_vals(self, model, scope):
        seq = len(self.checks)
        owner = self._owner(scope)
        customer = self.customer_own if scope.startswith("own") else self.customer_other
        if model == "res.partner":
            if scope == "pool":
                return {
                    "name": f"Sec New Pool {seq}",
                    "is_company": True,
                    "customer_rank": 1,
                    "pool_id": self.pool.id,
                }
            if scope == "contact_other":
                return {
                    "name": f"Sec New Contact {seq}",
                    "parent_id": self.customer_other.id,
                    "gender": "female",
                    "function": "CEO",
                    "phone": "021-1234567",
                }
            return {
                "name": f"Sec New {seq}",
                "is_company": True,
                "customer_rank": 1,
                "user_id": owner.id,
            }
        return {
            "crm.dictionary.item": {
                "name": f"Sec new {seq}",
                "category": "region",
                "code": f"sec_new{seq}",
            },
            "crm.interaction": {"partner_id": customer.id, "summary": "Phone call"},
            "crm.customer.pool": {"name": f"Sec new pool {seq}"},
            "crm.customer.pool.level.rule": {
                "pool_id": self.pool.id,
                "customer_level_id": self.customer_level.id,
                "no_followup_days": 45,
            },
            "crm.customer.ownership.log": {
                "partner_id": customer.id,
                "method": "claim",
                "to_user_id": owner.id,
            },
            "crm.churn.warning": {
                "partner_id": self._customer(f"Sec New Churn {seq}", owner).id,
                "last_order_date": self.today - timedelta(days=300),
            },
            "crm.churn.warning.measure": {
                "warning_id": (
                    self.warning_own if scope == "own" else self.warning_other
                ).id,
                "measure": "Send a gift",
            },
            "crm.lead": {
                "name": "Sec new need",
                "partner_name": "Sec New Prospect",
                "type": "opportunity",
                # as the Development menu creates it (O1-O4 govern these)
                "is_development": True,
                **({"user_id": owner.id} if scope == "own_assigned" else {}),
            },
            "crm.lead.plan.item": {
                "lead_id": (self.lead_own if scope == "own" else self.lead_other).id,
                "date": self.today + timedelta(days=3),
                "content": "Visit",
            },
            "crm.lead.plan.template": {"name": f"Sec new template {seq}"},
            "crm.lead.plan.template.line": {
                "template_id": self.template.id,
                "content": "Quote",
                "day_offset": 5,
            },
        }.get(model, {"name": "x"})

    WRITE_VALS = {
        "res.partner": {"comment": "<p>Checked by the rights matrix</p>"},
        "crm.dictionary.item": {"description": "Checked"},
        "crm.interaction": {"place": "Shanghai office"},
        "crm.customer.pool": {"description": "Checked"},
        "crm.customer.pool.level.rule": {"no_followup_days": 40},
        "crm.customer.ownership.log": {"reason": "Rewritten history"},
        "crm.churn.warning.measure": {"customer_response": "Will think about it"},
        "crm.lead": {"description": "<p>Checked</p>"},
        "crm.lead.plan.item": {"result": "The buyer agreed to a visit"},
        "crm.lead.plan.template": {"description": "Checked"},
        "crm.lead.plan.template.line": {"content": "Checked"},
        "sale.order": {"client_order_ref": "SEC-1"},
    }

    def _operate(self, env, model, scope, operation):
        """Run one operation in ``env``; raise on refusal."""
        if operation == "create":
            env[model].create(self._create_vals(model, scope))
            return
        record = self._make(model, scope).with_env(env)
        if operation == "read":
            record.read(["display_name"])
        elif operation == "unlink":
            record.unlink()
        elif model == "crm.churn.warning":
            record.action_postpone()
        else:
            record.write(self.WRITE_VALS.get(model, {"display_name": "x"}))

    def _attempt(self, env, model, scope, operation):
        """'A' when the operation succeeds, 'D' when refused with an access
        or user error; always rolled back."""
        try:
            with self.env.cr.savepoint():
                self._operate(env, model, scope, operation)
                env.flush_all()
                raise _Rollback
        except _Rollback:
            return "A", None
        except (AccessError, UserError) as error:
            return "D", error
        finally:
            self.env.invalidate_all()

    def _check_rights_matrix(self):
        mismatches = []
        baseline_failures = []
        for (model, scope), operations in self.RIGHTS.items():
            for operation, expected in operations.items():
                if model not in self.NO_SUPERUSER_BASELINE:
                    outcome, error = self._attempt(self.env, model, scope, operation)
                    if outcome != "A":
                        baseline_failures.append(
                            f"{model}/{scope}/{operation}: {error}"
                        )
                for role, want in zip(ROLES, expected, strict=True):
                    env = self.env(user=self.users[role])
                    got, error = self._attempt(env, model, scope, operation)
                    self.checks.append((role, model, scope, operation, got))
                    if got != want:
                        mismatches.append(
                            f"{ROLE_LETTERS[role]} {model}/{scope}/{operation}: "
                            f"expected {want}, got {got} ({error})"
                        )
        for model, expected in self.WIZARD_RIGHTS.items():
            for role, want in zip(ROLES, expected, strict=True):
                allowed = (
                    self.env[model].with_user(self.users[role]).has_access("create")
                )
                got = "A" if allowed else "D"
                self.checks.append((role, model, "model", "create", got))
                if got != want:
                    mismatches.append(
                        f"{ROLE_LETTERS[role]} {model}/create: "
                        f"expected {want}, got {got}"
                    )
        models_covered = {check[1] for check in self.checks}
        summary = (
            f"sec_rbac: {len(self.checks)} role x model x operation checks, "
            f"{len(ROLES)} roles, {len(models_covered)} models, "
            f"{sum(1 for c in self.checks if c[4] == 'A')} allowed, "
            f"{sum(1 for c in self.checks if c[4] == 'D')} denied"
        )
        SECURITY_LOGGER.info(summary)
        self.assertFalse(
            baseline_failures + mismatches, "\n".join(baseline_failures + mismatches)
        )


# ----------------------------------------------------------------------
# sec_rpc: bypass attempts over HTTP JSON-RPC
# ----------------------------------------------------------------------

REFUSED = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
)
MASK = "******"


class SecRpcCommon(SecurityCommon, HttpCase):
    """Probes over /web/dataset/call_kw by a logged-in customer manager:
    each must be refused with an access or user error and leave the database
    as it was."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.lead_unassigned = cls._lead(cls.customer_manager)
        cls.lead_own = cls._lead(cls.sales_manager, assignee=cls.customer_manager)
        cls.lead_other = cls._lead(cls.sales_manager, assignee=cls.customer_manager_2)
        cls.plan_item = (
            env["crm.lead.plan.item"]
            .with_user(cls.customer_manager)
            .create({"lead_id": cls.lead_own.id, "date": cls.today, "content": "Call"})
        )
        cls._order(cls.customer_own, cls.customer_manager, days_ago=5)
        cls._order(cls.customer_other, cls.customer_manager_2, days_ago=5)
        cls.warning_own = cls._warning(cls.customer_own)
        cls.warning_other = cls._warning(cls.customer_other)
        # Exports are a right of their own: with it, exports must still hide
        # what reads hide.
        cls.customer_manager.groups_id += env.ref("base.group_allow_export")
        cls.probes = 0

    @classmethod
    def tearDownClass(cls):
        summary = f"sec_rpc: {cls.probes} JSON-RPC probes as a customer manager"
        SECURITY_LOGGER.info(summary)
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.authenticate(self.customer_manager.login, self.customer_manager.login)

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _snapshot(self, records, fnames):
        records.env.invalidate_all()
        return [
            {fname: records.browse(rid)[fname] for fname in fnames}
            for rid in records.ids
        ]

    def _refused(self, model, method, args, kwargs=None, records=None, fnames=()):
        """Probe: the call fails with an access/user error and ``fnames`` of
        ``records`` keep their values."""
        type(self).probes += 1
        before = self._snapshot(records, fnames) if records is not None else None
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"):
            with self.assertRaises(
                JsonRpcException, msg=f"{model}.{method}{args}"
            ) as caught:
                self._call(model, method, args, kwargs)
        self.assertIn(str(caught.exception), REFUSED, f"{model}.{method}")
        if records is not None:
            self.assertEqual(
                self._snapshot(records, fnames), before, f"{model}.{method}"
            )
        return str(caught.exception)
