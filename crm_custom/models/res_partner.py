import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Customer data formats (C1-C2): mainland mobile numbers (13x to 19x), Chinese
# postcodes, QQ numbers and email addresses. ASCII digits only (\d would let
# other scripts' digits in) and \Z, not $ (which accepts a trailing newline).
CN_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")
CN_ZIP_RE = re.compile(r"^[0-9]{6}\Z")
QQ_RE = re.compile(r"^[0-9]{1,20}\Z")
EMAIL_RE = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(\.[\w-]+)*\.\w{2,}\Z")


class ResPartner(models.Model):
    """Customer data 客户信息 (C1-C2). Customers 客户 are company partners;
    the other features keep their partner fields in their own files
    (res_partner_pool*.py, res_partner_churn.py, res_partner_duplicate.py,
    ...)."""

    # Lists: the display names of the many2one columns are read once per
    # model (crm_web_read_prefetch_mixin.py).
    _name = "res.partner"
    _inherit = ["res.partner", "crm.web.read.prefetch.mixin"]

    # --- Customer data 客户信息 (C1-C2) ---------------------------------
    # The customer manager 客户经理 is the standard salesperson ``user_id``.
    # Key changes are logged in the chatter (B3).
    user_id = fields.Many2one(tracking=True)
    active = fields.Boolean(tracking=True)
    customer_level_id = fields.Many2one(
        "crm.dictionary.item",
        domain="[('category', '=', 'customer_level')]",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
    )
    customer_source_id = fields.Many2one(
        "crm.dictionary.item",
        string="Source",
        domain="[('category', '=', 'customer_source')]",
        ondelete="restrict",
        index="btree_not_null",
        tracking=True,
        help="How the customer came to know us (telemarketing, online "
        "marketing, ...).",
    )
    company_nature_id = fields.Many2one(
        "crm.dictionary.item",
        domain="[('category', '=', 'company_nature')]",
        ondelete="restrict",
        index="btree_not_null",
    )
    annual_revenue_id = fields.Many2one(
        "crm.dictionary.item",
        domain="[('category', '=', 'annual_revenue')]",
        ondelete="restrict",
        index="btree_not_null",
    )
    employee_count_id = fields.Many2one(
        "crm.dictionary.item",
        domain="[('category', '=', 'employee_count')]",
        ondelete="restrict",
        index="btree_not_null",
    )
    # region_id: derived from the province, see res_partner_china.py (C10).
    rating = fields.Selection(
        selection=[
            ("0", "Not Rated"),
            ("1", "One Star"),
            ("2", "Two Stars"),
            ("3", "Three Stars"),
        ],
        default="0",
        tracking=True,
    )
    satisfaction = fields.Integer(
        default=0,
        tracking=True,
        aggregator=False,
        help="Customer satisfaction from 1 (lowest) to 5 (highest); 0 means "
        "not rated yet.",
    )
    # ``credit`` is taken by Accounting (Total Receivable): the credit rating
    # 信用度 of the spec is ``credit_rating``.
    credit_rating = fields.Integer(
        default=0,
        tracking=True,
        aggregator=False,
        help="Creditworthiness from 1 (lowest) to 5 (highest); 0 means not "
        "rated yet.",
    )
    qq = fields.Char(string="QQ")
    gender = fields.Selection(selection=[("male", "Male"), ("female", "Female")])
    primary_contact_id = fields.Many2one(
        "res.partner",
        domain="[('parent_id', '=', id), ('is_company', '=', False), "
        "('type', '=', 'contact')]",
        ondelete="set null",
        index="btree_not_null",
        tracking=True,
    )
    interaction_ids = fields.One2many(
        "crm.interaction", "partner_id", string="Interaction Records"
    )
    interaction_count = fields.Integer(
        string="Interaction Record Count", compute="_compute_interaction_count"
    )
    create_opportunity = fields.Boolean(
        string="Create an Opportunity",
        compute="_compute_create_opportunity",
        inverse="_inverse_create_opportunity",
        help="Create an opportunity for this customer when saving it.",
    )

    # Dictionary fields and the dictionary category each must point to.
    _CRM_DICTIONARY_FIELDS = {
        "customer_level_id": "customer_level",
        "customer_source_id": "customer_source",
        "company_nature_id": "company_nature",
        "annual_revenue_id": "annual_revenue",
        "employee_count_id": "employee_count",
        "region_id": "region",
    }
    # Contacts of customers must give these (C2, 3.2.1.2 of the spec).
    _CRM_CONTACT_REQUIRED_FIELDS = ("name", "gender", "function", "phone")
    _CRM_NAME_MAX_LENGTH = 50

    def _compute_interaction_count(self):
        counts = dict(
            self.env["crm.interaction"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.interaction_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_create_opportunity(self):
        self.create_opportunity = False

    def _inverse_create_opportunity(self):
        customers = self.filtered("create_opportunity")
        if customers:
            customers._create_customer_opportunities()

    def _create_customer_opportunities(self):
        """C4: one new opportunity per customer, with the primary contact as
        contact person. It starts unassigned: sales managers assign
        opportunities (O4)."""
        return self.env["crm.lead"].create(
            [
                {
                    "name": self.env._("Opportunity for %s", customer.name),
                    "type": "opportunity",
                    "is_development": True,
                    "partner_id": customer.id,
                    "partner_name": customer.name,
                    "contact_name": customer.primary_contact_id.name,
                    "function": customer.primary_contact_id.function,
                }
                for customer in self
            ]
        )

    def _is_crm_customer(self):
        """A customer 客户 is a company partner that Odoo counts as a customer
        (created as one from the Customers menu or an import, or invoiced)."""
        self.ensure_one()
        return self.is_company and self.customer_rank > 0

    def _is_crm_customer_contact(self):
        self.ensure_one()
        return (
            not self.is_company
            and self.type == "contact"
            and bool(self.parent_id)
            and self.parent_id._is_crm_customer()
        )

    def _crm_field_label(self, field_name):
        return self._fields[field_name]._description_string(self.env)

    @api.model
    def _crm_normalize_cn_mobile(self, mobile):
        """Digits of a mainland mobile number, without separators and without
        the +86 / 0086 country prefix."""
        digits = re.sub(r"[\s\-().]", "", mobile or "")
        for prefix in ("+86", "0086"):
            if digits.startswith(prefix):
                return digits[len(prefix) :]
        if digits.startswith("86") and len(digits) == 13:
            return digits[2:]
        return digits

    @api.model
    def _crm_entering_customer_data(self):
        """Customer data is entered in the CRM: from its Customers and
        Contacts screens and imports (which set ``crm_customer_data``), Odoo's
        Customers screens, or the development success (O7). Other apps'
        contacts are not held to the contact rules (X6); the “Incomplete
        Contact Data” filter finds them."""
        context = self.env.context
        return bool(
            context.get("crm_customer_data")
            or context.get("res_partner_search_mode") == "customer"
        )

    @api.model
    def _crm_compact_phone(self, number):
        return re.sub(r"[\s\-().]", "", number or "")

    def _crm_mobile_is_chinese(self):
        """C2 applies the mainland format to Chinese numbers: written with
        +86/0086; or of a partner in China; or, without a country, of the
        CRM's customer data (Chinese by default, X7) or a national number that
        looks like a mainland mobile. A foreign partner's number, or one
        written with another country code, keeps its own format."""
        self.ensure_one()
        compact = self._crm_compact_phone(self.mobile)
        if compact.startswith(("+86", "0086")):
            return True
        if self.country_id:
            return self.country_id.code == "CN"
        if self._is_crm_customer() or self._is_crm_customer_contact():
            return True
        return (
            compact.startswith("1") and compact.isdigit() and 10 <= len(compact) <= 12
        )

    @api.constrains(
        "name", "gender", "function", "phone", "parent_id", "type", "is_company"
    )
    def _check_customer_contact_required_fields(self):
        if not self._crm_entering_customer_data():
            return
        for partner in self:
            if not partner._is_crm_customer_contact():
                continue
            missing = [
                partner._crm_field_label(fname)
                for fname in self._CRM_CONTACT_REQUIRED_FIELDS
                if not partner[fname]
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The contact %(contact)s of the customer %(customer)s "
                        "lacks: %(fields)s. Name, gender, job position and "
                        "office phone are required for contacts of customers.",
                        contact=partner.name or self.env._("(no name)"),
                        customer=partner.parent_id.name,
                        fields=", ".join(missing),
                    )
                )

    @api.constrains("name", "is_company", "parent_id", "customer_rank")
    def _check_customer_name_length(self):
        for partner in self:
            if (
                partner.name
                and len(partner.name) > self._CRM_NAME_MAX_LENGTH
                and (partner._is_crm_customer() or partner._is_crm_customer_contact())
            ):
                raise ValidationError(
                    self.env._(
                        "The name “%(name)s” has %(length)s characters; names of "
                        "customers and their contacts have at most %(max)s.",
                        name=partner.name,
                        length=len(partner.name),
                        max=self._CRM_NAME_MAX_LENGTH,
                    )
                )

    @api.constrains("mobile", "country_id")
    def _check_mobile_cn(self):
        for partner in self:
            if not partner.mobile or not partner._crm_mobile_is_chinese():
                continue
            if not CN_MOBILE_RE.match(self._crm_normalize_cn_mobile(partner.mobile)):
                raise ValidationError(
                    self.env._(
                        "%(field)s “%(value)s” of %(partner)s is not a valid "
                        "mainland China mobile number: 11 digits starting "
                        "with 13 to 19 (e.g. 13812345678).",
                        field=partner._crm_field_label("mobile"),
                        value=partner.mobile,
                        partner=partner.name,
                    )
                )

    @api.constrains("email")
    def _check_email_format(self):
        for partner in self:
            if not partner.email:
                continue
            email = partner.email.strip()
            named = re.fullmatch(r"[^<>]*<([^<>]+)>", email)
            if not EMAIL_RE.match(named.group(1).strip() if named else email):
                raise ValidationError(
                    self.env._(
                        "%(field)s “%(value)s” of %(partner)s is not a valid "
                        "email address (e.g. name@example.com).",
                        field=partner._crm_field_label("email"),
                        value=partner.email,
                        partner=partner.name,
                    )
                )

    @api.constrains("qq")
    def _check_qq(self):
        for partner in self:
            if partner.qq and not QQ_RE.match(partner.qq):
                raise ValidationError(
                    self.env._(
                        "QQ “%(value)s” of %(partner)s must be digits only, "
                        "at most 20.",
                        value=partner.qq,
                        partner=partner.name,
                    )
                )

    @api.constrains("zip", "country_id")
    def _check_zip_cn(self):
        for partner in self:
            if (
                partner.zip
                and partner.country_id.code == "CN"
                and not CN_ZIP_RE.match(partner.zip)
            ):
                raise ValidationError(
                    self.env._(
                        "%(field)s “%(value)s” of %(partner)s is not a valid "
                        "Chinese postcode: 6 digits (e.g. 200120).",
                        field=partner._crm_field_label("zip"),
                        value=partner.zip,
                        partner=partner.name,
                    )
                )

    @api.constrains("satisfaction", "credit_rating")
    def _check_satisfaction_credit_rating(self):
        for partner in self:
            for fname in ("satisfaction", "credit_rating"):
                if not 0 <= partner[fname] <= 5:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(partner)s must be between 1 and 5 "
                            "(0 when not rated), not %(value)s.",
                            field=partner._crm_field_label(fname),
                            partner=partner.name,
                            value=partner[fname],
                        )
                    )

    @api.constrains(*_CRM_DICTIONARY_FIELDS)
    def _check_dictionary_categories(self):
        for partner in self:
            for fname, category in self._CRM_DICTIONARY_FIELDS.items():
                item = partner[fname]
                if item and item.category != category:
                    raise ValidationError(
                        self.env._(
                            "“%(item)s” is not a valid %(field)s of %(partner)s.",
                            item=item.name,
                            field=partner._crm_field_label(fname),
                            partner=partner.name,
                        )
                    )

    @api.constrains("primary_contact_id")
    def _check_primary_contact(self):
        for partner in self:
            contact = partner.primary_contact_id
            if contact and contact.parent_id != partner:
                raise ValidationError(
                    self.env._(
                        "The primary contact of %(customer)s must be one of its "
                        "contacts, not %(contact)s.",
                        customer=partner.name,
                        contact=partner.primary_contact_id.display_name,
                    )
                )

    @api.model
    def _crm_match_dictionary_categories(self, vals_list):
        """Imports find a dictionary item by its name in any category, so
        that “Other” may land on the “Other” of another list: take the item
        of the same name in the field's own category instead."""
        Item = self.env["crm.dictionary.item"]
        for vals in vals_list:
            for fname, category in self._CRM_DICTIONARY_FIELDS.items():
                item = Item.browse(vals.get(fname) or [])
                if item and item.category != category:
                    same_name = Item.search(
                        [("category", "=", category), ("name", "=", item.name)],
                        limit=1,
                    )
                    if same_name:
                        vals[fname] = same_name.id

    @api.model
    def get_import_templates(self):
        """C5: an Excel template for customers with their contacts (one row
        per contact; customer columns only on a customer's first row)."""
        return [
            {
                "label": self.env._("Import Template for Customers and Contacts"),
                "template": "/crm_custom/static/xls/crm_customers_import_template.xlsx",
            }
        ] + super().get_import_templates()

    # Imports go through these (not through create/write overrides, which the
    # other sections of this class may define).
    def _load_records_create(self, vals_list):
        self._crm_match_dictionary_categories(vals_list)
        return super()._load_records_create(vals_list)

    def _load_records_write(self, values):
        self._crm_match_dictionary_categories([values])
        return super()._load_records_write(values)

    def _message_get_default_recipients(self):
        """Mass mails to a customer without an email of its own reach its
        primary contact (C6)."""
        recipients = super()._message_get_default_recipients()
        for partner in self:
            if not partner.email and partner.primary_contact_id.email:
                recipients[partner.id]["partner_ids"] = [partner.primary_contact_id.id]
        return recipients

    def action_view_interactions(self):
        customer = self.commercial_partner_id
        customer.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_interaction"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def action_customer_mass_mail(self):
        """C6: Odoo's mail composer in mass mailing mode, one email per
        selected customer (the whole list when all records are selected)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Email Customers"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "mass_mail",
                "default_model": "res.partner",
                "default_res_ids": self.ids,
                "default_subtype_xmlid": "mail.mt_comment",
                # replies land in the customer's chatter
                "default_reply_to_force_new": False,
            },
        }
