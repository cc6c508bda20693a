"""Housing situations with history, risk assessments over versioned factor sets, outcomes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import CodeList, DateRange, Organisation, Project
from clients.models import Client, Household, Task, project_record_scope

MONEY = {"max_digits": 12, "decimal_places": 2}


class EthosCategory(models.Model):
    """ETHOS typology of homelessness and housing exclusion (Czech version), e.g. 9.1."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    conceptual_category = models.CharField(_("conceptual category"), max_length=40)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("ETHOS category")
        verbose_name_plural = _("ETHOS categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BenefitType(CodeList):
    """A housing-related benefit, valid for a span of dates (the law changed in October 2025)."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(CodeList.Meta):
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")


class LandlordKind(models.TextChoices):
    TOWN = "town", _("Town housing fund")
    PRIVATE = "private", _("Private landlord")
    HOSTEL = "hostel", _("Hostel operator")
    OTHER = "other", _("Other")


class Landlord(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=LandlordKind.choices)
    contact = models.CharField(_("contact"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("landlord")
        verbose_name_plural = _("landlords")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tenure(models.TextChoices):
    LEASE = "lease", _("Lease")
    SUBLEASE = "sublease", _("Sublease")
    HOSTEL = "hostel", _("Hostel")
    SOCIAL_FLAT = "social_flat", _("Social flat")
    OWN = "own", _("Own dwelling")
    WITH_FAMILY = "with_family", _("Staying with family or friends")
    NO_SHELTER = "no_shelter", _("Without shelter")


class HousingSituationQuerySet(models.QuerySet):
    def visible_to(self, user) -> HousingSituationQuerySet:
        return self.filter(client__in=Client.objects.visible_to(user))

    def current(self) -> HousingSituationQuerySet:
        return self.filter(valid_to__isnull=True)


class HousingSituation(models.Model):
    """A client's housing over a span of time; a change closes one row and opens the next."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="housing_situations")
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    ethos = models.ForeignKey(
        EthosCategory, on_delete=models.PROTECT, verbose_name=_("ETHOS category")
    )
    tenure = models.CharField(_("tenure"), max_length=15, choices=Tenure.choices)
    landlord = models.ForeignKey(
        Landlord, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("landlord")
    )
    rent = models.DecimalField(_("rent"), default=0, **MONEY)
    service_charges = models.DecimalField(_("service charges"), default=0, **MONEY)
    arrears = models.DecimalField(_("arrears"), default=0, **MONEY)
    lease_end = models.DateField(_("lease ends"), null=True, blank=True)
    notice_received_on = models.DateField(_("notice received"), null=True, blank=True)
    notice_reason = models.CharField(_("reason for notice"), max_length=300, blank=True)
    eviction_on = models.DateField(_("eviction date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = HousingSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("housing situation")
        verbose_name_plural = _("housing situations")
        ordering = ["client", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent__gte=0) & Q(service_charges__gte=0) & Q(arrears__gte=0),
                name="housing_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="housing_until_after_from",
            ),
            # One housing situation at a time per client.
            ExclusionConstraint(
                name="housing_no_overlap",
                expressions=[
                    (
                        DateRange("valid_from", "valid_to", models.Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                    ("client", RangeOperators.EQUAL),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["lease_end"], name="housing_lease_end_idx"),
            models.Index(fields=["eviction_on"], name="housing_eviction_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.ethos.code} ({self.valid_from})"

    def get_absolute_url(self) -> str:
        return reverse("housing:detail", args=[self.pk])


class BenefitStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended")


class HousingBenefit(models.Model):
    situation = models.ForeignKey(
        HousingSituation, on_delete=models.CASCADE, related_name="benefits"
    )
    benefit = models.ForeignKey(BenefitType, on_delete=models.PROTECT, verbose_name=_("benefit"))
    status = models.CharField(_("status"), max_length=10, choices=BenefitStatus.choices)
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    amount = models.DecimalField(_("monthly amount"), default=0, **MONEY)
    granted_until = models.DateField(_("granted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("housing benefit")
        verbose_name_plural = _("housing benefits")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="benefit_amount_not_negative")
        ]
        indexes = [models.Index(fields=["granted_until"], name="benefit_until_idx")]

    def __str__(self) -> str:
        return f"{self.benefit} ({self.get_status_display()})"


class RiskFactorSet(models.Model):
    """A versioned, per-project checklist of housing-loss risk factors with level thresholds.

    An assessment keeps the set it was made with; editing means creating the next version.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risk_factor_sets")
    version = models.PositiveSmallIntegerField(_("version"))
    is_active = models.BooleanField(_("in use"), default=True)
    medium_from = models.PositiveSmallIntegerField(_("medium risk from score"))
    high_from = models.PositiveSmallIntegerField(_("high risk from score"))
    acute_from = models.PositiveSmallIntegerField(_("acute risk from score"))
    review_months = models.PositiveSmallIntegerField(_("re-assess after (months)"), default=3)
    review_months_high = models.PositiveSmallIntegerField(
        _("re-assess high and acute risk after (months)"), default=1
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk factor set")
        verbose_name_plural = _("risk factor sets")
        ordering = ["project", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="risk_set_unique_version"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_active=True), name="risk_set_one_active"
            ),
            models.CheckConstraint(
                condition=Q(medium_from__gt=0)
                & Q(high_from__gt=F("medium_from"))
                & Q(acute_from__gt=F("high_from")),
                name="risk_set_thresholds_ascending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} v{self.version}"


class RiskFactor(models.Model):
    factor_set = models.ForeignKey(RiskFactorSet, on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("risk factor"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        ordering = ["factor_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "code"], name="risk_factor_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="risk_factor_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    ACUTE = "acute", _("Acute")


class RiskAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> RiskAssessmentQuerySet:
        return self.filter(project_record_scope(user))


class RiskAssessment(models.Model):
    """A housing-loss risk assessment; score and level are kept as assessed at the time."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="risk_assessments")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    factor_set = models.ForeignKey(RiskFactorSet, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["client", "-assessed_on"]
        indexes = [
            models.Index(fields=["client", "assessed_on"], name="assessment_client_date_idx"),
            # Acute cases on the guarantor's board.
            models.Index(fields=["project", "level"], name="assessment_project_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.assessed_on} {self.get_level_display()}"


class RiskFactorAnswer(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    factor = models.ForeignKey(RiskFactor, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "factor"], name="risk_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.factor_id}: {self.present}"


class RiskEventKind(models.TextChoices):
    LEASE_ENDING = "lease_ending", _("Lease ending")
    NOTICE = "notice", _("Notice received")
    EVICTION = "eviction", _("Eviction date")
    BENEFIT_ENDING = "benefit_ending", _("Benefit ending")
    ARREARS_GROWING = "arrears_growing", _("Arrears growing two months in a row")


class RiskEvent(models.Model):
    """A dated early-warning event; each creates a deadline task for the worker."""

    situation = models.ForeignKey(HousingSituation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=RiskEventKind.choices)
    event_on = models.DateField(_("date"))
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("risk event")
        verbose_name_plural = _("risk events")
        ordering = ["event_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "kind", "event_on"], name="risk_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.event_on}"


class HousingOutcomeKind(models.TextChoices):
    KEPT = "kept", _("Housing kept")
    IMPROVED = "improved", _("Housing improved")
    LOST = "lost", _("Housing lost")


class HousingOutcome(models.Model):
    """The housing result at the end of support (feeds the KA 07 evaluation)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="housing_outcomes")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=HousingOutcomeKind.choices)
    decided_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("housing outcome")
        verbose_name_plural = _("housing outcomes")
        constraints = [
            models.UniqueConstraint(fields=["client", "project"], name="housing_outcome_once")
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.get_outcome_display()}"
