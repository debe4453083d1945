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
        # The merged partners are deleted for good, not put in the recycle
        # bin (their orders and messages moved to the one kept).
        res = super(
            BasePartnerMergeAutomaticWizard,
            self.with_context(crm_partner_unlink=True),
        )._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        self.env.invalidate_all()
        kept = (involved | before).exists()
        # The merge fills the kept partner's empty fields from the others:
        # an owned customer may have got the pool of a merged one (P1).
        kept.filtered(lambda partner: partner.user_id and partner.pool_id).write(
            {"pool_id": False, "pool_entry_date": False}
        )
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
