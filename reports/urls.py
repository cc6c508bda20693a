from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_generate, name="generate"),
    path("<int:pk>/", views.report_status, name="status"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("projects/<int:pk>/indicators/", views.indicator_table, name="indicators"),
    path(
        "projects/<int:pk>/export-blockers/",
        views.export_blockers,
        name="export_blockers",
    ),
    path(
        "projects/<int:pk>/indicators/<str:code>/",
        views.indicator_detail,
        name="indicator_detail",
    ),
]
