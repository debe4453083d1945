import io
import re

from odoo import models

from odoo.addons.base_import.models.base_import import ImportValidationError

# Excel keeps at most this many characters in a cell: a longer one was not
# made by Excel, and nothing of the CRM needs it.
MAX_CELL_LENGTH = 32767
# Text that a spreadsheet would run as a formula when the data is exported
# again (CSV/formula injection: =HYPERLINK(...), =cmd|..., +cmd, @SUM(...)):
# it starts with = + - @ and is not a plain number or phone number.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
NUMBER_LIKE_RE = re.compile(r"[+\-]?[0-9\s().\-/]+")


class BaseImportImport(models.TransientModel):
    """Hardened imports of customers, contacts and CRM records (C5, B2):
    a file with formulas, formula-like text or oversized cells is refused
    as a whole, with the cell to correct; nothing of it is imported."""

    _inherit = "base_import.import"

    def _crm_import_hardened(self):
        return self.res_model == "res.partner" or (self.res_model or "").startswith(
            "crm."
        )

    def _read_file(self, options):
        if not self._crm_import_hardened():
            return super()._read_file(options)
        self._crm_check_xlsx_cells()
        file_length, rows = super()._read_file(options)
        self._crm_check_cells(rows, options)
        return file_length, rows

    def _crm_refuse(self, message):
        raise ImportValidationError(message)

    def _crm_check_xlsx_cells(self):
        """An Excel formula would be imported as the value Excel last
        computed, silently: refuse the file instead."""
        content = self.file or b""
        if not content.startswith(b"PK"):
            return
        try:
            from openpyxl import load_workbook  # noqa: PLC0415 - optional library
        except ImportError:
            return
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        except Exception:  # noqa: BLE001 - not an xlsx file: base_import decides
            return
        try:
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if getattr(cell, "data_type", None) == "f":
                            self._crm_refuse(
                                self.env._(
                                    "Cell %(cell)s of sheet “%(sheet)s” holds the "
                                    "formula %(formula)s: import values, not "
                                    "formulas. Nothing was imported.",
                                    cell=cell.coordinate,
                                    sheet=sheet.title,
                                    formula=str(cell.value)[:80],
                                )
                            )
        finally:
            book.close()

    def _crm_check_cells(self, rows, options):
        has_headers = options.get("has_headers")
        headers = rows[0] if has_headers and rows else []
        for row_index, row in enumerate(rows):
            line = row_index + 1
            for col_index, value in enumerate(row):
                if not isinstance(value, str) or not value:
                    continue
                column = (
                    headers[col_index]
                    if col_index < len(headers) and headers[col_index]
                    else str(col_index + 1)
                )
                # The spreadsheet readers cut longer cells to the limit,
                # silently: a full cell may have been cut.
                if len(value) >= MAX_CELL_LENGTH:
                    self._crm_refuse(
                        self.env._(
                            "Row %(row)s, column “%(column)s”: the cell holds "
                            "%(length)s characters, as many as a spreadsheet cell "
                            "can hold at most (%(max)s): it may have been cut. "
                            "Nothing was imported.",
                            row=line,
                            column=column,
                            length=len(value),
                            max=MAX_CELL_LENGTH,
                        )
                    )
                text = value.lstrip(" \t\r\n")
                if text.startswith(FORMULA_TRIGGERS) and not NUMBER_LIKE_RE.fullmatch(
                    text
                ):
                    self._crm_refuse(
                        self.env._(
                            "Row %(row)s, column “%(column)s”: “%(value)s” would "
                            "run as a formula in a spreadsheet. Remove the leading "
                            "“%(char)s”. Nothing was imported.",
                            row=line,
                            column=column,
                            value=value[:80],
                            char=text[0],
                        )
                    )
