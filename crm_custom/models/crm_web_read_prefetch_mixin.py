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
        ids = {
            comodel: OrderedSet(
                id_
                for fname in fnames
                for id_ in self[fname]._ids
                if isinstance(id_, int)
            )
            for comodel, fnames in columns.items()
        }
        # Parents (``_inherits``) that have columns too read the display
        # names of their children's records with their own.
        with_children = set()
        for comodel in columns:
            for parent_model, link in self.env[comodel]._inherits.items():
                if parent_model in columns:
                    children = self.env[comodel].sudo().browse(ids[comodel])
                    ids[parent_model].update(children[link]._ids)
                    with_children.add(parent_model)
        for comodel, comodel_ids in ids.items():
            if comodel_ids and (len(columns[comodel]) > 1 or comodel in with_children):
                self.env[comodel].sudo().browse(comodel_ids).mapped("display_name")
