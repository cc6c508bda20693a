"""Nightly: early-warning events for every current housing situation (e.g. a lease end
that has come within three months since the situation was saved)."""

from django.core.management.base import BaseCommand

from housing.models import HousingSituation
from housing.services import raise_risk_events


class Command(BaseCommand):
    help = "Create housing early-warning events and deadline tasks that are due."

    def handle(self, *args, **options):
        created = 0
        situations = HousingSituation.objects.current().prefetch_related("benefits")
        for situation in situations.iterator(chunk_size=500):
            created += len(raise_risk_events(situation, by=None))
        self.stdout.write(f"{created} new housing warnings.")
