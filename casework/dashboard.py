"""The project dashboard (issue 7 point 2): indicators, participants over time, who is close.

The figures come from the indicator engine (``reports.queries``); this module only picks the
date they are computed for, the reporting period countdown and the chart's geometry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from casework.models import Project, ReportingPeriod
from clients.queries import ENTRY_FIELD_LABELS
from reports import queries as report_queries

# The participants chart, in SVG user units (scaled to the page width by the viewBox).
CHART_WIDTH = 320
CHART_HEIGHT = 160
CHART_TOP = 16  # room for the value above the tallest bar
CHART_BOTTOM = 24  # room for the period labels
CHART_GAP = 8


@dataclass(frozen=True)
class Countdown:
    """Where today falls among the project's reporting periods."""

    today: dt.date
    project_ended: bool
    period: ReportingPeriod | None
    days_to_period_end: int | None
    days_to_report: int | None


@dataclass(frozen=True)
class ChartBar:
    period: ReportingPeriod
    participants: int
    x: int
    y: int
    width: int
    height: int
    label_x: int
    value_y: int


@dataclass(frozen=True)
class Dashboard:
    period_end: dt.date
    indicators: list[report_queries.IndicatorValue]
    countdown: Countdown
    bars: list[ChartBar]
    approaching: list[report_queries.ApproachingRow]
    missing: list[dict]


def countdown(project: Project, periods: list[ReportingPeriod], today: dt.date) -> Countdown:
    """The period covering ``today``, days until its end and until its report is due."""
    if today > project.effective_end_date:
        return Countdown(today, True, None, None, None)
    current = next((p for p in periods if p.start_date <= today <= p.end_date), None)
    if current is None:
        return Countdown(today, False, None, None, None)
    return Countdown(
        today=today,
        project_ended=False,
        period=current,
        days_to_period_end=(current.end_date - today).days,
        days_to_report=(current.report_due - today).days if current.report_due else None,
    )


def participants_chart(
    periods: list[ReportingPeriod], today: dt.date, counts: list[int]
) -> list[ChartBar]:
    """The bars of the periods that have begun by ``today``; ``counts``: the cumulative
    participants at the end of each of them (``chart_periods``)."""
    started = chart_periods(periods, today)
    if not started:
        return []
    highest = max(max(counts), 1)
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH // len(started)
    width = slot - CHART_GAP
    bars = []
    for index, (period, count) in enumerate(zip(started, counts, strict=True)):
        height = round(plot_height * count / highest)
        x = index * slot + CHART_GAP // 2
        y = CHART_TOP + plot_height - height
        bars.append(
            ChartBar(
                period=period,
                participants=count,
                x=x,
                y=y,
                width=width,
                height=height,
                label_x=x + width // 2,
                value_y=y - 4,
            )
        )
    return bars


def chart_periods(periods: list[ReportingPeriod], today: dt.date) -> list[ReportingPeriod]:
    """The periods of the participants chart: those that have begun by ``today``."""
    return [p for p in periods if p.start_date <= today]


def project_dashboard(project: Project, today: dt.date) -> Dashboard:
    """Everything the dashboard shows, computed at today or the project's end if earlier.

    Queries: the indicator rows and one for every figure and list
    (``reports.queries.dashboard_figures``); none grows with the clients or the periods.
    ``project.periods`` and ``project.extensions`` should be prefetched.
    """
    period_end = min(today, project.effective_end_date)
    periods = sorted(project.periods.all(), key=lambda p: p.start_date)
    figures = report_queries.dashboard_figures(
        project, period_end, [p.end_date for p in chart_periods(periods, period_end)]
    )
    for row in figures.missing:
        row["missing_labels"] = [str(ENTRY_FIELD_LABELS[name]) for name in row["missing_fields"]]
    return Dashboard(
        period_end=period_end,
        indicators=report_queries.indicator_values(project, period_end, counts=figures.counts),
        countdown=countdown(project, periods, today),
        bars=participants_chart(periods, period_end, figures.participants_at),
        approaching=figures.approaching,
        missing=figures.missing,
    )
