from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework import drafts, views
from casework.accounts.views import PasswordChangeView
from casework.health import health

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/dashboard/", views.project_dashboard, name="project_dashboard"),
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/edit/", views.intervention_edit, name="intervention_edit"),
    path("drafts/<str:key>/", drafts.draft_save, name="draft_save"),
    path("drafts/<str:key>/discard/", drafts.draft_discard, name="draft_discard"),
    path("sw.js", drafts.service_worker, name="service_worker"),
    path("offline/", drafts.offline, name="offline"),
    path("outreach/", views.outreach_list, name="outreach_list"),
    path("outreach/new/", views.outreach_create, name="outreach_create"),
    path("outreach/<int:pk>/link/", views.outreach_link, name="outreach_link"),
    path("board/", views.board, name="board"),
    path("board/workers/<int:pk>/", views.board_worker, name="board_worker"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/", include("casework.accounts.urls")),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("clients.urls")),
    path("housing/", include("housing.urls")),
    path("debts/", include("debts.urls")),
    path("review/", include("casework.review.urls")),
    path("console/", include("casework.console.urls")),
    path("imports/", include("casework.imports.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("casework.audit.urls")),
    path("admin/", admin.site.urls),
]
