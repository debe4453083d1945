from odoo import fields, models
from odoo.tools import SQL

# B3: the changes of customers and contacts the operation log lists.
OPERATION_LOG_FIELDS = (
    "user_id",
    "pool_id",
    "customer_level_id",
    "credit_rating",
    "satisfaction",
    "name",
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "country_id",
    "active",
)


class CrmOperationLog(models.Model):
    """B3 operation log 操作日志: the key changes of customers and contacts
    across records, read from Odoo's own tracking (mail.tracking.value of
    their chatter), and their deletions (crm.deletion.log). Who changed
    what, when, from which value to which."""

    _name = "crm.operation.log"
    _description = "Operation Log"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "record_name"

    date = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    operation = fields.Selection(
        [("change", "Change"), ("delete", "Deletion")], readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Record", readonly=True)
    record_name = fields.Char(readonly=True)
    field_name = fields.Char(string="Technical Field Name", readonly=True)
    field_label = fields.Char(string="Field", readonly=True)
    old_value = fields.Char(readonly=True)
    new_value = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT tv.id * 2 AS id,
                   m.date AS date,
                   m.create_uid AS user_id,
                   'change' AS operation,
                   p.id AS partner_id,
                   p.name AS record_name,
                   f.name AS field_name,
                   COALESCE(f.field_description->>%(lang)s,
                            f.field_description->>'en_US') AS field_label,
                   COALESCE(tv.old_value_char, tv.old_value_text,
                            tv.old_value_datetime::text,
                            CASE WHEN f.ttype IN ('integer', 'boolean')
                                 THEN tv.old_value_integer::text END,
                            CASE WHEN f.ttype IN ('float', 'monetary')
                                 THEN tv.old_value_float::text END) AS old_value,
                   COALESCE(tv.new_value_char, tv.new_value_text,
                            tv.new_value_datetime::text,
                            CASE WHEN f.ttype IN ('integer', 'boolean')
                                 THEN tv.new_value_integer::text END,
                            CASE WHEN f.ttype IN ('float', 'monetary')
                                 THEN tv.new_value_float::text END) AS new_value,
                   p.company_id AS company_id
              FROM mail_tracking_value tv
              JOIN ir_model_fields f ON f.id = tv.field_id
              JOIN mail_message m ON m.id = tv.mail_message_id
              JOIN res_partner p ON p.id = m.res_id
             WHERE m.model = 'res.partner' AND f.model = 'res.partner'
               AND f.name IN %(fields)s
            UNION ALL
            SELECT d.id * 2 + 1, d.date, d.user_id, 'delete', NULL, d.name,
                   NULL, NULL, d.name, NULL, d.company_id
              FROM crm_deletion_log d
            """,
            fields=OPERATION_LOG_FIELDS,
            lang=self.env.lang or "en_US",
        )
