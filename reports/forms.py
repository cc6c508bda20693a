"""The "generate a report" form and the period choice of the indicator screen."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from casework.forms import DateInput
from casework.models import Locality, Project, ReportingPeriod
from casework.roles import Role
from clients.models import Client
from reports.models import ReportKind
from reports.registry import load_builders

# The reports each optional parameter applies to (the builders read the same keys).
MOMENT_KINDS = (ReportKind.MONITORING_SHEETS,)
PARTICIPANTS_ONLY_KINDS = (
    ReportKind.MONITORING_SHEETS,
    ReportKind.ISESF_PERSONS,
    ReportKind.ISESF_SUPPORTS,
)
CLIENT_KINDS = (ReportKind.EVIDENCE_PACK,)


class Moment:
    ENTRY = "entry"
    EXIT = "exit"

    CHOICES = (
        ("", "---------"),
        (ENTRY, _("At entry into the project")),
        (EXIT, _("At exit from the project")),
    )


class PeriodChoice:
    REPORTING = "period"
    CUSTOM = "custom"
    CUMULATIVE = "cumulative"

    CHOICES = (
        (REPORTING, _("Reporting period")),
        (CUSTOM, _("Custom range")),
        (CUMULATIVE, _("Cumulative from the project start")),
    )


class PeriodFields(forms.Form):
    """Reporting period, custom range or cumulative: resolved to ``period_start``/``period_end``.

    ``project`` is the chosen project (set by the subclass's ``clean`` or the constructor).
    """

    period_choice = forms.ChoiceField(
        label=_("Period"),
        choices=PeriodChoice.CHOICES,
        initial=PeriodChoice.REPORTING,
    )
    reporting_period = forms.ModelChoiceField(
        label=_("Reporting period"), queryset=ReportingPeriod.objects.none(), required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("For a cumulative report: the last day counted (the project end if empty)."),
    )

    def resolve_period(self, project: Project, cleaned: dict) -> None:
        """Put ``period_start`` and ``period_end`` into ``cleaned`` or add a field error."""
        choice = cleaned.get("period_choice")
        if choice == PeriodChoice.REPORTING:
            period = cleaned.get("reporting_period")
            if period is None:
                self.add_error("reporting_period", _("Choose a reporting period."))
                return
            if period.project_id != project.pk:
                self.add_error(
                    "reporting_period", _("The reporting period belongs to another project.")
                )
                return
            cleaned["period_start"], cleaned["period_end"] = period.start_date, period.end_date
        elif choice == PeriodChoice.CUSTOM:
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if start is None:
                self.add_error("date_from", _("Enter the first day of the range."))
            if end is None:
                self.add_error("date_to", _("Enter the last day of the range."))
            if start is None or end is None:
                return
            if end < start:
                self.add_error("date_to", _("The range ends before it starts."))
                return
            cleaned["period_start"], cleaned["period_end"] = start, end
        elif choice == PeriodChoice.CUMULATIVE:
            end = cleaned.get("date_to") or project.end_date
            if end < project.start_date:
                self.add_error("date_to", _("The date is before the project start."))
                return
            cleaned["period_start"], cleaned["period_end"] = project.start_date, end


class GenerateReportForm(PeriodFields):
    kind = forms.ChoiceField(label=_("Report"))
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none())
    file_format = forms.ChoiceField(label=_("Format"))
    locality = forms.ModelChoiceField(
        label=_("Locality"),
        queryset=Locality.objects.none(),
        required=False,
        help_text=_("Only the persons of one locality; small numbers are shown as “< 5”."),
    )
    worker = forms.ModelChoiceField(
        label=_("Worker"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("For a report about one worker's work (timesheets); empty: the whole team."),
    )
    moment = forms.ChoiceField(
        label=_("Monitoring sheets"),
        choices=Moment.CHOICES,
        required=False,
        help_text=_(
            "For monitoring sheets only: the persons who entered the project in the period "
            "or those who left it."
        ),
    )
    participants_only = forms.BooleanField(
        label=_("Participants only"),
        required=False,
        help_text=_(
            "For monitoring sheets and the IS ESF 21+ exports: only the persons who are "
            "participants at the end of the period."
        ),
    )
    client_code = forms.CharField(
        label=_("Client code"),
        max_length=20,
        required=False,
        help_text=_("For the evidence pack only: the code of a client enrolled in the project."),
    )

    field_order = [
        "kind",
        "project",
        "period_choice",
        "reporting_period",
        "date_from",
        "date_to",
        "file_format",
        "locality",
        "worker",
        "moment",
        "participants_only",
        "client_code",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.specs = load_builders()
        self.managed = Project.objects.managed_by(user)
        self.worked = Project.objects.visible_to(user).exclude(pk__in=self.managed.values("pk"))
        labels = dict(ReportKind.choices)
        manages = self.managed.exists()
        self.fields["kind"].choices = [
            (kind, labels.get(kind, kind))
            for kind, spec in sorted(self.specs.items())
            if manages or spec.for_workers
        ]
        projects = Project.objects.visible_to(user).order_by("name")
        self.fields["project"].queryset = projects
        self.fields["reporting_period"].queryset = (
            ReportingPeriod.objects.filter(project__in=projects.values("pk"))
            .select_related("project")
            .order_by("project__name", "number")
        )
        self.fields["reporting_period"].label_from_instance = lambda period: (
            _("%(project)s: period %(number)s (%(start)s – %(end)s)")
            % {
                "project": period.project.code,
                "number": period.number,
                "start": period.start_date.strftime("%-d. %-m. %Y"),
                "end": period.end_date.strftime("%-d. %-m. %Y"),
            }
        )
        self.fields["locality"].queryset = Locality.objects.filter(
            projects__in=projects.values("pk")
        ).distinct()
        if manages:
            self.fields["worker"].queryset = (
                get_user_model()
                .objects.filter(
                    memberships__role=Role.WORKER,
                    memberships__project__in=self.managed.values("pk"),
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username
        else:
            # A field worker's reports are always about their own work.
            del self.fields["worker"]
        formats = sorted({f for spec in self.specs.values() for f in spec.formats})
        self.fields["file_format"].choices = [(f, f.upper()) for f in formats]

    def clean(self):
        cleaned = super().clean()
        kind, project = cleaned.get("kind"), cleaned.get("project")
        if not kind or project is None:
            return cleaned
        spec = self.specs[kind]
        is_manager = self.managed.filter(pk=project.pk).exists()
        if not is_manager and not spec.for_workers:
            self.add_error("project", _("You may generate this report only for your projects."))
            return cleaned
        file_format = cleaned.get("file_format")
        if file_format and file_format not in spec.formats:
            self.add_error(
                "file_format",
                _("This report is available as %(formats)s.")
                % {"formats": ", ".join(f.upper() for f in spec.formats)},
            )
        locality = cleaned.get("locality")
        if locality is not None and not project.localities.filter(pk=locality.pk).exists():
            self.add_error("locality", _("The project does not serve this locality."))
        self.resolve_period(project, cleaned)
        parameters = {"period": cleaned.get("period_choice")}
        if cleaned.get("reporting_period") and parameters["period"] == PeriodChoice.REPORTING:
            parameters["reporting_period"] = cleaned["reporting_period"].pk
        if locality is not None:
            parameters["locality"] = locality.pk
        worker = cleaned.get("worker")
        if spec.for_workers and not is_manager:
            # A worker's report is always about their own work.
            parameters["worker"] = self.user.pk
        elif worker is not None:
            if not spec.for_workers:
                self.add_error("worker", _("This report is about the whole project."))
            elif not project.memberships.filter(user=worker, role=Role.WORKER).exists():
                self.add_error("worker", _("The worker does not work in this project."))
            else:
                parameters["worker"] = worker.pk
        self._clean_kind_options(kind, project, cleaned, parameters)
        cleaned["parameters"] = parameters
        return cleaned

    def _clean_kind_options(self, kind, project, cleaned, parameters) -> None:
        """Moment, participants only and client: only for the reports that read them."""
        moment = cleaned.get("moment")
        if kind in MOMENT_KINDS:
            if not moment:
                self.add_error(
                    "moment", _("Choose whether the sheets are for the entry or the exit.")
                )
            else:
                parameters["moment"] = moment
        elif moment:
            self.add_error("moment", _("Only monitoring sheets are made at entry or exit."))
        participants_only = bool(cleaned.get("participants_only"))
        if kind in PARTICIPANTS_ONLY_KINDS:
            parameters["participants_only"] = participants_only
        elif participants_only:
            self.add_error(
                "participants_only",
                _(
                    "Only monitoring sheets and the IS ESF 21+ exports can be limited to "
                    "participants."
                ),
            )
        code = (cleaned.get("client_code") or "").strip()
        if kind in CLIENT_KINDS:
            if not code:
                self.add_error(
                    "client_code", _("Enter the code of the client the evidence pack is about.")
                )
                return
            client = self._client_by_code(project, code)
            if client is None:
                self.add_error(
                    "client_code",
                    _("None of the clients you may see has the code %(code)s.") % {"code": code},
                )
            elif not client.enrolments.filter(project=project).exists():
                self.add_error(
                    "client_code",
                    _("The client %(code)s is not enrolled in this project.")
                    % {"code": client.code},
                )
            else:
                # Only the id: no names in the report's parameters.
                parameters["client"] = client.pk
        elif code:
            self.add_error("client_code", _("Only the evidence pack is about one client."))

    def _client_by_code(self, project: Project, code: str) -> Client | None:
        """A client of the project's organisation the user may see, by code (any letter case)."""
        matches = list(
            Client.objects.visible_to(self.user)
            .filter(organisation_id=project.organisation_id, code__iexact=code)
            .order_by("pk")[:2]
        )
        exact = [client for client in matches if client.code == code]
        return (exact or matches or [None])[0]


class IndicatorPeriodForm(PeriodFields):
    """The period of the indicator screen (GET); defaults to the project's latest period."""

    def __init__(self, data, *, project: Project, today: dt.date):
        self.project = project
        periods = list(project.periods.order_by("number"))
        started = [p for p in periods if p.start_date <= today] or periods
        default = started[-1] if started else None
        if not data:
            data = (
                {"period_choice": PeriodChoice.REPORTING, "reporting_period": default.pk}
                if default
                else {"period_choice": PeriodChoice.CUMULATIVE}
            )
        super().__init__(data)
        self.fields["reporting_period"].queryset = project.periods.order_by("number")
        self.fields["reporting_period"].label_from_instance = lambda period: (
            _("Period %(number)s (%(start)s – %(end)s)")
            % {
                "number": period.number,
                "start": period.start_date.strftime("%-d. %-m. %Y"),
                "end": period.end_date.strftime("%-d. %-m. %Y"),
            }
        )

    def clean(self):
        cleaned = super().clean()
        self.resolve_period(self.project, cleaned)
        return cleaned

    def period(self) -> tuple[dt.date, dt.date] | None:
        if not self.is_valid():
            return None
        return self.cleaned_data["period_start"], self.cleaned_data["period_end"]
