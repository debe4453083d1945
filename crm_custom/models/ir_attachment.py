"""Attachments of pool customers (P6): hidden until claimed.

The attachments of a customer lying in a pool that masks contact details,
and those of its contacts (business cards, files of their messages, which
Odoo attaches to the document), are hidden from the pool members who may
not see the details; see res_partner_pool_chatter.py.

Odoo decides attachment access from the document (res_model, res_id), which
record rules cannot follow, so its three entry points are extended:
``_search`` (search_read, the chatter's attachment box), ``_check_access``
(read by id: in Odoo 18 reading an attachment by id does not look at its
document) and ``check`` (downloads through /web/content and /web/image).
"""

from odoo import api, models
from odoo.osv import expression


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        visible = self.env["res.partner"]._pool_visible_thread_domain(
            self, "res_model", "res_id"
        )
        if visible is not None:
            domain = expression.AND([domain or [], visible])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        return self.env["res.partner"]._pool_check_thread_access(
            self, operation, result, "res_model", "res_id"
        )

    @api.model
    def check(self, mode, values=None):
        res = super().check(mode, values=values)
        if mode == "read" and self:
            Partner = self.env["res.partner"]
            if Partner._pool_hidden_thread_records(self, "res_model", "res_id"):
                raise Partner._pool_hidden_access_error()
        return res
