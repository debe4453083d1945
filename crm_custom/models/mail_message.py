"""Chatter of pool customers (P6): hidden until claimed.

Odoo lets anyone who may read a document read its messages. A pool member
may read a pool customer (to decide whether to claim it), but while its
pool masks contact details, its messages (notes with phone numbers, emails
with their addresses, tracking values of its fields) and those of its
contacts are hidden from him, like the fields themselves; see
res_partner_pool_chatter.py for who is concerned.

A record rule cannot say this: messages point to their document through
(model, res_id), which domains cannot follow, and the hidden partners depend
on the user and on the pools' current state. So the two access hooks of the
ORM are extended instead: ``_search`` (search_read, the chatter's
/mail/thread/messages, counts, the partner's message_ids) and
``_check_access`` (read by id).
"""

from odoo import api, models
from odoo.osv import expression


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Leave out the messages of partners hidden from the user.
        visible = self.env["res.partner"]._pool_visible_thread_domain(
            self, "model", "res_id"
        )
        if visible is not None:
            domain = expression.AND([domain or [], visible])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        # Reading a message of a hidden partner by id is refused, even for
        # its author or a notified recipient (mail.message lets them read
        # it whatever the document's access).
        result = super()._check_access(operation)
        return self.env["res.partner"]._pool_check_thread_access(
            self, operation, result, "model", "res_id"
        )

    def _pool_masked_author_ids(self, for_user=False):
        """Ids of the messages whose author's address the user may not see
        (messages elsewhere written by a contact of a masked customer)."""
        authors = {
            message.id: message.author_id.id
            for message in self.sudo()
            if message.author_id and message.email_from
        }
        masked = self.env["res.partner"]._pool_masked_partner_ids(
            set(authors.values()), for_user=for_user
        )
        return {mid for mid, author_id in authors.items() if author_id in masked}

    def _read_format(self, fnames, load="_classic_read"):
        # The sender address of a message (read, search_read, web_read)
        # written by a masked partner is masked like the partner's email.
        result = super()._read_format(fnames, load=load)
        if "email_from" in fnames and result:
            masked = self.browse(
                vals["id"] for vals in result
            )._pool_masked_author_ids()
            for vals in result:
                if vals["id"] in masked and vals.get("email_from"):
                    vals["email_from"] = self.env["res.partner"]._POOL_MASK
        return result

    def _author_to_store(self, store):
        # The chatter shows the sender address, read in sudo mode for the
        # current user's browser: mask it as the user sees the author.
        res = super()._author_to_store(store)
        for message_id in self._pool_masked_author_ids(for_user=True):
            store.add(
                self.browse(message_id),
                {"email_from": self.env["res.partner"]._POOL_MASK},
            )
        return res
