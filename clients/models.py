"""Clients, households, consent, enrolment with monitoring data, plans, tasks and documents."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import models
from django.db.models import Case, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Lower, Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import EqualsAny, InterventionParticipant, Locality, Organisation, Project
from casework.roles import (
    admin_organisation_ids,
    is_active_user,
    managed_project_ids,
    worker_project_ids,
)
from casework.validators import validate_birth_number, validate_postcode


class MonitoringCodeKind(models.TextChoices):
    GENDER = "gender", _("Gender")
    LABOUR_STATUS = "labour_status", _("Labour-market status")
    EDUCATION = "education", _("Highest education")
    DISADVANTAGE = "disadvantage", _("Disadvantage")
    EXIT_SITUATION = "exit_situation", _("Situation after exit")


class MonitoringCode(models.Model):
    """One code of the funder's monitoring code lists (IS ESF 21+), e.g. ``TPDNEZ``.

    The lists change between calls, so they are data an administrator can extend.
    """

    kind = models.CharField(_("list"), max_length=20, choices=MonitoringCodeKind.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    # GDPR art. 9/10 categories: the person may decline; staff never estimate.
    is_special_category = models.BooleanField(_("special category of personal data"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("monitoring code")
        verbose_name_plural = _("monitoring codes")
        ordering = ["kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="monitoring_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Household(models.Model):
    """People living together; debts and housing are often handled per household."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Novákovi, Husova 12"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("locality")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unaccent(Func):
    """``casework_unaccent(text)``: the extension's ``unaccent`` as an IMMUTABLE function.

    ``unaccent()`` itself is only STABLE (its dictionary could be swapped), so PostgreSQL will
    not index it; migration ``clients.0003`` creates this wrapper with the dictionary fixed,
    the usual ``f_unaccent`` pattern, and ``clients.0008`` rewrites its body over the
    IMMUTABLE ``ts_lexize`` with the same dictionary, so PostgreSQL inlines it.
    """

    function = "casework_unaccent"
    output_field = models.TextField()


def folded(expression) -> Unaccent:
    """Lower case without accents, the form search compares: "Nováková" → "novakova"."""
    return Unaccent(Lower(expression))


def folded_full_name() -> Unaccent:
    """The folded "first_name last_name"; ``client_full_name_trgm_idx`` indexes exactly this."""
    return folded(Concat("first_name", Value(" "), "last_name"))


# Search words beyond this are ignored: every word adds an OR of index scans.
SEARCH_MAX_WORDS = 5


def _search_word(word: str) -> Q:
    """Where one search word may match a client (every branch has its own index).

    - letters: part of the folded full name ("novak" in "jan novak"), similar to the folded
      first name or surname (pg_trgm ``%``, similarity at least 0.3: "Nowak" or "Novk" finds
      Novák), or part of the folded name of the client's locality ("Hvězdov");
    - digits: part of the client code ("RAL-0042", "0042");
    - four digits from 1900 to 2100 also: the year of birth (full date or year only).
    """
    condition = Q(pk__in=[])
    term = folded(Value(word))
    if any(char.isalpha() for char in word):
        localities = Locality.objects.alias(folded_name=folded("name")).filter(
            folded_name__contains=term
        )
        condition |= (
            Q(search_full_name__contains=term)
            | Q(TrigramSimilar(folded("last_name"), term))
            | Q(TrigramSimilar(folded("first_name"), term))
            | Q(EqualsAny(F("locality"), ArraySubquery(localities.order_by().values("pk"))))
        )
    if any(char.isdigit() for char in word):
        condition |= Q(code__icontains=word)
    if len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2100:
        condition |= Q(birth_year=int(word)) | Q(birth_date__year=int(word))
    return condition


class ClientStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Cooperation ended")


def _contacts(client, today: dt.date, projects=None):
    """Participations that count as a contact with ``client`` (``with_last_contact``)."""
    contacts = InterventionParticipant.objects.filter(
        client=client, intervention__date__lte=today
    ).exclude(
        Exists(
            Enrolment.objects.filter(
                client=OuterRef("client"),
                project=OuterRef("intervention__project"),
                entry_date__gt=OuterRef("intervention__date"),
            )
        )
    )
    if projects is not None:
        contacts = contacts.filter(intervention__project__in=projects)
    return contacts


def own_case_clients(user) -> models.QuerySet:
    """Ids of the clients currently assigned to the worker in a project where they work."""
    return (
        CaseAssignment.objects.current()
        .filter(worker=user, project__in=worker_project_ids(user))
        .values("client")
    )


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClientQuerySet:
        """The clients a user may see (SPEC.md roles table).

        - admin: every client of the organisations they administer;
        - guarantor: every client enrolled or assigned in the projects they guarantee;
        - worker: the clients currently assigned to them in projects where they are a worker.
        """
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        # Only the branches the user's roles can open: a branch over an empty id list never
        # matches, and leaving it out saves building and planning its subquery.
        scope = Q()
        if admin_organisations := admin_organisation_ids(user):
            scope |= Q(organisation__in=admin_organisations)
        if managed := managed_project_ids(user):
            scope |= Q(pk__in=Enrolment.objects.filter(project__in=managed).values("client"))
            scope |= Q(pk__in=CaseAssignment.objects.filter(project__in=managed).values("client"))
        if worker_project_ids(user):
            scope |= Q(pk__in=own_case_clients(user))
        return self.filter(scope) if scope else self.none()

    def assigned_to(self, user) -> ClientQuerySet:
        """Clients with a current assignment to this worker in a project where they work."""
        return self.filter(pk__in=own_case_clients(user))

    def active(self) -> ClientQuerySet:
        return self.filter(status=ClientStatus.ACTIVE)

    def with_last_contact(self, today: dt.date, *, projects=None) -> ClientQuerySet:
        """Annotate ``last_contact``: the date of the client's latest contact, or None.

        A contact is an intervention at which the client was an identified participant —
        logged by any worker — dated on or before ``today`` and not before the client's entry
        into that intervention's project (an intervention in a project the client is not
        enrolled in counts from any date). ``projects`` (ids or a queryset of ids) limits it
        to those projects. Served by ``participant_client_idx``.
        """
        latest = (
            _contacts(OuterRef("pk"), today, projects)
            .order_by()
            .values("client")
            .annotate(latest=models.Max("intervention__date"))
            .values("latest")
        )
        return self.annotate(last_contact=models.Subquery(latest, output_field=models.DateField()))

    def not_contacted_since(self, days: int, today: dt.date, *, projects=None) -> ClientQuerySet:
        """Clients whose latest contact is more than ``days`` days old, or who have none.

        The one definition of "not contacted for 30 days" (the worker's Today page and the
        guarantor's board): with ``days=30`` and today 31 May, a contact on 1 May (30 days
        ago) still counts as recent, one on 30 April does not; a client with no contact since
        their entry is always listed. A contact is what ``with_last_contact`` counts,
        whoever logged it. Oldest contact first, never-contacted clients before them.
        """
        cutoff = today - dt.timedelta(days=days)
        # "Latest contact before the cutoff, or none" is "no contact from the cutoff to today":
        # as NOT EXISTS, PostgreSQL reads only the last ``days`` of the log (by date) instead of
        # every participation of every client; the latest contact is then looked up for the
        # clients listed only.
        recent = _contacts(OuterRef("pk"), today, projects).filter(intervention__date__gte=cutoff)
        return (
            self.filter(~Exists(recent))
            .with_last_contact(today, projects=projects)
            .order_by(F("last_contact").asc(nulls_first=True), "last_name", "first_name", "pk")
        )

    def in_project(self, project: Project) -> ClientQuerySet:
        return self.filter(
            Q(pk__in=Enrolment.objects.filter(project=project).values("client"))
            | Q(pk__in=CaseAssignment.objects.filter(project=project).values("client"))
        )

    def with_list_data(self) -> ClientQuerySet:
        return self.select_related("locality", "household")

    def search(self, text: str) -> ClientQuerySet:
        """Clients matching every word of ``text`` (see ``_search_word``), best match first.

        Accents and case are ignored and names tolerate typos. The rank adds the trigram word
        similarity and similarity of the whole text to the folded full name (so "Nowak" puts
        Novák before Novotná) and puts an exact client code first. The expressions must stay
        those of the indexes in ``Client.Meta`` or PostgreSQL reads every row.
        """
        words = text.split()[:SEARCH_MAX_WORDS]
        if not words:
            return self
        condition = Q()
        for word in words:
            condition &= _search_word(word)
        term = folded(Value(" ".join(words)))
        rank = (
            TrigramWordSimilarity(term, "search_full_name")
            + TrigramSimilarity("search_full_name", term)
            + Case(When(code__iexact=text.strip(), then=Value(2.0)), default=Value(0.0))
        )
        return (
            self.alias(search_full_name=folded_full_name())
            .filter(condition)
            .annotate(search_rank=rank)
            .order_by("-search_rank", "last_name", "first_name", "pk")
        )


def project_record_scope(user, *, client: str = "client", project: str = "project") -> Q:
    """Access to a record that belongs to one client in one project.

    Guarantors and admins see such records in the projects they manage; a worker sees them
    when the client is currently assigned to them in that same project. A client enrolled in
    two projects does not open one project's debts or plans to the other project's staff.
    """
    if not is_active_user(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    # As in ``ClientQuerySet.visible_to``: only the branches the user's roles can open.
    scope = Q()
    if managed := managed_project_ids(user):
        scope |= Q(**{f"{project}__in": managed})
    if worked := worker_project_ids(user):
        own_case = CaseAssignment.objects.current().filter(
            worker=user, project__in=worked, client=OuterRef(client), project=OuterRef(project)
        )
        scope |= Q(Exists(own_case))
    return scope or Q(pk__in=[])  # no role in any project: nothing


class Client(models.Model):
    """A person the project works with."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clients")
    code = models.CharField(_("client code"), max_length=20, help_text=_("e.g. RAL-0042"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("surname"), max_length=100)
    title_before = models.CharField(_("title before name"), max_length=30, blank=True)
    title_after = models.CharField(_("title after name"), max_length=30, blank=True)
    # Either the full date of birth or, when that is all that is known, the year.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_number = models.CharField(
        _("birth number"),
        max_length=10,
        blank=True,
        validators=[validate_birth_number],
        help_text=_("Only with a legal basis, e.g. for an insolvency petition."),
    )
    gender = models.ForeignKey(
        MonitoringCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.GENDER},
        verbose_name=_("gender"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=10, blank=True)
    orientation_number = models.CharField(_("orientation number"), max_length=10, blank=True)
    municipality = models.CharField(_("municipality"), max_length=150, blank=True)
    municipality_part = models.CharField(_("part of municipality"), max_length=150, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=6, blank=True, validators=[validate_postcode]
    )
    locality = models.ForeignKey(
        Locality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("locality"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clients",
        verbose_name=_("household"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClientStatus.choices, default=ClientStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="client_unique_code_per_organisation"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | (Q(birth_year__gte=1900) & Q(birth_year__lte=2100)),
                name="client_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True)
                | Q(birth_year__isnull=True)
                | Q(birth_year=models.functions.ExtractYear("birth_date")),
                name="client_birth_year_matches_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "last_name", "first_name"], name="client_name_idx"
            ),
            # The client list's default order.
            models.Index(fields=["last_name", "first_name", "id"], name="client_list_order_idx"),
            models.Index(fields=["locality", "status"], name="client_locality_status_idx"),
            # Client list filter "status" (closed cases), in the list's order.
            models.Index(
                fields=["status", "last_name", "first_name", "id"], name="client_status_order_idx"
            ),
            # Search (ClientQuerySet.search): part of the name, accents ignored ("novak").
            GinIndex(
                OpClass(folded_full_name(), name="gin_trgm_ops"),
                name="client_full_name_trgm_idx",
            ),
            # Search: a surname or first name similar to the word ("Nowak" → Novák); also the
            # duplicate check on creation.
            GinIndex(
                OpClass(folded("last_name"), name="gin_trgm_ops"),
                OpClass(folded("first_name"), name="gin_trgm_ops"),
                name="client_name_parts_trgm_idx",
            ),
            # Search: part of the client code ("0042"), as ``code__icontains`` writes it.
            GinIndex(OpClass(Upper("code"), name="gin_trgm_ops"), name="client_code_trgm_idx"),
            # Search by year of birth, and the duplicate check (same date or year of birth).
            models.Index(fields=["birth_date"], name="client_birth_date_idx"),
            models.Index(fields=["birth_year"], name="client_birth_year_idx"),
            # Duplicate check: the same birth number in the organisation.
            models.Index(
                fields=["organisation", "birth_number"],
                condition=~Q(birth_number=""),
                name="client_birth_number_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("clients:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other")


class HouseholdMember(models.Model):
    """A member of a household: a client, or a person who is not a client (e.g. a small child)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    client = models.OneToOneField(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="household_membership"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    is_dependent = models.BooleanField(_("dependent child"), default=False)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False) | ~Q(name=""),
                name="household_member_has_identity",
            )
        ]

    def __str__(self) -> str:
        return self.client.full_name if self.client_id else self.name


class ConsentScope(models.TextChoices):
    RECORDS = "records", _("Keeping records of the cooperation")
    MONITORING = "monitoring", _("Monitoring data for the funder")
    REFERRAL = "referral", _("Passing information to other institutions")
    PHOTOS = "photos", _("Photographs")


class Consent(models.Model):
    """A consent the client gave (and may have withdrawn), with its scope."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("given on"))
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.given_on})"


class AssignmentQuerySet(models.QuerySet):
    def current(self) -> AssignmentQuerySet:
        return self.filter(ended_on__isnull=True)


class CaseAssignment(models.Model):
    """A worker's assignment to a client in a project; ended rows keep the history."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Key worker")
        SHARED = "shared", _("Shared by the guarantor")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRIMARY)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["client", "project", "worker"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_current_per_worker",
            ),
        ]
        indexes = [
            # The worker's caseload: current assignments of one worker.
            models.Index(
                fields=["worker", "project"],
                condition=Q(ended_on__isnull=True),
                name="assignment_current_worker_idx",
            ),
            models.Index(fields=["project", "client"], name="assignment_project_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.worker}"


class DisadvantageAnswer(models.TextChoices):
    ANSWERED = "answered", _("Answered (codes below)")
    NONE = "none", _("No disadvantage")
    DECLINED = "declined", _("Declined to answer")


class ExitReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals of the plan met")
    CLIENT_ENDED = "client_ended", _("Client ended the cooperation")
    NO_CONTACT = "no_contact", _("Contact lost")
    MOVED = "moved", _("Moved away")
    REFERRED = "referred", _("Referred to another service")
    PROJECT_ENDED = "project_ended", _("Project ended")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other")


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        """Enrolments in the projects the user manages, or of their own clients in that project."""
        return self.filter(project_record_scope(user))


class Enrolment(models.Model):
    """A client's support in one project, with the participant monitoring data.

    Entry data are complete (DOMAIN.md §3) when date of birth, gender, labour-market status,
    education, the disadvantage answer, entry date, municipality and postcode are known.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="enrolments")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="enrolments")
    entry_date = models.DateField(_("support started"))
    exit_date = models.DateField(_("support ended"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=ExitReason.choices, blank=True
    )
    # Entry monitoring data.
    labour_status = models.ForeignKey(
        MonitoringCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.LABOUR_STATUS},
        verbose_name=_("labour-market status at entry"),
    )
    education = models.ForeignKey(
        MonitoringCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.EDUCATION},
        verbose_name=_("highest education"),
    )
    disadvantage_answer = models.CharField(
        _("disadvantage"), max_length=10, choices=DisadvantageAnswer.choices, blank=True
    )
    disadvantages = models.ManyToManyField(
        MonitoringCode,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.DISADVANTAGE},
        verbose_name=_("disadvantages at entry"),
    )
    # Exit monitoring data.
    exit_labour_status = models.ForeignKey(
        MonitoringCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.LABOUR_STATUS},
        verbose_name=_("labour-market status at exit"),
    )
    exit_situations = models.ManyToManyField(
        MonitoringCode,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": MonitoringCodeKind.EXIT_SITUATION},
        verbose_name=_("situation after exit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-entry_date"]
        constraints = [
            # A person in two projects is a separate participant in each, once per project.
            models.UniqueConstraint(
                fields=["client", "project"], name="enrolment_once_per_project"
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="enrolment_exit_after_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "entry_date"], name="enrolment_project_entry_idx"),
            models.Index(fields=["project", "exit_date"], name="enrolment_project_exit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} – {self.project}"


class EnrolmentSupport(models.Model):
    """Valid support of an enrolment (DOMAIN.md §2), kept up to date by the database.

    Triggers (``clients/support_sql.py``) recompute the row whenever something it depends on
    changes: an intervention's participants, date, duration or project; the enrolment's entry
    and exit dates; the project's threshold. Statement-level, so COPY, bulk writes and imports
    are covered as well as single saves. The application never writes these rows.

    ``threshold_crossed_on`` is the date the running sum of valid support (ordered by date and
    intervention id) first reached the threshold, counting all support up to the exit: the
    threshold is crossed by a date D exactly when it is on or before D, so one stored date
    answers every reporting period. Likewise ``first_support_on`` says whether there was any
    valid support by D, and ``support_minutes`` is the support up to D whenever
    ``last_support_on`` is on or before D (``clients.queries.support_minutes_until``).
    """

    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="support",
    )
    first_support_on = models.DateField(null=True)
    last_support_on = models.DateField(null=True)
    threshold_crossed_on = models.DateField(null=True)
    # All valid support between entry and exit, in minutes.
    support_minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("enrolment support")
        verbose_name_plural = _("enrolment support")

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.support_minutes} min"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class IndividualPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> IndividualPlanQuerySet:
        return self.filter(project_record_scope(user))


class IndividualPlan(models.Model):
    """The client's individual plan (quality standard 5); a guarantor signs it off."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="plans")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="plans")
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_on = models.DateField(_("created on"))
    review_due = models.DateField(_("review due"), null=True, blank=True)
    # Printed on the client's copy of the plan ("what we agreed today").
    next_meeting_on = models.DateField(_("next meeting"), null=True, blank=True)
    next_meeting_note = models.CharField(
        _("time and place of the next meeting"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 10:00 at the community centre"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    evaluation = models.TextField(_("evaluation at the end"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = IndividualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")
        ordering = ["-created_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_by__isnull=True, signed_at__isnull=True)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="plan_signature_complete",
            )
        ]
        indexes = [models.Index(fields=["project", "review_due"], name="plan_review_idx")]

    def __str__(self) -> str:
        return _("Plan of %(client)s") % {"client": self.client}


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


class PlanGoal(models.Model):
    plan = models.ForeignKey(IndividualPlan, on_delete=models.CASCADE, related_name="goals")
    goal = models.TextField(_("goal in the client's words"))
    steps = models.TextField(_("steps"), blank=True)
    responsible = models.CharField(_("who does what"), max_length=300, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.goal[:80]


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user) -> TaskQuerySet:
        """Tasks the user owns, and tasks on the cases they may see.

        A task tied to a project follows the project's case access; one without a project
        follows the client's.
        """
        return self._within(user, client_visible=Q(client__in=Client.objects.visible_to(user)))

    def in_visible_case_file(self, user, client) -> TaskQuerySet:
        """``visible_to(user).filter(client=client)`` for a client the user is known to see.

        The case file has already found the client through ``Client.objects.visible_to``, so
        the client branch of ``visible_to`` holds and is not asked of the database again.
        """
        return self.filter(client=client)._within(user, client_visible=Q())

    def _within(self, user, *, client_visible: Q) -> TaskQuerySet:
        if not is_active_user(user):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(
            Q(owner=user)
            | (Q(project__isnull=True) & client_visible)
            | (Q(project__isnull=False) & project_record_scope(user))
        )

    def open(self) -> TaskQuerySet:
        return self.filter(done_at__isnull=True)

    def with_list_data(self, user) -> TaskQuerySet:
        """What a row of the task list shows, in the one query.

        ``client_visible`` says whether the row may name its client: a task stays visible to
        its owner after the client has moved to another worker's caseload.
        """
        return self.select_related("client", "project", "owner").annotate(
            client_visible=Exists(Client.objects.visible_to(user).filter(pk=OuterRef("client")))
        )


class Task(models.Model):
    """A task or a deadline (court and authority deadlines are computed in working days)."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        DEADLINE = "deadline", _("Deadline")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    due_date = models.DateField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("owner"),
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("client"),
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "pk"]
        indexes = [
            # "My open tasks by due date" on the worker's home page.
            models.Index(
                fields=["owner", "due_date"],
                condition=Q(done_at__isnull=True),
                name="task_open_owner_due_idx",
            ),
            models.Index(fields=["client", "due_date"], name="task_client_due_idx"),
            # Task list filters "done" (mine, newest first) and a guarantor's project's open tasks.
            models.Index(
                fields=["owner", "-done_at"],
                condition=Q(done_at__isnull=False),
                name="task_done_owner_idx",
            ),
            models.Index(
                fields=["project", "due_date"],
                condition=Q(done_at__isnull=True),
                name="task_open_project_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    DECISION = "decision", _("Court or authority decision")
    CONTRACT = "contract", _("Contract or agreement")
    CONSENT = "consent", _("Signed consent")
    STATEMENT = "statement", _("Statement or extract (CEE, ISIR, bank)")
    OTHER = "other", _("Other")


def document_upload_path(instance: Document, filename: str) -> str:
    # A random name: nothing about the client in the path, nothing guessable.
    return f"documents/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """A document of a project follows that project's case access, else the client's."""
        return self._within(user, client_visible=Q(client__in=Client.objects.visible_to(user)))

    def in_visible_case_file(self, user, client) -> DocumentQuerySet:
        """``visible_to(user).filter(client=client)`` for a client the user is known to see
        (see ``TaskQuerySet.in_visible_case_file``)."""
        return self.filter(client=client)._within(user, client_visible=Q())

    def _within(self, user, *, client_visible: Q) -> DocumentQuerySet:
        if not is_active_user(user):
            return self.none()
        return self.filter(
            (Q(project__isnull=True) & client_visible)
            | (Q(project__isnull=False) & project_record_scope(user))
        )


class Document(models.Model):
    """An uploaded file kept outside the web root and served only through an access check."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="documents")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
