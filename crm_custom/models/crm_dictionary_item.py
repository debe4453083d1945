from odoo import api, fields, models
from odoo.osv import expression


class CrmDictionaryItem(models.Model):
    """An entry of the data dictionary 数据字典 (B1): the choice lists that the
    JB-RM-CRM spec lets managers maintain (customer level, source, company
    nature, bands, service type, ...). One model with a category, as in the
    spec, so that a new list needs no new model; other addons extend
    ``category`` with ``selection_add``."""

    _name = "crm.dictionary.item"
    _description = "Data Dictionary Entry"
    _order = "category, sequence, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    category = fields.Selection(
        selection=[
            ("customer_level", "Customer Level"),
            ("customer_source", "Source"),
            ("company_nature", "Company Nature"),
            ("annual_revenue", "Annual Revenue"),
            ("employee_count", "Employee Count"),
            ("region", "Region"),
            ("care_date_type", "Care Date Type"),
            ("followup_channel", "Follow-up Channel"),
        ],
        required=True,
        index=True,
    )
    code = fields.Char(
        help="Stable technical key, for rules that must not depend on the "
        "translated name."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        index="btree_not_null",
        help="Leave empty to share the entry with every company; set it to "
        "keep the entry to one company.",
    )

    _sql_constraints = [
        (
            "code_category_unique",
            "unique(category, code)",
            "A code must be unique within its dictionary category.",
        ),
    ]

    @api.depends("name", "category")
    @api.depends_context("show_dictionary_category")
    def _compute_display_name(self):
        if not self.env.context.get("show_dictionary_category"):
            return super()._compute_display_name()
        categories = dict(self._fields["category"]._description_selection(self.env))
        for item in self:
            item.display_name = f"{categories.get(item.category)} / {item.name}"

    @api.model
    def _search_display_name(self, operator, value):
        """Entries are also found by code and by English name, whatever the
        user's language: import files and templates stay valid in zh_CN."""
        domain = super()._search_display_name(operator, value)
        if (
            value
            and isinstance(value, str)
            and operator in ("=", "ilike", "=ilike", "like", "=like")
            and (self.env.lang or "en_US") != "en_US"
        ):
            english = self.with_context(lang="en_US")._search(
                [("name", operator, value)]
            )
            domain = expression.OR([domain, [("id", "in", english)]])
        return domain
