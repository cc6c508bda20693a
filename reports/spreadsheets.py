"""XLSX and CSV output shared by the reports: Czech Excel friendly, formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import xlsxwriter

from casework.exports import safe_cell


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """A workbook of (sheet title, header, rows); text cells are escaped like CSV cells.

    Numbers stay numbers (so sums work in Excel); strings starting like a formula get a '.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "d.m.yyyy"})
    for title, header, rows in sheets:
        sheet = workbook.add_worksheet(title[:31])
        sheet.write_row(0, 0, [safe_cell(h) for h in header], bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if hasattr(value, "isoformat") and not isinstance(value, str):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif isinstance(value, Decimal):
                    sheet.write_number(r, c, float(value))
                else:
                    sheet.write_string(r, c, safe_cell(value))
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(
    header: Sequence, rows: Iterable[Sequence], *, cell: Callable[[object], str] = safe_cell
) -> bytes:
    """CSV for Czech Excel: UTF-8 with BOM, ``;``, CRLF, formula-safe cells (``cell``)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")
