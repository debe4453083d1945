from odoo import api, models
from odoo.osv import expression


class CrmPoolThreadMixin(models.AbstractModel):
    """Records of a partner's thread (messages, attachments, followers) that
    are hidden while the partner is hidden by its pool (P6); see
    res_partner_pool_chatter.py for who is concerned.

    These records point to their document through (model, res_id), which
    record rules cannot follow, and what is hidden depends on the user and
    on the pools' current state: so the two access hooks of the ORM are
    extended, ``_search`` (search_read, the chatter, counts, one2many
    fields) and ``_check_access`` (read by id). Models name their two
    fields in ``_pool_thread_fields``.
    """

    _name = "crm.pool.thread.mixin"
    _description = "Thread Records Hidden with Pool Customers"

    _pool_thread_fields = ("res_model", "res_id")

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Leave out the records of partners hidden from the user.
        visible = self.env["res.partner"]._pool_visible_thread_domain(
            self, *self._pool_thread_fields
        )
        if visible is not None:
            domain = expression.AND([domain or [], visible])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        # Reading a record of a hidden partner by id is refused, even where
        # the model's own rules let the user read it (the author or a
        # recipient of a message, the creator of an attachment).
        result = super()._check_access(operation)
        return self.env["res.partner"]._pool_check_thread_access(
            self, operation, result, *self._pool_thread_fields
        )
