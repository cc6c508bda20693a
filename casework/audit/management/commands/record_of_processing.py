"""Print the record of processing activities (GDPR art. 30) as Markdown, from the inventory."""

from django.core.management.base import BaseCommand
from django.utils import translation

from casework.audit.inventory import processing_rows


def _cell(value) -> str:
    return str(value).replace("|", "/")


class Command(BaseCommand):
    help = "Print the record of processing activities (Markdown) generated from the inventory."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="cs", help="cs or en")

    def handle(self, *args, language: str, **options):
        with translation.override(language):
            self.stdout.write("# Record of processing activities\n")
            self.stdout.write(
                "| records | model | purpose | legal basis | kept | personal data "
                "| special categories |"
            )
            self.stdout.write("|---|---|---|---|---|---|---|")
            for row in processing_rows():
                entry = row["entry"]
                sensitive = ", ".join(map(str, row["sensitive"]))
                if sensitive:
                    sensitive += f" ({entry.sensitive_basis})"
                cells = [
                    row["name"],
                    row["label"],
                    entry.purpose,
                    entry.basis,
                    entry.retention,
                    ", ".join(map(str, row["personal"])),
                    sensitive or "–",
                ]
                self.stdout.write("| " + " | ".join(_cell(c) for c in cells) + " |")
