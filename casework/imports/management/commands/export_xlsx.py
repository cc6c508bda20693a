"""``manage.py export_xlsx --project RAL --kind clients [--format csv] [--output file]``."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from casework.imports.exports import export_bytes, export_file_name
from casework.imports.management.commands.import_xlsx import find_project
from casework.imports.models import ImportKind


class Command(BaseCommand):
    help = "Export a project's clients, interventions or debts in the import layout."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="the project's short code, e.g. RAL")
        parser.add_argument("--organisation", help="the organisation's IČO, if codes repeat")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--format", dest="file_format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", type=Path, help="file to write ('-' for stdout)")

    def handle(self, *args, project, organisation, kind, file_format, output, **options):
        target = find_project(project, organisation)
        content, _content_type = export_bytes(target, kind, file_format)
        if output is not None and str(output) == "-":
            sys.stdout.buffer.write(content)
            return
        path = output or Path(export_file_name(target, kind, file_format))
        path.write_bytes(content)
        self.stdout.write(f"Wrote {path} ({len(content)} bytes).")
