# Its own file by concern (house style: models/<model>_<concern>.py).
# pylint: disable=consider-merging-classes-inherited
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, html2plaintext

CUSTOMER_CODE_SEQUENCE = "crm_custom.seq_crm_customer_code"


class ResPartner(models.Model):
    """China-ready customer data (C10): province → city pick lists from
    Odoo's China localization (l10n_cn_city, base_address_extended), the
    sales region 地区 derived from the province, the customer code 客户编码
    and the field limits of the spec for customers and their contacts."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The region follows the province (res.country.state.crm_region_id);
    # only customers without a province of known region (none given, or
    # abroad) get a region typed or imported.
    region_id = fields.Many2one(
        "crm.dictionary.item",
        domain="[('category', '=', 'region')]",
        compute="_compute_region_id",
        store=True,
        readonly=False,
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        help="Sales region 地区 of the customer, derived from its province.",
    )
    customer_code = fields.Char(
        compute="_compute_customer_code",
        store=True,
        readonly=True,
        copy=False,
        index="trigram",
        help="客户编码: numbered automatically when a company becomes a "
        "customer (prefix in the CRM settings); never changes afterwards.",
    )

    _sql_constraints = [
        (
            "customer_code_unique",
            "unique(customer_code)",
            "Another customer already has this customer code.",
        ),
    ]

    # Field limits of the spec (seed 000, 3.2.1.2): customers and contacts.
    _CRM_FIELD_MAX_LENGTHS = {
        "function": 50,
        "email": 50,
        "phone": 20,
        "mobile": 20,
        "street": 100,
        "street2": 100,
    }
    _CRM_NOTES_MAX_LENGTH = 500
    _CRM_TITLE_MAX_LENGTH = 50

    @api.depends("state_id", "state_id.crm_region_id")
    def _compute_region_id(self):
        for partner in self:
            if partner.state_id.crm_region_id:
                partner.region_id = partner.state_id.crm_region_id
            elif partner.state_id:
                partner.region_id = False
            else:
                partner.region_id = partner.region_id

    @api.depends("is_company", "customer_rank")
    def _compute_customer_code(self):
        """A code once given is kept; new customers get the next numbers of
        the sequence, in one query for the whole batch. Records being
        edited in a form (new records) get theirs when saved."""
        to_number_ids = []
        for partner in self:
            if partner.customer_code:
                continue
            partner.customer_code = False
            if (
                isinstance(partner.id, int)
                and partner.is_company
                and partner.customer_rank > 0
            ):
                to_number_ids.append(partner.id)
        if to_number_ids:
            to_number = self.browse(to_number_ids)
            for partner, code in zip(
                to_number, self._crm_next_customer_codes(len(to_number)), strict=True
            ):
                partner.customer_code = code

    @api.model
    def _crm_next_customer_codes(self, count):
        """``count`` new customer codes (all False while the sequence does
        not exist yet, during the installation of the module)."""
        sequence = self.env.ref(CUSTOMER_CODE_SEQUENCE, raise_if_not_found=False)
        if not sequence or not count:
            return [False] * count
        sequence = sequence.sudo()
        if sequence.implementation != "standard" or count == 1:
            return [sequence.next_by_id() for _i in range(count)]
        rows = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        # ``get_next_char`` interpolates the prefix and suffix (dates in the
        # user's time zone) again for every number: once for the batch.
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for (number,) in rows]

    @api.model
    def _crm_number_existing_customers(self):
        """Numbers the customers that have no code yet (at installation:
        those created before the module), oldest first."""
        customers = self.with_context(active_test=False).search(
            [
                ("customer_code", "=", False),
                ("is_company", "=", True),
                ("customer_rank", ">", 0),
            ],
            order="create_date, id",
        )
        codes = self._crm_next_customer_codes(len(customers))
        if customers and codes[0]:
            values = SQL(", ").join(
                SQL("(%s, %s)", partner.id, code)
                for partner, code in zip(customers, codes, strict=True)
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner p SET customer_code = v.code "
                    "FROM (VALUES %s) AS v(id, code) WHERE p.id = v.id",
                    values,
                )
            )
            customers.invalidate_recordset(["customer_code"])
        return customers

    @api.constrains("city_id", "state_id", "country_id")
    def _check_city_in_state(self):
        """The city picked from the list must lie in the province (and the
        country) of the address."""
        for partner in self:
            city = partner.city_id
            if not city:
                continue
            if (
                city.state_id and partner.state_id and city.state_id != partner.state_id
            ) or (partner.country_id and city.country_id != partner.country_id):
                raise ValidationError(
                    self.env._(
                        "The city %(city)s is not in %(state)s: pick a city of "
                        "the province of %(partner)s, or change the province.",
                        city=city.name,
                        state=partner.state_id.name or partner.country_id.name,
                        partner=partner.display_name,
                    )
                )

    @api.constrains(
        *_CRM_FIELD_MAX_LENGTHS,
        "comment",
        "title",
        "is_company",
        "parent_id",
        "type",
        "customer_rank",
    )
    def _check_crm_field_lengths(self):
        for partner in self:
            if not (partner._is_crm_customer() or partner._is_crm_customer_contact()):
                continue
            checks = []
            for fname, max_length in self._CRM_FIELD_MAX_LENGTHS.items():
                value = partner[fname]
                if fname == "email" and value:
                    # “Name <address>”: the limit is the address's
                    named = re.fullmatch(r"[^<>]*<([^<>]+)>", value.strip())
                    value = named.group(1).strip() if named else value
                checks.append((fname, value, max_length))
            checks.append(
                (
                    "comment",
                    html2plaintext(partner.comment or "").strip(),
                    self._CRM_NOTES_MAX_LENGTH,
                )
            )
            checks.append(("title", partner.title.name, self._CRM_TITLE_MAX_LENGTH))
            for fname, value, max_length in checks:
                if value and len(value) > max_length:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(partner)s has %(length)s characters: "
                            "at most %(max)s are allowed for customers and "
                            "their contacts.",
                            field=partner._crm_field_label(fname),
                            partner=partner.name or self.env._("(no name)"),
                            length=len(value),
                            max=max_length,
                        )
                    )

    @api.onchange("state_id")
    def _onchange_state_id_crm_city(self):
        """Another province empties a city that is not in it."""
        if (
            self.city_id
            and self.state_id
            and self.city_id.state_id
            and self.city_id.state_id != self.state_id
        ):
            self.city_id = False
            self.city = False

    @api.model
    def _crm_match_cities(self, vals_list):
        """Imports accept province and city names: a city picked by name
        fills the province, city text and postcode when they are missing; a
        city typed as text is matched to the city of that name of the
        province."""
        City = self.env["res.city"]
        for vals in vals_list:
            if vals.get("city_id"):
                city = City.browse(vals["city_id"])
                vals.setdefault("city", city.name)
                if not vals.get("state_id") and city.state_id:
                    vals["state_id"] = city.state_id.id
                if not vals.get("country_id"):
                    vals["country_id"] = city.country_id.id
                if not vals.get("zip") and city.zipcode:
                    vals["zip"] = city.zipcode
            elif vals.get("city") and vals.get("state_id"):
                match = City.search(
                    [("state_id", "=", vals["state_id"]), ("name", "=", vals["city"])],
                    limit=2,
                )
                if len(match) == 1:
                    vals["city_id"] = match.id

    def _load_records_create(self, vals_list):
        self._crm_match_cities(vals_list)
        return super()._load_records_create(vals_list)

    def _load_records_write(self, values):
        self._crm_match_cities([values])
        return super()._load_records_write(values)
