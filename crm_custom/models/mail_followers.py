"""Followers and pool customers (P6).

The followers of a customer lying in a pool that masks contact details, and
of its contacts, belong to its hidden chatter (mail_message.py): they are
hidden from the pool members who may not see the details, through the ORM's
access hooks (crm.pool.thread.mixin) since record rules cannot follow
(res_model, res_id). A masked partner following another document shows with
its email masked (``email`` is a related field, which Odoo reads in sudo
mode); see res_partner_pool_chatter.py.
"""

from odoo import models


class MailFollowers(models.Model):
    _name = "mail.followers"
    _inherit = ["mail.followers", "crm.pool.thread.mixin"]

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "email" in fnames and result:
            followers = self.browse(vals["id"] for vals in result).sudo()
            masked = self.env["res.partner"]._pool_masked_partner_ids(
                followers.partner_id.ids
            )
            partner_by_follower = {f.id: f.partner_id.id for f in followers}
            for vals in result:
                if partner_by_follower.get(vals["id"]) in masked and vals.get("email"):
                    vals["email"] = self.env["res.partner"]._POOL_MASK
        return result
