from collections import defaultdict

from odoo import api, models
from odoo.tools import OrderedSet


class CrmWebReadPrefetchMixin(models.AbstractModel):
    """Lists (``web_search_read``) whose many2one columns point to the same
    models: their display names are read once per model, not once per
    column (customers: the data dictionary and the users; opportunities:
    the customer and the users)."""

    _name = "crm.web.read.prefetch.mixin"
    _description = "Display Names of List Columns Read Together"

    @api.readonly
    def web_read(self, specification):
        self._web_read_prefetch_display_names(specification)
        return super().web_read(specification)

    def _web_read_prefetch_display_names(self, specification):
        """The customer lists show several many2one columns on one model
        (level, source, nature and region on the data dictionary; customer
        manager and creator on the users). ``web_read`` computes their
        display names column by column, one query (or two) each: compute
        them here for all the columns of each model at once, as web_read
        does (sudo), which then finds them in the cache.

        A model that ``_inherits`` another takes its display name from its
        parent (a user's name is its partner's): when the parent model has
        columns of its own (the opportunity's customer), the parents are
        read with them, not in a query of their own."""
        columns = defaultdict(list)
        for fname, field_spec in specification.items():
            field = self._fields.get(fname)
            if (
                field
                and field.type == "many2one"
                and "display_name" in (field_spec.get("fields") or {})
                and "context" not in field_spec
                and field.is_accessible(self.env)
            ):
                columns[field.comodel_name].append(fname)
        # Models whose display names are read from their parent's records
        # (``_inherits``), when the parent model has columns too.
        inherited = {
            comodel: (parent_model, link)
            for comodel in columns
            for parent_model, link in self.env[comodel]._inherits.items()
            if parent_model in columns
        }
        parents = {parent_model for parent_model, _link in inherited.values()}
        records = {}
        for comodel, fnames in columns.items():
            if len(fnames) < 2 and comodel not in inherited and comodel not in parents:
                continue
            records[comodel] = (
                self.env[comodel]
                .sudo()
                .browse(
                    OrderedSet(
                        id_
                        for fname in fnames
                        for id_ in self[fname]._ids
                        if isinstance(id_, int)
                    )
                )
            )
        parent_ids = defaultdict(OrderedSet)
        for comodel, (parent_model, link) in inherited.items():
            parent_ids[parent_model].update(records[comodel][link]._ids)
        for comodel, corecords in records.items():
            if len(columns[comodel]) < 2 and not parent_ids[comodel]:
                continue
            corecords.browse(OrderedSet(corecords._ids) | parent_ids[comodel]).mapped(
                "display_name"
            )
