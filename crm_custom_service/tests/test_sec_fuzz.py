"""sec_fuzz for crm_custom_service: property-based tests (hypothesis) over
the satisfaction of a service's feedback (S4) and the technician's phone and
service times of a field dispatch (S6). See crm_custom/tests/test_sec_fuzz.py
for the method: valid values must pass, invalid ones must raise a
ValidationError (and change nothing)."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import ASCII_DIGITS, FUZZ, SecFuzzMixin

from .common import ServiceSecurityCommon


@tagged("post_install", "-at_install")
class TestSecFuzz(SecFuzzMixin, ServiceSecurityCommon):
    # --- services (S4, S6) -------------------------------------------------------

    @FUZZ
    @given(
        value=st.one_of(
            st.integers(min_value=-100, max_value=100),
            st.text(max_size=5),
            st.sampled_from(
                [None, False, True, 3.0, 4.5, " 4 ", "５", "3\n", [3], {"v": 3}]
            ),
        )
    )
    def test_sec_fuzz_service_satisfaction(self, value):
        valid = (
            isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
        ) or (isinstance(value, str) and value.strip() in {"1", "2", "3", "4", "5"})
        Ticket = self.env["helpdesk.ticket"]
        type(self).tried += 1
        if valid:
            self.assertEqual(Ticket._parse_satisfaction(value), int(str(value).strip()))
        else:
            with self.assertRaises(ValidationError, msg=repr(value)):
                Ticket._parse_satisfaction(value)

    @FUZZ
    @given(
        arrival_hours=st.integers(min_value=-72, max_value=72),
        repair_hours=st.integers(min_value=-72, max_value=72),
    )
    def test_sec_fuzz_service_times(self, arrival_hours, repair_hours):
        """Arrival and repair are after the dispatch, in order, not in the
        future (S6)."""
        service = self.confirmed_service
        now = fields.Datetime.now()
        arrival = service.date_dispatched + timedelta(hours=arrival_hours)
        repaired = service.date_dispatched + timedelta(hours=repair_hours)
        valid = service.date_dispatched <= arrival <= repaired <= now
        outcome = self._probe(
            lambda: service.with_user(self.sales_manager).action_record_service_times(
                arrival, repaired
            )
        )
        self.assertEqual(
            outcome, "ok" if valid else "ValidationError", (arrival, repaired)
        )

    @FUZZ
    @given(
        phone=st.one_of(
            st.from_regex(r"\A\+?[0-9][0-9 \-]{5,19}\Z"),
            st.text(max_size=30),
        )
    )
    def test_sec_fuzz_technician_phone(self, phone):
        stripped = phone.strip()
        valid = (
            bool(stripped)
            and len(stripped) <= 21
            and stripped.lstrip("+")[:1] in tuple(ASCII_DIGITS)
            and stripped.count("+") <= 1
            and (stripped[0] == "+" or "+" not in stripped)
            and all(ch in ASCII_DIGITS + " -" for ch in stripped.lstrip("+"))
            and 6 <= len(stripped.lstrip("+")) <= 20
        )
        service = self.dispatched_service
        outcome = self._probe(
            lambda: service.with_user(self.sales_manager).action_confirm_dispatch(
                "Wang Gong", phone
            )
        )
        self.assertEqual(outcome, "ok" if valid else "ValidationError", repr(phone))

    # --- fixtures ------------------------------------------------------------

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        onsite = cls.env.ref("crm_custom_service.service_type_onsite")
        service = cls._service(
            cls.customer_manager, cls.customer_own, service_type_id=onsite.id
        )
        service.with_user(cls.sales_manager).action_assign(cls.customer_manager.id)
        provider = cls.env["res.partner"].create(
            {"name": "Fuzz Repairs Co", "is_company": True}
        )
        confirmed = cls._service(
            cls.customer_manager, cls.customer_own, service_type_id=onsite.id
        )
        confirmed.with_user(cls.sales_manager).action_assign(cls.customer_manager.id)
        services = service | confirmed
        services.with_user(cls.sales_manager).action_dispatch(provider.id)
        confirmed.with_user(cls.sales_manager).action_confirm_dispatch(
            "Li Gong", "13900001111"
        )
        services.flush_recordset()
        # Dispatched two days ago: arrival and repair times can be in the past.
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET date_dispatched = %s WHERE id = ANY(%s)",
            (fields.Datetime.now() - timedelta(days=2), services.ids),
        )
        services.invalidate_recordset()
        cls.dispatched_service = service
        cls.confirmed_service = confirmed
