from django.urls import path

from casework.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="trail"),
    path("record-of-processing/", views.record_of_processing, name="record_of_processing"),
    path("clients/<int:pk>/", views.client_trail, name="client_trail"),
    path(
        "clients/<int:pk>/data-protection/",
        views.client_data_protection,
        name="client_data_protection",
    ),
    path(
        "clients/<int:pk>/export.json",
        views.client_export,
        {"fmt": "json"},
        name="client_export_json",
    ),
    path(
        "clients/<int:pk>/export.pdf", views.client_export, {"fmt": "pdf"}, name="client_export_pdf"
    ),
    path("clients/<int:pk>/anonymise/", views.client_anonymise, name="client_anonymise"),
]
