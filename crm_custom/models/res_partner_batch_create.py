"""Customers created together (C5, issue 18): an import of thousands of
customers spent much of its time in work Odoo does record by record.

- Odoo subscribes the owner (``user_id``, tracked) of each new customer
  record by record, one query or more per customer. Customers created in
  one batch have their auto-subscriptions collected and done once per group
  of customers that subscribe the same partners, with the same subtypes and
  notifications: the followers are the same as record by record (in chunks
  of at most 500 customers).
"""

from odoo import api, models
from odoo.tools import split_every

BATCH_KEY = "crm_partner_create_batch"
# Records per auto-subscription call: mail.followers._add_followers scans
# the existing followers of the whole call for each record (quadratic: 2.5 s
# of 10,000 customers imported at once).
SUBSCRIBE_CHUNK = 500


class PartnerCreateBatch:
    """What a batch collects, in the context of its creation. Compared by
    identity (Odoo compares contexts to reuse environments)."""

    __slots__ = ("calls", "open")

    def __init__(self):
        self.open = True
        self.calls = []


class ResPartner(models.Model):
    # A split of res.partner by concern (house style; res_partner.py is long).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        if len(vals_list) < 2 or self.env.context.get(BATCH_KEY):
            return super().create(vals_list)
        batch = PartnerCreateBatch()
        try:
            partners = super(
                ResPartner, self.with_context(**{BATCH_KEY: batch})
            ).create(vals_list)
        finally:
            # Records kept with this context (e.g. by precommit hooks)
            # subscribe at once from now on.
            batch.open = False
        self._crm_auto_subscribe_batch(batch.calls)
        return partners.with_env(self.env)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        batch = self.env.context.get(BATCH_KEY)
        if not self or not batch or not batch.open:
            return super()._message_auto_subscribe(
                updated_values, followers_existing_policy=followers_existing_policy
            )
        batch.calls.append((self, updated_values, followers_existing_policy))
        return True

    @api.model
    def _crm_auto_subscribe_batch(self, calls):
        """Run the collected auto-subscriptions, one call per group of
        records whose values subscribe and notify the same partners."""
        if not calls:
            return
        _child, def_ids, _internal, _parent, relation = self.env[
            "mail.message.subtype"
        ]._get_auto_subscription_subtypes(self._name)
        relation_fnames = sorted(
            {fname for fnames in relation.values() for fname in fnames}
        )
        groups = {}
        for records, values, policy in calls:
            # in the environment of the call (sudo, user), its batch closed
            followers = records._message_auto_subscribe_followers(values, def_ids)
            key = (
                records.env,
                policy,
                repr([(fname, values.get(fname)) for fname in relation_fnames]),
                repr(followers),
            )
            # the ids, not a union per call: a union copies the group's ids
            # (quadratic in the records of an import)
            group = groups.setdefault(key, [records.browse(), [], values, policy])
            group[1].extend(records.ids)
        for empty, ids, values, policy in groups.values():
            for chunk in split_every(SUBSCRIBE_CHUNK, ids, empty.browse):
                chunk._message_auto_subscribe(values, followers_existing_policy=policy)
