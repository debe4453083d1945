from odoo import api, models
from odoo.osv import expression
from odoo.tools import SQL

# Context key: read the customers' sales to date instead of their months.
SALES_TO_DATE = "crm_sales_to_date"
# Aggregates that give the same figures on the sales to date as on the
# months they roll up (``__count`` is rolled up too, see _read_group_select).
ROLLUP_SAFE_FUNCTIONS = ("sum", "count_distinct")
# Context key: group without ORDER BY (the groups are sorted in Python), so
# that PostgreSQL may hash the groups instead of sorting every row.
UNORDERED = "crm_analysis_unordered"


class CrmAnalysisMixin(models.AbstractModel):
    """Shared behaviour of the SQL-view analyses 统计报表.

    - They read the customers' monthly sales, refreshed before commit:
      apply the transaction's pending refreshes before any search so that
      an analysis never disagrees with the orders it summarises.
    - Analyses over the monthly sales (``_sales_period_fields`` set) answer
      a grouped read that involves no period from the sales to date
      (crm.customer.sales.total, one row per customer and salesperson
      instead of one per month): their default views show figures to date
      and stay fast at millions of orders. ``_table_query`` gets the
      ``crm_sales_to_date`` context key; ``month_count`` keeps Count equal.
    - A ``share`` field (percentage of the customers counted) is computed by
      the grouped query itself: the group's count over the sum of the counts
      of every group of the same query, i.e. of the rows the user can see
      with the current filters.
    - ``action_open_records`` drills down from rows to the documents behind
      them (``_drilldown_action``)."""

    _name = "crm.analysis.mixin"
    _description = "Customer Analysis"

    # Fields whose values exist only per month (the period, the row id).
    _sales_period_fields = ()
    # Fields of rows that are not sales, whatever aggregate they use.
    _sales_free_fields = ()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        self.env["crm.customer.sales.month"]._sync_pending()
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _read_group_needs_months(self, domain, groupby, aggregates, having, order):
        period_fields = set(self._sales_period_fields)
        names = [spec.split(":")[0].split(".")[0] for spec in groupby]
        for leaf in expression.normalize_domain(domain or []):
            if expression.is_leaf(leaf):
                names.append(str(leaf[0]).split(".")[0])
        for leaf in having or ():
            if expression.is_leaf(leaf):
                names.append(str(leaf[0]).split(":")[0])
        names += [
            term.strip().split(" ")[0].split(":")[0]
            for term in (order or "").split(",")
            if term.strip()
        ]
        if period_fields.intersection(names):
            return True
        for spec in aggregates:
            if spec == "__count":
                continue
            fname, _sep, func = spec.partition(":")
            if fname not in self._sales_free_fields and (
                func not in ROLLUP_SAFE_FUNCTIONS or fname in period_fields
            ):
                return True
        return False

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        model = self
        if (
            self._sales_period_fields
            and not self.env.context.get(SALES_TO_DATE)
            and not self._read_group_needs_months(
                domain, groupby, aggregates, having, order
            )
        ):
            model = self.with_context(**{SALES_TO_DATE: True})
        groupby = tuple(groupby)
        if groupby and order == ",".join(groupby) and not limit and not offset:
            # The default order of read_group (the pivot's): group on the raw
            # columns only and sort the groups here. Ordering by the names
            # of users or partners in SQL joins them to every row and groups
            # on their names, which costs more than the grouping itself.
            rows = super(
                CrmAnalysisMixin, model.with_context(**{UNORDERED: True})
            )._read_group(domain, groupby=groupby, aggregates=aggregates, having=having)
            return model._read_group_sort_rows(rows, groupby)
        return super(CrmAnalysisMixin, model)._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )

    def _read_group_orderby(self, order, groupby_terms, query):
        if self.env.context.get(UNORDERED) and not order:
            return SQL()
        return super()._read_group_orderby(order, groupby_terms, query)

    @api.model
    def _read_group_sort_rows(self, rows, groupby):
        """Sort grouped rows as read_group does in SQL: records in the order
        of their model, other values ascending, empty groups last."""
        keys = []
        for index, spec in enumerate(groupby):
            field = self._fields[spec.split(":")[0]]
            if field.type == "many2one":
                records = self.env[field.comodel_name].browse(
                    {row[index].id for row in rows if row[index]}
                )
                ranks = {
                    record_id: rank
                    for rank, record_id in enumerate(
                        records.sudo().with_context(active_test=False).sorted().ids
                    )
                }
                keys.append(
                    lambda value, ranks=ranks: (
                        not value,
                        ranks.get(value.id, len(ranks)) if value else 0,
                    )
                )
            elif field.type == "boolean":
                keys.append(lambda value: bool(value))
            else:
                keys.append(
                    lambda value: (value is False, 0 if value is False else value)
                )
        return sorted(
            rows,
            key=lambda row: tuple(key(row[i]) for i, key in enumerate(keys)),
        )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "__count" and "month_count" in self._fields:
            # Rows to date stand for as many months.
            return SQL(
                "COALESCE(SUM(%s), 0)",
                self._field_to_sql(self._table, "month_count", query),
            )
        if aggregate_spec.split(":")[0] == "share" and "share" in self._fields:
            return SQL("COUNT(*) * 100.0 / NULLIF(SUM(COUNT(*)) OVER (), 0)")
        return super()._read_group_select(aggregate_spec, query)

    def _drilldown_action(self):
        """The window action opening the documents behind these rows."""
        raise NotImplementedError

    def action_open_records(self):
        return self._drilldown_action()
