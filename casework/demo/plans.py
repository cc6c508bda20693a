"""Individual plans with their goals, and tasks (done ones in the past, open ones around today)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from casework.demo.specs import BATCH, GOALS, TASKS_OPEN
from casework.demo.state import SeederBase, _aware, _pick
from clients.models import ExitReason, GoalStatus, IndividualPlan, PlanGoal, PlanStatus, Task


class PlanSteps(SeederBase):
    """Plans and tasks for the clients ``PeopleSteps`` wrote."""

    def _persist_plans(self) -> None:
        rng = self.rng
        plans, goal_rows = [], []
        for run in self.runs:
            for client in run.clients:
                window = (client.last_day - client.entry).days
                if window < 45 or rng.random() > (0.85 if client.engagement != "short" else 0.4):
                    continue
                created = client.entry + dt.timedelta(days=rng.randint(7, 30))
                worker = client.assignments[0][0].user
                closed = client.exit is not None
                plan = IndividualPlan(
                    client=client.obj,
                    project=run.project,
                    status=PlanStatus.CLOSED if closed else PlanStatus.ACTIVE,
                    created_on=created,
                    # Open plans come up for review around today, so the review list has rows.
                    review_due=(
                        created + dt.timedelta(days=90)
                        if closed
                        else self.today + dt.timedelta(days=rng.randint(-20, 60))
                    ),
                    created_by=worker,
                    evaluation=(
                        "Cíle plánu byly naplněny, spolupráce ukončena po dohodě."
                        if client.exit_reason == ExitReason.GOALS_MET
                        else ("Spolupráce ukončena, cíle naplněny jen zčásti." if closed else "")
                    ),
                )
                if rng.random() < 0.65:
                    plan.signed_by = run.guarantor
                    plan.signed_at = _aware(created + dt.timedelta(days=rng.randint(1, 12)), 10)
                plans.append(plan)
                client.plan_from = created
                texts = GOALS[client.focus] + (GOALS["general"] if rng.random() < 0.3 else [])
                for order, text in enumerate(rng.sample(texts, rng.randint(1, min(3, len(texts))))):
                    status, achieved = GoalStatus.OPEN, None
                    if client.exit_reason == ExitReason.GOALS_MET:
                        status, achieved = GoalStatus.ACHIEVED, client.exit
                    elif closed:
                        status = _pick(
                            rng,
                            [
                                (GoalStatus.PARTLY, 40),
                                (GoalStatus.NOT_ACHIEVED, 30),
                                (GoalStatus.DROPPED, 30),
                            ],
                        )
                    elif rng.random() < 0.25:
                        status = GoalStatus.ACHIEVED
                        achieved = min(
                            client.last_day, created + dt.timedelta(days=rng.randint(30, 200))
                        )
                    goal_rows.append(
                        (
                            client,
                            PlanGoal(
                                plan=plan,
                                goal=text,
                                steps="Sepsat podklady, domluvit schůzku, doprovod na úřad.",
                                responsible="Klient: doloží doklady. Pracovník: doprovod.",
                                target_date=created + dt.timedelta(days=rng.choice([60, 90, 180])),
                                status=status,
                                achieved_on=achieved,
                                order=order,
                            ),
                        )
                    )
        IndividualPlan.objects.bulk_create(plans, batch_size=BATCH)
        goals = [goal for _, goal in goal_rows]
        PlanGoal.objects.bulk_create(goals, batch_size=BATCH)
        for client, goal in goal_rows:
            client.goal_ids.append(goal.pk)
        self.counts["plans"] = len(plans)
        self.counts["plan goals"] = len(goals)

    def _persist_tasks(self) -> None:
        """Done tasks in the project's past, and open ones around today for the home pages."""
        rng = self.rng
        tasks = []
        now = timezone.now()
        for run in self.runs:
            for client in run.clients:
                if client.plan_from is None:
                    continue
                worker = client.assignments[0][0].user
                for _ in range(rng.randint(1, 3)):
                    due = client.entry + dt.timedelta(
                        days=rng.randint(5, max(6, (client.last_day - client.entry).days))
                    )
                    title, kind = rng.choice(TASKS_OPEN)
                    tasks.append(
                        Task(
                            title=title,
                            kind=kind,
                            due_date=due,
                            owner=worker,
                            client=client.obj,
                            project=run.project,
                            done_at=_aware(due - dt.timedelta(days=rng.randint(0, 4)), 14),
                            created_by=worker,
                        )
                    )
            for worker in run.workers:
                current = [
                    c for c in run.clients if c.exit is None and c.assignments[-1][0] is worker
                ]
                if not current:
                    continue
                offsets = [
                    -rng.randint(1, 12),
                    -rng.randint(1, 5),
                    0,
                    rng.randint(1, 5),
                    rng.randint(3, 14),
                    rng.randint(15, 45),
                ]
                for offset in offsets:
                    title, kind = rng.choice(TASKS_OPEN)
                    tasks.append(
                        Task(
                            title=title,
                            kind=kind,
                            due_date=self.today + dt.timedelta(days=offset),
                            owner=worker.user,
                            client=rng.choice(current).obj,
                            project=run.project,
                            note="",
                            created_by=worker.user,
                        )
                    )
                # A done task from this week, so the list shows both states.
                tasks.append(
                    Task(
                        title="Předat podklady dluhové poradně",
                        due_date=self.today - dt.timedelta(days=2),
                        owner=worker.user,
                        client=rng.choice(current).obj,
                        project=run.project,
                        done_at=now - dt.timedelta(days=2),
                        created_by=worker.user,
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        self.counts["tasks"] = len(tasks)
