"""Report PDFs: one base template with the project on every page, page numbers, Czech typography."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from casework.pdf import STATIC_BASE, html_to_pdf


def render_report_pdf(template_name: str, context: dict, *, project) -> bytes:
    """Render a template extending ``reports/pdf/base.html`` to PDF bytes.

    The base template puts the project's name and registration number in every page's
    header and "page x / y" in the footer; ``context`` is the report's own content.
    """
    html = render_to_string(
        template_name,
        {
            **context,
            "project": project,
            "static_base": STATIC_BASE,
            "LANGUAGE_CODE": translation.get_language(),
        },
    )
    return html_to_pdf(html)
