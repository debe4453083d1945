"""Suggested recipients and pool customers (P6).

The chatter suggests the document's partners as recipients, with their email
address, read in sudo mode: a partner whose contact details the user may not
see (a customer lying in a masking pool, or one of its contacts) is
suggested with its address masked. Every document's suggestions go through
``_message_add_suggested_recipient``.
"""

from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_add_suggested_recipient(
        self, result, partner=None, email=None, lang=None, reason=""
    ):
        result = super()._message_add_suggested_recipient(
            result, partner=partner, email=email, lang=lang, reason=reason
        )
        if partner:
            Partner = self.env["res.partner"]
            if Partner._pool_masked_partner_ids(partner.ids, for_user=True):
                for recipient in result:
                    if recipient.get("partner_id") == partner.id and recipient.get(
                        "email"
                    ):
                        recipient["email"] = Partner._POOL_MASK
        return result
