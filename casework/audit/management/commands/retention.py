"""Anonymise the clients whose projects' retention dates have passed (legal hold skips)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from clients import gdpr


class Command(BaseCommand):
    help = (
        "Anonymise clients whose every project's retention date has passed and none is on "
        "legal hold. Run with --dry-run first: it lists them (codes only) and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="the date to judge by (YYYY-MM-DD)"
        )

    def handle(self, *args, dry_run: bool, today: dt.date | None, **options):
        today = today or timezone.localdate()
        clients = gdpr.run_retention(today, dry_run=dry_run)
        for client in clients:
            self.stdout.write(client.code)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(clients)} clients {verb} (retention date before {today}).")
