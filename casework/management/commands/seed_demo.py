"""``manage.py seed_demo [--scale N]``: the demo projects, users and a believable record."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Create the Vítkov and Ralsko demo projects with a user for every role and about 150 "
        "clients with three years of interventions (--scale N multiplies the volume). "
        "Idempotent: a second run creates nothing and prints the logins again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply clients, workers and interventions (10 ≈ 250,000 interventions).",
        )

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be a whole number of at least 1.")
        started = time.monotonic()
        result = seed_demo(scale=scale)
        elapsed = time.monotonic() - started
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s."))
        else:
            self.stdout.write("The demo data is already there: nothing generated.")
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<26} {count:>9,}".replace(",", " "))

        url = getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000/"
        rows = [(login.username, login.role, login.project) for login in result.logins]
        width = max(len(row[0]) for row in rows)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Casework demo: {url}"))
        self.stdout.write(f"  {'username':<{width}}  {'role':<9}  {'password':<13}  project")
        for username, role, project in rows:
            self.stdout.write(f"  {username:<{width}}  {role:<9}  {DEMO_PASSWORD:<13}  {project}")
