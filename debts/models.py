"""Debt cases, the debt register, debt situation analyses, legal parameters, actions, outcomes."""

from __future__ import annotations

import re
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import CodeList, Organisation, Project
from clients.models import Client, Household, Task, project_record_scope
from debts.budget import CATEGORIES

MONEY = {"max_digits": 12, "decimal_places": 2}
# A share of the protected-amount base: a fraction such as 2/3 or a decimal such as 0.85.
SHARE_PATTERN = r"^(0|[1-9][0-9]*)(\.[0-9]+|/[1-9][0-9]*)?$"
INVALID_SHARE = _("Enter a share between 0 and 1 as a fraction (2/3) or a decimal (0.85).")


def validate_share(value: str) -> None:
    if not re.fullmatch(SHARE_PATTERN, value or "") or not 0 <= Fraction(value) <= 1:
        raise ValidationError(INVALID_SHARE, code="invalid_share")


class CreditorType(CodeList):
    """Bank, non-bank lender, energy, telecom, health insurer, municipality, ... (DOMAIN.md §7)."""

    is_public_law = models.BooleanField(
        _("public-law creditor"),
        default=False,
        help_text=_("Matters for amnesty schemes (Milostivé léto)."),
    )

    class Meta(CodeList.Meta):
        verbose_name = _("creditor type")
        verbose_name_plural = _("creditor types")


class Creditor(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    creditor_type = models.ForeignKey(
        CreditorType, on_delete=models.PROTECT, verbose_name=_("creditor type")
    )
    ico = models.CharField(_("IČO"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("creditor")
        verbose_name_plural = _("creditors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="creditor_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DebtCaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> DebtCaseQuerySet:
        """Debt cases of the user's projects (managed) or of their own clients in that project."""
        return self.filter(project_record_scope(user))

    def open(self) -> DebtCaseQuerySet:
        return self.filter(closed_on__isnull=True)


class DebtCase(models.Model):
    """The debt counselling case of a client (optionally on behalf of their household)."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="debt_cases")
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="debt_cases"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="debt_cases")
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Baseline at enrolment (DOMAIN.md, issue point 4): frozen once taken, for the evaluation.
    baseline_on = models.DateField(_("baseline taken on"), null=True, blank=True)
    baseline_total = models.DecimalField(
        _("total debt at baseline"), null=True, blank=True, **MONEY
    )
    baseline_enforcements = models.PositiveIntegerField(
        _("enforcements at baseline"), null=True, blank=True
    )
    baseline_creditors = models.PositiveIntegerField(
        _("creditors at baseline"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    objects = DebtCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("debt case")
        verbose_name_plural = _("debt cases")
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="debt_case_closed_after_opened",
            )
        ]
        indexes = [models.Index(fields=["project", "opened_on"], name="debt_case_project_idx")]

    def __str__(self) -> str:
        return _("Debts of %(client)s") % {"client": self.client}

    def get_absolute_url(self) -> str:
        return reverse("debts:detail", args=[self.pk])


class DebtKind(models.TextChoices):
    REMINDER = "reminder", _("Pre-enforcement reminder")
    ENFORCEMENT = "enforcement", _("Enforcement (exekuce)")
    INSOLVENCY = "insolvency", _("Insolvency / debt relief")
    INSTALMENTS = "instalments", _("Instalment agreement")
    COURT = "court", _("Court proceedings")


class DebtStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REPAYING = "repaying", _("In repayment")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")
    PAID = "paid", _("Paid")
    DEBT_RELIEF = "debt_relief", _("In debt relief")
    WRITTEN_OFF = "written_off", _("Written off")


class InformationSource(models.TextChoices):
    CEE = "cee", _("Central register of enforcements (CEE)")
    ISIR = "isir", _("Insolvency register (ISIR)")
    CLIENT_PAPERS = "client", _("Client's papers")
    CREDITOR = "creditor", _("Creditor or bailiff")
    OTHER = "other", _("Other")


class Debt(models.Model):
    """One debt in the register; ``total`` is computed by the database."""

    case = models.ForeignKey(DebtCase, on_delete=models.CASCADE, related_name="debts")
    creditor = models.ForeignKey(
        Creditor, on_delete=models.PROTECT, related_name="debts", verbose_name=_("creditor")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=DebtKind.choices)
    bailiff_office = models.CharField(_("bailiff office or authority"), max_length=200, blank=True)
    case_reference = models.CharField(
        _("case reference"), max_length=60, blank=True, help_text=_("e.g. 120 EX 1234/21")
    )
    principal = models.DecimalField(_("principal"), **MONEY)
    interest = models.DecimalField(_("interest and penalties"), default=0, **MONEY)
    costs = models.DecimalField(_("costs"), default=0, **MONEY)
    total = models.GeneratedField(
        expression=F("principal") + F("interest") + F("costs"),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
        verbose_name=_("total"),
    )
    monthly_instalment = models.DecimalField(_("monthly instalment"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=15, choices=DebtStatus.choices, default=DebtStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"))
    source = models.CharField(_("source"), max_length=10, choices=InformationSource.choices)
    originated_on = models.DateField(_("originated on"), null=True, blank=True)
    is_public_law = models.BooleanField(_("public-law creditor"), default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("debt")
        verbose_name_plural = _("debts")
        ordering = ["case", "-total"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__gte=0)
                & Q(interest__gte=0)
                & Q(costs__gte=0)
                & Q(monthly_instalment__gte=0),
                name="debt_amounts_not_negative",
            )
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="debt_case_status_idx"),
            models.Index(fields=["kind", "status"], name="debt_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.creditor} {self.case_reference}".strip()


class DebtStatusChange(models.Model):
    """The dated history of a debt's status."""

    debt = models.ForeignKey(Debt, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=15, choices=DebtStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("debt status change")
        verbose_name_plural = _("debt status changes")
        ordering = ["debt", "changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.get_status_display()}"


class LegalParameterSet(models.Model):
    """Parameters of the protected amount (nezabavitelná částka) valid from a date.

    Government Decree 595/2006 and §§ 278–299 of the Civil Procedure Code: base = subsistence
    minimum + standard housing costs of one person; debtor share × base plus dependant share ×
    base per dependant, rounded up; above ``threshold_multiple`` × base everything is seizable.
    The values change with the law, so they are data, never constants in code.
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    subsistence_minimum = models.DecimalField(
        _("subsistence minimum"), null=True, blank=True, **MONEY
    )
    housing_costs = models.DecimalField(_("standard housing costs"), null=True, blank=True, **MONEY)
    base_amount = models.DecimalField(_("base amount"), **MONEY)
    # Exact fractions ("2/3", "17/20") or decimals ("0.85"): two thirds must not be 0.6667.
    debtor_share = models.CharField(
        _("debtor's share of the base"), max_length=20, validators=[validate_share]
    )
    dependant_share = models.CharField(
        _("share of the base per dependant"), max_length=20, validators=[validate_share]
    )
    threshold_multiple = models.DecimalField(
        _("fully seizable above (× base)"), max_digits=5, decimal_places=2
    )
    insolvency_administrator_fee = models.DecimalField(
        _("monthly insolvency administrator fee"), null=True, blank=True, **MONEY
    )
    source = models.CharField(_("source"), max_length=300)
    is_verified = models.BooleanField(_("verified against the official text"), default=False)

    class Meta:
        verbose_name = _("legal parameter set")
        verbose_name_plural = _("legal parameter sets")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_amount__gt=0) & Q(threshold_multiple__gt=0),
                name="legal_parameters_plausible",
            ),
            models.CheckConstraint(
                condition=Q(debtor_share__regex=SHARE_PATTERN)
                & Q(dependant_share__regex=SHARE_PATTERN),
                name="legal_parameters_share_format",
            ),
        ]

    def __str__(self) -> str:
        return _("Parameters valid from %(date)s") % {"date": self.valid_from}

    @property
    def debtor_fraction(self) -> Fraction:
        return Fraction(self.debtor_share)

    @property
    def dependant_fraction(self) -> Fraction:
        return Fraction(self.dependant_share)


class RecommendedSolution(models.TextChoices):
    DEBT_RELIEF = "debt_relief", _("Debt relief petition (oddlužení)")
    STOP_ENFORCEMENT = "stop_enforcement", _("Petition to stop enforcement")
    CONSOLIDATION = "consolidation", _("Consolidation of enforcements")
    INSTALMENTS = "instalments", _("Instalment plan")
    AMNESTY = "amnesty", _("Amnesty scheme")
    NONE = "none", _("No action needed")


class DebtAnalysis(models.Model):
    """A debt situation analysis (KA 02): budget, protected amount, recommendation."""

    case = models.ForeignKey(DebtCase, on_delete=models.CASCADE, related_name="analyses")
    analysed_on = models.DateField(_("date of analysis"))
    parameters = models.ForeignKey(
        LegalParameterSet, on_delete=models.PROTECT, verbose_name=_("legal parameters")
    )
    dependants = models.PositiveSmallIntegerField(_("dependants"), default=0)
    has_spouse = models.BooleanField(_("spouse counts as a dependant"), default=False)
    recommended_solution = models.CharField(
        _("recommended solution"), max_length=20, choices=RecommendedSolution.choices, blank=True
    )
    debt_relief_feasible = models.BooleanField(_("debt relief feasible"), null=True, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("debt situation analysis")
        verbose_name_plural = _("debt situation analyses")
        ordering = ["-analysed_on"]

    def __str__(self) -> str:
        return _("Analysis of %(date)s") % {"date": self.analysed_on}


class BudgetLine(models.Model):
    """One income or expense line of a household budget; yearly items are divided by 12."""

    class Direction(models.TextChoices):
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")

    analysis = models.ForeignKey(DebtAnalysis, on_delete=models.CASCADE, related_name="lines")
    direction = models.CharField(_("income or expense"), max_length=10, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=40)
    member = models.CharField(_("household member"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    monthly_amount = models.GeneratedField(
        expression=models.Case(
            models.When(frequency="yearly", then=models.functions.Round(F("amount") / 12, 2)),
            default=F("amount"),
        ),
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["analysis", "direction", "category"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount}"

    @property
    def category_label(self) -> str:
        return dict(CATEGORIES).get(self.category, self.category)


class ActionKind(models.TextChoices):
    DEBT_RELIEF_PETITION = "debt_relief", _("Debt relief petition")
    STOP_ENFORCEMENT = "stop_enforcement", _("Petition to stop enforcement")
    OBJECTION = "objection", _("Objection to a payment order")
    APPEAL = "appeal", _("Appeal")
    INSTALMENT_AGREEMENT = "instalments", _("Instalment agreement")
    CONSOLIDATION = "consolidation", _("Consolidation request")
    AMNESTY = "amnesty", _("Amnesty application")
    LETTER = "letter", _("Letter to a creditor or bailiff")


class ActionResult(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DebtAction(models.Model):
    """A petition or letter filed for the client, with its result."""

    case = models.ForeignKey(DebtCase, on_delete=models.CASCADE, related_name="actions")
    debt = models.ForeignKey(
        Debt, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    filed_on = models.DateField(_("filed on"))
    authority = models.CharField(_("court or office"), max_length=200, blank=True)
    reference = models.CharField(_("case reference"), max_length=60, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=ActionResult.choices, default=ActionResult.PENDING
    )
    result_on = models.DateField(_("result on"), null=True, blank=True)
    deadline_task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("filed action")
        verbose_name_plural = _("filed actions")
        ordering = ["-filed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result_on__isnull=True) | Q(result_on__gte=F("filed_on")),
                name="debt_action_result_after_filing",
            )
        ]
        indexes = [models.Index(fields=["kind", "result"], name="debt_action_kind_result_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.filed_on})"


class OutcomeKind(models.TextChoices):
    ENFORCEMENT_STOPPED = "enforcement_stopped", _("Enforcement stopped")
    DEBT_RELIEF_APPROVED = "debt_relief_approved", _("Debt relief approved")
    WRITTEN_OFF = "written_off", _("Amount written off")
    INSTALMENTS_KEPT = "instalments_kept", _("Instalment agreement kept 5+ months")
    AMNESTY_USED = "amnesty_used", _("Amnesty scheme used")
    PAID = "paid", _("Debt paid")


class DebtOutcome(models.Model):
    """A result achieved for the client, with the amount saved where there is one."""

    case = models.ForeignKey(DebtCase, on_delete=models.CASCADE, related_name="outcomes")
    debt = models.ForeignKey(
        Debt, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    action = models.ForeignKey(
        DebtAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    kind = models.CharField(_("outcome"), max_length=25, choices=OutcomeKind.choices)
    achieved_on = models.DateField(_("date"))
    amount_saved = models.DecimalField(_("amount saved or written off"), default=0, **MONEY)

    class Meta:
        verbose_name = _("debt outcome")
        verbose_name_plural = _("debt outcomes")
        ordering = ["-achieved_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_saved__gte=0), name="debt_outcome_amount_not_negative"
            )
        ]
        indexes = [models.Index(fields=["kind", "achieved_on"], name="debt_outcome_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.achieved_on})"
