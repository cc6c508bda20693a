"""Text of a generated PDF, as a reader would copy it (poppler's pdftotext, from .ci/run)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def pdf_text(content: bytes) -> str:
    """The PDF's text with its layout kept; non-breaking spaces become plain spaces."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: install poppler-utils (.ci/run does).")
    result = subprocess.run(  # noqa: S603 (our own bytes into a fixed program)
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8").replace("\xa0", " ")
