import json
from collections import defaultdict

from babel.dates import format_date as babel_format_date
from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.misc import get_lang
from odoo.tools.safe_eval import safe_eval

# Above this many rows the printed table is cut (with a note).
MAX_ROWS = 2000
DATE_FORMATS = {
    "day": "dd MMM yyyy",
    "week": "'W'w YYYY",
    "month": "MMMM yyyy",
    "quarter": "QQQ yyyy",
    "year": "yyyy",
}


class CrmAnalysisPrintWizard(models.TransientModel):
    """R7 打印: a PDF of an analysis as the user looks at it: its filters
    (domain), its groups (rows, then columns, of the pivot or the graph)
    and its measures, with the total of every group, in the user's
    language. Filled from the analysis' *Print PDF* menu (the current
    view's search), from a saved favorite, or by hand."""

    _name = "crm.analysis.print.wizard"
    _description = "Print an Analysis"

    res_model = fields.Selection(
        selection="_selection_res_model", string="Analysis", required=True
    )
    filter_id = fields.Many2one(
        "ir.filters",
        string="Favorite",
        domain="[('model_id', '=', res_model)]",
        help="A favorite saved on the analysis: its filters, groups and "
        "measures are printed.",
    )
    title = fields.Char()
    domain = fields.Text(default="[]", help="Filters of the rows printed.")
    print_context = fields.Text(
        string="View",
        default="{}",
        help="Groups and measures (pivot_row_groupby, pivot_measures, "
        "group_by...), as saved in favorites.",
    )
    facets = fields.Text(help="The filters as the user saw them.")

    @api.model
    def _selection_res_model(self):
        names = self.env.registry.descendants(["crm.analysis.mixin"], "_inherit")
        return sorted(
            (
                (name, self.env[name]._description)
                for name in names
                if name != "crm.analysis.mixin" and not self.env[name]._abstract
            ),
            key=lambda item: item[0],
        )

    @api.onchange("filter_id")
    def _onchange_filter_id(self):
        if self.filter_id:
            self.domain = self.filter_id.domain
            self.print_context = self.filter_id.context
            self.title = self.filter_id.name
            self.facets = False

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def action_print_view(self, res_model, domain, context, title=None, facets=None):
        """From the analysis' view (its *Print PDF* menu): print what it
        shows."""
        wizard = self.create(
            {
                "res_model": res_model,
                "domain": json.dumps(domain or []),
                "print_context": json.dumps(context or {}),
                "title": title,
                "facets": "\n".join(facets or []),
            }
        )
        return wizard.action_print()

    def action_print(self):
        self.ensure_one()
        self._print_table()  # checks the input before the report opens
        return self.env.ref(
            "crm_custom_reports.action_report_crm_analysis"
        ).report_action(self)

    # ------------------------------------------------------------------
    # The table
    # ------------------------------------------------------------------

    def _parse(self, text, kind):
        if not text:
            return kind()
        try:
            value = json.loads(text)
        except ValueError:
            try:
                value = safe_eval(text, {"uid": self.env.uid})
            except Exception as error:
                raise UserError(
                    self.env._("The filters or groups to print cannot be read.")
                ) from error
        if not isinstance(value, kind):
            raise UserError(
                self.env._("The filters or groups to print cannot be read.")
            )
        return value

    def _groupbys(self, model, context):
        rows = context.get("pivot_row_groupby") or context.get("group_by") or []
        if isinstance(rows, str):
            rows = [rows]
        cols = context.get("pivot_column_groupby") or []
        if not rows and not cols:
            rows = context.get("graph_groupbys") or []
        groupbys = []
        for spec in list(rows) + list(cols):
            fname = spec.split(":")[0]
            field = model._fields.get(fname)
            if not field or not (field.store or field.column_type):
                raise UserError(
                    self.env._(
                        "%(field)s cannot be grouped in this analysis.", field=spec
                    )
                )
            if field.type in ("date", "datetime") and ":" not in spec:
                spec = f"{spec}:month"
            if spec not in groupbys:
                groupbys.append(spec)
        return groupbys

    def _measures(self, model, context):
        measures = context.get("pivot_measures")
        if not measures and context.get("graph_measure"):
            measures = [context["graph_measure"]]
        if not measures:
            arch = model.get_views([(False, "pivot")])["views"]["pivot"]["arch"]
            measures = [
                node.get("name")
                for node in etree.fromstring(arch).iter("field")
                if node.get("type") == "measure"
            ] or ["__count"]
        specs = []
        for name in measures:
            if name in ("__count", "count"):
                specs.append(("__count", "__count", self.env._("Count")))
                continue
            field = model._fields.get(name)
            if not field or not (field.aggregator or field.type == "many2one"):
                raise UserError(
                    self.env._(
                        "%(field)s is not a measure of this analysis.", field=name
                    )
                )
            aggregate = (
                "count_distinct" if field.type == "many2one" else field.aggregator
            )
            specs.append(
                (name, f"{name}:{aggregate}", field._description_string(self.env))
            )
        return specs

    def _label(self, model, spec, value):
        fname, _sep, granularity = spec.partition(":")
        field = model._fields[fname]
        if value is False or value is None:
            return self.env._("None")
        if isinstance(value, models.BaseModel):
            return value.sudo().display_name
        if field.type in ("date", "datetime"):
            locale = get_lang(self.env).code
            pattern = DATE_FORMATS.get(granularity or "month")
            try:
                return babel_format_date(value, format=pattern, locale=locale)
            except Exception:  # noqa: BLE001 - unknown locale: ISO date
                return format_date(self.env, value)
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return str(value)

    def _print_table(self):
        """The rows of the printed table: one per group at every level of
        the grouping (with its depth), then the total, each with the value
        of every measure. One grouped query per level."""
        self.ensure_one()
        if self.res_model not in dict(self._selection_res_model()):
            raise UserError(self.env._("Choose an analysis to print."))
        model = self.env[self.res_model]
        domain = self._parse(self.domain, list)
        context = self._parse(self.print_context, dict)
        groupbys = self._groupbys(model, context)
        measures = self._measures(model, context)
        aggregates = [spec for _name, spec, _label in measures]
        levels = []
        for depth in range(len(groupbys) + 1):
            keys = groupbys[:depth]
            levels.append(
                {
                    tuple(row[:depth]): row[depth:]
                    for row in model._read_group(domain, keys, aggregates)
                }
            )
        children = defaultdict(list)
        for level in levels[1:]:
            for keys in level:
                children[keys[:-1]].append(keys)
        rows = []
        truncated = False

        def walk(prefix):
            nonlocal truncated
            for keys in children.get(prefix, ()):
                if len(rows) >= MAX_ROWS:
                    truncated = True
                    return
                depth = len(keys) - 1
                rows.append(
                    {
                        "depth": depth,
                        "label": self._label(model, groupbys[depth], keys[depth]),
                        "values": list(levels[depth + 1][keys]),
                        "is_total": False,
                    }
                )
                walk(keys)

        walk(())
        total = levels[0].get((), [0] * len(measures))
        rows.append(
            {
                "depth": 0,
                "label": self.env._("Grand Total"),
                "values": list(total),
                "is_total": True,
            }
        )
        return {
            "model_name": model._description,
            "groupbys": [
                model._fields[spec.split(":")[0]]._description_string(self.env)
                for spec in groupbys
            ],
            "measures": [label for _name, _spec, label in measures],
            "measure_types": [
                "integer"
                if name == "__count"
                or model._fields[name].type in ("integer", "many2one")
                else "float"
                for name, _spec, _label in measures
            ],
            "rows": rows,
            "truncated": truncated,
        }

    def _format_value(self, value, kind):
        if value is None or value is False:
            return ""
        if kind == "integer":
            return f"{int(round(value)):,}"
        return f"{value:,.2f}"
