"""X8 stateful property test: random sequences of claims, puts, recycles,
orders (confirmed), cancellations, orders and contacts moved between
companies and partner merges; after each step the consistency check
(crm.consistency.check) finds no drift.

Bounded and deterministic (hypothesis with ``derandomize``): 15 sequences of
at most 12 steps, rolled back between sequences."""

import logging
import os
import tempfile
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from odoo import Command
from odoo.tests import tagged

from .common import PoolCommon

_logger = logging.getLogger("odoo.tests.common.crm_x8")

set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "crm_custom_hypothesis"))

STATEFUL = settings(
    max_examples=15,
    stateful_step_count=12,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@tagged("post_install", "-at_install")
class TestX8Stateful(PoolCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {"name": "Stateful Widget", "list_price": 50.0, "type": "consu"}
        )

    def test_x8_random_operations_leave_no_drift(self):  # noqa: C901  pylint: disable=missing-return
        case = self
        env = self.env
        managers = [self.customer_manager, self.customer_manager_2]
        steps = Counter()

        class OrdersAndOwners(RuleBasedStateMachine):
            def __init__(self):
                super().__init__()
                env.flush_all()
                self.savepoint = env.cr.savepoint(flush=False)
                self.companies = [
                    case._owned(f"Stateful Co {i}", managers[i % 2]) for i in range(3)
                ]
                self.contacts = [
                    env["res.partner"].create(
                        {
                            "name": f"Stateful Contact {i}",
                            "parent_id": self.companies[i % 3].id,
                            "gender": "male",
                            "function": "Buyer",
                            "phone": f"021-5555000{i}",
                        }
                    )
                    for i in range(3)
                ]
                self.orders = []

            def teardown(self):
                env.flush_all()
                self.savepoint.close(rollback=True)
                env.invalidate_all()

            def _companies(self):
                return [c for c in self.companies if c.exists()]

            @rule(data=st.data())
            def order(self, data):
                steps["order"] += 1
                buyers = self._companies() + [c for c in self.contacts if c.exists()]
                buyer = data.draw(st.sampled_from(buyers))
                day = data.draw(st.integers(min_value=0, max_value=400))
                order = env["sale.order"].create(
                    {
                        "partner_id": buyer.id,
                        "order_line": [Command.create({"product_id": case.product.id})],
                    }
                )
                order.action_confirm()
                order.date_order = case._days_ago(day)
                self.orders.append(order)

            @precondition(lambda self: self.orders)
            @rule(data=st.data())
            def cancel(self, data):
                steps["cancel"] += 1
                order = data.draw(st.sampled_from(self.orders))
                if order.exists() and order.state == "sale":
                    order._action_cancel()

            @precondition(lambda self: self.orders)
            @rule(data=st.data())
            def move_order(self, data):
                steps["move_order"] += 1
                order = data.draw(st.sampled_from(self.orders))
                target = data.draw(st.sampled_from(self._companies()))
                if order.exists() and order.state == "sale":
                    order.partner_id = target

            @rule(data=st.data())
            def move_contact(self, data):
                steps["move_contact"] += 1
                contact = data.draw(st.sampled_from(self.contacts))
                target = data.draw(st.sampled_from(self._companies()))
                if contact.exists():
                    contact.parent_id = target

            @rule(data=st.data())
            def put(self, data):
                steps["put"] += 1
                customer = data.draw(st.sampled_from(self._companies()))
                if customer.pool_state == "owned":
                    customer.with_user(customer.user_id)._pool_put(case.pool, "Random")

            @rule(data=st.data())
            def claim(self, data):
                steps["claim"] += 1
                customer = data.draw(st.sampled_from(self._companies()))
                manager = data.draw(st.sampled_from(managers))
                if customer.pool_state == "pool":
                    customer.pool_previous_user_id = False
                    customer.with_user(manager)._pool_claim()

            @rule(data=st.data())
            def recycle(self, data):
                steps["recycle"] += 1
                customer = data.draw(st.sampled_from(self._companies()))
                if customer.pool_state == "owned":
                    customer.write(
                        {
                            "date_owned": case._days_ago(90),
                            "last_followup_date": False,
                        }
                    )
                    env["crm.customer.pool"]._cron_recycle_customers()
                    env.invalidate_all()

            @precondition(lambda self: len(self._companies()) > 1)
            @rule(data=st.data())
            def merge(self, data):
                steps["merge"] += 1
                companies = self._companies()
                keep = data.draw(st.sampled_from(companies))
                gone = data.draw(st.sampled_from([c for c in companies if c != keep]))
                env["base.partner.merge.automatic.wizard"]._merge(
                    [keep.id, gone.id], keep
                )

            @invariant()
            def no_drift(self):
                steps["check"] += 1
                # After every step: a later step could repair by chance
                # what an earlier one left stale.
                drift = env["crm.consistency.check"].check_drift()
                case.assertFalse(drift, drift[:5])

        run_state_machine_as_test(OrdersAndOwners, settings=STATEFUL)
        _logger.info("X8 state machine: %s", dict(steps))
