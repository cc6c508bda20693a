from django.urls import path

from debts import views

app_name = "debts"

urlpatterns = [
    # Debt cases
    path("clients/<int:pk>/new/", views.debt_case_create, name="create"),
    path("<int:pk>/", views.debt_case_detail, name="detail"),
    # The debt register
    path("<int:pk>/debts/new/", views.debt_create, name="debt_create"),
    path("debts/<int:pk>/edit/", views.debt_edit, name="debt_edit"),
    path("debts/<int:pk>/status/", views.debt_status, name="debt_status"),
    path("debts/<int:pk>/status/change/", views.debt_status_change, name="debt_status_change"),
    # Debt situation analyses
    path("<int:pk>/analyses/new/", views.analysis_create, name="analysis_create"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/edit/", views.analysis_edit, name="analysis_edit"),
    path("analyses/<int:pk>/pdf/", views.analysis_pdf, name="analysis_pdf"),
    # Filed actions, outcomes, baseline
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("<int:pk>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("<int:pk>/baseline/", views.baseline_take, name="baseline_take"),
]
