from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCountryState(models.Model):
    """Each province 省 belongs to one sales region 地区 (华东, 华北, ...): the
    region of a customer follows from its province (C10)."""

    _inherit = "res.country.state"

    crm_region_id = fields.Many2one(
        "crm.dictionary.item",
        string="Sales Region",
        domain="[('category', '=', 'region')]",
        ondelete="set null",
        help="The sales region of customers in this province or state.",
    )

    @api.constrains("crm_region_id")
    def _check_crm_region(self):
        for state in self:
            if state.crm_region_id and state.crm_region_id.category != "region":
                raise ValidationError(
                    self.env._(
                        "“%(item)s” is not a sales region.",
                        item=state.crm_region_id.name,
                    )
                )
