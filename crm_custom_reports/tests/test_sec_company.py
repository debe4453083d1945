"""sec_company: with two companies, the records of one are invisible and
untouchable from the other, for every model the addons add or extend
(B2, multi-company). Each company has its own sales manager and customer
manager; each side probes every record of the other side: search, read,
write and delete must all fail (search finds nothing, the others raise an
access error)."""

import logging
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.crm_custom_service.tests.common import ServiceSecurityCommon

from .common import REPORT_MODELS

# Figures go to the test framework's logger, which tests/run shows at INFO
# (run with -s to see them).
_logger = logging.getLogger("odoo.tests.common.crm_security")

WRITE_VALS = {
    "res.partner": {"comment": "<p>cross-company</p>"},
    "crm.dictionary.item": {"description": "cross-company"},
    "crm.interaction": {"place": "cross-company"},
    "crm.customer.pool": {"description": "cross-company"},
    "crm.customer.pool.level.rule": {"no_followup_days": 11},
    "crm.customer.ownership.log": {"reason": "cross-company"},
    "crm.churn.warning.measure": {"customer_response": "cross-company"},
    "crm.lead": {"description": "<p>cross-company</p>"},
    "crm.lead.plan.item": {"result": "cross-company"},
    "crm.lead.plan.template": {"description": "cross-company"},
    "crm.lead.plan.template.line": {"content": "cross-company"},
    "helpdesk.ticket": {"description": "<p>cross-company</p>"},
    "sale.order": {"client_order_ref": "cross-company"},
}


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestSecCompany(ServiceSecurityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Sec Company B"})
        cls.users_a = {
            "sales_manager": cls.sales_manager,
            "customer_manager": cls.customer_manager,
        }
        cls.users_b = {
            role: new_test_user(
                env,
                login=f"test_sec_b_{role}",
                tz=env.user.tz,
                name=f"Sec B {role}",
                groups=f"base.group_user,crm_custom.group_{role}",
                company_id=cls.company_b.id,
                company_ids=[Command.set([cls.company_b.id])],
            )
            for role in ("sales_manager", "customer_manager")
        }
        for user in (cls.sales_manager, cls.customer_manager):
            # Company A only, whatever the test database has given them.
            user.write({"company_ids": [Command.set([cls.company_a.id])]})
        cls.records_a = cls._company_records(cls.company_a, cls.users_a, "A")
        cls.records_b = cls._company_records(cls.company_b, cls.users_b, "B")
        cls.checks = 0
        cls.refusals = 0

    @classmethod
    def _company_records(cls, company, users, tag):
        """One record of every model, belonging to ``company``."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        manager, owner = users["sales_manager"], users["customer_manager"]
        customer = cls._customer(
            f"Sec {tag} Customer", owner, env=env, company_id=company.id
        )
        pool = env["crm.customer.pool"].create(
            {"name": f"Sec {tag} Pool", "company_id": company.id}
        )
        level = env["crm.dictionary.item"].create(
            {
                "name": f"Sec {tag} Level",
                "category": "customer_level",
                "code": f"sec_company_{tag}",
                "company_id": company.id,
            }
        )
        rule = env["crm.customer.pool.level.rule"].create(
            {"pool_id": pool.id, "customer_level_id": level.id, "no_followup_days": 60}
        )
        log = env["crm.customer.ownership.log"].create(
            {
                "partner_id": customer.id,
                "method": "assign",
                "to_user_id": owner.id,
                "pool_id": pool.id,
            }
        )
        interaction = env["crm.interaction"].create(
            {
                "partner_id": customer.id,
                "summary": f"Sec {tag} visit",
                "user_id": owner.id,
            }
        )
        order = cls._order(customer, owner, days_ago=2, env=env)
        warning = env["crm.churn.warning"].create(
            {
                "partner_id": customer.id,
                "last_order_date": cls.today - timedelta(days=300),
            }
        )
        measure = env["crm.churn.warning.measure"].create(
            {"warning_id": warning.id, "measure": f"Sec {tag} call"}
        )
        lost = cls._customer(f"Sec {tag} Lost", owner, env=env, company_id=company.id)
        env["crm.churn.warning"].create(
            {"partner_id": lost.id, "last_order_date": cls.today - timedelta(days=300)}
        )._confirm_loss("Competitor")
        lead = (
            env["crm.lead"]
            .with_user(manager)
            .with_company(company)
            .create(
                {
                    "name": f"Sec {tag} need",
                    "partner_name": f"Sec {tag} Prospect",
                    "type": "opportunity",
                    "is_development": True,
                }
            )
        )
        lead._assign_customer_manager(owner)
        item = (
            env["crm.lead.plan.item"]
            .with_user(owner)
            .with_company(company)
            .create({"lead_id": lead.id, "date": cls.today, "content": "Call"})
        )
        template = env["crm.lead.plan.template"].create(
            {
                "name": f"Sec {tag} template",
                "company_id": company.id,
                "line_ids": [Command.create({"content": "Call", "day_offset": 1})],
            }
        )
        service = (
            env["helpdesk.ticket"]
            .with_user(owner)
            .with_company(company)
            .create(
                {
                    "name": f"Sec {tag} service",
                    "description": "<p>Help</p>",
                    "service_type_id": cls.service_type.id,
                    "partner_id": customer.id,
                }
            )
        )
        records = {
            "res.partner": customer,
            "crm.dictionary.item": level,
            "crm.interaction": interaction,
            "crm.customer.pool": pool,
            "crm.customer.pool.level.rule": rule,
            "crm.customer.ownership.log": log,
            "crm.churn.warning": warning,
            "crm.churn.warning.measure": measure,
            "crm.lead": lead,
            "crm.lead.plan.item": item,
            "crm.lead.plan.template": template,
            "crm.lead.plan.template.line": template.line_ids,
            "helpdesk.ticket": service,
            "sale.order": order,
        }
        env.flush_all()  # the analyses are SQL views
        for report in REPORT_MODELS:
            rows = env[report].search([("company_id", "=", company.id)])
            assert rows, f"no {report} row in {company.name}"
            records[report] = rows
        return {model: recs.with_env(cls.env) for model, recs in records.items()}

    def _untouchable(self, user, records):
        """Every probe of ``user`` on ``records`` (another company's) fails."""
        failures = []
        env = self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})
        for model, recs in records.items():
            Model = env[model].with_context(active_test=False)
            self.checks += 1
            found = Model.search([("id", "in", recs.ids)])
            if found:
                failures.append(f"{user.login} finds {model} {found.ids}")
            operations = [("read", lambda r: r.read(["display_name"]))]
            if model not in REPORT_MODELS and model != "crm.churn.warning":
                operations.append(("write", lambda r, m=model: r.write(WRITE_VALS[m])))
            if model == "crm.churn.warning":
                operations.append(("write", lambda r: r.action_postpone()))
            if model not in REPORT_MODELS:
                operations.append(("unlink", lambda r: r.unlink()))
            for name, operation in operations:
                self.checks += 1
                try:
                    with self.env.cr.savepoint():
                        operation(recs.with_env(env))
                        env.flush_all()
                        raise _Rollback
                except AccessError:
                    self.refusals += 1
                except _Rollback:
                    failures.append(f"{user.login} could {name} {model} {recs.ids}")
                except Exception as error:  # noqa: BLE001 - report any other outcome
                    failures.append(
                        f"{user.login} {name} {model}: {type(error).__name__} {error}"
                    )
                finally:
                    self.env.invalidate_all()
        return failures

    @mute_logger("odoo.models", "odoo.models.unlink", "odoo.addons.base.models.ir_rule")
    def test_sec_company_records_of_one_company_untouchable_from_the_other(self):
        failures = []
        for user in self.users_a.values():
            failures += self._untouchable(user, self.records_b)
        for user in self.users_b.values():
            failures += self._untouchable(user, self.records_a)
        summary = (
            f"sec_company: {self.checks} cross-company probes on "
            f"{len(self.records_a)} models, both directions"
        )
        _logger.info(summary)
        self.assertFalse(failures, "\n".join(failures))

    def test_sec_company_each_side_sees_its_own(self):
        """The probes above fail for the right reason: each company's users
        do reach their own records."""
        for users, records in (
            (self.users_a, self.records_a),
            (self.users_b, self.records_b),
        ):
            manager = users["sales_manager"]
            env = self.env(
                user=manager, context={"allowed_company_ids": manager.company_ids.ids}
            )
            for model in (
                "res.partner",
                "crm.customer.pool",
                "crm.churn.warning",
                "crm.lead",
                "helpdesk.ticket",
                "crm.dictionary.item",
                "crm.customer.contribution.report",
            ):
                recs = records[model]
                self.assertEqual(
                    env[model].search([("id", "in", recs.ids)]),
                    recs.with_env(env),
                    model,
                )

    def test_sec_company_new_records_belong_to_the_current_company(self):
        manager = self.users_b["sales_manager"]
        env = self.env(
            user=manager, context={"allowed_company_ids": [self.company_b.id]}
        )
        pool = env["crm.customer.pool"].create({"name": "Sec B new pool"})
        self.assertEqual(pool.company_id, self.company_b)
        warning_customer = self._customer(
            "Sec B churn",
            self.users_b["customer_manager"],
            company_id=self.company_b.id,
        )
        warning = self.env["crm.churn.warning"].create(
            {
                "partner_id": warning_customer.id,
                "last_order_date": fields.Date.today() - timedelta(days=400),
            }
        )
        self.assertEqual(warning.company_id, self.company_b)
        self.assertFalse(
            self.env["crm.churn.warning"]
            .with_user(self.sales_manager)
            .search([("id", "=", warning.id)])
        )
