import io

import xlsxwriter

from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import CrmCustomCommon

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_URL = "/crm_custom/static/xls/crm_customers_import_template.xlsx"
HEADERS = [
    "Name",
    "Is a Company",
    "Customer Level",
    "Source",
    "Company Nature",
    "Region",
    "Zip",
    "Country",
    "Contact/Name",
    "Contact/Gender",
    "Contact/Job Position",
    "Contact/Phone",
    "Contact/Mobile",
]


def xlsx_file(headers, rows):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for row_index, row in enumerate([headers] + rows):
        for col_index, value in enumerate(row):
            if value != "":
                sheet.write_string(row_index, col_index, value)
    workbook.close()
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestCustomerImport(CrmCustomCommon):
    """C5: customers with their contacts are imported from Excel through
    Odoo's import screen, from the Customers menu (its context)."""

    def _importer(self, content):
        Import = (
            self.env["base_import.import"]
            .with_user(self.customer_manager)
            .with_context(
                res_partner_search_mode="customer",
                default_is_company=True,
                default_user_id=self.customer_manager.id,
            )
        )
        return Import.create(
            {
                "res_model": "res.partner",
                "file": content,
                "file_name": "customers.xlsx",
                "file_type": XLSX_MIMETYPE,
            }
        )

    def _options(self):
        return {
            "has_headers": True,
            "quoting": '"',
            "separator": ",",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
            "date_format": "",
            "datetime_format": "",
            "encoding": "",
            "keep_matches": False,
            "name_create_enabled_fields": {},
            "import_set_empty_fields": [],
            "import_skip_records": [],
            "fallback_values": {},
            "limit": 2000,
            "skip": 0,
            "advanced": True,
        }

    def _mapped_fields(self, importer):
        preview = importer.parse_preview(self._options())
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = []
        for index, header in enumerate(preview["headers"]):
            match = preview["matches"].get(index)
            self.assertTrue(match, f"column “{header}” is not recognised")
            fields.append("/".join(match))
        return fields, preview["headers"]

    def _import(self, content, dryrun):
        importer = self._importer(content)
        fields, columns = self._mapped_fields(importer)
        return importer.execute_import(fields, columns, self._options(), dryrun=dryrun)

    def _errors(self, result):
        return [message for message in result["messages"] if message["type"] == "error"]

    def test_c5_template_offered_on_import_screen(self):
        templates = self.env["res.partner"].get_import_templates()
        self.assertEqual(templates[0]["template"], TEMPLATE_URL)
        with file_open(TEMPLATE_URL.lstrip("/"), "rb") as template:
            content = template.read()
        result = self._import(content, dryrun=True)
        self.assertFalse(self._errors(result), result["messages"])
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "上海示例机械有限公司")]),
            "a test import leaves nothing behind",
        )
        result = self._import(content, dryrun=False)
        self.assertFalse(self._errors(result), result["messages"])
        customers = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(len(customers), 2)
        shanghai = customers.filtered(lambda c: c.name == "上海示例机械有限公司")
        self.assertRecordValues(
            shanghai,
            [
                {
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": self.customer_manager.id,
                    "customer_level_id": self.env.ref(
                        "crm_custom.dictionary_customer_level_major"
                    ).id,
                    "company_nature_id": self.env.ref(
                        "crm_custom.dictionary_company_nature_private"
                    ).id,
                    "rating": "3",
                    "credit_rating": 5,
                    "zip": "200120",
                    "country_id": self.env.ref("base.cn").id,
                    "state_id": self.env.ref("base.state_cn_SH").id,
                }
            ],
        )
        self.assertEqual(shanghai.child_ids.mapped("name"), ["张伟", "李静"])
        self.assertEqual(set(shanghai.child_ids.mapped("is_company")), {False})
        self.assertEqual(shanghai.child_ids.mapped("gender"), ["male", "female"])

    def test_c5_other_resolved_in_the_right_list(self):
        content = xlsx_file(
            HEADERS,
            [
                [
                    "其他来源有限公司",
                    "True",
                    "",
                    "Other",
                    "Other",
                    "",
                    "",
                    "CN",
                    "周静",
                    "female",
                    "财务经理",
                    "025-52100035",
                    "17712345670",
                ]
            ],
        )
        result = self._import(content, dryrun=False)
        self.assertFalse(self._errors(result), result["messages"])
        customer = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(
            customer.customer_source_id,
            self.env.ref("crm_custom.dictionary_customer_source_other"),
        )
        self.assertEqual(
            customer.company_nature_id,
            self.env.ref("crm_custom.dictionary_company_nature_other"),
        )

    def test_c5_bad_row_refuses_the_whole_file(self):
        content = xlsx_file(
            HEADERS,
            [
                [
                    "第一导入有限公司",
                    "True",
                    "Major Account",
                    "Telemarketing",
                    "Private Enterprise",
                    "East China",
                    "200120",
                    "CN",
                    "张伟",
                    "male",
                    "采购经理",
                    "021-50000001",
                    "13800000001",
                ],
                [
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "李静",
                    "female",
                    "财务主管",
                    "021-50000002",
                    "13900000002",
                ],
                [
                    "第二导入有限公司",
                    "True",
                    "Key Prospect",
                    "Online Marketing",
                    "Joint Venture",
                    "East China",
                    "215000",
                    "CN",
                    "王强",
                    "male",
                    "技术总监",
                    "0512-60000001",
                    "12345",
                ],
                [
                    "第三导入有限公司",
                    "True",
                    "",
                    "",
                    "",
                    "",
                    "2100",
                    "CN",
                    "赵敏",
                    "female",
                    "总经理助理",
                    "0571-82170018",
                    "18657101234",
                ],
            ],
        )
        Partner = self.env["res.partner"].with_context(active_test=False)
        last_id = Partner.search([], order="id desc", limit=1).id
        for dryrun in (True, False):
            result = self._import(content, dryrun=dryrun)
            # Odoo reports the rows counted from the first data row (0): the
            # bad mobile is on the second customer (row 2), the bad postcode
            # on the third (row 3), each message naming the field and value
            errors = {
                error["rows"]["from"]: error["message"]
                for error in self._errors(result)
            }
            self.assertIn(2, errors, result["messages"])
            self.assertIn("Mobile “12345”", errors[2])
            self.assertIn(3, errors, result["messages"])
            self.assertIn("Zip “2100”", errors[3])
            self.assertFalse(result["ids"])
            self.assertFalse(
                Partner.search([("id", ">", last_id)]),
                "nothing is imported, not even the good rows",
            )
