"""sec_fuzz: property-based tests (hypothesis) over every validated input of
crm_custom: mobile, email, postcode, QQ, customer name, satisfaction and
credit rating of customers (C1, C2); the churn settings (W1); and the dates
of development plan items (O5). crm_custom_service and crm_custom_reports
fuzz theirs (services S4, S6; the management report's period R7) in their
own test_sec_fuzz.py.

Each property generates values that the spec says are valid and values it
says are invalid, from an oracle written independently of the product's
own checks: valid values must pass, invalid ones must raise a
ValidationError (and change nothing). Examples are bounded so that the
module runs in well under a minute; the number of inputs tried is logged."""

import re
import string
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from psycopg2 import DataError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ASCII_DIGITS, FUZZ, SecFuzzMixin, SecurityCommon

SEPARATORS = st.sampled_from(["", " ", "-"])

# --- oracles: what the spec calls valid -----------------------------------


def is_cn_mobile(value):
    """C2: a mainland China mobile number, 11 ASCII digits starting with 13
    to 19, optionally written with the +86 / 0086 / 86 country code and
    spaces, dashes, dots or parentheses."""
    digits = re.sub(r"[\s\-().]", "", value)
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    else:
        if digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
    return (
        len(digits) == 11
        and all(ch in ASCII_DIGITS for ch in digits)
        and digits[0] == "1"
        and digits[1] in "3456789"
    )


# --- strategies -------------------------------------------------------------

digits = st.text(alphabet=ASCII_DIGITS, min_size=0, max_size=25)
noise = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="\x00"
    ),
    max_size=25,
)
unicode_digits = st.text(
    alphabet=st.characters(categories=["Nd"], exclude_characters=ASCII_DIGITS),
    min_size=1,
    max_size=3,
)


@st.composite
def valid_mobiles(draw):
    number = (
        "1"
        + draw(st.sampled_from("3456789"))
        + draw(st.text(alphabet=ASCII_DIGITS, min_size=9, max_size=9))
    )
    sep = draw(SEPARATORS)
    if sep:
        number = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    return draw(st.sampled_from(["", "+86", "+86 ", "0086"])) + number


@st.composite
def invalid_mobiles(draw):
    value = draw(
        st.one_of(
            digits,  # wrong length or prefix
            noise,
            st.builds(
                lambda v, s: v + s, valid_mobiles(), st.sampled_from(["0", "x", "\n1"])
            ),
            valid_mobiles().map(lambda v: v[:-1]),
            st.builds(
                lambda d: "12" + d,
                st.text(alphabet=ASCII_DIGITS, min_size=9, max_size=9),
            ),
            st.builds(
                lambda u, d: "13" + u + d[: 9 - len(u)],
                unicode_digits,
                st.text(alphabet=ASCII_DIGITS, min_size=9, max_size=9),
            ),
        )
    )
    return value


def parses(value, parser):
    try:
        return bool(parser(value))
    except ValueError:
        return False


def invalid_of(strategy, oracle):
    return strategy.filter(lambda value: value.strip() and not oracle(value))


@st.composite
def valid_emails(draw):
    local = draw(
        st.text(
            alphabet=string.ascii_letters + string.digits + "._+-",
            min_size=1,
            max_size=20,
        )
    )
    # at most 50 characters in all (C10, seed 000): 20 + 1 + 17 + 1 + 6
    labels = draw(
        st.lists(
            st.text(
                alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8
            ),
            min_size=1,
            max_size=2,
        )
    )
    tld = draw(st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=6))
    address = f"{local}@{'.'.join(labels)}.{tld}"
    if draw(st.booleans()):
        return f"Zhang Wei <{address}>"
    return address


@st.composite
def invalid_emails(draw):
    address = draw(valid_emails()).split("<")[-1].rstrip(">")
    local, domain = address.split("@")
    return draw(
        st.sampled_from(
            [
                local + domain,  # no @
                f"{local}@@{domain}",
                f"{local}@{domain}@{domain}",
                f"@{domain}",
                f"{local}@",
                f"{local} x@{domain}",
                f"{local}@{domain.split('.')[0]}",  # no top-level domain
                f"{local}@{domain.rsplit('.', 1)[0]}.c",  # one-letter top-level domain
                f"{local}@{domain}\n{local}@{domain}",
                f"{local}@{domain},{local}@{domain}",
                f"{local}@{domain};",
            ]
        )
    )


valid_zips = st.text(alphabet=ASCII_DIGITS, min_size=6, max_size=6)
invalid_zips = st.one_of(
    st.text(alphabet=ASCII_DIGITS, max_size=12).filter(lambda v: v and len(v) != 6),
    st.builds(lambda d, u: d[: 6 - len(u)] + u, valid_zips, unicode_digits),
    valid_zips.map(lambda v: v + "\n"),
    valid_zips.map(lambda v: v[:3] + " " + v[3:]),
    invalid_of(noise, lambda v: len(v) == 6 and all(ch in ASCII_DIGITS for ch in v)),
)
valid_qq = st.text(alphabet=ASCII_DIGITS, min_size=1, max_size=20)
invalid_qq = st.one_of(
    st.text(alphabet=ASCII_DIGITS, min_size=21, max_size=30),
    st.builds(lambda d, u: d + u, valid_qq.map(lambda v: v[:17]), unicode_digits),
    valid_qq.map(lambda v: v + "\n"),
    invalid_of(
        noise, lambda v: 0 < len(v) <= 20 and all(ch in ASCII_DIGITS for ch in v)
    ),
)


@tagged("post_install", "-at_install")
class TestSecFuzz(SecFuzzMixin, SecurityCommon):
    def _fuzz_contact(self, **vals):
        return lambda: self.env["res.partner"].create(
            {
                "name": "Fuzz Contact",
                "parent_id": self.customer_own.id,
                "gender": "male",
                "function": "Buyer",
                "phone": "021-12345678",
                **vals,
            }
        )

    def _assert_valid(self, func, value):
        self.assertEqual(self._probe(func), "ok", f"valid input refused: {value!r}")

    def _assert_invalid(self, func, value):
        self.assertEqual(
            self._probe(func), "ValidationError", f"invalid input accepted: {value!r}"
        )

    # --- customers and contacts (C1, C2) -----------------------------------

    @FUZZ
    @given(value=valid_mobiles())
    def test_sec_fuzz_mobile_valid(self, value):
        self._assert_valid(self._fuzz_contact(mobile=value), value)

    @FUZZ
    @given(value=invalid_of(invalid_mobiles(), is_cn_mobile))
    def test_sec_fuzz_mobile_invalid(self, value):
        self._assert_invalid(self._fuzz_contact(mobile=value), value)

    @FUZZ
    @given(value=valid_emails())
    def test_sec_fuzz_email_valid(self, value):
        self._assert_valid(self._fuzz_contact(email=value), value)

    @FUZZ
    @given(value=invalid_emails())
    def test_sec_fuzz_email_invalid(self, value):
        self._assert_invalid(self._fuzz_contact(email=value), value)

    @FUZZ
    @given(value=valid_zips)
    def test_sec_fuzz_postcode_valid(self, value):
        self._assert_valid(
            self._fuzz_contact(zip=value, country_id=self.env.ref("base.cn").id), value
        )

    @FUZZ
    @given(value=invalid_zips)
    def test_sec_fuzz_postcode_invalid(self, value):
        self._assert_invalid(
            self._fuzz_contact(zip=value, country_id=self.env.ref("base.cn").id), value
        )

    @FUZZ
    @given(value=valid_qq)
    def test_sec_fuzz_qq_valid(self, value):
        self._assert_valid(self._fuzz_contact(qq=value), value)

    @FUZZ
    @given(value=invalid_qq)
    def test_sec_fuzz_qq_invalid(self, value):
        self._assert_invalid(self._fuzz_contact(qq=value), value)

    @FUZZ
    @given(
        value=st.integers(min_value=-(2**31), max_value=2**31 - 1),
        fname=st.sampled_from(["satisfaction", "credit_rating"]),
    )
    def test_sec_fuzz_satisfaction_and_credit(self, value, fname):
        customer = self.customer_own
        outcome = self._probe(lambda: customer.write({fname: value}))
        self.assertEqual(outcome, "ok" if 0 <= value <= 5 else "ValidationError", value)

    @FUZZ
    @given(
        name=st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
            min_size=1,
            max_size=80,
        ).filter(str.strip)
    )
    def test_sec_fuzz_customer_name_length(self, name):
        outcome = self._probe(lambda: self._customer(name, self.customer_manager))
        self.assertEqual(outcome, "ok" if len(name) <= 50 else "ValidationError", name)

    # --- dates (W1, O5) --------------------------------------------------------

    @FUZZ
    @given(
        months=st.integers(min_value=-24, max_value=120),
        factor=st.floats(min_value=-5, max_value=20, allow_nan=False),
        min_orders=st.integers(min_value=-5, max_value=50),
    )
    def test_sec_fuzz_churn_settings(self, months, factor, min_orders):
        factor = round(factor, 1)
        valid = months >= 1 and factor >= 1 and min_orders >= 3
        outcome = self._probe(
            lambda: self.env.company.write(
                {
                    "churn_threshold_months": months,
                    "churn_cycle_factor": factor,
                    "churn_cycle_min_orders": min_orders,
                }
            )
        )
        self.assertEqual(
            outcome, "ok" if valid else "ValidationError", (months, factor, min_orders)
        )

    @FUZZ
    @given(
        day=st.dates(
            min_value=datetime(2000, 1, 1).date(),
            max_value=datetime(2099, 12, 31).date(),
        ),
        shift=st.integers(min_value=-400, max_value=400),
    )
    def test_sec_fuzz_plan_item_dates(self, day, shift):
        """Any date is a valid plan date; once created, the date is fixed
        (O5): another date is refused, the same one is not a change."""
        Item = self.env["crm.lead.plan.item"].with_user(self.customer_manager)
        type(self).tried += 1

        def plan_and_move():
            item = Item.create(
                {"lead_id": self.plan_lead.id, "date": day, "content": "Fuzz step"}
            )
            self.assertEqual(item.date, day)
            new_day = day + timedelta(days=shift)
            if shift:
                with self.assertRaises(UserError):
                    item.write({"date": new_day})
                self.assertEqual(item.date, day)
            else:
                item.write({"date": new_day, "result": "Done"})

        self.assertTrue(self._succeeds(plan_and_move))

    @FUZZ
    @given(
        value=st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    "2024-02-30",
                    "2024-13-01",
                    "0000-00-00",
                    "24-1-1",
                    "tomorrow",
                    "2024/01/01 00:00",
                    "9999-99-99",
                    "2024-01-01T25:00:00",
                ]
            ),
        )
    )
    def test_sec_fuzz_malformed_dates_refused(self, value):
        """A date that is no date is refused and creates nothing, for the
        dated records of the addons (plan items, interaction records). On
        create, Odoo hands a date string to PostgreSQL as it is, which
        refuses it (DataError); on write, the ORM refuses it (ValueError)."""
        valid = parses(value, lambda v: datetime.strptime(v, "%Y-%m-%d"))
        # Only what Odoo's own date parser refuses counts as malformed.
        if not value.strip() or not (valid or not parses(value, fields.Date.to_date)):
            return
        type(self).tried += 1
        Item = self.env["crm.lead.plan.item"].with_user(self.customer_manager)
        for model, vals in (
            (Item, {"lead_id": self.plan_lead.id, "content": "Fuzz"}),
            (
                self.env["crm.interaction"],
                {"partner_id": self.customer_own.id, "summary": "Fuzz"},
            ),
        ):
            before = model.sudo().search_count([])
            created = self._succeeds(
                lambda model=model, vals=vals: model.create({**vals, "date": value}),
                refusals=(ValueError, TypeError, ValidationError, DataError),
            )
            self.assertEqual(created, valid, repr(value))
            self.assertEqual(model.sudo().search_count([]), before)

    # --- fixtures ------------------------------------------------------------

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan_lead = cls._lead(cls.sales_manager, assignee=cls.customer_manager)
