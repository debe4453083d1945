import logging
import re
import unicodedata

import psycopg2
from psycopg2 import errorcodes

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

try:
    from stdnum.cn import uscc
except ImportError:  # pragma: no cover - python-stdnum is an Odoo requirement
    uscc = None

# Normalized customer name 查重名称 (C8): the name a duplicate check compares.
#   1. Unicode NFKC: full-width letters, digits, parentheses and spaces become
#      half-width (ＡＢＣ（中国） -> ABC(中国));
#   2. case folded (ABC -> abc);
#   3. the region markers "(中国)" and "(china)" are dropped wherever they are;
#   4. whitespace, punctuation and symbols are dropped (letters, digits and
#      CJK characters stay);
#   5. the legal form at the end is dropped, repeatedly, longest first:
#      股份有限公司, 有限责任公司, 有限公司, 集团, 公司 and the English
#      co. ltd, ltd, limited, inc, corp, corporation, co, group.
# A branch (分公司) is another customer and keeps its name.
CN_REGION_MARKER_RE = re.compile(r"\((?:中国|china|中國)\)")
LEGAL_SUFFIXES = sorted(
    (
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团",
        "公司",
        "coltd",
        "ltd",
        "limited",
        "inc",
        "corporation",
        "corp",
        "co",
        "group",
    ),
    key=len,
    reverse=True,
)
DUPLICATE_KEY_INDEXES = {
    "res_partner_crm_name_key_uniq": "crm_name_key",
    "res_partner_crm_credit_code_key_uniq": "crm_credit_code_key",
}
# Fields whose change makes the duplicate check run again.
DUPLICATE_INPUTS = frozenset(
    {"name", "vat", "is_company", "customer_rank", "active", "company_id"}
)
DUPLICATE_WARNING_INPUTS = ("name", "phone", "mobile", "email", "vat", "is_company")


def duplicate_error(message):
    """The error refusing a duplicate customer (C8): a plain ValidationError
    (the web client shows it as such), marked for the import."""
    error = ValidationError(message)
    error.crm_duplicate = True
    return error


class CrmDuplicateBatchError(Exception):
    """A duplicate in a batch of imported rows: not a UserError, so that the
    import retries row by row and reports each duplicate on its own row."""


def normalize_customer_name(name):
    """The normalized name of a customer (see above), '' when nothing is left."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = CN_REGION_MARKER_RE.sub("", text)
    text = "".join(char for char in text if unicodedata.category(char)[0] in ("L", "N"))
    stripped = True
    while stripped:
        stripped = False
        for suffix in LEGAL_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    return text


class ResPartner(models.Model):
    """Duplicate protection 查重 (C8): the normalized name and the Unified
    Social Credit Code 统一社会信用代码 (Odoo's ``vat``) of a customer company
    are unique per company. A duplicate is refused, naming only who holds
    the existing customer; a same phone, mobile, email or a close name is a
    warning the user can go past."""

    # One concern per file (house rule): 查重 and follow-up actions apart from
    # res_partner.py.
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    crm_name_key = fields.Char(
        string="Normalized Name",
        compute="_compute_crm_duplicate_keys",
        store=True,
        copy=False,
        help="The customer name as the duplicate check compares it: without "
        "spaces, punctuation, case, full-width forms and legal suffixes.",
    )
    crm_credit_code_key = fields.Char(
        compute="_compute_crm_duplicate_keys", store=True, copy=False
    )
    crm_duplicate_warning = fields.Text(
        string="Possible Duplicates",
        compute="_compute_crm_duplicate_warning",
        help="Other customers sharing a phone, mobile, email or a close name "
        "with this one.",
    )

    def init(self):
        res = super().init()
        # Concurrent creations of one customer: the index lets one through;
        # the other gets the duplicate error. Customer companies only; a
        # database that already holds duplicates keeps working without the
        # index until a sales manager merges them.
        for index, column in DUPLICATE_KEY_INDEXES.items():
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON res_partner "
                            "(%s, COALESCE(company_id, 0)) WHERE %s IS NOT NULL",
                            SQL.identifier(index),
                            SQL.identifier(column),
                            SQL.identifier(column),
                        )
                    )
            except psycopg2.Error:
                _logger.warning(
                    "Duplicate customers exist (%s): merge them, then update "
                    "crm_custom to protect new customers against concurrent "
                    "duplicates.",
                    column,
                )
        return res

    # --- Keys ---------------------------------------------------------------

    @api.model
    def _crm_normalize_name(self, name):
        return normalize_customer_name(name)

    @api.model
    def _crm_normalize_credit_code(self, code):
        """The Unified Social Credit Code without spaces, dashes and dots,
        half-width and uppercase."""
        text = unicodedata.normalize("NFKC", code or "")
        return re.sub(r"[\s\-.]", "", text).upper()

    def _crm_is_duplicate_checked(self):
        """Customer companies (not vendors, not contacts) are checked."""
        self.ensure_one()
        return bool(self.is_company and self.customer_rank > 0 and self.active)

    @api.depends("name", "vat", "is_company", "customer_rank", "active")
    def _compute_crm_duplicate_keys(self):
        for partner in self:
            if partner._crm_is_duplicate_checked():
                partner.crm_name_key = (
                    partner._crm_normalize_name(partner.name) or False
                )
                partner.crm_credit_code_key = (
                    partner._crm_normalize_credit_code(partner.vat) or False
                )
            else:
                partner.crm_name_key = False
                partner.crm_credit_code_key = False

    # --- Credit code ----------------------------------------------------------

    def _crm_credit_code_is_chinese(self, code):
        """Checked as a Unified Social Credit Code: a company of China, or of
        no country with an 18-character code."""
        self.ensure_one()
        country = self.country_id.code
        return country == "CN" or (not country and len(code) == 18)

    @api.constrains("vat", "country_id", "is_company")
    def _check_crm_credit_code(self):
        for partner in self.filtered(lambda p: p.is_company and p.vat):
            code = partner._crm_normalize_credit_code(partner.vat)
            if not partner._crm_credit_code_is_chinese(code) or uscc is None:
                continue
            if not uscc.is_valid(code):
                raise ValidationError(
                    self.env._(
                        "The Unified Social Credit Code %(code)s of %(customer)s "
                        "is not valid: it has 18 characters and ends with a check "
                        "digit; check it on the business licence.",
                        code=partner.vat,
                        customer=partner.display_name,
                    )
                )

    # --- Refusal of duplicates -------------------------------------------------

    def _crm_duplicate_holder_label(self):
        """Who holds this existing customer, and nothing else of it: "you",
        the owner's name or "in the pool <name>". Read as superuser: the
        user may not see the customer."""
        self.ensure_one()
        partner = self.sudo()
        if partner.pool_id:
            return self.env._(
                "it lies in the pool %(pool)s", pool=partner.pool_id.display_name
            )
        if partner.user_id == self.env.user:
            return self.env._("it is already one of your customers")
        if partner.user_id:
            return self.env._(
                "its customer manager is %(owner)s", owner=partner.user_id.name
            )
        return self.env._("it has no customer manager")

    @api.model
    def _crm_find_duplicate_holders(self, name_keys, code_keys, exclude_ids=()):
        """Existing customers holding one of these normalized names or credit
        codes, as superuser, in one query: {(field, key, company id): partner}."""
        name_keys, code_keys = list(set(name_keys)), list(set(code_keys))
        if not name_keys and not code_keys:
            return {}
        self.env["res.partner"].flush_model(
            ["crm_name_key", "crm_credit_code_key", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT id, crm_name_key, crm_credit_code_key, "
                "COALESCE(company_id, 0) FROM res_partner "
                "WHERE (crm_name_key = ANY(%s) OR crm_credit_code_key = ANY(%s)) "
                "AND id != ALL(%s) ORDER BY id",
                name_keys,
                code_keys,
                list(exclude_ids),
            )
        )
        holders = {}
        for partner_id, name_key, code_key, company_id in rows:
            partner = self.browse(partner_id)
            if name_key:
                holders.setdefault(("name", name_key, company_id), partner)
            if code_key:
                holders.setdefault(("code", code_key, company_id), partner)
        return holders

    def _crm_check_duplicates(self):
        """Refuse customers whose normalized name or credit code another
        customer of the company has (or another of ``self`` has)."""
        checked = self.filtered("crm_name_key") | self.filtered("crm_credit_code_key")
        if not checked:
            return
        seen = {}
        for partner in checked:
            for kind, key in (
                ("name", partner.crm_name_key),
                ("code", partner.crm_credit_code_key),
            ):
                if not key:
                    continue
                slot = (kind, key, partner.company_id.id or 0)
                if slot in seen:
                    raise duplicate_error(partner._crm_duplicate_message(kind, None))
                seen[slot] = partner
        holders = self._crm_find_duplicate_holders(
            checked.mapped("crm_name_key"),
            [key for key in checked.mapped("crm_credit_code_key") if key],
            exclude_ids=checked.ids,
        )
        for slot, partner in seen.items():
            holder = holders.get(slot)
            if holder:
                raise duplicate_error(partner._crm_duplicate_message(slot[0], holder))

    def _crm_duplicate_message(self, kind, holder):
        self.ensure_one()
        return self._crm_format_duplicate_message(kind, holder, self.name, self.vat)

    @api.model
    def _crm_format_duplicate_message(self, kind, holder, name, code):
        if holder is None:
            who = self.env._("it appears twice among the customers being saved")
        elif holder is False:
            who = self.env._("another salesperson has just created it")
        else:
            who = holder._crm_duplicate_holder_label()
        if kind == "code":
            return self.env._(
                "A customer with the Unified Social Credit Code %(code)s already "
                "exists: %(holder)s. Use the duplicate check (查重) to find it "
                "instead of creating it again.",
                code=code,
                holder=who,
            )
        return self.env._(
            "The customer %(name)s already exists: %(holder)s. Use the "
            "duplicate check (查重) to find it instead of creating it again.",
            name=name,
            holder=who,
        )

    def _crm_raise_index_violation(self, error, vals_list):
        """Translate a violation of the unique indexes into the duplicate
        error, naming the holder when it is visible (already committed),
        else saying that someone has just created it (concurrent creation)."""
        column = DUPLICATE_KEY_INDEXES.get(getattr(error.diag, "constraint_name", None))
        if error.pgcode != errorcodes.UNIQUE_VIOLATION or not column:
            raise error
        kind = "code" if column == "crm_credit_code_key" else "name"
        candidates = [
            (
                vals.get("name") or self[:1].name,
                vals.get("vat") or self[:1].vat,
            )
            for vals in vals_list
        ]
        keys = [
            self._crm_normalize_name(name)
            if kind == "name"
            else self._crm_normalize_credit_code(code)
            for name, code in candidates
        ]
        holders = self._crm_find_duplicate_holders(
            keys if kind == "name" else [],
            keys if kind == "code" else [],
            exclude_ids=self.ids,
        )
        for (name, code), key in zip(candidates, keys, strict=True):
            for (slot_kind, slot_key, _company), holder in holders.items():
                if slot_kind == kind and slot_key == key:
                    raise duplicate_error(
                        self._crm_format_duplicate_message(kind, holder, name, code)
                    ) from error
        name, code = candidates[0] if candidates else (False, False)
        raise duplicate_error(
            self._crm_format_duplicate_message(kind, False, name, code)
        ) from error

    @api.model_create_multi
    def create(self, vals_list):
        if not any(vals.get("is_company") for vals in vals_list):
            return super().create(vals_list)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                partners = super().create(vals_list)
                partners._crm_check_duplicates()
                partners.flush_recordset(["crm_name_key", "crm_credit_code_key"])
        except psycopg2.IntegrityError as error:
            self.browse()._crm_raise_index_violation(error, vals_list)
        return partners

    def write(self, vals):
        merge_dst = self.env.context.get("crm_partner_merge_dst")
        if merge_dst and self.ids == [merge_dst]:
            # The merge wizard fills the kept customer's empty fields from the
            # merged ones: its ownership and pool state stay its own.
            vals = {
                fname: value
                for fname, value in vals.items()
                if fname not in self._guarded_fields
            }
        if not DUPLICATE_INPUTS.intersection(vals):
            return super().write(vals)
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                res = super().write(vals)
                self._crm_check_duplicates()
                self.flush_recordset(["crm_name_key", "crm_credit_code_key"])
        except psycopg2.IntegrityError as error:
            self._crm_raise_index_violation(error, [vals])
        return res

    def _load_records_create(self, vals_list):
        if len(vals_list) < 2:
            return super()._load_records_create(vals_list)
        try:
            return super()._load_records_create(vals_list)
        except ValidationError as error:
            if getattr(error, "crm_duplicate", False):
                raise CrmDuplicateBatchError(str(error)) from error
            raise

    # --- Warnings (can be gone past) --------------------------------------------

    def _crm_duplicate_warning_lines(self):
        """Other customers, or contacts of customers, with the same phone,
        mobile or email, or a close normalized name: one line per finding,
        naming who holds the other customer only."""
        self.ensure_one()
        Partner = self.sudo().with_context(active_test=False)
        own = self._origin.id or 0
        lines = []
        values = {
            value.strip()
            for value in (self.phone, self.mobile)
            if value and value.strip()
        }
        values |= {self._crm_normalize_cn_mobile(value) for value in set(values)}
        found = Partner.browse()
        if values:
            found |= Partner.search(
                [
                    "|",
                    ("phone", "in", list(values)),
                    ("mobile", "in", list(values)),
                    ("id", "!=", own),
                    ("commercial_partner_id", "!=", own),
                ],
                limit=5,
            )
        if self.email and self.email.strip():
            found |= Partner.search(
                [
                    ("email", "=ilike", self.email.strip()),
                    ("id", "!=", own),
                    ("commercial_partner_id", "!=", own),
                ],
                limit=5,
            )
        for customer in found.commercial_partner_id:
            if customer.is_company and customer.customer_rank > 0:
                lines.append(
                    self.env._(
                        "Same phone, mobile or email as an existing customer: "
                        "%(holder)s.",
                        holder=customer._crm_duplicate_holder_label(),
                    )
                )
        code = self._crm_normalize_credit_code(self.vat) if self.is_company else ""
        if code:
            for holder in self._crm_find_duplicate_holders(
                [], [code], exclude_ids=[own]
            ).values():
                lines.append(
                    self.env._(
                        "Same Unified Social Credit Code as an existing customer: "
                        "%(holder)s.",
                        holder=holder._crm_duplicate_holder_label(),
                    )
                )
        key = self._crm_normalize_name(self.name) if self.is_company else ""
        if len(key) >= 2:
            self.env["res.partner"].flush_model(["crm_name_key"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM res_partner WHERE crm_name_key IS NOT NULL "
                    "AND id != %s AND length(crm_name_key) >= 2 "
                    "AND (strpos(crm_name_key, %s) > 0 "
                    "OR strpos(%s, crm_name_key) > 0) "
                    "ORDER BY id LIMIT 5",
                    own,
                    key,
                    key,
                )
            )
            for (partner_id,) in rows:
                holder = self.browse(partner_id)
                lines.append(
                    self.env._(
                        "A customer with the same or a close name exists: "
                        "%(holder)s.",
                        holder=holder._crm_duplicate_holder_label(),
                    )
                )
        return list(dict.fromkeys(lines))

    @api.depends(*DUPLICATE_WARNING_INPUTS)
    @api.depends_context("uid")
    def _compute_crm_duplicate_warning(self):
        for partner in self:
            if partner.is_company and not partner.parent_id:
                partner.crm_duplicate_warning = (
                    "\n".join(partner._crm_duplicate_warning_lines()) or False
                )
            else:
                partner.crm_duplicate_warning = False

    @api.onchange(*DUPLICATE_WARNING_INPUTS)
    def _onchange_crm_duplicate_warning(self):
        if self.is_company and self.crm_duplicate_warning:
            return {
                "warning": {
                    "title": self.env._("Possible duplicate customer"),
                    "message": self.crm_duplicate_warning,
                    "type": "notification",
                }
            }
        return None

    # --- Merge ------------------------------------------------------------------

    def _crm_release_duplicate_keys(self):
        """Customers merged into another one give their keys up first, so that
        the kept customer may take their credit code."""
        if self:
            self.env.cr.execute(
                SQL(
                    "UPDATE res_partner SET crm_name_key = NULL, "
                    "crm_credit_code_key = NULL WHERE id = ANY(%s)",
                    self.ids,
                )
            )
            self.invalidate_recordset(["crm_name_key", "crm_credit_code_key"])

    # --- Follow-ups 跟进记录 (C9) ---------------------------------------------

    def action_crm_log_followup(self):
        """The quick follow-up form, in a dialog, for this customer."""
        self.ensure_one()
        customer = self.commercial_partner_id
        phone = self.env.ref(
            "crm_custom.dictionary_followup_channel_phone", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Follow-up"),
            "res_model": "crm.interaction",
            "view_mode": "form",
            "views": [
                (self.env.ref("crm_custom.view_crm_interaction_form_quick").id, "form")
            ],
            "target": "new",
            "context": {
                "default_partner_id": customer.id,
                "default_contact_id": (
                    self.id if self != customer else customer.primary_contact_id.id
                ),
                "default_channel_id": phone.id if phone else False,
                "dialog_size": "medium",
            },
        }
