from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class ResPartner(models.Model):
    """P6: contact details of pooled customers hidden from non-owners.

    A field's ``groups`` cannot say this (the rule depends on the record,
    the user and the pool's current state), nor can a record rule (the
    customer itself stays readable: members decide whether to claim it).
    So each way a value leaves the server is masked where all its public
    entry points meet: values (``_read_format``), exports (``_export_rows``),
    names (``_compute_display_name``), searches (``_search``) and groups
    (``_read_group``). Each comment below says which public methods the
    override covers; overriding those instead would mean several overrides
    each, and missing the ones Odoo adds in a point release.
    """

    # A split of res.partner by concern (house style; res_partner.py is long).
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    _POOL_MASK = "******"
    # Contact details hidden from non-owners while the customer lies in a
    # pool that masks them (P6).
    _POOL_MASKED_FIELDS = frozenset(
        {
            "phone",
            "mobile",
            "email",
            "email_formatted",
            "email_normalized",
            "phone_sanitized",
            "street",
            "street2",
            "contact_address",
            "contact_address_complete",
            "qq",
        }
    )

    def _pool_masked_ids(self):
        """Ids of the partners whose contact details the current user may
        not see: customers (and their contacts) lying in a masking pool, for
        anyone but sales managers and the pool's administrators."""
        if self.env.su or self.env.user.has_group("crm_custom.group_sales_manager"):
            return set()
        in_pool = self.filtered(lambda partner: partner.pool_state == "pool")
        if not in_pool:
            return set()
        user = self.env.user
        return {
            partner.id
            for partner in in_pool.sudo()
            if partner.commercial_partner_id.pool_id.mask_contact
            and user not in partner.commercial_partner_id.pool_id.admin_user_ids
        }

    # read, search_read, web_read (forms) and web_search_read (lists) all
    # format their values here; ``read`` alone is one of them.
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked_fnames = self._POOL_MASKED_FIELDS.intersection(fnames)
        if masked_fnames and result:
            masked_ids = self.browse([vals["id"] for vals in result])._pool_masked_ids()
            for vals in result:
                if vals["id"] in masked_ids:
                    for fname in masked_fnames:
                        if vals.get(fname):
                            vals[fname] = self._POOL_MASK
        return result

    # export_data (and the import-compatible export) read the records
    # directly, not through _read_format; its rows cannot be mapped back to
    # records afterwards (x2many lines follow their record).
    def _export_rows(self, fields, *, _is_toplevel_call=True):
        columns = [
            index
            for index, path in enumerate(fields)
            if len(path) == 1 and path[0] in self._POOL_MASKED_FIELDS
        ]
        masked_ids = self._pool_masked_ids() if columns else set()
        if not masked_ids:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # Export consecutive runs of masked / visible records so that the
        # lines of each record (x2many lines included) stay in order.
        runs = []
        for partner in self:
            masked = partner.id in masked_ids
            if not runs or runs[-1][0] != masked:
                runs.append((masked, []))
            runs[-1][1].append(partner.id)
        lines = []
        for masked, ids in runs:
            records = self.browse(ids).with_prefetch(self._prefetch_ids)
            run_lines = super(ResPartner, records)._export_rows(
                fields, _is_toplevel_call=_is_toplevel_call
            )
            if masked:
                for line in run_lines:
                    for index in columns:
                        if line[index]:
                            line[index] = self._POOL_MASK
            lines += run_lines
        return lines

    # Masked details must not leak through names, groups or searches either.
    _POOL_MASKED_SEARCH_FIELDS = _POOL_MASKED_FIELDS | {"phone_mobile_search"}

    def _pool_masking_applies(self):
        return not (
            self.env.su or self.env.user.has_group("crm_custom.group_sales_manager")
        )

    @api.model
    def _pool_masked_domain(self):
        """The partners _pool_masked_ids hides, as a domain."""
        return [
            ("pool_state", "=", "pool"),
            ("commercial_partner_id.pool_id.mask_contact", "=", True),
            ("commercial_partner_id.pool_id.admin_user_ids", "not in", [self.env.uid]),
        ]

    # The documented hook for names: with show_email/show_address Odoo adds
    # the email or address to the name, read from the record, not masked.
    @api.depends_context("uid")
    def _compute_display_name(self):
        super()._compute_display_name()
        if not (
            self.env.context.get("show_email") or self.env.context.get("show_address")
        ):
            return
        masked_ids = self._pool_masked_ids()
        for partner in self.filtered(lambda p: p.id in masked_ids):
            partner.display_name = partner._get_complete_name()

    # search, search_read, search_count, name_search and the domains of
    # relational fields all end here: the one place a condition on a masked
    # field can be narrowed.
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Searching a masked field would confirm a hidden value: such a
        # condition matches only the partners whose details the user may
        # see. Only that condition is narrowed, so that a search on the name
        # (whose filter also looks at the email) still finds pool customers.
        if domain and self._pool_masking_applies():
            visible = None
            narrowed = []
            for leaf in domain:
                if (
                    isinstance(leaf, list | tuple)
                    and len(leaf) == 3
                    and isinstance(leaf[0], str)
                    and leaf[0].split(".")[0] in self._POOL_MASKED_SEARCH_FIELDS
                ):
                    if visible is None:
                        visible = [
                            "!",
                            *expression.AND(
                                [[term] for term in self._pool_masked_domain()]
                            ),
                        ]
                    narrowed += ["&", leaf, *visible]
                else:
                    narrowed.append(leaf)
            domain = narrowed
        return super()._search(domain, offset=offset, limit=limit, order=order)

    # read_group, formatted_read_group, web_read_group and the pivot and
    # graph views group here: groups by a masked field would show it.
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
        masked = {
            spec.split(":")[0].split(".")[0] for spec in groupby
        } & self._POOL_MASKED_SEARCH_FIELDS
        if (
            masked
            and self._pool_masking_applies()
            and self.search_count(
                expression.AND([domain, self._pool_masked_domain()]), limit=1
            )
        ):
            raise AccessError(
                self.env._(
                    "Customers of the pool hide their contact details until claimed: "
                    "they cannot be grouped by %(fields)s.",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(masked)
                    ),
                )
            )
        return super()._read_group(
            domain,
            groupby=groupby,
            aggregates=aggregates,
            having=having,
            offset=offset,
            limit=limit,
            order=order,
        )
