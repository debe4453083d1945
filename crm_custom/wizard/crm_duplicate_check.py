from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmDuplicateCheck(models.TransientModel):
    """查重 look-up (C8): any salesperson types a name, phone, mobile, email or
    Unified Social Credit Code and sees the existing customers it matches,
    with who holds them, even those they cannot open; a pool customer can be
    claimed from here. Contact details of the matches are never shown."""

    _name = "crm.duplicate.check"
    _description = "Duplicate Check"

    query = fields.Char(
        string="Name, Phone or Credit Code",
        help="A customer name (or part of it), a phone or mobile number, an "
        "email address or a Unified Social Credit Code.",
    )
    line_ids = fields.One2many("crm.duplicate.check.line", "wizard_id", readonly=True)
    searched = fields.Boolean(readonly=True)

    _MAX_MATCHES = 20

    @api.model
    def _find_customers(self, query):
        """Customer companies matching ``query``, as superuser."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        text = (query or "").strip()
        if not text:
            return Partner.browse()
        ids = []
        code = Partner._crm_normalize_credit_code(text)
        key = Partner._crm_normalize_name(text)
        Partner.flush_model(["crm_name_key", "crm_credit_code_key"])
        if len(code) == 18:
            ids += [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        "SELECT id FROM res_partner WHERE crm_credit_code_key = %s",
                        code,
                    )
                )
            ]
        if key:
            ids += [
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        "SELECT id FROM res_partner WHERE crm_name_key IS NOT NULL "
                        "AND strpos(crm_name_key, %s) > 0 "
                        "ORDER BY crm_name_key = %s DESC, id LIMIT %s",
                        key,
                        key,
                        self._MAX_MATCHES,
                    )
                )
            ]
        values = {text, Partner._crm_normalize_cn_mobile(text)}
        contacts = Partner.search(
            [
                "|",
                "|",
                ("phone", "in", list(values)),
                ("mobile", "in", list(values)),
                ("email", "=ilike", text),
            ],
            limit=self._MAX_MATCHES,
        )
        customers = Partner.browse(ids) | contacts.commercial_partner_id
        return customers.filtered(
            lambda p: p.is_company and p.customer_rank > 0 and p.active
        )[: self._MAX_MATCHES]

    def action_search(self):
        self.ensure_one()
        if not (self.query or "").strip():
            raise UserError(
                self.env._("Type a customer name, a phone number or a credit code.")
            )
        customers = self._find_customers(self.query)
        user = self.env.user
        lines = [fields.Command.clear()]
        for customer in customers:
            if customer.pool_id:
                status = "pool"
            elif customer.user_id == user:
                status = "mine"
            elif customer.user_id:
                status = "owned"
            else:
                status = "none"
            lines.append(
                fields.Command.create(
                    {
                        "customer_name": customer.name,
                        "status": status,
                        "holder": customer._crm_duplicate_holder_label(),
                        "customer_ref": customer.id,
                        "can_claim": status == "pool"
                        and customer.pool_id._is_member(user),
                    }
                )
            )
        self.write({"line_ids": lines, "searched": True})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Duplicate Check"),
        }


class CrmDuplicateCheckLine(models.TransientModel):
    _name = "crm.duplicate.check.line"
    _description = "Duplicate Check Match"

    wizard_id = fields.Many2one(
        "crm.duplicate.check", required=True, ondelete="cascade"
    )
    customer_name = fields.Char(string="Customer", readonly=True)
    status = fields.Selection(
        [
            ("mine", "Yours"),
            ("owned", "Owned by another customer manager"),
            ("pool", "In a pool"),
            ("none", "No customer manager"),
        ],
        readonly=True,
    )
    holder = fields.Char(string="Held by", readonly=True)
    # The id only, not a relation: the user may not read the customer.
    customer_ref = fields.Integer(readonly=True)
    can_claim = fields.Boolean(readonly=True)

    def action_open(self):
        self.ensure_one()
        customer = self.env["res.partner"].browse(self.customer_ref)
        customer.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": customer.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("crm_custom.view_partner_form_crm_customer").id, "form")
            ],
        }

    def action_claim(self):
        """Claim the pool customer, with the pool's claim confirmation."""
        self.ensure_one()
        if not self.can_claim:
            raise UserError(self.env._("This customer cannot be claimed from here."))
        return (
            self.env["res.partner"]
            .browse(self.customer_ref)
            .action_open_pool_claim_wizard()
        )
