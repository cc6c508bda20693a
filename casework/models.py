"""Organisations, projects and the key-activity and intervention log."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.roles import (
    Role,
    is_active_user,
    managed_project_ids,
    worker_project_ids,
)
from casework.validators import validate_ico


class DateRange(Func):
    """``daterange(start, end, '[]')`` for exclusion constraints over inclusive date spans."""

    function = "DATERANGE"
    output_field = DateRangeField()


class CodeList(models.Model):
    """A code list an administrator edits (topics, forms of intervention, ...)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A municipality or NGO that runs projects, identified by its IČO."""

    name = models.CharField(_("name"), max_length=200)
    ico = models.CharField(_("IČO"), max_length=8, unique=True, validators=[validate_ico])
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Locality(models.Model):
    """A socially excluded locality (SVL) an organisation's projects serve."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="localities"
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=200)

    class Meta:
        verbose_name = _("locality")
        verbose_name_plural = _("localities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="locality_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Programme(models.TextChoices):
    OPZ = "opz", _("OPZ 2014–2020")
    OPZ_PLUS = "opz_plus", _("OPZ+ 2021–2027")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        """Projects the user holds any role in (admins: every project of their organisation)."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(pk__in=managed_project_ids(user)) | Q(pk__in=worker_project_ids(user)))

    def managed_by(self, user) -> ProjectQuerySet:
        """Projects the user oversees as guarantor or admin."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(pk__in=managed_project_ids(user))


class Project(models.Model):
    """A grant-funded project: its dates, budget and the rules the funder set for it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(
        _("short code"), max_length=10, help_text=_("Prefix of client codes, e.g. RAL.")
    )
    name = models.CharField(_("name"), max_length=300)
    # Stored as typed: the full CZ.03… form and local shorthands such as OPZ/2.1/052/0008919.
    registration_number = models.CharField(_("registration number"), max_length=60)
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("planned end"))
    budget_total = models.DecimalField(_("total budget"), max_digits=14, decimal_places=2)
    budget_eu = models.DecimalField(_("EU share (ESF)"), max_digits=14, decimal_places=2)
    budget_state = models.DecimalField(_("state budget share"), max_digits=14, decimal_places=2)
    budget_own = models.DecimalField(_("own sources"), max_digits=14, decimal_places=2)
    localities = models.ManyToManyField(
        Locality, related_name="projects", blank=True, verbose_name=_("localities")
    )
    # DOMAIN.md §2: per-project settings with the funder's defaults.
    participant_threshold_minutes = models.PositiveIntegerField(
        _("participant threshold (minutes)"), default=40 * 60
    )
    participants_in_service_use = models.BooleanField(
        _("participants also count in service use"), default=True
    )
    housing_months_as_hours = models.BooleanField(
        _("count a month of lease as 15 hours of support"), default=False
    )
    retention_until = models.DateField(_("keep records until"), null=True, blank=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="project_unique_code"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="project_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(budget_total__gte=0)
                & Q(budget_eu__gte=0)
                & Q(budget_state__gte=0)
                & Q(budget_own__gte=0),
                name="project_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget_total=F("budget_eu") + F("budget_state") + F("budget_own")),
                name="project_budget_split_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(participant_threshold_minutes__gt=0),
                name="project_threshold_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("project_detail", args=[self.pk])

    @property
    def effective_end_date(self):
        """The planned end moved by the latest approved extension."""
        latest = max((e.new_end_date for e in self.extensions.all()), default=None)
        return max(latest, self.end_date) if latest else self.end_date

    def share_percent(self, amount: Decimal) -> Decimal:
        if not self.budget_total:
            return Decimal(0)
        return (amount * 100 / self.budget_total).quantize(Decimal("0.01"))


class ProjectExtension(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="extensions")
    new_end_date = models.DateField(_("new end"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("project extension")
        verbose_name_plural = _("project extensions")
        ordering = ["new_end_date"]

    def __str__(self) -> str:
        return f"{self.project} → {self.new_end_date}"


class KeyActivity(models.Model):
    """A key activity (klíčová aktivita) of a project, e.g. KA 03 individual work."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="key_activities")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_evaluation = models.BooleanField(
        _("evaluation activity"),
        default=False,
        help_text=_("Evaluation (e.g. KA 07) is not direct work with clients."),
    )

    class Meta:
        verbose_name = _("key activity")
        verbose_name_plural = _("key activities")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="key_activity_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class ProjectIndicator(models.Model):
    """An indicator of the grant decision with its baseline and target (data, not code)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40, default="osoby")
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    # For figures the engine cannot compute (e.g. 6 70 01 capacity), the admin enters the value.
    manual_value = models.DecimalField(
        _("value entered by hand"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(target__gte=0) & Q(baseline__gte=0), name="indicator_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReportingPeriod(models.Model):
    """A monitoring period ending with an implementation report (ZoR)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    report_due = models.DateField(_("report due"), null=True, blank=True)
    is_final = models.BooleanField(_("final report"), default=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="period_unique_number"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="period_end_after_start"
            ),
            ExclusionConstraint(
                name="period_no_overlap",
                expressions=[
                    (
                        DateRange("start_date", "end_date", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                    ("project", RangeOperators.EQUAL),
                ],
            ),
        ]

    def __str__(self) -> str:
        return _("Period %(number)s") % {"number": self.number}


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> MembershipQuerySet:
        """Memberships the user may see: their own, and all in projects they manage."""
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(Q(user=user) | Q(project__in=managed_project_ids(user)))


class Membership(models.Model):
    """A person's role in one project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("project membership")
        verbose_name_plural = _("project memberships")
        ordering = ["project", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"], name="membership_one_role_per_project"
            )
        ]
        indexes = [
            # Every access scope starts from "memberships of this user with this role".
            models.Index(fields=["user", "role"], name="membership_user_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.project} ({self.get_role_display()})"


# --- Code lists for the intervention log ------------------------------------------------------


class Topic(CodeList):
    """What an intervention dealt with: debts, housing, employment, benefits, ..."""

    class Meta(CodeList.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class DeliveryMode(CodeList):
    """The form of an intervention (field visit, office, phone, ...).

    ``is_electronic`` splits support hours into in-person and electronic (IS ESF 21+).
    """

    is_electronic = models.BooleanField(_("electronic contact"), default=False)
    is_group = models.BooleanField(_("group session"), default=False)
    is_office = models.BooleanField(_("in the office"), default=False)

    class Meta(CodeList.Meta):
        verbose_name = _("form of intervention")
        verbose_name_plural = _("forms of intervention")


class InterventionType(CodeList):
    """The record type (outreach, social counselling, accompaniment, crisis intervention, ...)."""

    needs_plan_goal = models.BooleanField(
        _("links to a plan goal"),
        default=True,
        help_text=_("Outreach needs no goal; other support links to a goal or is a one-off."),
    )
    field_only = models.BooleanField(_("cannot take place in the office"), default=False)

    class Meta(CodeList.Meta):
        verbose_name = _("type of intervention")
        verbose_name_plural = _("types of intervention")


class InstitutionKind(models.TextChoices):
    HOUSING_FUND = "housing_fund", _("Housing fund")
    LANDLORD = "landlord", _("Landlord")
    LABOUR_OFFICE = "labour_office", _("Labour Office")
    MUNICIPAL_OFFICE = "municipal_office", _("Municipal office")
    COURT = "court", _("Court")
    BAILIFF = "bailiff", _("Bailiff")
    OTHER = "other", _("Other")


class Institution(models.Model):
    """A landlord or institution the organisation works with, a party to interventions.

    A code list per organisation (the town's housing fund, the local Labour Office branch, ...)
    that the administrator keeps in the admin.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="institutions"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.OTHER
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="institution_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- The intervention log ---------------------------------------------------------------------


class EqualsAny(Func):
    """``expression = ANY(ARRAY(SELECT ...))``, a condition.

    Unlike ``expression IN (SELECT ...)``, this can be one branch of an index-driven OR: the
    array is computed once, before the scan, and the column's index takes it.
    """

    output_field = models.BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        expression, array = self.get_source_expressions()
        expression_sql, expression_params = compiler.compile(expression)
        array_sql, array_params = compiler.compile(array)
        return f"{expression_sql} = ANY({array_sql})", (*expression_params, *array_params)


class InterventionQuerySet(models.QuerySet):
    def visible_to(self, user) -> InterventionQuerySet:
        """Interventions the user may read.

        Guarantors and admins: all in the projects they manage. Workers: those they took part
        in, and those with a client currently assigned to them in the intervention's project.
        """
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(intervention_scope(user))

    def of_client(self, client) -> InterventionQuerySet:
        """Interventions at which the client was an identified participant.

        ``id = ANY(ARRAY(the client's participations))``: the array is read first
        (``participant_client_idx``) and the interventions are then fetched by primary key,
        so chained with ``visible_to`` the access check runs only on this client's rows. As
        ``IN (subquery)`` PostgreSQL may instead scan the whole log and hash-join it.
        """
        from django.contrib.postgres.expressions import ArraySubquery

        participations = InterventionParticipant.objects.filter(client=client).values(
            "intervention"
        )
        return self.filter(EqualsAny(F("pk"), ArraySubquery(participations)))

    def in_period(self, start, end) -> InterventionQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def with_list_data(self) -> InterventionQuerySet:
        """What a row of the log shows: codes, form, type, people and topics (4 queries)."""
        from django.contrib.auth import get_user_model

        return self.select_related(
            "project", "key_activity", "delivery_mode", "intervention_type"
        ).prefetch_related(
            models.Prefetch(
                "participants",
                queryset=InterventionParticipant.objects.select_related("client").order_by(
                    "client__last_name", "client__first_name", "client__pk"
                ),
            ),
            models.Prefetch(
                "workers",
                queryset=get_user_model().objects.order_by("last_name", "first_name"),
            ),
            "topics",
        )


class Intervention(models.Model):
    """One piece of logged work: with a client, a household, a group or anonymous people."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="interventions")
    key_activity = models.ForeignKey(
        KeyActivity,
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("key activity"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    delivery_mode = models.ForeignKey(
        DeliveryMode, on_delete=models.PROTECT, verbose_name=_("form")
    )
    intervention_type = models.ForeignKey(
        InterventionType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("type")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics"))
    # The parties of cooperation with landlords and institutions (issue 5). The join table's
    # index on institution_id serves the list filter by institution.
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="interventions", verbose_name=_("institutions")
    )
    record = models.TextField(_("record"), blank=True)
    is_group = models.BooleanField(_("group session"), default=False)
    anonymous_count = models.PositiveIntegerField(_("anonymous participants"), default=0)
    plan_goal = models.ForeignKey(
        "clients.PlanGoal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("plan goal"),
    )
    is_one_off = models.BooleanField(_("one-off request"), default=False)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InterventionWorker", related_name="interventions"
    )
    clients = models.ManyToManyField(
        "clients.Client", through="InterventionParticipant", related_name="interventions"
    )
    # Generated when the form is rendered (on the server, so it works without JavaScript) and
    # sent with it, so that a retried submission creates exactly one row.
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-date", "-start_time", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=24 * 60),
                name="intervention_duration_within_a_day",
            ),
        ]
        indexes = [
            # Reports and timelines filter a project's interventions by date range.
            models.Index(fields=["project", "date"], name="intervention_project_date_idx"),
            models.Index(fields=["key_activity", "date"], name="intervention_ka_date_idx"),
            models.Index(fields=["date"], name="intervention_date_idx"),
            # The log's count over a date range: an index-only scan that also answers the
            # access check (project, and the row id for the user's own interventions).
            models.Index(
                fields=["date", "project"], include=["id"], name="intervention_date_scope_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.key_activity.code} ({self.duration_minutes} min)"

    def get_absolute_url(self) -> str:
        return reverse("intervention_detail", args=[self.pk])


class InterventionWorker(models.Model):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "worker"], name="intervention_worker_unique"
            )
        ]
        indexes = [
            # Timesheets and the worker's own log: one worker's interventions.
            models.Index(fields=["worker", "intervention"], name="intervention_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.intervention_id}"


class InterventionParticipant(models.Model):
    """An identified client present at an intervention (the attendance list of a group)."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="participants"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="participations"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "client"], name="intervention_participant_unique"
            )
        ]
        indexes = [
            # Support hours per client: all interventions of one client.
            models.Index(fields=["client", "intervention"], name="participant_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} @ {self.intervention_id}"


def intervention_scope(user) -> Q:
    """The condition behind ``InterventionQuerySet.visible_to`` for an active non-superuser.

    Each way of seeing an intervention is written so that PostgreSQL checks it per row with an
    index, never by joining every participation of the organisation:

    - its project is one the user manages (a hashed list of a few project ids);
    - the user took part in it (a hashed list of their own rows, ``intervention_worker_idx``);
    - its project is one where the user works (hashed) and one of its participants is currently
      assigned to the user in that project (per row: the row's participants through
      ``intervention_participant_unique``, then ``assignment_current_worker_idx``).

    Without a project where the user works, the last way can never match (no project to be in)
    and is left out rather than built for nothing.
    """
    managed, others = intervention_scope_parts(user)
    return managed | others


def intervention_scope_parts(user) -> tuple[Q, Q]:
    """``intervention_scope`` as its two parts, ``managed | others``: the projects the user
    manages, and the other ways (took part; a current client of theirs in a project where
    they work). A count of the log adds the two, ``others`` without the managed projects:
    each part then reads its own index (``intervention_project_date_idx`` for the first)
    instead of the OR scanning every intervention in the dates.
    """
    from clients.models import CaseAssignment

    managed = Q(project__in=managed_project_ids(user))
    others = Q(pk__in=InterventionWorker.objects.filter(worker=user).values("intervention"))
    worker_projects = worker_project_ids(user)
    if not worker_projects:
        return managed, others
    own_client_here = CaseAssignment.objects.current().filter(
        worker=user, project=OuterRef(OuterRef("project")), client=OuterRef("client")
    )
    own_participant = InterventionParticipant.objects.filter(
        Exists(own_client_here), intervention=OuterRef("pk")
    )
    return managed, others | (Q(project__in=worker_projects) & Exists(own_participant))


class OutreachContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> OutreachContactQuerySet:
        """Outreach rows the user may read.

        Guarantors and admins: all in the projects they manage. Workers: the rows they logged
        in projects where they still work. A linked client's name shows only to those who
        may see the client (the views check that separately).
        """
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(project__in=managed_project_ids(user))
            | Q(worker=user, project__in=worker_project_ids(user))
        )


class OutreachContact(models.Model):
    """Anonymous outreach contacts counted per date, locality and key activity.

    They are never participants. When a person later identifies, ``identified_client`` records
    it, but only support logged against the person counts toward their hours: this row stays a
    head count, so nobody is counted twice.
    """

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="outreach")
    key_activity = models.ForeignKey(KeyActivity, on_delete=models.PROTECT)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True)
    date = models.DateField(_("date"))
    head_count = models.PositiveIntegerField(_("number of people"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=0)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=300, blank=True)
    identified_client = models.ForeignKey(
        "clients.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OutreachContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("anonymous outreach contact")
        verbose_name_plural = _("anonymous outreach contacts")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(condition=Q(head_count__gt=0), name="outreach_count_positive"),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=24 * 60), name="outreach_duration_within_a_day"
            ),
        ]
        indexes = [models.Index(fields=["project", "date"], name="outreach_project_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.head_count}×"


class EducationalMaterial(models.Model):
    """A leaflet or guide made in the project (KA 06) and how many copies reached people."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="materials")
    key_activity = models.ForeignKey(KeyActivity, on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=300)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"))
    copies_distributed = models.PositiveIntegerField(_("copies distributed"), default=0)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True)

    class Meta:
        verbose_name = _("educational material")
        verbose_name_plural = _("educational materials")
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return self.title


class OutputDocument(models.Model):
    """An analytical or strategic document the project produced (indicator 8 05 00)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="outputs")
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"))
    file = models.FileField(_("file"), upload_to="outputs/%Y/", blank=True)

    class Meta:
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return self.title


class Draft(models.Model):
    """What a person has typed into a form and not sent yet (kept at most 72 hours).

    One row per person and form (``form_key``: ``intervention-new`` or ``intervention-<pk>``);
    autosave overwrites it, a successful save of the form deletes it. ``data`` holds the form's
    fields as ``[name, value]`` pairs, as the browser would send them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=100)
    data = models.JSONField(default=list)
    submission_id = models.UUIDField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "form_key"], name="draft_one_per_user_form")
        ]

    def __str__(self) -> str:
        return self.form_key
