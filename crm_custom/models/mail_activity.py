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
        # One exists() per model, not one query per activity.
        customers = self.env["res.partner"]
        activities = self.sudo().filtered(
            lambda activity: activity.res_model in FOLLOWUP_ACTIVITY_MODELS
            and activity.res_id
        )
        for res_model, model_activities in activities.grouped("res_model").items():
            records = (
                self.env[res_model]
                .sudo()
                .browse(set(model_activities.mapped("res_id")))
                .exists()
            )
            customers |= records if res_model == "res.partner" else records.partner_id
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if customers:
            customers._pool_register_followup()
        return res
