from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """X8: merging moves orders (in SQL) from the merged partners to the
        one kept, and contacts from one company to another: refresh the
        order-derived data and the ownership state of every customer
        involved."""
        Partner = self.env["res.partner"].sudo()
        involved = Partner.browse(partner_ids).exists()
        before = (involved | involved.child_ids).commercial_partner_id
        res = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        self.env.invalidate_all()
        kept = (involved | before).exists()
        # Contacts moved in SQL keep the ownership state of their former
        # company: recompute it for the whole family of the kept partners.
        family = Partner.with_context(active_test=False).search(
            [("commercial_partner_id", "in", kept.commercial_partner_id.ids)]
        )
        self.env["crm.consistency.check"].sudo()._drift_pool_state(
            True, partner_ids=(family | kept).ids
        )
        kept._crm_refresh_order_data()
        return res
