"""Pool masking beyond the partner's own fields (P6).

While a customer lies in a pool that masks contact details, the members who
may not see them (anyone but sales managers and the pool's administrators,
see ``_pool_masked_ids``) cannot read what would reveal those details
elsewhere. The rule is "hidden until claimed":

- the chatter of the customer and of its contacts (messages, notes, emails,
  their tracking values), their attachments and their followers are hidden
  (mail_message.py, ir_attachment.py, mail_followers.py);
- where a masked partner appears in data the member may read anyway (the
  sender address of a message it wrote elsewhere, a follower of another
  document, a suggested recipient), its email address shows as the mask.

Everything is computed from the pool state at the time of the request, so
the claimer, an administrator added to the pool or a sales manager sees it
all at once.
"""

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class ResPartner(models.Model):
    # A split of res.partner by concern (house style; res_partner.py is long).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _pool_chatter_masking_applies(self, for_user=False):
        """Whether some partners may be hidden from the current user.

        Access hooks honour ``sudo()``: code running as superuser sees all.
        With ``for_user``, only the user decides (the web client payloads
        that Odoo builds in sudo mode for the current user's browser).
        """
        user = self.env.user
        return not (
            (self.env.su and not for_user)
            or user._is_superuser()
            or user.has_group("crm_custom.group_sales_manager")
        )

    @api.model
    def _pool_hidden_partner_sql(self, table, id_fname):
        """A subquery of the partner hidden from the current user whose id
        is ``table.id_fname``: correlated on the partner's primary key, so
        that the database looks up the partners of the rows it reads instead
        of collecting every hidden partner (NOT IN a large set)."""
        query = (
            self.sudo()
            .with_context(active_test=False)
            ._search(self._pool_masked_domain())
        )
        query.add_where(
            SQL(
                "%s = %s",
                SQL.identifier(query.table, "id"),
                SQL.identifier(table, id_fname),
            )
        )
        return query.subselect()

    @api.model
    def _pool_visible_thread_domain(self, records, model_fname, id_fname):
        """The domain of the ``records`` (messages, attachments, followers)
        that do not belong to a partner hidden from the current user; None
        when nothing is hidden from him."""
        if not self._pool_chatter_masking_applies():
            return None
        return [
            "|",
            (model_fname, "!=", "res.partner"),
            (
                id_fname,
                "not in",
                self._pool_hidden_partner_sql(records._table, id_fname),
            ),
        ]

    @api.model
    def _pool_hidden_thread_records(self, records, model_fname, id_fname):
        """The part of ``records`` that belongs to a partner hidden from the
        current user."""
        ids = [id_ for id_ in records._ids if isinstance(id_, int)]
        if not ids or not self._pool_chatter_masking_applies():
            return records.browse()
        query = (
            records.sudo()
            .with_context(active_test=False)
            ._search(
                [
                    ("id", "in", ids),
                    (model_fname, "=", "res.partner"),
                    (
                        id_fname,
                        "in",
                        self._pool_hidden_partner_sql(records._table, id_fname),
                    ),
                ]
            )
        )
        return records.browse(query)

    @api.model
    def _pool_check_thread_access(
        self, records, operation, result, model_fname, id_fname
    ):
        """Complete the result of ``_check_access`` of ``records`` (see
        BaseModel._check_access) with reading what belongs to hidden
        partners."""
        if operation != "read":
            return result
        hidden = self._pool_hidden_thread_records(records, model_fname, id_fname)
        if result:
            hidden -= result[0]
        if not hidden:
            return result
        forbidden = result[0] + hidden if result else hidden
        return forbidden, self._pool_hidden_access_error

    @api.model
    def _pool_hidden_access_error(self):
        return AccessError(
            self.env._(
                "This customer lies in a customer pool that hides its contact "
                "details: its messages, attachments and followers show once "
                "it is claimed."
            )
        )

    @api.model
    def _pool_masked_partner_ids(self, partner_ids, for_user=False):
        """Among ``partner_ids``, those whose contact details the current user
        may not see (see _pool_chatter_masking_applies for ``for_user``)."""
        partner_ids = [id_ for id_ in partner_ids if isinstance(id_, int)]
        if not partner_ids or not self._pool_chatter_masking_applies(for_user):
            return set()
        return set(
            self.sudo()
            .with_context(active_test=False)
            ._search([("id", "in", partner_ids), *self._pool_masked_domain()])
        )

    # --- Notifications -------------------------------------------------

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        # Followers are notified of new messages, by email or in their
        # inbox: while the partner is hidden from them, the users who follow
        # it (its previous owner, typically) are not. Recipients named on
        # the message itself are kept: the author chose them.
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        partner = self.sudo()
        if len(partner) != 1 or partner.pool_state != "pool":
            return recipients
        pool = partner.commercial_partner_id.pool_id
        if not pool.mask_contact:
            return recipients
        named = set(
            msg_vals.get("partner_ids", [])
            if msg_vals
            else message.sudo().partner_ids.ids
        )
        # Internal users only: portal users are the customer's own people.
        user_ids = {
            r["uid"]
            for r in recipients
            if r.get("uid") and not r.get("ushare") and r["id"] not in named
        }
        if not user_ids:
            return recipients
        users = self.env["res.users"].sudo().browse(user_ids)
        hidden_uids = {
            user.id
            for user in users
            if not user._is_superuser()
            and not user.has_group("crm_custom.group_sales_manager")
            and user not in pool.admin_user_ids
        }
        return [
            r
            for r in recipients
            if not (r.get("uid") in hidden_uids and r["id"] not in named)
        ]

    # --- Web client payloads -------------------------------------------

    def _to_store(self, store, /, *, fields=None, main_user_by_partner=None):
        # The chatter shows followers, mentions and recipients from partners
        # read in sudo mode (mail.followers._to_store): mask the address of
        # those whose details the user may not see.
        res = super()._to_store(
            store, fields=fields, main_user_by_partner=main_user_by_partner
        )
        if fields is None or "email" in fields:
            for partner_id in self._pool_masked_partner_ids(self._ids, for_user=True):
                partner = self.browse(partner_id)
                if partner.sudo().email:
                    store.add(partner, {"email": self._POOL_MASK})
        return res
