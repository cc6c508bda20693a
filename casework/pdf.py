"""PDFs rendered by WeasyPrint from our own HTML templates.

WeasyPrint fetches the stylesheet and any image through ``StaticOnlyFetcher``, which serves
our own static files and nothing else: no network, no file system outside the static finders,
so a value typed into the budget cannot make the server fetch a URL.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# An address nobody can resolve: only the fetcher below understands it.
STATIC_BASE = "https://casework.invalid/static/"


class AssetRefused(ValueError):
    """A PDF asked for something that is not one of our static files (WeasyPrint skips it)."""


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE):
            raise AssetRefused("Only the application's static files are available to PDFs.")
        try:
            found = finders.find(url.removeprefix(STATIC_BASE).split("?")[0])
        except SuspiciousFileOperation as error:
            raise AssetRefused("Outside the static files.") from error
        if not found:
            raise AssetRefused("No such static file.")
        path = Path(found)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document whose assets are under ``STATIC_BASE`` to PDF bytes."""
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf()
