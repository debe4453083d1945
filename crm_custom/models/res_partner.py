import functools
import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

# Customer data formats (C1-C2): mainland mobile numbers (13x to 19x), Chinese
# postcodes, QQ numbers and email addresses. ASCII digits only (\d would let
# other scripts' digits in) and \Z, not $ (which accepts a trailing newline).
CN_MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")
CN_ZIP_RE = re.compile(r"^[0-9]{6}\Z")
QQ_RE = re.compile(r"^[0-9]{1,20}\Z")
EMAIL_RE = re.compile(r"^[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(\.[\w-]+)*\.\w{2,}\Z")


class ResPartner(models.Model):
    """Customers 客户 are company partners. Each feature (customer data, pool,
    churn) keeps its partner fields in its own section below."""

    _inherit = "res.partner"

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

    # --- Customer pool 客户池 (P1-P9) -------------------------------------
    # A customer (company) is owned by one customer manager (user_id) or lies
    # in a pool (pool_id); its contacts mirror that state in pool_state so
    # that record rules need no join. Ownership changes only through the
    # methods below (put, claim, assign, recycle), which check who may do
    # it, then write as superuser and log the change; ``write`` refuses the
    # ownership fields to everyone else, so RPC cannot bypass claiming.
    pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Customer Pool",
        index="btree_not_null",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="restrict",
        help="The pool this customer lies in while nobody owns it.",
    )
    home_pool_id = fields.Many2one(
        "crm.customer.pool",
        string="Pool Rules",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The pool whose rules recycle this customer and which it returns "
        "to: the pool it was claimed or assigned from, else the first pool "
        "of its customer manager.",
    )
    pool_state = fields.Selection(
        [("owned", "Owned"), ("pool", "In Pool")],
        string="Ownership",
        compute="_compute_pool_state",
        store=True,
        index="btree_not_null",
        help="Owned by a customer manager, or in a pool. Contacts carry the "
        "state of their company.",
    )
    last_followup_date = fields.Date(
        string="Last Follow-up",
        readonly=True,
        copy=False,
        help="Last interaction record, done activity, message or opportunity "
        "stage change of this customer.",
    )
    date_owned = fields.Date(
        string="Owned Since",
        readonly=True,
        copy=False,
        default=lambda self: fields.Date.context_today(self),
        help="When the current customer manager got this customer; the "
        "recycling countdown never starts before.",
    )
    recycle_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The day this customer returns to the pool if nothing happens; "
        "empty when it is exempt or its pool does not recycle.",
    )
    days_to_recycle = fields.Integer(
        string="Days Left",
        compute="_compute_days_to_recycle",
        search="_search_days_to_recycle",
        help="距到期天数: days before the customer returns to the pool.",
    )
    pool_locked = fields.Boolean(
        string="Locked",
        readonly=True,
        copy=False,
        tracking=True,
        help="A locked customer is never recycled into the pool.",
    )
    pool_previous_user_id = fields.Many2one(
        "res.users",
        string="Previous Customer Manager",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    pool_entry_date = fields.Date(string="In Pool Since", readonly=True, copy=False)
    pool_reminder_date = fields.Date(
        readonly=True,
        copy=False,
        help="Technical: the recycle date the owner was last reminded of.",
    )
    pool_days = fields.Integer(string="Days in Pool", compute="_compute_pool_days")
    pool_can_assign = fields.Boolean(
        string="Can Assign",
        compute="_compute_pool_can_assign",
        help="Technical: the current user may assign this customer.",
    )
    ownership_log_ids = fields.One2many(
        "crm.customer.ownership.log", "partner_id", string="Ownership History"
    )
    ownership_log_count = fields.Integer(
        string="Ownership Changes", compute="_compute_ownership_log_count"
    )

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
    # Only the pool operations change these (sales managers may also change
    # the owner and the lock directly).
    _POOL_PROTECTED_FIELDS = frozenset(
        {
            "user_id",
            "pool_id",
            "home_pool_id",
            "pool_locked",
            "last_followup_date",
            "date_owned",
            "recycle_date",
            "pool_previous_user_id",
            "pool_entry_date",
            "pool_reminder_date",
        }
    )
    # Inputs of the recycle date (see crm.customer.pool._recycle_plan_sql).
    _POOL_RECYCLE_INPUTS = frozenset(
        {
            "user_id",
            "pool_id",
            "home_pool_id",
            "pool_locked",
            "last_followup_date",
            "date_owned",
            "customer_level_id",
            "last_order_date",
            "is_company",
            "active",
            "parent_id",
        }
    )

    @api.depends(
        "is_company",
        "user_id",
        "pool_id",
        "commercial_partner_id",
        "commercial_partner_id.is_company",
        "commercial_partner_id.user_id",
        "commercial_partner_id.pool_id",
    )
    def _compute_pool_state(self):
        for partner in self:
            customer = partner.commercial_partner_id or partner
            if not customer.is_company:
                partner.pool_state = False
            elif customer.pool_id:
                partner.pool_state = "pool"
            elif customer.user_id:
                partner.pool_state = "owned"
            else:
                partner.pool_state = False

    @api.depends("recycle_date")
    def _compute_days_to_recycle(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.days_to_recycle = (
                (partner.recycle_date - today).days if partner.recycle_date else 0
            )

    def _search_days_to_recycle(self, operator, value):
        if operator not in ("<", "<=", ">", ">=", "=") or not isinstance(value, int):
            raise UserError(self.env._("Days left can only be compared with a number."))
        limit = fields.Date.add(fields.Date.context_today(self), days=value)
        return [("recycle_date", operator, limit)]

    @api.depends("pool_entry_date", "pool_state")
    def _compute_pool_days(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.pool_days = (
                (today - partner.pool_entry_date).days
                if partner.pool_state == "pool" and partner.pool_entry_date
                else 0
            )

    @api.depends_context("uid")
    @api.depends("pool_id", "home_pool_id", "pool_state")
    def _compute_pool_can_assign(self):
        user = self.env.user
        if user.has_group("crm_custom.group_sales_manager"):
            self.pool_can_assign = True
            return
        for partner in self:
            partner.pool_can_assign = bool(
                partner.is_company
                and partner.pool_state == "pool"
                and user in partner.sudo().pool_id.admin_user_ids
            )

    def _compute_ownership_log_count(self):
        counts = dict(
            self.env["crm.customer.ownership.log"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.ownership_log_count = counts.get(partner._origin, 0)

    # --- Enforcement ------------------------------------------------------

    def _pool_is_manager(self):
        return self.env.su or self.env.user.has_group("crm_custom.group_sales_manager")

    def _check_access(self, operation):
        # The read rule of customer managers follows the pools, their member
        # users and sales teams and the teams' members. On records it did
        # not search (e.g. reading the computed fields of a list page), Odoo
        # evaluates it in Python, one query per relation on the way; in SQL
        # it is one query, with the same result.
        if (
            operation != "read"
            or self.env.su
            or not self._ids
            or not all(isinstance(id_, int) for id_ in self._ids)
            or not self.env["ir.model.access"].check(
                self._name, operation, raise_exception=False
            )
            or not self.env["ir.rule"]._compute_domain(self._name, operation)
        ):
            return super()._check_access(operation)
        query = self.with_context(active_test=False)._search(
            [("id", "in", list(self._ids))]
        )
        allowed = {row[0] for row in self.env.execute_query(query.select())}
        forbidden = self.browse([id_ for id_ in self._ids if id_ not in allowed])
        if not forbidden:
            return None
        return forbidden, functools.partial(
            self.env["ir.rule"]._make_access_error, operation, forbidden
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self._pool_is_manager():
            partners._pool_check_created()
        customers = partners.filtered("is_company")
        # Owners may come from defaults: give the new customers the rules of
        # their owner's pool once created.
        homeless = customers.filtered(lambda p: p.user_id and not p.home_pool_id)
        if homeless:
            home_pools = self.env["crm.customer.pool"]._home_pool_for_users(
                homeless.user_id
            )
            for owner, owned in homeless.grouped("user_id").items():
                super(ResPartner, owned.sudo()).write(
                    {"home_pool_id": home_pools[owner.id].id}
                )
        customers._pool_refresh_recycle_dates()
        return partners

    def _pool_check_created(self):
        """Customer managers create customers they own (or contacts); they
        do not give customers to others nor create them into a pool."""
        uid = self.env.uid
        for partner in self.filtered("is_company"):
            if partner.user_id and partner.user_id.id != uid:
                raise UserError(
                    self.env._(
                        "You can only create customers that you own: only a sales "
                        "manager gives %(customer)s to %(user)s.",
                        customer=partner.display_name,
                        user=partner.user_id.name,
                    )
                )
            if partner.pool_id or partner.pool_locked:
                raise UserError(
                    self.env._(
                        "Create %(customer)s first, then put it into a pool.",
                        customer=partner.display_name,
                    )
                )

    def write(self, vals):
        protected = self._POOL_PROTECTED_FIELDS.intersection(vals)
        if protected and not self.env.su:
            if self.env.user.has_group("crm_custom.group_sales_manager"):
                if protected - {"user_id", "pool_locked"}:
                    self._pool_check_unchanged(
                        vals, protected - {"user_id", "pool_locked"}
                    )
                if "user_id" in vals:
                    return self._pool_write_owner_as_manager(vals)
            else:
                self._pool_check_unchanged(vals, protected)
        res = super().write(vals)
        if self._POOL_RECYCLE_INPUTS.intersection(vals):
            self._pool_refresh_recycle_dates()
        return res

    def _pool_check_unchanged(self, vals, fnames):
        """Refuse a direct change of ownership fields of customers: it must
        go through put, claim or assign (P2, P3)."""
        for fname in fnames:
            field = self._fields[fname]
            new = field.convert_to_cache(vals[fname], self)
            new = field.convert_to_record(new, self)
            changed = self.filtered(
                lambda partner, fname=fname, new=new: partner.is_company
                and partner[fname] != new
            )
            if changed:
                raise UserError(
                    self.env._(
                        "%(field)s of %(customer)s changes only by putting the "
                        "customer into a pool, claiming it or having a sales "
                        "manager assign it.",
                        field=field._description_string(self.env),
                        customer=changed[0].display_name,
                    )
                )

    def _pool_write_owner_as_manager(self, vals):
        """A sales manager changing the customer manager on the form or by
        RPC assigns the customer (P3): logged and notified like the assign
        wizard."""
        new_user = self.env["res.users"].browse(vals["user_id"] or [])
        changed = self.filtered(lambda p: p.is_company and p.user_id != new_user)
        others_vals = dict(vals)
        others_vals.pop("user_id")
        unchanged = self - changed
        res = super(ResPartner, unchanged).write(vals) if unchanged else True
        if unchanged and self._POOL_RECYCLE_INPUTS.intersection(vals):
            # e.g. the owner (unchanged) written with the customer level
            unchanged._pool_refresh_recycle_dates()
        if changed:
            if not new_user:
                raise UserError(
                    self.env._(
                        "To take %(customer)s from its customer manager, put it "
                        "into a pool or assign it to another salesperson.",
                        customer=changed[0].display_name,
                    )
                )
            if others_vals:
                changed.write(others_vals)
            changed._pool_assign(
                new_user, reason=self.env._("Customer manager changed on the customer")
            )
        return res

    # --- Masking (P6) -----------------------------------------------------

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
        lines = []
        run, run_masked = [], None
        for partner in self:
            masked = partner.id in masked_ids
            if run and masked != run_masked:
                lines += self._pool_export_run(
                    run, run_masked, fields, columns, _is_toplevel_call
                )
                run = []
            run.append(partner.id)
            run_masked = masked
        if run:
            lines += self._pool_export_run(
                run, run_masked, fields, columns, _is_toplevel_call
            )
        return lines

    def _pool_export_run(self, ids, masked, fields, columns, toplevel):
        records = self.browse(ids).with_prefetch(self._prefetch_ids)
        lines = super(ResPartner, records)._export_rows(
            fields, _is_toplevel_call=toplevel
        )
        if masked:
            for line in lines:
                for index in columns:
                    if line[index]:
                        line[index] = self._POOL_MASK
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

    # --- Follow-up --------------------------------------------------------

    def _pool_register_followup(self, followup_date=None):
        """Record a follow-up of these customers, or of the customers of
        these contacts, on ``followup_date`` (today by default)."""
        followup_date = fields.Date.to_date(followup_date) or fields.Date.context_today(
            self
        )
        customers = self.sudo().commercial_partner_id.filtered(
            lambda customer: customer.is_company
            and (
                not customer.last_followup_date
                or customer.last_followup_date < followup_date
            )
        )
        if customers:
            customers.write({"last_followup_date": followup_date})

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if msg_vals.get("message_type", message.message_type) in ("comment", "email"):
            self._pool_register_followup()
        return res

    def _pool_refresh_recycle_dates(self, all_customers=False):
        """Recompute the stored recycle date of these customers (all owned
        customers with ``all_customers``) in one UPDATE."""
        if all_customers or self:
            self.env["crm.customer.pool"]._refresh_recycle_dates(
                None if all_customers else self.sudo().commercial_partner_id.ids
            )

    # --- Operations ---------------------------------------------------------

    def _pool_customers(self):
        if not self:
            raise UserError(self.env._("Select the customers first."))
        contacts = self.filtered(lambda partner: not partner.is_company)
        if contacts:
            raise UserError(
                self.env._(
                    "%(contact)s is a contact, not a customer company: only "
                    "customers go into and out of a pool.",
                    contact=contacts[0].display_name,
                )
            )
        return self

    def _pool_lock_rows(self, state=None):
        """Lock the rows of these customers for this transaction; a customer
        that another transaction is claiming or assigning at this moment
        makes the whole operation fail with a clear error, so that two
        people never both get it."""
        self.flush_recordset()
        condition = SQL("pool_state = %s", state) if state else SQL("TRUE")
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = ANY(%s) AND %s "
                "FOR UPDATE SKIP LOCKED",
                self.ids,
                condition,
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        busy = self.filtered(lambda partner: partner.id not in locked)
        if busy:
            raise UserError(
                self.env._(
                    "Someone else is claiming or assigning %(customer)s right now. "
                    "Refresh the list and try again.",
                    customer=busy[0].display_name,
                )
            )

    def _pool_serialize_user(self, user):
        """Claims and assignments to one salesperson run one at a time, and
        each counts the ones committed before it, so that the claim and
        owned-customer limits (P5) hold under concurrency. A lock alone would
        not do: under REPEATABLE READ a transaction that waited for it still
        counts from its older snapshot. Updating the user's row makes a
        concurrent claim wait, then fail with a serialization error, and the
        request is retried with fresh data."""
        self.env.cr.execute(
            SQL("UPDATE res_users SET write_date = write_date WHERE id = %s", user.id)
        )

    def _pool_log(self, method, to_user, reason, pools=None):
        """Log the ownership change of these customers (before the change),
        in the ownership history and, with the tracked owner and pool, in
        each customer's chatter: how, by whom, why, under which pool."""
        labels = dict(
            self.env["crm.customer.ownership.log"]
            ._fields["method"]
            ._description_selection(self.env)
        )
        for partner in self:
            pool = (
                pools[partner.id]
                if pools
                else (partner.pool_id or partner.home_pool_id)
            )
            partner._track_set_log_message(
                Markup("<p>%s</p>")
                % self.env._(
                    "%(how)s (pool %(pool)s): %(reason)s",
                    how=labels[method],
                    pool=pool.display_name or "-",
                    reason=reason or "-",
                )
            )
        self.env["crm.customer.ownership.log"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "from_user_id": partner.user_id.id,
                    "to_user_id": to_user.id,
                    "method": method,
                    "reason": reason,
                    "pool_id": (
                        pools[partner.id]
                        if pools
                        else (partner.pool_id or partner.home_pool_id)
                    ).id,
                    "user_id": self.env.uid,
                }
                for partner in self
            ]
        )

    def _pool_set_owner(self, user, method, reason):
        """Give these customers to ``user`` (claim or assign), as superuser:
        callers check the rights and limits first."""
        today = fields.Date.context_today(self)
        home_for_user = self.env["crm.customer.pool"]._home_pool_for_users(user)[
            user.id
        ]
        self._pool_log(method, user, reason)
        by_home = {}
        for partner in self:
            home = partner.pool_id or home_for_user
            by_home.setdefault(home, []).append(partner.id)
        for home, ids in by_home.items():
            self.browse(ids).sudo().with_context(
                mail_auto_subscribe_no_notify=True
            ).write(
                {
                    "user_id": user.id,
                    "pool_id": False,
                    "home_pool_id": home.id,
                    "date_owned": today,
                    "pool_reminder_date": False,
                }
            )

    def _pool_put(self, pool, reason):
        """P1: put these owned customers into ``pool``, with a reason; by
        their owner (into a pool they belong to) or by a sales manager."""
        customers = self._pool_customers()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the customers go into the pool."))
        if not pool or not pool.active:
            raise UserError(self.env._("Choose an active customer pool."))
        in_pool = customers.filtered(lambda partner: partner.pool_state == "pool")
        if in_pool:
            raise UserError(
                self.env._(
                    "%(customer)s already lies in the pool %(pool)s.",
                    customer=in_pool[0].display_name,
                    pool=in_pool[0].pool_id.display_name,
                )
            )
        user = self.env.user
        if not self._pool_is_manager():
            foreign = customers.filtered(lambda partner: partner.user_id != user)
            if foreign:
                raise UserError(
                    self.env._(
                        "You can only put your own customers into a pool; "
                        "%(customer)s belongs to %(owner)s.",
                        customer=foreign[0].display_name,
                        owner=foreign[0].user_id.name or self.env._("nobody"),
                    )
                )
            if not pool.sudo()._is_member(user):
                raise UserError(
                    self.env._(
                        "You are not a member of the pool %(pool)s.",
                        pool=pool.display_name,
                    )
                )
        customers._pool_lock_rows()
        customers._pool_log(
            "put", self.env["res.users"], reason, {p.id: pool for p in customers}
        )
        today = fields.Date.context_today(self)
        by_owner = {}
        for partner in customers:
            by_owner.setdefault(partner.user_id, []).append(partner.id)
        for owner, ids in by_owner.items():
            self.browse(ids).sudo().write(
                {
                    "user_id": False,
                    "pool_id": pool.id,
                    "home_pool_id": pool.id,
                    "pool_previous_user_id": owner.id,
                    "pool_entry_date": today,
                    "date_owned": False,
                    "recycle_date": False,
                    "pool_reminder_date": False,
                }
            )
        return True

    def _pool_claim(self):
        """P2/P5: the current user claims these pool customers: member of
        their pool, outside the previous-owner cooldown, within the daily
        claim limit and the owned-customers limit. Concurrent claims of one
        customer: the row lock lets exactly one through.

        The state is read as superuser: a customer claimed by someone else a
        moment ago is no longer visible to the loser of the race, who gets
        the business reason rather than an access error."""
        user = self.env.user
        if not user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(self.env._("Only salespeople claim customers."))
        customers = self.sudo()._pool_customers()
        gone = customers.filtered(lambda partner: partner.pool_state != "pool")
        if gone:
            raise UserError(
                self.env._(
                    "%(customer)s is no longer in the pool: someone claimed it or "
                    "it was assigned. Refresh the list.",
                    customer=gone[0].display_name,
                )
            )
        today = fields.Date.context_today(self)
        by_pool = customers.grouped("pool_id")
        for pool, partners in by_pool.items():
            if not pool._is_member(user):
                raise UserError(
                    self.env._(
                        "You are not a member of the pool %(pool)s.",
                        pool=pool.display_name,
                    )
                )
            if pool.reclaim_cooldown_days:
                for partner in partners:
                    if (
                        partner.pool_previous_user_id != user
                        or not partner.pool_entry_date
                    ):
                        continue
                    until = fields.Date.add(
                        partner.pool_entry_date, days=pool.reclaim_cooldown_days
                    )
                    if today < until:
                        raise UserError(
                            self.env._(
                                "You gave up %(customer)s on %(date)s: as its "
                                "previous customer manager you can claim it again "
                                "from %(until)s.",
                                customer=partner.display_name,
                                date=partner.pool_entry_date,
                                until=until,
                            )
                        )
        self._pool_serialize_user(user)
        customers._pool_lock_rows(state="pool")
        for pool, partners in by_pool.items():
            pool._check_claim_limits(user, partners)
        customers._pool_set_owner(user, "claim", self.env._("Claimed from the pool"))
        return True

    def _pool_assign(self, user, reason=False, notification=None):
        """P3: give these customers to the salesperson ``user``: by a sales
        manager (any customer) or a pool administrator (customers of their
        pool); the new owner is notified as the pool says, or as
        ``notification`` ('message', 'email', 'none') says."""
        customers = self._pool_customers()
        actor = self.env.user
        if not self._pool_is_manager():
            for partner in customers.sudo():
                if (
                    partner.pool_state != "pool"
                    or actor not in partner.pool_id.admin_user_ids
                ):
                    raise AccessError(
                        self.env._(
                            "Only a sales manager, or the administrator of its "
                            "pool, assigns %(customer)s.",
                            customer=partner.display_name,
                        )
                    )
        if (
            not user
            or user.share
            or not user.has_group("sales_team.group_sale_salesman")
        ):
            raise UserError(
                self.env._(
                    "%(user)s is not a salesperson: customers go to salespeople only.",
                    user=user.name or self.env._("Nobody"),
                )
            )
        customers = customers.filtered(lambda partner: partner.user_id != user)
        if not customers:
            return True
        customers._pool_lock_rows()
        governing = {
            partner.id: partner.sudo().pool_id or partner.sudo().home_pool_id
            for partner in customers
        }
        by_pool = {}
        for partner in customers:
            by_pool.setdefault(governing[partner.id], self.browse())
            by_pool[governing[partner.id]] |= partner
        self._pool_serialize_user(user)
        for pool, partners in by_pool.items():
            if pool:
                pool.sudo()._check_owned_limit(user, partners)
        customers._pool_set_owner(
            user, "assign", reason or self.env._("Assigned by %s", actor.name)
        )
        self.env["crm.customer.pool"]._notify_assignment(
            customers, user, reason, notification, governing
        )
        return True

    def _pool_set_locked(self, locked):
        customers = self._pool_customers()
        if not self._pool_is_manager():
            for partner in customers.sudo():
                pool = partner.pool_id or partner.home_pool_id
                if not pool or self.env.user not in pool.admin_user_ids:
                    raise AccessError(
                        self.env._(
                            "Only a sales manager or a pool administrator locks "
                            "and unlocks customers."
                        )
                    )
        customers.sudo().write({"pool_locked": locked})
        return True

    # --- Buttons --------------------------------------------------------

    def _pool_wizard_action(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_ids": self._pool_customers().ids},
        }

    def action_open_pool_put_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.put.wizard", self.env._("Put into Pool")
        )

    def action_open_pool_claim_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.claim.wizard", self.env._("Claim Customers")
        )

    def action_open_pool_assign_wizard(self):
        return self._pool_wizard_action(
            "crm.customer.pool.assign.wizard", self.env._("Assign Customers")
        )

    def action_pool_claim(self):
        """Claim without the confirmation dialog (RPC, scripts)."""
        return self._pool_claim()

    def action_pool_lock(self):
        return self._pool_set_locked(True)

    def action_pool_unlock(self):
        return self._pool_set_locked(False)

    def action_view_ownership_logs(self):
        customer = self.commercial_partner_id
        customer.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_customer_ownership_log"
        )
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"create": False}
        return action

    # --- Churn 客户流失 (W1-W4) --------------------------------------------
    last_order_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Date of the last confirmed sale order of this customer, orders "
        "placed on its contacts included. Kept up to date when orders are "
        "confirmed or cancelled.",
    )
    churn_purchase_count = fields.Integer(
        string="Purchases",
        readonly=True,
        copy=False,
        help="Number of days with a confirmed order (several orders confirmed "
        "on the same day count once).",
    )
    churn_median_interval = fields.Float(
        string="Usual Days Between Orders",
        readonly=True,
        copy=False,
        digits=(16, 1),
        help="Median number of days between two purchases: the customer's "
        "buying cycle.",
    )
    churn_lost = fields.Boolean(
        string="Lost Customer",
        readonly=True,
        copy=False,
        tracking=True,
        help="The loss of this customer was confirmed on a churn warning. A "
        "new confirmed order clears it.",
    )
    churn_warning_ids = fields.One2many(
        "crm.churn.warning", "partner_id", string="Churn Warnings"
    )
    churn_warning_count = fields.Integer(compute="_compute_churn_warning_count")

    def _compute_churn_warning_count(self):
        counts = dict(
            self.env["crm.churn.warning"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.churn_warning_count = counts.get(partner, 0)

    def action_view_churn_warnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_custom.action_crm_churn_warning"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def _churn_refresh_order_stats(self):
        """Recompute the last order date and the buying cycle of the
        customers (commercial partners) of these partners from their confirmed
        orders, in one grouped query whatever the number of customers."""
        customers = self.commercial_partner_id
        if customers:
            self._churn_update_order_stats(customers.ids)

    @api.model
    def _churn_refresh_all_order_stats(self):
        """Backfill of every customer, when the module is installed on a
        database that already has orders."""
        self._churn_update_order_stats(None)

    @api.model
    def _churn_update_order_stats(self, customer_ids):
        """Set last_order_date, churn_purchase_count and churn_median_interval
        of the given customers (all when ``customer_ids`` is None) with one
        UPDATE. Orders count for the commercial partner of their customer;
        only confirmed orders count; the buying cycle is the median gap
        between distinct purchase days."""
        self.env["sale.order"].flush_model(["state", "date_order", "partner_id"])
        self.flush_model(
            [
                "commercial_partner_id",
                "last_order_date",
                "churn_purchase_count",
                "churn_median_interval",
            ]
        )
        if customer_ids is None:
            order_filter = SQL("TRUE")
            targets = SQL(
                "SELECT partner_id AS id FROM stats"
                " UNION SELECT id FROM res_partner"
                " WHERE last_order_date IS NOT NULL"
            )
        else:
            order_filter = SQL("cp.commercial_partner_id = ANY(%s)", customer_ids)
            targets = SQL("SELECT UNNEST(%s::int[]) AS id", customer_ids)
        self.env.cr.execute(
            SQL(
                """
                WITH stats AS (%(stats)s), targets AS (%(targets)s)
                UPDATE res_partner p
                   SET last_order_date = stats.last_day,
                       churn_purchase_count = COALESCE(stats.purchases, 0),
                       churn_median_interval = stats.median_gap
                  FROM targets
                  LEFT JOIN stats ON stats.partner_id = targets.id
                 WHERE p.id = targets.id
                   AND (p.last_order_date IS DISTINCT FROM stats.last_day
                        OR p.churn_purchase_count
                           IS DISTINCT FROM COALESCE(stats.purchases, 0)
                        OR p.churn_median_interval
                           IS DISTINCT FROM stats.median_gap)
                """,
                stats=self._churn_order_stats_sql(order_filter),
                targets=targets,
            )
        )
        self.invalidate_model(
            ["last_order_date", "churn_purchase_count", "churn_median_interval"]
        )

    @api.model
    def _churn_order_stats_sql(self, order_filter):
        """SELECT of the order statistics (partner_id, last_day, purchases,
        median_gap) of the customers whose orders match ``order_filter`` (SQL
        on the aliases ``so`` of sale_order and ``cp`` of its customer):
        orders count for the commercial partner of their customer, only
        confirmed ones, and the buying cycle is the median gap between
        distinct purchase days. The single definition, used to store them and
        by the consistency check (X8)."""
        return SQL(
            """
            WITH purchase_days AS (
                SELECT DISTINCT cp.commercial_partner_id AS partner_id,
                       so.date_order::date AS day
                  FROM sale_order so
                  JOIN res_partner cp ON cp.id = so.partner_id
                 WHERE so.state = 'sale' AND %(order_filter)s
            ), gaps AS (
                SELECT partner_id, day,
                       day - LAG(day) OVER (
                           PARTITION BY partner_id ORDER BY day) AS gap
                  FROM purchase_days
            )
            SELECT partner_id,
                   MAX(day) AS last_day,
                   COUNT(*) AS purchases,
                   ROUND((PERCENTILE_CONT(0.5)
                       WITHIN GROUP (ORDER BY gap))::numeric, 1) AS median_gap
              FROM gaps
             GROUP BY partner_id
            """,
            order_filter=order_filter,
        )
