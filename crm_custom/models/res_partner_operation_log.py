from odoo import api, fields, models


class ResPartner(models.Model):
    """B3 operation log 操作日志: the key changes of customers and contacts
    are tracked in their chatter (owner, pool, level, credit, satisfaction:
    see res_partner.py; name, phones, email and address here) and listed
    across records in *CRM > Customers > Operation Log*, with the deletions
    (crm.deletion.log).

    C2 recycle bin 回收站: deleting a contact of a customer, from any screen,
    archives it into the recycle bin; deleting it from the bin deletes it."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    name = fields.Char(tracking=True)
    phone = fields.Char(tracking=True)
    mobile = fields.Char(tracking=True)
    email = fields.Char(tracking=True)
    street = fields.Char(tracking=True)
    street2 = fields.Char(tracking=True)
    city = fields.Char(tracking=True)
    zip = fields.Char(tracking=True)
    state_id = fields.Many2one(tracking=True)
    country_id = fields.Many2one(tracking=True)

    def unlink(self):
        # The standard right to delete partners (e.g. Contact Creation)
        # decides who may; the recycle bin decides what it does.
        self.check_access("unlink")
        to_bin = self.browse()
        if not (self.env.su or self.env.context.get("crm_partner_unlink")):
            # The contacts the recycle bin lists: people of companies.
            to_bin = self.filtered(
                lambda partner: partner.active
                and not partner.is_company
                and partner.type == "contact"
                and partner.parent_id.is_company
            )
        if to_bin:
            to_bin.action_archive()
        rest = self - to_bin
        if rest:
            self.env["crm.deletion.log"]._log_deletions(rest)
            return super(ResPartner, rest).unlink()
        return True


class CrmDeletionLog(models.Model):
    """B3: who deleted which customer or contact, and when. Written only
    when partners are deleted; nobody edits it."""

    _name = "crm.deletion.log"
    _description = "Deletion Log"
    _order = "date desc, id desc"
    _rec_name = "name"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    name = fields.Char(string="Deleted Record", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Deleted By", readonly=True, ondelete="set null"
    )
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one("res.company", readonly=True, ondelete="set null")

    @api.model
    def _log_deletions(self, records):
        self.sudo().create(
            [
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "name": record.sudo().display_name,
                    "user_id": self.env.uid,
                    "company_id": record.sudo().company_id.id,
                }
                for record in records
            ]
        )
