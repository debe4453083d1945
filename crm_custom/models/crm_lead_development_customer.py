from odoo import models
from odoo.tools import escape_psql


class CrmLead(models.Model):
    """O7: the customer a development success creates or links, without
    duplicating an existing company or contact."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def _find_development_companies(self):
        """Existing companies named like the customer names of ``self``, by
        normalized name (查重, C8): customers by their normalized name first,
        then other companies of the same name (case and surrounding spaces
        ignored)."""
        Partner = self.env["res.partner"].sudo()
        names = {
            lead.partner_name.strip()
            for lead in self
            if not lead.partner_id and lead.partner_name and lead.partner_name.strip()
        }
        companies = {}
        if names:
            keys = {Partner._crm_normalize_name(name) for name in names} - {""}
            for company in Partner.search(
                [("crm_name_key", "in", list(keys))], order="id"
            ):
                companies.setdefault(company.crm_name_key, company)
            domain = ["|"] * (len(names) - 1)
            for name in names:
                domain.append(("name", "=ilike", escape_psql(name)))
            for company in Partner.search(
                [("is_company", "=", True)] + domain, order="id"
            ):
                companies.setdefault(Partner._crm_normalize_name(company.name), company)
        return companies

    def _find_development_contact(self, company):
        self.ensure_one()
        name = (self.contact_name or "").strip().lower()
        if not name or not company:
            return self.env["res.partner"]
        return company.sudo().child_ids.filtered(
            lambda child: not child.is_company
            and (child.name or "").strip().lower() == name
        )[:1]

    def _link_development_customer(self, contact_values):
        """O7: the customer company (customer name) with its contact (contact,
        contact phone), owned by the customer manager and counted as a
        customer. A company of the same name is linked instead of creating a
        duplicate. Runs as superuser after the caller's checks: the customer
        manager may not see every company."""
        Partner = self.env["res.partner"].sudo()
        companies = self._find_development_companies()
        for lead in self:
            company = lead.partner_id.commercial_partner_id
            created = False
            if not company:
                if not (lead.partner_name or "").strip():
                    continue
                key = Partner._crm_normalize_name(lead.partner_name)
                company = companies.get(key)
                if not company:
                    vals = lead._prepare_customer_values(
                        lead.partner_name.strip(), is_company=True
                    )
                    vals.update(
                        phone=False,
                        mobile=False,
                        function=False,
                        user_id=lead.user_id.id,
                    )
                    if "customer_source_id" in Partner._fields:
                        vals["customer_source_id"] = lead.customer_source_id.id
                    company = Partner.create(vals)
                    companies[key] = company
                    created = True
            if "customer_rank" in Partner._fields and not company.customer_rank:
                # a customer from now on (lists, analyses, customer rules)
                company.customer_rank = 1
            contact = lead._link_development_contact(company, contact_values)
            lead.partner_id = contact or company
            message = (
                self.env._(
                    "Customer %(customer)s created from this opportunity.",
                    customer=company.display_name,
                )
                if created
                else self.env._(
                    "Linked to the existing customer %(customer)s.",
                    customer=company.display_name,
                )
            )
            lead.message_post(body=message)

    def _link_development_contact(self, company, contact_values):
        self.ensure_one()
        if not (self.contact_name or "").strip():
            return company.browse()
        contact = self._find_development_contact(company)
        if contact:
            if self.phone and not contact.phone:
                contact.phone = self.phone
        else:
            vals = self._prepare_customer_values(
                self.contact_name.strip(), is_company=False, parent_id=company.id
            )
            vals.update(comment=False, user_id=self.user_id.id)
            vals.update(
                {
                    fname: value
                    for fname, value in contact_values.items()
                    if fname in company._fields
                }
            )
            # customer data entered in the CRM: the contact rules apply (C2)
            contact = company.with_context(crm_customer_data=True).create(vals)
        if "primary_contact_id" in company._fields and not company.primary_contact_id:
            company.primary_contact_id = contact
        return contact
