from odoo import api, fields, models
from odoo.tools import SQL


class CrmCustomerSalesSummaryMixin(models.AbstractModel):
    """What the two sales summaries share (crm.customer.sales.month and
    crm.customer.sales.total): their key (customer, company, salesperson,
    plus the month for the monthly one), their measures and the upsert that
    keeps their rows equal to fresh ones. See crm.customer.sales.month for
    why they exist and how they stay correct."""

    _name = "crm.customer.sales.summary.mixin"
    _description = "Customer Sales Summary"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, ondelete="set null"
    )
    amount = fields.Float(
        string="Untaxed Amount",
        readonly=True,
        digits=(16, 2),
        help="Untaxed amount of the confirmed orders, in company currency.",
    )
    order_count = fields.Integer(string="Orders", readonly=True)

    # Key columns after partner_id, company_id and user_id; measures.
    _summary_extra_keys = ()
    _summary_measures = ("amount", "order_count")

    @api.model
    def _summary_upsert_ctes(self, fresh, scope):
        """Two data-modifying CTEs (SQL ``name AS (...)``) making the rows of
        the customers ``scope`` (SQL: a query of their ids) equal to the CTE
        ``fresh`` (same columns as the table): delete the rows it lacks,
        insert or update the others, rows already equal untouched. The
        unique key makes concurrent refreshes of one customer collide."""
        table = SQL.identifier(self._table)
        keys = ["partner_id", "company_id", "user_id", *self._summary_extra_keys]
        measures = list(self._summary_measures)
        columns = SQL(", ").join(SQL.identifier(name) for name in keys + measures)
        # Plain equality on the required keys lets the planner hash the
        # anti-join of the delete; IS NOT DISTINCT FROM alone (the nullable
        # salesperson) compares every fresh row with every stored one.
        same_key = SQL(" AND ").join(
            SQL(
                "f.%s = s.%s"
                if self._fields[name].required
                else "f.%s IS NOT DISTINCT FROM s.%s",
                SQL.identifier(name),
                SQL.identifier(name),
            )
            for name in keys
        )
        return [
            SQL(
                """%(name)s AS (
                    DELETE FROM %(table)s s
                     WHERE s.partner_id = ANY(ARRAY(%(scope)s))
                       AND NOT EXISTS (SELECT 1 FROM %(fresh)s f WHERE %(same_key)s)
                )""",
                name=SQL.identifier(f"{self._table}_gone"),
                table=table,
                scope=scope,
                fresh=SQL.identifier(fresh),
                same_key=same_key,
            ),
            SQL(
                """%(name)s AS (
                    INSERT INTO %(table)s AS s (%(columns)s)
                    SELECT %(columns)s FROM %(fresh)s
                        ON CONFLICT (%(keys)s)
                        DO UPDATE SET %(updates)s
                     WHERE (%(old)s) IS DISTINCT FROM (%(new)s)
                )""",
                name=SQL.identifier(f"{self._table}_upsert"),
                table=table,
                columns=columns,
                fresh=SQL.identifier(fresh),
                keys=SQL(", ").join(SQL.identifier(name) for name in keys),
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(n), SQL.identifier(n))
                    for n in measures
                ),
                old=SQL(", ").join(SQL("s.%s", SQL.identifier(n)) for n in measures),
                new=SQL(", ").join(
                    SQL("EXCLUDED.%s", SQL.identifier(n)) for n in measures
                ),
            ),
        ]
