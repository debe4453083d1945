"""Attachments of pool customers (P6): hidden until claimed.

The attachments of a customer lying in a pool that masks contact details,
and those of its contacts (business cards, files of their messages, which
Odoo attaches to the document), are hidden from the pool members who may
not see the details; see res_partner_pool_chatter.py.

Odoo decides attachment access from the document (res_model, res_id), which
record rules cannot follow, so its three entry points are extended:
``_search`` (search_read, the chatter's attachment box) and ``_check_access``
(read by id: in Odoo 18 reading an attachment by id does not look at its
document) through crm.pool.thread.mixin, and ``check`` (downloads through
/web/content and /web/image).
"""

from odoo import api, models


class IrAttachment(models.Model):
    _name = "ir.attachment"
    _inherit = ["ir.attachment", "crm.pool.thread.mixin"]

    @api.model
    def check(self, mode, values=None):
        res = super().check(mode, values=values)
        if mode == "read" and self:
            Partner = self.env["res.partner"]
            if Partner._pool_hidden_thread_records(self, "res_model", "res_id"):
                raise Partner._pool_hidden_access_error()
        return res
