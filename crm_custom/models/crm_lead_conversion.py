from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import escape_psql, parse_contact_from_email

from .crm_lead import DEVELOPMENT_DEFINITION_FIELDS


class CrmLead(models.Model):
    """Leads and opportunities through Odoo's own conversion and merge
    (O11): converted opportunities enter the development process, without
    a duplicate customer; a merge keeps the opportunity under development."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def _enter_development(self):
        """O11: opportunities converted with Odoo's wizard enter the
        development process; with their salesperson they are in
        development."""
        converted = self.filtered(
            lambda lead: lead.type == "opportunity"
            and lead.active
            and not lead.stage_id.is_won
            and not lead.is_development
        )
        if converted:
            converted.write({"is_development": True})
            # set by the process, not by the user
            converted.filtered("user_id").sudo().date_assigned = fields.Datetime.now()
        return converted

    def _create_customer(self):
        """O11: no duplicate customer. A lead whose customer name is a
        company the user can see is converted onto that company (and onto its
        contact of the same name) instead of creating a second one."""
        company = self.env["res.partner"]
        if self.partner_name and not self.partner_id:
            company = self._find_development_companies_visible().get(
                self.partner_name.strip().lower(), company
            )
        if not company:
            return super()._create_customer()
        contact_name = self.contact_name
        if not contact_name and self.email_from:
            contact_name = parse_contact_from_email(self.email_from)[0]
        if not contact_name:
            return company
        contact = self._find_development_contact(company).with_env(self.env)
        if contact:
            return contact
        return self.env["res.partner"].create(
            self._prepare_customer_values(
                contact_name, is_company=False, parent_id=company.id
            )
        )

    def _find_development_companies_visible(self):
        """Companies named like the customer names of ``self`` that the user
        can see, by lowercase name."""
        Partner = self.env["res.partner"]
        names = {
            lead.partner_name.strip()
            for lead in self
            if lead.partner_name and lead.partner_name.strip()
        }
        companies = {}
        if names:
            domain = ["|"] * (len(names) - 1)
            for name in names:
                domain.append(("name", "=ilike", escape_psql(name)))
            for company in Partner.search(
                [("is_company", "=", True)] + domain, order="id"
            ):
                companies.setdefault(company.name.strip().lower(), company)
        return companies

    def _merge_opportunity(
        self, user_id=False, team_id=False, auto_unlink=True, max_length=5
    ):
        """Odoo's merge keeps the opportunity under development: an assigned
        development opportunity is the one that remains (O3: it is not
        deleted), so two of them are not merged."""
        if len(self.filtered(lambda lead: lead._is_development_locked())) > 1:
            raise UserError(
                self.env._(
                    "Two assigned development opportunities cannot be merged: "
                    "each is developed and ends on its own."
                )
            )
        return super()._merge_opportunity(
            user_id=user_id,
            team_id=team_id,
            auto_unlink=auto_unlink,
            max_length=max_length,
        )

    def _sort_by_confidence_level(self, reverse=False):
        leads = super()._sort_by_confidence_level(reverse=reverse)
        locked = leads.filtered(lambda lead: lead._is_development_locked())
        if not locked:
            return leads
        return locked + (leads - locked) if reverse else (leads - locked) + locked

    def _merge_data(self, fnames=None):
        """Merging keeps the definition of a locked head opportunity (O2):
        the others' data completes what it lacks elsewhere."""
        data = super()._merge_data(fnames)
        head = self[:1]
        if head and head._is_development_locked():
            for fname in DEVELOPMENT_DEFINITION_FIELDS:
                if fname in data:
                    data[fname] = head._fields[fname].convert_to_write(
                        head[fname], head
                    )
        return data
