from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("search/", views.client_search, name="search"),
    path("export.csv", views.client_export, name="export"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("enrolments/<int:pk>/edit/", views.enrolment_edit, name="enrolment_edit"),
    path("<int:pk>/reassign/", views.client_reassign, name="reassign"),
    # Individual plans
    path("<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/sign/", views.plan_sign, name="plan_sign"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    # Tasks and deadlines
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    # Documents: downloaded only through the access check, never from MEDIA_ROOT directly
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
