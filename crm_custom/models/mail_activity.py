"""Sources of follow-up 跟进 for the customer pool (P1, P4).

A customer is followed up when its customer manager does something with it
that the CRM records: an interaction record 交往记录 is logged, an activity on
the customer, one of its opportunities or interaction records is marked
done, a message is written on or received by the customer or one of its
opportunities, or one of its opportunities changes stage. Each of these
moves the stored ``last_followup_date`` of the customer (res.partner), so
that lists and the recycling cron read a column instead of recomputing the
history. Opportunities and orders also decide the exemptions and the
"no deal" rule, so their changes refresh the stored recycle date.
"""

from odoo import models

# Models whose records belong to a customer through ``partner_id`` and whose
# done activities count as follow-up of that customer.
FOLLOWUP_ACTIVITY_MODELS = ("res.partner", "crm.lead", "crm.interaction")


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        customers = self.env["res.partner"]
        for activity in self.sudo():
            if (
                activity.res_model not in FOLLOWUP_ACTIVITY_MODELS
                or not activity.res_id
            ):
                continue
            record = (
                self.env[activity.res_model].sudo().browse(activity.res_id).exists()
            )
            if record:
                customers |= (
                    record if record._name == "res.partner" else record.partner_id
                )
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if customers:
            customers._pool_register_followup()
        return res
