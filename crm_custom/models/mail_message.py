"""Chatter of pool customers (P6): hidden until claimed.

Odoo lets anyone who may read a document read its messages. A pool member
may read a pool customer (to decide whether to claim it), but while its
pool masks contact details, its messages (notes with phone numbers, emails
with their addresses, tracking values of its fields) and those of its
contacts are hidden from him, like the fields themselves; see
res_partner_pool_chatter.py for who is concerned.

A record rule cannot say this (see crm.pool.thread.mixin, which extends the
ORM's access hooks ``_search`` and ``_check_access``).
"""

from odoo import models


class MailMessage(models.Model):
    _name = "mail.message"
    _inherit = ["mail.message", "crm.pool.thread.mixin"]
    _pool_thread_fields = ("model", "res_id")

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
