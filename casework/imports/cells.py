"""Reading a team's spreadsheet: the table itself and the values of its cells.

A file is XLSX (the first sheet) or CSV (UTF-8 with or without BOM, or Windows-1250; ``;``,
``,`` or tab separated). The first row holds the column headers. Cells are read as people type
them: dates as ``23.11.2026`` or ``2026-11-23`` (or real date cells), amounts with a decimal
comma or point and spaces between thousands, yes/no as ``ano``/``ne``. Text that an export made
formula-safe (a leading apostrophe before ``=``, ``+``, ``-``, ``@``) gets its apostrophe back
off, so an exported file imports to the same values.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from casework.exports import FORMULA_PREFIXES

# More rows than any team's sheet; a bigger file is refused rather than read into memory.
MAX_ROWS = 10_000

UNREADABLE_FILE = _("The file cannot be read as XLSX or CSV.")
TOO_MANY_ROWS = _("The file has more than %(limit)s rows; split it into smaller files.")
BAD_DATE = _("“%(value)s” is not a date; write it as 23.11.2026 or 2026-11-23.")
BAD_TIME = _("“%(value)s” is not a time; write it as 9:30 or 14:05.")
BAD_NUMBER = _("“%(value)s” is not a whole number.")
BAD_AMOUNT = _("“%(value)s” is not an amount; write it as 1234,50 or 1234.50.")
BAD_YES_NO = _("“%(value)s” is neither “ano” nor “ne”.")

YES = {"ano", "a", "yes", "y", "true", "1", "x"}
NO = {"ne", "n", "no", "false", "0", ""}


class CellError(ValueError):
    """A cell whose value cannot be read; the message says why."""


@dataclass
class Table:
    headers: list[str]
    # (row number as the spreadsheet shows it, {header: raw value})
    rows: list[tuple[int, dict[str, object]]]


def normalise_header(value) -> str:
    return " ".join(str(value or "").split()).casefold()


def read_table(content: bytes) -> Table:
    """The header and the non-empty rows of an XLSX or CSV file; ``CellError`` if unreadable."""
    is_xlsx = content.startswith(b"PK\x03\x04")
    raw_rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    try:
        header_row = next(raw_rows)
    except StopIteration:
        return Table(headers=[], rows=[])
    headers = [strip_apostrophe(str(h)).strip() if h is not None else "" for h in header_row]
    rows = []
    for number, values in enumerate(raw_rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise CellError(TOO_MANY_ROWS % {"limit": MAX_ROWS})
        rows.append((number, {h: v for h, v in zip(headers, values, strict=False) if h}))
    return Table(headers=[h for h in headers if h], rows=rows)


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise CellError(UNREADABLE_FILE) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return iter(rows)


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1250")
        except UnicodeDecodeError as error:
            raise CellError(UNREADABLE_FILE) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return iter([list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)])
    except csv.Error as error:
        raise CellError(UNREADABLE_FILE) from error


# --- Cell values ------------------------------------------------------------------------------


def strip_apostrophe(text: str) -> str:
    """Undo ``safe_cell``: ``'=SUM(A1)`` → ``=SUM(A1)``; other apostrophes stay."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return strip_apostrophe(str(value)).strip()


def is_blank(value) -> bool:
    return text(value) == ""


def date(value) -> dt.date | None:
    if value is None or is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    match = re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", raw)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    raise CellError(BAD_DATE % {"value": raw})


def time(value) -> dt.time | None:
    if value is None or is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    raw = text(value)
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", raw)
    if match:
        try:
            return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))
        except ValueError:
            pass
    raise CellError(BAD_TIME % {"value": raw})


def integer(value) -> int | None:
    if value is None or is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(BAD_NUMBER % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raw = text(value).replace(" ", "").replace("\xa0", "")
    if re.fullmatch(r"[-+]?\d+", raw):
        return int(raw)
    raise CellError(BAD_NUMBER % {"value": text(value)})


def amount(value) -> Decimal | None:
    if value is None or is_blank(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    raw = text(value)
    compact = re.sub(r"[\s\xa0]", "", raw).removesuffix("Kč").removesuffix(",-")
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    try:
        number = Decimal(compact)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(BAD_AMOUNT % {"value": raw})
    return number.quantize(Decimal("0.01"))


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(BAD_YES_NO % {"value": text(value)})


def code_list(value) -> list[str]:
    """Several codes in one cell: ``ZNMIG | PBOBP`` or ``ZNMIG, PBOBP``."""
    return [part.strip() for part in re.split(r"[|,;]", text(value)) if part.strip()]


def format_date(value: dt.date | None) -> str:
    """``23.11.2026``: how the export writes dates into CSV."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def format_amount(value: Decimal | None) -> str:
    """``1234,50``: how the export writes amounts into CSV."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")
