"""sec_fuzz for crm_custom_reports: property-based tests (hypothesis) over
the period of the management report (R7). See
crm_custom/tests/test_sec_fuzz.py for the method."""

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import tagged

from odoo.addons.crm_custom.tests.common import FUZZ, SecFuzzMixin, SecurityCommon


@tagged("post_install", "-at_install")
class TestSecFuzz(SecFuzzMixin, SecurityCommon):
    # --- dates (R7) ------------------------------------------------------------

    @FUZZ
    @given(date_from=st.dates(), date_to=st.dates())
    def test_sec_fuzz_management_report_period(self, date_from, date_to):
        Wizard = self.env["crm.customer.management.report.wizard"].with_user(
            self.executive
        )
        outcome = self._probe(
            lambda: Wizard.create({"date_from": date_from, "date_to": date_to})
        )
        self.assertEqual(outcome, "ok" if date_from <= date_to else "ValidationError")
