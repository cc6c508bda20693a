"""What kind of file an upload really is, judged by its content and never by its name.

A worker uploads letters, court decisions, contracts and photos of papers. The name and the
browser's declared type are whatever the sender made them, so the type is read from the bytes:
the ``filetype`` package recognises PDF, JPEG, PNG and HEIC by their signatures; office
documents are ZIP containers recognised by the files inside them (``[Content_Types].xml`` for
Word and Excel, the ``mimetype`` file for OpenDocument); plain text is text that decodes and
does not look like markup. Anything else (programs, HTML, scripts, archives, macro-enabled
office files) is refused.
"""

from __future__ import annotations

import zipfile
from typing import IO

import filetype

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TEXT = "text/plain"

# Content type → the name a person knows the format by (in the order the form lists them).
ALLOWED_TYPES = {
    PDF: "PDF",
    JPEG: "JPEG",
    PNG: "PNG",
    HEIC: "HEIC",
    DOCX: "DOCX",
    XLSX: "XLSX",
    ODT: "ODT",
    ODS: "ODS",
    TEXT: "TXT",
}
# The main part of an OOXML package names the document kind; the macro-enabled variants
# (docm, xlsm) have other names and so are refused.
OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
ODF_TYPES = {ODT, ODS}
SIGNATURE_TYPES = {PDF, JPEG, PNG, HEIC}

HEAD_BYTES = 8192
# Enough for any real [Content_Types].xml; a bigger one is not read (no ZIP bombs).
MAX_PART_BYTES = 256 * 1024
# Markup that a browser would run or render if the file were ever shown as a page.
MARKUP_TAGS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<?xml",
)
ALLOWED_CONTROL_BYTES = frozenset(b"\t\n\r\f")


def allowed_type_names() -> str:
    """The allowed formats as people know them: "PDF, JPEG, PNG, …, TXT"."""
    return ", ".join(ALLOWED_TYPES.values())


def detect_content_type(file: IO[bytes]) -> str | None:
    """The content type of an allowed document, or ``None`` for anything else.

    Reads the file from the start and leaves it positioned at the start again.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            return _office_type(file)
        kind = filetype.guess(head)
        if kind is not None:
            return kind.mime if kind.mime in SIGNATURE_TYPES else None
        return TEXT if _is_plain_text(head) else None
    finally:
        file.seek(0)


def _office_type(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = _read_part(archive, "mimetype").strip().decode("ascii", "replace")
                return declared if declared in ODF_TYPES else None
            if "[Content_Types].xml" in names:
                content_types = _read_part(archive, "[Content_Types].xml")
                for part, content_type in OOXML_MAIN_PARTS.items():
                    if part in content_types:
                        return content_type
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        # Damaged, encrypted or using a compression method we cannot read: not accepted.
        return None
    return None


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        return part.read(MAX_PART_BYTES)


def _is_plain_text(head: bytes) -> bool:
    """UTF-8 or Windows-1250 text without control characters and without HTML or XML."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text or text.startswith(b"<") or any(tag in text.lower() for tag in MARKUP_TAGS):
        return False
    if any(byte < 0x20 and byte not in ALLOWED_CONTROL_BYTES for byte in head):
        return False
    try:
        # The head may end in the middle of a character: ignore an incomplete last one.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            try:
                head.decode("cp1250")
            except UnicodeDecodeError:
                return False
    return True
