from odoo import models
from odoo.exceptions import AccessError, UserError


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Merging duplicate customers (C8) with Odoo's merge wizard: orders,
    opportunities, services, follow-ups, churn data and the ownership log
    follow the partner foreign keys to the kept customer; the kept customer
    keeps its own owner and pool state, and its contacts take that state;
    the order-derived data of every customer involved is refreshed (X8).

    Sales managers, who may not delete partners, merge customers and their
    contacts (only those): the merge then runs as superuser, with the same
    email check as for any user but the administrator."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _crm_merge_escalates(self):
        user = self.env.user
        return (
            not self.env.su
            and not user.has_group("base.group_partner_manager")
            and user.has_group("crm_custom.group_sales_manager")
        )

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        Partner = self.env["res.partner"]
        wizard = self
        if self._crm_merge_escalates():
            partners = Partner.browse(partner_ids).exists()
            if not all(
                partner._is_crm_customer() or partner._is_crm_customer_contact()
                for partner in partners
            ):
                raise AccessError(
                    self.env._(
                        "Sales managers merge customers and their contacts only."
                    )
                )
            if extra_checks and len(set(partners.mapped("email"))) > 1:
                raise UserError(
                    self.env._(
                        "All contacts must have the same email. Only the "
                        "Administrator can merge contacts with different emails."
                    )
                )
            wizard = self.sudo()
            dst_partner = dst_partner.sudo() if dst_partner else dst_partner
        partners = Partner.browse(partner_ids).sudo().exists()
        before = (partners | partners.child_ids).commercial_partner_id
        if dst_partner is None and len(partners) >= 2:
            dst_partner = wizard._get_ordered_partner(partners.ids)[-1]
        if dst_partner:
            (partners - dst_partner.sudo())._crm_release_duplicate_keys()
            wizard = wizard.with_context(crm_partner_merge_dst=dst_partner.id)
            dst_partner = dst_partner.with_context(crm_partner_merge_dst=dst_partner.id)
        # The merged partners are deleted for good, not put in the recycle
        # bin (their orders and messages moved to the one kept).
        res = super(
            BasePartnerMergeAutomaticWizard,
            wizard.with_context(crm_partner_unlink=True),
        )._merge(partner_ids, dst_partner, extra_checks=extra_checks)
        self.env.invalidate_all()
        kept = (partners | before).exists().sudo()
        # The merge fills the kept partner's empty fields from the others:
        # an owned customer may have got the pool of a merged one (P1).
        kept.filtered(
            lambda partner: partner.user_id and partner.pool_id
        )._guarded_write({"pool_id": False, "pool_entry_date": False})
        # Contacts moved in SQL keep the ownership state of their former
        # company: recompute it for the whole family of the kept partners.
        family = (
            Partner.sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "in", kept.commercial_partner_id.ids)])
        )
        self.env["crm.consistency.check"].sudo()._drift_pool_state(
            True, partner_ids=(family | kept).ids
        )
        self.env.add_to_compute(Partner._fields["crm_name_key"], kept)
        self.env.add_to_compute(Partner._fields["crm_credit_code_key"], kept)
        kept._pool_refresh_recycle_dates()
        kept._crm_refresh_order_data()
        (family | kept).flush_recordset()
        return res
