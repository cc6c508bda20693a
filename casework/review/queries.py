"""The monthly quality-review sample: a few case files per worker, drawn reproducibly."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from casework.board import month_bounds
from casework.review.models import QualityReview
from clients.models import CaseAssignment

SAMPLE_SIZE = 3


def draw_sample(client_ids: list[int], *, project_id: int, worker_id: int, month: dt.date):
    """``SAMPLE_SIZE`` of ``client_ids`` chosen at random, seeded by project, worker and month.

    The same caseload in the same month always gives the same sample (a string seed is hashed
    with SHA-512 by ``random``, independent of the interpreter's hash randomisation).
    """
    candidates = sorted(set(client_ids))
    # Reproducibility is the point here, not unpredictability.
    rng = random.Random(f"quality-sample:{project_id}:{worker_id}:{month:%Y-%m}")  # noqa: S311
    return sorted(rng.sample(candidates, min(SAMPLE_SIZE, len(candidates))))


@dataclass
class SampledFile:
    assignment: CaseAssignment
    review: QualityReview | None = None

    @property
    def client(self):
        return self.assignment.client


@dataclass
class WorkerSample:
    worker: object
    files: list[SampledFile] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for f in self.files if f.review is not None)


def month_sample(project, month: dt.date) -> list[WorkerSample]:
    """Per worker of ``project``, the files sampled for ``month`` and whether each is reviewed.

    The candidates are the clients assigned to the worker in the project at any time during
    the month. Two queries whatever the number of workers and clients.
    """
    start, end = month_bounds(month)
    assignments = (
        CaseAssignment.objects.filter(project=project, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("client", "worker")
        .order_by("worker__last_name", "worker__first_name", "worker", "client", "-started_on")
    )
    by_worker: dict[int, dict[int, CaseAssignment]] = defaultdict(dict)
    workers = {}
    for assignment in assignments:
        workers[assignment.worker_id] = assignment.worker
        # The latest assignment of the client in the month stands for the file.
        by_worker[assignment.worker_id].setdefault(assignment.client_id, assignment)
    reviews = {
        (r.worker_id, r.client_id): r
        for r in QualityReview.objects.filter(project=project, month=start)
    }
    result = []
    for worker_id, files in by_worker.items():
        chosen = draw_sample(list(files), project_id=project.pk, worker_id=worker_id, month=start)
        result.append(
            WorkerSample(
                worker=workers[worker_id],
                files=[
                    SampledFile(files[client_id], reviews.get((worker_id, client_id)))
                    for client_id in chosen
                ],
            )
        )
    return result
