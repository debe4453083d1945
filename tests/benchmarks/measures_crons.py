"""The recycling (P4) and churn (W1) crons with their chatter, against
floors that write the same rows: the customers or warnings, the log rows,
and the notes, tracking values and followers the crons post (issue 18:
ratio <= 1.5). Each side in a transaction rolled back, best of the runs."""

import time

import floors_chatter
from measures import (
    CHURN_CRON,
    RECYCLE_CRON,
    _cron_call,
    _max_id,
    best_of,
    result,
)

CRON_RATIO_TARGET = 1.5


def _chatter_ids(ctx):
    key = ("chatter ids",)
    if key not in ctx.cache:
        with ctx.registry.cursor() as cr:
            env = ctx.env(cr)
            Field = env["ir.model.fields"]
            ctx.cache[key] = {
                "note": env.ref("mail.mt_note").id,
                "author": env.user.partner_id.id,
                "user_field": Field._get("res.partner", "user_id").id,
                "pool_field": Field._get("res.partner", "pool_id").id,
                "subtypes": env["mail.message.subtype"]
                .default_subtypes("crm.churn.warning")[0]
                .ids,
            }
    return ctx.cache[key]


def _marks(cr):
    return {
        table: _max_id(cr, table)
        for table in (
            "crm_customer_ownership_log",
            "crm_churn_warning",
            "mail_message",
            "mail_tracking_value",
            "mail_followers",
        )
    }


def _recycle_effect(cr, marks):
    cr.execute(
        """
        SELECT COUNT(*),
               md5(string_agg(concat_ws(':', partner_id, from_user_id, pool_id, reason),
                              ',' ORDER BY partner_id))
          FROM crm_customer_ownership_log WHERE id > %s AND method = 'recycle'
        """,
        [marks["crm_customer_ownership_log"]],
    )
    logs, digest = cr.fetchone()
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE pool_state = 'pool'")
    in_pool = cr.fetchone()[0]
    cr.execute(
        """
        SELECT COUNT(*), md5(string_agg(concat_ws(':', res_id, subtype_id, body),
                                        ',' ORDER BY res_id))
          FROM mail_message WHERE id > %s AND model = 'res.partner'
        """,
        [marks["mail_message"]],
    )
    messages, message_digest = cr.fetchone()
    cr.execute(
        """
        SELECT COUNT(*),
               md5(string_agg(concat_ws(':', m.res_id, v.field_id, v.old_value_integer,
                                        v.old_value_char, v.new_value_integer,
                                        v.new_value_char),
                              ',' ORDER BY m.res_id, v.field_id))
          FROM mail_tracking_value v JOIN mail_message m ON m.id = v.mail_message_id
         WHERE v.id > %s
        """,
        [marks["mail_tracking_value"]],
    )
    tracked, tracking_digest = cr.fetchone()
    return {
        "log rows": logs,
        "partners in pool": in_pool,
        "digest": digest,
        "messages": messages,
        "message digest": message_digest,
        "tracking values": tracked,
        "tracking digest": tracking_digest,
    }


def _churn_effect(cr, marks):
    cr.execute(
        """
        SELECT COUNT(*),
               md5(string_agg(concat_ws(':', partner_id, user_id, trigger_rule,
                                        last_order_date, days_without_order),
                              ',' ORDER BY partner_id))
          FROM crm_churn_warning WHERE id > %s
        """,
        [marks["crm_churn_warning"]],
    )
    count, digest = cr.fetchone()
    cr.execute(
        """
        SELECT COUNT(*), md5(string_agg(concat_ws(':', w.partner_id, m.subtype_id,
                                                  m.body),
                                        ',' ORDER BY w.partner_id))
          FROM mail_message m JOIN crm_churn_warning w ON w.id = m.res_id
         WHERE m.id > %s AND m.model = 'crm.churn.warning'
        """,
        [marks["mail_message"]],
    )
    messages, message_digest = cr.fetchone()
    cr.execute(
        """
        SELECT COUNT(DISTINCT f.id), COUNT(r.mail_message_subtype_id),
               md5(string_agg(concat_ws(':', w.partner_id, f.partner_id,
                                        r.mail_message_subtype_id),
                              ',' ORDER BY w.partner_id, r.mail_message_subtype_id))
          FROM mail_followers f
          JOIN crm_churn_warning w ON w.id = f.res_id
          LEFT JOIN mail_followers_mail_message_subtype_rel r
                 ON r.mail_followers_id = f.id
         WHERE f.id > %s AND f.res_model = 'crm.churn.warning'
        """,
        [marks["mail_followers"]],
    )
    followers, subtypes, follower_digest = cr.fetchone()
    return {
        "warnings": count,
        "digest": digest,
        "messages": messages,
        "message digest": message_digest,
        "followers": followers,
        "follower subtypes": subtypes,
        "follower digest": follower_digest,
    }


def _measure(ctx, label, xmlid, floor_sql, effect):
    def product_run():
        with ctx.registry.cursor() as cr:
            env = ctx.env(cr)
            method = _cron_call(env, xmlid)
            marks = _marks(cr)
            start = time.perf_counter()
            method()
            env.flush_all()
            elapsed = time.perf_counter() - start
            found = effect(cr, marks)
            cr.rollback()
        return elapsed, found

    def floor_run():
        with ctx.registry.cursor() as cr:
            marks = _marks(cr)
            start = time.perf_counter()
            cr.execute(floor_sql)
            elapsed = time.perf_counter() - start
            found = effect(cr, marks)
            cr.rollback()
        return elapsed, found

    return best_of(ctx, label, product_run, floor_run)


def _row(name, product, floor, p_effect, f_effect):
    same = p_effect == f_effect
    if not same:
        import logging  # noqa: PLC0415

        logging.getLogger("crm_bench").error(
            "%s: the product and its floor did not do the same work %s != %s",
            name,
            p_effect,
            f_effect,
        )
        floor = None
    return result(
        name,
        round(product, 6),
        "s",
        floor=None if floor is None else round(floor, 6),
        ratio=product / floor if floor else None,
        target=f"ratio <= {CRON_RATIO_TARGET}",
        met=bool(floor) and product / floor <= CRON_RATIO_TARGET,
    )


def measure_recycle(ctx):
    floor_sql = floors_chatter.recycle_with_chatter_sql(ctx.today, _chatter_ids(ctx))
    product, floor, p_effect, f_effect = _measure(
        ctx, "recycle", RECYCLE_CRON, floor_sql, _recycle_effect
    )
    name = (
        f"pool recycling cron with chatter ({p_effect['log rows']:,} due, "
        f"{p_effect['messages']:,} notes)"
    )
    return [_row(name, product, floor, p_effect, f_effect)]


def measure_churn(ctx):
    floor_sql = floors_chatter.churn_with_chatter_sql(ctx.today, _chatter_ids(ctx))
    product, floor, p_effect, f_effect = _measure(
        ctx, "churn", CHURN_CRON, floor_sql, _churn_effect
    )
    name = (
        f"churn cron with chatter ({p_effect['warnings']:,} new warnings, "
        f"{p_effect['followers']:,} followers)"
    )
    return [_row(name, product, floor, p_effect, f_effect)]
