from odoo.tests import tagged

from .common import CrmCustomCommon


@tagged("post_install", "-at_install")
class TestPartnerBatchCreate(CrmCustomCommon):
    """Customers created together (an import, issue 18) get the followers and
    owner notifications they get when created one by one."""

    def _create(self, names_owners):
        Partner = (
            self.env["res.partner"]
            .with_context(tracking_disable=False)
            .with_user(self.sales_manager)
        )
        return Partner.create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": owner.id,
                }
                for name, owner in names_owners
            ]
        )

    def _followers(self, partner):
        return {
            (follower.partner_id, frozenset(follower.subtype_ids.ids))
            for follower in partner.sudo().message_follower_ids
        }

    def _assigned_notices(self, partner):
        return (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "=", partner.id),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )

    def test_c5_import_batch_followers_as_one_by_one(self):
        (single,) = self._create([("Batch Single Trading Co", self.customer_manager)])
        one, two, other = self._create(
            [
                ("Batch One Trading Co", self.customer_manager),
                ("Batch Two Trading Co", self.customer_manager),
                ("Batch Other Trading Co", self.customer_manager_2),
            ]
        )
        expected = self._followers(single)
        self.assertIn(
            self.customer_manager.partner_id,
            {partner for partner, _subtypes in expected},
        )
        self.assertEqual(self._followers(one), expected)
        self.assertEqual(self._followers(two), expected)
        self.assertEqual(
            {partner for partner, _subtypes in self._followers(other)},
            {self.sales_manager.partner_id, self.customer_manager_2.partner_id},
        )
        # The owner is told of each customer assigned to them, as one by one.
        for partner in (one, two, other):
            self.assertEqual(
                self._assigned_notices(partner), self._assigned_notices(single)
            )
