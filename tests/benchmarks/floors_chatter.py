"""Floors of the crons with their chatter (issue 18): the recycling and
churn crons post a note on every customer or warning they change, with the
owner and pool as tracked values (recycling) or the customer manager as
follower (churn). These floors write the same rows, messages, tracking
values and followers included, in one hand-written statement each.

The values the ORM would look up once (subtypes, field ids, the author)
are parameters, as a careful developer would pass them."""

import datagen_activity
from floors import NO_DEAL_REASON, NO_FOLLOWUP_REASON, churn_sql

from odoo.tools import SQL

RECYCLED_BODY = "Recycled into the pool %s by its rule: %s"
CHURN_BODY = "Churn warning raised: %s."
CHURN_REASON_THRESHOLD = (
    "no order for more than %s months; %s days since the last order"
)
CHURN_REASON_CYCLE = "usually orders every %s days; %s days since the last order"


def recycle_with_chatter_sql(today, ids, uid=1):
    """P4 as the cron does it: release the due customers and their
    contacts, log the reason, and post on each customer a note naming the
    rule with the former owner and the new pool as tracked values.
    ``ids``: note subtype, author partner, res.partner user_id and pool_id
    field ids."""
    due_plan = datagen_activity.recycle_plan_sql(SQL("p.recycle_date <= %s", today))
    return SQL(
        """
        WITH due AS (
            SELECT plan.id, plan.user_id, plan.pool_id,
                   CASE plan.reason
                        WHEN 'followup' THEN format(%(no_followup)s, plan.followup_days)
                        ELSE format(%(no_deal)s, plan.deal_days)
                   END AS reason
              FROM (%(plan)s) plan
             WHERE plan.recycle_date <= %(today)s
        ), released AS (
            UPDATE res_partner p
               SET user_id = NULL, pool_id = due.pool_id, home_pool_id = due.pool_id,
                   commercial_user_id = NULL, commercial_pool_id = due.pool_id,
                   pool_state = 'pool', pool_previous_user_id = due.user_id,
                   pool_entry_date = %(today)s, date_owned = NULL,
                   recycle_date = NULL, pool_reminder_date = NULL,
                   write_uid = %(uid)s, write_date = now() AT TIME ZONE 'UTC'
              FROM due
             WHERE p.id = due.id
         RETURNING p.id, due.user_id, due.pool_id, due.reason, p.company_id
        ), contacts AS (
            UPDATE res_partner c
               SET pool_state = 'pool', commercial_user_id = NULL,
                   commercial_pool_id = r.pool_id
              FROM released r
             WHERE c.commercial_partner_id = r.id AND c.id <> r.id
        ), logged AS (
            INSERT INTO crm_customer_ownership_log
                   (partner_id, from_user_id, date, method, reason, user_id, pool_id,
                    company_id, create_uid, create_date, write_uid, write_date)
            SELECT r.id, r.user_id, now() AT TIME ZONE 'UTC', 'recycle', r.reason,
                   %(uid)s, r.pool_id, r.company_id, %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
              FROM released r
        ), named AS (
            SELECT r.id, r.user_id, up.name AS user_name, r.pool_id,
                   g.name->>'en_US' AS pool_name, r.reason
              FROM released r
              JOIN res_users u ON u.id = r.user_id
              JOIN res_partner up ON up.id = u.partner_id
              JOIN crm_customer_pool g ON g.id = r.pool_id
        ), message AS (
            INSERT INTO mail_message
                   (model, res_id, message_type, subtype_id, is_internal,
                    author_id, body, date, create_uid, create_date, write_uid,
                    write_date)
            SELECT 'res.partner', n.id, 'notification', %(note)s, TRUE, %(author)s,
                   '<p>' || format(%(body)s, n.pool_name, n.reason) || '</p>',
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC',
                   %(uid)s, now() AT TIME ZONE 'UTC'
              FROM named n
         RETURNING id, res_id
        )
        INSERT INTO mail_tracking_value
               (field_id, old_value_integer, old_value_char, new_value_integer,
                new_value_char, mail_message_id, create_uid, create_date,
                write_uid, write_date)
        SELECT v.field_id, v.old_id, v.old_name, v.new_id, v.new_name, m.id,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
          FROM message m
          JOIN named n ON n.id = m.res_id
         CROSS JOIN LATERAL (VALUES
               (%(user_field)s, n.user_id, n.user_name, 0, ''),
               (%(pool_field)s, 0, '', n.pool_id, n.pool_name))
               AS v(field_id, old_id, old_name, new_id, new_name)
        """,
        plan=due_plan,
        no_followup=NO_FOLLOWUP_REASON,
        no_deal=NO_DEAL_REASON,
        today=today,
        uid=uid,
        body=RECYCLED_BODY,
        note=ids["note"],
        author=ids["author"],
        user_field=ids["user_field"],
        pool_field=ids["pool_field"],
    )


def churn_with_chatter_sql(today, ids, uid=1):
    """W1 as the cron does it: the warnings, their customer manager as
    follower with the model's default subtypes, and an opening note saying
    why each was raised. ``ids``: note subtype, author partner, default
    subtypes of crm.churn.warning. The warnings are inserted first (the
    floor of ``floors.churn_sql``), then their chatter from the same rows."""
    return SQL(
        """
        WITH warning AS (
            %(insert)s
            RETURNING id, user_id, trigger_rule, threshold_months,
                      days_without_order, median_interval
        ), follower AS (
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT 'crm.churn.warning', w.id, u.partner_id
              FROM warning w JOIN res_users u ON u.id = w.user_id
         RETURNING id
        ), subtype AS (
            INSERT INTO mail_followers_mail_message_subtype_rel
                   (mail_followers_id, mail_message_subtype_id)
            SELECT f.id, s.id
              FROM follower f CROSS JOIN unnest(%(subtypes)s::int4[]) AS s(id)
        )
        INSERT INTO mail_message
               (model, res_id, message_type, subtype_id, is_internal, author_id,
                body, date, create_uid, create_date, write_uid, write_date)
        SELECT 'crm.churn.warning', w.id, 'notification', %(note)s, TRUE,
               %(author)s,
               '<p>' || format(%(body)s,
                   CASE w.trigger_rule
                        WHEN 'buying_cycle'
                        THEN format(%(cycle)s,
                                    trim_scale(round(w.median_interval::numeric, 1)),
                                    w.days_without_order)
                        ELSE format(%(threshold)s, w.threshold_months,
                                    w.days_without_order)
                   END) || '</p>',
               now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC',
               %(uid)s, now() AT TIME ZONE 'UTC'
          FROM warning w
        """,
        insert=churn_sql(today, uid),
        subtypes=ids["subtypes"],
        note=ids["note"],
        author=ids["author"],
        body=CHURN_BODY,
        cycle=CHURN_REASON_CYCLE,
        threshold=CHURN_REASON_THRESHOLD,
        uid=uid,
    )
