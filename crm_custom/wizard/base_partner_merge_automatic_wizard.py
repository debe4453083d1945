from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Merging duplicate customers (C8) with Odoo's merge wizard: orders,
    opportunities, services, follow-ups, churn data and the ownership log
    follow the partner foreign keys to the kept customer; the kept customer
    keeps its own owner and pool state, and its contacts take that state."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        Partner = self.env["res.partner"]
        partners = Partner.browse(partner_ids).sudo().exists()
        if dst_partner is None and len(partners) >= 2:
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        if dst_partner:
            (partners - dst_partner.sudo())._crm_release_duplicate_keys()
            self = self.with_context(crm_partner_merge_dst=dst_partner.id)
            dst_partner = dst_partner.with_context(crm_partner_merge_dst=dst_partner.id)
        res = super()._merge(partner_ids, dst_partner, extra_checks=extra_checks)
        if dst_partner:
            kept = dst_partner.sudo()
            members = (
                Partner.sudo()
                .with_context(active_test=False)
                .search([("commercial_partner_id", "=", kept.id)])
            )
            members.invalidate_recordset()
            self.env.add_to_compute(Partner._fields["pool_state"], members)
            self.env.add_to_compute(Partner._fields["crm_name_key"], kept)
            self.env.add_to_compute(Partner._fields["crm_credit_code_key"], kept)
            kept._pool_refresh_recycle_dates()
            members.flush_recordset()
        return res
